"""The vskg reading of an ArchiMate model, asserted on the same nodes as the ``am:`` description.

Element types:

- ValueStream: a stage (vskg:ValueStreamStage, stageOf/hasStage) when another ValueStream composes or aggregates
  it, else a vskg:ValueStream; a stage that has stages of its own is both.
- Capability: vskg:Capability; Composition/Aggregation between capabilities gives vskg:subCapabilityOf; a
  Capability serving a stage gives vskg:enabledBy.
- ApplicationComponent: vskg:ApplicationSystem (serving a stage: supportsStage; serving a capability:
  supportsCapability); Node, Device, SystemSoftware, TechnologyService: vskg:TechnologyPlatform (serving an
  application component: the component vskg:runsOn it).
- BusinessActor: vskg:OrganisationUnit (assigned to, serving or associated with a stage: contributesTo).
- BusinessRole: org:Role (a function someone plays, which is what ORG means by a role; vskg:StreamRole is kept for
  the named stream roles).
- Stakeholder, Outcome, Goal, CourseOfAction: their vskg classes; a ValueStream realising an Outcome:
  deliversOutcome. WorkPackage: vskg:Intervention.
- Resource: vskg has no class for an asset in general (BudgetAllocation and InformationConcept are narrower), so a
  Resource stays an ``am:Element`` only.
- Value: vskg:ValueItem when it is associated with a Flow between two stages; the flow's source stage
  vskg:producesValueItem it.

Stage order: among the stages of one stream, the Flow and Triggering relationships between those stages must form
one chain through all of them; then stageOrder 1..n and nextStage are asserted. Otherwise a warning says why and no
order is asserted for that stream. Everything without a vskg counterpart stays an ``am:`` node, never dropped.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from vskg.archimate.model import Concept, Model
from vskg.vocab import VSKG

ORG_ROLE = "http://www.w3.org/ns/org#Role"

CLASS_OF_TYPE = {
    "Capability": VSKG + "Capability",
    "ApplicationComponent": VSKG + "ApplicationSystem",
    "Node": VSKG + "TechnologyPlatform",
    "Device": VSKG + "TechnologyPlatform",
    "SystemSoftware": VSKG + "TechnologyPlatform",
    "TechnologyService": VSKG + "TechnologyPlatform",
    "BusinessActor": VSKG + "OrganisationUnit",
    "BusinessRole": ORG_ROLE,
    "Stakeholder": VSKG + "Stakeholder",
    "Outcome": VSKG + "Outcome",
    "Goal": VSKG + "Goal",
    "CourseOfAction": VSKG + "CourseOfAction",
    "WorkPackage": VSKG + "Intervention",
}
PLATFORMS = {"Node", "Device", "SystemSoftware", "TechnologyService"}
WHOLE_PART = {"Composition", "Aggregation"}
SUPPORT = {"Realization", "Serving"}
ORDERING = {"Flow", "Triggering"}

# (subject id, predicate IRI, object id or python literal)
Statement = tuple[str, str, object]


def map_model(model: Model) -> tuple[list[Statement], list[str], Counter]:
    """The vskg statements for ``model``, the warnings, and how many nodes got each vskg class."""
    by_id: dict[str, Concept] = {c.identifier: c for c in model.concepts}
    out: list[Statement] = []
    warnings: list[str] = []
    classes: Counter = Counter()

    def typed(identifier: str, cls: str) -> None:
        out.append((identifier, "rdf:type", cls))
        classes[cls.rpartition("#")[2]] += 1

    def kind(identifier: str | None) -> str | None:
        concept = by_id.get(identifier or "")
        return concept.type if concept else None

    rels = model.relationships
    parent_of: dict[str, str] = {}
    stages_of: dict[str, list[str]] = defaultdict(list)
    for rel in rels:
        if rel.type in WHOLE_PART and kind(rel.source) == "ValueStream" and kind(rel.target) == "ValueStream":
            if rel.target in parent_of and parent_of[rel.target] != rel.source:
                warnings.append(
                    f"value stream {_name(by_id[rel.target])} is a part of two streams; it is kept as a stage of "
                    f"{_name(by_id[parent_of[rel.target]])} only"
                )
                continue
            if rel.target not in parent_of:
                parent_of[rel.target] = rel.source
                stages_of[rel.source].append(rel.target)
    stages = set(parent_of)
    for concept in model.elements:
        if concept.type == "ValueStream":
            if concept.identifier in stages:
                typed(concept.identifier, VSKG + "ValueStreamStage")
            if concept.identifier not in stages or concept.identifier in stages_of:
                typed(concept.identifier, VSKG + "ValueStream")
        elif concept.type in CLASS_OF_TYPE:
            typed(concept.identifier, CLASS_OF_TYPE[concept.type])
    for stage, parent in parent_of.items():
        out.append((stage, VSKG + "stageOf", parent))
        out.append((parent, VSKG + "hasStage", stage))
    for parent in stages_of:
        _order(parent, stages_of[parent], rels, by_id, out, warnings)

    value_items: set[str] = set()
    for rel in rels:
        s, t, st, tt = rel.source, rel.target, kind(rel.source), kind(rel.target)
        if rel.type == "Serving" and st == "Capability" and t in stages:
            out.append((t, VSKG + "enabledBy", s))
        elif rel.type in WHOLE_PART and st == "Capability" and tt == "Capability":
            out.append((t, VSKG + "subCapabilityOf", s))
        # Realization is what ArchiMate 3.2 allows from a component or node to a stage or capability; Serving is
        # read too, because some tools write it (the relationship-rule shapes then report it).
        elif rel.type in SUPPORT and (st == "ApplicationComponent" or st in PLATFORMS) and t in stages:
            out.append((s, VSKG + "supportsStage", t))
        elif rel.type in SUPPORT and (st == "ApplicationComponent" or st in PLATFORMS) and tt == "Capability":
            out.append((s, VSKG + "supportsCapability", t))
        elif rel.type == "Serving" and st in PLATFORMS and tt == "ApplicationComponent":
            out.append((t, VSKG + "runsOn", s))
        elif rel.type in ("Assignment", "Serving", "Association") and st == "BusinessActor" and t in stages:
            out.append((s, VSKG + "contributesTo", t))
        elif rel.type == "Realization" and st == "ValueStream" and s not in stages and tt == "Outcome":
            out.append((s, VSKG + "deliversOutcome", t))
        elif rel.type == "Association":
            for value, flow in ((s, t), (t, s)):
                edge = by_id.get(flow or "")
                if (
                    kind(value) == "Value"
                    and edge is not None
                    and edge.kind == "relationship"
                    and edge.type == "Flow"
                    and edge.source in stages
                    and edge.target in stages
                ):
                    if value not in value_items:
                        value_items.add(value)
                        typed(value, VSKG + "ValueItem")
                    out.append((edge.source, VSKG + "producesValueItem", value))
    return out, warnings, classes


def _name(concept: Concept) -> str:
    label = next((text for _, text in concept.names if text), None)
    return f"{concept.identifier} ({label!r})" if label else concept.identifier


def _order(
    parent: str,
    stages: list[str],
    rels: list[Concept],
    by_id: dict[str, Concept],
    out: list[Statement],
    warnings: list[str],
) -> None:
    members = set(stages)
    edges = sorted(
        {
            (r.source, r.target)
            for r in rels
            if r.type in ORDERING and r.source in members and r.target in members and r.source != r.target
        }
    )
    stream = _name(by_id[parent])
    say: Callable[[str], None] = lambda why: warnings.append(  # noqa: E731
        f"stage order of value stream {stream} is not asserted: {why}"
    )
    if len(stages) == 1:
        out.append((stages[0], VSKG + "stageOrder", 1))
        return
    following: dict[str, list[str]] = defaultdict(list)
    preceding: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        following[a].append(b)
        preceding[b].append(a)
    for stage in stages:
        if len(following[stage]) > 1:
            names = ", ".join(_name(by_id[x]) for x in following[stage])
            return say(f"the Flow/Triggering chain is ambiguous: {_name(by_id[stage])} leads to {names}")
        if len(preceding[stage]) > 1:
            names = ", ".join(_name(by_id[x]) for x in preceding[stage])
            return say(f"the Flow/Triggering chain is ambiguous: {_name(by_id[stage])} follows {names}")
    starts = [s for s in stages if not preceding[s]]
    if not starts:
        return say("the Flow/Triggering chain between its stages is a cycle")
    if len(starts) > 1:
        names = ", ".join(_name(by_id[x]) for x in starts)
        return say(f"the Flow/Triggering chain is broken: {len(starts)} stages have no predecessor ({names})")
    chain = [starts[0]]
    while following[chain[-1]]:
        chain.append(following[chain[-1]][0])
        if len(chain) > len(stages):
            return say("the Flow/Triggering chain between its stages is a cycle")
    if len(chain) != len(stages):
        return say("the Flow/Triggering chain between its stages is a cycle or does not reach every stage")
    for position, stage in enumerate(chain, start=1):
        out.append((stage, VSKG + "stageOrder", position))
        if position < len(chain):
            out.append((stage, VSKG + "nextStage", chain[position]))
    return None
