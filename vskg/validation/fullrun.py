"""A full run read over the union of all graphs, then corrected for the graphs the data view leaves out.

Why: the data view leaves out the shapes, the standing report and staging graphs, so a store holding any of them
is validated with an explicit list of graphs as the default graph, and Oxigraph looks every triple pattern up once
per listed graph. On the synthetic enterprise at 1M triples (24 listed graphs, Oxigraph server) the 315 queries of
a full run took 934 s that way against 129 s over the union of all graphs; the worst query, 284 s against 17 s.

The left-out graphs are small, and what they change is the question incremental validation already answers for a
write: read them as a write that *removes* their triples from the union. The run is then

1. every shape over the union (fast);
2. the left-out triples that touch the data view (a subject or object the view also has) and whose predicate a
   shape reads: a left-out triple touching nothing in the view can only matter to focus nodes outside the view;
3. `vskg.validation.incremental.affected` for that removal, evaluated on the view as it is (the state after it),
   plus the focus nodes of union findings that are not in the view, the constant targets (``sh:targetNode``) and
   the shapes whose SPARQL target could name a node by itself (VALUES or BIND);
4. those (top shape, focus node) pairs re-checked on the view, replacing their union findings
   (`StandingReport.expand`, as after a write).

So the result is exactly a listed run whenever incremental validation is exact (the same walks, the same
expansion); tests/validation/test_fullrun.py compares the two on every broken fixture with shapes and a report
graph in the store. Custom shapes, or more left-out triples than `TOUCHING_LIMIT`, take the listed run.
"""

from __future__ import annotations

import time
from collections.abc import Collection

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Triple

from vskg.store.base import Backend, QueryTimeout
from vskg.validation import engine
from vskg.validation.delta import Delta
from vskg.validation.dependencies import Dependencies
from vskg.validation.findings import Finding, Report, finding_order
from vskg.validation.incremental import AllTargets, Runner, StandingReport, affected, dependencies_of, relisted
from vskg.validation.shapes import Shapes, bundled_shapes
from vskg.validation.view import in_data_view

# Left-out triples touching the view beyond this many: correcting would cost about what the listed run costs.
TOUCHING_LIMIT = 20_000

UNION = {"use_default_graph_as_union": True}


def full_results(store: Backend, *, shapes: Shapes | None = None, timeout: float | None = None) -> list[engine.Result]:
    """Every finding of the data view of ``store``, with its terms (what `engine.results` gives for a full run)."""
    names = store.graphs()
    left_out = [g for g in names if not in_data_view(g)]
    if not left_out or (shapes is not None and shapes is not bundled_shapes()):
        return engine.results(store, shapes=shapes, timeout=timeout)  # the view is the union, or shapes unknown
    deadline = None if timeout is None else time.monotonic() + timeout
    deps = dependencies_of(None)
    view = {"default_graph": [DefaultGraph(), *(NamedNode(g) for g in names if in_data_view(g))]}
    touching = _touching(store, left_out, view, deps)
    if touching is None:
        return engine.results(store, timeout=_left(deadline, timeout))
    union = engine.results(store, timeout=_left(deadline, timeout), dataset=UNION)
    focus = affected(store, Delta.of(removed=touching))
    if focus is None:
        return engine.results(store, timeout=_left(deadline, timeout))
    focus = _with_outside(store, view, deps, dict(focus), union)
    report = StandingReport([finding for finding, _ in union])
    expanded, sources = report.expand(relisted(store, focus))
    if not expanded:
        return union
    fresh = engine.results(store, focus=expanded, timeout=_left(deadline, timeout))
    kept = [r for r in union if r[0].source_shape not in sources.get(r[0].focus_node, ())]
    return kept + fresh


def full_run(store: Backend, *, timeout: float | None = None) -> list[Finding]:
    """`full_results` as sorted findings (what `engine.run` gives for a full run)."""
    return sorted((finding for finding, _ in full_results(store, timeout=timeout)), key=finding_order)


def validate_store(store: Backend, *, timeout: float | None = None) -> Report:
    """Validate the data view of a store (``vskg validate --store``), with the report graph."""
    return engine.report_of(full_results(store, timeout=timeout))


def engine_runner(store: Backend, *, timeout: float | None = None) -> Runner:
    """The compiled engine as a `Runner` of `StandingReport`: a full run (``focus`` None) as `full_run`, a focus run
    on the data view."""
    return lambda focus: (
        full_run(store, timeout=timeout) if focus is None else engine.run(store, focus=focus, timeout=timeout)
    )


