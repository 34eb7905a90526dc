"""The shapes graph read once into plain, frozen records that the compiler turns into queries.

Reading the rdflib graph of the shapes is the slow, fiddly part of SHACL (lists, blank-node paths, prefixes of
SHACL-SPARQL, inherited defaults); doing it once here leaves the compiler with plain values: each top shape with
its targets and the flat list of constraints checked for its focus nodes (its own and those of the property shapes
it reaches through ``sh:property``), each constraint with its component, severity, path as SPARQL path text,
parameters and messages. A component this engine does not evaluate raises `Unsupported` naming the shape and the
component, so nothing is skipped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import rdflib
import rdflib.collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import BNode, Literal, Node, URIRef

from vskg.rdfio import load_graph
from vskg.resources import locate

SHACL = str(SH)


class Unsupported(Exception):
    """The shapes use a SHACL feature the SPARQL engine does not evaluate; use the pyshacl engine for them."""


@dataclass(frozen=True)
class Target:
    """One target declaration: ``kind`` is class, subjectsOf, objectsOf, node or sparql.

    ``term`` is a SPARQL term (``<iri>`` or a literal) for the first four, and for sparql the SELECT text of the
    SPARQL target; ``prefixes`` are the PREFIX declarations its query needs.
    """

    kind: str
    term: str
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Nested:
    """A shape used as a parameter (``sh:or``, ``sh:not``, ``sh:node`` ...): its constraints, checked on one node."""

    shape: str
    constraints: tuple[Constraint, ...]


@dataclass(frozen=True)
class Constraint:
    """One constraint of one shape, as the report names it.

    ``component`` is the local name of the SHACL constraint component (``MinCountConstraintComponent``);
    ``path`` is the shape's path in SPARQL syntax (``<p>``, ``(^<p>)*/<q>``) for a property shape, None for a node
    shape; ``parameters`` holds what the component needs (terms in SPARQL syntax, numbers, nested shapes, the
    SELECT text of a SPARQL constraint); ``messages`` are the shape's ``sh:message`` texts.
    """

    shape: str
    component: str
    severity: str
    path: str | None
    parameters: tuple[tuple[str, object], ...]
    messages: tuple[str, ...] = ()

    def param(self, name: str, default: object = None) -> object:
        for key, value in self.parameters:
            if key == name:
                return value
        return default

    @property
    def component_iri(self) -> str:
        return SHACL + self.component


@dataclass(frozen=True)
class TopShape:
    """A shape with targets of its own: its focus nodes are its targets, checked against ``constraints``."""

    iri: str
    targets: tuple[Target, ...]
    constraints: tuple[Constraint, ...]


@dataclass(frozen=True)
class Shapes:
    top: tuple[TopShape, ...]

    def get(self, iri: str) -> TopShape:
        for shape in self.top:
            if shape.iri == iri:
                return shape
        raise KeyError(f"no top shape {iri} in the shapes graph")


# The parameters each component reads (first one names it), and which of them may repeat.
_SINGLE_VALUE = {
    "class": "ClassConstraintComponent",
    "datatype": "DatatypeConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent",
    "minCount": "MinCountConstraintComponent",
    "maxCount": "MaxCountConstraintComponent",
    "minInclusive": "MinInclusiveConstraintComponent",
    "maxInclusive": "MaxInclusiveConstraintComponent",
    "minExclusive": "MinExclusiveConstraintComponent",
    "maxExclusive": "MaxExclusiveConstraintComponent",
    "minLength": "MinLengthConstraintComponent",
    "maxLength": "MaxLengthConstraintComponent",
    "hasValue": "HasValueConstraintComponent",
    "equals": "EqualsConstraintComponent",
    "disjoint": "DisjointConstraintComponent",
    "lessThan": "LessThanConstraintComponent",
    "lessThanOrEquals": "LessThanOrEqualsConstraintComponent",
}
_LISTS = {"in": "InConstraintComponent", "languageIn": "LanguageInConstraintComponent"}
_SHAPE_LISTS = {"or": "OrConstraintComponent", "and": "AndConstraintComponent", "xone": "XoneConstraintComponent"}
_SHAPE_VALUES = {"not": "NotConstraintComponent", "node": "NodeConstraintComponent"}
_NOT_CONSTRAINTS = {
    "path",
    "property",
    "targetClass",
    "targetNode",
    "targetSubjectsOf",
    "targetObjectsOf",
    "target",
    "message",
    "severity",
    "deactivated",
    "name",
    "description",
    "order",
    "group",
    "defaultValue",
    "prefixes",
    "declare",
    "flags",
    "ignoredProperties",
}
_UNSUPPORTED = {
    "qualifiedValueShape": "sh:qualifiedValueShape",
    "qualifiedMinCount": "sh:qualifiedValueShape",
    "qualifiedMaxCount": "sh:qualifiedValueShape",
    "js": "SHACL-JS",
    "rule": "SHACL rules",
    "expression": "SHACL node expressions",
}


def term_text(node: Node) -> str:
    """A term in SPARQL syntax (literals keep their datatype or language)."""
    if isinstance(node, BNode):
        raise Unsupported(f"a blank node ({node}) cannot be a constraint parameter for the SPARQL engine")
    return node.n3()


def node_id(node: Node) -> str:
    """A shape as a finding names it: its IRI, or ``_:id`` for a blank node."""
    return "_:" + str(node) if isinstance(node, BNode) else str(node)


def path_text(graph: rdflib.Graph, node: Node) -> str:
    """A SHACL property path in SPARQL syntax; the same text the reference report gives for ``sh:resultPath``."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if (node, RDF.first, None) in graph:
        return "/".join(path_text(graph, step) for step in rdflib.collection.Collection(graph, node))
    for predicate, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = graph.value(node, predicate)
        if inner is not None:
            text = path_text(graph, inner)
            return template.format(text if isinstance(inner, URIRef) else f"({text})")
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(path_text(graph, a) for a in rdflib.collection.Collection(graph, alternatives)) + ")"
    raise Unsupported(f"the path {node_id(node)} is not a SHACL property path")


