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
- Stakeholder, Outcome, Goal, CourseOfAction: their vskg classes. WorkPackage: vskg:Intervention.
- Resource: vskg has no class for an asset in general (BudgetAllocation and InformationConcept are narrower), so a
  Resource stays an ``am:Element`` only.
- Value: vskg:ValueItem when it is associated with a Flow between two stages; the flow's source stage
  vskg:producesValueItem it.

Streams:

- Handoffs: each Flow or Triggering relationship between two stages of one stream (the first drawn per pair of
  stages) is also a vskg:Handoff on the same node, with fromStage, toStage and the stream's hasHandoff; one without
  a name is labelled "<from stage> to <to stage>".
- Stage order: among the stages of one stream, the Flow and Triggering relationships between those stages must
  form one chain through all of them; then stageOrder 1..n and nextStage are asserted. Otherwise a warning says why
  and no order is asserted for that stream.
- Outcome: a stream realising an Outcome or a Value, or associated with one (either direction), deliversOutcome
  it; a Value used so is typed vskg:Outcome too.
- Operator: the BusinessActor assigned to a stream, directly or through a role (assignment chains), operatedBy;
  when no actor is, the BusinessRole assigned to it. The operator is typed vskg:Organisation as well, so the
  portfolio counts it among its organisations.

Derived links (vskg.archimate.derivation, which lists the rules of ArchiMate 3.2 Appendix B applied and those not):
a system (ApplicationComponent or platform) supportsCapability or supportsStage what it reaches through a chain of
up to four serving, realization, assignment, composition or aggregation relationships across business,
application and technology elements (not through another system except from its whole to its part; vskg:runsOn
says what a platform serves); a BusinessActor contributesTo the stages it so reaches; an actor operates a stream
through an assignment chain. A link also stated by a single relationship is not derived again. Each derived link
is asserted in the graph and described by an am:Derivation node: rdf:subject, rdf:predicate and rdf:object name the
link, am:rule the rule, am:derivedFrom each relationship of the chain.

Everything without a vskg counterpart stays an ``am:`` node, never dropped.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from vskg.archimate.derivation import Deriver
from vskg.archimate.model import Concept, Model
from vskg.vocab import VSKG

ORG_ROLE = "http://www.w3.org/ns/org#Role"
AM = "https://w3id.org/vskg/archimate#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

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

STREAM_ENDS = {"Outcome", "Value"}
PARTIES = ("BusinessActor", "BusinessRole")
CORE = {"Product", "Contract", "Representation", "Node", "Device", "SystemSoftware", "Path", "CommunicationNetwork"}
CORE |= {"Artifact", "Equipment", "Facility", "DistributionNetwork", "Material", "DataObject"}


class Iri(str):
    """An object that is an IRI as given (a vskg property, an am: rule), not the identifier of a model concept."""


class Text(str):
    """An object that is a plain literal."""


# (subject id, predicate IRI, object): the subject is a concept identifier, or "_:name" for a derivation node,
# which the importer names after the link it explains (an ArchiMate identifier is an xs:ID, which cannot hold a
# colon); the object is a concept identifier, an Iri, a Text or an int.
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
    streams = {c.identifier for c in model.elements if c.type == "ValueStream"} - (stages - set(stages_of))
    for parent, members in stages_of.items():
        _handoffs(parent, members, rels, by_id, out, typed)
    _outcomes(streams, rels, kind, out, typed)
    deriver = Deriver(rels)
    _operators(streams, model, deriver, kind, out, typed)
    _derived_support(model, stages, deriver, kind, out)
    if deriver.exhausted:
        warnings.append(
            f"derivation stopped after {deriver.max_steps} relationship steps: the model is too densely connected "
            "for every derived link to be looked for; the links derived so far are kept"
        )
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
    # Positions by the longest Flow/Triggering path from a stage without predecessor: a chain numbers its stages
    # 1, 2, 3 ...; stages the flow forks into, or that join into one stage, share a position and run in parallel.
    starts = [s for s in stages if not preceding[s]]
    if not starts:
        return say("the Flow/Triggering chain between its stages is a cycle")
    waiting = {s: len(preceding[s]) for s in stages}
    position = dict.fromkeys(starts, 1)
    todo, seen = list(starts), 0
    while todo:
        stage = todo.pop()
        seen += 1
        for after in following[stage]:
            position[after] = max(position.get(after, 0), position[stage] + 1)
            waiting[after] -= 1
            if waiting[after] == 0:
                todo.append(after)
    if seen != len(stages):
        return say("the Flow/Triggering chain between its stages is a cycle or does not reach every stage")
    for a, b in edges:
        if position[b] != position[a] + 1:
            return say(
                f"the Flow/Triggering chain is ambiguous: {_name(by_id[a])} leads to {_name(by_id[b])}, "
                "which it also reaches through other stages"
            )
    blocks: dict[int, list[str]] = defaultdict(list)
    for stage in stages:
        blocks[position[stage]].append(stage)
    for at, members in sorted(blocks.items()):
        if len(members) == 1:
            continue
        leads = {frozenset(following[m]) for m in members}
        comes = {frozenset(preceding[m]) for m in members}
        if (len(leads) == 1 and leads != {frozenset()}) or (len(comes) == 1 and comes != {frozenset()}):
            continue  # one fork or one join: a parallel block
        names = ", ".join(_name(by_id[x]) for x in sorted(members))
        if at == 1:
            return say(f"the Flow/Triggering chain is broken: {len(members)} stages have no predecessor ({names})")
        return say(f"the Flow/Triggering chain is broken: {names} share position {at} but not a stage before or after")
    for stage in stages:
        out.append((stage, VSKG + "stageOrder", position[stage]))
    for a, b in edges:
        out.append((a, VSKG + "nextStage", b))
    for members in blocks.values():
        for a in members:
            out.extend((a, VSKG + "runsInParallelWith", b) for b in members if b != a)
    return None


