"""Archi's diagrams (``archimate:ArchimateDiagramModel``) read into the same views the exchange reader builds.

Archi and the exchange format draw the same picture with different conventions, so each is translated here:

- a child's bounds are relative to its parent in Archi and absolute in the exchange format: they are added up;
- Archi allows negative coordinates, the exchange format does not: the whole view is shifted right and down by the
  most negative coordinate of its top-level nodes and bendpoints, as Archi's own exporter does;
- a bendpoint is stored as two offsets, from the centre of the source and from the centre of the target, blended
  by its rank among the connection's bendpoints; it becomes one absolute point (Archi's formula, truncated to whole
  units);
- a width or height of -1 (Archi's "default size") becomes Archi's default size for that kind of object;
- colours are ``#rrggbb`` strings, the font is SWT's ``version|name|height|style|...`` string (style bit 1 bold,
  bit 2 italic), the fill opacity an ``alpha`` of 0-255 (the exchange format counts 0-100);
- an element node is ``Element``, a group ``Container``, a note and a diagram reference ``Label`` (the reference
  keeps its link as a ``viewRef`` and shows the name of the view it refers to), a connection with a relationship
  ``Relationship`` and any other ``Line``.

Display settings the exchange format has no place for (text alignment and position, border type, gradients,
images, properties of diagram objects ...) are counted by name in the model's ``left_out`` for a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from lxml import etree

from vskg.archimate.model import XSI, Color, Connection, Style, View, ViewNode
from vskg.rdfio import InputError

_TYPE = "{" + XSI + "}type"
_NODE_TYPES = {
    "DiagramObject": "Element",
    "DiagramModelArchimateObject": "Element",
    "Group": "Container",
    "DiagramModelGroup": "Container",
    "Note": "Label",
    "DiagramModelNote": "Label",
    "DiagramModelReference": "Label",
}
# Archi's default sizes when a bounds says -1 (or is missing): element figures, groups, notes.
_DEFAULT_SIZE = {"Element": (120, 55), "Container": (400, 140), "Label": (185, 80)}
# Attributes read below; any other attribute of a diagram part is a display setting not kept.
_READ = {
    "id", "name", "archimateElement", "archimateRelationship", "fillColor", "lineColor", "fontColor", "font",
    "lineWidth", "alpha", "model", "source", "target", "targetConnections", "documentation", _TYPE,
}  # fmt: skip
_SETTING_NAMES = {"type": "figure type", "textAlignment": "text alignment", "textPosition": "text position"}
# Archi's viewpoint identifiers and the names the exchange format gives them.
VIEWPOINTS = {
    "organization": "Organization", "information_structure": "Information Structure", "technology": "Technology",
    "layered": "Layered", "physical": "Physical", "product": "Product",
    "application_structure": "Application Structure", "application_usage": "Application Usage",
    "technology_usage": "Technology Usage", "business_process_cooperation": "Business Process Cooperation",
    "application_cooperation": "Application Cooperation", "service_realization": "Service Realization",
    "implementation_deployment": "Implementation and Deployment", "goal_realization": "Goal Realization",
    "requirements_realization": "Requirements Realization", "motivation": "Motivation", "strategy": "Strategy",
    "capability": "Capability Map", "outcome_realization": "Outcome Realization", "resource": "Resource Map",
    "project": "Project", "migration": "Migration", "implementation_migration": "Implementation and Migration",
    "stakeholder": "Stakeholder", "value_stream": "Value Stream",
}  # fmt: skip

Ident = Callable[[str], str]


def _texts(node: etree._Element, tag: str) -> list[tuple[str | None, str]]:
    texts = [child.text or "" for child in node.findall(tag)]
    if node.get(tag):
        texts.append(node.get(tag, ""))
    return [(None, t) for t in texts if t]


def _whole(element: etree._Element | None, attribute: str) -> int:
    """A whole-number attribute, 0 when absent or not a number (Archi writes only numbers there)."""
    raw = "0" if element is None else element.get(attribute, "0")
    return int(raw) if raw.lstrip("-").isdigit() else 0


def _hex_color(raw: str | None, alpha: int | None = None) -> Color | None:
    if not raw or len(raw) != 7 or not raw.startswith("#"):
        return None
    try:
        return Color(int(raw[1:3], 16), int(raw[3:5], 16), int(raw[5:7], 16), alpha)
    except ValueError:
        return None


def _font(raw: str, style: Style) -> None:
    parts = raw.split("|")
    if len(parts) > 3 and parts[0].isdigit():  # SWT FontData: version|name|height|style|platform|...
        parts = parts[1:]
    if len(parts) < 3:
        return
    style.has_font = True
    style.font_name = parts[0] or None
    try:
        size = Decimal(parts[1])
        style.font_size = format(size.to_integral_value() if size == size.to_integral_value() else size, "f")
    except InvalidOperation:
        style.font_size = None
    bits = int(parts[2]) if parts[2].isdigit() else 0
    words = [word for bit, word in ((1, "bold"), (2, "italic")) if bits & bit]
    style.font_style = " ".join(words) or None


def _style(node: etree._Element) -> Style | None:
    alpha = node.get("alpha")
    opacity = round(int(alpha) / 255 * 100) if alpha is not None and alpha.isdigit() else None
    style = Style(fill=_hex_color(node.get("fillColor"), opacity), line=_hex_color(node.get("lineColor")))
    if node.get("lineWidth", "").isdigit():
        style.line_width = int(node.get("lineWidth", ""))
    if node.get("font"):
        _font(node.get("font", ""), style)
    font_color = _hex_color(node.get("fontColor"))
    if font_color is not None:
        style.has_font, style.font_color = True, font_color
    return None if style == Style() else style


class DiagramReader:
    """Reads the diagrams of one Archi model; ``names`` holds every diagram's name, for diagram references."""

    def __init__(
        self, file: str, ident: Ident, names: dict[str, str], archimate_ids: set[str], left_out: dict[str, int]
    ):
        self.file = file  # the file's name, for errors
        self.ident = ident
        self.names = names  # raw diagram id -> name (ArchiMate, sketch and canvas diagrams)
        self.archimate_ids = archimate_ids  # raw ids of ArchiMate diagrams (a viewRef may only point at those)
        self.left_out = left_out

    def _identified(self, part: etree._Element, what: str) -> str:
        if not part.get("id"):
            raise InputError(self.file, f"a diagram {what} has no id", part.sourceline)
        return self.ident(part.get("id", ""))

    def _not_kept(self, node: etree._Element) -> None:
        for attribute in node.attrib:
            if attribute not in _READ:
                local = etree.QName(attribute).localname
                what = f"Archi diagram {_SETTING_NAMES.get(local, local)} settings"
                self.left_out[what] = self.left_out.get(what, 0) + 1
        for tag, what in (("property", "properties of Archi diagram objects"), ("feature", "Archi diagram features")):
            found = len(node.findall(tag))
            if found:
                self.left_out[what] = self.left_out.get(what, 0) + found

    def view(self, element: etree._Element, properties) -> View:
        viewpoint = element.get("viewpoint") or None
        if viewpoint is not None and viewpoint not in VIEWPOINTS:  # e.g. the numbers of Archi 2's viewpoints
            what = "Archi viewpoints the exchange format does not name"
            self.left_out[what] = self.left_out.get(what, 0) + 1
            viewpoint = None
        view = View(
            identifier=self.ident(element.get("id", "")),
            type="Diagram",
            names=[(None, element.get("name", "").strip())] if element.get("name", "").strip() else [],
            docs=_texts(element, "documentation"),
            viewpoint=VIEWPOINTS[viewpoint] if viewpoint else None,
            properties=properties,
            line=element.sourceline,
        )
        bounds: dict[str, tuple[int, int, int, int]] = {}  # absolute, by raw id
        raw_connections: list[etree._Element] = []
        for child in element.findall("child"):
            node = self._node(child, 0, 0, bounds, raw_connections)
            if node is not None:
                view.nodes.append(node)
        bends: dict[str, list[tuple[int, int]]] = {}
        for raw in raw_connections:
            bends[raw.get("id", "")] = self._bendpoints(raw, bounds)
        dx = min([0] + [n.x for n in view.nodes] + [x for pts in bends.values() for x, _ in pts])
        dy = min([0] + [n.y for n in view.nodes] + [y for pts in bends.values() for _, y in pts])
        if dx or dy:
            for node in view.all_nodes():
                node.x, node.y = node.x - dx, node.y - dy
        for raw in raw_connections:
            view.connections.append(self._connection(raw, [(x - dx, y - dy) for x, y in bends[raw.get("id", "")]]))
        return view

    def _node(self, child, px: int, py: int, bounds: dict, connections: list) -> ViewNode | None:
        kind = (child.get(_TYPE) or "").rpartition(":")[2]
        node_type = _NODE_TYPES.get(kind)
        if node_type is None:
            what = f"Archi diagram objects of type {kind or 'unknown'}"
            self.left_out[what] = self.left_out.get(what, 0) + 1
            return None
        self._not_kept(child)
        box = child.find("bounds")
        width, height = _DEFAULT_SIZE[node_type]
        w, h = _whole(box, "width"), _whole(box, "height")
        x, y = px + _whole(box, "x"), py + _whole(box, "y")
        w, h = (w if w > 0 else width), (h if h > 0 else height)
        node = ViewNode(
            identifier=self._identified(child, "object"),
            type=node_type,
            x=x,
            y=y,
            w=w,
            h=h,
            style=_style(child),
            line=child.sourceline,
        )
        if node_type == "Element":
            raw_ref = child.get("archimateElement")
            node.element_ref = self.ident(raw_ref) if raw_ref else None
        elif kind in ("Group", "DiagramModelGroup"):
            node.labels = [(None, child.get("name", ""))] if child.get("name") else []
            node.docs = _texts(child, "documentation")
        elif kind in ("Note", "DiagramModelNote"):
            node.labels = _texts(child, "content")
            node.docs = _texts(child, "documentation")
        else:  # a diagram reference: labelled with the name of the diagram it shows
            target = child.get("model", "")
            name = self.names.get(target)
            node.labels = [(None, name)] if name else []
            if target in self.archimate_ids:
                node.view_refs = [self.ident(target)]
            elif target not in self.names:
                node.view_refs = [self.ident(target)]  # an unknown diagram: the model check refuses it
        bounds[child.get("id", "")] = (x, y, w, h)
        for outgoing in child.findall("sourceConnection"):
            connections.extend(outgoing.iter("sourceConnection"))  # with connections that start at a connection
        for grandchild in child.findall("child"):
            inner = self._node(grandchild, x, y, bounds, connections)
            if inner is not None:
                node.children.append(inner)
        return node

    def _bendpoints(self, raw: etree._Element, bounds: dict) -> list[tuple[int, int]]:
        points = raw.findall("bendpoint")
        source, target = bounds.get(raw.get("source", "")), bounds.get(raw.get("target", ""))
        if not points:
            return []
        if source is None or target is None:  # attached to a connection: Archi's exporter writes none either
            what = "bendpoints of Archi connections attached to connections"
            self.left_out[what] = self.left_out.get(what, 0) + len(points)
            return []
        out = []
        for rank, point in enumerate(points, start=1):
            weight = rank / (len(points) + 1)
            sx = (source[0] + source[2] // 2 + _whole(point, "startX")) * (1 - weight)
            sy = (source[1] + source[3] // 2 + _whole(point, "startY")) * (1 - weight)
            ex = (target[0] + target[2] // 2 + _whole(point, "endX")) * weight
            ey = (target[1] + target[3] // 2 + _whole(point, "endY")) * weight
            out.append((int(sx + ex), int(sy + ey)))
        return out

    def _connection(self, raw: etree._Element, bendpoints: list[tuple[int, int]]) -> Connection:
        self._not_kept(raw)
        relationship = raw.get("archimateRelationship")
        conn = Connection(
            identifier=self._identified(raw, "connection"),
            type="Relationship" if relationship else "Line",
            source=self.ident(raw.get("source", "")) if raw.get("source") else None,
            target=self.ident(raw.get("target", "")) if raw.get("target") else None,
            relationship_ref=self.ident(relationship) if relationship else None,
            docs=_texts(raw, "documentation"),
            style=_style(raw),
            bendpoints=bendpoints,
            line=raw.sourceline,
        )
        if not relationship and raw.get("name"):
            conn.labels = [(None, raw.get("name", ""))]
        return conn
