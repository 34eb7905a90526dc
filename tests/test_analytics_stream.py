"""Stream analytics (vskg.analytics.analyse_stream) on the bundled examples, every number worked out by hand.

The expected values are written as the arithmetic over the figures in data/*.ttl, so a reader can check them
against the data file without running anything.
"""

from __future__ import annotations

from itertools import pairwise

import pyoxigraph
import pytest

from vskg.analytics import StreamNotFound, analyse_stream, list_streams
from vskg.analytics.model import HOURS, PERCENT, RATIO, Fact, Ref, StreamAnalysis, critical_path
from vskg.catalogue import catalogue, run

BANK = "https://w3id.org/vskg/data/banking/"
RETAIL = "https://w3id.org/vskg/data/retail/"
MCA = "https://w3id.org/vskg/scheme/mca/"
MORTGAGE = BANK + "mortgage-lending"
RETURNS = RETAIL + "product-returns-and-exchanges"

# The mortgage stages in order, as (key, label, process h, lead h, %C&A) from data/banking-mortgage-lending.ttl.
MORTGAGE_STAGES = [
    ("explore-mortgage-options", "Explore mortgage options", 1.0, 48.0, 95.0),
    ("application-submission", "Application submission", 2.0, 24.0, 90.0),
    ("affordability-assessment", "Affordability assessment", 1.5, 36.0, 70.0),
    ("credit-checks", "Credit checks", 0.5, 2.0, 92.0),
    ("property-valuation", "Property valuation", 3.0, 72.0, 85.0),
    ("underwriting", "Underwriting", 2.0, 72.0, 65.0),
    ("legal-completion", "Legal completion", 6.0, 240.0, 75.0),
    ("release-of-funds", "Release of funds", 1.0, 80.0, 95.0),
]
# The mortgage handoffs, as (key, wait h, queue, %C&A).
MORTGAGE_HANDOFFS = [
    ("handoff-1-2", 12.0, 30, 95.0),
    ("handoff-2-3", 20.0, 45, 72.0),
    ("handoff-3-4", 1.0, 5, 96.0),
    ("handoff-4-5", 60.0, 35, 85.0),
    ("handoff-5-6", 48.0, 28, 70.0),
    ("handoff-6-7", 16.0, 20, 90.0),
    ("handoff-7-8", 72.0, 15, 80.0),
]


def refs(result: tuple[Ref, ...]) -> list[str]:
    return [r.iri for r in result]


@pytest.fixture(scope="module")
def mortgage(store: pyoxigraph.Store) -> StreamAnalysis:
    return analyse_stream(store, MORTGAGE)


@pytest.fixture(scope="module")
def returns(store: pyoxigraph.Store) -> StreamAnalysis:
    return analyse_stream(store, RETURNS)


# --- banking: mortgage lending -----------------------------------------------------------------------------------


def test_mortgage_context(mortgage: StreamAnalysis) -> None:
    assert mortgage.stream == Ref(MORTGAGE, "Mortgage lending")
    assert mortgage.organisation == Ref(BANK + "retail-bank", "Retail bank")
    assert mortgage.industry == Ref("https://w3id.org/vskg/scheme/industry/isic-6419", "Other monetary intermediation")
    assert mortgage.trigger == Ref(BANK + "mortgage-lending-trigger", "Home buyer seeks a mortgage")
    assert mortgage.outcome == Ref(
        BANK + "mortgage-lending-outcome", "Mortgage funds released and loan on the bank's book"
    )
    assert mortgage.teams == (
        Ref(BANK + "digital-channels-team", "Digital channels team"),
        Ref(BANK + "mortgage-flow-team", "Mortgage flow team"),
    )


