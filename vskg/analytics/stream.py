"""The flow figures of one value stream, worked out from the facts read for it (see vskg.analytics.facts).

The rules follow value stream mapping (Martin and Osterling): process time is hands-on time; a stage's lead time
runs from the moment work is available to it, so it already holds the wait at the handoff in front of it, and the
stream's lead time is the sum of the stage lead times, with no handoff wait added on top; the activity ratio is
their quotient and the rolled percent complete and accurate is the share of items that get through every stage
without rework. Stages that run in parallel share a position (a block); of a block only the longest stage counts,
for lead and process time alike, and so do only the waits of the handoffs along it: the critical path, along which
value stream mapping adds up the times (the shorter stages' time overlaps it). Each rule's wording ends up in the
Figure it produces, so a reader of the API sees how a number came about without reading this code.
"""

from __future__ import annotations

import math

from vskg.analytics.facts import Facts, notation_key
from vskg.analytics.model import (
    HOURS,
    PERCENT,
    RATIO,
    Alignment,
    Bottleneck,
    Coverage,
    Fact,
    Figure,
    HandoffFigures,
    Ref,
    StageFigures,
    StreamAnalysis,
    critical_path,
    on_critical_path,
    positions,
)

PROCESS, LEAD, WAIT, PCA = (
    "vskg:processTimeHours",
    "vskg:leadTimeHours",
    "vskg:waitTimeHours",
    "vskg:percentCompleteAccurate",
)
PARALLEL = "vskg:runsInParallelWith"
LARGEST_WAIT, LOWEST_PCA = "largest wait", "lowest %C&A"


def fmt(value: float) -> str:
    """A number as people write it in a sentence: 17, 0.5, 663."""
    return f"{value:g}"


def names(refs: list[Ref]) -> str:
    return ", ".join(r.label for r in refs)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def build_stream(facts: Facts, stream: str) -> StreamAnalysis:
    """The analysis of ``stream``, whose facts must have been read into ``facts``."""
    stages = _stages(facts, stream)
    handoffs = _handoffs(facts, stream, stages)
    process = _process_time(stages)
    lead = _lead_time(stages, handoffs)
    organisations = facts.refs(stream, "vskg:operatedBy")
    industries = sorted({i for o in organisations for i in facts.refs(o, "vskg:inIndustry")}, key=facts.sort_key)
    return StreamAnalysis(
        stream=facts.ref(stream),
        organisation=_first(facts, organisations),
        industry=_first(facts, industries),
        trigger=_first(facts, facts.refs(stream, "vskg:hasTrigger")),
        outcome=_first(facts, facts.refs(stream, "vskg:deliversOutcome")),
        stages=stages,
        handoffs=handoffs,
        teams=tuple(facts.ref(t) for t in facts.refs(stream, "vskg:servedBy")),
        process_time=process,
        lead_time=lead,
        activity_ratio=_activity_ratio(process, lead),
        rolled_pca=_rolled_pca(stages),
        bottlenecks=_stage_bottlenecks(stages) + _handoff_bottlenecks(handoffs),
        coverage=_coverage(stages),
        alignment=_alignment(facts, stream),
    )


def _first(facts: Facts, nodes: list[str]) -> Ref | None:
    return facts.ref(nodes[0]) if nodes else None


# --- stages and handoffs ---------------------------------------------------------------------------------------


def _stages(facts: Facts, stream: str) -> tuple[StageFigures, ...]:
    built = []
    for stage in facts.refs(stream, "vskg:hasStage"):
        order = facts.number(stage, "vskg:stageOrder")
        process, lead = facts.number(stage, PROCESS), facts.number(stage, LEAD)
        capabilities = facts.refs(stage, "vskg:enabledBy")
        supporters = {cap: facts.referrers("vskg:supportsCapability", cap) for cap in capabilities}
        systems = set(facts.referrers("vskg:supportsStage", stage)) | {
            s for found in supporters.values() for s in found
        }
        built.append(
            StageFigures(
                stage=facts.ref(stage),
                order=None if order is None else int(order),
                process_hours=process,
                lead_hours=lead,
                wait_hours=None if process is None or lead is None else lead - process,
                pca_percent=facts.number(stage, PCA),
                added_to_complete_flow=facts.flag(stage, "vskg:addedToCompleteFlow"),
                capabilities=tuple(facts.ref(c) for c in capabilities),
                systems=tuple(facts.ref(s) for s in sorted(systems, key=facts.sort_key)),
                units=tuple(facts.ref(u) for u in facts.referrers("vskg:contributesTo", stage)),
                unsupported_capabilities=tuple(facts.ref(c) for c in capabilities if not supporters[c]),
                parallel_with=tuple(facts.ref(p) for p in facts.refs(stage, PARALLEL) if p != stage),
            )
        )
    return tuple(sorted(built, key=_stage_key))


