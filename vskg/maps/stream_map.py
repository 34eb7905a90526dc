"""The value stream map of one stream: trigger, chevron stages, handoffs, what enables each stage, and a summary.

Read left to right like a Lean value stream map: what starts the stream, each stage in order with its process time,
lead time and %C&A, the wait and quality of each handoff between stages (a wait is part of the lead time of the
stage after it), and the outcome. Stages that run in parallel share a position: they are stacked in one column, each
with its own arrow in and out, as value stream maps draw concurrent processes. Under each stage are the capabilities
that enable it and the systems that support it. The summary adds up the flow, and the bottlenecks the analytics
found are marked twice, by a dashed or dotted outline and by a written label, so they survive black-and-white
printing.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field

from vskg.analytics.model import (
    HOURS,
    PERCENT,
    RATIO,
    Bottleneck,
    Figure,
    HandoffFigures,
    Ref,
    StageFigures,
    StreamAnalysis,
    positions,
)
from vskg.maps import svg
from vskg.maps.blocks import MARK, PURPLE, RED, item_list, legend, pack
from vskg.maps.svg import MUTED

STAGE_W = 156  # a chevron
NOTCH = 20  # depth of a chevron's point and notch
GAP = 84  # between two chevrons: room for a handoff
END_W = 150  # trigger and outcome boxes
MARGIN = 24
HEADER_H = 64
BAND_H = 46  # above the row: bottleneck labels
MIN_ROW_H = 132
STACK_GAP = 14  # between two chevrons stacked in one column (stages running in parallel)
MIN_WIDTH = 880

WAIT, PCA = "largest wait", "lowest %C&A"
STAGE_FILL, STAGE_LINE = "#dde9f5", MARK
TRIGGER_FILL, OUTCOME_FILL, BOX_LINE = "#eeeeee", "#e2f0dc", "#555555"


@dataclass
class _Label:
    size: float
    lines: list[str]

    @property
    def height(self) -> float:
        return self.size + (len(self.lines) - 1) * self.size * 1.22


@dataclass
class _Gap:
    """The space after a chevron (or the trigger) and the handoffs drawn in it."""

    index: int  # 0: trigger → first column; k: after column k
    handoffs: list[HandoffFigures] = field(default_factory=list)


def render_stream_map(analysis: StreamAnalysis, standalone: bool = True) -> str:
    """The SVG text of a stream's map; ``standalone=False`` leaves out the XML declaration, for inlining in HTML."""
    return svg.serialise(_StreamMap(analysis).draw(), standalone)