def test_mortgage_stages_in_order_with_their_times(mortgage: StreamAnalysis) -> None:
    rows = [
        (s.order, s.stage.iri, s.stage.label, s.process_hours, s.lead_hours, s.pca_percent, s.added_to_complete_flow)
        for s in mortgage.stages
    ]
    assert rows == [
        (i, BANK + key, label, process, lead, pca, False)
        for i, (key, label, process, lead, pca) in enumerate(MORTGAGE_STAGES, start=1)
    ]
    # Waiting inside each stage (the wait at the handoff in front of it included): lead time minus process time.
    assert [s.wait_hours for s in mortgage.stages] == [
        48 - 1,
        24 - 2,
        36 - 1.5,
        2 - 0.5,
        72 - 3,
        72 - 2,
        240 - 6,
        80 - 1,
    ]


def test_mortgage_process_time(mortgage: StreamAnalysis) -> None:
    figure = mortgage.process_time
    assert figure.value == 1 + 2 + 1.5 + 0.5 + 3 + 2 + 6 + 1 == 17
    assert figure.unit == HOURS
    assert figure.inputs == tuple(
        Fact(BANK + key, "vskg:processTimeHours", process) for key, _, process, _, _ in MORTGAGE_STAGES
    )
    assert figure.method == (
        "Sum of the process times (vskg:processTimeHours) of the 8 stages: 1 + 2 + 1.5 + 0.5 + 3 + 2 + 6 + 1 = 17 "
        "hours of hands-on work."
    )


def test_mortgage_lead_time_is_the_stage_lead_times_with_the_waits_inside(mortgage: StreamAnalysis) -> None:
    figure = mortgage.lead_time
    # Each stage's lead time runs from the moment work is available to it, so the handoff waits (12 + 20 + 1 + 60 +
    # 48 + 16 + 72 = 229 h) are already in them and are not added again (that gave 663 h before).
    assert figure.value == 48 + 24 + 36 + 2 + 72 + 72 + 240 + 80 == 574
    assert figure.unit == HOURS
    assert figure.inputs == tuple(
        Fact(BANK + key, "vskg:leadTimeHours", lead) for key, _, _, lead, _ in MORTGAGE_STAGES
    )
    assert "= 574 hours from trigger to outcome" in figure.method
    assert "the 229 hours waiting at the 7 handoffs (vskg:waitTimeHours) are part of it, not added" in figure.method


def test_mortgage_activity_ratio_is_not_rounded(mortgage: StreamAnalysis) -> None:
    figure = mortgage.activity_ratio
    assert figure.value == 17 / 574
    assert round(figure.value, 4) == 0.0296
    assert figure.unit == RATIO
    assert figure.inputs == mortgage.process_time.inputs + mortgage.lead_time.inputs
    assert figure.method.startswith("Process time divided by lead time: 17 / 574 hours = 0.0296")


def test_mortgage_rolled_pca_is_the_product_over_stages(mortgage: StreamAnalysis) -> None:
    figure = mortgage.rolled_pca
    expected = 0.95 * 0.90 * 0.70 * 0.92 * 0.85 * 0.65 * 0.75 * 0.95 * 100  # 21.6755...
    assert figure.value == pytest.approx(expected, rel=1e-12)
    assert round(figure.value, 1) == 21.7  # the stream's own KPI measurement in the data file
    assert figure.unit == PERCENT
    assert figure.inputs == tuple(
        Fact(BANK + key, "vskg:percentCompleteAccurate", pca) for key, _, _, _, pca in MORTGAGE_STAGES
    )


