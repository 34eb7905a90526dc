"""One ArchiMate view drawn as SVG in ArchiMate notation, from the model objects an import kept in the graph.

Archi's HTML report shows a picture of each view; the workbench draws the same view live from the graph instead,
so it is always the stored one and stays text: element names are <text>, each element links to its page, and
nothing is a script, a stylesheet or an external reference. Nodes are drawn at their bounds (absolute, as the
exchange format gives them), parents before children so nesting shows; connections are polylines through their
bendpoints, cut at the edges of the boxes they join, with the line style and end marks of their relationship type
(`archimate_notation`). Colours, line width and fonts of a node or connection's style win over the layer's.

Everything that comes from the graph is treated as hostile: text is escaped by ElementTree, colours are used only
as three whole numbers, font names only when they are plain words, and coordinates are clamped (``LIMIT``) so an
absurd bound cannot make an absurd picture.
"""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from vskg.archimate.model import Color, Concept, Connection, Style, View, ViewNode
from vskg.maps import archimate_notation as notation
from vskg.maps import svg

LIMIT = 16_000  # every coordinate is clamped to [-LIMIT, LIMIT]
MARGIN = 20
MAX_CANVAS = 2 * LIMIT + 2 * MARGIN  # the largest width or height a view can get
MAX_PARTS = 20_000  # nodes plus connections drawn for one view
FONT_PX = 12.0  # ArchiMate tools default to 9 pt
PAD = 6
ICON_ROOM = 22
TAB_H = 18

Link = Callable[[str], str | None]
_FONT_NAME = re.compile(r"[A-Za-z0-9 _-]{1,64}")


class ViewTooLarge(ValueError):
    """A view with more nodes and connections than one picture is drawn for."""


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    round: bool = False  # a junction: connections end on its circle

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2


def pick(texts: list[tuple[str | None, str]]) -> str:
    """The text to show: the one without a language, else English, else the first."""
    for wanted in (None, "en"):
        for lang, text in texts:
            if lang == wanted and text.strip():
                return text
    return next((text for _lang, text in texts if text.strip()), "")


def all_nodes(nodes: list[ViewNode]) -> Iterator[ViewNode]:
    """Every node of a view, each parent before its children."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def count_nodes(view: View) -> int:
    return sum(1 for _ in all_nodes(view.nodes))


# --- styles ------------------------------------------------------------------------------------------------------


def _number(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def colour(color: Color | None) -> str | None:
    """``#rrggbb`` for a colour of three whole numbers (each clamped to 0..255); None for anything else."""
    if color is None:
        return None
    parts = [_number(p) for p in (color.r, color.g, color.b)]
    if any(p is None for p in parts):
        return None
    return "#" + "".join(f"{max(0, min(255, p)):02x}" for p in parts)  # type: ignore[arg-type]


def opacity(color: Color | None) -> str | None:
    alpha = _number(color.a) if color is not None else None
    if alpha is None or alpha >= 100:
        return None
    return svg.px(max(0, alpha) / 100)


@dataclass(frozen=True)
class Font:
    size: float = FONT_PX
    family: str | None = None
    bold: bool = False
    italic: bool = False
    fill: str = svg.INK


def font_of(style: Style | None) -> Font:
    if style is None:
        return Font()
    size = FONT_PX
    try:
        points = Decimal(style.font_size) if isinstance(style.font_size, str) else None
    except InvalidOperation:
        points = None
    if points is not None and points.is_finite():
        size = max(6.0, min(48.0, float(points) * 4 / 3))
    name = style.font_name if isinstance(style.font_name, str) and _FONT_NAME.fullmatch(style.font_name) else None
    words = set(style.font_style.split()) if isinstance(style.font_style, str) else set()
    return Font(size, name, "bold" in words, "italic" in words, colour(style.font_color) or svg.INK)


