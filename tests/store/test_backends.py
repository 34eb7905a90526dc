"""The Backend contract, on the embedded store and on real SPARQL servers (Oxigraph server, Virtuoso 7).

Each test runs three times (`backend` fixture): a LocalStore in a fresh folder, and a RemoteStore on each server,
cleared first. What differs between servers is handled in `vskg.store.dialects`, so the expectations are the same.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, QueryBoolean, RdfFormat, parse

from vskg.store.base import QueryTimeout

EX = "http://example.org/"
G1, G2 = f"{EX}g1", f"{EX}g2"
P = NamedNode(f"{EX}p")


def quad(s: str, o, graph: str | None) -> Quad:
    obj = o if isinstance(o, Literal | NamedNode) else Literal(str(o))
    return Quad(NamedNode(EX + s), P, obj, NamedNode(graph) if graph else DefaultGraph())


def triples_of(backend, graph: str | None) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in backend.quads(graph)}


def values(rows, name: str = "o") -> list[str]:
    return sorted(str(row[name]) for row in rows)


def fill(backend) -> None:
    backend.replace_graph(G1, [quad("a", "one", G1), quad("b", "two", G1)])
    backend.replace_graph(G2, [quad("c", "three", G2)])


def test_an_empty_store_has_no_graphs(backend) -> None:
    assert backend.graphs() == []
    assert backend.has_graph(G1) is False
    assert backend.has_graph(None) is True
    assert list(backend.quads(None)) == []
    assert backend.stats().graphs == []


def test_replace_graph_sets_and_then_replaces_a_graph(backend) -> None:
    fill(backend)
    assert backend.graphs() == [G1, G2]
    assert backend.has_graph(G1) is True
    assert triples_of(backend, G1) == {(f"<{EX}a>", f"<{EX}p>", '"one"'), (f"<{EX}b>", f"<{EX}p>", '"two"')}
    backend.replace_graph(G1, [quad("z", "new", G1)])
    assert triples_of(backend, G1) == {(f"<{EX}z>", f"<{EX}p>", '"new"')}
    assert triples_of(backend, G2) == {(f"<{EX}c>", f"<{EX}p>", '"three"')}
    assert list(backend.quads(None)) == []


def test_a_failed_replace_leaves_the_graph_as_it_was(backend) -> None:
    fill(backend)

    def broken():
        yield quad("x", "half", G1)
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError, match="the source broke"):
        backend.replace_graph(G1, broken())
    assert triples_of(backend, G1) == {(f"<{EX}a>", f"<{EX}p>", '"one"'), (f"<{EX}b>", f"<{EX}p>", '"two"')}
    assert backend.graphs() == [G1, G2]


def test_add_to_graph_and_drop_graph(backend) -> None:
    fill(backend)
    backend.add_to_graph(G2, [quad("d", "four", G2)])
    assert values(backend.query(f"SELECT ?o WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}")) == ['"four"', '"three"']
    backend.drop_graph(G2)
    assert backend.graphs() == [G1]
    assert backend.has_graph(G2) is False


def test_the_default_graph_is_a_graph_of_its_own(backend) -> None:
    fill(backend)
    backend.replace_graph(None, [quad("d", "default", None)])
    assert triples_of(backend, None) == {(f"<{EX}d>", f"<{EX}p>", '"default"')}
    assert backend.graphs() == [G1, G2]
    assert values(backend.query("SELECT ?o WHERE { ?s ?p ?o }")) == ['"default"']
    union = backend.query("SELECT ?o WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    assert values(union) == ['"default"', '"one"', '"three"', '"two"']
    backend.drop_graph(None)
    assert list(backend.quads(None)) == []
    assert backend.graphs() == [G1, G2]


def test_update_resolves_relative_iris_against_the_base(backend) -> None:
    backend.update('INSERT DATA { GRAPH <g3> { <s> <p> "rel" } }', base_iri=EX)
    assert backend.graphs() == [f"{EX}g3"]
    assert triples_of(backend, f"{EX}g3") == {(f"<{EX}s>", f"<{EX}p>", '"rel"')}
    backend.update(f"DELETE WHERE {{ GRAPH <{EX}g3> {{ ?s ?p ?o }} }}")
    assert backend.has_graph(f"{EX}g3") is False or list(backend.quads(f"{EX}g3")) == []


def test_a_malformed_update_is_a_syntax_error_and_changes_nothing(backend) -> None:
    fill(backend)
    with pytest.raises(SyntaxError):
        backend.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}s> <{EX}p> }} }}")
    assert len(list(backend.quads(G1))) == 2


def test_query_forms_and_datasets(backend) -> None:
    fill(backend)
    ask = backend.query(f'ASK {{ GRAPH <{G1}> {{ ?s ?p "one" }} }}')
    assert isinstance(ask, QueryBoolean) and bool(ask) is True
    assert bool(backend.query(f'ASK {{ GRAPH <{G1}> {{ ?s ?p "three" }} }}')) is False
    only_g1 = backend.query("SELECT ?o WHERE { ?s ?p ?o }", default_graph=[NamedNode(G1)])
    assert values(only_g1) == ['"one"', '"two"']
    named = backend.query("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[NamedNode(G2)])
    assert [(str(r["g"]), str(r["o"])) for r in named] == [(f"<{G2}>", '"three"')]
    built = backend.query(f"CONSTRUCT {{ ?s <{EX}q> ?o }} WHERE {{ ?s ?p ?o }} ", use_default_graph_as_union=True)
    assert sorted(str(t.object) for t in built) == ['"one"', '"three"', '"two"']
    assert {str(t.predicate) for t in backend.query(f"CONSTRUCT {{ ?s <{EX}q> ?o }} WHERE {{ ?s ?p ?o }}")} == set()


def test_typed_values_come_back_as_oxigraph_gives_them(backend) -> None:
    backend.replace_graph(
        G1, [quad("n", Literal("7", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")), G1)]
    )
    rows = list(
        backend.query(
            "SELECT ?o (COUNT(*) AS ?n) (STR(?o) AS ?text) WHERE { ?s ?p ?o } GROUP BY ?o",
            use_default_graph_as_union=True,
        )
    )
    assert [(r["o"], r["n"], r["text"]) for r in rows] == [
        (
            Literal("7", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
            Literal("1", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
            Literal("7"),
        )
    ]


def test_stats_count_the_graphs_and_classes(backend) -> None:
    fill(backend)
    kind = NamedNode(f"{EX}Kind")
    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    backend.add_to_graph(G2, [Quad(NamedNode(f"{EX}c"), rdf_type, kind, NamedNode(G2))])
    stats = backend.stats()
    assert [(g.graph, g.triples) for g in stats.graphs] == [(G1, 2), (G2, 2)]
    assert stats.triples == 4
    assert stats.classes == [(f"{EX}Kind", 1)]


def test_dump_writes_every_graph(backend) -> None:
    fill(backend)
    out = io.BytesIO()
    backend.dump(out, RdfFormat.N_QUADS)
    dumped = {
        (str(q.subject), str(q.object), str(q.graph_name)) for q in parse(out.getvalue(), format=RdfFormat.N_QUADS)
    }
    assert dumped == {
        (f"<{EX}a>", '"one"', f"<{G1}>"),
        (f"<{EX}b>", '"two"', f"<{G1}>"),
        (f"<{EX}c>", '"three"', f"<{G2}>"),
    }


def test_load_file_replaces_the_graph_and_a_bad_file_changes_nothing(backend, tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(f"<{EX}a> <{EX}p> 1, 2, 3 .\n", encoding="utf-8")
    assert backend.load_file(good, G1) == (G1, 3)
    bad = tmp_path / "bad.ttl"
    bad.write_text(f"<{EX}a> <{EX}p> 4 .\n<{EX}b> <{EX}p> .\n", encoding="utf-8")
    with pytest.raises(Exception):  # noqa: B017 - each backend words the parse error its own way
        backend.load_file(bad, G1)
    assert values(backend.query(f"SELECT ?o WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")) == [
        '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
        '"2"^^<http://www.w3.org/2001/XMLSchema#integer>',
        '"3"^^<http://www.w3.org/2001/XMLSchema#integer>',
    ]


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def test_a_query_past_its_time_limit_raises_query_timeout(remote_backend) -> None:
    """Only remote stores: pyoxigraph cannot stop a query, so the service never runs untrusted ones in-process."""
    remote_backend.replace_graph(G1, [quad(f"s{i}", i, G1) for i in range(60)])
    with pytest.raises(QueryTimeout):
        remote_backend.query(SLOW, timeout=0.5, use_default_graph_as_union=True)
    assert bool(remote_backend.query(f"ASK {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")) is True


# --- what Virtuoso reads differently, made the same by vskg.store.server_text ----------------------------------


def test_graph_of_an_empty_pattern_lists_the_named_graphs(backend) -> None:
    assert list(backend.query("SELECT ?g WHERE { GRAPH ?g { } }", use_default_graph_as_union=True)) == []
    fill(backend)
    rows = backend.query("SELECT ?g WHERE { GRAPH ?g { } }", use_default_graph_as_union=True)
    assert values(rows, "g") == [f"<{G1}>", f"<{G2}>"]


def test_a_query_with_from_sees_its_own_dataset(backend) -> None:
    fill(backend)
    rows = backend.query(f"SELECT ?o FROM <{G2}> WHERE {{ ?s ?p ?o }}")
    assert values(rows) == ['"three"']
    # FROM without FROM NAMED leaves no named graphs
    assert bool(backend.query(f"ASK FROM <{G2}> {{ GRAPH ?g {{ ?s ?p ?o }} }}")) is False
    rows = backend.query(f"SELECT ?g FROM NAMED <{G1}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert values(rows, "g") == [f"<{G1}>", f"<{G1}>"]


def test_booleans_come_back_as_booleans(backend) -> None:
    fill(backend)
    rows = list(
        backend.query(
            f"SELECT ?s ?known ?big (STRLEN(?o) AS ?n) WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} "
            f"BIND(EXISTS {{ ?s ?p 'one' }} AS ?known) BIND(STRLEN(?o) > 3 AS ?big) }}",
            use_default_graph_as_union=True,
        )
    )
    found = sorted((str(r["s"]), str(r["known"]), str(r["big"]), str(r["n"])) for r in rows)
    boolean = "^^<http://www.w3.org/2001/XMLSchema#boolean>"
    integer = "^^<http://www.w3.org/2001/XMLSchema#integer>"
    assert found == [
        (f"<{EX}a>", f'"true"{boolean}', f'"false"{boolean}', f'"3"{integer}'),
        (f"<{EX}b>", f'"false"{boolean}', f'"false"{boolean}', f'"3"{integer}'),
    ]


def test_drop_all_drops_every_graph_of_the_user(backend) -> None:
    fill(backend)
    backend.update(f"INSERT DATA {{ <{EX}d> <{EX}p> 'default' }}")
    backend.update("DROP ALL")
    assert backend.graphs() == []
    assert list(backend.quads(None)) == []
    backend.update("DROP NAMED ; CLEAR DEFAULT ; DROP SILENT ALL")  # nothing left to drop: still no error
    assert backend.graphs() == []


def test_a_large_insert_data_is_written_whole_and_in_order(backend) -> None:
    # 12,000 triples in one INSERT DATA: Virtuoso 7 refuses that ("memory exhausted" in its SPARQL compiler), so
    # vskg cuts it into updates of 1,000; the DELETE DATA after it must see every triple written
    body = " .\n".join(f"<{EX}s{i}> <{EX}p> {i}" for i in range(12_000))
    delete = f"DELETE DATA {{ GRAPH <{G1}> {{ <{EX}s7> <{EX}p> 7 }} }}"
    backend.update(f"INSERT DATA {{ GRAPH <{G1}> {{ {body} }} }} ; {delete}")
    count = next(iter(backend.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")))
    assert count["n"].value == "11999"
    assert bool(backend.query(f"ASK {{ GRAPH <{G1}> {{ <{EX}s7> ?p ?o }} }}")) is False
