"""What each top shape reads, so that a write can be traced to the focus nodes whose results it can change.

Incremental validation needs to know, for a changed triple ``(s, p, o)``, which focus nodes of which top shapes can
see it. This module reads the shapes graph itself (rdflib) and, for every top shape, lists its *reads*: a predicate,
the end of the triple a check reaches it from, and the walk that leads from that end back to the focus node (as a
SPARQL property path). The walks come from the shapes' own structure:

- targets: ``sh:targetClass`` reads ``rdf:type/rdfs:subClassOf*``, ``sh:targetSubjectsOf``/``ObjectsOf`` their
  predicate at the focus node, a SPARQL target its query's patterns;
- property shapes read every step of their path; ``sh:class`` reads ``rdf:type/rdfs:subClassOf*`` from each
  value; ``sh:lessThan`` and friends read their second path at the focus; nested shapes (``sh:node``, ``sh:not``,
  ``sh:or`` ...) read from the value nodes;
- SHACL-SPARQL constraints and targets are parsed (rdflib's SPARQL algebra) into a graph of triple patterns; the walk
  from a pattern back to ``$this`` is the shortest chain of patterns that must hold in the same solution (a UNION
  branch never borrows patterns of its sibling; FILTER EXISTS, OPTIONAL and MINUS see their enclosing groups).

Each pattern is always walked from the same side (the one nearer the focus, and the far side on a tie), which is
what makes the trace sound when one write removes several triples of one walk: the first removed triple on any
walk is found from its own, shorter walk. Anything this cannot bound (a variable predicate, a negated path, a
construct it does not know) reads "any predicate, from anywhere": a change then re-checks the whole top shape.

Findings are produced by a top shape through the shapes it reaches; `Dependencies.components` groups top shapes that
share a reached shape (LabelShape is reached from most node shapes), because a finding of a shared shape cannot be
told apart by its top shape and so all of them are re-checked together.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

import rdflib
import rdflib.collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.plugins.sparql import algebra, prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

# --- paths: ("p", iri) | ("inv", x) | ("seq", (x, ...)) | ("alt", (x, ...)) | ("star", x) | ("plus", x) | ("opt", x)

Path = tuple
EMPTY: Path = ("seq", ())
TYPE = str(RDF.type)
SUBCLASS = str(RDFS.subClassOf)


def seq(*parts: Path) -> Path:
    flat: list[Path] = []
    for part in parts:
        flat.extend(part[1] if part[0] == "seq" else (part,))
    return flat[0] if len(flat) == 1 else ("seq", tuple(flat))


def inverse(path: Path) -> Path:
    kind = path[0]
    if kind == "p":
        return ("inv", path)
    if kind == "inv":
        return path[1]
    if kind == "seq":
        return ("seq", tuple(inverse(p) for p in reversed(path[1])))
    if kind == "alt":
        return ("alt", tuple(inverse(p) for p in path[1]))
    return (kind, inverse(path[1]))


def predicates(path: Path) -> set[str]:
    if path[0] == "p":
        return {path[1]}
    if path[0] in ("seq", "alt"):
        return set().union(*(predicates(p) for p in path[1])) if path[1] else set()
    return predicates(path[1])


def occurrences(path: Path, predicate: str) -> Iterator[tuple[Path, bool, Path]]:
    """Where ``predicate`` is stepped over in ``path``: (walk before the step, stepped backwards?, walk after)."""
    kind = path[0]
    if kind == "p":
        if path[1] == predicate:
            yield EMPTY, False, EMPTY
    elif kind == "inv":
        for before, backwards, after in occurrences(path[1], predicate):
            yield inverse(after), not backwards, inverse(before)
    elif kind == "seq":
        parts = path[1]
        for i, part in enumerate(parts):
            for before, backwards, after in occurrences(part, predicate):
                yield seq(*parts[:i], before), backwards, seq(after, *parts[i + 1 :])
    elif kind == "alt":
        for part in path[1]:
            yield from occurrences(part, predicate)
    elif kind in ("star", "plus"):
        loop = ("star", path[1])
        for before, backwards, after in occurrences(path[1], predicate):
            yield seq(loop, before), backwards, seq(after, loop)
    else:  # opt
        yield from occurrences(path[1], predicate)


def sparql_path(path: Path) -> str:
    kind = path[0]
    if kind == "p":
        return f"<{path[1]}>"
    if kind == "inv":
        return f"^{sparql_path(path[1])}"
    if kind in ("seq", "alt"):
        return "(" + ("/" if kind == "seq" else "|").join(sparql_path(p) for p in path[1]) + ")"
    return f"({sparql_path(path[1])}){ {'star': '*', 'plus': '+', 'opt': '?'}[kind] }"


def hops(path: Path) -> int:
    """Number of steps when every repetition is taken once: how far a walk goes, roughly."""
    if path[0] == "p":
        return 1
    if path[0] == "seq":
        return sum(hops(p) for p in path[1])
    if path[0] == "alt":
        return max((hops(p) for p in path[1]), default=0)
    return hops(path[1]) + (5 if path[0] in ("star", "plus") else 0)


# --- reads ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    """A check reads triples of ``predicate`` (None: any); from the triple's ``start`` end ("s" or "o") the focus
    nodes are found by walking ``back`` (EMPTY: that end is the focus node; None: cannot tell, re-check them all)."""

    predicate: str | None
    start: str
    back: Path | None


UNBOUNDED = Read(None, "s", None)


@dataclass(frozen=True)
class Target:
    """One target declaration of a top shape, kept to list all its focus nodes when a change cannot be bounded."""

    kind: str  # "class" | "subjectsOf" | "objectsOf" | "node" | "sparql"
    value: str  # class / predicate / node IRI, or the SELECT text (prefixes included) of a SPARQL target


@dataclass
class TopShape:
    iri: str
    targets: list[Target] = field(default_factory=list)
    reads: set[Read] = field(default_factory=set)
    reached: set[str] = field(default_factory=set)  # shapes whose findings this top shape produces

    @property
    def may_target_literals(self) -> bool:
        return any(t.kind in ("objectsOf", "sparql") for t in self.targets)


@dataclass
class Dependencies:
    shapes: dict[str, TopShape]
    by_predicate: dict[str | None, list[tuple[str, Read]]]
    components: dict[str, frozenset[str]]  # top shape -> the top shapes re-checked with it


def reads_of(path: Path, route: Path) -> Iterator[Read]:
    """The reads of walking ``path`` from the node that ``route`` leads to from the focus node."""
    for predicate in predicates(path):
        for before, backwards, _after in occurrences(path, predicate):
            yield Read(predicate, "o" if backwards else "s", inverse(seq(route, before)))


# --- SHACL paths and shapes ----------------------------------------------------------------------------------


class Unbounded(Exception):
    """A construct whose reads cannot be traced."""


def shacl_path(graph: rdflib.Graph, node: rdflib.term.Node) -> Path:
    if isinstance(node, rdflib.URIRef):
        return ("p", str(node))
    if (node, RDF.first, None) in graph:
        return seq(*(shacl_path(graph, step) for step in rdflib.collection.Collection(graph, node)))
    for predicate, kind in (
        (SH.inversePath, "inv"),
        (SH.zeroOrMorePath, "star"),
        (SH.oneOrMorePath, "plus"),
        (SH.zeroOrOnePath, "opt"),
    ):
        inner = graph.value(node, predicate)
        if inner is not None:
            path = shacl_path(graph, inner)
            return inverse(path) if kind == "inv" else (kind, path)
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return ("alt", tuple(shacl_path(graph, a) for a in rdflib.collection.Collection(graph, alternatives)))
    raise Unbounded(f"unknown path {node}")


# Parameters that read nothing beyond the value nodes themselves (or are not constraints at all).
_PLAIN = {
    SH[name]
    for name in [
        "datatype",
        "nodeKind",
        "minCount",
        "maxCount",
        "minLength",
        "maxLength",
        "pattern",
        "flags",
        "languageIn",
        "uniqueLang",
        "in",
        "hasValue",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "severity",
        "message",
        "name",
        "description",
        "order",
        "group",
        "defaultValue",
        "path",
        "targetClass",
        "targetSubjectsOf",
        "targetObjectsOf",
        "targetNode",
        "target",
        "deactivated",
        "ignoredProperties",
        "prefixes",
        "declare",
    ]
}
_NESTED_LISTS = {SH["or"], SH["and"], SH.xone}
_COMPARE = {SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint}


def _name(node: rdflib.term.Node) -> str:
    return "_:" + str(node) if isinstance(node, rdflib.BNode) else str(node)


class _Analyser:
    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph

    def shape_reads(self, shape: rdflib.term.Node, route: Path, top: TopShape, seen: frozenset) -> None:
        """Add the reads of ``shape`` checked at the node ``route`` leads to (from the top shape's focus)."""
        g = self.graph
        if (shape, route) in seen:
            return  # recursive shapes: the reads of one pass are all there is
        seen = seen | {(shape, route)}
        if g.value(shape, SH.deactivated) == rdflib.Literal(True):
            return
        top.reached.add(_name(shape))
        path_node = g.value(shape, SH.path)
        values = route
        if path_node is not None:
            try:
                path = shacl_path(g, path_node)
            except Unbounded:
                top.reads.add(UNBOUNDED)
                return
            top.reads.update(reads_of(path, route))
            values = seq(route, path)
        for predicate, obj in g.predicate_objects(shape):
            if predicate in _PLAIN or not str(predicate).startswith(str(SH)):
                continue
            if predicate == SH["class"]:
                top.reads.update(reads_of(seq(("p", TYPE), ("star", ("p", SUBCLASS))), values))
            elif predicate in (SH.node, SH["not"], SH.qualifiedValueShape):
                self.shape_reads(obj, values, top, seen)
            elif predicate in _NESTED_LISTS:
                for member in rdflib.collection.Collection(g, obj):
                    self.shape_reads(member, values, top, seen)
            elif predicate == SH.property:
                self.shape_reads(obj, route, top, seen)
            elif predicate in _COMPARE:
                top.reads.update(reads_of(shacl_path(g, obj), route))
            elif predicate == SH.closed:
                if obj == rdflib.Literal(True):
                    top.reads.add(Read(None, "s", inverse(route)))
            elif predicate == SH.sparql:
                query = self.select_text(obj)
                if query is None or path_node is not None:  # $PATH substitution is not traced
                    top.reads.add(UNBOUNDED)
                else:
                    top.reads.update(sparql_reads(query, route))
            elif predicate in (SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint):
                if predicate == SH.qualifiedValueShapesDisjoint:
                    top.reads.add(UNBOUNDED)
            else:
                top.reads.add(UNBOUNDED)  # a component this module does not know

    def select_text(self, node: rdflib.term.Node) -> str | None:
        g = self.graph
        select = g.value(node, SH.select)
        if select is None:
            return None
        prefixes = []
        for ontology in g.objects(node, SH.prefixes):
            for declaration in g.objects(ontology, SH.declare):
                prefix, namespace = g.value(declaration, SH.prefix), g.value(declaration, SH.namespace)
                if prefix is not None and namespace is not None:
                    prefixes.append(f"PREFIX {prefix}: <{namespace}>\n")
        return "".join(prefixes) + str(select)

    def top_shape(self, shape: rdflib.term.Node) -> TopShape:
        g = self.graph
        top = TopShape(_name(shape))
        classes = list(g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, rdflib.OWL.Class) in g:
            classes.append(shape)
        for cls in classes:
            top.targets.append(Target("class", str(cls)))
            top.reads.update(reads_of(seq(("p", TYPE), ("star", ("p", SUBCLASS))), EMPTY))
        for predicate in g.objects(shape, SH.targetSubjectsOf):
            top.targets.append(Target("subjectsOf", str(predicate)))
            top.reads.add(Read(str(predicate), "s", EMPTY))
        for predicate in g.objects(shape, SH.targetObjectsOf):
            top.targets.append(Target("objectsOf", str(predicate)))
            top.reads.add(Read(str(predicate), "o", EMPTY))
        for node in g.objects(shape, SH.targetNode):
            top.targets.append(Target("node", _name(node)))
        for target in g.objects(shape, SH.target):
            query = self.select_text(target)
            if query is None:
                top.targets.append(Target("unknown", _name(target)))
                top.reads.add(UNBOUNDED)
                continue
            top.targets.append(Target("sparql", query))
            top.reads.update(sparql_reads(query, EMPTY))
        self.shape_reads(shape, EMPTY, top, frozenset())
        return top


def top_shape_nodes(graph: rdflib.Graph) -> list[rdflib.term.Node]:
    """Shapes with targets of their own (pyshacl's top shapes, property shapes with targets included)."""
    found = set()
    for link in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target):
        found.update(graph.subjects(link, None))
    shapes = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
    found.update(s for s in shapes if (s, RDF.type, RDFS.Class) in graph or (s, RDF.type, rdflib.OWL.Class) in graph)
    return sorted(found, key=str)


