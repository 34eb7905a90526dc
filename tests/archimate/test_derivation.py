"""Links derived from chains of relationships (ArchiMate 3.2, Appendix B): which, by which rule, from which chain."""

from __future__ import annotations

import pytest

from tests.archimate.conftest import FIXTURES
from vskg.archimate.derivation import Deriver
from vskg.archimate.importer import import_file
from vskg.archimate.model import Concept
from vskg.store import LocalStore

GRAPH = "https://w3id.org/vskg/graph/archimate/id-derivation-model"
BASE = "https://w3id.org/vskg/archimate/model/id-derivation-model/"
VSKG = "https://w3id.org/vskg/ontology#"
AM = "https://w3id.org/vskg/archimate#"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    store = LocalStore(tmp_path_factory.mktemp("derivation") / "store")
    import_file(store, FIXTURES / "derivation.xml")
    yield store
    store.close()


def short(term) -> str:
    return term.value.removeprefix(BASE).removeprefix(VSKG).removeprefix(AM)


def derivations(db: LocalStore) -> set[tuple]:
    result = db.query(
        f"""PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX am: <{AM}>
        SELECT ?s ?p ?o ?rule (GROUP_CONCAT(?from; separator=" ") AS ?chain) WHERE {{ GRAPH <{GRAPH}> {{
          ?d a am:Derivation ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; am:rule ?rule ; am:derivedFrom ?r .
          ?r am:identifier ?from }} }} GROUP BY ?d ?s ?p ?o ?rule"""
    )
    return {
        (short(r["s"]), short(r["p"]), short(r["o"]), short(r["rule"]), frozenset(r["chain"].value.split()))
        for r in result
    }


def test_each_derived_link_names_its_rule_and_chain(db):
    assert derivations(db) == {
        # serving a business function that realises a service that realises the capability: a potential derivation
        ("id-app-crm", "supportsCapability", "id-cap-intake", "dependencyChain",
         frozenset({"id-r-crm-fn", "id-r-fn-svc", "id-r-svc-cap"})),
        # assigned to an application function that serves the stage: valid
        ("id-app-claims", "supportsStage", "id-s2", "structuralThenDependency",
         frozenset({"id-r-claims-afn", "id-r-afn-s2"})),
        # realising a service that realises the capability: realization, valid
        ("id-app-pay", "supportsCapability", "id-cap-pay", "structuralChain",
         frozenset({"id-r-pay-asvc", "id-r-asvc-cap"})),
        # through a serving cycle (Inspect <-> Estimate), found once
        ("id-app-loop", "supportsCapability", "id-cap-assess", "dependencyChain",
         frozenset({"id-r-loop-a", "id-r-a-b", "id-r-b-cap"})),
        ("id-clerk", "contributesTo", "id-s1", "structuralChain", frozenset({"id-r-clerk-proc", "id-r-proc-s1"})),
        ("id-s", "operatedBy", "id-insurer", "structuralChain", frozenset({"id-r-insurer-role", "id-r-role-s"})),
    }  # fmt: skip


def test_derived_links_are_in_the_graph_and_a_chain_too_long_is_not(db):
    result = db.query(
        f"PREFIX vskg: <{VSKG}> SELECT ?s ?c WHERE {{ GRAPH <{GRAPH}> {{ ?s vskg:supportsCapability ?c }} }}"
    )
    assert {(short(r["s"]), short(r["c"])) for r in result} == {
        ("id-app-crm", "id-cap-intake"),
        ("id-app-pay", "id-cap-pay"),
        ("id-app-loop", "id-cap-assess"),
    }  # Far app is 5 relationships from Payment: past the bound of 4, nothing derived


def rel(identifier: str, source: str, target: str, kind: str = "Serving") -> Concept:
    return Concept(identifier=identifier, kind="relationship", type=kind, source=source, target=target)


def test_a_chain_of_exactly_the_bound_is_derived_and_one_longer_is_not():
    chain = [rel(f"r{i}", f"e{i}", f"e{i + 1}") for i in range(5)]
    deriver = Deriver(chain, max_chain=4)
    found = deriver.derive(["e0", "e1"], lambda i: i == "e5", lambda i, via: True)
    assert [(d.source, d.target, d.rule, d.chain) for d in found] == [
        ("e1", "e5", "dependencyChain", ("r1", "r2", "r3", "r4"))
    ]


def test_a_dense_cycle_ends_and_each_pair_is_derived_once():
    nodes = [f"n{i}" for i in range(6)]
    rels = [rel(f"r{a}-{b}", a, b) for a in nodes for b in nodes if a != b]
    rels.append(rel("r-goal", "n5", "goal", "Realization"))
    deriver = Deriver(rels)
    found = deriver.derive(nodes[:5], lambda i: i == "goal", lambda i, via: True)
    assert [(d.source, d.rule, d.chain) for d in found] == [
        (f"n{i}", "dependencyChain", (f"rn{i}-n5", "r-goal")) for i in range(5)
    ]
    assert not deriver.exhausted


def test_the_step_budget_stops_the_walk():
    rels = [rel(f"r{i}", f"e{i}", f"e{i + 1}") for i in range(10)]
    deriver = Deriver(rels, max_steps=2)
    assert deriver.derive(["e0", "e5"], lambda i: i == "e3", lambda i, via: True) == []
    assert deriver.exhausted


def test_structural_chains_imply_the_weakest_relationship():
    rels = [rel("a", "x", "y", "Composition"), rel("b", "y", "z", "Assignment"), rel("c", "z", "g", "Aggregation")]
    found = Deriver(rels).derive(["x"], lambda i: i == "g", lambda i, via: True, accept={"Assignment"})
    assert [(d.type, d.rule, d.chain) for d in found] == [("Assignment", "structuralChain", ("a", "b", "c"))]
