"""An organisation's capability map as EA tools draw it: boxes inside boxes, coloured by the maturity gap.

Each level-1 capability is a column holding its level-2 capabilities, which hold their level-3 ones, and so on.
Every box is filled by the gap between the capability's target and current maturity (the latest assessment), in
four steps from "at or above target" to "three or more levels to go", and grey when no assessment is recorded; the
gap is also written in the box ("2 → 4, gap 2"), so the map reads the same printed in black and white. Each box
links to the capability's page. Columns wrap into rows, so a map of many level-1 capabilities stays page-wide.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import quote

from vskg.keys import data_key
from vskg.maps import svg
from vskg.maps.capability_tree import CapabilityNode, CapabilityTree, Maturity
from vskg.maps.svg import MUTED

MARGIN = 24
HEADER_H = 72
COLUMN_W = 220
COLUMN_GAP = 16
ROW_GAP = 18
MAX_COLUMNS = 5
MIN_WIDTH = 640
PAD = 8  # inside a box, around its label and between its children
LINE = "#4d4d4d"


@dataclass(frozen=True)
class Bucket:
    name: str  # the CSS class and data-bucket of a box
    fill: str
    meaning: str  # what the legend says


UNASSESSED = Bucket("unassessed", "#ececec", "not assessed")
BUCKETS = (
    Bucket("gap-0", "#cfe8cf", "at or above target"),
    Bucket("gap-1", "#fff0b3", "1 level below target"),
    Bucket("gap-2", "#fbcf9b", "2 levels below target"),
    Bucket("gap-3", "#f0a39b", "3 or more levels below target"),
    UNASSESSED,
)


def bucket_of(maturity: Maturity | None) -> Bucket:
    """The colour step of a gap; an assessment without both levels counts as not assessed."""
    gap = maturity.gap if maturity is not None else None
    if gap is None:
        return UNASSESSED
    return BUCKETS[min(max(gap, 0), 3)]


def capability_href(iri: str) -> str:
    return "/capabilities/" + quote(data_key(iri), safe="/")


def render_capability_map(tree: CapabilityTree, standalone: bool = True) -> str:
    """The SVG text of the map; ``standalone=False`` leaves out the XML declaration, for inlining in HTML."""
    return svg.serialise(_CapabilityMap(tree).draw(), standalone)


def _reading(maturity: Maturity | None) -> str:
    if maturity is None:
        return "not assessed"
    current = svg.MISSING if maturity.current is None else str(maturity.current)
    target = svg.MISSING if maturity.target is None else str(maturity.target)
    gap = maturity.gap
    return f"{current} \u2192 {target}" + ("" if gap is None else f", gap {gap}")


class _CapabilityMap:
    def __init__(self, tree: CapabilityTree) -> None:
        self.tree = tree
        self.columns = max(1, min(MAX_COLUMNS, len(tree.roots)))
        self.width = max(MIN_WIDTH, 2 * MARGIN + self.columns * COLUMN_W + (self.columns - 1) * COLUMN_GAP)

    # --- measuring ----------------------------------------------------------------------------------------------

    @staticmethod
    def _label(node: CapabilityNode, width: float) -> tuple[float, list[str]]:
        if node.level == 1:
            return svg.fit(node.capability.label, width - 2 * PAD, (13, 12, 11), 3, bold=True)
        return svg.fit(node.capability.label, width - 2 * PAD, (12, 11, 10.5), 3, bold=node.children != ())

    def _head(self, node: CapabilityNode, width: float) -> float:
        """Height of a box's own part: its label and its maturity reading."""
        size, lines = self._label(node, width)
        return PAD + size + (len(lines) - 1) * size * 1.22 + 15 + PAD

    def _height(self, node: CapabilityNode, width: float) -> float:
        height = self._head(node, width)
        inner = width - 2 * PAD
        for child in node.children:
            height += self._height(child, inner) + PAD
        return height

    # --- drawing ------------------------------------------------------------------------------------------------

    def draw(self) -> ET.Element:
        tree = self.tree
        body = ET.Element("g")
        nodes = tree.nodes()
        assessed = [n for n in nodes if bucket_of(n.maturity) is not UNASSESSED]
        head = svg.group(body, "header")
        title = svg.shorten(f"Capability map: {tree.organisation.label}", self.width - 2 * MARGIN, 20, True)
        svg.text(head, MARGIN, 32, [title], 20, bold=True)
        line = (
            f"{len(nodes)} capabilities, {len(assessed)} assessed; each box is coloured by the gap between its "
            "current and target maturity (latest assessment)"
        )
        svg.text(head, MARGIN, 52, [svg.shorten(line, self.width - 2 * MARGIN, 12)], 12, fill=MUTED)

        y = HEADER_H
        if not tree.roots:
            svg.text(body, MARGIN, y + 16, ["No capability enables a stage of this organisation."], 12, italic=True)
            y += 32
        for start in range(0, len(tree.roots), self.columns):
            row = tree.roots[start : start + self.columns]
            row_h = max(self._height(root, COLUMN_W) for root in row)
            for i, root in enumerate(row):
                x = MARGIN + i * (COLUMN_W + COLUMN_GAP)
                column = svg.group(body, "column", root.capability.label, iri=root.capability.iri)
                self._box(column, root, x, y, COLUMN_W, row_h)
            y += row_h + ROW_GAP
        height = self._legend(body, y + 4) + MARGIN
        desc = (
            f"The capability map of {tree.organisation.label}: {len(nodes)} capabilities under {len(tree.roots)} "
            f"level-1 capabilities, {len(assessed)} of them assessed. "
            + " ".join(f"{n.capability.label}: {_reading(n.maturity)}." for n in nodes)
        )
        root = svg.document(
            self.width,
            height,
            "vskg-capability-map",
            f"Capability map: {tree.organisation.label}",
            desc,
            organisation=tree.organisation.iri,
        )
        root.extend(list(body))
        return root

    def _box(self, parent: ET.Element, node: CapabilityNode, x: float, y: float, width: float, height: float) -> None:
        """The node's box (a link to its page), then its children's boxes inside it, drawn over it."""
        bucket = bucket_of(node.maturity)
        maturity = node.maturity
        data = {
            "iri": node.capability.iri,
            "level": str(node.level),
            "bucket": bucket.name,
            "gap": "" if maturity is None or maturity.gap is None else str(maturity.gap),
        }
        link = svg.sub(parent, "a", href=capability_href(node.capability.iri), class_="capability-link")
        box = svg.group(
            link,
            f"capability level-{node.level} {bucket.name}",
            f"{node.capability.label}: maturity {_reading(maturity)}",
            **data,
        )
        svg.sub(
            box,
            "rect",
            x=svg.px(x),
            y=svg.px(y),
            width=svg.px(width),
            height=svg.px(height),
            rx="6" if node.level == 1 else "4",
            fill=bucket.fill,
            stroke=LINE,
            stroke_width="1.6" if node.level == 1 else "1",
            **({"stroke_dasharray": "4 3"} if bucket is UNASSESSED else {}),
        )
        size, lines = self._label(node, width)
        first = y + PAD + size
        bold = node.level == 1 or node.children != ()
        svg.text(box, x + PAD, first, lines, size, bold=bold, css_class="label")
        reading = first + (len(lines) - 1) * size * 1.22 + 15
        svg.text(box, x + PAD, reading, [_reading(maturity)], 10.5, fill=MUTED, css_class="maturity")
        child_y = y + self._head(node, width)
        inner = width - 2 * PAD
        for child in node.children:
            child_h = self._height(child, inner)
            self._box(parent, child, x + PAD, child_y, inner, child_h)
            child_y += child_h + PAD

    def _legend(self, body: ET.Element, y: float) -> float:
        """The colour steps and their meaning, flowed into lines; returns the y below the legend."""
        g = svg.group(body, "legend")
        size = 10.5
        svg.text(g, MARGIN, y + 12, ["Maturity gap (target minus current level):"], size, bold=True, fill=MUTED)
        cursor, line_y = MARGIN, y + 32
        for bucket in BUCKETS:
            needed = 22 + svg.text_width(bucket.meaning, size) + 20
            if cursor > MARGIN and cursor + needed > self.width - MARGIN:
                cursor, line_y = MARGIN, line_y + 18
            entry = svg.group(g, f"legend-entry {bucket.name}", bucket=bucket.name)
            svg.sub(
                entry,
                "rect",
                x=svg.px(cursor),
                y=svg.px(line_y - 10),
                width="16",
                height="12",
                fill=bucket.fill,
                stroke=LINE,
                stroke_width="1",
                **({"stroke_dasharray": "3 2"} if bucket is UNASSESSED else {}),
            )
            svg.text(entry, cursor + 22, line_y, [bucket.meaning], size, fill=MUTED)
            cursor += needed
        return line_y + 6