def analyse(graph: rdflib.Graph) -> Dependencies:
    analyser = _Analyser(graph)
    shapes = {}
    for node in top_shape_nodes(graph):
        top = analyser.top_shape(node)
        shapes[top.iri] = top
    by_predicate: dict[str | None, list[tuple[str, Read]]] = defaultdict(list)
    for top in shapes.values():
        for read in sorted(top.reads, key=repr):
            by_predicate[read.predicate].append((top.iri, read))
    return Dependencies(shapes, dict(by_predicate), _components(shapes))


def _components(shapes: dict[str, TopShape]) -> dict[str, frozenset[str]]:
    owners: dict[str, list[str]] = defaultdict(list)
    for top in shapes.values():
        for reached in top.reached:
            owners[reached].append(top.iri)
    parent = {iri: iri for iri in shapes}

    def root(iri: str) -> str:
        while parent[iri] != iri:
            parent[iri] = parent[parent[iri]]
            iri = parent[iri]
        return iri

    for tops in owners.values():
        for other in tops[1:]:
            parent[root(other)] = root(tops[0])
    groups: dict[str, set[str]] = defaultdict(set)
    for iri in shapes:
        groups[root(iri)].add(iri)
    return {iri: frozenset(groups[root(iri)]) for iri in shapes}


