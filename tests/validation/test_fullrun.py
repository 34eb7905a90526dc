"""The union run corrected for the left-out graphs (vskg.validation.fullrun) against the listed run, exactly.

Each broken and valid fixture goes into a store that also holds what the data view leaves out, the way a served
store does: the bundled shapes in their graphs, a standing report graph (the listed run's own findings), and a
staging graph holding the valid minimal model. The fixtures and the minimal model describe the same nodes, so the
staging graph alone would silence many findings and make others (a label here, a second stage order there): the
union is wrong for most fixtures, and the corrected run must still give exactly the listed run's findings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import BlankNode, NamedNode, Quad

from vskg.graphs import REPORT_GRAPH, bundled_sources
from vskg.rdfio import parse_file
from vskg.resources import locate
from vskg.service.validation import report_quads
from vskg.store import STAGING_PREFIX, LocalStore
from vskg.validation import fullrun
from vskg.validation.engine import results, vocabulary_store
from vskg.validation.findings import finding_order

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
MODELS = sorted((FIXTURES / "invalid").glob("*.ttl")) + sorted((FIXTURES / "valid").glob("*.ttl"))
MINIMAL = FIXTURES / "valid" / "minimal.ttl"
STAGING = STAGING_PREFIX + "test"
VSKG = "https://w3id.org/vskg/ontology#"
EX = "https://w3id.org/vskg/data/test/"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def served(path: Path) -> LocalStore:
    """The fixture in its graph beside the vocabulary, with shapes, a report and a staging graph."""
    store = vocabulary_store()
    graph = path.resolve().as_uri()
    store.add_to_graph(graph, list(parse_file(path, graph)))
    for source, name in bundled_sources(locate(), with_data=False, with_shapes=True):
        if "/shapes/" in name:
            store.add_to_graph(name, list(parse_file(source, name)))
    store.add_to_graph(STAGING, list(parse_file(MINIMAL, STAGING)))
    listed = sorted((f for f, _ in results(store)), key=finding_order)
    store.add_to_graph(REPORT_GRAPH, report_quads(listed))
    return store


def findings(found: list) -> list:
    return sorted((f for f, _ in found), key=finding_order)


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_the_corrected_union_run_equals_the_listed_run(path: Path) -> None:
    store = served(path)
    listed = findings(results(store))
    assert findings(fullrun.full_results(store)) == listed


def test_the_union_alone_is_wrong_for_most_fixtures() -> None:
    """Guards the test above against passing vacuously: the left-out graphs do change the union's findings."""
    store = served(FIXTURES / "invalid" / "missing-label.ttl")
    listed = findings(results(store))
    union = findings(results(store, dataset=fullrun.UNION))
    assert any(f.source_shape.endswith("#LabelShape") and f.focus_node == EX + "decision" for f in listed)
    assert not any(f.source_shape.endswith("#LabelShape") and f.focus_node == EX + "decision" for f in union)
    differing = 0
    for path in MODELS:
        store = served(path)
        differing += findings(results(store)) != findings(results(store, dataset=fullrun.UNION))
    assert (differing, len(MODELS)) == (42, 52)


def test_nodes_only_the_left_out_graphs_describe_are_not_judged() -> None:
    """A stage typed only in a shapes graph (an IRI, and a blank node) has union findings; the view has neither."""
    store = served(MINIMAL)
    shapes_graph = NamedNode("https://w3id.org/vskg/graph/shapes/extra")
    store.add_to_graph(
        shapes_graph.value,
        [
            Quad(NamedNode(EX + "ghost-stage"), RDF_TYPE, NamedNode(VSKG + "ValueStreamStage"), shapes_graph),
            Quad(BlankNode(), RDF_TYPE, NamedNode(VSKG + "ValueStreamStage"), shapes_graph),
        ],
    )
    union = findings(results(store, dataset=fullrun.UNION))
    assert {f.focus_node for f in union} >= {EX + "ghost-stage"}
    assert any(not f.focus_node.startswith("http") for f in union)
    corrected = findings(fullrun.full_results(store))
    assert corrected == findings(results(store))
    assert all(f.focus_node.startswith(EX) and f.focus_node != EX + "ghost-stage" for f in corrected)


def test_a_store_without_left_out_graphs_is_read_as_the_union_directly() -> None:
    store = vocabulary_store()
    store.add_to_graph("urn:test:model", list(parse_file(FIXTURES / "invalid" / "missing-label.ttl", "urn:test:model")))
    assert findings(fullrun.full_results(store)) == findings(results(store))
    assert len(findings(results(store))) == 1
