"""A synthetic enterprise in the vskg vocabulary, so the workbench can be measured on a graph of realistic size.

Run `python bench/synthetic.py --streams 500 --seed 42 -o enterprise.ttl`, or call `generate(streams, seed)`,
which returns the Turtle text and a `Summary` of what was written (every stream's stage and handoff figures), so a
test can work out the expected analytics from the generator's own numbers rather than from the graph.

The shape follows the bundled examples (data/banking-mortgage-lending.ttl) and conforms to the shapes in shapes/:
organisations in ISIC industries, each with units, teams, a governance board and a vision-goal-objective chain;
value streams of 4 to 10 ordered stages with handoffs, a trigger, an outcome, an owner post and MCA alignments;
a two-level capability map with maturity assessments, whose capabilities are shared by the streams of one
organisation and, for a few group-wide ones, across organisations; application systems on shared technology
platforms; and one group portfolio holding every stream. Sizes grow linearly with the number of streams: per 100
streams about 630 stages, 200 capabilities, 60 systems, 10 organisations and 4 platforms.

Every capability has a supporting system except a few deliberate gaps (about one in thirty level-2 capabilities,
listed in `Summary.unsupported_capabilities`): they are what vskg's gap analysis and SHACL's CapabilitySupportedShape
(an Info) should find, as in the bundled banking example. The output is the same bytes for the same arguments.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

NAMESPACE = "https://example.org/synthetic/"
ASSESSED_ON = "2026-01-15"

PREFIXES = {
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "org": "http://www.w3.org/ns/org#",
    "vskg": "https://w3id.org/vskg/ontology#",
    "mca": "https://w3id.org/vskg/scheme/mca/",
    "porter": "https://w3id.org/vskg/scheme/porter/",
    "maturity": "https://w3id.org/vskg/scheme/maturity/",
    "industry": "https://w3id.org/vskg/scheme/industry/",
}
# ISIC classes of the industry scheme, with the word an organisation of that industry is named with.
INDUSTRIES = [
    ("6419", "Bank"), ("8411", "Agency"), ("8430", "Benefits Office"), ("4711", "Stores"), ("4791", "Online"),
    ("0610", "Petroleum"), ("0620", "Gas"), ("0910", "Oilfield Services"), ("4930", "Pipelines"),
    ("5012", "Shipping"), ("5110", "Airways"), ("5223", "Airport Services"), ("6110", "Networks"),
    ("6120", "Mobile"), ("5820", "Software"), ("6201", "Engineering"), ("6311", "Cloud"),
]  # fmt: skip
ORG_NAMES = [
    "Alder", "Birch", "Cedar", "Dunlin", "Elm", "Fern", "Gannet", "Heron", "Ibis", "Juniper", "Kestrel", "Larch",
    "Merlin", "Nettle", "Osprey",
]  # fmt: skip
UNIT_FUNCTIONS = ["Operations", "Customer service", "Risk and compliance", "Finance", "Technology"]
TEAM_NAMES = ["Flow team", "Platform team"]
SUBJECTS = [
    "Customer", "Order", "Claim", "Payment", "Supplier", "Asset", "Policy", "Shipment", "Product", "Permit",
    "Contract", "Incident", "Invoice", "Loan", "Subscription", "Service", "Network", "Vehicle", "Case", "Account",
]  # fmt: skip
JOURNEYS = [
    "onboarding", "fulfilment", "settlement", "resolution", "provisioning", "renewal", "approval", "delivery",
]  # fmt: skip
STAGE_STEPS = [
    "Request intake", "Eligibility check", "Assessment", "Verification", "Decision", "Scheduling", "Preparation",
    "Execution", "Quality review", "Confirmation", "Billing", "Closure",
]  # fmt: skip
CAPABILITY_AREAS = [
    "Customer", "Partner", "Product", "Risk", "Finance", "Operations", "Data", "Workforce", "Asset", "Channel",
]  # fmt: skip
CAPABILITY_SKILLS = [
    "management", "analysis", "planning", "monitoring", "design", "verification", "servicing", "reporting",
]  # fmt: skip
SYSTEM_KINDS = ["portal", "engine", "register", "gateway", "workbench", "hub"]
PORTER = ["InboundLogistics", "Operations", "OutboundLogistics", "MarketingAndSales", "Service"]
TRIGGER_KINDS = ["Need", "Demand", "Opportunity", "Event"]
MCA = ["Strategy", "Leadership", "CultureAndPeople", "ExecutionAndWaysOfWorking", "StrategicArchitecture"]


@dataclass(frozen=True)
class StageSummary:
    iri: str
    order: int
    process_hours: float
    lead_hours: float
    pca_percent: float
    capabilities: tuple[str, ...]


@dataclass(frozen=True)
class HandoffSummary:
    iri: str
    from_stage: str
    to_stage: str
    wait_hours: float
    queue_length: int
    pca_percent: float


@dataclass(frozen=True)
class StreamSummary:
    iri: str
    label: str
    organisation: str
    stages: tuple[StageSummary, ...]
    handoffs: tuple[HandoffSummary, ...]


@dataclass
class Summary:
    """What was generated: counts, every stream's figures, and resources worth measuring (the most shared ones)."""

    seed: int
    namespace: str
    streams: list[StreamSummary] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    portfolio: str = ""
    unsupported_capabilities: tuple[str, ...] = ()
    most_shared_capability: tuple[str, int] = ("", 0)  # IRI and the number of streams it enables
    most_shared_system: tuple[str, int] = ("", 0)  # IRI and the number of streams whose stages it supports


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _hours(rng: random.Random, low: int, high: int) -> float:
    """A duration in half hours, so sums of them are exact in floating point."""
    return rng.randint(low, high) / 2