@cache
def bundled() -> Dependencies:
    """The dependencies of the bundled shapes (shapes/*.ttl)."""
    from vskg.rdfio import load_graph
    from vskg.resources import locate

    return analyse(load_graph(locate().shapes))


# --- SHACL-SPARQL ----------------------------------------------------------------------------------------------


@dataclass
class _Pattern:
    subject: object
    path: Path | None  # None: a variable predicate
    object: object
    scope: int


def _term_path(term: object) -> Path:
    if isinstance(term, rdflib.URIRef):
        return ("p", str(term))
    if isinstance(term, InvPath):
        return inverse(_term_path(term.arg))
    if isinstance(term, SequencePath):
        return seq(*(_term_path(a) for a in term.args))
    if isinstance(term, AlternativePath):
        return ("alt", tuple(_term_path(a) for a in term.args))
    if isinstance(term, MulPath):
        return ({"*": "star", "+": "plus", "?": "opt"}[term.mod], _term_path(term.path))
    if isinstance(term, NegatedPath):
        raise Unbounded("negated property set")
    raise Unbounded(f"predicate {term!r}")


class _Patterns:
    """The triple patterns of a query, each with the group (scope) it is matched in."""

    def __init__(self) -> None:
        self.patterns: list[_Pattern] = []
        self.parent: dict[int, int | None] = {0: None}

    def scope(self, parent: int) -> int:
        new = len(self.parent)
        self.parent[new] = parent
        return new

    def visible(self, scope: int) -> set[int]:
        seen = set()
        current: int | None = scope
        while current is not None:
            seen.add(current)
            current = self.parent[current]
        return seen

    def walk(self, node: object, scope: int) -> None:
        if isinstance(node, list | tuple):
            for item in node:
                self.walk(item, scope)
            return
        if not isinstance(node, CompValue):
            return
        name = node.name
        if name == "BGP":
            for s, p, o in node.triples:
                self.patterns.append(_Pattern(s, None if isinstance(p, rdflib.Variable) else _term_path(p), o, scope))
            return
        if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            graph = node.graph
            if graph.name == "GroupGraphPatternSub":
                graph = algebra.translateGroupGraphPattern(graph)
            self.walk(graph, self.scope(scope))
            return
        if name in ("Graph", "ServiceGraphPattern", "SubSelect") or name.startswith("TriplesBlock"):
            raise Unbounded(name)
        if name == "LeftJoin":
            self.walk(node.p1, scope)
            inner = self.scope(scope)
            self.walk(node.p2, inner)
            self.walk(node.get("expr"), inner)
            return
        if name == "Minus":
            self.walk(node.p1, scope)
            self.walk(node.p2, self.scope(scope))
            return
        if name == "Union":
            self.walk(node.p1, self.scope(scope))
            self.walk(node.p2, self.scope(scope))
            return
        if name == "ToMultiSet" and isinstance(node.p, CompValue) and node.p.name in ("Project", "Distinct"):
            raise Unbounded("sub-select")
        for key, value in node.items():
            if key != "_vars":
                self.walk(value, scope)


