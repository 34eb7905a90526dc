"""What a write does to the data view, as exact triples, worked out from the store before the write.

Validation only sees the data view: every graph of the store read as one union graph, less the shapes graph, the
graph the standing report is kept in and the store's own staging graphs (`in_data_view`). A write, as the service
describes it (`vskg.analytics.live.Change`: graphs replaced, merged into or dropped, quads inserted or deleted),
changes graphs; what validation needs is what changed in the union. The two differ: a triple added to graph G that
graph H already holds is no change of the union, and neither is removing it from G while H keeps it; quads already
present are not added, absent ones are not removed, a replaced graph loses what it held before.

`measure` reads, before the write, exactly what decides this: the whole content of each graph the write replaces
or drops, and, for every triple whose presence in a touched graph the write changes, which graphs hold it now
(batched VALUES queries). It returns the `Delta` of the data view and, per touched graph, what the write will do to
it (`GraphEffect`), from which `undo` puts the store back as it was (a refused write, `vskg.validation.gate`).

The quads of a change are first put in the form the store keeps them in (Oxigraph keeps typed literals in
canonical form: "2.50" decimal is stored as 2.5), so that they compare equal to what the store answers. A blank
node of a write is new to the store (Oxigraph names the blank nodes of every write anew), so a triple holding one
is always added; the Delta holds it under the label the change gave it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, Triple

from vskg.analytics.live import Change, as_stored, graph_of
from vskg.store import Backend
from vskg.validation.view import in_data_view

Graph = str | None  # a named graph's IRI, None for the default graph

LOOKUP_BATCH = 500  # triples per VALUES query when asking which graphs hold them


@dataclass(frozen=True)
class Delta:
    """What a write did to the data view, as exact triples (``known`` False: not known, a full run follows)."""

    added: frozenset[Triple] = frozenset()
    removed: frozenset[Triple] = frozenset()
    known: bool = True

    @classmethod
    def unknown(cls) -> Delta:
        return cls(known=False)

    @classmethod
    def of(cls, added: Iterable[Triple] = (), removed: Iterable[Triple] = ()) -> Delta:
        return cls(frozenset(added), frozenset(removed))

    def inverse(self) -> Delta:
        """The write that takes this one back (what it added removed, and the reverse)."""
        return Delta(self.removed, self.added, self.known)

    def __or__(self, other: Delta) -> Delta:
        """Two writes' deltas as one, for a step that covers both: every triple either touched (a triple added by
        one and removed by the other is named on both sides, which only widens what is re-checked)."""
        if not (self.known and other.known):
            return Delta.unknown()
        return Delta(self.added | other.added, self.removed | other.removed)

    def __bool__(self) -> bool:
        """True when the write changes the data view (or may: an unknown delta)."""
        return not self.known or bool(self.added or self.removed)


@dataclass(frozen=True)
class GraphEffect:
    """What a write does to one graph: whether it existed, and either its whole content before (``before``, for a
    graph the write replaces or drops, or whose undo involves blank nodes) or the quads it gains and loses."""

    graph: Graph
    existed: bool
    before: tuple[Quad, ...] | None = None
    added: tuple[Quad, ...] = ()
    removed: tuple[Quad, ...] = ()


@dataclass(frozen=True)
class Measured:
    delta: Delta
    effects: tuple[GraphEffect, ...] = ()


def delta_of(store: Backend, change: Change) -> Delta:
    """The exact added and removed triples of the data view for ``change``, read from ``store`` before the write."""
    return measure(store, change).delta


@dataclass
class _Ops:
    """The steps of a change that touch one graph, in order, each as (kind, triples)."""

    steps: list[tuple[str, frozenset[Triple]]] = field(default_factory=list)

    @property
    def whole(self) -> bool:  # the graph is replaced or dropped: its whole content before is needed
        return any(kind in ("put", "drop") for kind, _ in self.steps)

    def triples(self) -> set[Triple]:
        return set().union(*(triples for _, triples in self.steps))

    def after(self, triple: Triple, before: bool) -> bool:
        present = before
        for kind, triples in self.steps:
            if kind == "put":
                present = triple in triples
            elif kind == "drop":
                present = False
            elif triple in triples:
                present = kind in ("add", "insert")
        return present


def _per_graph(change: Change) -> dict[Graph, _Ops]:
    touched: dict[Graph, _Ops] = defaultdict(_Ops)
    for kind, graph, quads in change.steps:
        stored = as_stored(list(quads)) if quads else []
        if kind in ("insert", "delete"):  # quads of an update, each in its own graph
            by_graph: dict[Graph, set[Triple]] = defaultdict(set)
            for quad in stored:
                by_graph[graph_of(quad)].add(quad.triple)
            for target, triples in by_graph.items():
                touched[target].steps.append((kind, frozenset(triples)))
        elif kind in ("put", "add", "drop"):
            touched[graph].steps.append((kind, frozenset(q.triple for q in stored)))
        else:
            raise ValueError(f"unknown step {kind!r} in a change")
    return touched


def measure(store: Backend, change: Change) -> Measured:
    """The delta of ``change`` on the data view and its effect on each graph it touches (see the module)."""
    if change.everything:
        return Measured(Delta.unknown())
    touched = _per_graph(change)
    existed = {graph: store.has_graph(graph) for graph in touched}
    whole = {
        graph: {q.triple: q for q in store.quads(graph)} if existed[graph] else {}
        for graph, ops in touched.items()
        if ops.whole
    }
    # Which graphs hold each triple a step names (those of wholly read graphs are known already).
    asked = {t for graph, ops in touched.items() if graph not in whole for t in ops.triples()}
    holders = _holders(store, asked)

    def before_in(graph: Graph, triple: Triple) -> bool:
        return triple in whole[graph] if graph in whole else graph in holders.get(triple, ())

    changed: dict[Graph, tuple[set[Triple], set[Triple]]] = {}  # graph -> (gained, lost)
    for graph, ops in touched.items():
        gained, lost = set(), set()
        for triple in ops.triples() | set(whole.get(graph, ())):
            before = before_in(graph, triple)
            after = ops.after(triple, before)
            if after and not before:
                gained.add(triple)
            elif before and not after:
                lost.add(triple)
        changed[graph] = (gained, lost)

    moved = {t for graph, (gained, lost) in changed.items() if in_data_view(graph) for t in gained | lost}
    holders.update(_holders(store, moved - asked))
    added, removed = set(), set()
    for triple in moved:
        view_before = {g for g in holders.get(triple, ()) if in_data_view(g)}
        view_after = {g for g in view_before if g not in touched}
        view_after |= {g for g in touched if in_data_view(g) and touched[g].after(triple, before_in(g, triple))}
        if view_after and not view_before:
            added.add(triple)
        elif view_before and not view_after:
            removed.add(triple)

    effects = []
    for graph, (gained, lost) in changed.items():
        if graph in whole or any(_has_blank(t) for t in gained | lost):
            before = tuple(whole[graph].values()) if graph in whole else tuple(store.quads(graph))
            effects.append(GraphEffect(graph, existed[graph], before))
        else:
            effects.append(GraphEffect(graph, existed[graph], None, _quads(gained, graph), _quads(lost, graph)))
    return Measured(Delta(frozenset(added), frozenset(removed)), tuple(effects))


def undo(store: Backend, effects: Iterable[GraphEffect]) -> bool:
    """Put every graph a write touched back as it was before (``effects`` from `measure`, taken before it).

    A graph the write created is dropped, a graph read whole is replaced by its old content, and the quads gained
    and lost elsewhere are taken out and put back by one update. On a store that names blank nodes anew on every
    write (an Oxigraph server), the blank nodes of a graph restored whole come back under new labels; the answer is
    False when that may have happened (True: the store holds exactly the quads it held before).
    """
    remove, restore, exact = [], [], True
    for effect in effects:
        if not effect.existed and effect.graph is not None:
            if store.has_graph(effect.graph):
                store.drop_graph(effect.graph)
        elif effect.before is not None:
            store.replace_graph(effect.graph, list(effect.before))
            exact = exact and not any(_has_blank(q.triple) for q in effect.before)
        else:
            remove += effect.added
            restore += effect.removed
    parts = []
    if remove:
        parts.append(f"DELETE DATA {{ {_data(remove)} }}")
    if restore:
        parts.append(f"INSERT DATA {{ {_data(restore)} }}")
    if parts:
        store.update(" ;\n".join(parts))
    return exact


# --- reading which graphs hold a triple ------------------------------------------------------------------------


def _has_blank(triple: Triple) -> bool:
    return any(isinstance(term, BlankNode) or (isinstance(term, Triple) and _has_blank(term)) for term in triple)


def _cell(term) -> str:
    """A VALUES cell: the term, or UNDEF for a blank node (matched in Python afterwards)."""
    if isinstance(term, BlankNode) or (isinstance(term, Triple) and _has_blank(term)):
        return "UNDEF"
    return str(term)


def _holders(store: Backend, triples: Iterable[Triple]) -> dict[Triple, set[Graph]]:
    """For each triple, the graphs of the store that hold it (None: the default graph), batch by batch."""
    found: dict[Triple, set[Graph]] = defaultdict(set)
    ordered = sorted(triples, key=str)
    for start in range(0, len(ordered), LOOKUP_BATCH):
        chunk = ordered[start : start + LOOKUP_BATCH]
        wanted = set(chunk)
        rows = " ".join(f"({_cell(t.subject)} {_cell(t.predicate)} {_cell(t.object)})" for t in chunk)
        values = f"VALUES (?s ?p ?o) {{ {rows} }}"
        for row in store.query(f"SELECT ?g ?s ?p ?o WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }}"):
            triple = Triple(row["s"], row["p"], row["o"])
            if triple in wanted:
                found[triple].add(row["g"].value)
        for row in store.query(f"SELECT ?s ?p ?o WHERE {{ {values} ?s ?p ?o }}"):
            triple = Triple(row["s"], row["p"], row["o"])
            if triple in wanted:
                found[triple].add(None)
    return found


def _quads(triples: Iterable[Triple], graph: Graph) -> tuple[Quad, ...]:
    target = NamedNode(graph) if graph is not None else DefaultGraph()
    return tuple(Quad(t.subject, t.predicate, t.object, target) for t in sorted(triples, key=str))


def _data(quads: Iterable[Quad]) -> str:
    """The body of an INSERT DATA or DELETE DATA holding ``quads`` (without blank nodes), graph by graph."""
    per_graph: dict[Graph, list[str]] = defaultdict(list)
    for quad in quads:
        per_graph[graph_of(quad)].append(f"{quad.subject} {quad.predicate} {quad.object} .")
    return " ".join(_block(graph, lines) for graph, lines in per_graph.items())


def _block(graph: Graph, lines: list[str]) -> str:
    body = " ".join(lines)
    return body if graph is None else f"GRAPH <{graph}> {{ {body} }}"


def triples_of(quads: Iterable[Quad]) -> Iterator[Triple]:
    """The triples of quads (graph names dropped), each once."""
    seen: set[Triple] = set()
    for quad in quads:
        if quad.triple not in seen:
            seen.add(quad.triple)
            yield quad.triple


MEASURE_LIMIT = 20_000  # quads a write may name, or hold in a graph it replaces or drops, and still be measured


def measured_or_unknown(store: Backend, change: Change | None, measured=None) -> Delta:
    """The delta of a write that is about to run, for the standing report; `Delta.unknown` (a full run follows) when
    it is not known, or too large to be worth measuring (`MEASURE_LIMIT`), or cannot be measured for any reason.

    Never raises: the write goes ahead whatever this finds. ``measured``, when given, is the write's own measuring
    (an update's WHERE evaluated beforehand, an import's vocabulary graphs)."""
    try:
        if measured is not None:
            return measured(store).delta
        if change is None or change.everything:
            return Delta.unknown()
        if sum(len(quads) for _, _, quads in change.steps) > MEASURE_LIMIT:
            return Delta.unknown()
        for kind, graph, _ in change.steps:
            if kind in ("put", "drop") and _larger_than(store, graph, MEASURE_LIMIT):
                return Delta.unknown()
        return measure(store, change).delta
    except Exception:  # any trouble here only costs a full validation run
        return Delta.unknown()


def _larger_than(store: Backend, graph: Graph, limit: int) -> bool:
    where = "?s ?p ?o" if graph is None else f"GRAPH <{graph}> {{ ?s ?p ?o }}"
    rows = store.query(f"SELECT ?s WHERE {{ {where} }} LIMIT {limit + 1}")
    return sum(1 for _ in rows) > limit
