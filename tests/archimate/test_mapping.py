"""The vskg reading of imported models: stages, order, enabling capabilities, systems, units, value items."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.archimate.conftest import FIXTURES
from vskg.archimate.importer import import_file
from vskg.store import LocalStore

GRAPH = "https://w3id.org/vskg/graph/archimate/id-fixture-model"
BASE = "https://w3id.org/vskg/archimate/model/id-fixture-model/"
PREFIXES = (
    f"PREFIX b: <{BASE}> PREFIX vskg: <https://w3id.org/vskg/ontology#> PREFIX am: <https://w3id.org/vskg/archimate#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX org: <http://www.w3.org/ns/org#> "
)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    db = LocalStore(tmp_path_factory.mktemp("mapping") / "store")
    summary = import_file(db, FIXTURES / "value-streams.xml")
    yield db, summary
    db.close()


def rows(db: LocalStore, where: str, *names: str) -> set[tuple]:
    result = db.query(f"{PREFIXES} SELECT * WHERE {{ GRAPH <{GRAPH}> {{ {where} }} }}")
    return {tuple(r[n].value.removeprefix(BASE) for n in names) for r in result}


def test_stages_and_their_order_follow_the_flow_and_triggering_chain(imported):
    db, _ = imported
    assert rows(db, "?s vskg:stageOf b:id-stream ; vskg:stageOrder ?o", "s", "o") == {
        ("id-apply", "1"),
        ("id-assess", "2"),
        ("id-fund", "3"),
    }
    assert rows(db, "?a vskg:nextStage ?b", "a", "b") == {
        ("id-apply", "id-assess"),
        ("id-assess", "id-fund"),
        ("id-p", "id-q"),  # a fork: Q and R run in parallel after P
        ("id-p", "id-r"),
    }
    assert rows(db, "?s a vskg:ValueStream", "s") == {("id-stream",), ("id-broken",), ("id-ambiguous",)}
    assert len(rows(db, "?s a vskg:ValueStreamStage", "s")) == 9
    assert rows(db, "b:id-stream vskg:hasStage ?s", "s") == {("id-apply",), ("id-assess",), ("id-fund",)}


def test_a_broken_chain_asserts_no_order_and_a_fork_is_a_parallel_block(imported):
    db, summary = imported
    assert rows(db, "?s vskg:stageOf b:id-broken ; vskg:stageOrder ?o", "s") == set()
    # P leads to both Q and R: the two run side by side after P
    assert rows(db, "?s vskg:stageOf b:id-ambiguous ; vskg:stageOrder ?o", "s", "o") == {
        ("id-p", "1"),
        ("id-q", "2"),
        ("id-r", "2"),
    }
    assert rows(db, "?a vskg:runsInParallelWith ?b", "a", "b") == {("id-q", "id-r"), ("id-r", "id-q")}
    assert summary.warnings == [
        "stage order of value stream id-broken ('Broken stream') is not asserted: the Flow/Triggering chain is "
        "broken: 2 stages have no predecessor (id-x ('X'), id-z ('Z'))",
    ]
    assert len(rows(db, "?a am:warning ?w", "w")) == 1


def test_stages_that_join_share_a_position_and_a_skipping_flow_is_ambiguous(tmp_path):
    db = LocalStore(tmp_path / "store")
    try:
        summary = import_file(db, FIXTURES / "stage-flows.xml")
        base = "https://w3id.org/vskg/archimate/model/id-flows/"
        found = db.query(f"{PREFIXES} SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s vskg:stageOrder ?o }} }}")
        assert {(r["s"].value.removeprefix(base), r["o"].value) for r in found} == {
            ("id-plan-a", "1"),
            ("id-plan-b", "1"),
            ("id-build", "2"),
        }
        assert summary.warnings == [
            "stage order of value stream id-skip ('Skip') is not asserted: the Flow/Triggering chain is ambiguous: "
            "id-one ('One') leads to id-three ('Three'), which it also reaches through other stages"
        ]
    finally:
        db.close()


def test_capabilities_systems_units_and_outcomes(imported):
    db, _ = imported
    assert rows(db, "?s vskg:enabledBy ?c", "s", "c") == {("id-assess", "id-cap-scoring")}
    assert rows(db, "?c vskg:subCapabilityOf ?p", "c", "p") == {("id-cap-scoring", "id-cap-risk")}
    assert rows(db, "?a a vskg:ApplicationSystem ; vskg:supportsStage ?s", "a", "s") == {("id-app", "id-fund")}
    assert rows(db, "?a vskg:supportsCapability ?c", "a", "c") == {("id-app", "id-cap-scoring")}
    assert rows(db, "?a vskg:runsOn ?n . ?n a vskg:TechnologyPlatform", "a", "n") == {("id-app", "id-node")}
    assert rows(db, "?u a vskg:OrganisationUnit ; vskg:contributesTo ?s", "u", "s") == {("id-actor", "id-apply")}
    assert rows(db, "?r a org:Role", "r") == {("id-role",)}
    assert rows(db, "?s vskg:deliversOutcome ?o . ?o a vskg:Outcome", "s", "o") == {("id-stream", "id-outcome")}
    # a Resource has no vskg counterpart and stays an am:Element only
    assert rows(db, "b:id-resource a ?t", "t") == {("https://w3id.org/vskg/archimate#Element",)}


def test_value_associated_with_a_flow_is_produced_by_the_flow_source(imported):
    db, _ = imported
    assert rows(db, "?s vskg:producesValueItem ?v . ?v a vskg:ValueItem", "s", "v") == {("id-apply", "id-value")}
    # the association's target is the Flow relationship itself, which keeps its property
    assert rows(db, "b:id-r-value am:target ?f . ?f am:type 'Flow' ; am:hasProperty [ am:value ?v ]", "f", "v") == {
        ("id-r-flow1", "4")
    }


def test_names_in_every_language_and_a_label_in_the_first(imported):
    db, _ = imported
    names = {
        (r["n"].value, r["n"].language)
        for r in db.query(f"{PREFIXES} SELECT ?n WHERE {{ GRAPH <{GRAPH}> {{ <{BASE}id-stream> am:name ?n }} }}")
    }
    assert names == {("Mortgage lending", "en"), ("Prêt immobilier", "fr")}
    labels = [
        (r["l"].value, r["l"].language)
        for r in db.query(f"{PREFIXES} SELECT ?l WHERE {{ GRAPH <{GRAPH}> {{ <{BASE}id-stream> rdfs:label ?l }} }}")
    ]
    assert labels == [("Mortgage lending", "en")]
    assert rows(db, "b:id-x rdfs:label ?l", "l") == {("X",)}


def test_summary_counts(imported):
    _, summary = imported
    assert summary.vskg == {
        "ApplicationSystem": 1,
        "Capability": 2,
        "Handoff": 5,
        "OrganisationUnit": 1,
        "Outcome": 1,
        "Role": 1,
        "TechnologyPlatform": 1,
        "ValueItem": 1,
        "ValueStream": 3,
        "ValueStreamStage": 9,
    }
    assert (summary.organizations, summary.views, summary.views_skipped, summary.properties) == (3, 1, 0, 4)


def test_a_single_flow_chain_in_reverse_file_order(tmp_path: Path):
    xml = (FIXTURES / "value-streams.xml").read_text(encoding="utf-8")
    extra = '    <relationship identifier="id-r-bflow2" source="id-y" target="id-x" xsi:type="Triggering"/>'
    xml = xml.replace(
        'source="id-x" target="id-y" xsi:type="Flow"/>', 'source="id-z" target="id-y" xsi:type="Flow"/>\n' + extra
    )
    path = tmp_path / "ordered.xml"
    path.write_text(xml, encoding="utf-8")
    db = LocalStore(tmp_path / "store")
    try:
        summary = import_file(db, path)
        assert rows(db, "?s vskg:stageOf b:id-broken ; vskg:stageOrder ?o", "s", "o") == {
            ("id-z", "1"),
            ("id-y", "2"),
            ("id-x", "3"),
        }
        assert summary.warnings == []  # the other stream's fork is a parallel block, not a warning
    finally:
        db.close()
