"""Reading the Open Group ArchiMate Model Exchange File Format (namespace http://www.opengroup.org/xsd/archimate/3.0/).

Everything is kept: elements, relationships, names and documentation in every language, properties with their
definitions, organizations and views (diagrams: nodes with bounds, nesting, labels, styles, view references and
label expressions; connections with bendpoints, attachments and styles; viewpoint references) and the viewpoint
definitions (kept as the XML they were written in).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar

from lxml import etree

from vskg.archimate.model import (
    ACCESS_TYPES,
    DATA_TYPES,
    NS,
    XSI,
    Color,
    Concept,
    Connection,
    Model,
    Organization,
    Property,
    PropertyDefinition,
    Style,
    View,
    ViewNode,
    check_model,
)
from vskg.archimate.xmlsafe import lang_of, parse_xml
from vskg.rdfio import InputError

_Q = "{" + NS + "}"
_TYPE = "{" + XSI + "}type"
_UNNAMED = "\0"  # stands for the file name in errors raised below read_exchange, which puts the real one in


# Whether the file being read has any xml:lang at all (set by read_exchange, per thread of the caller).
_LANGUAGES: ContextVar[bool] = ContextVar("languages", default=True)


def _texts(parent: etree._Element, tag: str, *, strip: bool) -> list[tuple[str | None, str]]:
    out = []
    languages = _LANGUAGES.get()
    for child in parent.iterchildren(_Q + tag):
        text = child.text or ""
        if strip:
            text = text.strip()
            if not text:
                continue
        # without any xml:lang in the file, no text has a language: no walk up the ancestors for each one
        out.append((lang_of(child, _UNNAMED) if languages else None, text))
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


def _int(element: etree._Element, attribute: str, *, default: int | None = None) -> int:
    raw = element.get(attribute)
    if raw is None and default is not None:
        return default
    try:
        return int((raw or "").strip())
    except ValueError:
        raise InputError(
            _UNNAMED,
            f"<{etree.QName(element).localname}> {element.get('identifier') or ''} has {attribute}={raw!r}, "
            "which is no whole number".replace("  ", " "),
            element.sourceline,
        ) from None


def _color(element: etree._Element | None) -> Color | None:
    if element is None:
        return None
    alpha = element.get("a")
    return Color(
        _int(element, "r"), _int(element, "g"), _int(element, "b"), None if alpha is None else _int(element, "a")
    )


def _style(parent: etree._Element) -> Style | None:
    element = parent.find(_Q + "style")
    if element is None:
        return None
    style = Style(fill=_color(element.find(_Q + "fillColor")), line=_color(element.find(_Q + "lineColor")))
    if element.get("lineWidth") is not None:
        style.line_width = _int(element, "lineWidth")
    font = element.find(_Q + "font")
    if font is not None:
        style.has_font = True
        style.font_name, style.font_size, style.font_style = font.get("name"), font.get("size"), font.get("style")
        style.font_color = _color(font.find(_Q + "color"))
    return style


def _refs(element: etree._Element) -> list[str]:
    """The views a node or connection links to (its <viewRef ref=...> children)."""
    return [ref.get("ref", "") for ref in element.findall(_Q + "viewRef")]


def _point(element: etree._Element | None) -> tuple[int, int] | None:
    return None if element is None else (_int(element, "x"), _int(element, "y"))


def _view_node(element: etree._Element, name: str) -> ViewNode:
    node = ViewNode(
        identifier=element.get("identifier", ""),
        type=_local_type(element, name),
        x=_int(element, "x"),
        y=_int(element, "y"),
        w=_int(element, "w"),
        h=_int(element, "h"),
        element_ref=element.get("elementRef"),
        labels=_texts(element, "label", strip=False),
        docs=_texts(element, "documentation", strip=False),
        style=_style(element),
        view_refs=_refs(element),
        concept_ref=element.get("conceptRef"),
        xpath_part=element.get("xpathPart"),
        line=element.sourceline,
    )
    node.children = [_view_node(child, name) for child in element.findall(_Q + "node")]
    return node


def _view(element: etree._Element, name: str) -> View:
    view = View(
        identifier=element.get("identifier", ""),
        type=element.get(_TYPE).rpartition(":")[2] if element.get(_TYPE) else None,
        names=_texts(element, "name", strip=True),
        docs=_texts(element, "documentation", strip=False),
        viewpoint=element.get("viewpoint"),
        viewpoint_ref=element.get("viewpointRef"),
        properties=_properties(element),
        nodes=[_view_node(child, name) for child in element.findall(_Q + "node")],
        line=element.sourceline,
    )
    for child in element.findall(_Q + "connection"):
        view.connections.append(
            Connection(
                identifier=child.get("identifier", ""),
                type=_local_type(child, name),
                source=child.get("source"),
                target=child.get("target"),
                relationship_ref=child.get("relationshipRef"),
                labels=_texts(child, "label", strip=False),
                docs=_texts(child, "documentation", strip=False),
                style=_style(child),
                bendpoints=[(_int(b, "x"), _int(b, "y")) for b in child.findall(_Q + "bendpoint")],
                view_refs=_refs(child),
                source_attachment=_point(child.find(_Q + "sourceAttachment")),
                target_attachment=_point(child.find(_Q + "targetAttachment")),
                line=child.sourceline,
            )
        )
    return view


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
    _LANGUAGES.set(bool(root.xpath("boolean(//@xml:lang)")))
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
    for holder in root.findall(f"{_Q}views/{_Q}diagrams"):
        model.views.extend(_view(element, name) for element in holder.findall(_Q + "view"))
    viewpoints = root.find(f"{_Q}views/{_Q}viewpoints")
    if viewpoints is not None:
        model.viewpoints = etree.tostring(viewpoints, encoding="unicode")
        model.viewpoint_ids = [v.get("identifier", "") for v in viewpoints.findall(_Q + "viewpoint")]
    check_model(model, name)
    return model
