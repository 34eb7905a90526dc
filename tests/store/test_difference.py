"""Replacing a graph by its difference (vskg.store.difference): exactly the new graph, and only the change written."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from vskg.store import LocalStore
from vskg.store.difference import difference_update

G = NamedNode("urn:graph:model")
P = NamedNode("urn:p")
Q = NamedNode("urn:q")
XSD_INT = NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def element(i: int) -> list[Quad]:
    return [Quad(NamedNode(f"urn:e{i}"), P, Literal(f"element {i}"), G)]


def tricky(bnode: BlankNode) -> list[Quad]:
    return [
        Quad(NamedNode("urn:x"), P, Literal('say "hi"\nand \\ leave ✓'), G),
        Quad(NamedNode("urn:x"), P, Literal("Mitte", language="de"), G),
        Quad(NamedNode("urn:x"), P, Literal("7", datatype=XSD_INT), G),
        Quad(NamedNode("urn:x"), Q, bnode, G),
        Quad(bnode, P, Literal("inside"), G),
        Quad(bnode, Q, NamedNode("urn:e1"), G),
    ]


def named(store: LocalStore) -> set[tuple]:
    return {(q.subject, q.predicate, q.object) for q in store.quads(G.value) if not _blank(q)}


def _blank(q: Quad) -> bool:
    return isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode)


def test_a_small_change_is_written_as_its_difference() -> None:
    old = [q for i in range(100) for q in element(i)]
    new = [q for i in range(1, 101) for q in element(i)]
    text = difference_update(G, old, new)
    assert text == (
        f'DELETE DATA {{ GRAPH {G} {{ <urn:e0> <urn:p> "element 0" . }} }} ;\n'
        f'INSERT DATA {{ GRAPH {G} {{ <urn:e100> <urn:p> "element 100" . }} }}'
    )
    assert difference_update(G, old, old) == ""


def test_quads_with_blank_nodes_are_deleted_by_pattern_and_inserted_again() -> None:
    b = BlankNode("b1")
    text = difference_update(G, tricky(BlankNode("old")), tricky(b))
    assert text == (
        f"DELETE {{ GRAPH {G} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {G} {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}"
        f" ;\nINSERT DATA {{ GRAPH {G} {{ <urn:x> <urn:q> _:b1 . "
        '_:b1 <urn:p> "inside" . _:b1 <urn:q> <urn:e1> . } }'
    )


def test_a_large_change_is_left_to_a_whole_replace() -> None:
    old = [q for i in range(10_000) for q in element(i)]
    new = [q for i in range(5_000, 15_000) for q in element(i)]
    assert difference_update(G, old, new) is None


def test_replacing_an_existing_graph_gives_exactly_the_new_one(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    try:
        first = [q for i in range(500) for q in element(i)] + tricky(BlankNode())
        store.replace_graph(G.value, first)
        second = [q for i in range(3, 503) for q in element(i)] + tricky(BlankNode())  # a small change
        second += [Quad(NamedNode("urn:y"), P, q.object, G) for q in tricky(BlankNode())[:3]]  # escapes, tags, types
        store.replace_graph(G.value, second)
        assert named(store) == {(q.subject, q.predicate, q.object) for q in second if not _blank(q)}
        held = [q for q in store.quads(G.value) if _blank(q)]
        assert len(held) == 3 and len({q.object if isinstance(q.object, BlankNode) else q.subject for q in held}) == 1
        third = [q for i in range(2_000, 3_000) for q in element(i)]  # all new: replaced whole
        store.replace_graph(G.value, third)
        assert named(store) == {(q.subject, q.predicate, q.object) for q in third}
        assert len(list(store.quads(G.value))) == 1_000
    finally:
        store.close()
