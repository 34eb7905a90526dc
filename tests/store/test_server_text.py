"""How vskg rewrites requests for servers that read SPARQL differently (vskg.store.server_text), checked on the text."""

from __future__ import annotations

from vskg.store.server_text import boolean_variables, data_batches, named_graph_values, query_dataset

EX = "http://example.org/"


def test_data_updates_are_cut_in_order_with_their_prologue_and_graphs() -> None:
    text = (
        f"PREFIX ex: <{EX}>\nINSERT DATA {{ ex:a ex:p 1 . ex:b ex:p 2 . GRAPH ex:g {{ ex:c ex:p 3 ; ex:q 4 }} }} ;\n"
        "DELETE DATA { ex:a ex:p 1 }"
    )
    assert data_batches(text, 1) == [
        f"PREFIX ex: <{EX}>\nINSERT DATA {{ ex:a ex:p 1 }}",
        f"PREFIX ex: <{EX}>\nINSERT DATA {{ ex:b ex:p 2 }}",
        f"PREFIX ex: <{EX}>\nINSERT DATA {{ GRAPH ex:g {{ ex:c ex:p 3 ; ex:q 4 }} }}",
        f"PREFIX ex: <{EX}>\nDELETE DATA {{ ex:a ex:p 1 }}",
    ]


def test_only_plain_data_updates_over_the_size_are_cut() -> None:
    assert data_batches(f"INSERT DATA {{ <{EX}a> <{EX}p> 1 . <{EX}b> <{EX}p> 2 }}", 2) is None  # small enough
    assert data_batches(f"INSERT DATA {{ <{EX}a> <{EX}p> 1 }} ; DROP ALL", 0) is None  # not only DATA
    where = f"INSERT {{ ?s <{EX}q> 1 }} WHERE {{ ?s <{EX}p> 1 . ?s <{EX}p> 2 }}"
    assert data_batches(where, 1) is None
    # a blank node label is one node within one operation: cutting would make two
    assert data_batches(f"INSERT DATA {{ _:x <{EX}p> 1 . _:x <{EX}p> 2 }}", 1) is None


def test_graph_of_an_empty_group_becomes_values() -> None:
    text = "SELECT ?g WHERE { GRAPH ?g { } OPTIONAL { GRAPH ?h { ?s ?p 'GRAPH ?x { }' } } }"
    assert named_graph_values(text, [f"{EX}g1", f"{EX}g2"]) == (
        f"SELECT ?g WHERE {{ VALUES ?g {{ <{EX}g1> <{EX}g2> }} OPTIONAL {{ GRAPH ?h {{ ?s ?p 'GRAPH ?x {{ }}' }} }} }}"
    )


def test_boolean_variables_are_those_bound_only_to_boolean_expressions() -> None:
    text = (
        "SELECT ?a (?n > 2 AS ?big) (COUNT(?x) AS ?n) (IF(?n > 1, 1, 0) AS ?one) (!BOUND(?z) AS ?unbound) "
        "WHERE { BIND(EXISTS { ?s ?p ?o } AS ?known) BIND((?a IN (1, 2)) AS ?in) BIND(?b = 1 AS ?twice) "
        "BIND(3 AS ?twice) }"
    )
    assert boolean_variables(text) == {"big", "unbound", "known", "in"}


def test_a_boolean_constant_binds_a_boolean_variable() -> None:
    # a catalogue query's boolean parameter is written in as a typed literal and projected with AS
    boolean = "<http://www.w3.org/2001/XMLSchema#boolean>"
    text = f'SELECT ("true"^^{boolean} AS ?flag) (false AS ?off) ("1"^^<urn:x> AS ?other) ("true" AS ?text) {{}}'
    assert boolean_variables(text) == {"flag", "off"}


def test_the_query_dataset_is_read_from_from_clauses() -> None:
    assert query_dataset(f"SELECT * FROM <{EX}a> FROM NAMED <{EX}b> WHERE {{ ?s ?p ?o }}") == ([f"{EX}a"], [f"{EX}b"])
    assert query_dataset("SELECT * WHERE { ?s ?p 'FROM <x>' }") is None
