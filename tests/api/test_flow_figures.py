"""The flow figures of every bundled value stream, worked out by hand, through the query catalogue and the analytics.

Value stream mapping (Martin & Osterling 2013) measures a stage's lead time from the moment work is available to
it, so the wait at the handoff in front of a stage is inside that stage's lead time. The total lead time of a
stream is the sum of its stages' lead times (never plus the handoff waits), and the activity ratio is the total
process time divided by it. Below, each stream's stages are copied from data/*.ttl as (key, process h, lead h,
%C&A) and its handoffs as (key, wait h, %C&A); the totals, ratios and bottlenecks are written out by hand from
those figures, with the arithmetic beside them, and must come out exactly so:

- from `stream-flow-metrics` in the catalogue, run in process and as GET /queries/stream-flow-metrics;
- from vskg.analytics.analyse_stream and GET /api/streams/{key} (value, and the bottlenecks).

Before the correction the handoff waits were added on top (mortgage lending: 434 h of stage lead times + 229 h of
waits = 663 h); `before` keeps that figure of each stream for the record.

Stages that run in parallel share a position; value stream mapping then adds up, per position, only the longest of
them (the critical path): the technology example's three planning stages count max(576, 480, 360) h, and only the
waits of the handoffs along that path are part of the lead time. `critical` names a stream's stages on that path
and `waited` its handoffs there (None: all of them, as in every purely sequential stream).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx
import pyoxigraph
import pytest

from vskg.analytics import analyse_stream
from vskg.catalogue import catalogue, run

DATA = "https://w3id.org/vskg/data/"
RESULTS_JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Stream:
    key: str
    label: str
    stages: list[tuple[str, float, float, float]]  # key, process h, lead h, %C&A
    handoffs: list[tuple[str, float, float]]  # key, wait h, %C&A
    process: str  # hand-worked sum, exact decimal
    lead: str  # hand-worked sum of the stage lead times, exact decimal
    ratio: str  # process / lead, rounded to 4 places as the query gives it
    bottlenecks: list[tuple[str, str, str, float]]  # kind, key, reason, value
    before: float  # the lead time when the waits were added on top
    critical: list[str] | None = None  # the stages on the critical path (None: every stage)
    waited: list[str] | None = None  # the handoffs along it (None: every handoff)
    into: list[str] | None = None  # each handoff's receiving stage (None: the next stage of the list)

    def on_path(self) -> list[tuple[str, float, float, float]]:
        return [s for s in self.stages if self.critical is None or s[0] in self.critical]

    def waits(self) -> list[float]:
        return [w for key, w, _ in self.handoffs if self.waited is None or key in self.waited]


STREAMS = [
    Stream(
        "airline/passenger-journey",
        "Passenger journey",
        [
            ("flight-search", 0.5, 48, 90),
            ("booking", 0.2, 0.5, 88),
            ("ticketing", 0.1, 1, 97),
            ("airport-operations", 0.4, 1.2, 82),
            ("baggage-handling", 0.5, 1.5, 92),
            ("boarding", 0.5, 1.5, 86),  # was 0.75 h, shorter than the 0.75 h wait + 0.5 h work in front of it
            ("flight-operations", 3, 3.4, 95),
            ("arrival-services", 0.5, 1.6, 90),  # was 1.0 h, shorter than the 0.6 h wait + 0.5 h work
        ],
        [
            ("handoff-1-2", 0.2, 95),
            ("handoff-2-3", 0.1, 97),
            ("handoff-3-4", 0, 90),
            ("handoff-4-5", 1, 84),
            ("handoff-5-6", 0.75, 80),
            ("handoff-6-7", 0.4, 92),
            ("handoff-7-8", 0.6, 85),
        ],
        process="5.7",  # 0.5 + 0.2 + 0.1 + 0.4 + 0.5 + 0.5 + 3 + 0.5
        lead="58.7",  # 48 + 0.5 + 1 + 1.2 + 1.5 + 1.5 + 3.4 + 1.6
        ratio="0.0971",  # 5.7 / 58.7 = 0.09710...
        bottlenecks=[
            ("stage", "flight-search", "largest wait", 48 - 0.5),  # 47.5, 0.3, 0.9, 0.8, 1, 1, 0.4, 1.1
            ("stage", "airport-operations", "lowest %C&A", 82),  # 90, 88, 97, 82, 92, 86, 95, 90
            ("handoff", "handoff-4-5", "largest wait", 1),  # 0.2, 0.1, 0, 1, 0.75, 0.4, 0.6
            ("handoff", "handoff-5-6", "lowest %C&A", 80),  # 95, 97, 90, 84, 80, 92, 85
        ],
        before=60.4,  # 57.35 + 3.05
    ),
    Stream(
        "banking/mortgage-lending",
        "Mortgage lending",
        [
            ("explore-mortgage-options", 1, 48, 95),
            ("application-submission", 2, 24, 90),
            ("affordability-assessment", 1.5, 36, 70),  # was 16 h, shorter than the 20 h wait in front of it
            ("credit-checks", 0.5, 2, 92),
            ("property-valuation", 3, 72, 85),
            ("underwriting", 2, 72, 65),  # was 24 h, shorter than the 48 h wait
            ("legal-completion", 6, 240, 75),
            ("release-of-funds", 1, 80, 95),  # was 8 h, shorter than the 72 h wait
        ],
        [
            ("handoff-1-2", 12, 95),
            ("handoff-2-3", 20, 72),
            ("handoff-3-4", 1, 96),
            ("handoff-4-5", 60, 85),
            ("handoff-5-6", 48, 70),
            ("handoff-6-7", 16, 90),
            ("handoff-7-8", 72, 80),
        ],
        process="17",  # 1 + 2 + 1.5 + 0.5 + 3 + 2 + 6 + 1
        lead="574",  # 48 + 24 + 36 + 2 + 72 + 72 + 240 + 80 (23.9 days)
        ratio="0.0296",  # 17 / 574 = 0.02961...
        bottlenecks=[
            ("stage", "legal-completion", "largest wait", 240 - 6),  # 47, 22, 34.5, 1.5, 69, 70, 234, 79
            ("stage", "underwriting", "lowest %C&A", 65),  # 95, 90, 70, 92, 85, 65, 75, 95
            ("handoff", "handoff-7-8", "largest wait", 72),  # 12, 20, 1, 60, 48, 16, 72
            ("handoff", "handoff-5-6", "lowest %C&A", 70),  # 95, 72, 96, 85, 70, 90, 80
        ],
        before=663,  # 434 + 229
    ),
    Stream(
        "government/citizen-service-delivery",
        "Citizen service delivery",
        [
            ("claim-submission", 1, 24, 88),
            ("identity-verification", 0.5, 8, 80),
            ("eligibility-assessment", 3, 168, 60),  # was 72 h, shorter than the 96 h wait
            ("case-management", 4, 120, 70),
            ("payment", 0.5, 168, 85),  # was 48 h, shorter than the 120 h wait
        ],
        [("handoff-1-2", 2, 95), ("handoff-2-3", 96, 65), ("handoff-3-4", 24, 80), ("handoff-4-5", 120, 70)],
        process="9",  # 1 + 0.5 + 3 + 4 + 0.5
        lead="488",  # 24 + 8 + 168 + 120 + 168 (20.3 days)
        ratio="0.0184",  # 9 / 488 = 0.01844...
        bottlenecks=[
            ("stage", "payment", "largest wait", 168 - 0.5),  # 23, 7.5, 165, 116, 167.5
            ("stage", "eligibility-assessment", "lowest %C&A", 60),  # 88, 80, 60, 70, 85
            ("handoff", "handoff-4-5", "largest wait", 120),  # 2, 96, 24, 120
            ("handoff", "handoff-2-3", "lowest %C&A", 65),  # 95, 65, 80, 70
        ],
        before=514,  # 272 + 242
    ),
    Stream(
        "oil-and-gas/exploration-to-export",
        "Exploration to export",
        [
            ("geological-analysis", 1200, 2160, 70),
            ("drilling-operations", 960, 3600, 80),  # was 1440 h, shorter than the 2160 h wait
            ("reservoir-management", 240, 720, 85),
            ("pipeline-infrastructure", 48, 120, 90),
            ("shipping-logistics", 36, 240, 88),
        ],
        [("handoff-1-2", 2160, 75), ("handoff-2-3", 336, 80), ("handoff-3-4", 24, 95), ("handoff-4-5", 168, 85)],
        process="2484",  # 1200 + 960 + 240 + 48 + 36
        lead="6840",  # 2160 + 3600 + 720 + 120 + 240 (285 days)
        ratio="0.3632",  # 2484 / 6840 = 0.36315...
        bottlenecks=[
            ("stage", "drilling-operations", "largest wait", 3600 - 960),  # 960, 2640, 480, 72, 204
            ("stage", "geological-analysis", "lowest %C&A", 70),  # 70, 80, 85, 90, 88
            ("handoff", "handoff-1-2", "largest wait", 2160),  # 2160, 336, 24, 168
            ("handoff", "handoff-1-2", "lowest %C&A", 75),  # 75, 80, 95, 85
        ],
        before=7368,  # 4680 + 2688
    ),
    Stream(
        "retail/product-discovery-to-delivery",
        "Product discovery to delivery",
        [
            ("product-discovery", 0.5, 24, 90),
            ("purchase", 0.2, 1, 97),  # was 0.5 h, shorter than the 0.5 h wait + 0.2 h work
            ("fulfilment", 0.5, 20, 88),
            ("delivery", 1, 30, 92),
        ],
        [
            ("product-discovery-to-delivery-handoff-1-2", 0.5, 98),
            ("product-discovery-to-delivery-handoff-2-3", 4, 90),
            ("product-discovery-to-delivery-handoff-3-4", 18, 85),
        ],
        process="2.2",  # 0.5 + 0.2 + 0.5 + 1
        lead="75",  # 24 + 1 + 20 + 30
        ratio="0.0293",  # 2.2 / 75 = 0.02933...
        bottlenecks=[
            ("stage", "delivery", "largest wait", 30 - 1),  # 23.5, 0.8, 19.5, 29
            ("stage", "fulfilment", "lowest %C&A", 88),  # 90, 97, 88, 92
            ("handoff", "product-discovery-to-delivery-handoff-3-4", "largest wait", 18),  # 0.5, 4, 18
            ("handoff", "product-discovery-to-delivery-handoff-3-4", "lowest %C&A", 85),  # 98, 90, 85
        ],
        before=97,  # 74.5 + 22.5
    ),
    Stream(
        "retail/product-returns-and-exchanges",
        "Product returns and exchanges",
        [
            ("return-initiation", 0.2, 2, 85),
            ("return-receipt-and-inspection", 0.3, 144, 75),  # was 48 h, shorter than the 96 h wait
            ("refund-or-exchange", 0.2, 48, 90),  # was 24 h, shorter than the 24 h wait + 0.2 h work
            ("restock-or-disposal", 0.5, 72, 80),
        ],
        [
            ("product-returns-and-exchanges-handoff-1-2", 96, 90),
            ("product-returns-and-exchanges-handoff-2-3", 24, 80),
            ("product-returns-and-exchanges-handoff-3-4", 12, 95),
        ],
        process="1.2",  # 0.2 + 0.3 + 0.2 + 0.5
        lead="266",  # 2 + 144 + 48 + 72 (11.1 days)
        ratio="0.0045",  # 1.2 / 266 = 0.00451...
        bottlenecks=[
            ("stage", "return-receipt-and-inspection", "largest wait", 144 - 0.3),  # 1.8, 143.7, 47.8, 71.5
            ("stage", "return-receipt-and-inspection", "lowest %C&A", 75),  # 85, 75, 90, 80
            ("handoff", "product-returns-and-exchanges-handoff-1-2", "largest wait", 96),  # 96, 24, 12
            ("handoff", "product-returns-and-exchanges-handoff-2-3", "lowest %C&A", 80),  # 90, 80, 95
        ],
        before=278,  # 146 + 132
    ),
    Stream(
        "platform/developer-ecosystem-growth",
        "Developer ecosystem growth",
        [
            ("discover-platform", 2, 72, 85),
            ("onboard-developer", 4, 48, 80),
            ("build-first-integration", 40, 240, 78),
            ("publish-integration", 6, 120, 70),
            ("grow-adoption", 20, 720, 80),
        ],
        [
            ("developer-ecosystem-growth-handoff-1-2", 24, 85),
            ("developer-ecosystem-growth-handoff-2-3", 8, 80),
            ("developer-ecosystem-growth-handoff-3-4", 96, 68),
            ("developer-ecosystem-growth-handoff-4-5", 72, 75),
        ],
        process="72",  # 2 + 4 + 40 + 6 + 20
        lead="1200",  # 72 + 48 + 240 + 120 + 720
        ratio="0.06",  # 72 / 1200
        bottlenecks=[
            ("stage", "grow-adoption", "largest wait", 720 - 20),  # 70, 44, 200, 114, 700
            ("stage", "publish-integration", "lowest %C&A", 70),  # 85, 80, 78, 70, 80
            ("handoff", "developer-ecosystem-growth-handoff-3-4", "largest wait", 96),  # 24, 8, 96, 72
            ("handoff", "developer-ecosystem-growth-handoff-3-4", "lowest %C&A", 68),  # 85, 80, 68, 75
        ],
        before=1400,  # 1200 + 200
    ),
    Stream(
        "platform/enterprise-integration",
        "Enterprise integration",
        [
            ("scope", 24, 120, 70),
            ("design", 40, 160, 75),
            ("integrate", 120, 320, 80),
            ("certify", 24, 192, 78),  # was 96 h, shorter than the 96 h wait + 24 h work
            ("operate", 8, 72, 88),
        ],
        [
            ("enterprise-integration-handoff-1-2", 72, 72),
            ("enterprise-integration-handoff-2-3", 160, 75),
            ("enterprise-integration-handoff-3-4", 96, 80),
            ("enterprise-integration-handoff-4-5", 24, 90),
        ],
        process="216",  # 24 + 40 + 120 + 24 + 8
        lead="864",  # 120 + 160 + 320 + 192 + 72
        ratio="0.25",  # 216 / 864
        bottlenecks=[
            ("stage", "integrate", "largest wait", 320 - 120),  # 96, 120, 200, 168, 64
            ("stage", "scope", "lowest %C&A", 70),  # 70, 75, 80, 78, 88
            ("handoff", "enterprise-integration-handoff-2-3", "largest wait", 160),  # 72, 160, 96, 24
            ("handoff", "enterprise-integration-handoff-1-2", "lowest %C&A", 72),  # 72, 75, 80, 90
        ],
        before=1120,  # 768 + 352
    ),
    Stream(
        "platform/platform-reliability",
        "Platform reliability",
        [
            ("detect", 0.1, 0.25, 85),
            ("respond", 0.25, 0.5, 88),
            ("restore", 1, 1.5, 90),
            ("learn-from-incident", 8, 72, 80),
            ("harden", 40, 576, 78),  # was 240 h, shorter than the 336 h wait
        ],
        [
            ("platform-reliability-handoff-1-2", 0.1, 88),
            ("platform-reliability-handoff-2-3", 0.2, 90),
            ("platform-reliability-handoff-3-4", 48, 80),
            ("platform-reliability-handoff-4-5", 336, 70),
        ],
        process="49.35",  # 0.1 + 0.25 + 1 + 8 + 40
        lead="650.25",  # 0.25 + 0.5 + 1.5 + 72 + 576
        ratio="0.0759",  # 49.35 / 650.25 = 0.07589...
        bottlenecks=[
            ("stage", "harden", "largest wait", 576 - 40),  # 0.15, 0.25, 0.5, 64, 536
            ("stage", "harden", "lowest %C&A", 78),  # 85, 88, 90, 80, 78
            ("handoff", "platform-reliability-handoff-4-5", "largest wait", 336),  # 0.1, 0.2, 48, 336
            ("handoff", "platform-reliability-handoff-4-5", "lowest %C&A", 70),  # 88, 90, 80, 70
        ],
        before=698.55,  # 314.25 + 384.3
    ),
    Stream(
        "platform/product-innovation",
        "Product innovation",
        [
            ("discover", 40, 160, 80),
            ("validate", 60, 240, 75),
            ("build", 240, 400, 85),
            ("release", 4, 24, 90),
            ("learn", 16, 160, 80),
        ],
        [
            ("product-innovation-handoff-1-2", 40, 80),
            ("product-innovation-handoff-2-3", 120, 75),
            ("product-innovation-handoff-3-4", 8, 88),
            ("product-innovation-handoff-4-5", 72, 78),
        ],
        process="360",  # 40 + 60 + 240 + 4 + 16
        lead="984",  # 160 + 240 + 400 + 24 + 160
        ratio="0.3659",  # 360 / 984 = 0.36585...
        bottlenecks=[
            ("stage", "validate", "largest wait", 240 - 60),  # 120, 180, 160, 20, 144
            ("stage", "validate", "lowest %C&A", 75),  # 80, 75, 85, 90, 80
            ("handoff", "product-innovation-handoff-2-3", "largest wait", 120),  # 40, 120, 8, 72
            ("handoff", "product-innovation-handoff-2-3", "lowest %C&A", 75),  # 80, 75, 88, 78
        ],
        before=1224,  # 984 + 240
    ),
    Stream(
        "technology/product-lifecycle",
        "Product lifecycle",
        [
            # Position 1: three planning stages in parallel, each on its own organisational cycle.
            ("infrastructure-capacity-planning", 16, 576, 78),  # was 240 h, shorter than the 336 h wait
            ("marketing-planning", 40, 480, 70),
            ("product-management", 60, 360, 72),
            ("development-and-deployment", 320, 480, 90),  # position 2
            ("product-launch", 24, 408, 68),  # position 3; was 168 h, shorter than the 240 h wait
        ],
        [
            ("handoff-3-4", 48, 82),  # capacity planning -> development
            ("handoff-marketing-to-development", 48, 70),
            ("handoff-product-to-development", 48, 65),
            ("handoff-4-5", 240, 70),  # development -> launch
        ],
        process="360",  # 16 + 320 + 24: the process time along the critical path
        lead="1464",  # max(576, 480, 360) + 480 + 408
        ratio="0.2459",  # 360 / 1464 = 0.24590...
        bottlenecks=[
            ("stage", "infrastructure-capacity-planning", "largest wait", 576 - 16),  # 560, 440, 300, 160, 384
            ("stage", "product-launch", "lowest %C&A", 68),  # 78, 70, 72, 90, 68
            ("handoff", "handoff-4-5", "largest wait", 240),  # 48, 48, 48, 240
            ("handoff", "handoff-product-to-development", "lowest %C&A", 65),  # 82, 70, 65, 70
        ],
        before=2592,  # 1728 + 864, when the three planning stages ran one after another and the waits were added
        critical=["infrastructure-capacity-planning", "development-and-deployment", "product-launch"],
        waited=["handoff-3-4", "handoff-4-5"],  # 48 + 240 = 288 h; the two other 48 h waits overlap capacity planning
        into=["development-and-deployment"] * 3 + ["product-launch"],
    ),
    Stream(
        "telecom/digital-connectivity",
        "Digital connectivity",
        [
            ("order-capture", 1.5, 8, 75),
            ("network-engineering", 16, 120, 80),
            ("customer-provisioning", 6, 120, 85),  # was 48 h, shorter than the 72 h wait
            ("billing", 0.5, 48, 90),  # was 24 h, shorter than the 24 h wait + 0.5 h work
            ("service-assurance", 1, 24, 93),
        ],
        [("handoff-1-2", 48, 75), ("handoff-2-3", 72, 80), ("handoff-3-4", 24, 86), ("handoff-4-5", 1, 95)],
        process="25",  # 1.5 + 16 + 6 + 0.5 + 1
        lead="320",  # 8 + 120 + 120 + 48 + 24
        ratio="0.0781",  # 25 / 320 = 0.078125
        bottlenecks=[
            ("stage", "customer-provisioning", "largest wait", 120 - 6),  # 6.5, 104, 114, 47.5, 23
            ("stage", "order-capture", "lowest %C&A", 75),  # 75, 80, 85, 90, 93
            ("handoff", "handoff-2-3", "largest wait", 72),  # 48, 72, 24, 1
            ("handoff", "handoff-1-2", "lowest %C&A", 75),  # 75, 80, 86, 95
        ],
        before=369,  # 224 + 145
    ),
]
BY_IRI = {DATA + s.key: s for s in STREAMS}
IDS = [s.key for s in STREAMS]


def prefix(stream: Stream) -> str:
    return DATA + stream.key.split("/")[0] + "/"


def decimal(value: float) -> Decimal:
    return Decimal(repr(value))


@pytest.mark.parametrize("stream", STREAMS, ids=IDS)
def test_the_hand_arithmetic_agrees_with_the_figures_and_the_waits_fit(stream: Stream) -> None:
    assert sum(decimal(p) for _, p, _, _ in stream.on_path()) == Decimal(stream.process)
    assert sum(decimal(lead) for _, _, lead, _ in stream.on_path()) == Decimal(stream.lead)
    assert round(Decimal(stream.process) / Decimal(stream.lead), 4) == Decimal(stream.ratio)
    # The wait at a handoff and the process time of its receiving stage both fit inside that stage's lead time.
    stages = {key: (process, lead) for key, process, lead, _ in stream.stages}
    receivers = stream.into or [key for key, _, _, _ in stream.stages[1:]]
    for (_, wait, _), receiver in zip(stream.handoffs, receivers, strict=True):
        assert wait + stages[receiver][0] <= stages[receiver][1]
    # The old figure, with the waits counted a second time, was longer for every stream.
    assert stream.before > float(stream.lead)


def test_every_bundled_stream_is_worked_out(store: pyoxigraph.Store) -> None:
    rows = list(run(store, catalogue()["stream-flow-metrics"]))
    assert sorted(row["stream"].value for row in rows) == sorted(BY_IRI)


def query_rows_in_process(store: pyoxigraph.Store) -> dict[str, dict[str, str]]:
    rows = run(store, catalogue()["stream-flow-metrics"])
    return {row["stream"].value: {k.value: row[k.value].value for k in rows.variables if row[k.value]} for row in rows}


def check_row(stream: Stream, row: dict[str, str]) -> None:
    assert row["streamLabel"] == stream.label
    assert int(row["stageCount"]) == len(stream.stages)
    assert int(row["handoffCount"]) == len(stream.handoffs)
    assert Decimal(row["processTimeHours"]) == Decimal(stream.process)
    assert Decimal(row["leadTimeHours"]) == Decimal(stream.lead)  # the stage lead times only
    assert Decimal(row["handoffWaitHours"]) == sum(decimal(w) for w in stream.waits())  # shown, not added
    assert Decimal(row["activityRatio"]) == Decimal(stream.ratio)


def test_stream_flow_metrics_in_process(store: pyoxigraph.Store) -> None:
    rows = query_rows_in_process(store)
    for iri, stream in BY_IRI.items():
        check_row(stream, rows[iri])


def test_stream_flow_metrics_over_http(client: httpx.Client) -> None:
    response = client.get("/queries/stream-flow-metrics", headers={"Accept": RESULTS_JSON})
    assert response.status_code == 200, response.text
    bindings = response.json()["results"]["bindings"]
    rows = {b["stream"]["value"]: {k: v["value"] for k, v in b.items()} for b in bindings}
    assert sorted(rows) == sorted(BY_IRI)
    for iri, stream in BY_IRI.items():
        check_row(stream, rows[iri])
    # Lowest activity ratio first: returns (0.0045) ... product innovation (0.3659).
    assert [b["streamLabel"]["value"] for b in bindings] == [
        s.label for s in sorted(STREAMS, key=lambda s: (Decimal(s.ratio), s.label))
    ]


def expected_bottlenecks(stream: Stream) -> list[tuple[str, str, str, float]]:
    return [(kind, prefix(stream) + key, reason, float(value)) for kind, key, reason, value in stream.bottlenecks]


@pytest.mark.parametrize("stream", STREAMS, ids=IDS)
def test_analytics_in_process(store: pyoxigraph.Store, stream: Stream) -> None:
    result = analyse_stream(store, DATA + stream.key)
    leads = [lead for _, _, lead, _ in stream.stages]
    assert [s.lead_hours for s in result.stages] == leads
    assert result.lead_time.value == math.fsum(lead for _, _, lead, _ in stream.on_path()) == float(stream.lead)
    assert result.process_time.value == math.fsum(p for _, p, _, _ in stream.on_path())
    assert result.activity_ratio.value == result.process_time.value / float(stream.lead)
    assert round(result.activity_ratio.value, 4) == float(stream.ratio)
    assert [f.property for f in result.lead_time.inputs] == ["vskg:leadTimeHours"] * len(stream.stages)
    assert [h.wait_hours for h in result.handoffs] == [w for _, w, _ in stream.handoffs]
    found = [(b.kind, b.subject.iri, b.reason, b.figure.value) for b in result.bottlenecks]
    assert found == expected_bottlenecks(stream)


def test_mortgage_lead_time_method_says_the_waits_are_inside(store: pyoxigraph.Store) -> None:
    method = analyse_stream(store, DATA + "banking/mortgage-lending").lead_time.method
    assert method == (
        "Sum of the lead times (vskg:leadTimeHours) of the 8 stages: 48 + 24 + 36 + 2 + 72 + 72 + 240 + 80 = 574 "
        "hours from trigger to outcome. Each stage's lead time runs from the moment work is available to it, so the "
        "229 hours waiting at the 7 handoffs (vskg:waitTimeHours) are part of it, not added."
    )


@pytest.mark.parametrize("stream", STREAMS, ids=IDS)
def test_analytics_over_http(client: httpx.Client, stream: Stream) -> None:
    response = client.get(f"/api/streams/{stream.key}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["lead_time"]["value"] == float(stream.lead)
    assert body["lead_time"]["unit"] == "hours"
    assert round(body["activity_ratio"]["value"], 4) == float(stream.ratio)
    found = [(b["kind"], b["subject"]["iri"], b["reason"], b["figure"]["value"]) for b in body["bottlenecks"]]
    assert found == expected_bottlenecks(stream)


def test_stream_list_headlines_over_http(client: httpx.Client) -> None:
    response = client.get("/api/streams")
    assert response.status_code == 200
    listed = {s["iri"]: s for s in response.json()}
    for iri, stream in BY_IRI.items():
        assert listed[iri]["lead_time"] == {"value": float(stream.lead), "unit": "hours"}
        assert listed[iri]["activity_ratio"]["value"] == float(stream.process) / float(stream.lead)


def test_the_readme_table_states_these_figures() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
        for line in readme.splitlines()
        if line.startswith("| ") and line.count("|") == 7
    }
    for stream in STREAMS:
        process, lead, waiting, ratio, _ = rows[stream.label]
        assert Decimal(process.removesuffix(" h").replace(",", "")) == Decimal(stream.process), stream.label
        assert Decimal(lead.split(" h")[0].replace(",", "")) == Decimal(stream.lead), stream.label
        assert Decimal(waiting.removesuffix(" h").replace(",", "")) == sum(decimal(w) for w in stream.waits())
        assert ratio == stream.ratio, stream.label