class _Writer:
    """Collects Turtle subject blocks; values are written in the order given, so output is byte-stable."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self.blocks: list[str] = []

    def iri(self, name: str) -> str:
        """A generated resource as a prefixed name (``syn:stage-s0042-3``), which keeps the file small."""
        return f"syn:{name}"

    def full(self, name: str) -> str:
        """The whole IRI of a prefixed name made by ``iri``, as the summary reports it."""
        return self.namespace + name.removeprefix("syn:")

    def node(self, subject: str, types: str, label: str, *statements: tuple[str, object]) -> None:
        lines = [f"{subject} a {types} ;", f"    rdfs:label {_literal(label)}@en"]
        for predicate, value in statements:
            values = value if isinstance(value, list | tuple) else [value]
            if values:
                lines[-1] += " ;"
                lines.append(f"    {predicate} {', '.join(str(v) for v in values)}")
        self.blocks.append("\n".join(lines) + " .\n")

    def text(self) -> str:
        head = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in {**PREFIXES, "syn": self.namespace}.items())
        intro = "# A synthetic enterprise generated by bench/synthetic.py; every name and figure is invented.\n\n"
        return intro + head + "\n" + "\n".join(self.blocks)


def _decimal(value: float) -> str:
    return f"{value:.1f}"


class _Enterprise:
    def __init__(self, streams: int, seed: int, namespace: str) -> None:
        if streams < 1:
            raise ValueError("the number of streams must be at least 1")
        self.n, self.rng, self.out = streams, random.Random(seed), _Writer(namespace)
        self.summary = Summary(seed=seed, namespace=namespace)
        self.n_orgs = max(2, round(streams / 10))
        self.n_l1, self.n_l2 = max(2, streams // 10), max(4, (19 * streams) // 10)
        self.n_systems, self.n_platforms = max(4, (3 * streams) // 5), max(2, streams // 25)
        self.n_common = max(2, self.n_l2 // 20)  # group-wide capabilities used by every organisation
        self.n_group_systems = max(1, self.n_systems // 20)
        self.cap_users: dict[str, set[int]] = defaultdict(set)
        self.system_users: dict[str, set[int]] = defaultdict(set)
        self.contributions: dict[str, list[str]] = defaultdict(list)  # unit -> stages it contributes to
        self.own_capabilities: dict[int, list[int]] = {}
        self.own_systems: dict[int, list[int]] = {}

    # --- IRIs -------------------------------------------------------------------------------------------------

    def org(self, o: int) -> str:
        return self.out.iri(f"organisation-o{o:03d}")

    def unit(self, o: int, u: int) -> str:
        return self.out.iri(f"unit-o{o:03d}-u{u}")

    def l1(self, c: int) -> str:
        return self.out.iri(f"capability-area-{c:03d}")

    def l2(self, c: int) -> str:
        return self.out.iri(f"capability-c{c:04d}")

    def system(self, s: int) -> str:
        return self.out.iri(f"system-a{s:04d}")

    def platform(self, p: int) -> str:
        return self.out.iri(f"platform-p{p:03d}")

    # --- building -----------------------------------------------------------------------------------------------

    def build(self) -> tuple[str, Summary]:
        self._organisations()
        self._capabilities()
        self._systems_and_platforms()
        for s in range(self.n):
            self._stream(s)
        self._portfolio()
        self._supports()
        self._summarise()
        return self.out.text(), self.summary

    def _organisations(self) -> None:
        w = self.out
        group = w.iri("organisation-group")
        w.node(group, "vskg:Organisation", "Synthetic Group")
        for o in range(self.n_orgs):
            code, word = INDUSTRIES[self.rng.randrange(len(INDUSTRIES))]
            name = f"{ORG_NAMES[o % len(ORG_NAMES)]} {word} {o // len(ORG_NAMES) + 1}"
            units = [self.unit(o, u) for u in range(len(UNIT_FUNCTIONS) + len(TEAM_NAMES) + 1)]
            vision, goal, objective = (w.iri(f"strategy-o{o:03d}-{k}") for k in ("vision", "goal", "objective"))
            w.node(
                self.org(o), "vskg:Organisation", name, ("vskg:inIndustry", f"industry:isic-{code}"),
                ("org:hasUnit", units), ("vskg:hasVision", vision),
            )  # fmt: skip
            w.node(vision, "vskg:Vision", f"{name}: the easiest organisation to deal with")
            w.node(goal, "vskg:Goal", f"{name}: faster, right-first-time service", ("vskg:amplifiesVision", vision))
            w.node(objective, "vskg:StrategicObjective", f"{name}: halve lead times by 2028",
                   ("vskg:quantifiesGoal", goal))  # fmt: skip
            kinds = ["vskg:OrganisationUnit"] * len(UNIT_FUNCTIONS) + ["vskg:Team"] * len(TEAM_NAMES)
            for u, (kind, label) in enumerate(zip(kinds, UNIT_FUNCTIONS + TEAM_NAMES, strict=True)):
                w.node(units[u], kind, f"{name} {label.lower()}", ("org:unitOf", self.org(o)))
            w.node(units[-1], "vskg:GovernanceBody", f"{name} value stream board", ("org:unitOf", self.org(o)))
            for role in ("customer", "partner"):
                w.node(w.iri(f"stakeholder-o{o:03d}-{role}"), "vskg:Stakeholder", f"{name} {role}")

    def _capabilities(self) -> None:
        rng = self.rng
        for c in range(self.n_l1):
            area = CAPABILITY_AREAS[c % len(CAPABILITY_AREAS)]
            label = f"{area} capabilities {c // len(CAPABILITY_AREAS) + 1}"
            self._capability(self.l1(c), label, 1, None)
        self.gaps = self._gaps()
        for c in range(self.n_l2):
            area = CAPABILITY_AREAS[(c % self.n_l1) % len(CAPABILITY_AREAS)]
            skill = CAPABILITY_SKILLS[rng.randrange(len(CAPABILITY_SKILLS))]
            self._capability(self.l2(c), f"{area} {skill} {c + 1}", 2, self.l1(c % self.n_l1))

    def _gaps(self) -> set[int]:
        """The level-2 capabilities left without a supporting system: every thirtieth (the last one in a small map),
        never a group-wide one, and never every child of one parent, so only the gaps themselves are unsupported.

        Children of level-1 capability p are p, p + n_l1, p + 2 n_l1, ...; when 30 divides n_l1 (300 to 309 streams,
        600 to 609, ..., 4500, 13500) they all share one remainder modulo 30, so the thirtieth rule alone would take
        every child of one parent. Such a parent keeps its first child. Other sizes get the same gaps as before.
        """
        gaps = {c for c in range(self.n_common, self.n_l2) if c % 30 == 29 or (self.n_l2 < 30 and c == self.n_l2 - 1)}
        for parent in range(self.n_l1):
            children = range(parent, self.n_l2, self.n_l1)
            if all(c in gaps for c in children):
                gaps.discard(parent)
        return gaps

    def _capability(self, iri: str, label: str, level: int, parent: str | None) -> None:
        current = self.rng.randint(1, 4)
        target = self.rng.randint(current, 5)
        assessment = iri + "-assessment"
        self.out.node(
            iri, "vskg:Capability", label, ("vskg:capabilityLevel", level),
            ("vskg:subCapabilityOf", [parent] if parent else []), ("vskg:hasAssessment", assessment),
        )  # fmt: skip
        self.out.node(
            assessment, "vskg:CapabilityAssessment", f"{label} maturity assessment",
            ("vskg:currentLevel", f"maturity:Level{current}"), ("vskg:targetLevel", f"maturity:Level{target}"),
            ("vskg:assessedOn", f'"{ASSESSED_ON}"^^xsd:date'),
        )  # fmt: skip

    def _org_capabilities(self, o: int) -> list[int]:
        """The organisation's own level-2 capabilities (the group-wide ones if it has none); computed once per
        organisation, since scanning the whole map for every stage made large sizes quadratic."""
        if o not in self.own_capabilities:
            found = list(range(self.n_common + (o - self.n_common) % self.n_orgs, self.n_l2, self.n_orgs))
            self.own_capabilities[o] = found or list(range(self.n_common))
        return self.own_capabilities[o]

    def _org_systems(self, o: int) -> list[int]:
        if o not in self.own_systems:
            found = list(range(self.n_group_systems + (o - self.n_group_systems) % self.n_orgs, self.n_systems,
                               self.n_orgs))  # fmt: skip
            self.own_systems[o] = found or list(range(self.n_group_systems))
        return self.own_systems[o]

    def _systems_and_platforms(self) -> None:
        rng = self.rng
        for p in range(self.n_platforms):
            self.out.node(self.platform(p), "vskg:TechnologyPlatform", f"Platform {p + 1}")
        # Each supported capability gets one system of its organisation (group-wide ones a group system), and
        # every fourth a second one; stages are added to supportsStage while the streams are built.
        self.supports_capability: dict[int, list[int]] = defaultdict(list)
        self.supports_stage: dict[int, list[str]] = defaultdict(list)
        self.runs_on = [rng.randrange(self.n_platforms) for _ in range(self.n_systems)]
        for c in range(self.n_l2):
            if c in self.gaps:
                continue
            pool = list(range(self.n_group_systems)) if c < self.n_common else self._org_systems(c % self.n_orgs)
            for s in rng.sample(pool, min(len(pool), 2 if c % 4 == 0 else 1)):
                self.supports_capability[s].append(c)
        self.capability_systems: dict[int, list[int]] = defaultdict(list)
        for s, caps in self.supports_capability.items():
            for c in caps:
                self.capability_systems[c].append(s)

    def _stream(self, s: int) -> None:
        w, rng = self.out, self.rng
        o = s % self.n_orgs
        iri = w.iri(f"stream-s{s:04d}")
        label = f"{SUBJECTS[rng.randrange(len(SUBJECTS))]} {JOURNEYS[rng.randrange(len(JOURNEYS))]} {s + 1}"
        count = round(rng.triangular(4, 10, 5))
        steps = sorted(rng.sample(range(len(STAGE_STEPS)), count))
        stages = [w.iri(f"stage-s{s:04d}-{k + 1}") for k in range(count)]
        handoffs = [w.iri(f"handoff-s{s:04d}-{k + 1}-{k + 2}") for k in range(count - 1)]
        units = [self.unit(o, u) for u in range(len(UNIT_FUNCTIONS))]
        teams = [self.unit(o, len(UNIT_FUNCTIONS) + t) for t in range(len(TEAM_NAMES))]
        own, common = self._org_capabilities(o), list(range(self.n_common))
        stage_summaries, handoff_summaries = [], []
        for k, stage in enumerate(stages):
            process = _hours(rng, 1, 16)
            lead = process + _hours(rng, 0, 160)
            pca = float(rng.randint(55, 99))
            enabling = sorted({rng.choice(common) if rng.random() < 0.2 else rng.choice(own) for _ in range(3)})
            enabling = enabling[: rng.randint(1, len(enabling))]
            for c in enabling:
                self.cap_users[w.full(self.l2(c))].add(s)
            supported = [x for c in enabling for x in self.capability_systems.get(c, ())]
            if supported and rng.random() < 0.5:
                self.supports_stage[rng.choice(supported)].append(stage)
            w.node(
                stage, "vskg:ValueStreamStage", f"{STAGE_STEPS[steps[k]]} ({label})",
                ("vskg:stageOf", iri), ("vskg:stageOrder", k + 1),
                ("vskg:nextStage", [stages[k + 1]] if k + 1 < count else []),
                ("vskg:enabledBy", [self.l2(c) for c in enabling]),
                ("vskg:processTimeHours", _decimal(process)), ("vskg:leadTimeHours", _decimal(lead)),
                ("vskg:percentCompleteAccurate", _decimal(pca)), ("vskg:addedToCompleteFlow", "false"),
                ("vskg:classifiedAs", f"porter:{PORTER[rng.randrange(len(PORTER))]}"),
            )  # fmt: skip
            caps = tuple(w.full(self.l2(c)) for c in enabling)
            stage_summaries.append(StageSummary(w.full(stage), k + 1, process, lead, pca, caps))
            for unit in sorted(rng.sample(units, rng.randint(1, 2))):
                self.contributions[unit].append(stage)
        for k, handoff in enumerate(handoffs):
            wait, queue, pca = _hours(rng, 0, 240), rng.randint(0, 60), float(rng.randint(60, 99))
            # The wait is part of the receiving stage's lead time, next to its process time (HandoffWaitWithin-
            # LeadTimeShape): the draw is capped there, so the random sequence, and every other figure, stays the same.
            receiving = stage_summaries[k + 1]
            wait = min(wait, receiving.lead_hours - receiving.process_hours)  # half hours: exact
            w.node(
                handoff, "vskg:Handoff", f"{label}: stage {k + 1} to stage {k + 2}",
                ("vskg:fromStage", stages[k]), ("vskg:toStage", stages[k + 1]),
                ("vskg:waitTimeHours", _decimal(wait)), ("vskg:queueLength", queue),
                ("vskg:percentCompleteAccurate", _decimal(pca)),
            )  # fmt: skip
            ends = w.full(stages[k]), w.full(stages[k + 1])
            handoff_summaries.append(HandoffSummary(w.full(handoff), *ends, wait, queue, pca))
        self._stream_node(s, o, iri, label, stages, handoffs, rng.choice(teams))
        self.summary.streams.append(
            StreamSummary(w.full(iri), label, w.full(self.org(o)), tuple(stage_summaries), tuple(handoff_summaries))
        )

    def _stream_node(
        self, s: int, o: int, iri: str, label: str, stages: list[str], handoffs: list[str], team: str
    ) -> None:
        w, rng, key = self.out, self.rng, f"s{s:04d}"
        owner, trigger, outcome = (w.iri(f"{kind}-{key}") for kind in ("owner", "trigger", "outcome"))
        dimensions = sorted(rng.sample(range(len(MCA)), rng.randint(1, 3)))
        alignments = [w.iri(f"alignment-{key}-{MCA[d]}") for d in dimensions]
        types = (
            "vskg:StrategicValueStream, vskg:OperationalValueStream" if s % 3 == 0 else "vskg:OperationalValueStream"
        )
        w.node(
            iri, types, label, ("vskg:valueProposition", _literal(f"{label}, done quickly and right first time.")),
            ("vskg:operatedBy", self.org(o)), ("vskg:hasOwner", owner), ("vskg:hasTrigger", trigger),
            ("vskg:deliversOutcome", outcome), ("vskg:hasStage", stages), ("vskg:hasHandoff", handoffs),
            ("vskg:realisesObjective", w.iri(f"strategy-o{o:03d}-objective")),
            ("vskg:hasMCAAlignment", alignments), ("vskg:servedBy", team),
        )  # fmt: skip
        w.node(owner, "org:Post", f"{label} value stream owner", ("org:role", "vskg:ValueStreamOwnerRole"),
               ("org:postIn", self.unit(o, len(UNIT_FUNCTIONS) + len(TEAM_NAMES))))  # fmt: skip
        kind = TRIGGER_KINDS[rng.randrange(len(TRIGGER_KINDS))]
        w.node(trigger, "vskg:Trigger", f"{label} requested", ("vskg:triggerKind", f"vskg:{kind}"))
        w.node(outcome, "vskg:Outcome", f"{label} completed",
               ("vskg:valueFor", w.iri(f"stakeholder-o{o:03d}-customer")))  # fmt: skip
        for d, alignment in zip(dimensions, alignments, strict=True):
            rationale = f"{label} depends on {MCA[d]} (synthetic rationale {rng.randint(1, 999)})."
            w.node(alignment, "vskg:MCAAlignment", f"{label}: {MCA[d]} alignment",
                   ("vskg:alignedDimension", f"mca:{MCA[d]}"), ("vskg:rationale", _literal(rationale)))  # fmt: skip

    def _portfolio(self) -> None:
        w = self.out
        portfolio = w.iri("portfolio")
        self.summary.portfolio = w.full(portfolio)
        w.node(
            portfolio, "vskg:ValueStreamPortfolio", "Synthetic group portfolio",
            ("vskg:portfolioOf", w.iri("organisation-group")),
            ("vskg:includesStream", [w.iri(f"stream-s{s:04d}") for s in range(self.n)]),
        )  # fmt: skip

    def _supports(self) -> None:
        """Systems and unit contributions last, once every stage they point at exists."""
        w, kinds = self.out, SYSTEM_KINDS
        stream_of = {stage.iri: n for n, st in enumerate(self.summary.streams) for stage in st.stages}
        full = w.full
        for s in range(self.n_systems):
            caps = sorted(set(self.supports_capability.get(s, [])))
            stages = self.supports_stage.get(s, [])
            label = f"{'Group' if s < self.n_group_systems else 'Line'} {kinds[s % len(kinds)]} {s + 1}"
            w.node(
                self.system(s), "vskg:ApplicationSystem", label,
                ("vskg:supportsCapability", [self.l2(c) for c in caps]), ("vskg:supportsStage", sorted(set(stages))),
                ("vskg:runsOn", self.platform(self.runs_on[s])),
            )  # fmt: skip
            users = {stream_of[full(stage)] for stage in stages}
            users |= {u for c in caps for u in self.cap_users.get(full(self.l2(c)), ())}
            self.system_users[full(self.system(s))] = users
        for unit, stages in sorted(self.contributions.items()):
            w.blocks.append(f"{unit} vskg:contributesTo {', '.join(stages)} .\n")

    def _summarise(self) -> None:
        sm = self.summary
        sm.unsupported_capabilities = tuple(self.out.full(self.l2(c)) for c in sorted(self.gaps))
        supported_parents = {c % self.n_l1 for c in range(self.n_l2) if c not in self.gaps}
        if len(supported_parents) != self.n_l1:
            raise AssertionError("a level-1 capability has no supported child; change the gap rule")
        sm.most_shared_capability = max(((c, len(u)) for c, u in self.cap_users.items()), key=lambda x: (x[1], x[0]))
        sm.most_shared_system = max(((s, len(u)) for s, u in self.system_users.items()), key=lambda x: (x[1], x[0]))
        sm.counts = {
            "organisations": self.n_orgs + 1,
            "units": self.n_orgs * (len(UNIT_FUNCTIONS) + len(TEAM_NAMES) + 1),
            "streams": len(sm.streams),
            "stages": sum(len(s.stages) for s in sm.streams),
            "handoffs": sum(len(s.handoffs) for s in sm.streams),
            "capabilities": self.n_l1 + self.n_l2,
            "systems": self.n_systems,
            "platforms": self.n_platforms,
        }


def generate(streams: int, seed: int = 42, namespace: str = NAMESPACE) -> tuple[str, Summary]:
    """The Turtle text of a synthetic enterprise with ``streams`` value streams, and a summary of its content."""
    return _Enterprise(streams, seed, namespace).build()


def write(path: Path, streams: int, seed: int = 42, namespace: str = NAMESPACE) -> Summary:
    text, summary = generate(streams, seed, namespace)
    Path(path).write_text(text, encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, required=True, help="number of value streams (1 or more)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--namespace", default=NAMESPACE, help="IRI prefix of every generated resource")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the Turtle file to write")
    args = parser.parse_args(argv)
    if args.streams < 1:
        parser.error("--streams must be at least 1")
    summary = write(args.output, args.streams, args.seed, args.namespace)
    counts = ", ".join(f"{n} {name}" for name, n in summary.counts.items())
    print(f"wrote {args.output}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
