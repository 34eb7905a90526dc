"""The portfolio view: every value stream against the five MCA dimensions, grouped by the organisation running it.

A filled mark says a stream is explicitly aligned to a dimension (it has a vskg:MCAAlignment naming it); the row
and column totals show which streams carry many dimensions and which dimensions no stream yet serves.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from vskg.analytics.model import PortfolioAnalysis, StreamAnalysis
from vskg.maps import svg
from vskg.maps.svg import MUTED

MARGIN = 24
COLUMN = 118  # one MCA dimension
ROW = 26
ORG_ROW = 28
INDENT = 16
LABEL_MIN, LABEL_MAX = 220, 380  # the stream label column
MARK = "#2f5d8a"
ORG_FILL, STRIPE = "#e6e6e6", "#f5f7fa"


def render_portfolio_map(portfolio: PortfolioAnalysis, standalone: bool = True) -> str:
    """The SVG text of the matrix of streams and MCA dimensions; ``standalone=False`` omits the XML declaration."""
    return svg.serialise(_draw(portfolio), standalone)


def _organisation(stream: StreamAnalysis) -> tuple[str, str]:
    org = stream.organisation
    return (org.iri, org.label) if org is not None else ("", "(no organisation)")


def _draw(portfolio: PortfolioAnalysis) -> ET.Element:
    dims = portfolio.dimensions
    widest = max([svg.text_width(s.stream.label, 12) + INDENT + 16 for s in portfolio.streams], default=0)
    label_w = min(LABEL_MAX, max(LABEL_MIN, widest))
    table_x = MARGIN + label_w
    width = max(table_x + COLUMN * (len(dims) + 1) + MARGIN, 640)
    headers = [svg.fit(d.label, COLUMN - 12, (12, 11, 10.5), 3, bold=True) for d in dims]
    header_h = max([size * 1.22 * len(lines) for size, lines in headers], default=14) + 16
    body = ET.Element("g")

    title = "Value stream portfolio: alignment to the MCA dimensions"
    svg.text(body, MARGIN, 32, [title], 20, bold=True)
    subtitle = (
        f"{len(portfolio.streams)} value streams \u00d7 {len(dims)} dimensions; a filled mark is an explicit alignment"
    )
    svg.text(body, MARGIN, 52, [svg.shorten(subtitle, width - 2 * MARGIN, 12)], 12, fill=MUTED)

    top = 72
    columns = svg.group(body, "columns")
    for j, (dim, (size, lines)) in enumerate(zip(dims, headers, strict=True)):
        cx = table_x + COLUMN * j + COLUMN / 2
        first = top + header_h - 8 - size * 1.22 * (len(lines) - 1)
        head = svg.group(columns, "dimension", dim.label, iri=dim.iri)
        svg.text(head, cx, first, lines, size, bold=True, anchor="middle")
    total_x = table_x + COLUMN * len(dims) + COLUMN / 2
    svg.text(columns, total_x, top + header_h - 8, ["aligned"], 11, bold=True, anchor="middle", fill=MUTED)
    y = top + header_h
    _rule(body, y, width)

    current: str | None = None
    org_group = body
    for i, stream in enumerate(portfolio.streams):
        org_iri, org_label = _organisation(stream)
        if org_iri != current or current is None:
            current = org_iri
            org_group = svg.group(body, "organisation", org_label, iri=org_iri)
            svg.sub(
                org_group,
                "rect",
                x=svg.px(MARGIN),
                y=svg.px(y),
                width=svg.px(width - 2 * MARGIN),
                height=svg.px(ORG_ROW),
                fill=ORG_FILL,
            )
            label = svg.shorten(org_label, width - 2 * MARGIN - 12, 12.5, True)
            svg.text(org_group, MARGIN + 6, y + 19, [label], 12.5, bold=True, css_class="label")
            y += ORG_ROW
        y = _row(org_group, stream, portfolio.matrix[i], portfolio, i, y, label_w, table_x, width)

    totals = svg.group(body, "totals")
    _rule(totals, y, width)
    svg.text(totals, MARGIN + 6, y + 18, ["streams aligned"], 11, bold=True, fill=MUTED)
    for j in range(len(dims)):
        count = sum(1 for row in portfolio.matrix if row[j])
        svg.text(totals, table_x + COLUMN * j + COLUMN / 2, y + 18, [str(count)], 12, bold=True, anchor="middle")
    svg.text(totals, total_x, y + 18, [str(sum(sum(row) for row in portfolio.matrix))], 12, bold=True, anchor="middle")
    y += 40
    legend = svg.group(body, "legend")
    svg.sub(legend, "circle", cx=svg.px(MARGIN + 7), cy=svg.px(y - 4), r="6", fill=MARK)
    svg.text(
        legend, MARGIN + 20, y, ["aligned: the stream has an MCA alignment naming the dimension"], 10.5, fill=MUTED
    )
    svg.sub(legend, "circle", cx=svg.px(MARGIN + 7), cy=svg.px(y + 14), r="2.5", fill="none", stroke="#777777")
    svg.text(legend, MARGIN + 20, y + 18, ["no explicit alignment"], 10.5, fill=MUTED)
    height = y + 18 + MARGIN

    names = ", ".join(d.label for d in dims)
    desc = (
        f"A matrix of {len(portfolio.streams)} value streams, grouped by organisation, against the MCA dimensions "
        f"({names}); {sum(sum(row) for row in portfolio.matrix)} alignments are marked."
    )
    root = svg.document(width, height, "vskg-portfolio", title, desc)
    root.extend(list(body))
    return root


def _row(
    parent: ET.Element,
    stream: StreamAnalysis,
    aligned: tuple[bool, ...],
    portfolio: PortfolioAnalysis,
    index: int,
    y: float,
    label_w: float,
    table_x: float,
    width: float,
) -> float:
    """One stream's row; returns the y below it."""
    lines = svg.wrap(stream.stream.label, label_w - INDENT - 16, 12)
    height = max(ROW, 10 + 14.6 * len(lines))
    row = svg.group(parent, "row", stream.stream.label, stream=stream.stream.iri)
    if index % 2:
        svg.sub(
            row,
            "rect",
            x=svg.px(MARGIN),
            y=svg.px(y),
            width=svg.px(width - 2 * MARGIN),
            height=svg.px(height),
            fill=STRIPE,
        )
    first = y + (height - 14.6 * (len(lines) - 1)) / 2 + 4
    svg.text(row, MARGIN + INDENT, first, lines, 12, css_class="label")
    mid = y + height / 2
    rationale = {a.dimension.iri: a.rationale for a in stream.alignment}
    for j, dim in enumerate(portfolio.dimensions):
        cx = svg.px(table_x + COLUMN * j + COLUMN / 2)
        if aligned[j]:
            why = rationale.get(dim.iri)
            mark = svg.group(
                row, "aligned", f"{stream.stream.label}: {dim.label}" + (f". {why}" if why else ""), dimension=dim.iri
            )
            svg.sub(mark, "circle", cx=cx, cy=svg.px(mid), r="7", fill=MARK)
        else:
            svg.sub(row, "circle", cx=cx, cy=svg.px(mid), r="2.5", fill="none", stroke="#777777", class_="empty")
    total = f"{sum(aligned)} of {len(aligned)}"
    svg.text(row, table_x + COLUMN * len(aligned) + COLUMN / 2, mid + 4, [total], 11.5, anchor="middle")
    return y + height


def _rule(parent: ET.Element, y: float, width: float) -> None:
    """The full-width line under the column heads and above the totals."""
    svg.sub(
        parent,
        "line",
        x1=svg.px(MARGIN),
        y1=svg.px(y),
        x2=svg.px(width - MARGIN),
        y2=svg.px(y),
        stroke="#555555",
        stroke_width="1.2",
    )
