"""The standing report's pyshacl checker: a child process that gives the in-process findings, reads the data view
(never the report graph), and can be stopped or runs into its time limit."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest

from vskg.analytics.live import Change
from vskg.graphs import REPORT_GRAPH
from vskg.service.shacl_process import PyshaclChecker, Stopped, data_view, validate_text
from vskg.store import LocalStore
from vskg.validate import validate_quads

STREAM = """
@prefix vskg: <https://w3id.org/vskg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/c/> .
ex:s a vskg:OperationalValueStream ; rdfs:label "S"@en ; vskg:hasStage ex:a .
ex:a a vskg:ValueStreamStage ; rdfs:label "A"@en ; vskg:stageOf ex:s ; vskg:stageOrder 1 ;
    vskg:leadTimeHours -4.0 .
"""
BROKEN_STAGE = "<https://example.org/c/b> a <https://w3id.org/vskg/ontology#ValueStreamStage> ."
GRAPH = "https://example.org/g"


def quads(text: str, graph: str, fmt=pyoxigraph.RdfFormat.TURTLE) -> list[pyoxigraph.Quad]:
    node = pyoxigraph.NamedNode(graph)
    return [
        pyoxigraph.Quad(t.subject, t.predicate, t.object, node) for t in pyoxigraph.parse(text.encode(), format=fmt)
    ]


@pytest.fixture
def small_store(tmp_path: Path) -> Iterator[LocalStore]:
    db = LocalStore(tmp_path / "store")
    db.add_to_graph(GRAPH, quads(STREAM, GRAPH))
    db.add_to_graph(REPORT_GRAPH, quads(BROKEN_STAGE, REPORT_GRAPH))  # would be a violation if it were validated
    yield db
    db.close()


def test_the_child_finds_what_validation_in_process_finds_and_never_reads_the_report_graph(small_store) -> None:
    checker = PyshaclChecker()
    findings = checker.full(small_store)
    expected = validate_quads(quads(STREAM, GRAPH)).findings
    assert findings == expected == validate_text(data_view(small_store))
    assert any(f.severity == "Violation" and f.focus_node == "https://example.org/c/a" for f in findings)
    assert not [f for f in findings if f.focus_node == "https://example.org/c/b"]
    # Until an incremental engine lands, the step after a write is a full run.
    assert checker.after(small_store, Change.unknown(), []) == expected


def test_stopping_ends_the_run_in_progress(small_store) -> None:
    checker = PyshaclChecker()
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(checker.full(small_store))
        except Stopped as stopped:
            outcome.append(stopped)

    worker = threading.Thread(target=run)
    worker.start()
    while not checker.running and worker.is_alive():
        threading.Event().wait(0.01)
    assert checker.running  # the child is validating
    checker.close()
    worker.join(30)
    assert not checker.running
    assert len(outcome) == 1 and isinstance(outcome[0], Stopped)
    with pytest.raises(Stopped):  # closed: no later run starts
        checker.full(small_store)


def test_a_run_past_its_limit_is_stopped_and_fails(small_store) -> None:
    checker = PyshaclChecker(limit=0.01)  # starting the child alone takes longer
    with pytest.raises(RuntimeError, match=r"^the validation took longer than 0.01 s and was stopped$"):
        checker.full(small_store)