def _stroke_width(style: Style | None, default: float = 1.0) -> str:
    width = _number(style.line_width) if style is not None else None
    return svg.px(default if width is None else max(1, min(6, width)))


# --- drawing -----------------------------------------------------------------------------------------------------


def _clamp(value: object, low: int, high: int) -> int:
    number = _number(value)
    return 0 if number is None else max(low, min(high, number))


def box_of(node: ViewNode, junction: bool = False) -> Box:
    x, y = _clamp(node.x, -LIMIT, LIMIT), _clamp(node.y, -LIMIT, LIMIT)
    w, h = _clamp(node.w, 0, LIMIT - x), _clamp(node.h, 0, LIMIT - y)
    return Box(x, y, w, h, junction)


def render_view(
    view: View,
    concepts: Mapping[str, Concept],
    link: Link = lambda _identifier: None,
    *,
    model_name: str = "",
    standalone: bool = True,
) -> str:
    """The SVG text of ``view``; ``concepts`` are the model's elements and relationships by identifier, ``link``
    gives the page of an element or relationship (or None), ``standalone=False`` leaves out the XML declaration."""
    return svg.serialise(_draw(view, concepts, link, model_name), standalone)


def _draw(view: View, concepts: Mapping[str, Concept], link: Link, model_name: str) -> ET.Element:
    nodes = list(all_nodes(view.nodes))
    if len(nodes) + len(view.connections) > MAX_PARTS:
        raise ViewTooLarge(
            f"the view has {len(nodes)} nodes and {len(view.connections)} connections; at most {MAX_PARTS} in all "
            "are drawn"
        )
    boxes: dict[str, Box] = {}
    for node in nodes:
        concept = concepts.get(node.element_ref or "")
        junction = concept is not None and notation.outline_of(concept.type) == "junction"
        boxes[node.identifier] = box_of(node, junction)
    xs = [v for b in boxes.values() for v in (b.x, b.x + b.w)]
    ys = [v for b in boxes.values() for v in (b.y, b.y + b.h)]
    for conn in view.connections:
        for x, y in conn.bendpoints:
            xs.append(_clamp(x, -LIMIT, LIMIT))
            ys.append(_clamp(y, -LIMIT, LIMIT))
    left, top = min(xs, default=0), min(ys, default=0)
    width = max(max(xs, default=0) - left + 2 * MARGIN, 120)
    height = max(max(ys, default=0) - top + 2 * MARGIN, 60)
    name = pick(view.names) or view.identifier
    desc = f"ArchiMate view {name}" + (f" of the model {model_name}" if model_name else "")
    desc += f": {len(nodes)} nodes, {len(view.connections)} connections"
    root = svg.document(width, height, "archimate-view", name, desc, view=view.identifier or "")
    canvas = svg.sub(root, "g", transform=f"translate({svg.px(MARGIN - left)} {svg.px(MARGIN - top)})")
    if not nodes and not view.connections:
        svg.text(canvas, left, top + 16, ["(an empty view)"], 12, fill=svg.MUTED)
    for node in nodes:
        _node(canvas, node, boxes[node.identifier], concepts.get(node.element_ref or ""), link)
    _Connections(canvas, view.connections, boxes, concepts, link).draw()
    return root