THIS = rdflib.Variable("this")


def sparql_reads(query: str, route: Path) -> set[Read]:
    """The reads of a SELECT whose ``$this`` is the node ``route`` leads to from the focus node."""
    try:
        parsed = prepareQuery(query)
        patterns = _Patterns()
        patterns.walk(parsed.algebra, 0)
    except Exception:  # anything unreadable is traced as "reads everything"
        return {UNBOUNDED}
    reads: set[Read] = set()
    for pattern in patterns.patterns:
        visible = patterns.visible(pattern.scope)
        usable = [p for p in patterns.patterns if p.scope in visible and p.path is not None]
        routes = _routes(usable)
        if pattern.path is None:
            ends = [e for e in (pattern.subject, pattern.object) if e in routes]
            if not ends:
                reads.add(UNBOUNDED)
                continue
            end = min(ends, key=lambda e: routes[e][0])
            side = "s" if end == pattern.subject else "o"
            reads.add(Read(None, side, inverse(seq(route, routes[end][2]))))
            continue
        near_route, far_route = routes.get(pattern.subject), routes.get(pattern.object)
        # One side per pattern, the nearer to $this in patterns (then in steps), the object side on a tie.
        use_subject = far_route is None or (near_route is not None and near_route[:2] < far_route[:2])
        near = near_route[2] if near_route else None
        far = far_route[2] if far_route else None
        for predicate in predicates(pattern.path):
            if near is None and far is None:
                reads.add(Read(predicate, "s", None))
                continue
            for before, backwards, after in occurrences(pattern.path, predicate):
                if use_subject:
                    reads.add(Read(predicate, "o" if backwards else "s", inverse(seq(route, near, before))))
                else:
                    reads.add(Read(predicate, "s" if backwards else "o", inverse(seq(route, far, inverse(after)))))
    return reads


def _routes(patterns: Iterable[_Pattern]) -> dict[object, tuple[int, int, Path]]:
    """Shortest walk from $this to each variable along patterns that must hold together: (patterns, steps, walk)."""
    edges: dict[object, list[tuple[object, Path]]] = defaultdict(list)
    for p in patterns:
        if isinstance(p.subject, rdflib.Variable | rdflib.BNode) and isinstance(
            p.object, rdflib.Variable | rdflib.BNode
        ):
            edges[p.subject].append((p.object, p.path))
            edges[p.object].append((p.subject, inverse(p.path)))
    walks: dict[object, Path] = {THIS: EMPTY}
    distance = {THIS: 0}
    queue = deque([THIS])
    while queue:
        node = queue.popleft()
        for other, path in sorted(edges[node], key=lambda e: (hops(e[1]), repr(e[1]))):
            if other not in walks:
                walks[other] = seq(walks[node], path)
                distance[other] = distance[node] + 1
                queue.append(other)
    return {node: (distance[node], hops(walk), walk) for node, walk in walks.items()}
