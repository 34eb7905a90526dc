"""The standing SHACL report of the service's store: always at hand, kept current write by write, never waited for.

Why: validating a whole store takes from seconds to minutes, too long for a request, and a report computed on demand
per page made the first reader after a write wait (and at a million triples never see an answer). So the service
owns one report. A full run starts in the background when the service starts; after each write (every write goes
through `vskg.service.deps.run_write`, which calls `written` with the write's number and its `Delta`, measured just
before the write) a step brings
the report up to date in a background thread. Readers call `current()` or `standing()` and get the last published
report at once, with the write it is current as of and the latest write, so a page can say "checking the latest
change" while a newer one is computed.

The work itself is behind a small seam, a *checker*: ``full(store)`` gives every finding of the store's data view,
``after(store, delta, previous)`` the findings after a write, given those before it. The service's checker is
`vskg.validation.fullrun.EngineChecker`: the compiled engine in full at start, then only what each delta can
affect. It runs in a thread: the work is the store's (queries), so the interpreter lock is not held for long. A
checker may also offer ``stop()`` (abandon the step in progress, which then raises) and ``close()``.

Rules of the worker:
- Writes that land while a step runs coalesce: the next step covers all of them (their changes in order).
- A step is published only if no write landed while it ran (its state is gone otherwise, and the next step follows);
  a write that lands during a step stops it if the checker can stop. A step that ran to its end all the same is
  kept as the base of the next one, which then covers only the writes after it.
- A step that fails leaves the last report as it is and records why (`Standing.error`); the next write tries again.
  The worker never lets an exception out, so a failing checker never takes the service down.
- Publishing writes the report to the named graph `vskg.graphs.REPORT_GRAPH` through the store interface (so SPARQL
  can query it, on a remote backend too) before readers see it. That write is not a user write: it does not go
  through `run_write`, so it neither moves the write count the caches use nor starts another step, and the graph is
  never part of the data view the checker validates.

The write number comes from the service's write count (`deps.store_state`). Reads are not coordinated with writes (the
store answers each read from a snapshot), so a step that runs while a write is being applied can see that write
before its number is counted; the step that follows the count re-checks it, so the published report is right again
one step later.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import NamedTuple, Protocol

from fastapi import Request
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, serialize
from starlette.datastructures import State

from vskg.graphs import REPORT_GRAPH
from vskg.store import Backend
from vskg.validation.delta import Delta
from vskg.validation.findings import SEVERITY_ORDER, Finding, Report, finding_order

log = logging.getLogger(__name__)

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_BOOLEAN = NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
SEVERITIES = ("Violation", "Warning", "Info")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


class Checker(Protocol):
    """What the standing report needs of a validation engine (see the module docstring)."""

    def full(self, store: Backend) -> list[Finding]: ...
    def after(self, store: Backend, delta: Delta, previous: list[Finding]) -> list[Finding]: ...


class Current(NamedTuple):
    report: Report | None  # None until the first run has finished
    as_of: int | None  # the write the report is current as of
    latest: int  # the latest write


@dataclass(frozen=True)
class Standing:
    """The standing report as a reader sees it at one moment."""

    findings: tuple[Finding, ...] | None  # None: no report yet
    as_of: int | None
    latest: int
    error: str = ""  # why the last step failed, while no later step has started

    @property
    def state(self) -> str:
        """'running' (no report yet), 'failed' (the last step failed), 'current', or 'checking' (a newer one runs)."""
        if self.error:
            return "failed"
        if self.findings is None:
            return "running"
        return "current" if self.as_of == self.latest else "checking"

    @property
    def current(self) -> bool:
        return self.findings is not None and self.as_of == self.latest

    @property
    def checking(self) -> bool:
        """A newer report is being computed."""
        return not self.error and (self.findings is None or self.as_of != self.latest)

    def counts(self) -> dict[str, int]:
        return {name: sum(1 for f in self.findings or () if f.severity == name) for name in SEVERITIES}

    @property
    def conforms(self) -> bool:
        return self.findings is not None and not any(f.severity == "Violation" for f in self.findings)

    def as_dict(self) -> dict:
        """The JSON of GET /validate: the report, the write it is current as of, and the latest write."""
        body = {
            "conforms": self.conforms,
            "counts": self.counts(),
            "results": [asdict(f) for f in worst_first(self.findings or ())],
            "as_of": self.as_of,
            "latest": self.latest,
            "current": self.current,
            "state": self.state,
        }
        if self.error:
            body["error"] = self.error
        return body

    def turtle(self) -> bytes:
        """The report as a SHACL validation report graph in Turtle."""
        return serialize(report_triples(self.findings or ()), format=RdfFormat.TURTLE, prefixes={"sh": SH}) or b""


def worst_first(findings: Sequence[Finding]) -> list[Finding]:
    """Findings in the order reports list them: Violations first, then by focus node and shape."""
    return sorted(
        findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.focus_node, f.source_shape, *finding_order(f))
    )


def combined(deltas: Sequence[Delta]) -> Delta:
    """Several writes' deltas as one (see `Delta.__or__`); unknown if any of them is."""
    total = Delta()
    for delta in deltas:
        total = total | delta
    return total