class EngineChecker:
    """The standing report's checker (`vskg.service.validation.Checker`): a full run of the compiled engine, then
    after each write only what its delta can affect (`StandingReport.after`). ``timeout`` bounds each run."""

    def __init__(self, timeout: float | None = None, shapes: object | None = None) -> None:
        self.timeout = timeout
        self.shapes = shapes

    def full(self, store: Backend) -> list[Finding]:
        return engine_runner(store, timeout=self.timeout)(None)

    def after(self, store: Backend, delta: Delta, previous: list[Finding]) -> list[Finding]:
        report = StandingReport(list(previous), 0, self.shapes)
        report.after(store, delta, engine_runner(store, timeout=self.timeout), 0)
        return report.findings


def _left(deadline: float | None, timeout: float | None) -> float | None:
    if deadline is None:
        return None
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise QueryTimeout(f"the validation took longer than {timeout:g} s and was stopped")
    return remaining


def _touching(store: Backend, left_out: list[str], view: dict, deps: Dependencies) -> list[Triple] | None:
    """The left-out triples whose predicate a shape reads and whose subject or object the view also holds (None:
    more than `TOUCHING_LIMIT`). Read in one query: the left-out graphs as its named graphs, the view as its
    default graph, so that a blank node keeps its identity between the two."""
    read = [p for p in deps.by_predicate if p is not None]
    if not read and None not in deps.by_predicate:
        return []
    predicates = "" if None in deps.by_predicate else "VALUES ?p { " + " ".join(f"<{p}>" for p in read) + " }"
    query = (
        f"SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {predicates} "
        "FILTER(EXISTS { ?s ?a ?b } || EXISTS { ?b ?a ?s } || EXISTS { ?o ?a ?b } || EXISTS { ?b ?a ?o }) }"
        f" LIMIT {TOUCHING_LIMIT + 1}"
    )
    rows = list(store.query(query, named_graphs=[NamedNode(g) for g in left_out], **view))
    if len(rows) > TOUCHING_LIMIT:
        return None
    return [Triple(row["s"], row["p"], row["o"]) for row in rows]


def _with_outside(store: Backend, view: dict, deps: Dependencies, focus: dict, union: list) -> dict:
    """``focus`` plus what the union can get wrong away from the touching triples: the focus nodes of union
    findings that the view does not hold, every constant target, and every shape whose SPARQL target can name a
    node by itself (a node only the left-out graphs describe would be judged on their triples)."""
    tops_of: dict[str, set[str]] = {}
    for top, shape in deps.shapes.items():
        for reached in shape.reached:
            tops_of.setdefault(reached, set()).add(top)
    whole: set[str] = set()
    nodes: dict[str, tuple[object, set[str]]] = {}  # focus node as findings name it -> (its term, its top shapes)
    for finding, terms in union:
        this, tops = terms[0], tops_of.get(finding.source_shape, set())
        if isinstance(this, BlankNode) or not tops:
            whole.update(tops or deps.shapes)  # a blank node cannot be named in a query: the whole top shape
        else:
            nodes.setdefault(finding.focus_node, (this, set()))[1].update(tops)
    extended: dict[str, Collection[str]] = dict(focus)
    for node in _not_in_view(store, view, {node: term for node, (term, _) in nodes.items()}):
        for top in nodes[node][1]:
            extended[top] = _plus(extended.get(top), {node})
    for top, shape in deps.shapes.items():
        constants = {t.value for t in shape.targets if t.kind == "node"}
        if constants:
            extended[top] = _plus(extended.get(top), constants)
        if any(t.kind == "sparql" and _names_nodes(t.value) for t in shape.targets):
            whole.add(top)
    for top in whole:
        extended[top] = AllTargets(set(extended.get(top, ())))
    return extended


def _names_nodes(select: str) -> bool:
    """Whether a SPARQL target's query can bind ``?this`` to a constant (VALUES or BIND), not only to data."""
    text = select.upper()
    return "VALUES" in text or "BIND" in text


def _plus(nodes: Collection[str] | None, more: set[str]) -> Collection[str]:
    if isinstance(nodes, AllTargets):
        return AllTargets(nodes | more)
    return frozenset(set(nodes or ()) | more)


def _not_in_view(store: Backend, view: dict, nodes: dict[str, object]) -> set[str]:
    """Of ``nodes`` (name -> term), the names of those no triple of the view has as subject or object."""
    names = sorted(nodes)
    found: set[str] = set()
    for start in range(0, len(names), 500):
        chunk = {str(nodes[name]): name for name in names[start : start + 500]}
        exists = "FILTER(EXISTS { ?n ?a ?b } || EXISTS { ?b ?a ?n })"
        query = f"SELECT ?n WHERE {{ VALUES ?n {{ {' '.join(chunk)} }} {exists} }}"
        found.update(chunk[str(row["n"])] for row in store.query(query, **view) if str(row["n"]) in chunk)
    return set(names) - found