def _stage_key(stage: StageFigures) -> tuple:
    return (stage.order is None, stage.order or 0, stage.stage.label.casefold(), stage.stage.iri)


def _handoffs(facts: Facts, stream: str, stages: tuple[StageFigures, ...]) -> tuple[HandoffFigures, ...]:
    """The handoffs that name both their stages, in the order of their from-stage (then to-stage)."""
    units = {s.stage.iri: s.units for s in stages}
    position = {s.stage.iri: i for i, s in enumerate(stages)}
    built = []
    for handoff in facts.refs(stream, "vskg:hasHandoff"):
        source, target = facts.refs(handoff, "vskg:fromStage"), facts.refs(handoff, "vskg:toStage")
        if not source or not target:
            continue
        queue = facts.number(handoff, "vskg:queueLength")
        built.append(
            HandoffFigures(
                handoff=facts.ref(handoff),
                from_stage=facts.ref(source[0]),
                to_stage=facts.ref(target[0]),
                wait_hours=facts.number(handoff, WAIT),
                queue_length=None if queue is None else int(queue),
                pca_percent=facts.number(handoff, PCA),
                from_units=units.get(source[0], ()),
                to_units=units.get(target[0], ()),
            )
        )
    last = len(position)
    built.sort(
        key=lambda h: (
            position.get(h.from_stage.iri, last),
            position.get(h.to_stage.iri, last),
            h.handoff.label.casefold(),
            h.handoff.iri,
        )
    )
    return tuple(built)


# --- totals ----------------------------------------------------------------------------------------------------


def _stage_facts(stages: tuple[StageFigures, ...], prop: str, attribute: str) -> tuple[tuple[Fact, ...], list[Ref]]:
    """The stages' values of one property as facts, and the stages that lack it."""
    known, missing = [], []
    for stage in stages:
        value = getattr(stage, attribute)
        if value is None:
            missing.append(stage.stage)
        else:
            known.append(Fact(stage.stage.iri, prop, value))
    return tuple(known), missing


def _process_time(stages: tuple[StageFigures, ...]) -> Figure:
    if not stages:
        return Figure(None, HOURS, "Not computed: the stream has no stages (vskg:hasStage).")
    blocks = [b for b in positions(stages) if len(b) > 1]
    path = critical_path(stages)
    if path is None:
        unknown = [s.stage for b in blocks for s in b if s.lead_hours is None]
        return Figure(
            None,
            HOURS,
            f"Not computed: no lead time ({LEAD}) for {names(unknown)}, so which of the stages running in parallel "
            "lies on the critical path is not known.",
            _stage_facts(stages, PROCESS, "process_hours")[0],
        )
    inputs, missing = _stage_facts(path, PROCESS, "process_hours")
    if missing:
        return Figure(None, HOURS, f"Not computed: no process time ({PROCESS}) for {names(missing)}.", inputs)
    total = math.fsum(f.value for f in inputs)
    terms = " + ".join(fmt(f.value) for f in inputs)
    if not blocks:
        method = (
            f"Sum of the process times ({PROCESS}) of the {plural(len(stages), 'stage')}: "
            f"{terms} = {fmt(total)} hours of hands-on work."
        )
        return Figure(total, HOURS, method, inputs)
    chosen = {s.stage.iri for s in path}
    alongside = [s.stage for s in stages if s.stage.iri not in chosen]
    method = (
        f"Sum of the process times ({PROCESS}) of the {plural(len(path), 'stage')} on the critical path, one per "
        f"position, the one with the longest lead time ({LEAD}) where stages run in parallel: {terms} = "
        f"{fmt(total)} hours of hands-on work. The work in {names(alongside)} runs alongside it and is not added."
    )
    return Figure(total, HOURS, method, inputs)