class StandingValidation:
    """Owns the standing report of ``store``; `start` it once, feed it `written`, read it with `standing`."""

    def __init__(self, store: Backend, checker: Checker, latest: int = 0, *, report_graph: bool = True) -> None:
        self.store = store
        self.checker = checker
        self.report_graph = report_graph  # write the report to REPORT_GRAPH when publishing
        self._cond = threading.Condition()
        self._findings: tuple[Finding, ...] | None = None
        self._as_of: int | None = None
        self._latest = latest
        self._pending: list[tuple[int, Delta]] = []  # the writes after the published report, with their deltas
        # The findings of a step that a newer write overtook, and the write they are of: not published, but the next
        # step starts from them and re-checks only what the writes after it can affect (so a long first run is not
        # thrown away and started again by every write that lands while it runs).
        self._base: tuple[tuple[Finding, ...], int] | None = None
        self._error = ""
        self._failed_at: int | None = None
        self._running: int | None = None  # the write the step in progress is for
        self._closed = False
        self._thread: threading.Thread | None = None

    # --- readers ---------------------------------------------------------------------------------------------------

    def standing(self) -> Standing:
        with self._cond:
            return Standing(self._findings, self._as_of, self._latest, self._error)

    def current(self) -> Current:
        """The last report (None before the first run has finished), the write it is current as of, the latest."""
        view = self.standing()
        if view.findings is None:
            return Current(None, None, view.latest)
        from vskg.validation.findings import Report

        return Current(Report(view.conforms, list(view.findings)), view.as_of, view.latest)

    # --- the service -----------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker; its first step is the full run."""
        self._thread = threading.Thread(target=self._work, name="vskg-standing-validation", daemon=True)
        self._thread.start()

    def written(self, generation: int, delta: Delta) -> None:
        """Write number ``generation`` has been applied; ``delta`` says what it changed (`Delta.unknown`: not known)."""
        with self._cond:
            self._latest = max(self._latest, generation)
            self._pending.append((generation, delta))
            self._error, self._failed_at = "", None
            stale = self._running is not None and self._running < generation
            self._cond.notify_all()
        if stale:
            self._stop_checker()

    def close(self, wait: float = 10.0) -> None:
        """Stop the worker and the step in progress."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        closing = getattr(self.checker, "close", None) or getattr(self.checker, "stop", None)
        if closing is not None:
            closing()
        if self._thread is not None:
            self._thread.join(wait)

    # --- the worker ------------------------------------------------------------------------------------------------

    def _stop_checker(self) -> None:
        stop = getattr(self.checker, "stop", None)
        if stop is not None:
            stop()

    def _due(self) -> bool:
        behind = self._as_of is None or self._as_of < self._latest
        return behind and self._failed_at != self._latest

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._closed and not self._due():
                    self._cond.wait()
                if self._closed:
                    return
                target, previous, since = self._latest, self._findings, self._as_of
                if self._base is not None and (since is None or self._base[1] > since):
                    previous, since = self._base
                changes = [
                    delta
                    for generation, delta in self._pending
                    if generation <= target and (since is None or generation > since)
                ]
                self._running = target
            try:
                findings = self._step(previous, changes)
            except Exception as failure:  # whatever the checker does, the service goes on
                self._failed(target, failure)
                continue
            with self._cond:
                gone = self._closed or self._latest != target
                if gone:
                    self._running = None
                    if not self._closed:
                        self._base = (tuple(findings), target)
                    continue
            try:
                if self.report_graph:
                    self.store.replace_graph(REPORT_GRAPH, report_quads(findings))
            except Exception as failure:
                self._failed(target, RuntimeError(f"the report could not be written to <{REPORT_GRAPH}>: {failure}"))
                continue
            with self._cond:
                self._findings, self._as_of, self._running, self._base = tuple(findings), target, None, None
                self._pending = [(generation, delta) for generation, delta in self._pending if generation > target]

    def _step(self, previous: tuple[Finding, ...] | None, changes: list[Delta]) -> list[Finding]:
        if previous is None:
            return list(self.checker.full(self.store))
        return list(self.checker.after(self.store, combined(changes), list(previous)))

    def _failed(self, target: int, failure: Exception) -> None:
        with self._cond:
            self._running = None
            if self._closed or self._latest != target:
                return  # stopped for a newer write or for shutdown: not a failure
            self._error, self._failed_at = str(failure) or type(failure).__name__, target
        log.warning("the standing validation of write %d failed: %s", target, failure)


# --- the report as RDF -----------------------------------------------------------------------------------------------


def _node(text: str) -> NamedNode | BlankNode:
    if text.startswith("_:"):
        try:
            return BlankNode(text[2:])
        except ValueError:
            return BlankNode()
    return NamedNode(text)


def _value(text: str) -> NamedNode | BlankNode | Literal:
    """A finding's value: an IRI if it reads as an absolute IRI, a blank node for ``_:id``, else a literal."""
    if text.startswith("_:"):
        return _node(text)
    if _IRI.fullmatch(text):
        try:
            return NamedNode(text)
        except ValueError:
            pass
    return Literal(text)