def test_mortgage_bottlenecks(mortgage: StreamAnalysis) -> None:
    found = [(b.kind, b.subject.iri, b.reason, b.figure.value, b.figure.unit) for b in mortgage.bottlenecks]
    assert found == [
        # Stage waits 47, 22, 34.5, 1.5, 69, 70, 234, 79: legal completion waits longest (240 - 6).
        ("stage", BANK + "legal-completion", "largest wait", 240 - 6, HOURS),
        # Stage %C&A 95, 90, 70, 92, 85, 65, 75, 95: underwriting is lowest.
        ("stage", BANK + "underwriting", "lowest %C&A", 65.0, PERCENT),
        # Handoff waits 12, 20, 1, 60, 48, 16, 72: legal completion to release of funds.
        ("handoff", BANK + "handoff-7-8", "largest wait", 72.0, HOURS),
        # Handoff %C&A 95, 72, 96, 85, 70, 90, 80: valuation to underwriting.
        ("handoff", BANK + "handoff-5-6", "lowest %C&A", 70.0, PERCENT),
    ]
    legal = mortgage.bottlenecks[0].figure
    assert legal.inputs == (
        Fact(BANK + "legal-completion", "vskg:leadTimeHours", 240.0),
        Fact(BANK + "legal-completion", "vskg:processTimeHours", 6.0),
    )
    assert mortgage.bottlenecks[3].figure.inputs == (Fact(BANK + "handoff-5-6", "vskg:percentCompleteAccurate", 70.0),)


def test_mortgage_handoffs_and_unit_crossings(mortgage: StreamAnalysis) -> None:
    rows = [(h.handoff.iri, h.wait_hours, h.queue_length, h.pca_percent) for h in mortgage.handoffs]
    assert rows == [(BANK + key, wait, queue, pca) for key, wait, queue, pca in MORTGAGE_HANDOFFS]
    assert [(h.from_stage.iri, h.to_stage.iri) for h in mortgage.handoffs] == [
        (BANK + a[0], BANK + b[0]) for a, b in pairwise(MORTGAGE_STAGES)
    ]
    first = mortgage.handoffs[0]
    # vskg:contributesTo: marketing and the digital channels team work on exploring; submission has the digital
    # channels team, compliance, lending operations and the mortgage flow team.
    assert refs(first.from_units) == [BANK + "digital-channels-team", BANK + "marketing"]
    assert refs(first.to_units) == [
        BANK + "compliance",
        BANK + "digital-channels-team",
        BANK + "lending-operations",
        BANK + "mortgage-flow-team",
    ]
    # A handoff crosses a boundary only when no unit works on both stages. In mortgage lending some unit always
    # carries the work across: the digital channels team (1-2), compliance and the mortgage flow team (2-3), credit
    # risk and the flow team (3-4), the flow team (4-5), lending operations and the flow team (5-6), and lending
    # operations (6-7 and 7-8). So no handoff crosses.
    shared = [set(h.from_units) & set(h.to_units) for h in mortgage.handoffs]
    assert [sorted(unit.iri for unit in units) for units in shared] == [
        [BANK + "digital-channels-team"],
        [BANK + "compliance", BANK + "mortgage-flow-team"],
        [BANK + "credit-risk", BANK + "mortgage-flow-team"],
        [BANK + "mortgage-flow-team"],
        [BANK + "lending-operations", BANK + "mortgage-flow-team"],
        [BANK + "lending-operations"],
        [BANK + "lending-operations"],
    ]
    assert mortgage.cross_unit_handoffs == ()
    last = mortgage.handoffs[-1]
    assert refs(last.from_units) == [BANK + "compliance", BANK + "lending-operations"]
    assert refs(last.to_units) == [BANK + "lending-operations", BANK + "payments-operations"]


def test_mortgage_capability_coverage(mortgage: StreamAnalysis) -> None:
    # Mortgage advice (stages 1 and 2) and exception underwriting (stage 6) are deliberately left without a system.
    unsupported = {s.stage.iri: refs(s.unsupported_capabilities) for s in mortgage.stages}
    assert unsupported == {
        BANK + "explore-mortgage-options": [BANK + "mortgage-advice"],
        BANK + "application-submission": [BANK + "mortgage-advice"],
        BANK + "affordability-assessment": [],
        BANK + "credit-checks": [],
        BANK + "property-valuation": [],
        BANK + "underwriting": [BANK + "exception-underwriting"],
        BANK + "legal-completion": [],
        BANK + "release-of-funds": [],
    }
    coverage = mortgage.coverage
    assert refs(coverage.uncovered) == [
        BANK + "explore-mortgage-options",
        BANK + "application-submission",
        BANK + "underwriting",
    ]
    assert len(coverage.covered) == 8 - 3
    assert coverage.figure.value == 5 / 8 * 100 == 62.5
    assert coverage.figure.unit == PERCENT


