"""Reading the Open Group ArchiMate Model Exchange File Format (namespace http://www.opengroup.org/xsd/archimate/3.0/).

Views (diagrams) are counted and left out. Everything else (elements, relationships, names and documentation in
every language, properties with their definitions, organizations) is kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from vskg.archimate.model import (
    ACCESS_TYPES,
    DATA_TYPES,
    NS,
    XSI,
    Concept,
    Model,
    Organization,
    Property,
    PropertyDefinition,
    check_model,
    leave_out_refs,
)
from vskg.archimate.xmlsafe import lang_of, parse_xml
from vskg.rdfio import InputError

_Q = "{" + NS + "}"
_TYPE = "{" + XSI + "}type"
_UNNAMED = "\0"  # stands for the file name in errors raised below read_exchange, which puts the real one in


def _texts(parent: etree._Element, tag: str, *, strip: bool) -> list[tuple[str | None, str]]:
    out = []
    for child in parent.findall(_Q + tag):
        text = child.text or ""
        if strip:
            text = text.strip()
            if not text:
                continue
        out.append((lang_of(child, _UNNAMED), text))
    return out


def _properties(parent: etree._Element) -> list[Property]:
    out = []
    holder = parent.find(_Q + "properties")
    if holder is None:
        return out
    for prop in holder.findall(_Q + "property"):
        out.append(Property(prop.get("propertyDefinitionRef", ""), _texts(prop, "value", strip=False)))
    return out


def _local_type(element: etree._Element, name: str) -> str:
    raw = element.get(_TYPE)
    if not raw:
        raise InputError(
            name, f"<{etree.QName(element).localname}> {element.get('identifier')} has no xsi:type", element.sourceline
        )
    return raw.rpartition(":")[2]


def _organization(item: etree._Element) -> Organization:
    org = Organization(
        identifier=item.get("identifier"),
        labels=_texts(item, "label", strip=True),
        docs=_texts(item, "documentation", strip=False),
        ref=item.get("identifierRef"),
        line=item.sourceline,
    )
    org.children = [_organization(child) for child in item.findall(_Q + "item")]
    return org


def read_exchange(data: bytes | Iterable[bytes], name: str) -> Model:
    """Parse and check an exchange file; raise InputError naming the element and line of the first problem."""
    try:
        return _read(data, name)
    except InputError as problem:
        if problem.path == _UNNAMED:
            raise InputError(name, problem.reason, problem.line) from None
        raise


def _read(data: bytes | Iterable[bytes], name: str) -> Model:
    root = parse_xml(data, name)
    if root.tag != _Q + "model":
        raise InputError(
            name,
            f"not an ArchiMate exchange file: the root element is {etree.QName(root).localname!r} in namespace "
            f"{etree.QName(root).namespace!r}, expected 'model' in {NS!r}",
            root.sourceline,
        )
    identifier = root.get("identifier")
    if not identifier:
        raise InputError(name, "the model has no identifier", root.sourceline)
    model = Model(
        identifier=identifier,
        names=_texts(root, "name", strip=True),
        docs=_texts(root, "documentation", strip=False),
        version=root.get("version"),
        properties=_properties(root),
    )
    metadata = root.find(_Q + "metadata")
    if metadata is not None:
        model.metadata = etree.tostring(metadata, encoding="unicode")
    for holder in root.findall(_Q + "propertyDefinitions"):
        for definition in holder.findall(_Q + "propertyDefinition"):
            data_type = definition.get("type", "string")
            if data_type not in DATA_TYPES:
                raise InputError(
                    name,
                    f"property definition {definition.get('identifier')} has an unknown type {data_type!r}",
                    definition.sourceline,
                )
            model.property_definitions.append(
                PropertyDefinition(definition.get("identifier", ""), _texts(definition, "name", strip=True), data_type)
            )
    for kind, group in (("element", "elements"), ("relationship", "relationships")):
        for holder in root.findall(_Q + group):
            for node in holder.findall(_Q + kind):
                concept = Concept(
                    identifier=node.get("identifier", ""),
                    kind=kind,
                    type=_local_type(node, name),
                    names=_texts(node, "name", strip=True),
                    docs=_texts(node, "documentation", strip=False),
                    properties=_properties(node),
                    line=node.sourceline,
                )
                if not concept.identifier:
                    raise InputError(name, f"a {kind} of type {concept.type} has no identifier", node.sourceline)
                if kind == "relationship":
                    concept.source, concept.target = node.get("source"), node.get("target")
                    access = node.get("accessType")
                    if access is not None and access not in ACCESS_TYPES:
                        raise InputError(
                            name, f"{concept.describe()} has an unknown accessType {access!r}", node.sourceline
                        )
                    concept.access_type = access
                    directed = node.get("isDirected")
                    if directed is not None:
                        concept.is_directed = directed.strip() in ("true", "1")
                    concept.modifier = node.get("modifier")
                model.concepts.append(concept)
    for holder in root.findall(_Q + "organizations"):
        model.organizations.extend(_organization(item) for item in holder.findall(_Q + "item"))
    views = root.find(_Q + "views")
    if views is not None:
        diagrams = views.findall(f"{_Q}diagrams/{_Q}view")
        model.views = len(diagrams)
        # An organization item may stand for a view; views are not imported, so neither are those items.
        shown = {view.get("identifier") for view in diagrams} - {None}
        model.view_items_left_out = leave_out_refs(model.organizations, shown)
    check_model(model, name)
    return model
