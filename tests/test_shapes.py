"""Tests of the SHACL shapes in shapes/*.ttl.

- every model in tests/fixtures/valid/ yields no finding at all, not even a Warning or an Info;
- every model in tests/fixtures/invalid/ breaks one rule, and EXPECTED lists exactly which
  (severity, source shape, focus node) tuples it must produce: no more, no fewer;
- every shape is named and documented (sh:message, rdfs:label, rdfs:comment, explicit sh:severity), and every
  SHACL-SPARQL constraint declares its prefixes and only uses message placeholders its query binds;
- every fixture has an entry in EXPECTED, so a new fixture cannot go unchecked.

The vocabulary and shapes graphs are parsed once per process (vskg.validate caches them); each fixture costs
one pyshacl run of about half a second.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH

from vskg.rdfio import load_graph
from vskg.resources import locate
from vskg.validate import validate_files

FIXTURES = Path(__file__).parent / "fixtures"
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))

VSKGSH = "https://w3id.org/vskg/shapes#"
EX = "https://w3id.org/vskg/data/test/"

VIO, WRN, INF = "Violation", "Warning", "Info"

# fixture name -> the exact set of (severity, shape in vskgsh:, focus node in ex:) it must produce.
# Where one change breaks more than one rule by necessity (a duplicated position also breaks the next-stage
# link and the handoff that were right before), every consequence is listed.
EXPECTED: dict[str, set[tuple[str, str, str]]] = {
    "assessment-target-below-current": {(WRN, "AssessmentTargetBelowCurrentShape", "credit-assessment-assessment")},
    "blank-label": {(VIO, "LabelShape", "payout")},
    "budget-period-reversed": {(VIO, "BudgetPeriodStartShape", "lending-budget")},
    "capability-cycle": {
        (VIO, "CapabilityCycleShape", "lending-management"),
        (VIO, "CapabilityCycleShape", "application-intake"),
    },
    "capability-map-disagrees": {
        (VIO, "CapabilityMapHierarchyShape", "customer-advice"),
        (VIO, "CapabilityMapHierarchyShape", "lending-management"),
    },
    "capability-without-system": {(INF, "CapabilitySupportedShape", "customer-advice")},
    "currency-not-iso": {(VIO, "BudgetCurrencyShape", "programme-budget")},
    "goal-without-vision": {(WRN, "GoalVisionShape", "goal")},
    "handoff-across-streams": {(VIO, "HandoffSameStreamShape", "handoff-2-3")},
    "handoff-not-consecutive": {
        (VIO, "HandoffConsecutiveShape", "handoff-1-2"),
        # the handoff now leads into Payout, whose 8 h lead time cannot hold its 12 h wait
        (VIO, "HandoffWaitWithinLeadTimeShape", "handoff-1-2"),
    },
    "handoff-not-in-stream": {(VIO, "HandoffInStreamShape", "handoff-2-3")},
    "handoff-wait-beyond-lead-time": {(VIO, "HandoffWaitWithinLeadTimeShape", "handoff-2-3")},
    "kpi-metric-not-a-metric": {(VIO, "KpiMetricRangeShape", "lending-lead-time")},
    "mca-alignment-no-rationale": {(VIO, "MCARationaleShape", "lending-mca-strategy")},
    "mca-alignment-two-dimensions": {(VIO, "MCADimensionShape", "lending-mca-strategy")},
    "mca-dimension-not-mca": {(VIO, "AlignedDimensionRangeShape", "lending-mca-strategy")},
    "measurement-without-value": {(VIO, "MeasurementValueShape", "lending-lead-time-2025-06")},
    "missing-label": {(VIO, "LabelShape", "decision")},
    "negative-wait-time": {(VIO, "WaitTimeShape", "handoff-1-2")},
    "next-stage-disagrees": {(VIO, "NextStageOrderShape", "application")},
    "next-stage-missing": {(VIO, "NextStageMissingShape", "decision")},
    # A parallel block (stages sharing a position, linked by vskg:runsInParallelWith) is accepted when it is well
    # formed (../valid/parallel-block.ttl); these two are not.
    "parallel-stages-at-different-positions": {
        (VIO, "ParallelStagesShareAPositionShape", "decision"),
        (VIO, "ParallelStagesShareAPositionShape", "payout"),
    },
    "parallel-block-fork-incomplete": {(VIO, "NextStageMissingShape", "application")},
    "operational-and-development": {(VIO, "OperationalNotDevelopmentShape", "lending")},
    "owner-post-without-owner-role": {(VIO, "OwnerPostRoleShape", "lending-owner")},
    "percentage-over-100": {(VIO, "PercentCompleteAccurateShape", "decision")},
    "portfolio-without-organisation": {(VIO, "PortfolioOwnerShape", "portfolio")},
    "process-time-above-lead-time": {
        (VIO, "ProcessWithinLeadTimeShape", "decision"),
        # 30 h of work no longer fit in the 24 h lead time, let alone with the 12 h wait in front of it
        (VIO, "HandoffWaitWithinLeadTimeShape", "handoff-1-2"),
    },
    "provenance-article-claim-without-status": {(VIO, "ArticleClaimStatusShape", "example")},
    "provenance-named-without-phrase": {(VIO, "NamedByArticleLocatorShape", "borrower")},
    "queue-length-fraction": {(VIO, "QueueLengthShape", "handoff-1-2")},
    "stage-cycle": {
        (VIO, "StageCycleShape", "application"),
        (VIO, "StageCycleShape", "decision"),
        (VIO, "StageCycleShape", "payout"),
        (VIO, "NextStageOrderShape", "payout"),
    },
    "stage-order-duplicate": {
        (VIO, "StageOrderUniqueShape", "decision"),
        (VIO, "StageOrderUniqueShape", "payout"),
        (VIO, "NextStageOrderShape", "decision"),
        (VIO, "HandoffConsecutiveShape", "handoff-2-3"),
    },
    "stage-order-gap": {
        (VIO, "StageOrderContiguousShape", "lending"),
        (VIO, "NextStageOrderShape", "decision"),
        (VIO, "HandoffConsecutiveShape", "handoff-2-3"),
    },
    "stage-order-missing": {
        (VIO, "StageOrderShape", "decision"),
        (VIO, "StageOrderContiguousShape", "lending"),
    },
    "stage-order-not-from-one": {(VIO, "StageOrderStartsAtOneShape", "lending")},
    "stage-order-not-integer": {(VIO, "StageOrderShape", "decision")},
    "stage-order-zero": {(VIO, "StageOrderShape", "application")},
    "stage-stream-disagree": {(VIO, "StageStreamAgreementShape", "payout")},
    "stage-without-capability": {(WRN, "StageEnabledByShape", "decision")},
    "stage-without-stream": {
        (VIO, "StageOfShape", "payout"),
        (VIO, "StageStreamAgreementShape", "payout"),
    },
    "strategic-stream-no-mca": {(VIO, "StrategicStreamMCAShape", "lending")},
    "strategic-stream-no-objective": {(VIO, "StrategicStreamObjectiveShape", "lending")},
    "strategic-stream-no-outcome": {(VIO, "StrategicStreamOutcomeShape", "lending")},
    "strategic-stream-no-owner": {(VIO, "StrategicStreamOwnerShape", "lending")},
    "strategic-stream-no-stage": {(VIO, "StrategicStreamStageShape", "refinancing")},
    "strategic-stream-no-trigger": {(VIO, "StrategicStreamTriggerShape", "lending")},
    "trigger-without-kind": {(VIO, "TriggerKindShape", "loan-request")},
    "unit-not-in-organisation": {(VIO, "UnitOfShape", "credit-team")},
    "wrong-class-on-object-property": {(VIO, "EnabledByRangeShape", "payout")},
}


def _short(iri: str, namespace: str) -> str:
    return iri[len(namespace) :] if iri.startswith(namespace) else iri


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_model_has_no_finding(path: Path) -> None:
    report = validate_files([path])
    assert report.findings == [], "\n".join(
        f"{f.severity} {f.source_shape} {f.focus_node}: {f.message}" for f in report.findings
    )
    assert report.conforms


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_model_fires_exactly_the_expected_shapes(path: Path) -> None:
    expected = EXPECTED[path.stem]
    report = validate_files([path])
    actual = {(f.severity, _short(f.source_shape, VSKGSH), _short(f.focus_node, EX)) for f in report.findings}
    assert actual == expected, (
        f"missing: {sorted(expected - actual)}\nunexpected: {sorted(actual - expected)}\n"
        + "\n".join(f"  {f.severity} {f.source_shape} {f.focus_node}: {f.message}" for f in report.findings)
    )
    assert report.conforms == (VIO not in {severity for severity, _, _ in expected})
    assert all(f.message.strip() for f in report.findings), "every finding carries its shape's message"


def test_every_fixture_is_in_the_table() -> None:
    assert VALID, "tests/fixtures/valid/ holds no model"
    names = {p.stem for p in INVALID}
    assert len(names) >= 24
    assert names - EXPECTED.keys() == set(), "fixtures without an entry in EXPECTED"
    assert EXPECTED.keys() - names == set(), "entries in EXPECTED without a fixture"
    for path in INVALID:
        first = path.read_text(encoding="utf-8").lstrip().splitlines()[0]
        assert first.startswith("# Breaks:"), f"{path.name} must start with a comment saying what it breaks"


# --- the shapes graph itself --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return load_graph(locate().shapes)


def _all_shapes(graph: rdflib.Graph) -> set[rdflib.term.Node]:
    """Node and property shapes: typed as such, or used as the value of sh:property / sh:node."""
    found = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
    for link in (SH.property, SH.node, SH.qualifiedValueShape):
        found |= set(graph.objects(None, link))
    return found


def test_shapes_are_named_and_documented(shapes: rdflib.Graph) -> None:
    all_shapes = _all_shapes(shapes)
    assert len(all_shapes) > 100
    problems = []
    for shape in sorted(all_shapes, key=str):
        if not isinstance(shape, rdflib.URIRef) or not str(shape).startswith(VSKGSH):
            problems.append(f"{shape}: shapes must be named vskgsh: IRIs")
            continue
        name = _short(str(shape), VSKGSH)
        for prop in (SH.message, RDFS.label, RDFS.comment):
            values = list(shapes.objects(shape, prop))
            if len(values) != 1 or not str(values[0]).strip() or getattr(values[0], "language", None) != "en":
                problems.append(f"{name}: needs exactly one non-empty @en {shapes.qname(prop)}")
        severities = list(shapes.objects(shape, SH.severity))
        if severities not in ([SH.Violation], [SH.Warning], [SH.Info]):
            problems.append(f"{name}: needs one explicit sh:severity, got {severities}")
        is_node = (shape, RDF.type, SH.NodeShape) in shapes
        is_property = (shape, RDF.type, SH.PropertyShape) in shapes
        if is_node == is_property:
            problems.append(f"{name}: must be typed either sh:NodeShape or sh:PropertyShape")
        if is_property != ((shape, SH.path, None) in shapes):
            problems.append(f"{name}: property shapes, and only they, have sh:path")
    assert not problems, "\n".join(problems)


def test_severities_are_the_deliberate_ones(shapes: rdflib.Graph) -> None:
    def severity(name: str) -> rdflib.URIRef:
        return shapes.value(rdflib.URIRef(VSKGSH + name), SH.severity)

    assert severity("StageEnabledByShape") == SH.Warning
    assert severity("CapabilitySupportedShape") == SH.Info
    assert severity("AssessmentTargetBelowCurrentShape") == SH.Warning
    for name in ("StageOrderUniqueShape", "StageOrderContiguousShape", "StrategicStreamOwnerShape"):
        assert severity(name) == SH.Violation


def test_every_property_of_the_ontology_is_constrained(shapes: rdflib.Graph) -> None:
    """Each vskg object property has a range shape; each datatype property is the path of some shape."""
    ontology = load_graph([locate().ontology])
    vskg = "https://w3id.org/vskg/ontology#"

    def declared(kind: rdflib.URIRef) -> set[rdflib.term.Node]:
        return {p for p in ontology.subjects(RDF.type, kind) if str(p).startswith(vskg)}

    object_properties = declared(OWL.ObjectProperty)
    assert len(object_properties) >= 50, "the ontology declares too few object properties"
    ranged = set(shapes.objects(None, SH.targetSubjectsOf))
    assert sorted(map(str, object_properties - ranged)) == [], "object properties without a range shape"
    for shape, prop in shapes.subject_objects(SH.targetSubjectsOf):
        if shapes.value(shape, SH.path) != prop:
            continue  # a rule that merely starts from the property's subjects, not a range shape
        constraints = {SH["class"], SH["or"], SH.nodeKind, SH.datatype}
        assert any((shape, c, None) in shapes for c in constraints), shape

    # vskg:isicCode describes industry concepts of the industry scheme, not nodes of an architect's model.
    datatype_properties = declared(OWL.DatatypeProperty) - {rdflib.URIRef(vskg + "isicCode")}
    paths = set(shapes.objects(None, SH.path))
    assert sorted(map(str, datatype_properties - paths)) == [], "datatype properties no shape checks"


_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def test_sparql_constraints_declare_prefixes_and_bind_their_placeholders(shapes: rdflib.Graph) -> None:
    constraints = list(shapes.subject_objects(SH.sparql))
    assert len(constraints) >= 10
    declared = {
        str(shapes.value(d, SH.prefix))
        for ontology in shapes.subjects(RDF.type, OWL.Ontology)
        for d in shapes.objects(ontology, SH.declare)
    }
    for shape, constraint in constraints:
        name = _short(str(shape), VSKGSH)
        prefixes = shapes.value(constraint, SH.prefixes)
        assert prefixes is not None and (prefixes, RDF.type, OWL.Ontology) in shapes, f"{name}: sh:prefixes"
        query = str(shapes.value(constraint, SH.select))
        assert "$this" in query, f"{name}: the query must use $this"
        used = set(re.findall(r"\b([a-z][\w-]*):\w", query)) - {"http", "https"}
        assert used <= declared, f"{name}: undeclared prefixes {used - declared}"
        projection = query.split("WHERE", 1)[0]
        message = str(shapes.value(shape, SH.message))
        for var in _PLACEHOLDER.findall(message):
            selected = re.search(rf"[?$]{var}\b", projection)
            assert selected, f"{name}: message uses {{?{var}}} but the query does not select it"


def test_a_wait_longer_than_the_receiving_stage_says_what_to_change() -> None:
    (finding,) = validate_files([FIXTURES / "invalid" / "handoff-wait-beyond-lead-time.ttl"]).findings
    assert finding.message == (
        f"Handoff {EX}handoff-2-3 waits 12 h before {EX}payout starts, but {EX}payout has a lead time of only "
        f"8 h, of which 0.5 h is process time. The wait at a handoff is part of the receiving stage's lead time "
        f"(measured from when the item is available to the stage), so wait plus process time must not exceed it. "
        f"If the wait was measured outside the stage, raise vskg:leadTimeHours of {EX}payout to at least 12.5 h; "
        "if the wait is overstated, lower vskg:waitTimeHours to at most the lead time minus the process time."
    )