def _node(layer: ET.Element, node: ViewNode, box: Box, concept: Concept | None, link: Link) -> None:
    element_type = concept.type if concept is not None else None
    if node.type == "Label":
        outline, text = "note", pick(node.labels)
    elif concept is None:
        outline, text = ("container" if node.type == "Container" else "box"), pick(node.labels)
    else:
        outline, text = notation.outline_of(element_type), pick(concept.names)
    title = text or node.identifier
    if concept is not None:
        title = f"{text} ({element_type})" if text else element_type or ""
        docs = pick(concept.docs)
        if docs:
            title += " \u2014 " + docs
    elif pick(node.docs):
        title += " \u2014 " + pick(node.docs)
    parent = layer
    href = link(concept.identifier) if concept is not None else None
    if href:
        parent = svg.sub(layer, "a", href=href)
    group = svg.group(
        parent,
        "node",
        title,
        identifier=node.identifier or "",
        kind=node.type or "",
        type=element_type or "",
        layer=notation.layer_of(element_type) if concept is not None else outline,
    )
    style = node.style
    if concept is not None:
        default_fill = notation.LAYER_FILL[notation.layer_of(element_type)]
    else:
        default_fill = notation.NOTE_FILL if outline == "note" else notation.CONTAINER_FILL
    fill = colour(style.fill if style else None) or default_fill
    if outline == "junction" and element_type == "OrJunction":
        fill = "#ffffff"
    paint = {"fill": fill, "stroke": colour(style.line if style else None) or notation.LINE}
    paint["stroke_width"] = _stroke_width(style)
    alpha = opacity(style.fill if style else None)
    if alpha is not None:
        paint["fill_opacity"] = alpha
    _outline(group, outline, box, paint)
    icon = notation.icon_of(element_type) if concept is not None else None
    if icon is not None and box.w >= 48 and box.h >= 28:
        svg.sub(
            group,
            "path",
            class_="icon",
            data_icon=icon[0],
            d=icon[1],
            transform=f"translate({svg.px(box.x + box.w - ICON_ROOM + 2)} {svg.px(box.y + 4)})",
            fill="none",
            stroke=notation.LINE,
            stroke_width="1",
        )
    if text and outline != "junction":
        _label(group, outline, box, text, font_of(style), icon is not None)


def _outline(group: ET.Element, outline: str, box: Box, paint: dict[str, str]) -> None:
    x, y, w, h = box.x, box.y, box.w, box.h
    shape: dict[str, str] = {"class_": "shape", "data_outline": outline}
    if outline == "junction":
        cx, cy = box.centre
        svg.sub(group, "circle", cx=svg.px(cx), cy=svg.px(cy), r=svg.px(min(w, h) / 2), **shape, **paint)
    elif outline in ("grouping", "container"):
        tab_w = min(w, max(60.0, w / 3))
        tab_h = min(TAB_H, h)
        dash = {"stroke_dasharray": "6 3"} if outline == "grouping" else {}
        svg.sub(group, "rect", x=svg.px(x), y=svg.px(y), width=svg.px(tab_w), height=svg.px(tab_h), **paint, **dash)
        svg.sub(
            group,
            "rect",
            x=svg.px(x),
            y=svg.px(y + tab_h),
            width=svg.px(w),
            height=svg.px(h - tab_h),
            **shape,
            **paint,
            **dash,
        )
    elif outline == "note":
        fold = min(10.0, w / 4, h / 4)
        points = [(x, y), (x + w, y), (x + w, y + h - fold), (x + w - fold, y + h), (x, y + h)]
        svg.polygon(group, points, **shape, **paint)
    elif outline == "cut":
        c = min(10.0, w / 4, h / 4)
        points = [(x + c, y), (x + w - c, y), (x + w, y + c), (x + w, y + h - c), (x + w - c, y + h)]
        points += [(x + c, y + h), (x, y + h - c), (x, y + c)]
        svg.polygon(group, points, **shape, **paint)
    else:
        radius = {"service": min(h / 2, w / 2), "rounded": min(10.0, w / 2, h / 2)}.get(outline, 0)
        corners = {"rx": svg.px(radius), "ry": svg.px(radius)} if radius else {}
        rect = {"x": svg.px(x), "y": svg.px(y), "width": svg.px(w), "height": svg.px(h)}
        svg.sub(group, "rect", **rect, **corners, **shape, **paint)


