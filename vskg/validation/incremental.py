"""The store's validation report, kept exact write by write without re-validating the whole store.

A write changes a few triples; only the focus nodes whose checks can see those triples can change their results.
`affected` finds them: for each changed triple, the reads of the shapes that concern its predicate
(`vskg.validation.dependencies`) give a walk from one end of the triple back to the focus nodes, evaluated as one
SPARQL query on the data view after the write. A triple whose predicate no shape reads affects nothing; a change
that cannot be bounded falls back to every focus node of the top shape concerned, or to a full run (None).

`StandingReport` then re-runs just those (top shape, focus node) pairs and replaces their old findings, so after
every write the report equals a full run (tests/validation/test_incremental.py checks exactly that). The runner is
passed in: the compiled engine in the service (`vskg.validation.fullrun.engine_runner`), `pyshacl_runner` (the
reference) in tests.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from vskg.store.base import Backend
from vskg.validation.delta import Delta
from vskg.validation.dependencies import EMPTY, Dependencies, Target, analyse, bundled, sparql_path
from vskg.validation.findings import Finding, finding_order
from vskg.validation.view import view_options

Focus = Mapping[str, Collection[str]]
Runner = Callable[[Focus | None], list[Finding]]


# A walk that finds more focus nodes than this for one write is not worth bounding: the write re-validates all.
WALK_LIMIT = 20_000


class AllTargets(frozenset):
    """Every focus node of a top shape (the change could not be bounded further); a Collection[str] like any other."""


def dependencies_of(shapes: object | None) -> Dependencies:
    """The dependency analysis of ``shapes``: None (the bundled shapes), an rdflib graph, or an object carrying one
    as ``.graph`` (the compiled engine's `Shapes`)."""
    if shapes is None:
        return bundled()
    if isinstance(shapes, Dependencies):
        return shapes
    graph = shapes if isinstance(shapes, rdflib.Graph) else getattr(shapes, "graph", None)
    if not isinstance(graph, rdflib.Graph):
        raise TypeError(f"cannot read the shapes of {type(shapes).__name__}")
    cached = _analysed.get(id(graph))
    if cached is None or cached[0] is not graph:
        cached = _analysed[id(graph)] = (graph, analyse(graph))
    return cached[1]


_analysed: dict[int, tuple[rdflib.Graph, Dependencies]] = {}


class _CannotBound(Exception):
    pass


def _text(term) -> str:
    """A focus node as findings name it: the IRI. Blank nodes cannot be named in a query and a literal is not an
    IRI of the focus contract, so either makes the change unbounded."""
    if not isinstance(term, NamedNode):
        raise _CannotBound(f"focus node {term}")
    return term.value


def affected(store: Backend, delta: Delta, shapes: object | None = None) -> Focus | None:
    """The top shapes and focus nodes whose results the change can alter, read from the store AFTER the write.

    None means "run everything": an unknown delta, a blank node on the way (it cannot be named in a query), or a
    change whose walks reach more than `WALK_LIMIT` nodes. Conservative: never too small.
    """
    if not delta.known:
        return None
    deps = dependencies_of(shapes)
    focus: dict[str, set[str]] = defaultdict(set)
    whole: set[str] = set()
    # back path -> start node -> top shapes that walk it from there
    walks: dict[tuple, dict[object, set[str]]] = defaultdict(lambda: defaultdict(set))
    wildcard = deps.by_predicate.get(None, [])
    for triple in delta.added | delta.removed:
        for top, read in deps.by_predicate.get(triple.predicate.value, []) + wildcard:
            if read.back is None:
                whole.add(top)
                continue
            start = triple.subject if read.start == "s" else triple.object
            if isinstance(start, Triple):
                return None  # RDF-star: not traced
            if read.back == EMPTY:
                if isinstance(start, Literal) and not deps.shapes[top].may_target_literals:
                    continue  # a literal is never a focus node of this shape
                if not isinstance(start, NamedNode):
                    return None
                focus[top].add(start.value)
            else:
                walks[read.back][start].add(top)
    if not focus and not walks and not whole:
        return {}
    view = view_options(store)
    try:
        for (back, start), found in _walk(store, view, walks):
            starts = walks[back]
            tops = starts[start] if start in starts else set().union(*starts.values())
            for top in tops:
                if isinstance(found, Literal) and not deps.shapes[top].may_target_literals:
                    continue
                focus[top].add(_text(found))
        result: dict[str, Collection[str]] = {top: frozenset(nodes) for top, nodes in focus.items()}
        for top in whole:
            result[top] = AllTargets(_targets(store, view, deps.shapes[top].targets) | focus.get(top, set()))
    except _CannotBound:
        return None
    return result


def _walk(store: Backend, view: dict, walks: dict[tuple, dict[object, set[str]]]):
    """Evaluate every (back path, start nodes) walk in one query: yields ((back, start), focus node) pairs."""
    backs = list(walks)
    branches = []
    for index, back in enumerate(backs):
        starts = walks[back]
        if any(isinstance(s, BlankNode) for s in starts):
            raise _CannotBound("blank node")
        values = " ".join(str(s) for s in starts)
        branches.append(f"{{ VALUES ?start {{ {values} }} ?start {sparql_path(back)} ?focus BIND({index} AS ?walk) }}")
    if not branches:
        return
    query = f"SELECT DISTINCT ?walk ?start ?focus WHERE {{ {' UNION '.join(branches)} }} LIMIT {WALK_LIMIT + 1}"
    rows = list(store.query(query, **view))
    if len(rows) > WALK_LIMIT:
        raise _CannotBound("too many focus nodes")
    for row in rows:
        back = backs[int(row["walk"].value)]
        yield (back, row["start"]), row["focus"]


def _targets(store: Backend, view: dict, targets: list[Target]) -> set[str]:
    """All focus nodes of a top shape's targets in the data view now."""
    nodes: set[str] = set()
    for target in targets:
        if target.kind == "node":
            nodes.add(target.value)
            continue
        if target.kind == "class":
            query = (
                "SELECT DISTINCT ?this WHERE { ?this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/"
                f"<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{target.value}> }}"
            )
        elif target.kind == "subjectsOf":
            query = f"SELECT DISTINCT ?this WHERE {{ ?this <{target.value}> ?any }}"
        elif target.kind == "objectsOf":
            query = f"SELECT DISTINCT ?this WHERE {{ ?any <{target.value}> ?this }}"
        elif target.kind == "sparql":
            query = target.value
        else:
            raise _CannotBound(f"target {target.kind}")
        for row in store.query(query, **view):
            nodes.add(_text(row["this"]))
    return nodes


@dataclass
class StandingReport:
    """The store's report, kept current write by write (`as_of`: the write it is current as of)."""

    findings: list[Finding] = field(default_factory=list)
    as_of: int = 0
    shapes: object | None = None

    def full(self, run: Runner, as_of: int) -> None:
        self.findings = sorted(run(None), key=finding_order)
        self.as_of = as_of

    def after(self, store: Backend, delta: Delta, run: Runner, as_of: int) -> list[Finding]:
        """Re-check what the write can affect, merge, and return the findings the write ADDED (sorted)."""
        focus = affected(store, delta, self.shapes)
        old = self.findings
        if focus is None:
            new = sorted(run(None), key=finding_order)
            added = Counter(new) - Counter(old)
            self.findings, self.as_of = new, as_of
            return sorted(added.elements(), key=finding_order)
        expanded, sources = self.expand(focus)
        if not expanded:
            self.as_of = as_of
            return []
        fresh = run(expanded)
        kept, dropped = [], []
        for finding in old:
            replaced = finding.source_shape in sources.get(finding.focus_node, ())
            (dropped if replaced else kept).append(finding)
        self.findings = sorted(kept + list(fresh), key=finding_order)
        self.as_of = as_of
        return sorted((Counter(fresh) - Counter(dropped)).elements(), key=finding_order)

    def expand(self, focus: Focus) -> tuple[dict[str, frozenset[str]], dict[str, set[str]]]:
        """Widen each (top shape, node) to every top shape sharing findings with it (see `Dependencies.components`),
        and for shapes re-checked whole add the nodes of their standing findings (they may have left the targets).

        Returns the focus to run and, per node, the source shapes whose old findings the run replaces.
        """
        deps = dependencies_of(self.shapes)
        nodes: dict[str, set[str]] = defaultdict(set)
        for top, members in focus.items():
            if top not in deps.shapes:
                continue
            group = deps.components[top]
            extra: set[str] = set()
            if isinstance(members, AllTargets):
                reached = set().union(*(deps.shapes[t].reached for t in group))
                extra = {f.focus_node for f in self.findings if f.source_shape in reached}
            for node in set(members) | extra:
                nodes[node].update(group)
        expanded: dict[str, set[str]] = defaultdict(set)
        sources: dict[str, set[str]] = {}
        for node, tops in nodes.items():
            for top in tops:
                expanded[top].add(node)
            sources[node] = set().union(*(deps.shapes[t].reached for t in tops))
        return {top: frozenset(members) for top, members in expanded.items()}, sources


def pyshacl_runner(store: Backend, shapes: object | None = None) -> Runner:
    """The reference runner: pyshacl over the store's data view (`vskg.validate.validate_quads`, which adds the
    bundled vocabulary); a focus run is the full run's findings of the asked (top shape, focus node) pairs.
    Slow but exact, for tests and for checking other engines."""
    from vskg.validate import validate_quads  # pyshacl: only where the reference is asked for

    deps = dependencies_of(shapes)
    last: dict[frozenset, list[Finding]] = {}  # the full run of the latest state seen: a focus run reuses it

    def run(focus: Focus | None) -> list[Finding]:
        state = frozenset(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", **view_options(store)))
        if state not in last:
            last.clear()
            last[state] = validate_quads(state).findings
        findings = last[state]
        if focus is None:
            return sorted(findings, key=finding_order)
        wanted: dict[str, set[str]] = defaultdict(set)
        for top, nodes in focus.items():
            for node in nodes:
                wanted[node].update(deps.shapes[top].reached)
        return sorted((f for f in findings if f.source_shape in wanted.get(f.focus_node, ())), key=finding_order)

    return run


def relisted(store: Backend, focus: Focus, shapes: object | None = None) -> Focus:
    """``focus`` with each whole top shape (`AllTargets`) listed again on the store as it is now, together with the
    nodes listed before: a write can make new targets (an instance of a class that became a subclass)."""
    deps = dependencies_of(shapes)
    view = view_options(store)
    result: dict[str, Collection[str]] = {}
    for top, nodes in focus.items():
        if isinstance(nodes, AllTargets):
            nodes = AllTargets(nodes | _targets(store, view, deps.shapes[top].targets))
        result[top] = nodes
    return result