class _StreamMap:
    def __init__(self, analysis: StreamAnalysis) -> None:
        self.a = analysis
        self.columns = positions(analysis.stages)  # one column per position; parallel stages share one
        self.count = len(self.columns)
        self.index = {stage.stage.iri: i for i, stage in enumerate(analysis.stages)}
        self.position = {s.stage.iri: c for c, column in enumerate(self.columns) for s in column}
        self.slot = {s.stage.iri: (j, len(column)) for column in self.columns for j, s in enumerate(column)}
        self.marks: dict[str, list[Bottleneck]] = {}
        for bottleneck in analysis.bottlenecks:
            self.marks.setdefault(bottleneck.subject.iri, []).append(bottleneck)
        self.gaps = [_Gap(i) for i in range(self.count + 1)]
        for handoff in analysis.handoffs:
            self.gaps[self._gap_of(handoff)].handoffs.append(handoff)
        self.labels = [
            svg.fit(s.stage.label, STAGE_W - 2 * NOTCH - 8, (13, 12, 11), 3, bold=True) for s in analysis.stages
        ]
        self.trigger = svg.fit(self._name(analysis.trigger), END_W - 18, (12.5, 11.5, 10.5), 5)
        self.outcome = svg.fit(self._name(analysis.outcome), END_W - 18, (12.5, 11.5, 10.5), 5)
        self.row_h = self._row_height()
        self.row_top = HEADER_H + BAND_H
        self.width = max(MIN_WIDTH, self.stage_x(self.count) + END_W + MARGIN)

    @staticmethod
    def _name(ref: Ref | None) -> str:
        return ref.label if ref is not None else "(not modelled)"

    def _gap_of(self, handoff: HandoffFigures) -> int:
        if handoff.from_stage.iri in self.position:
            return self.position[handoff.from_stage.iri] + 1
        if handoff.to_stage.iri in self.position:
            return self.position[handoff.to_stage.iri]
        return self.count

    def stage_x(self, i: int) -> float:
        """Left edge of the i-th chevron; with i = count, the left edge of the outcome box."""
        return MARGIN + END_W + GAP + i * (STAGE_W + GAP)

    def _row_height(self) -> float:
        needed = [MIN_ROW_H]
        for column in self.columns:
            heights = [_stage_block(_Label(*self.labels[self.index[s.stage.iri]])) + 26 for s in column]
            needed.append(len(column) * max(heights) + (len(column) - 1) * STACK_GAP)
        needed += [16 + _Label(*self.trigger).height + 24, 16 + _Label(*self.outcome).height + 24]
        for gap in self.gaps:
            if not self._simple(gap) and not self._stacked(gap):
                needed.append(2 * (22 + len(gap.handoffs) * 76))
        return max(needed)

    def _simple(self, gap: _Gap) -> bool:
        """One handoff from the stage before the gap to the stage after it: drawn with its wait above the arrow."""
        if not gap.handoffs:
            return True
        if len(gap.handoffs) > 1 or not 0 < gap.index < self.count:
            return False
        handoff = gap.handoffs[0]
        return (
            self.position.get(handoff.from_stage.iri) == gap.index - 1
            and self.position.get(handoff.to_stage.iri) == gap.index
            and len(self.columns[gap.index - 1]) == len(self.columns[gap.index]) == 1
        )

    def _stacked(self, gap: _Gap) -> bool:
        """Handoffs between a column of stacked stages and a single stage, each from or into a stage of its own:
        each drawn beside its stacked stage, on its own arrow."""
        if not 0 < gap.index < self.count or not gap.handoffs:
            return False
        left, right = self.columns[gap.index - 1], self.columns[gap.index]
        if (len(left) > 1) == (len(right) > 1):
            return False
        stacked = {s.stage.iri for s in (left if len(left) > 1 else right)}
        ends = []
        for handoff in gap.handoffs:
            if self.position.get(handoff.from_stage.iri) != gap.index - 1:
                return False
            if self.position.get(handoff.to_stage.iri) != gap.index:
                return False
            ends.append(handoff.from_stage.iri if handoff.from_stage.iri in stacked else handoff.to_stage.iri)
        return len(set(ends)) == len(ends)

    def band(self, iri: str) -> tuple[float, float]:
        """Top and height of a stage's chevron: the whole row, or its share of a column of stacked stages."""
        j, k = self.slot[iri]
        h = (self.row_h - (k - 1) * STACK_GAP) / k
        return self.row_top + j * (h + STACK_GAP), h

    # --- the document ---------------------------------------------------------------------------------------

    def draw(self) -> ET.Element:
        a = self.a
        body = ET.Element("g")
        self._header(body)
        self._trigger(body)
        for i in range(len(a.stages)):
            self._stage(body, i)
        for gap in self.gaps:
            self._gap(body, gap)
        self._outcome(body)
        bottom = self._lists_bottom()
        height = self._summary(body, bottom + 16)
        root = svg.document(
            self.width,
            height,
            "vskg-map",
            f"Value stream map: {a.stream.label}",
            self._description(),
            stream=a.stream.iri,
        )
        root.extend(list(body))
        return root

    def _description(self) -> str:
        a = self.a
        stages = "; ".join(
            f"{c + 1}. {' and '.join(s.stage.label for s in column)}" + (" (in parallel)" if len(column) > 1 else "")
            for c, column in enumerate(self.columns)
        )
        owner = f" operated by {a.organisation.label}" if a.organisation else ""
        return (
            f"The value stream {a.stream.label}{owner}, from the trigger '{self._name(a.trigger)}' through "
            f"{len(a.stages)} stage(s) ({stages}) to the outcome '{self._name(a.outcome)}'. "
            + " ".join(self._summary_parts())
        )

    def _header(self, body: ET.Element) -> None:
        a = self.a
        head = svg.group(body, "header")
        svg.text(head, MARGIN, 32, [svg.shorten(a.stream.label, self.width - 2 * MARGIN, 20, True)], 20, bold=True)
        context = ["Value stream map"]
        context += [ref.label for ref in (a.organisation, a.industry) if ref is not None]
        if a.teams:
            context.append("served by " + ", ".join(team.label for team in a.teams))
        line = svg.shorten(" · ".join(context), self.width - 2 * MARGIN, 12)
        svg.text(head, MARGIN, 52, [line], 12, fill=MUTED)

    # --- trigger, outcome ----------------------------------------------------------------------------------

    def _end_box(self, body: ET.Element, kind: str, ref: Ref | None, label: tuple[float, list[str]], x: float) -> None:
        box = svg.group(body, kind, self._name(ref), iri=ref.iri if ref else "")
        fill = TRIGGER_FILL if kind == "trigger" else OUTCOME_FILL
        top, h = self.row_top, self.row_h
        svg.sub(
            box,
            "rect",
            x=svg.px(x),
            y=svg.px(top),
            width=svg.px(END_W),
            height=svg.px(h),
            rx="12",
            fill=fill,
            stroke=BOX_LINE,
            stroke_width="1.5",
        )
        size, lines = label
        block = 14 + _Label(size, lines).height
        first = top + (h - block) / 2 + size + 14
        svg.text(box, x + END_W / 2, first, lines, size, anchor="middle", css_class="label")
        svg.text(box, x + END_W / 2, first - size - 4, [kind.upper()], 9.5, bold=True, anchor="middle", fill=MUTED)

    def _trigger(self, body: ET.Element) -> None:
        self._end_box(body, "trigger", self.a.trigger, self.trigger, MARGIN)

    def _outcome(self, body: ET.Element) -> None:
        self._end_box(body, "outcome", self.a.outcome, self.outcome, self.stage_x(self.count))

    # --- stages --------------------------------------------------------------------------------------------

    def _stage(self, body: ET.Element, i: int) -> None:
        stage = self.a.stages[i]
        marks = self.marks.get(stage.stage.iri, [])
        column = self.position[stage.stage.iri]
        number = stage.order if stage.order is not None else column + 1
        css = "stage bottleneck" if marks else "stage"
        extra = {"bottleneck": "; ".join(sorted({m.reason for m in marks}))} if marks else {}
        if stage.parallel_with:
            extra["parallel-with"] = " ".join(p.iri for p in stage.parallel_with)
        g = svg.group(body, css, stage.stage.label, iri=stage.stage.iri, order=str(number), **extra)
        x = self.stage_x(column)
        top, h = self.band(stage.stage.iri)
        outline = _chevron(x, top, h)
        svg.polygon(g, outline, fill=STAGE_FILL, stroke=STAGE_LINE, stroke_width="1.5")
        size, lines = self.labels[i]
        block = _stage_block(_Label(size, lines))
        cx = x + STAGE_W / 2
        first = top + (h - block) / 2 + 14 + size
        svg.text(g, cx, first, lines, size, bold=True, anchor="middle", css_class="label")
        added = "*" if stage.added_to_complete_flow else ""
        svg.text(g, cx, first - size - 3, [f"Stage {number}{added}"], 10, anchor="middle", fill=MUTED)
        y = first + _Label(size, lines).height - size + 8 + 13
        figures = [f"process {svg.hours(stage.process_hours)}", f"lead {svg.hours(stage.lead_hours)}"]
        svg.text(g, cx, y, figures, 11, anchor="middle", leading=14 / 11, css_class="times")
        pca_y = y + 31
        svg.text(g, cx, pca_y, [f"%C&A {svg.percent(stage.pca_percent, 1)}"], 11, anchor="middle", css_class="pca")
        reasons = {m.reason for m in marks}
        if WAIT in reasons:
            svg.polygon(
                g,
                outline,
                fill="none",
                stroke=RED,
                stroke_width="4",
                stroke_dasharray="10 5",
                class_="bottleneck-outline",
            )
        if PCA in reasons:
            _figure_box(g, cx, pca_y, f"%C&A {svg.percent(stage.pca_percent, 1)}", 11)
        if self.slot[stage.stage.iri][0] == 0:
            self._band(g, cx, marks)
        else:
            self._side_band(g, cx, top, marks)
        self._lists(g, stage, x, self._list_top(stage))

    def _band(self, g: ET.Element, cx: float, marks: Sequence[Bottleneck]) -> None:
        """The written bottleneck label above a chevron or handoff."""
        if not marks:
            return
        reasons = sorted({m.reason for m in marks}, key=lambda r: (r != WAIT, r))
        y = HEADER_H + BAND_H - 6 - 13 * len(reasons)
        colour = RED if reasons[0] == WAIT else PURPLE
        svg.text(g, cx, y, ["bottleneck"], 11, bold=True, anchor="middle", fill=colour, css_class="bottleneck-label")
        for reason in reasons:
            y += 13
            figure = next(m.figure for m in marks if m.reason == reason)
            svg.text(
                g,
                cx,
                y,
                [f"{reason} {_figure(figure)}".strip()],
                10,
                anchor="middle",
                fill=RED if reason == WAIT else PURPLE,
            )

    def _side_band(self, g: ET.Element, cx: float, top: float, marks: Sequence[Bottleneck]) -> None:
        """The written bottleneck label of a stacked chevron below the first: one line in the gap above it."""
        if not marks:
            return
        reasons = sorted({m.reason for m in marks}, key=lambda r: (r != WAIT, r))
        found = [f"{r} {_figure(next(m.figure for m in marks if m.reason == r))}".strip() for r in reasons]
        line = svg.shorten("bottleneck: " + "; ".join(found), STAGE_W + GAP - 8, 10)
        colour = RED if reasons[0] == WAIT else PURPLE
        svg.text(g, cx, top - 3, [line], 10, bold=True, anchor="middle", fill=colour, css_class="bottleneck-label")

    def _lists(self, g: ET.Element, stage: StageFigures, x: float, y: float) -> float:
        """Capabilities then systems under a stage (under a stacked one, after its name); returns the y below."""
        width = STAGE_W + GAP - 16
        if len(self.columns[self.position[stage.stage.iri]]) > 1:
            svg.text(g, x + 4, y, [svg.shorten(stage.stage.label, width, 11, True)], 11, bold=True, css_class="label")
            y += 17
        gone = {ref.iri for ref in stage.unsupported_capabilities}
        y = item_list(
            g,
            ("capabilities", "capability"),
            "Capabilities",
            stage.capabilities,
            x + 4,
            y,
            width,
            lambda ref: "open" if ref.iri in gone else "filled",
        )
        return item_list(g, ("systems", "system"), "Systems", stage.systems, x + 4, y + 8, width, lambda ref: "square")

    def _list_top(self, stage: StageFigures) -> float:
        """Where a stage's lists start: under the row, or under the lists of the stages stacked above it."""
        y = self.row_top + self.row_h + 24
        for above in self.columns[self.position[stage.stage.iri]]:
            if above is stage:
                break
            y = self._lists(ET.Element("g"), above, 0, y) + 14
        return y

    def _lists_bottom(self) -> float:
        bottom = self.row_top + self.row_h + 24
        for column in self.columns:
            last = column[-1]
            bottom = max(bottom, self._lists(ET.Element("g"), last, 0, self._list_top(last)))
        return bottom

    # --- handoffs ------------------------------------------------------------------------------------------

    def _gap(self, body: ET.Element, gap: _Gap) -> None:
        x0 = self.stage_x(gap.index - 1) + STAGE_W if gap.index else MARGIN + END_W
        mid = self.row_top + self.row_h / 2
        start = x0 + 4 if gap.index else x0 + 6
        end = x0 + GAP + (NOTCH if gap.index < self.count else 0) - 4
        cx = x0 + GAP / 2
        left = [self._mid(s) for s in self.columns[gap.index - 1]] if gap.index else [mid]
        right = [self._mid(s) for s in self.columns[gap.index]] if gap.index < self.count else [mid]
        if len(left) == len(right) == 1:
            if not gap.handoffs:
                svg.arrow(body, start, end, mid)
                return
        else:
            # Stacked stages: each has its own arrow in and out; a handoff draws its own arrow below.
            stacked = self._stacked(gap)
            own = {(self._y(h.from_stage, mid), self._y(h.to_stage, mid)) for h in gap.handoffs} if stacked else set()
            for y1 in left:
                for y2 in right:
                    if (y1, y2) not in own:
                        _link(body, start, y1, end, y2, MUTED, len(left) > 1)
            if stacked:
                for handoff in gap.handoffs:
                    self._stacked_handoff(body, handoff, start, end, cx, x0, len(left) > 1)
                return
        simple = self._simple(gap)
        y = mid + 20 if simple else mid + 22
        for handoff in gap.handoffs:
            marks = self.marks.get(handoff.handoff.iri, [])
            g = svg.group(
                body,
                "handoff bottleneck" if marks else "handoff",
                _handoff_title(handoff),
                iri=handoff.handoff.iri,
                **{"from": handoff.from_stage.iri, "to": handoff.to_stage.iri},
                **({"bottleneck": "; ".join(sorted({m.reason for m in marks}))} if marks else {}),
            )
            if handoff is gap.handoffs[0] and len(left) == len(right) == 1:
                svg.arrow(g, start, end, mid, colour=svg.INK)
            if simple:
                svg.text(g, cx, mid - 26, ["wait"], 10, anchor="middle", fill=MUTED)
                svg.text(
                    g, cx, mid - 10, [svg.hours(handoff.wait_hours)], 12.5, bold=True, anchor="middle", css_class="wait"
                )
            else:
                route = f"{self._number(handoff.from_stage)} → {self._number(handoff.to_stage)}"
                svg.text(g, cx, y, [route], 10, bold=True, anchor="middle", fill=MUTED)
                y += 13
                svg.text(g, cx, y, [f"wait {svg.hours(handoff.wait_hours)}"], 10.5, anchor="middle", css_class="wait")
                y += 13
            pca = f"%C&A {svg.percent(handoff.pca_percent, 1)}"
            svg.text(g, cx, y, [pca], 10.5, anchor="middle", css_class="pca")
            if PCA in {m.reason for m in marks}:
                _figure_box(g, cx, y, pca, 10.5)
            lines = []
            if handoff.queue_length is not None:
                lines.append(f"queue {handoff.queue_length}")
            if handoff.crosses_units:
                lines.append("cross-unit")
            if lines:
                svg.text(g, cx, y + 16, lines, 10, italic=True, anchor="middle", leading=13 / 10, fill=MUTED)
            y += 16 + 13 * len(lines) + 6
            if WAIT in {m.reason for m in marks}:
                svg.sub(
                    g,
                    "rect",
                    x=svg.px(x0 + 3),
                    y=svg.px(self.row_top - 3),
                    width=svg.px(GAP - 6),
                    height=svg.px(self.row_h + 6),
                    rx="6",
                    fill="none",
                    stroke=RED,
                    stroke_width="3.5",
                    stroke_dasharray="10 5",
                    class_="bottleneck-outline",
                )
            self._band(g, cx, marks)

    def _number(self, ref: Ref) -> str:
        return str(self.position[ref.iri] + 1) if ref.iri in self.position else "?"

    def _mid(self, stage: StageFigures) -> float:
        top, h = self.band(stage.stage.iri)
        return top + h / 2

    def _y(self, ref: Ref, mid: float) -> float:
        """The height at which an arrow meets a stage: the middle of its chevron (of the row, for any other)."""
        if ref.iri not in self.slot:
            return mid
        top, h = self.band(ref.iri)
        return top + h / 2

    def _stacked_handoff(
        self, body: ET.Element, handoff: HandoffFigures, start: float, end: float, cx: float, x0: float, join: bool
    ) -> None:
        """A handoff from or into one of stacked stages: its own arrow, its figures beside that stage."""
        mid = self.row_top + self.row_h / 2
        marks = self.marks.get(handoff.handoff.iri, [])
        g = svg.group(
            body,
            "handoff bottleneck" if marks else "handoff",
            _handoff_title(handoff),
            iri=handoff.handoff.iri,
            **{"from": handoff.from_stage.iri, "to": handoff.to_stage.iri},
            **({"bottleneck": "; ".join(sorted({m.reason for m in marks}))} if marks else {}),
        )
        y1, y2 = self._y(handoff.from_stage, mid), self._y(handoff.to_stage, mid)
        _link(g, start, y1, end, y2, svg.INK, join)
        beside = handoff.from_stage if join else handoff.to_stage
        top, h = self.band(beside.iri)
        y = top + h / 2
        svg.text(g, cx, y - 26, ["wait"], 10, anchor="middle", fill=MUTED)
        svg.text(g, cx, y - 10, [svg.hours(handoff.wait_hours)], 12.5, bold=True, anchor="middle", css_class="wait")
        pca = f"%C&A {svg.percent(handoff.pca_percent, 1)}"
        svg.text(g, cx, y + 20, [pca], 10.5, anchor="middle", css_class="pca")
        if PCA in {m.reason for m in marks}:
            _figure_box(g, cx, y + 20, pca, 10.5)
        lines = [f"queue {handoff.queue_length}"] if handoff.queue_length is not None else []
        lines += ["cross-unit"] if handoff.crosses_units else []
        if lines:
            svg.text(g, cx, y + 36, lines, 10, italic=True, anchor="middle", leading=13 / 10, fill=MUTED)
        if WAIT in {m.reason for m in marks}:
            svg.sub(
                g,
                "rect",
                x=svg.px(x0 + 3),
                y=svg.px(top - 3),
                width=svg.px(GAP - 6),
                height=svg.px(h + 6),
                rx="6",
                fill="none",
                stroke=RED,
                stroke_width="3.5",
                stroke_dasharray="10 5",
                class_="bottleneck-outline",
            )
        if self.slot[beside.iri][0] == 0:
            self._band(g, cx, marks)
        else:
            self._side_band(g, cx, top, marks)

    # --- summary and legend --------------------------------------------------------------------------------

    def _summary_parts(self) -> list[str]:
        a = self.a
        lead = svg.hours(a.lead_time.value)
        if a.lead_time.value is not None and a.lead_time.value >= 48:
            lead += f" ({a.lead_time.value / 24:,.1f} days)"
        waits = [h.wait_hours for h in a.critical_handoffs if h.wait_hours is not None]
        if a.lead_time.value is not None and waits:
            # A stage's lead time holds the wait in front of it: the handoff waits are a share, never an addition.
            # Where stages run in parallel, only the waits along the longest of them (the critical path) are.
            lead += f", {svg.hours(math.fsum(waits))} of it waiting at handoffs"
            if self.count < len(a.stages):
                lead += " on the critical path"
        covered = len(a.coverage.covered)
        parts = [
            f"Lead time {lead}",
            f"process time {svg.hours(a.process_time.value)}",
            f"activity ratio {_figure(a.activity_ratio)}",
            f"rolled %C&A {_figure(a.rolled_pca)}",
            f"coverage {_figure(a.coverage.figure)} ({covered} of {covered + len(a.coverage.uncovered)} stages "
            "have every enabling capability supported by a system)",
        ]
        if a.handoffs:
            parts.append(f"{len(a.cross_unit_handoffs)} of {len(a.handoffs)} handoffs cross organisation units")
        return [p + ("." if i == len(parts) - 1 else " ·") for i, p in enumerate(parts)]

    def _summary(self, body: ET.Element, top: float) -> float:
        """Draws the summary and the legend from ``top``; returns the document height."""
        width = self.width - 2 * MARGIN
        g = svg.group(body, "summary")
        svg.sub(
            g,
            "line",
            x1=svg.px(MARGIN),
            y1=svg.px(top),
            x2=svg.px(self.width - MARGIN),
            y2=svg.px(top),
            stroke="#999999",
            stroke_width="1",
        )
        lines = pack(self._summary_parts(), width, 13, bold=True)
        svg.text(g, MARGIN, top + 22, lines, 13, bold=True, css_class="figures")
        y = top + 22 + len(lines) * 13 * 1.3
        found = [f"{b.reason}: {b.kind} {b.subject.label} ({_figure(b.figure)})" for b in self.a.bottlenecks]
        text = "Bottlenecks: " + ("; ".join(found) if found else "none found") + "."
        lines = svg.wrap(text, width, 12)
        svg.text(g, MARGIN, y + 4, lines, 12, css_class="bottlenecks")
        y += 4 + len(lines) * 12 * 1.3 + 10
        return legend(body, MARGIN, y, width, any(s.added_to_complete_flow for s in self.a.stages)) + MARGIN


