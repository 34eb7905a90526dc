"""The small blocks of text around a value stream map: the lists under a stage, the summary lines, the legend.

Symbols are drawn as shapes (circles, squares, framed boxes) rather than typed as glyphs, so they look the same
whichever font the reader has.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

from vskg.analytics.model import Ref
from vskg.maps import svg
from vskg.maps.svg import MUTED

LIST_ITEMS = 4  # capabilities or systems listed under a stage before "+N more"
RED, PURPLE = "#b00020", "#5b2a86"  # bottleneck marks: largest wait, lowest %C&A
MARK = "#34556f"  # capability bullets, the chevrons' outline


def item_list(
    g: ET.Element,
    css: tuple[str, str],
    heading: str,
    refs: Sequence[Ref],
    x: float,
    y: float,
    width: float,
    symbol_of: Callable[[Ref], str],
) -> float:
    """A heading and up to LIST_ITEMS entries (each wrapped to two lines at most); returns the y below it."""
    block = svg.group(g, css[0])
    svg.text(block, x, y, [heading], 10.5, bold=True, fill=MUTED)
    y += 15
    if not refs:
        svg.text(block, x + 12, y, ["none modelled"], 10.5, italic=True, fill=MUTED)
        return y + 10
    shown = refs if len(refs) <= LIST_ITEMS else refs[: LIST_ITEMS - 1]
    for ref in shown:
        item = svg.group(block, css[1], ref.label, iri=ref.iri)
        lines = svg.wrap(ref.label, width - 12, 10.5)
        if len(lines) > 2:
            lines = [lines[0], svg.shorten("".join(lines[1:]), width - 12, 10.5)]
        bullet(item, symbol_of(ref), x + 4, y - 3.5)
        svg.text(item, x + 12, y, lines, 10.5)
        y += 13 * len(lines) + 2
    if len(refs) > len(shown):
        rest = refs[len(shown) :]
        more = svg.group(block, "more", ", ".join(r.label for r in rest))
        svg.text(more, x + 12, y, [f"+{len(rest)} more"], 10.5, italic=True, fill=MUTED)
        y += 15
    return y


def bullet(g: ET.Element, kind: str, cx: float, cy: float) -> None:
    if kind == "square":
        svg.sub(g, "rect", x=svg.px(cx - 3), y=svg.px(cy - 3), width="6", height="6", fill="#4d4d4d")
    elif kind == "open":
        svg.sub(g, "circle", cx=svg.px(cx), cy=svg.px(cy), r="3.2", fill="#ffffff", stroke=svg.INK, stroke_width="1.2")
    else:
        svg.sub(g, "circle", cx=svg.px(cx), cy=svg.px(cy), r="3.5", fill=MARK)


def pack(parts: Sequence[str], width: float, size: float, bold: bool = False) -> list[str]:
    """Phrases laid into lines of at most ``width`` px, breaking between phrases (or inside an overlong one)."""
    lines: list[str] = []
    for part in parts:
        if lines and svg.text_width(f"{lines[-1]} {part}", size, bold) <= width:
            lines[-1] = f"{lines[-1]} {part}"
        else:
            lines.extend(svg.wrap(part, width, size, bold))
    return lines


SYMBOLS = frozenset({"wait", "pca", "filled", "open", "square"})


def legend(body: ET.Element, x: float, y: float, width: float, added: bool) -> float:
    """Symbols and their meaning, flowed into lines; returns the y below the legend."""
    g = svg.group(body, "legend")
    entries = [
        ("wait", "bottleneck: largest wait"),
        ("pca", "bottleneck: lowest %C&A (percent complete and accurate)"),
        ("filled", "capability supported by a system"),
        ("open", "capability no system supports"),
        ("square", "system supporting the stage or its capabilities"),
        ("cross-unit", "the handoff changes organisation unit"),
    ]
    if added:
        entries.append(("*", "a stage the modeller added to complete the flow"))
    size, cursor, line_y = 10.5, x, y + 12
    for kind, label in entries:
        symbol = 22 if kind in SYMBOLS else svg.text_width(kind, size) + 6
        needed = symbol + svg.text_width(label, size) + 26
        if cursor > x and cursor + needed > x + width:
            cursor, line_y = x, line_y + 18
        if kind in ("wait", "pca"):
            svg.sub(
                g,
                "rect",
                x=svg.px(cursor),
                y=svg.px(line_y - 10),
                width="16",
                height="12",
                fill="none",
                stroke=RED if kind == "wait" else PURPLE,
                stroke_width="2.2",
                stroke_dasharray="4 2" if kind == "wait" else "2 2",
            )
        elif kind in SYMBOLS:
            bullet(g, kind, cursor + 8, line_y - 4)
        else:
            svg.text(g, cursor, line_y, [kind], size, italic=True, fill=MUTED)
        svg.text(g, cursor + symbol, line_y, [label], size, fill=MUTED)
        cursor += needed
    return line_y + 6