def _path(text: str) -> NamedNode | Literal:
    """A predicate path as its IRI; a complex path as its SPARQL text (a literal)."""
    if _IRI.fullmatch(text):
        try:
            return NamedNode(text)
        except ValueError:
            pass
    return Literal(text)


def report_triples(findings: Sequence[Finding]) -> list[Triple]:
    """A SHACL validation report (sh:ValidationReport with one sh:ValidationResult per finding).

    Findings keep terms as text, so a value reads back as an IRI when it is an absolute IRI and as a plain literal
    otherwise (its datatype is not kept), and a complex result path as a literal holding its SPARQL path text.
    """
    report = BlankNode()
    conforms = not any(f.severity == "Violation" for f in findings)
    triples = [
        Triple(report, RDF_TYPE, NamedNode(SH + "ValidationReport")),
        Triple(report, NamedNode(SH + "conforms"), Literal(str(conforms).lower(), datatype=XSD_BOOLEAN)),
    ]
    for finding in findings:
        result = BlankNode()
        triples += [
            Triple(report, NamedNode(SH + "result"), result),
            Triple(result, RDF_TYPE, NamedNode(SH + "ValidationResult")),
            Triple(result, NamedNode(SH + "focusNode"), _node(finding.focus_node)),
            Triple(result, NamedNode(SH + "resultSeverity"), NamedNode(SH + finding.severity)),
        ]
        if finding.source_shape:
            triples.append(Triple(result, NamedNode(SH + "sourceShape"), _node(finding.source_shape)))
        if finding.message:
            triples.append(Triple(result, NamedNode(SH + "resultMessage"), Literal(finding.message)))
        if finding.path is not None:
            triples.append(Triple(result, NamedNode(SH + "resultPath"), _path(finding.path)))
        if finding.value is not None:
            triples.append(Triple(result, NamedNode(SH + "value"), _value(finding.value)))
        if finding.constraint is not None:
            triples.append(Triple(result, NamedNode(SH + "sourceConstraintComponent"), _node(finding.constraint)))
    return triples


def report_quads(findings: Sequence[Finding]) -> list[Quad]:
    graph = NamedNode(REPORT_GRAPH)
    return [Quad(t.subject, t.predicate, t.object, graph) for t in report_triples(findings)]


# --- access from the app and the routes -----------------------------------------------------------------------------


def written(state: State, generation: int, delta: Delta) -> None:
    """Tell the app's standing report that write ``generation`` happened (called by `deps.run_write`)."""
    standing = getattr(state, "validation", None)
    if standing is not None:
        standing.written(generation, delta)


def standing_of(request: Request) -> StandingValidation:
    return request.app.state.validation