def test_mortgage_stage_systems_direct_or_through_a_capability(mortgage: StreamAnalysis) -> None:
    release = mortgage.stages[-1]
    # Release of funds: supported directly by the conveyancer portal, core banking and the payments gateway; its
    # capabilities (funds disbursement, loan account set-up) are supported by core banking and payments gateway.
    assert refs(release.systems) == [
        BANK + "conveyancer-portal",
        BANK + "core-banking-system",
        BANK + "payments-gateway",
    ]
    assert refs(release.capabilities) == [BANK + "funds-disbursement", BANK + "loan-account-setup"]
    assert refs(release.units) == [BANK + "lending-operations", BANK + "payments-operations"]
    assert release.covered


def test_mortgage_alignment_in_scheme_order(mortgage: StreamAnalysis) -> None:
    # MCA-3, MCA-4, MCA-5, whatever the order of the alignment nodes in the file.
    assert [a.dimension for a in mortgage.alignment] == [
        Ref(MCA + "CultureAndPeople", "Culture and People"),
        Ref(MCA + "ExecutionAndWaysOfWorking", "Execution and Ways of Working"),
        Ref(MCA + "StrategicArchitecture", "Strategic Architecture"),
    ]
    assert mortgage.alignment[0].rationale.startswith("Risk and compliance staff are rewarded for caution")


# --- retail: product returns and exchanges ---------------------------------------------------------------------


def test_returns_flow_figures(returns: StreamAnalysis) -> None:
    # data/retail-omnichannel.ttl: return initiation, receipt and inspection, refund or exchange, restock.
    assert [s.stage.label for s in returns.stages] == [
        "Return initiation",
        "Return receipt and inspection",
        "Refund or exchange",
        "Restock or disposal",
    ]
    assert returns.process_time.value == pytest.approx(0.2 + 0.3 + 0.2 + 0.5, abs=1e-12)  # 1.2 hours
    assert returns.lead_time.value == 2 + 144 + 48 + 72 == 266  # the 96 + 24 + 12 h of handoff waits are inside
    assert returns.activity_ratio.value == pytest.approx(1.2 / 266, rel=1e-12)
    assert returns.rolled_pca.value == pytest.approx(0.85 * 0.75 * 0.90 * 0.80 * 100, rel=1e-12)  # 45.9
    assert all(s.added_to_complete_flow for s in returns.stages)
    assert returns.organisation == Ref(RETAIL + "omnichannel-retailer", "Large omnichannel retailer")
    assert refs(returns.teams) == [RETAIL + "digital-commerce-art", RETAIL + "returns-flow-team"]


def test_returns_bottlenecks(returns: StreamAnalysis) -> None:
    found = [(b.kind, b.subject.iri, b.reason, b.figure.value) for b in returns.bottlenecks]
    assert found[0] == (
        "stage",
        RETAIL + "return-receipt-and-inspection",
        "largest wait",
        144 - 0.3,
    )  # waits 1.8, 143.7, 47.8, 71.5
    assert found[1:] == [
        ("stage", RETAIL + "return-receipt-and-inspection", "lowest %C&A", 75.0),  # 85, 75, 90, 80
        ("handoff", RETAIL + "product-returns-and-exchanges-handoff-1-2", "largest wait", 96.0),  # 96, 24, 12
        ("handoff", RETAIL + "product-returns-and-exchanges-handoff-2-3", "lowest %C&A", 80.0),  # 90, 80, 95
    ]


