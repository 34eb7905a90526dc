"""SHACL validation of the store and of the writes made to it, run inside the store: shapes compiled to SPARQL.

pyshacl walks the data node by node in Python, which took 53 s at 100,000 triples and did not finish at a million.
This package reads the shapes graph once into plain records (`shapes`), turns each constraint into one SELECT over
the data view of the store (`view`, `compiler`), and runs them through the `Backend` interface (`engine`), so the
work is done by the query engine, embedded or remote; its findings are the ones the pyshacl reference gives
(`vskg.validate`), which the tests check fixture by fixture. After a write only what the change can affect is
checked again (`dependencies`, `incremental`, from the write's exact `delta`), and in gated mode a write that would
add a Violation is undone and refused (`gate`).
"""
