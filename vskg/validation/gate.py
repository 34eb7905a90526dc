"""Writes that keep the model valid: a write that would add a SHACL Violation is undone and refused.

Used by the service in gated mode (`vskg serve --validate-writes`) and by ``vskg load --strict`` and ``vskg import
... --strict``. `guarded` measures the write before it runs (`vskg.validation.delta.measure`), runs it, asks
`added_findings` which findings it added, and when one is a Violation puts every graph it touched back as it was
(`vskg.validation.delta.undo`) and raises `WriteRefused` with them; otherwise it returns them (Warnings and Infos)
with the write's own result. A write whose effect cannot be worked out beforehand is not run (`Unmeasurable`).

A `Check` decides what a write added; `FocusCheck`, the one in use, validates only the part of the model the write
can change (`vskg.validation.incremental.affected`), once before the write and once after, with the compiled engine,
and takes the first's findings from the second's, as multisets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any, Protocol, TypeVar

from pyoxigraph import Quad

from vskg.analytics.live import Change
from vskg.graphs import bundled_sources
from vskg.rdfio import parse_file
from vskg.resources import locate
from vskg.store import Backend
from vskg.validation.delta import Delta, Measured, undo
from vskg.validation.findings import Finding, finding_order
from vskg.validation.fullrun import engine_runner
from vskg.validation.incremental import Focus, affected, relisted

T = TypeVar("T")


class WriteRefused(Exception):
    """The write would add Violations; it was undone. ``findings``: every finding it would have added."""

    def __init__(self, findings: list[Finding], exact: bool = True) -> None:
        self.findings = findings
        self.exact = exact  # False: the undo may have given blank nodes new labels (see `delta.undo`)
        count = sum(1 for f in findings if f.severity == "Violation")
        super().__init__(f"the write would add {count} SHACL violation{'s' if count != 1 else ''}; nothing was written")


class Unmeasurable(Exception):
    """What the write would change cannot be worked out before it runs, so it is not run (the message says why)."""


@dataclass(frozen=True)
class Guarded:
    result: Any
    findings: list[Finding]  # what the write added: Warnings and Infos only (Violations refuse it)
    delta: Delta  # what the write changed in the data view


def import_change(store: Backend, graph: str, quads: Iterable[Quad]) -> Change:
    """What an import writes: its graph replaced by ``quads``, and each bundled ontology and scheme graph that the
    store lacks added (`vskg.store.bundled.ensure_vocabulary`, which imports call after writing the graph)."""
    steps = [("put", graph, list(quads))]
    for path, vocabulary in bundled_sources(locate(), with_data=False):
        if not store.has_graph(vocabulary):
            steps.append(("put", vocabulary, parse_file(path, vocabulary)))
    return Change(steps)


class Check(Protocol):
    """Decides what a write added: ``before`` looks at the store before the write, ``after`` after it."""

    def before(self, store: Backend, delta: Delta) -> object: ...
    def after(self, store: Backend, probe: object) -> list[Finding]: ...


@dataclass(frozen=True)
class Probe:
    focus: Focus | None  # what the write can change (None: everything)
    found: list[Finding]  # the findings of that part before the write


class FocusCheck:
    """The findings a write adds, from the part of the model the write can change, checked before and after it.

    Which part: `incremental.affected` of the write's inverse, read on the store before the write. That is what the
    write's undoing could change, and the (top shape, node) pairs whose results differ between the two states are
    the same whichever way one goes; so pairs outside it give equal findings before and after. A whole top shape is
    listed again after the write (`incremental.relisted`), since the write may have made new targets; those had no
    findings before. Both runs are the compiled engine's (``timeout`` bounds each, QueryTimeout when passed).
    """

    def __init__(self, timeout: float | None = None, shapes: object | None = None) -> None:
        self.timeout = timeout
        self.shapes = shapes

    def before(self, store: Backend, delta: Delta) -> Probe:
        focus = affected(store, delta.inverse(), self.shapes)
        return Probe(focus, engine_runner(store, timeout=self.timeout)(focus))

    def after(self, store: Backend, probe: object) -> list[Finding]:
        assert isinstance(probe, Probe)
        focus = None if probe.focus is None else relisted(store, probe.focus, self.shapes)
        found = engine_runner(store, timeout=self.timeout)(focus)
        return sorted((Counter(found) - Counter(probe.found)).elements(), key=finding_order)


def guarded(
    store: Backend,
    measured: Callable[[Backend], Measured],
    action: Callable[..., T],
    *args: Any,
    check: Check | None = None,
) -> Guarded:
    """Run ``action(store, *args)`` as a gated write (see the module); raises WriteRefused or Unmeasurable.

    ``measured(store)`` is called first, on the store before the write; a check that fails (a deadline, a crash)
    undoes the write as well and lets its error through.
    """
    measurement = measured(store)
    if not measurement.delta.known:
        raise Unmeasurable("what this write would change cannot be worked out before it runs")
    check = check or FocusCheck()
    probe = check.before(store, measurement.delta)
    result = action(store, *args)
    try:
        findings = check.after(store, probe)
    except BaseException:
        undo(store, measurement.effects)
        raise
    if any(f.severity == "Violation" for f in findings):
        raise WriteRefused(findings, undo(store, measurement.effects))
    return Guarded(result, findings, measurement.delta)


SEVERITIES = ("Violation", "Warning", "Info")


def report_of(findings: Iterable[Finding]) -> dict:
    """The findings as POST /validate reports them: conforms, counts by severity, results (worst first)."""
    order = {name: rank for rank, name in enumerate(SEVERITIES)}
    listed = sorted(findings, key=lambda f: (order.get(f.severity, len(order)), f.focus_node, f.source_shape))
    return {
        "conforms": not any(f.severity == "Violation" for f in listed),
        "counts": {name: sum(1 for f in listed if f.severity == name) for name in SEVERITIES},
        "results": [asdict(f) for f in listed],
    }