def test_returns_coverage_units_and_alignment(returns: StreamAnalysis) -> None:
    # Every enabling capability has a system: the returns portal, the warehouse management system, the point of
    # sale, payment gateway and order management system, and the inventory management system.
    assert returns.coverage.figure.value == 4 / 4 * 100
    assert returns.coverage.uncovered == ()
    assert refs(returns.stages[1].systems) == [
        RETAIL + "transport-management-system",
        RETAIL + "warehouse-management-system",
    ]
    assert refs(returns.stages[0].units) == [
        RETAIL + "customer-service",
        RETAIL + "digital-commerce-art",
        RETAIL + "ecommerce",
        RETAIL + "returns-flow-team",
        RETAIL + "transport-and-logistics",
    ]
    # The returns flow team works on every stage, so it bridges every handoff.
    assert returns.cross_unit_handoffs == ()
    assert [a.dimension.iri for a in returns.alignment] == [MCA + "Strategy", MCA + "CultureAndPeople"]


# --- every stream, and errors ------------------------------------------------------------------------------------


def test_list_streams_is_every_stream_sorted_by_label(store: pyoxigraph.Store) -> None:
    streams = list_streams(store)
    assert len(streams) == 12
    assert [s.label for s in streams] == sorted(s.label for s in streams)
    assert Ref(MORTGAGE, "Mortgage lending") in streams


def test_totals_equal_the_stream_flow_metrics_query_for_every_stream(store: pyoxigraph.Store) -> None:
    rows = list(run(store, catalogue()["stream-flow-metrics"]))
    assert len(rows) == 12
    for row in rows:
        result = analyse_stream(store, row["stream"].value)
        assert len(result.stages) == int(row["stageCount"].value)
        assert len(result.handoffs) == int(row["handoffCount"].value)
        assert result.process_time.value == pytest.approx(float(row["processTimeHours"].value), abs=1e-9)
        assert result.lead_time.value == pytest.approx(float(row["leadTimeHours"].value), abs=1e-9)
        assert round(result.activity_ratio.value, 4) == float(row["activityRatio"].value)
        waits = [h.wait_hours for h in result.critical_handoffs]
        assert sum(waits) == pytest.approx(float(row["handoffWaitHours"].value), abs=1e-9)


TECH = "https://w3id.org/vskg/data/technology/"


def test_technology_planning_block_counts_only_its_longest_stage(store: pyoxigraph.Store) -> None:
    """Marketing planning (40 h of work in 480 h), product management (60 in 360) and infrastructure capacity
    planning (16 in 576) run in parallel at position 1; development and deployment (320 in 480) and product launch
    (24 in 408) follow. The critical path runs through capacity planning, the longest of the three."""
    result = analyse_stream(store, TECH + "product-lifecycle")
    assert [(s.order, s.stage.label, [p.label for p in s.parallel_with]) for s in result.stages] == [
        (1, "Infrastructure capacity planning", ["Marketing planning", "Product management"]),
        (1, "Marketing planning", ["Infrastructure capacity planning", "Product management"]),
        (1, "Product management", ["Infrastructure capacity planning", "Marketing planning"]),
        (2, "Development and deployment", []),
        (3, "Product launch", []),
    ]
    assert result.lead_time.value == max(480, 360, 576) + 480 + 408 == 1464
    assert result.lead_time.method == (
        "Sum over the 3 positions of the stage lead times (vskg:leadTimeHours), the longest where stages run in "
        "parallel (the critical path): max(576, 480, 360) + 480 + 408 = 1464 hours from trigger to outcome. Each "
        "stage's lead time runs from the moment work is available to it, so the 288 hours waiting at the 2 handoffs "
        "on the critical path (vskg:waitTimeHours) are part of it, not added. The 96 hours at the 2 handoffs from or "
        "into the shorter parallel stages overlap the critical path and are not counted."
    )
    assert len(result.lead_time.inputs) == 5  # every lead time is read to find the longest
    assert result.process_time.value == 16 + 320 + 24 == 360
    assert result.process_time.method == (
        "Sum of the process times (vskg:processTimeHours) of the 3 stages on the critical path, one per position, "
        "the one with the longest lead time (vskg:leadTimeHours) where stages run in parallel: 16 + 320 + 24 = 360 "
        "hours of hands-on work. The work in Marketing planning, Product management runs alongside it and is not "
        "added."
    )
    assert [f.subject for f in result.process_time.inputs] == [
        TECH + "infrastructure-capacity-planning",
        TECH + "development-and-deployment",
        TECH + "product-launch",
    ]
    assert result.activity_ratio.value == 360 / 1464
    # Capacity planning to development waits 48 h, development to launch 240 h; the 48 h from each of the two
    # shorter planning stages overlap the capacity plan.
    assert [(h.handoff.iri, h.wait_hours) for h in result.critical_handoffs] == [
        (TECH + "handoff-3-4", 48.0),
        (TECH + "handoff-4-5", 240.0),
    ]
    assert [(b.kind, b.subject.iri, b.reason, b.figure.value) for b in result.bottlenecks] == [
        ("stage", TECH + "infrastructure-capacity-planning", "largest wait", 576 - 16),
        ("stage", TECH + "product-launch", "lowest %C&A", 68.0),
        ("handoff", TECH + "handoff-4-5", "largest wait", 240.0),
        ("handoff", TECH + "handoff-product-to-development", "lowest %C&A", 65.0),
    ]