def _link(parent: ET.Element, x1: float, y1: float, x2: float, y2: float, colour: str, join: bool) -> None:
    """An arrow from (x1, y1) to (x2, y2): straight when level, else level along the stacked side and bending
    towards the single stage near it (``join``: the stacked stages are on the left)."""
    if abs(y1 - y2) < 0.5:
        svg.arrow(parent, x1, x2, y1, colour=colour)
        return
    shape = svg.sub(parent, "g", class_="arrow")
    head = 7
    bend = x2 - head - 16 if join else x1 + 10
    points = [(x1, y1), (bend, y1), (bend + 10, y2), (x2 - head, y2)] if join else [(x1, y1), (bend, y2)]
    if not join:
        points.append((x2 - head, y2))
    svg.sub(
        shape,
        "polyline",
        points=" ".join(f"{svg.px(x)},{svg.px(y)}" for x, y in points),
        fill="none",
        stroke=colour,
        stroke_width="1.6",
    )
    svg.polygon(shape, [(x2 - head, y2 - head / 2), (x2, y2), (x2 - head, y2 + head / 2)], fill=colour)


def _stage_block(label: _Label) -> float:
    """Height of a chevron's content: stage number, label lines, process and lead time, %C&A."""
    return 14 + label.height + 53


def _chevron(x: float, top: float, h: float) -> list[tuple[float, float]]:
    right = x + STAGE_W
    return [
        (x, top),
        (right - NOTCH, top),
        (right, top + h / 2),
        (right - NOTCH, top + h),
        (x, top + h),
        (x + NOTCH, top + h / 2),
    ]


