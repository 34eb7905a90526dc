"""The stream pages' validation runs in a child process, gives the in-process findings, and can be stopped."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest

from vskg.store import LocalStore
from vskg.web import conformance

STREAM = """
@prefix vskg: <https://w3id.org/vskg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/c/> .
ex:s a vskg:OperationalValueStream ; rdfs:label "S"@en ; vskg:hasStage ex:a .
ex:a a vskg:ValueStreamStage ; rdfs:label "A"@en ; vskg:stageOf ex:s ; vskg:stageOrder 1 ;
    vskg:leadTimeHours -4.0 .
"""

GRAPH = "https://example.org/g"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"


@pytest.fixture
def small_store(tmp_path: Path) -> Iterator[LocalStore]:
    db = LocalStore(tmp_path / "store")
    graph = pyoxigraph.NamedNode(GRAPH)
    triples = pyoxigraph.parse(STREAM.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    db.add_to_graph(GRAPH, [pyoxigraph.Quad(t.subject, t.predicate, t.object, graph) for t in triples])
    yield db
    db.close()


def test_the_child_process_finds_what_validation_in_process_finds(small_store: LocalStore) -> None:
    checker = conformance.Checker()
    try:
        findings = checker.report_for(small_store, 0).result(timeout=120)
        expected = conformance._validate(conformance.instance_data(small_store)).findings
        assert findings == tuple(expected)
        assert any(f.severity == "Violation" and f.focus_node == "https://example.org/c/a" for f in findings)
        assert checker.run is not None and not checker.run.process.is_alive()
        # The same store state is answered from the same run; a changed state starts a new one.
        assert checker.report_for(small_store, 0) is checker.run.future
        first = checker.run
        small_store.update(f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <https://example.org/c/a> <{COMMENT}> "changed" }} }}')
        assert checker.report_for(small_store, 1) is not first.future
    finally:
        checker.close()


def test_closing_stops_a_run_that_is_still_going(small_store: LocalStore) -> None:
    checker = conformance.Checker()
    future = checker.report_for(small_store, 0)
    run = checker.run
    assert run is not None and run.process.is_alive()
    checker.close()
    with pytest.raises(RuntimeError, match="the validation process stopped before it finished"):
        future.result(timeout=10)
    assert run.process.exitcode == -signal.SIGKILL  # reaped by the run's own collector, which set the future


def test_a_state_named_by_the_caller_decides_when_to_validate_again(small_store: LocalStore) -> None:
    checker = conformance.Checker()
    try:
        first = checker.report_for(small_store, 0)
        assert checker.report_for(small_store, 0) is first  # same generation: same run, the store is not counted
        assert checker.report_for(small_store, 1) is not first  # the service wrote: a new run
    finally:
        checker.close()
