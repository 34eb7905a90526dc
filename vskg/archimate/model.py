"""An ArchiMate model as read from a file, before it becomes RDF, and the checks every reader applies."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from vskg.rdfio import InputError

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# The 62 element types and 11 relationship types of ArchiMate 3.2, spelt as the exchange format spells them.
ELEMENT_TYPES: tuple[str, ...] = (
    "BusinessActor", "BusinessRole", "BusinessCollaboration", "BusinessInterface", "BusinessProcess",
    "BusinessFunction", "BusinessInteraction", "BusinessEvent", "BusinessService", "BusinessObject", "Contract",
    "Representation", "Product",
    "ApplicationComponent", "ApplicationCollaboration", "ApplicationInterface", "ApplicationFunction",
    "ApplicationInteraction", "ApplicationProcess", "ApplicationEvent", "ApplicationService", "DataObject",
    "Node", "Device", "SystemSoftware", "TechnologyCollaboration", "TechnologyInterface", "Path",
    "CommunicationNetwork", "TechnologyFunction", "TechnologyProcess", "TechnologyInteraction", "TechnologyEvent",
    "TechnologyService", "Artifact", "Equipment", "Facility", "DistributionNetwork", "Material",
    "Stakeholder", "Driver", "Assessment", "Goal", "Outcome", "Principle", "Requirement", "Constraint", "Meaning",
    "Value",
    "Resource", "Capability", "CourseOfAction", "ValueStream",
    "WorkPackage", "Deliverable", "ImplementationEvent", "Plateau", "Gap",
    "Grouping", "Location", "AndJunction", "OrJunction",
)  # fmt: skip
RELATIONSHIP_TYPES: tuple[str, ...] = (
    "Composition", "Aggregation", "Assignment", "Realization", "Serving", "Access", "Influence", "Triggering",
    "Flow", "Specialization", "Association",
)  # fmt: skip
# Types whose exchange-format schema demands at least one name.
UNNAMED_OK = frozenset({"Grouping", "Location", "AndJunction", "OrJunction", *RELATIONSHIP_TYPES})
ACCESS_TYPES = ("Access", "Read", "Write", "ReadWrite")
DATA_TYPES = ("string", "boolean", "currency", "date", "time", "number")

LangText = tuple[str | None, str]  # (xml:lang or None, text)


@dataclass
class Property:
    ref: str  # the property definition's identifier
    values: list[LangText]


@dataclass
class PropertyDefinition:
    identifier: str
    names: list[LangText]
    data_type: str = "string"


@dataclass
class Concept:
    identifier: str
    kind: str  # "element" or "relationship"
    type: str
    names: list[LangText] = field(default_factory=list)
    docs: list[LangText] = field(default_factory=list)
    properties: list[Property] = field(default_factory=list)
    line: int | None = None
    source: str | None = None
    target: str | None = None
    access_type: str | None = None
    is_directed: bool | None = None
    modifier: str | None = None

    def describe(self) -> str:
        name = next((text for _, text in self.names if text), None)
        return f"{self.kind} {self.identifier} ({self.type}{f' {name!r}' if name else ''})"


@dataclass
class Organization:
    identifier: str | None = None
    labels: list[LangText] = field(default_factory=list)
    docs: list[LangText] = field(default_factory=list)
    ref: str | None = None  # identifierRef: a concept this item stands for
    children: list[Organization] = field(default_factory=list)
    line: int | None = None

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Color:
    r: int
    g: int
    b: int
    a: int | None = None  # 0 (transparent) to 100 (opaque)


@dataclass
class Style:
    fill: Color | None = None
    line: Color | None = None
    font_name: str | None = None
    font_size: str | None = None  # a decimal, as written
    font_style: str | None = None  # e.g. "bold italic"
    font_color: Color | None = None
    line_width: int | None = None
    has_font: bool = False  # a <font> element, even an empty one


@dataclass
class ViewNode:
    identifier: str
    type: str  # xsi:type: Element, Container or Label
    x: int
    y: int
    w: int
    h: int
    element_ref: str | None = None
    labels: list[LangText] = field(default_factory=list)
    docs: list[LangText] = field(default_factory=list)
    style: Style | None = None
    children: list[ViewNode] = field(default_factory=list)
    view_refs: list[str] = field(default_factory=list)  # viewRef: views this node links to (a view reference)
    concept_ref: str | None = None  # Label conceptRef: the concept whose text the label shows
    xpath_part: str | None = None  # Label xpathPart: which part of that concept
    line: int | None = field(default=None, compare=False)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Connection:
    identifier: str
    type: str  # xsi:type: Relationship or Line
    source: str | None = None  # a node (or connection) of the same view
    target: str | None = None
    relationship_ref: str | None = None
    labels: list[LangText] = field(default_factory=list)
    docs: list[LangText] = field(default_factory=list)
    style: Style | None = None
    bendpoints: list[tuple[int, int]] = field(default_factory=list)
    view_refs: list[str] = field(default_factory=list)
    source_attachment: tuple[int, int] | None = None  # where the line leaves its source, absolute
    target_attachment: tuple[int, int] | None = None
    line: int | None = field(default=None, compare=False)


@dataclass
class View:
    identifier: str
    type: str | None = None  # xsi:type as written (Diagram), or None when the file leaves it out
    names: list[LangText] = field(default_factory=list)
    docs: list[LangText] = field(default_factory=list)
    viewpoint: str | None = None
    viewpoint_ref: str | None = None  # a viewpoint defined in the file's <viewpoints>
    properties: list[Property] = field(default_factory=list)
    nodes: list[ViewNode] = field(default_factory=list)
    connections: list[Connection] = field(default_factory=list)
    line: int | None = field(default=None, compare=False)

    def all_nodes(self):
        for node in self.nodes:
            yield from node.walk()


@dataclass
class Model:
    identifier: str
    names: list[LangText] = field(default_factory=list)
    docs: list[LangText] = field(default_factory=list)
    version: str | None = None
    properties: list[Property] = field(default_factory=list)
    concepts: list[Concept] = field(default_factory=list)
    property_definitions: list[PropertyDefinition] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    views: list[View] = field(default_factory=list)
    viewpoints: str | None = None  # the <viewpoints> element (viewpoint definitions) as XML text, kept verbatim
    viewpoint_ids: list[str] = field(default_factory=list)  # the identifiers it defines
    views_skipped: int = 0  # views that could not be kept (Archi sketch and canvas views)
    skipped_names: list[str] = field(default_factory=list)  # their kinds and names, for the warning
    left_out: dict[str, int] = field(default_factory=dict)  # parts of views not kept yet, counted by kind
    source_format: str = "exchange"
    metadata: str | None = None  # the <metadata> element as XML text, kept verbatim

    @property
    def elements(self) -> list[Concept]:
        return [c for c in self.concepts if c.kind == "element"]

    @property
    def relationships(self) -> list[Concept]:
        return [c for c in self.concepts if c.kind == "relationship"]

    def property_count(self) -> int:
        return len(self.properties) + sum(len(c.properties) for c in self.concepts)

    def organization_count(self) -> int:
        return sum(1 for root in self.organizations for o in root.walk() if o.ref is None)

    def type_counts(self, kind: str) -> dict[str, int]:
        return dict(sorted(Counter(c.type for c in self.concepts if c.kind == kind).items()))


def check_model(model: Model, name: str) -> None:
    """Refuse a model whose parts do not fit together; each message names the element and its line."""
    declared = {d.identifier for d in model.property_definitions}
    seen: dict[str, Concept] = {}
    for concept in model.concepts:
        known = ELEMENT_TYPES if concept.kind == "element" else RELATIONSHIP_TYPES
        if concept.type not in known:
            raise InputError(
                name, f"{concept.kind} {concept.identifier} has an unknown type {concept.type!r}", concept.line
            )
        if concept.identifier in seen:
            raise InputError(name, f"identifier {concept.identifier!r} is used twice", concept.line)
        seen[concept.identifier] = concept
    owners = [("the model", model.properties, None)] + [(c.describe(), c.properties, c.line) for c in model.concepts]
    owners += [(f"view {v.identifier}", v.properties, v.line) for v in model.views]
    for owner, properties, line in owners:
        for prop in properties:
            if prop.ref not in declared:
                raise InputError(
                    name,
                    f"property definition {prop.ref!r} is not declared (no propertyDefinition has that identifier); "
                    f"it is used by {owner}",
                    line,
                )
    for concept in model.relationships:
        for end in ("source", "target"):
            ref = getattr(concept, end)
            if not ref:
                raise InputError(name, f"{concept.describe()} has no {end}", concept.line)
            if ref not in seen:
                raise InputError(
                    name, f"{concept.describe()} has a {end} {ref!r} that is no element or relationship", concept.line
                )
    ids = set(seen)
    views = {}
    for view in model.views:
        if view.identifier in ids:
            raise InputError(name, f"identifier {view.identifier!r} is used twice", view.line)
        ids.add(view.identifier)
        views[view.identifier] = view
    for view in model.views:
        parts: dict[str, object] = {}
        for part in [*view.all_nodes(), *view.connections]:
            if part.identifier in ids or part.identifier in parts:
                raise InputError(name, f"identifier {part.identifier!r} is used twice", part.line)
            parts[part.identifier] = part
        ids.update(parts)  # in place: `|=` with a keys view would copy the whole set for every view
        for node in view.all_nodes():
            if node.concept_ref is not None and node.concept_ref not in seen and node.concept_ref not in views:
                raise InputError(
                    name,
                    f"label {node.identifier} of view {view.identifier} has a conceptRef {node.concept_ref!r} that "
                    "is no element, relationship or view",
                    node.line,
                )
            if node.type == "Element":
                found = seen.get(node.element_ref or "")
                if found is None or found.kind != "element":
                    raise InputError(
                        name,
                        f"node {node.identifier} of view {view.identifier} refers to {node.element_ref!r}, "
                        "which is no element",
                        node.line,
                    )
        for part in [*view.all_nodes(), *view.connections]:
            for ref in part.view_refs:
                if ref not in views:
                    raise InputError(
                        name,
                        f"{'node' if isinstance(part, ViewNode) else 'connection'} {part.identifier} of view "
                        f"{view.identifier} has a viewRef {ref!r} that is no view",
                        part.line,
                    )
        if view.viewpoint_ref is not None and view.viewpoint_ref not in model.viewpoint_ids:
            raise InputError(
                name,
                f"view {view.identifier} has a viewpointRef {view.viewpoint_ref!r} that is no viewpoint",
                view.line,
            )
        for conn in view.connections:
            if conn.type == "Relationship":
                found = seen.get(conn.relationship_ref or "")
                if found is None or found.kind != "relationship":
                    raise InputError(
                        name,
                        f"connection {conn.identifier} of view {view.identifier} refers to {conn.relationship_ref!r}, "
                        "which is no relationship",
                        conn.line,
                    )
            for end in ("source", "target"):
                ref = getattr(conn, end)
                if ref is not None and ref not in parts:
                    raise InputError(
                        name,
                        f"connection {conn.identifier} of view {view.identifier} has a {end} {ref!r} that is no node "
                        "or connection of that view",
                        conn.line,
                    )
    for root in model.organizations:
        for org in root.walk():
            if org.ref is not None and org.ref not in seen and org.ref not in views:
                raise InputError(
                    name,
                    f"organization item refers to {org.ref!r}, which is no element, relationship or view",
                    org.line,
                )
