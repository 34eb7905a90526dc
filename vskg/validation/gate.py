"""Writes that keep the model valid: a write that would add a SHACL Violation is undone and refused.

Used by the service in gated mode (`vskg serve --validate-writes`) and by ``vskg load --strict`` and ``vskg import
... --strict``. `guarded` measures the write before it runs (`vskg.validation.delta.measure`), runs it, asks
`added_findings` which findings it added, and when one is a Violation puts every graph it touched back as it was
(`vskg.validation.delta.undo`) and raises `WriteRefused` with them; otherwise it returns them (Warnings and Infos)
with the write's own result. A write whose effect cannot be worked out beforehand is not run (`Unmeasurable`).

`added_findings` is the one place that decides what a write added. For now it validates the data view after the
write and the data view before it (the same triples with the write's delta taken back: the store itself is not
touched) in full, and takes the second's findings from the first's, as multisets. The incremental step of the
standing report will take its place; its signature stays.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, astuple, dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pyoxigraph import Quad, Triple

from vskg.analytics.live import Change
from vskg.graphs import bundled_sources
from vskg.rdfio import parse_file
from vskg.resources import locate
from vskg.store import Backend
from vskg.validation.delta import Delta, Measured, undo
from vskg.validation.view import in_data_view

if TYPE_CHECKING:  # pyshacl stays out of the service's start: the gate's validations run in the validator child
    from vskg.validate import Finding

T = TypeVar("T")
Validate = Callable[[list[Triple]], list["Finding"]]  # the findings of a data view given as triples


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


def import_change(store: Backend, graph: str, quads: Iterable[Quad]) -> Change:
    """What an import writes: its graph replaced by ``quads``, and each bundled ontology and scheme graph that the
    store lacks added (`vskg.store.bundled.ensure_vocabulary`, which imports call after writing the graph)."""
    steps = [("put", graph, list(quads))]
    for path, vocabulary in bundled_sources(locate(), with_data=False):
        if not store.has_graph(vocabulary):
            steps.append(("put", vocabulary, parse_file(path, vocabulary)))
    return Change(steps)


def view_triples(store: Backend) -> list[Triple]:
    """The data view of ``store`` as triples, each once."""
    seen: dict[Triple, None] = {}
    for graph in [None, *store.graphs()]:
        if in_data_view(graph):
            for quad in store.quads(graph):
                seen.setdefault(quad.triple, None)
    return list(seen)


def full_run(triples: list[Triple]) -> list[Finding]:
    """The reference validation (pyshacl, bundled shapes, ontology and schemes) of a data view, in this process."""
    from vskg.validate import validate_quads

    return validate_quads(triples).findings


def added_findings(store: Backend, delta: Delta, validate: Validate | None = None) -> list[Finding]:
    """The findings that the write described by ``delta`` added to the store's report; call AFTER the write.

    Both states are validated in full (``validate``, default `full_run`); findings after minus findings before, as
    multisets, sorted.
    """
    if not delta.known:
        raise ValueError("the findings a write added need its delta")
    if not delta:
        return []
    run = validate or full_run
    after = view_triples(store)
    before_set = (set(after) - delta.added) | delta.removed
    before = [t for t in after if t in before_set] + sorted(delta.removed - set(after), key=str)
    gained = Counter(run(after)) - Counter(run(before))
    return sorted(gained.elements(), key=finding_key)


def finding_key(finding: Finding) -> tuple:
    """A sort key for findings whose optional members may be None."""
    return tuple("" if value is None else value for value in astuple(finding))


Check = Callable[[Backend, Delta], list["Finding"]]


def guarded(
    store: Backend,
    measured: Callable[[Backend], Measured],
    action: Callable[..., T],
    *args: Any,
    check: Check = added_findings,
) -> Guarded:
    """Run ``action(store, *args)`` as a gated write (see the module); raises WriteRefused or Unmeasurable.

    ``measured(store)`` is called first, on the store before the write; a check that fails (a deadline, a crash)
    undoes the write as well and lets its error through.
    """
    measurement = measured(store)
    if not measurement.delta.known:
        raise Unmeasurable("what this write would change cannot be worked out before it runs")
    result = action(store, *args)
    try:
        findings = check(store, measurement.delta)
    except BaseException:
        undo(store, measurement.effects)
        raise
    if any(f.severity == "Violation" for f in findings):
        raise WriteRefused(findings, undo(store, measurement.effects))
    return Guarded(result, findings)


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
