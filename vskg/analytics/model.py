"""What the analytics hand to the CLI, the JSON API, the maps and the web pages.

Every figure travels with its unit, the rule that produced it and the facts it was computed from, so a number
shown in a steering meeting can be traced back to the triples behind it. The types are plain frozen dataclasses:
renderers read them, `to_json` turns them into the API's JSON.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

# Units, spelt as the API reports them.
HOURS = "hours"
PERCENT = "percent"
RATIO = "ratio"  # a decimal fraction, 0.05 = 5 per cent
COUNT = "count"
LEVEL = "maturity level"


@dataclass(frozen=True)
class Ref:
    """A resource of the graph with the label to show for it (the IRI's last segment when it has no label)."""

    iri: str
    label: str


@dataclass(frozen=True)
class Fact:
    """One value read from the graph: subject, property (as a CURIE such as vskg:leadTimeHours) and value."""

    subject: str
    property: str
    value: float


@dataclass(frozen=True)
class Figure:
    """A computed number with its unit, how it was computed, and the facts it rests on.

    ``value`` is None when the graph lacks what the rule needs (for example a stage without a lead time); the
    ``method`` then says what is missing.
    """

    value: float | None
    unit: str
    method: str
    inputs: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class StageFigures:
    stage: Ref
    order: int | None
    process_hours: float | None
    lead_hours: float | None
    wait_hours: float | None  # lead - process: time the item waits inside the stage
    pca_percent: float | None
    added_to_complete_flow: bool
    capabilities: tuple[Ref, ...]  # vskg:enabledBy
    systems: tuple[Ref, ...]  # systems that support the stage, directly or through one of its capabilities
    units: tuple[Ref, ...]  # organisation units and teams that contribute to the stage
    unsupported_capabilities: tuple[Ref, ...]  # enabling capabilities no system supports
    parallel_with: tuple[Ref, ...] = ()  # vskg:runsInParallelWith, read in both directions

    @property
    def covered(self) -> bool:
        """True when the stage has capabilities and every one of them is supported by some system."""
        return bool(self.capabilities) and not self.unsupported_capabilities


@dataclass(frozen=True)
class HandoffFigures:
    handoff: Ref
    from_stage: Ref
    to_stage: Ref
    wait_hours: float | None
    queue_length: int | None
    pca_percent: float | None
    from_units: tuple[Ref, ...]
    to_units: tuple[Ref, ...]

    @property
    def crosses_units(self) -> bool:
        """The work changes hands between organisation units: no unit contributes to both stages.

        A unit on both sides (typically a cross-functional team) carries the work across, so the handoff is not
        counted; stages without any contributing unit are not counted either (nothing is known about them). The
        rule is the one of the `cross-boundary-handoffs` catalogue query, so page, API and query agree.
        """
        return bool(self.from_units) and bool(self.to_units) and not set(self.from_units) & set(self.to_units)


def positions(stages: tuple[StageFigures, ...]) -> tuple[tuple[StageFigures, ...], ...]:
    """The stages (in stage order) grouped by position. Stages that share a vskg:stageOrder and run in parallel with
    one another (vskg:runsInParallelWith) form one block; any other stage is a position of its own, also one whose
    order another stage shares without running in parallel with it (a flaw SHACL reports)."""
    order = {s.stage.iri: s.order for s in stages}
    found: dict[object, list[StageFigures]] = {}
    for stage in stages:
        paired = stage.order is not None and any(order.get(p.iri) == stage.order for p in stage.parallel_with)
        found.setdefault(("block", stage.order) if paired else ("stage", stage.stage.iri), []).append(stage)
    return tuple(tuple(block) for block in found.values())


def longest(block: tuple[StageFigures, ...]) -> StageFigures | None:
    """The stage of a position on the critical path: the one stage there, else the one with the longest lead time
    (on a tie the one with more process time, then the smallest IRI, as the stream-flow-metrics query chooses);
    None when a stage of the block has no lead time."""
    if len(block) == 1:
        return block[0]
    if any(s.lead_hours is None for s in block):
        return None

    def length(stage: StageFigures) -> tuple[float, float]:
        return (stage.lead_hours or 0.0, -math.inf if stage.process_hours is None else stage.process_hours)

    best = max(length(s) for s in block)
    return min((s for s in block if length(s) == best), key=lambda s: s.stage.iri)


def critical_path(stages: tuple[StageFigures, ...]) -> tuple[StageFigures, ...] | None:
    """The stages whose times add up to the stream's lead and process time, one per position (all of them in a
    sequential stream); None when a parallel block's longest stage is not known."""
    path = [longest(block) for block in positions(stages)]
    return None if None in path else tuple(s for s in path if s is not None)


def on_critical_path(
    handoffs: tuple[HandoffFigures, ...], stages: tuple[StageFigures, ...]
) -> tuple[HandoffFigures, ...]:
    """The handoffs whose wait lies on the critical path: all but those from or into a shorter parallel stage
    (their wait overlaps the longest stage's time). Empty when the critical path is not known."""
    path = critical_path(stages)
    if path is None:
        return ()
    chosen = {s.stage.iri for s in path}
    off = {s.stage.iri for s in stages} - chosen
    return tuple(h for h in handoffs if h.from_stage.iri not in off and h.to_stage.iri not in off)


@dataclass(frozen=True)
class Bottleneck:
    """A stage or handoff singled out, why, and the figure that singled it out (ties are all reported)."""

    kind: str  # "stage" or "handoff"
    subject: Ref
    reason: str  # "largest wait" or "lowest %C&A"
    figure: Figure


@dataclass(frozen=True)
class Alignment:
    dimension: Ref  # a concept of the MCA scheme
    rationale: str | None


@dataclass(frozen=True)
class Coverage:
    """Stages whose enabling capabilities are all supported by a system, out of all stages."""

    covered: tuple[Ref, ...]
    uncovered: tuple[Ref, ...]
    figure: Figure  # share covered, PERCENT


@dataclass(frozen=True)
class StreamAnalysis:
    stream: Ref
    organisation: Ref | None
    industry: Ref | None
    trigger: Ref | None
    outcome: Ref | None
    stages: tuple[StageFigures, ...]  # in stage order
    handoffs: tuple[HandoffFigures, ...]  # in the order of their from-stage
    teams: tuple[Ref, ...]  # vskg:servedBy
    process_time: Figure  # HOURS, of the stages on the critical path
    lead_time: Figure  # HOURS, sum over the positions of the (longest) stage lead times; each holds its wait
    activity_ratio: Figure  # RATIO, process / lead
    rolled_pca: Figure  # PERCENT, product of the stages' %C&A
    bottlenecks: tuple[Bottleneck, ...]
    coverage: Coverage
    alignment: tuple[Alignment, ...]  # in the MCA scheme's order

    @property
    def cross_unit_handoffs(self) -> tuple[HandoffFigures, ...]:
        return tuple(h for h in self.handoffs if h.crosses_units)

    @property
    def critical_handoffs(self) -> tuple[HandoffFigures, ...]:
        """The handoffs whose waits are part of the lead time (see `on_critical_path`)."""
        return on_critical_path(self.handoffs, self.stages)


@dataclass(frozen=True)
class SharedUse:
    """A capability or platform and the streams that depend on it (only reported when more than one does)."""

    subject: Ref
    streams: tuple[Ref, ...]


@dataclass(frozen=True)
class MaturityCell:
    """One capability of the heat map: assessed current and target maturity and the gap between them."""

    capability: Ref
    current: int | None
    target: int | None
    streams: tuple[Ref, ...]

    @property
    def gap(self) -> int | None:
        if self.current is None or self.target is None:
            return None
        return self.target - self.current


@dataclass(frozen=True)
class PortfolioAnalysis:
    streams: tuple[StreamAnalysis, ...]  # ordered by organisation label, then stream label
    dimensions: tuple[Ref, ...]  # the MCA dimensions in the scheme's order
    matrix: tuple[tuple[bool, ...], ...]  # matrix[i][j]: streams[i] is aligned to dimensions[j]
    shared_capabilities: tuple[SharedUse, ...]
    shared_platforms: tuple[SharedUse, ...]
    maturity: tuple[MaturityCell, ...]


@dataclass(frozen=True)
class Dependant:
    """A stage (and its stream) that depends on a capability or system, and through which link."""

    stream: Ref
    stage: Ref
    via: str  # e.g. "vskg:enabledBy", "vskg:supportsStage", "vskg:supportsCapability <capability IRI>"


@dataclass(frozen=True)
class Impact:
    subject: Ref
    kind: str  # "capability" or "system"
    dependants: tuple[Dependant, ...]
    related: tuple[Ref, ...] = field(default=())  # systems of a capability, capabilities of a system

    @property
    def streams(self) -> tuple[Ref, ...]:
        seen: dict[str, Ref] = {}
        for row in self.dependants:
            seen.setdefault(row.stream.iri, row.stream)
        return tuple(seen.values())


def to_json(value: Any) -> Any:
    """The JSON form of any analytics result: dataclasses become objects (properties included), tuples lists."""
    if type(value) is Ref:  # by far the most common value: skip the generic walk
        return {"iri": value.iri, "label": value.label}
    if is_dataclass(value) and not isinstance(value, type):
        body = {f.name: to_json(getattr(value, f.name)) for f in fields(value)}
        for name in ("covered", "crosses_units", "cross_unit_handoffs", "gap", "streams"):
            attr = getattr(type(value), name, None)
            if isinstance(attr, property):
                body[name] = to_json(getattr(value, name))
        return body
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    return value
