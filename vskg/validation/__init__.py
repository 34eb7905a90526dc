"""SHACL validation that runs inside the store: shapes compiled to SPARQL, one query per constraint.

pyshacl walks the data node by node in Python, which took 53 s at 100,000 triples and did not finish at a million.
This package reads the shapes graph once into plain records (`shapes`), turns each constraint into one SELECT over
the data view of the store (`compiler`), and runs them through the `Backend` interface (`engine`), so the work is
done by the query engine, embedded or remote. Its findings are the ones the pyshacl reference gives
(`vskg.validate`), which the tests check fixture by fixture.
"""