def _handoffs(parent, members, rels, by_id, out, typed) -> None:
    """Each Flow or Triggering between two stages of one stream is a handoff (the first one drawn per pair)."""
    inside = set(members)
    pairs: set[tuple[str, str]] = set()
    for rel in rels:
        pair = (rel.source or "", rel.target or "")
        if rel.type not in ORDERING or pair[0] not in inside or pair[1] not in inside or pair[0] == pair[1]:
            continue
        if pair in pairs:
            continue
        pairs.add(pair)
        typed(rel.identifier, VSKG + "Handoff")
        out.append((parent, VSKG + "hasHandoff", rel.identifier))
        out.append((rel.identifier, VSKG + "fromStage", pair[0]))
        out.append((rel.identifier, VSKG + "toStage", pair[1]))
        if not any(text.strip() for _, text in rel.names):
            out.append((rel.identifier, RDFS_LABEL, Text(f"{_label(by_id[pair[0]])} to {_label(by_id[pair[1]])}")))


def _outcomes(streams: set[str], rels, kind, out, typed) -> None:
    """A stream realising (or associated with) an Outcome or a Value delivers it; a Value so used is an outcome."""
    done: set[tuple[str, str]] = set()
    for rel in rels:
        ends = [(rel.source, rel.target)]
        if rel.type == "Association":
            ends.append((rel.target, rel.source))
        elif rel.type != "Realization":
            continue
        for stream, end in ends:
            if stream in streams and kind(end) in STREAM_ENDS and (stream, end) not in done:
                done.add((stream, end))
                if kind(end) == "Value":
                    typed(end, VSKG + "Outcome")
                out.append((stream, VSKG + "deliversOutcome", end))


def _operators(streams: set[str], model: Model, deriver: Deriver, kind, out, typed) -> None:
    """The actor assigned to a stream operates it (directly, or through a role it is assigned to); else the role.

    The operator is typed vskg:Organisation (what vskg:operatedBy points at), so the portfolio counts it.
    """
    found: dict[str, dict[str, list]] = {s: {p: [] for p in PARTIES} for s in streams}
    for rel in model.relationships:
        if rel.type == "Assignment" and rel.target in found and kind(rel.source) in PARTIES:
            found[rel.target][kind(rel.source)].append((rel.source, None))
    starts = [c.identifier for c in model.elements if c.type in PARTIES]
    for link in deriver.derive(
        starts, lambda i: i in found, lambda i, _: kind(i) in PARTIES, accept={"Assignment"}, structural_only=True
    ):
        party = found[link.target][kind(link.source)]
        if all(source != link.source for source, _ in party):
            party.append((link.source, link))
    typed_already: set[str] = set()
    for stream in sorted(found):
        parties = found[stream]["BusinessActor"] or found[stream]["BusinessRole"]
        for party, link in parties:
            if party not in typed_already:
                typed_already.add(party)
                typed(party, VSKG + "Organisation")
            out.append((stream, VSKG + "operatedBy", party))
            if link is not None:
                _record(out, stream, VSKG + "operatedBy", party, link)


def _passable(kind):
    """Chains go through core elements; through another system only from its whole (so a node serving a component
    does not count as supporting what the component supports: vskg says that with vskg:runsOn)."""

    def passable(identifier: str, via: str) -> bool:
        found = kind(identifier)
        if found is None or not (found in CORE or found.startswith(("Business", "Application", "Technology"))):
            return False
        return via in WHOLE_PART or not (found == "ApplicationComponent" or found in PLATFORMS)

    return passable


def _derived_support(model: Model, stages: set[str], deriver: Deriver, kind, out) -> None:
    """Systems supporting capabilities and stages, and actors contributing to stages, through derivation chains."""
    asserted = {(s, p, o) for s, p, o in out}
    systems = [c.identifier for c in model.elements if c.type == "ApplicationComponent" or c.type in PLATFORMS]
    actors = [c.identifier for c in model.elements if c.type == "BusinessActor"]
    passable = _passable(kind)

    def goal(identifier: str) -> bool:
        return identifier in stages or kind(identifier) == "Capability"

    links = [(link, None) for link in deriver.derive(systems, goal, passable)]
    links += [
        (link, VSKG + "contributesTo")
        for link in deriver.derive(
            actors, lambda i: i in stages, passable, accept={"Serving", "Realization", "Assignment"}
        )
    ]
    for link, predicate in links:
        if predicate is None:
            predicate = VSKG + ("supportsStage" if link.target in stages else "supportsCapability")
        if (link.source, predicate, link.target) in asserted:
            continue
        asserted.add((link.source, predicate, link.target))
        out.append((link.source, predicate, link.target))
        _record(out, link.source, predicate, link.target, link)


def _record(out: list[Statement], subject: str, predicate: str, obj: str, link) -> None:
    """The derivation behind a vskg link: the link (as an RDF statement), the rule, the relationships of the chain."""
    node = "_:" + "\t".join((subject, predicate.rpartition("#")[2], obj))  # named by the link: stable
    out.append((node, "rdf:type", AM + "Derivation"))
    out.append((node, RDF + "subject", subject))
    out.append((node, RDF + "predicate", Iri(predicate)))
    out.append((node, RDF + "object", obj))
    out.append((node, AM + "rule", Iri(AM + link.rule)))
    for rel in link.chain:
        out.append((node, AM + "derivedFrom", rel))


def _label(concept: Concept) -> str:
    return next((text.strip() for _, text in concept.names if text.strip()), concept.identifier)