def _label(group: ET.Element, outline: str, box: Box, text: str, font: Font, has_icon: bool) -> None:
    size = font.size
    leading = size * 1.22
    if outline in ("grouping", "container"):
        tab_w = min(box.w, max(60.0, box.w / 3))
        line = svg.shorten(text, max(tab_w - 2 * PAD, 8), size, font.bold)
        element = svg.text(group, box.x + PAD, box.y + min(TAB_H, box.h) - 5, [line], size, bold=font.bold,
                           italic=font.italic, fill=font.fill, css_class="name")  # fmt: skip
    else:
        left_aligned = outline == "note"
        icon_room = ICON_ROOM if has_icon and not left_aligned else 0  # the text is centred beside the icon
        room = box.w - 2 * PAD - icon_room
        lines = svg.wrap(text, max(room, 8), size, font.bold)
        most = max(1, int((box.h - PAD) // leading))
        if len(lines) > most:
            lines = lines[:most]
            lines[-1] = lines[-1].rstrip() + "\u2026"
        x = box.x + PAD if left_aligned else box.x + (box.w - icon_room) / 2
        element = svg.text(group, x, box.y + PAD + size * 0.9, lines, size, bold=font.bold, italic=font.italic,
                           fill=font.fill, anchor="start" if left_aligned else "middle", css_class="name")  # fmt: skip
    if font.family:
        element.set("font-family", font.family)


# --- connections -------------------------------------------------------------------------------------------------

Point = tuple[float, float]


def edge_point(box: Box, toward: Point) -> Point:
    """Where the line from the box's centre to ``toward`` leaves the box (its circle, for a junction)."""
    cx, cy = box.centre
    dx, dy = toward[0] - cx, toward[1] - cy
    if (dx == 0 and dy == 0) or box.w == 0 or box.h == 0:
        return cx, cy
    if box.round:
        scale = min(box.w, box.h) / 2 / math.hypot(dx, dy)
    else:
        scale = min(box.w / 2 / abs(dx) if dx else math.inf, box.h / 2 / abs(dy) if dy else math.inf)
    if scale >= 1:
        return cx, cy
    return cx + dx * scale, cy + dy * scale


def halfway(points: list[Point]) -> Point:
    """The point half way along a polyline."""
    lengths = [math.dist(a, b) for a, b in itertools.pairwise(points)]
    remaining = sum(lengths) / 2
    for (a, b), length in zip(itertools.pairwise(points), lengths, strict=True):
        if length and remaining <= length:
            share = remaining / length
            return a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share
        remaining -= length
    return points[0]


class _Connections:
    """Lays out the connections (a connection may end on another connection, at its middle) and draws them."""

    def __init__(self, layer, connections: list[Connection], boxes: dict[str, Box], concepts, link: Link) -> None:
        self.layer, self.boxes, self.concepts, self.link = layer, boxes, concepts, link
        self.by_id = {c.identifier: c for c in connections}
        self.connections = connections
        self.points: dict[str, list[Point]] = {}
        self.busy: set[str] = set()

    def draw(self) -> None:
        for conn in self.connections:
            self._draw(conn, self.route(conn))

    def anchor(self, identifier: str | None) -> Box | Point | None:
        if identifier in self.boxes:
            return self.boxes[identifier]
        if identifier in self.by_id and identifier not in self.busy:
            return halfway(self.route(self.by_id[identifier]))
        return None

    def route(self, conn: Connection) -> list[Point]:
        if conn.identifier in self.points:
            return self.points[conn.identifier]
        self.busy.add(conn.identifier)
        bends: list[Point] = [(_clamp(x, -LIMIT, LIMIT), _clamp(y, -LIMIT, LIMIT)) for x, y in conn.bendpoints]
        source, target = self.anchor(conn.source), self.anchor(conn.target)
        self.busy.discard(conn.identifier)

        def centre(end: Box | Point | None) -> Point:
            return end.centre if isinstance(end, Box) else end if end is not None else (0.0, 0.0)

        start, finish = centre(source), centre(target)
        if isinstance(source, Box):
            start = edge_point(source, bends[0] if bends else finish)
        if isinstance(target, Box):
            finish = edge_point(target, bends[-1] if bends else start)
        points = [start, *bends, finish]
        self.points[conn.identifier] = points
        return points

    def _draw(self, conn: Connection, points: list[Point]) -> None:
        concept = self.concepts.get(conn.relationship_ref or "")
        kind = concept.type if concept is not None else None
        style = notation.line_style(kind, concept.access_type, concept.is_directed) if concept else notation.PLAIN
        name = pick(concept.names) if concept is not None else ""
        label = pick(conn.labels) or name
        if concept is not None and kind == "Influence" and concept.modifier:
            label = f"{label} {concept.modifier}".strip()
        title = f"{name or kind} ({kind})" if concept is not None else (label or conn.type or "line")
        parent = self.layer
        href = self.link(concept.identifier) if concept is not None else None
        if href:
            parent = svg.sub(parent, "a", href=href)
        group = svg.group(
            parent,
            "connection",
            title,
            identifier=conn.identifier or "",
            kind=conn.type or "",
            type=kind or "",
        )
        ink = colour(conn.style.line if conn.style else None) or (
            notation.RELATION_LINE if concept is not None else notation.LINE
        )
        line = {"stroke": ink, "stroke_width": _stroke_width(conn.style), "fill": "none"}
        if style.dash:
            line["stroke_dasharray"] = style.dash
        d = "M" + " L".join(f"{svg.px(x)} {svg.px(y)}" for x, y in points)
        svg.sub(group, "path", class_="line", d=d, **line)
        if style.source_end and len(points) >= 2:
            _end(group, style.source_end, points[0], points[1], ink, "source")
        if style.target_end and len(points) >= 2:
            _end(group, style.target_end, points[-1], points[-2], ink, "target")
        if label:
            font = font_of(conn.style)
            x, y = halfway(points)
            size = min(font.size, 11.0)
            text = svg.text(group, x, y - 4, [svg.shorten(label, 220, size)], size, anchor="middle", fill=font.fill,
                            bold=font.bold, italic=font.italic, css_class="label")  # fmt: skip
            if font.family:
                text.set("font-family", font.family)


def _end(group: ET.Element, mark: str, tip: Point, before: Point, ink: str, end: str) -> None:
    """The mark ``mark`` at ``tip`` of a line arriving from ``before``."""
    dx, dy = tip[0] - before[0], tip[1] - before[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    nx, ny = -uy, ux

    def at(back: float, side: float) -> Point:
        return tip[0] - ux * back + nx * side, tip[1] - uy * back + ny * side

    tags = {"class_": "end", "data_mark": mark, "data_end": end}
    if mark == "arrow-filled":
        svg.polygon(group, [tip, at(10, 4), at(10, -4)], fill=ink, stroke=ink, **tags)
    elif mark in ("arrow-open", "arrow-small", "half-arrow"):
        back, side = (7, 3.5) if mark == "arrow-small" else (10, 5)
        points = [at(back, side), tip] if mark == "half-arrow" else [at(back, side), tip, at(back, -side)]
        svg.sub(group, "polyline", points=" ".join(f"{svg.px(x)},{svg.px(y)}" for x, y in points), fill="none",
                stroke=ink, stroke_width="1.2", **tags)  # fmt: skip
    elif mark == "triangle-hollow":
        svg.polygon(group, [tip, at(12, 6), at(12, -6)], fill="#ffffff", stroke=ink, **tags)
    elif mark in ("diamond-filled", "diamond-hollow"):
        fill = ink if mark == "diamond-filled" else "#ffffff"
        svg.polygon(group, [tip, at(7, 4), at(14, 0), at(7, -4)], fill=fill, stroke=ink, **tags)
    elif mark == "dot":
        x, y = at(3, 0)
        svg.sub(group, "circle", cx=svg.px(x), cy=svg.px(y), r="3", fill=ink, **tags)
