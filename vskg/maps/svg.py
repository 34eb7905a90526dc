"""Small SVG helpers the maps share: the document shell, text measured without fonts, wrapping, and numbers.

Maps are drawn without a browser or font files, so text widths are estimated from the characters (Helvetica-like
proportions, slightly generous) and every label is wrapped to fit the shape that holds it. Elements are built with
ElementTree so labels from the graph are always escaped, and only presentation attributes are used: no ids, no
scripts, no stylesheets, no external references, so a map can be inlined several times into one HTML page.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "Helvetica, Arial, 'Liberation Sans', sans-serif"
INK = "#1a1a1a"  # all text: near-black on light fills, so maps print well in greyscale
MUTED = "#444444"
MISSING = "\u2013"  # an en dash stands for a figure the graph does not give

# Width of characters as a share of the font size. The shares follow the wider of the usual sans-serif faces
# (DejaVu Sans, what Linux falls back to), so text measured here also fits when Helvetica or Arial is used.
_SHARES = (
    (frozenset("'ijlIJ"), 0.29),
    (frozenset(" ,.:;/\\|!f-\u00b7"), 0.35),
    (frozenset("rt()[]"), 0.41),
    (frozenset('*"_`\u2013sczL?'), 0.54),
    (frozenset("wDGHNOQU"), 0.82),
    (frozenset("+=<>~#^&\u2192\u00d7"), 0.84),
    (frozenset("mMW%@\u2026"), 1.0),
)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """Text safe for XML 1.0 (characters XML cannot carry are dropped) with runs of white space made single."""
    return " ".join(_NOT_XML.sub("", text).split())


def char_width(char: str) -> float:
    for chars, share in _SHARES:
        if char in chars:
            return share
    if char.isdigit():
        return 0.64
    if char.isupper():
        return 0.72
    return 0.62


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated rendered width in px of one line of text; bold runs about 15 per cent wider."""
    width = sum(char_width(c) for c in text) * size
    return width * 1.15 if bold else width


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Lines of at most ``width`` px, broken at spaces (overlong words are broken too).

    Each line except the last keeps the space it was broken at, so the lines joined give back the text exactly:
    a reader (or a test) taking the text content of the element still gets the whole label.
    """
    words = clean(text).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if not current or text_width(candidate, size, bold) <= width:
            current = candidate
        else:
            lines.append(current + " ")
            current = word
        while text_width(current, size, bold) > width and len(current) > 1:
            cut = _longest_prefix(current, width, size, bold)
            lines.append(current[:cut])
            current = current[cut:]
    lines.append(current)
    return lines


def _longest_prefix(word: str, width: float, size: float, bold: bool) -> int:
    cut = 1
    while cut < len(word) and text_width(word[: cut + 1], size, bold) <= width:
        cut += 1
    return cut


def shorten(text: str, width: float, size: float, bold: bool = False) -> str:
    """One line of at most ``width`` px, ending in an ellipsis when the text had to be cut."""
    text = clean(text)
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def fit(text: str, width: float, sizes: Sequence[float], max_lines: int, bold: bool = False) -> tuple[float, list[str]]:
    """The largest font size whose wrapping fits ``max_lines``; at the smallest size, however many lines it takes."""
    for size in sizes:
        lines = wrap(text, width, size, bold)
        if len(lines) <= max_lines:
            return size, lines
    return sizes[-1], wrap(text, width, sizes[-1], bold)


# --- elements ------------------------------------------------------------------------------------------------


def document(width: float, height: float, css_class: str, title: str, desc: str, **data: str) -> ET.Element:
    """The root <svg> of a standalone SVG 1.1 document with its accessible title and description."""
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "version": "1.1",
            "width": px(width),
            "height": px(height),
            "viewBox": f"0 0 {px(width)} {px(height)}",
            "class": css_class,
            "font-family": FONT,
            "fill": INK,
            **{f"data-{name}": clean(value) for name, value in data.items()},
        },
    )
    sub(root, "title").text = clean(title)
    sub(root, "desc").text = clean(desc)
    sub(root, "rect", x="0", y="0", width=px(width), height=px(height), fill="#ffffff", stroke="none")
    return root


def sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    """A child element; attribute names use ``_`` for ``-`` (stroke_width → stroke-width), ``class_`` for class."""
    names = {("class" if k == "class_" else k.replace("_", "-")): clean(str(v)) for k, v in attributes.items()}
    return ET.SubElement(parent, tag, names)


def group(parent: ET.Element, css_class: str, title: str | None = None, **data: str) -> ET.Element:
    """A <g> with a class, data-* attributes and, optionally, a <title> (a tooltip on screen)."""
    element = sub(parent, "g", class_=css_class, **{f"data_{k}": v for k, v in data.items()})
    if title is not None:
        sub(element, "title").text = clean(title)
    return element


def text(
    parent: ET.Element,
    x: float,
    y: float,
    lines: Iterable[str],
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    anchor: str = "start",
    leading: float = 1.22,
    fill: str = INK,
    css_class: str | None = None,
) -> ET.Element:
    """A <text> whose lines are <tspan>s; ``y`` is the baseline of the first line."""
    attributes = {"x": px(x), "y": px(y), "font_size": px(size)}
    if bold:
        attributes["font_weight"] = "bold"
    if italic:
        attributes["font_style"] = "italic"
    if anchor != "start":
        attributes["text_anchor"] = anchor
    if fill != INK:
        attributes["fill"] = fill
    if css_class:
        attributes["class_"] = css_class
    element = sub(parent, "text", **attributes)
    for index, line in enumerate(lines):
        span = ET.SubElement(element, "tspan", {"x": px(x), "dy": "0" if index == 0 else px(size * leading)})
        span.text = _keep_spaces(line)
    return element


def _keep_spaces(line: str) -> str:
    return _NOT_XML.sub("", line)


def polygon(parent: ET.Element, points: Iterable[tuple[float, float]], **attributes: str) -> ET.Element:
    return sub(parent, "polygon", points=" ".join(f"{px(x)},{px(y)}" for x, y in points), **attributes)


def arrow(parent: ET.Element, x1: float, x2: float, y: float, colour: str = MUTED, head: float = 7) -> ET.Element:
    """A left-to-right arrow drawn as a line and a filled head (no <marker>, which would need an id)."""
    shape = sub(parent, "g", class_="arrow")
    sub(shape, "line", x1=px(x1), y1=px(y), x2=px(x2 - head), y2=px(y), stroke=colour, stroke_width="1.6")
    polygon(shape, [(x2 - head, y - head / 2), (x2, y), (x2 - head, y + head / 2)], fill=colour)
    return shape


def serialise(root: ET.Element, standalone: bool) -> str:
    """The SVG as text; a standalone document starts with the XML declaration, an inline one with <svg."""
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n") if standalone else body


# --- numbers -------------------------------------------------------------------------------------------------


def px(value: float | str) -> str:
    """A coordinate as short text: whole numbers without decimals, others to one decimal."""
    if isinstance(value, str):
        return value
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def hours(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{value:,.2f}".rstrip("0").rstrip(".") + " h"


def percent(value: float | None, digits: int = 0) -> str:
    """A percentage such as ``95%``; values that are not whole get ``digits`` decimals (at least one)."""
    if value is None or not math.isfinite(value):
        return MISSING
    if float(value).is_integer():
        return f"{value:.0f}%"
    return f"{value:.{max(digits, 1)}f}%"