def _lead_time(stages: tuple[StageFigures, ...], handoffs: tuple[HandoffFigures, ...]) -> Figure:
    """The sum over the positions of the stage lead times, the longest of a parallel block; the handoff waits are
    inside them and are only named in the method."""
    inputs, missing = _stage_facts(stages, LEAD, "lead_hours")
    if not stages:
        return Figure(None, HOURS, "Not computed: the stream has no stages (vskg:hasStage).")
    if missing:
        return Figure(None, HOURS, f"Not computed: no lead time ({LEAD}) for {names(missing)}.", inputs)
    blocks = positions(stages)
    total = math.fsum(max(s.lead_hours for s in block if s.lead_hours is not None) for block in blocks)
    parallel = any(len(block) > 1 for block in blocks)
    if not parallel:
        method = (
            f"Sum of the lead times ({LEAD}) of the {plural(len(stages), 'stage')}: "
            f"{' + '.join(fmt(f.value) for f in inputs)} = {fmt(total)} hours from trigger to outcome."
        )
    else:
        terms = " + ".join(
            fmt(block[0].lead_hours) if len(block) == 1 else f"max({', '.join(fmt(s.lead_hours) for s in block)})"
            for block in blocks
        )
        method = (
            f"Sum over the {plural(len(blocks), 'position')} of the stage lead times ({LEAD}), the longest where "
            f"stages run in parallel (the critical path): {terms} = {fmt(total)} hours from trigger to outcome."
        )
    along = on_critical_path(handoffs, stages)
    waits = [h.wait_hours for h in along if h.wait_hours is not None]
    if waits:
        waiting = math.fsum(waits)
        where = plural(len(waits), "handoff") + (" on the critical path" if parallel else "")
        method += (
            f" Each stage's lead time runs from the moment work is available to it, so the {fmt(waiting)} hours "
            f"waiting at the {where} ({WAIT}) are part of it, not added."
        )
    aside = [h for h in handoffs if h not in along and h.wait_hours is not None]
    if parallel and aside:
        method += (
            f" The {fmt(math.fsum(h.wait_hours for h in aside))} hours at the {plural(len(aside), 'handoff')} from "
            "or into the shorter parallel stages overlap the critical path and are not counted."
        )
    return Figure(total, HOURS, method, inputs)


def _activity_ratio(process: Figure, lead: Figure) -> Figure:
    inputs = process.inputs + lead.inputs
    if process.value is None or lead.value is None:
        return Figure(None, RATIO, "Not computed: process time and lead time are both needed (see them).", inputs)
    if lead.value == 0:
        return Figure(None, RATIO, "Not computed: the lead time is zero.", inputs)
    ratio = process.value / lead.value
    method = (
        f"Process time divided by lead time: {fmt(process.value)} / {fmt(lead.value)} hours = {ratio:.4f}, "
        f"so an item is worked on for {ratio * 100:.1f} per cent of its elapsed time."
    )
    return Figure(ratio, RATIO, method, inputs)


def _rolled_pca(stages: tuple[StageFigures, ...]) -> Figure:
    inputs, missing = _stage_facts(stages, PCA, "pca_percent")
    if not stages:
        return Figure(None, PERCENT, "Not computed: the stream has no stages (vskg:hasStage).")
    if missing:
        return Figure(None, PERCENT, f"Not computed: no %C&A ({PCA}) for {names(missing)}.", inputs)
    rolled = math.prod(f.value / 100 for f in inputs) * 100
    method = (
        f"Product of the stages' percent complete and accurate ({PCA}), each as a fraction, times 100: "
        f"{' x '.join(f'{fmt(f.value)}%' for f in inputs)} = {rolled:.1f}% of items pass every stage without "
        "rework (handoffs are not counted)."
    )
    return Figure(rolled, PERCENT, method, inputs)


# --- bottlenecks -----------------------------------------------------------------------------------------------