def _figure_box(g: ET.Element, cx: float, baseline: float, label: str, size: float) -> None:
    """The dotted purple frame around a lowest-%C&A figure."""
    w = svg.text_width(label, size) + 10
    svg.sub(
        g,
        "rect",
        x=svg.px(cx - w / 2),
        y=svg.px(baseline - size * 0.8 - 3),
        width=svg.px(w),
        height=svg.px(size * 0.8 + 7),
        rx="3",
        fill="none",
        stroke=PURPLE,
        stroke_width="2.2",
        stroke_dasharray="2 2.5",
        class_="bottleneck-outline",
    )


def _figure(figure: Figure) -> str:
    if figure.value is None:
        return svg.MISSING
    if figure.unit == HOURS:
        return svg.hours(figure.value)
    if figure.unit == PERCENT:
        return svg.percent(figure.value, 1)
    if figure.unit == RATIO:
        return svg.percent(figure.value * 100, 1)
    return f"{figure.value:g} {figure.unit}"


def _handoff_title(handoff: HandoffFigures) -> str:
    text = f"Handoff from {handoff.from_stage.label} to {handoff.to_stage.label}: wait {svg.hours(handoff.wait_hours)}"
    text += f", %C&A {svg.percent(handoff.pca_percent, 1)}"
    if handoff.queue_length is not None:
        text += f", {handoff.queue_length} in the queue"
    if handoff.crosses_units:
        text += ", crosses organisation units"
    return text