PARALLEL = """
@prefix vskg: <https://w3id.org/vskg/ontology#> .
@prefix ex: <https://example.org/> .
ex:s a vskg:ValueStream ; vskg:hasStage ex:a, ex:b1, ex:b2, ex:b3, ex:c ;
    vskg:hasHandoff ex:a-b1, ex:a-b2, ex:a-b3, ex:b1-c, ex:b2-c, ex:b3-c .
ex:a vskg:stageOrder 1 ; vskg:processTimeHours 1.0 ; vskg:leadTimeHours 4.0 .
ex:b1 vskg:stageOrder 2 ; vskg:processTimeHours 2.0 ; vskg:leadTimeHours 10.0 ; vskg:runsInParallelWith ex:b2 .
ex:b2 vskg:stageOrder 2 ; vskg:processTimeHours 3.0 ; vskg:leadTimeHours 10.0 ; vskg:runsInParallelWith ex:b3 .
ex:b3 vskg:stageOrder 2 ; vskg:processTimeHours 3.0 ; vskg:leadTimeHours 10.0 ; vskg:runsInParallelWith ex:b1 .
ex:c vskg:stageOrder 3 ; vskg:processTimeHours 1.0 ; vskg:leadTimeHours 6.0 .
ex:a-b1 vskg:fromStage ex:a ; vskg:toStage ex:b1 ; vskg:waitTimeHours 1.0 .
ex:a-b2 vskg:fromStage ex:a ; vskg:toStage ex:b2 ; vskg:waitTimeHours 2.0 .
ex:a-b3 vskg:fromStage ex:a ; vskg:toStage ex:b3 ; vskg:waitTimeHours 3.0 .
ex:b1-c vskg:fromStage ex:b1 ; vskg:toStage ex:c ; vskg:waitTimeHours 4.0 .
ex:b2-c vskg:fromStage ex:b2 ; vskg:toStage ex:c ; vskg:waitTimeHours 5.0 .
ex:b3-c vskg:fromStage ex:b3 ; vskg:toStage ex:c ; vskg:waitTimeHours 1.5 .
"""