def _extremes(items: list, value, pick) -> list:
    """The items whose value is the largest (pick=max) or smallest (pick=min); ties all kept."""
    known = [i for i in items if value(i) is not None]
    if not known:
        return []
    best = pick(value(i) for i in known)
    return [i for i in known if value(i) == best]


def _stage_bottlenecks(stages: tuple[StageFigures, ...]) -> tuple[Bottleneck, ...]:
    found = []
    timed = [s for s in stages if s.wait_hours is not None]
    for stage in _extremes(list(stages), lambda s: s.wait_hours, max):
        method = (
            f"Lead time minus process time of the stage ({LEAD} - {PROCESS}): {fmt(stage.lead_hours)} - "
            f"{fmt(stage.process_hours)} = {fmt(stage.wait_hours)} hours waiting inside it, the largest of the "
            f"{plural(len(timed), 'timed stage')}."
        )
        inputs = (Fact(stage.stage.iri, LEAD, stage.lead_hours), Fact(stage.stage.iri, PROCESS, stage.process_hours))
        found.append(Bottleneck("stage", stage.stage, LARGEST_WAIT, Figure(stage.wait_hours, HOURS, method, inputs)))
    rated = [s for s in stages if s.pca_percent is not None]
    for stage in _extremes(list(stages), lambda s: s.pca_percent, min):
        method = f"The stage's percent complete and accurate ({PCA}), the lowest of the {plural(len(rated), 'stage')}."
        figure = Figure(stage.pca_percent, PERCENT, method, (Fact(stage.stage.iri, PCA, stage.pca_percent),))
        found.append(Bottleneck("stage", stage.stage, LOWEST_PCA, figure))
    return tuple(found)


def _handoff_bottlenecks(handoffs: tuple[HandoffFigures, ...]) -> tuple[Bottleneck, ...]:
    found = []
    timed = [h for h in handoffs if h.wait_hours is not None]
    for handoff in _extremes(list(handoffs), lambda h: h.wait_hours, max):
        method = f"The handoff's wait time ({WAIT}), the largest of the {plural(len(timed), 'handoff')}."
        figure = Figure(handoff.wait_hours, HOURS, method, (Fact(handoff.handoff.iri, WAIT, handoff.wait_hours),))
        found.append(Bottleneck("handoff", handoff.handoff, LARGEST_WAIT, figure))
    rated = [h for h in handoffs if h.pca_percent is not None]
    for handoff in _extremes(list(handoffs), lambda h: h.pca_percent, min):
        method = (
            f"The handoff's percent complete and accurate ({PCA}), the lowest of the {plural(len(rated), 'handoff')}."
        )
        figure = Figure(handoff.pca_percent, PERCENT, method, (Fact(handoff.handoff.iri, PCA, handoff.pca_percent),))
        found.append(Bottleneck("handoff", handoff.handoff, LOWEST_PCA, figure))
    return tuple(found)


# --- coverage and alignment ------------------------------------------------------------------------------------


def _coverage(stages: tuple[StageFigures, ...]) -> Coverage:
    covered = tuple(s.stage for s in stages if s.covered)
    uncovered = tuple(s.stage for s in stages if not s.covered)
    if not stages:
        figure = Figure(None, PERCENT, "Not computed: the stream has no stages (vskg:hasStage).")
    else:
        share = len(covered) / len(stages) * 100
        method = (
            "Stages whose enabling capabilities (vskg:enabledBy) are each supported by a system "
            f"(vskg:supportsCapability), out of all stages: {len(covered)} of {len(stages)} = {share:.1f}%. "
            "A stage with no enabling capability counts as not covered."
        )
        figure = Figure(share, PERCENT, method)
    return Coverage(covered, uncovered, figure)


def _alignment(facts: Facts, stream: str) -> tuple[Alignment, ...]:
    found = set()
    for node in facts.refs(stream, "vskg:hasMCAAlignment"):
        rationale = facts.text(node, "vskg:rationale")
        for dimension in facts.refs(node, "vskg:alignedDimension"):
            found.add((dimension, rationale))
    ordered = sorted(
        found,
        key=lambda a: (notation_key(facts.text(a[0], "skos:notation")), facts.sort_key(a[0]), a[1] or ""),
    )
    return tuple(Alignment(facts.ref(d), r) for d, r in ordered)
