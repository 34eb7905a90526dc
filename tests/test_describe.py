"""A resource's description and the facts that name it, read with a few queries through the store interface."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest

from tests.backend_only import InterfaceOnly
from vskg.store import LocalStore
from vskg.web import describe

EX = "https://example.org/d/"
G1, G2 = EX + "g1", EX + "g2"


def ex(name: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(EX + name)


def chain(length: int) -> str:
    """``ex:list ex:items ( ex:i1 ... ex:iN )``: a root with an RDF list of ``length`` blank nodes below it."""
    return f"<{EX}list> <{EX}items> ({' '.join(f'<{EX}i{n}>' for n in range(1, length + 1))}) ."


DATA = f"""
<{EX}deep> <{EX}p> [ <{EX}p> [ <{EX}p> [ <{EX}p> [ <{EX}p> [ <{EX}p> [ <{EX}q> "bottom" ] ] ] ] ] ] .
<{EX}loop> <{EX}p> _:a . _:a <{EX}p> _:b . _:b <{EX}p> _:a .
<{EX}s> a <https://w3id.org/vskg/ontology#Capability> ;
    <http://www.w3.org/2000/01/rdf-schema#label> "Zweite"@de, "Second"@en, "Other" ;
    <http://www.w3.org/2004/02/skos/core#prefLabel> "Preferred"@en ;
    <http://www.w3.org/2000/01/rdf-schema#comment> "b comment"@en, "a comment"@fr ;
    <{EX}to> <{EX}t> .
"""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[InterfaceOnly]:
    db = LocalStore(tmp_path / "store")
    db.update(f"INSERT DATA {{ GRAPH <{G1}> {{ {DATA} {chain(40)} }} }}")
    db.update(f'INSERT DATA {{ GRAPH <{G2}> {{ <{EX}s> <{EX}to> <{EX}t> ; <{EX}note> "only here" }} }}')
    yield InterfaceOnly(db)
    db.close()


def test_blank_nodes_deeper_than_the_first_query_are_followed_in_one_more(store: InterfaceOnly) -> None:
    found = describe.bounded(store, EX + "deep")
    assert store.asked() == 2  # four levels, then eight
    assert len(found) == 7
    assert found[-1].predicate == ex("q") and found[-1].object == pyoxigraph.Literal("bottom")
    assert sum(isinstance(t.subject, pyoxigraph.BlankNode) for t in found) == 6


def test_a_cycle_of_blank_nodes_ends(store: InterfaceOnly) -> None:
    found = describe.bounded(store, EX + "loop")
    assert store.asked() == 1
    assert len(found) == 3


def test_a_blank_structure_is_followed_to_the_deepest_level_and_no_further(store: InterfaceOnly) -> None:
    found = describe.bounded(store, EX + "list")
    assert store.asked() == 4  # 4, 8, 16, 32 levels
    first = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#first")
    items = {t.object for t in found if t.predicate == first}
    assert items == {ex(f"i{n}") for n in range(1, describe.MAX_DEPTH + 1)}  # of 40
    assert len(found) == 1 + 2 * describe.MAX_DEPTH


def test_a_triple_in_two_graphs_is_given_once_and_incoming_triples_come_too(store: InterfaceOnly) -> None:
    found = describe.describe(store, EX + "s")
    assert store.asked() == 2
    assert [t for t in found.outgoing if t.predicate == ex("to")] == [pyoxigraph.Triple(ex("s"), ex("to"), ex("t"))]
    assert len(found.outgoing) == 9
    assert describe.describe(store, EX + "t").incoming == [pyoxigraph.Triple(ex("s"), ex("to"), ex("t"))]


def test_facts_name_every_iri_in_one_query(store: InterfaceOnly) -> None:
    facts = describe.facts(store, [EX + "s", EX + "t", EX + "s", "not an IRI"])
    assert store.asked() == 1
    assert list(facts) == [EX + "s", EX + "t", "not an IRI"]
    s = facts[EX + "s"]
    assert (s.label, s.text, s.types, s.page_root) == (
        "Second",
        "b comment",
        {"https://w3id.org/vskg/ontology#Capability"},
        "capabilities",
    )
    assert (facts[EX + "t"].label, facts[EX + "t"].text, facts[EX + "t"].page_root) == (EX + "t", None, None)
    assert facts["not an IRI"].label == "not an IRI"


def test_facts_of_many_iris_are_asked_in_chunks(store: InterfaceOnly) -> None:
    many = [EX + f"x{n}" for n in range(describe.CHUNK * 2 + 1)]
    assert len(describe.facts(store, many)) == len(many)
    assert store.asked() == 3


@pytest.mark.parametrize("text", [EX + "x> ?p ?o } #", EX + '"quoted"', EX + "a b"])
def test_text_that_is_not_an_iri_never_reaches_a_query(store: InterfaceOnly, text: str) -> None:
    with pytest.raises(ValueError):
        describe.describe(store, text)
    assert describe.facts(store, [text])[text].label == text
    assert store.asked() == 0