def test_parallel_block_tie_and_one_way_links_agree_with_the_query() -> None:
    """b1, b2, b3 all take 10 h; b2 and b3 work 3 h of it, b1 only 2: the tie goes to more work, then to the smaller
    IRI, so b2 is on the critical path. Each link is stated one way only and still read both ways."""
    graph = pyoxigraph.Store()
    graph.load(PARALLEL.encode(), format=pyoxigraph.RdfFormat.TURTLE, to_graph=pyoxigraph.NamedNode("urn:g"))
    result = analyse_stream(graph, "https://example.org/s")
    assert [len(s.parallel_with) for s in result.stages] == [0, 2, 2, 2, 0]
    assert result.lead_time.value == 4 + 10 + 6
    assert result.process_time.value == 1 + 3 + 1
    assert [h.handoff.label for h in result.critical_handoffs] == ["a-b2", "b2-c"]
    assert [s.stage.label for s in critical_path(result.stages)] == ["a", "b2", "c"]
    assert "the 7 hours waiting at the 2 handoffs on the critical path" in result.lead_time.method  # 2 + 5
    assert "The 9.5 hours at the 4 handoffs from or into the shorter parallel stages" in result.lead_time.method
    (row,) = run(graph, catalogue()["stream-flow-metrics"])
    assert [row[n].value for n in ("stageCount", "handoffCount", "processTimeHours", "leadTimeHours")] == [
        "5",
        "6",
        "5",
        "20",
    ]
    assert (row["handoffWaitHours"].value, row["activityRatio"].value) == ("7", "0.25")


