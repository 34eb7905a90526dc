"""The standing report's worker (vskg.service.validation) with stand-in checkers: coalescing, stale steps, failures,
shutdown, and the report as RDF."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pyoxigraph
import pytest
from pyoxigraph import NamedNode, Quad, Triple

from vskg.graphs import REPORT_GRAPH
from vskg.service.validation import Standing, StandingValidation, combined, report_quads, report_triples
from vskg.validation.delta import Delta
from vskg.validation.findings import Finding

SH = "http://www.w3.org/ns/shacl#"
BOUND = 30.0  # seconds a poll may take before the test gives up (never reached when the code is right)


def finding(focus: str, severity: str = "Violation", value: str | None = None, path: str | None = None) -> Finding:
    return Finding(severity, focus, "urn:shape", "broken", path, value, SH + "MinCountConstraintComponent")


def change(n: int) -> Delta:
    return Delta.of(added=[Triple(NamedNode(f"urn:s{n}"), NamedNode("urn:p"), NamedNode("urn:o"))])


class RecordingStore:
    """Only what the worker writes: the report graph, recorded."""

    def __init__(self) -> None:
        self.written: list[list[Quad]] = []

    def replace_graph(self, graph: str, quads) -> None:
        assert graph == REPORT_GRAPH
        self.written.append(list(quads))


class Gated:
    """A checker whose `after` waits for the test to open its gate; records what it was given."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.calls: list[Delta] = []
        self.stops = 0
        self.closed = False

    def full(self, store) -> list[Finding]:
        return [finding("urn:first")]

    def after(self, store, change: Delta, previous: list[Finding]) -> list[Finding]:
        self.calls.append(change)
        self.entered.set()
        self.gate.wait(BOUND)
        return [*previous, finding(f"urn:after{len(self.calls)}")]

    def stop(self) -> None:
        self.stops += 1

    def close(self) -> None:
        self.closed = True
        self.gate.set()


def until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + BOUND
    while not condition():
        assert time.monotonic() < deadline, "the standing report did not get there"
        time.sleep(0.01)


def started(checker, store=None) -> StandingValidation:
    standing = StandingValidation(store or RecordingStore(), checker)
    standing.start()
    return standing


def test_the_first_report_is_a_full_run_and_is_written_to_the_report_graph() -> None:
    store, checker = RecordingStore(), Gated()
    standing = started(checker, store)
    try:
        until(lambda: standing.standing().state == "current")
        view = standing.standing()
        assert (view.findings, view.as_of, view.latest) == ((finding("urn:first"),), 0, 0)
        report, as_of, latest = standing.current()
        assert (report.conforms, report.findings, as_of, latest) == (False, [finding("urn:first")], 0, 0)
        (quads,) = store.written
        assert len(quads) == 9  # the report (type, conforms, result) and its one result (type and five facts)
        assert {q.graph_name for q in quads} == {NamedNode(REPORT_GRAPH)}
    finally:
        standing.close()


def test_writes_during_a_step_coalesce_and_the_stale_step_is_not_published() -> None:
    store, checker = RecordingStore(), Gated()
    standing = started(checker, store)
    try:
        until(lambda: standing.standing().state == "current")
        standing.written(1, change(1))
        assert checker.entered.wait(BOUND)
        view = standing.standing()
        assert (view.as_of, view.latest, view.state, view.checking) == (0, 1, "checking", True)
        standing.written(2, change(2))
        standing.written(3, Delta.unknown())  # a failed write: what it did is not known
        assert checker.stops == 2  # each newer write stops the step in progress
        checker.gate.set()
        until(lambda: standing.standing().as_of == 3)
        # The step for write 1 ran to its end but was overtaken: not published, it is the base of one more step,
        # which covered writes 2 and 3 together.
        assert checker.calls[:1] == [change(1)]
        assert len(checker.calls) == 2 and not checker.calls[1].known
        view = standing.standing()
        assert view.findings == (finding("urn:first"), finding("urn:after1"), finding("urn:after2"))
        assert (view.as_of, view.latest, view.state) == (3, 3, "current")
        assert len(store.written) == 2  # the first report and the one of write 3: never the stale one
    finally:
        standing.close()


def test_an_overtaken_step_is_the_base_of_the_next_which_covers_only_later_writes() -> None:
    store, checker = RecordingStore(), Gated()
    standing = started(checker, store)
    try:
        until(lambda: standing.standing().state == "current")
        standing.written(1, change(1))
        assert checker.entered.wait(BOUND)
        standing.written(2, change(2))
        checker.gate.set()
        until(lambda: standing.standing().as_of == 2)
        assert checker.calls == [change(1), change(2)]  # write 1 is not checked again
        assert standing.standing().findings == (finding("urn:first"), finding("urn:after1"), finding("urn:after2"))
        assert len(store.written) == 2
    finally:
        standing.close()


def test_the_deltas_of_coalesced_writes_are_passed_together() -> None:
    merged = combined([change(1), change(2)])
    assert merged == Delta(change(1).added | change(2).added, frozenset())
    assert not combined([change(1), Delta.unknown()]).known
    removed = Delta.of(removed=change(1).added)
    assert combined([change(1), removed]) == Delta(change(1).added, change(1).added)  # both sides: re-checked