class _Reader:
    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph

    def active(self, shape: Node) -> bool:
        flag = self.graph.value(shape, SH.deactivated)
        return not (isinstance(flag, Literal) and flag.value is True)

    def severity(self, shape: Node) -> str:
        value = self.graph.value(shape, SH.severity)
        return "Violation" if value is None else str(value).rsplit("#", 1)[-1]

    def messages(self, node: Node) -> tuple[str, ...]:
        return tuple(sorted(str(m) for m in self.graph.objects(node, SH.message) if isinstance(m, Literal)))

    def prefixes(self, node: Node) -> tuple[tuple[str, str], ...]:
        found: dict[str, str] = {}
        for source in self.graph.objects(node, SH.prefixes):
            for declaration in self.graph.objects(source, SH.declare):
                prefix = self.graph.value(declaration, SH.prefix)
                namespace = self.graph.value(declaration, SH.namespace)
                if prefix is None or namespace is None:
                    raise Unsupported(f"a sh:declare of {node_id(source)} lacks sh:prefix or sh:namespace")
                if found.get(str(prefix), str(namespace)) != str(namespace):
                    raise Unsupported(f"the prefix {prefix}: is declared twice for {node_id(node)}")
                found[str(prefix)] = str(namespace)
        return tuple(sorted(found.items()))

    def items(self, node: Node) -> list[Node]:
        return list(rdflib.collection.Collection(self.graph, node))

    def targets(self, shape: Node) -> tuple[Target, ...]:
        g = self.graph
        found: list[Target] = []
        found += [Target("class", term_text(c)) for c in g.objects(shape, SH.targetClass)]
        if (shape, RDF.type, RDFS.Class) in g:
            found.append(Target("class", term_text(shape)))
        found += [Target("subjectsOf", term_text(p)) for p in g.objects(shape, SH.targetSubjectsOf)]
        found += [Target("objectsOf", term_text(p)) for p in g.objects(shape, SH.targetObjectsOf)]
        found += [Target("node", term_text(n)) for n in g.objects(shape, SH.targetNode)]
        for target in g.objects(shape, SH.target):
            if (target, RDF.type, SH.SPARQLTarget) not in g:
                raise Unsupported(f"shape {node_id(shape)} has a sh:target that is not a sh:SPARQLTarget")
            select = g.value(target, SH.select)
            if select is None:
                raise Unsupported(f"the SPARQL target of shape {node_id(shape)} has no sh:select")
            found.append(Target("sparql", str(select), self.prefixes(target)))
        return tuple(sorted(set(found), key=lambda t: (t.kind, t.term)))

    def constraints(self, shape: Node, *, nested: bool = False) -> list[Constraint]:
        """The shape's own constraints (not those of its property shapes)."""
        g = self.graph
        name = node_id(shape)
        path_node = g.value(shape, SH.path)
        path = None if path_node is None else path_text(g, path_node)
        severity = self.severity(shape)
        messages = self.messages(shape)
        found: list[Constraint] = []

        def add(component: str, *parameters: tuple[str, object], extra: tuple[str, ...] = ()) -> None:
            found.append(Constraint(name, component, severity, path, tuple(parameters), messages + extra))

        for predicate in sorted(set(g.predicates(shape, None))):
            if not str(predicate).startswith(SHACL):
                continue
            local = str(predicate)[len(SHACL) :]
            values = sorted(g.objects(shape, predicate))
            if local in _NOT_CONSTRAINTS:
                continue
            if local in _UNSUPPORTED:
                raise Unsupported(f"shape {name} uses {_UNSUPPORTED[local]}, which the SPARQL engine does not support")
            if local in _SINGLE_VALUE:
                for value in values:
                    if local in ("minCount", "maxCount", "minLength", "maxLength"):
                        add(_SINGLE_VALUE[local], (local, int(value)))
                    else:
                        add(_SINGLE_VALUE[local], (local, term_text(value)))
            elif local in _LISTS:
                for value in values:
                    add(_LISTS[local], (local, tuple(term_text(item) for item in self.items(value))))
            elif local in _SHAPE_LISTS:
                for value in values:
                    add(_SHAPE_LISTS[local], (local, tuple(self.nested(item) for item in self.items(value))))
            elif local in _SHAPE_VALUES:
                for value in values:
                    add(_SHAPE_VALUES[local], (local, self.nested(value)))
            elif local == "pattern":
                flags = g.value(shape, SH.flags)
                for value in values:
                    add("PatternConstraintComponent", ("pattern", str(value)), ("flags", str(flags or "")))
            elif local == "closed":
                if any(isinstance(v, Literal) and v.value is True for v in values):
                    raise Unsupported(f"shape {name} uses sh:closed, which the SPARQL engine does not support")
            elif local == "uniqueLang":
                if any(isinstance(v, Literal) and v.value is True for v in values):
                    raise Unsupported(f"shape {name} uses sh:uniqueLang, which the SPARQL engine does not support")
            elif local == "sparql":
                for value in values:
                    if nested:
                        raise Unsupported(f"shape {name} is used inside another shape and has a SPARQL constraint")
                    if not self.active(value):
                        continue
                    select = g.value(value, SH.select)
                    if select is None:
                        raise Unsupported(f"the SPARQL constraint of shape {name} has no sh:select (only SELECT)")
                    add(
                        "SPARQLConstraintComponent",
                        ("select", str(select)),
                        ("prefixes", self.prefixes(value)),
                        extra=self.messages(value),
                    )
            else:
                raise Unsupported(f"shape {name} uses sh:{local}, which the SPARQL engine does not support")
        return found

    def nested(self, shape: Node) -> Nested:
        """A shape given as a parameter: its own constraints and its property shapes', for one node."""
        constraints = self.constraints(shape, nested=True) if self.active(shape) else []
        for property_shape in sorted(self.graph.objects(shape, SH.property)):
            if self.active(property_shape):
                constraints += self.constraints(property_shape, nested=True)
        return Nested(node_id(shape), tuple(constraints))

    def top_shapes(self) -> tuple[TopShape, ...]:
        g = self.graph
        candidates: set[Node] = set()
        for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
            candidates.update(g.subjects(predicate, None))
        for kind in (SH.NodeShape, SH.PropertyShape):
            candidates.update(s for s in g.subjects(RDF.type, kind) if (s, RDF.type, RDFS.Class) in g)
        top = []
        for shape in sorted(candidates, key=node_id):
            if not self.active(shape):
                continue
            constraints = self.constraints(shape)
            for property_shape in sorted(g.objects(shape, SH.property)):
                if not self.active(property_shape):
                    continue
                if (property_shape, SH.property, None) in g:
                    raise Unsupported(
                        f"property shape {node_id(property_shape)} has property shapes of its own, "
                        "which the SPARQL engine does not support"
                    )
                constraints += self.constraints(property_shape)
            top.append(TopShape(node_id(shape), self.targets(shape), tuple(constraints)))
        return tuple(top)


def read_shapes(graph: rdflib.Graph) -> Shapes:
    """Read every active top shape of a shapes graph; raises `Unsupported` for a feature the engine lacks."""
    return Shapes(_Reader(graph).top_shapes())


@cache
def bundled_shapes() -> Shapes:
    """The shapes shipped in ``shapes/*.ttl``, read once per process."""
    return read_shapes(load_graph(locate().shapes))
