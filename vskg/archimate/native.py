"""Reading Archi's native ``.archimate`` files (plain XML, or the zip Archi writes when a model holds images).

Archi's format: an ``archimate:model`` root with ``folder``s holding ``element``s whose ``xsi:type`` is
``archimate:<Type>`` (relationships are ``archimate:<Type>Relationship`` with ``source``/``target`` attributes,
junctions ``archimate:Junction`` with ``type="or"`` for an Or junction), ``documentation`` children and
``property key= value=`` children. Folders become organizations; each distinct property key becomes a property
definition. ArchiMate diagrams become views (`native_diagrams`); sketch and canvas views, which the exchange format
cannot hold, are counted as skipped and named in a warning.

Identifiers that start with a digit (Archi's older models use ids such as ``3641``) are not valid XML IDs, so they
get the ``id-`` prefix Archi's own exporter gives them: the export stays XSD-valid and has the identifiers Archi
would write.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from vskg.archimate.model import XSI, Concept, Model, Organization, Property, PropertyDefinition, check_model
from vskg.archimate.native_diagrams import DiagramReader
from vskg.archimate.xmlsafe import parse_xml
from vskg.rdfio import InputError

NATIVE_NS = "http://www.archimatetool.com/archimate"
_TYPE = "{" + XSI + "}type"
_VIEWS = {"ArchimateDiagramModel", "SketchModel", "CanvasModel"}
_SKIPPED = {"SketchModel": "sketch view", "CanvasModel": "canvas view"}
# Archi stores the access type as a number; no attribute means Write.
_ACCESS = {"0": "Write", "1": "Read", "2": "Access", "3": "ReadWrite"}


class _Keys:
    """Property keys turned into property definitions, numbered in the order they first appear."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def ref(self, key: str) -> str:
        if key not in self.ids:
            self.ids[key] = f"propid-{len(self.ids) + 1}"
        return self.ids[key]

    def properties(self, node: etree._Element) -> list[Property]:
        out = []
        for prop in node.findall("property"):
            key = prop.get("key")
            if key is None:
                continue
            out.append(Property(self.ref(key), [(None, prop.get("value", ""))]))
        return out


def _docs(node: etree._Element) -> list[tuple[str | None, str]]:
    texts = [child.text or "" for child in node.findall("documentation")]
    if node.get("documentation"):
        texts.append(node.get("documentation", ""))
    return [(None, t) for t in texts if t]


def archi_id(raw: str) -> str:
    """Archi's identifier as an XML ID: ``id-`` before one that starts with a digit, as Archi's exporter does."""
    return "id-" + raw if raw[:1].isdigit() else raw


def _diagram_type(node: etree._Element) -> str:
    return (node.get(_TYPE) or "").rpartition(":")[2]


def read_native(data: bytes | Iterable[bytes], name: str) -> Model:
    root = parse_xml(data, name)
    if root.tag != "{" + NATIVE_NS + "}model":
        raise InputError(
            name, f"not an Archi model: the root element is {root.tag!r}, expected archimate:model", root.sourceline
        )
    identifier = root.get("id")
    if not identifier:
        raise InputError(name, "the Archi model has no id", root.sourceline)
    keys = _Keys()
    purpose = [(None, p.text or "") for p in root.findall("purpose") if p.text]
    model = Model(
        identifier=archi_id(identifier),
        names=[(None, root.get("name", "").strip())] if root.get("name", "").strip() else [],
        docs=purpose,
        version=root.get("version"),
        properties=keys.properties(root),
        source_format="archi",
    )
    diagrams = [n for n in root.iter("element") if _diagram_type(n) in _VIEWS]
    reader = DiagramReader(
        name,
        archi_id,
        {n.get("id", ""): n.get("name", "") for n in diagrams},
        {n.get("id", "") for n in diagrams if _diagram_type(n) == "ArchimateDiagramModel"},
        model.left_out,
    )

    def folder(node: etree._Element) -> Organization:
        org = Organization(
            identifier=archi_id(node.get("id")) if node.get("id") else None,
            labels=[(None, node.get("name", "").strip())] if node.get("name", "").strip() else [],
            docs=_docs(node),
            line=node.sourceline,
        )
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "folder":
                org.children.append(folder(child))
            elif child.tag == "element" and _diagram_type(child) in _SKIPPED:
                model.views_skipped += 1
                model.skipped_names.append(f"{_SKIPPED[_diagram_type(child)]} {child.get('name', '')!r}")
            elif child.tag == "element" and _diagram_type(child) == "ArchimateDiagramModel":
                if not child.get("id"):
                    raise InputError(name, "a diagram has no id", child.sourceline)
                view = reader.view(child, keys.properties(child))
                model.views.append(view)
                org.children.append(Organization(ref=view.identifier, line=child.sourceline))
            elif child.tag == "element":
                concept = _concept(child, keys, name)
                model.concepts.append(concept)
                org.children.append(Organization(ref=concept.identifier, line=child.sourceline))
        return org

    for node in root.findall("folder"):
        model.organizations.append(folder(node))
    model.property_definitions = [PropertyDefinition(ref, [(None, key)]) for key, ref in keys.ids.items()]
    check_model(model, name)
    return model


def _concept(node: etree._Element, keys: _Keys, name: str) -> Concept:
    raw = (node.get(_TYPE) or "").rpartition(":")[2]
    if not raw:
        raise InputError(name, f"element {node.get('id')} has no xsi:type", node.sourceline)
    if raw == "Junction":
        kind, type_name = "element", "OrJunction" if node.get("type") == "or" else "AndJunction"
    elif raw.endswith("Relationship"):
        kind, type_name = "relationship", raw.removesuffix("Relationship")
    else:
        kind, type_name = "element", raw
    identifier = node.get("id")
    if not identifier:
        raise InputError(name, f"an element of type {raw} has no id", node.sourceline)
    concept = Concept(
        identifier=archi_id(identifier),
        kind=kind,
        type=type_name,
        names=[(None, node.get("name", "").strip())] if node.get("name", "").strip() else [],
        docs=_docs(node),
        properties=keys.properties(node),
        line=node.sourceline,
    )
    if kind == "relationship":
        source, target = node.get("source"), node.get("target")
        concept.source = archi_id(source) if source else source
        concept.target = archi_id(target) if target else target
        if type_name == "Access":
            concept.access_type = _ACCESS.get(node.get("accessType", "0"), "Write")
        if type_name == "Association" and node.get("directed") is not None:
            concept.is_directed = node.get("directed") == "true"
        if type_name == "Influence" and node.get("strength"):
            concept.modifier = node.get("strength")
    return concept