class Failing:
    def __init__(self, full_fails: bool) -> None:
        self.full_fails = full_fails

    def full(self, store) -> list[Finding]:
        if self.full_fails:
            raise RuntimeError("the engine broke")
        return [finding("urn:first", "Warning")]

    def after(self, store, change: Delta, previous: list[Finding]) -> list[Finding]:
        raise ValueError("no incremental step today")


def test_a_failing_first_run_is_a_failed_state_with_the_reason() -> None:
    standing = started(Failing(full_fails=True))
    try:
        until(lambda: standing.standing().state == "failed")
        assert standing.standing() == Standing(None, None, 0, "the engine broke")
        assert standing.current() == (None, None, 0)
        standing.written(1, change(1))  # a write tries again (and fails again)
        until(lambda: standing.standing().error and standing.standing().latest == 1)
        assert standing.standing() == Standing(None, None, 1, "the engine broke")
    finally:
        standing.close()


def test_a_failing_step_keeps_the_last_report_beside_the_reason() -> None:
    standing = started(Failing(full_fails=False))
    try:
        until(lambda: standing.standing().state == "current")
        standing.written(1, change(1))
        until(lambda: standing.standing().state == "failed")
        view = standing.standing()
        assert view == Standing((finding("urn:first", "Warning"),), 0, 1, "no incremental step today")
        assert view.as_dict() == {
            "conforms": True,
            "counts": {"Violation": 0, "Warning": 1, "Info": 0},
            "results": [
                {
                    "severity": "Warning",
                    "focus_node": "urn:first",
                    "source_shape": "urn:shape",
                    "message": "broken",
                    "path": None,
                    "value": None,
                    "constraint": SH + "MinCountConstraintComponent",
                }
            ],
            "as_of": 0,
            "latest": 1,
            "current": False,
            "state": "failed",
            "error": "no incremental step today",
        }
    finally:
        standing.close()


def test_closing_stops_the_step_in_progress_and_the_worker() -> None:
    checker = Gated()
    standing = started(checker)
    until(lambda: standing.standing().state == "current")
    standing.written(1, change(1))
    assert checker.entered.wait(BOUND)
    standing.close()
    assert checker.closed
    assert not [t for t in threading.enumerate() if t.name == "vskg-standing-validation"]
    view = standing.standing()
    assert (view.as_of, view.latest, view.error) == (0, 1, "")  # stopped for shutdown: not a failure


def test_a_report_graph_that_cannot_be_written_is_a_failure_not_a_crash() -> None:
    class Refusing(RecordingStore):
        def replace_graph(self, graph: str, quads) -> None:
            raise OSError("the backend is down")

    standing = started(Gated(), Refusing())
    try:
        until(lambda: standing.standing().state == "failed")
        assert standing.standing().error == f"the report could not be written to <{REPORT_GRAPH}>: the backend is down"
    finally:
        standing.close()


def test_the_report_graph_is_a_shacl_validation_report() -> None:
    findings = [
        finding("https://example.org/a", value="https://example.org/Thing", path="https://example.org/p"),
        finding("_:b0", "Info", value="2.5", path="(^<https://example.org/p>)*"),
    ]
    store = pyoxigraph.Store()
    store.extend(report_quads(findings))
    rows = store.query(
        f"""PREFIX sh: <{SH}>
        SELECT ?conforms ?focus ?severity ?path ?value WHERE {{ GRAPH <{REPORT_GRAPH}> {{
            ?report a sh:ValidationReport ; sh:conforms ?conforms ; sh:result ?r .
            ?r a sh:ValidationResult ; sh:focusNode ?focus ; sh:resultSeverity ?severity ; sh:resultPath ?path ;
               sh:value ?value ; sh:sourceShape <urn:shape> ; sh:resultMessage "broken" ;
               sh:sourceConstraintComponent sh:MinCountConstraintComponent }} }} ORDER BY ?severity"""
    )
    got = [tuple(row[name] for name in ("conforms", "focus", "severity", "path", "value")) for row in rows]
    false = pyoxigraph.Literal("false", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    assert got[0][:1] == (false,) and got[1][:1] == (false,)
    assert got[0][2:] == (
        NamedNode(SH + "Info"),
        pyoxigraph.Literal("(^<https://example.org/p>)*"),
        pyoxigraph.Literal("2.5"),
    )
    assert isinstance(got[0][1], pyoxigraph.BlankNode)
    assert got[1][1:] == (
        NamedNode("https://example.org/a"),
        NamedNode(SH + "Violation"),
        NamedNode("https://example.org/p"),
        NamedNode("https://example.org/Thing"),
    )
    assert len(report_triples([])) == 2  # an empty report: the report node and sh:conforms true


@pytest.mark.parametrize(
    "error, findings, as_of, latest, state",
    [
        ("", None, None, 0, "running"),
        ("x", None, None, 0, "failed"),
        ("", (), 2, 2, "current"),
        ("", (), 1, 2, "checking"),
        ("x", (), 1, 2, "failed"),
    ],
)
def test_the_states_a_reader_sees(error, findings, as_of, latest, state) -> None:
    assert Standing(findings, as_of, latest, error).state == state
