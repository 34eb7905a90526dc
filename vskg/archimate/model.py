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


def leave_out_refs(items: list[Organization], refs: set[str]) -> int:
    """Take out of ``items`` (recursively) every item that stands for one of ``refs``; return how many went."""
    kept = [item for item in items if item.ref is None or item.ref not in refs]
    gone = len(items) - len(kept)
    items[:] = kept
    return gone + sum(leave_out_refs(item.children, refs) for item in kept)


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
    views: int = 0
    view_items_left_out: int = 0  # organization items that stood for views (views are not imported)
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
    for root in model.organizations:
        for org in root.walk():
            if org.ref is not None and org.ref not in seen:
                raise InputError(
                    name, f"organization item refers to {org.ref!r}, which is no element or relationship", org.line
                )