def test_stages_sharing_a_position_without_running_in_parallel_stay_in_sequence() -> None:
    """Without vskg:runsInParallelWith two stages at one position are a flaw SHACL reports, not a block: both count."""
    data = PARALLEL.replace("vskg:runsInParallelWith", "vskg:runsOnCycle")
    graph = pyoxigraph.Store()
    graph.load(data.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    result = analyse_stream(graph, "https://example.org/s")
    assert result.lead_time.value == 4 + 10 + 10 + 10 + 6
    assert result.lead_time.method.startswith("Sum of the lead times (vskg:leadTimeHours) of the 5 stages: ")
    (row,) = run(graph, catalogue()["stream-flow-metrics"])
    assert (row["leadTimeHours"].value, row["processTimeHours"].value, row["handoffWaitHours"].value) == (
        "40",
        "10",
        "16.5",
    )


def test_unknown_stream_is_a_lookup_error(store: pyoxigraph.Store) -> None:
    with pytest.raises(StreamNotFound, match=r"^<https://w3id.org/vskg/data/banking/nope> is not a value stream"):
        analyse_stream(store, BANK + "nope")
    with pytest.raises(LookupError, match="is not a value stream"):
        analyse_stream(store, BANK + "underwriting")  # a stage, not a stream
    with pytest.raises(StreamNotFound, match="is not a valid IRI"):
        analyse_stream(store, "not an iri")


def test_missing_figures_leave_the_value_unknown_and_say_why() -> None:
    data = """
    @prefix vskg: <https://w3id.org/vskg/ontology#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix ex: <https://example.org/> .
    ex:s a vskg:ValueStream ; rdfs:label "S"@en ; vskg:hasStage ex:a, ex:b ; vskg:hasHandoff ex:h .
    ex:a rdfs:label "A"@en ; vskg:stageOrder 1 ; vskg:processTimeHours 2.0 ; vskg:leadTimeHours 10.0 ;
        vskg:percentCompleteAccurate 50.0 .
    ex:b rdfs:label "B"@en ; vskg:stageOrder 2 ; vskg:leadTimeHours 4.0 .
    ex:h vskg:fromStage ex:a ; vskg:toStage ex:b ; vskg:waitTimeHours 6.0 .
    """
    graph = pyoxigraph.Store()
    graph.load(data.encode(), format=pyoxigraph.RdfFormat.TURTLE, to_graph=pyoxigraph.NamedNode("urn:g"))
    result = analyse_stream(graph, "https://example.org/s")
    assert result.process_time.value is None
    assert result.process_time.method == "Not computed: no process time (vskg:processTimeHours) for B."
    assert result.process_time.inputs == (Fact("https://example.org/a", "vskg:processTimeHours", 2.0),)
    assert result.lead_time.value == 10 + 4  # the handoff's 6 h wait is part of B's 4 h (SHACL reports that)
    assert result.activity_ratio.value is None
    assert result.rolled_pca.value is None
    assert result.rolled_pca.method == "Not computed: no %C&A (vskg:percentCompleteAccurate) for B."
    # B has no wait figure, so A is the largest wait; only A has a %C&A.
    assert [(b.subject.label, b.reason, b.figure.value) for b in result.bottlenecks] == [
        ("A", "largest wait", 8.0),
        ("A", "lowest %C&A", 50.0),
        ("h", "largest wait", 6.0),
    ]
    assert result.coverage.figure.value == 0.0  # neither stage names a capability
    assert result.organisation is None and result.alignment == ()


def test_ties_are_all_reported_and_shared_units_do_not_cross() -> None:
    data = """
    @prefix vskg: <https://w3id.org/vskg/ontology#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix ex: <https://example.org/> .
    ex:s a vskg:OperationalValueStream ; vskg:hasStage ex:a, ex:b, ex:c ; vskg:hasHandoff ex:ab, ex:bc .
    ex:a vskg:stageOrder 1 ; vskg:processTimeHours 1.0 ; vskg:leadTimeHours 5.0 ; vskg:percentCompleteAccurate 80.0 .
    ex:b vskg:stageOrder 2 ; vskg:processTimeHours 2.0 ; vskg:leadTimeHours 6.0 ; vskg:percentCompleteAccurate 80.0 .
    ex:c vskg:stageOrder 3 ; vskg:processTimeHours 1.0 ; vskg:leadTimeHours 2.0 ; vskg:percentCompleteAccurate 90.0 .
    ex:ab vskg:fromStage ex:a ; vskg:toStage ex:b ; vskg:waitTimeHours 3.0 ; vskg:percentCompleteAccurate 99.0 .
    ex:bc vskg:fromStage ex:b ; vskg:toStage ex:c ; vskg:waitTimeHours 3.0 ; vskg:percentCompleteAccurate 99.0 .
    ex:team vskg:contributesTo ex:a, ex:b .
    ex:ops vskg:contributesTo ex:c .
    """
    graph = pyoxigraph.Store()
    graph.load(data.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    result = analyse_stream(graph, "https://example.org/s")
    assert result.lead_time.value == 5 + 6 + 2  # the handoff waits are never added to the stage lead times
    assert result.rolled_pca.value == pytest.approx(0.8 * 0.8 * 0.9 * 100, rel=1e-12)
    # Stage waits 5 - 1 = 4 and 6 - 2 = 4 tie; %C&A 80 and 80 tie; both handoffs wait 3 h at 99 %.
    assert [(b.kind, b.subject.label, b.reason) for b in result.bottlenecks] == [
        ("stage", "a", "largest wait"),
        ("stage", "b", "largest wait"),
        ("stage", "a", "lowest %C&A"),
        ("stage", "b", "lowest %C&A"),
        ("handoff", "ab", "largest wait"),
        ("handoff", "bc", "largest wait"),
        ("handoff", "ab", "lowest %C&A"),
        ("handoff", "bc", "lowest %C&A"),
    ]
    # The team works on a and b; only ops works on c, so only b -> c crosses a unit boundary.
    assert [h.handoff.label for h in result.cross_unit_handoffs] == ["bc"]


def test_telecom_handoffs_all_cross_functional_boundaries(store: pyoxigraph.Store) -> None:
    """The article's telecom stream: each stage belongs to one department, so every handoff changes hands."""
    telecom = "https://w3id.org/vskg/data/telecom/"
    result = analyse_stream(store, telecom + "digital-connectivity")
    units = [([u.label for u in h.from_units], [u.label for u in h.to_units]) for h in result.cross_unit_handoffs]
    assert units == [
        (["Sales and digital channels"], ["Network engineering"]),
        (["Network engineering"], ["Provisioning operations"]),
        (["Provisioning operations"], ["Billing operations"]),
        (["Billing operations"], ["Service assurance operations"]),
    ]
    assert [h.wait_hours for h in result.cross_unit_handoffs] == [48.0, 72.0, 24.0, 1.0]
