"""The incremental report equals a full run after every write (vskg.validation.incremental).

Each test starts from the minimal valid model in an embedded store (the data in one graph, the bundled vocabulary in
another, as the service holds them), writes, works out the exact delta of the data view, lets `StandingReport.after`
re-check what `affected` names, and compares with a full run of the same runner:

- every broken fixture (tests/fixtures/invalid) applied as a delta to the valid model, and the reverse edit;
- seeded random sequences of edits (stage orders, sub-capability cycles, types, labels, handoffs, values breaking
  datatype and class checks, whole nodes deleted and restored, a subclass axiom added);
- `affected` on hand-made changes names exactly the expected focus nodes.

The runner is the `runner_factory` fixture: the compiled engine, as the service runs it. Each random sequence ends
with the engine's full run checked against the pyshacl reference on the state it reached, so the states the edits
make are covered by the engine's equivalence too. The write gate's check (`vskg.validation.gate.FocusCheck`) is
checked here as well: on every broken fixture, what it says a write added equals the full runs' difference.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Triple

from vskg.rdfio import parse_file
from vskg.resources import locate
from vskg.store.embedded import LocalStore
from vskg.validation.delta import Delta
from vskg.validation.findings import Finding, finding_order
from vskg.validation.fullrun import engine_runner
from vskg.validation.gate import FocusCheck
from vskg.validation.incremental import Runner, StandingReport, affected, pyshacl_runner
from vskg.validation.view import view_options

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
VALID = FIXTURES / "valid" / "minimal.ttl"
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))

DATA = "https://w3id.org/vskg/data/test/graph"
VOCABULARY = "https://w3id.org/vskg/graph/vocabulary"
EX = "https://w3id.org/vskg/data/test/"
V = "https://w3id.org/vskg/ontology#"
SH = "https://w3id.org/vskg/shapes#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
XSD = "http://www.w3.org/2001/XMLSchema#"


def ex(name: str) -> NamedNode:
    return NamedNode(EX + name)


def v(name: str) -> NamedNode:
    return NamedNode(V + name)


def triples_of(path: Path) -> set[Triple]:
    return {Triple(q.subject, q.predicate, q.object) for q in parse_file(path)}


# --- the runner: the one place to swap engines ----------------------------------------------------------------


@pytest.fixture
def runner_factory() -> Callable[[LocalStore], Runner]:
    return engine_runner


# --- the store ------------------------------------------------------------------------------------------------


def view_triples(store: LocalStore) -> set[Triple]:
    return set(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", **view_options(store)))


@pytest.fixture
def store(tmp_path: Path):
    db = LocalStore(tmp_path / "store")
    vocabulary = NamedNode(VOCABULARY)
    db.add_to_graph(
        VOCABULARY, [Quad(q.subject, q.predicate, q.object, vocabulary) for p in locate().model for q in parse_file(p)]
    )
    data = NamedNode(DATA)
    db.add_to_graph(DATA, [Quad(t.subject, t.predicate, t.object, data) for t in triples_of(VALID)])
    yield db
    db.close()


def write(store: LocalStore, insert=frozenset(), delete=frozenset(), graph: str = DATA) -> Delta:
    """Apply one write to a graph (one update) and return its exact delta on the data view."""
    before = view_triples(store)

    def block(triples) -> str:
        return " ".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)

    parts = []
    if delete:
        parts.append(f"DELETE DATA {{ GRAPH <{graph}> {{ {block(delete)} }} }}")
    if insert:
        parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{ {block(insert)} }} }}")
    if parts:
        store.update(" ;\n".join(parts))
    after = view_triples(store)
    return Delta.of(after - before, before - after)


def check_step(store: LocalStore, standing: StandingReport, run: Runner, delta: Delta, step: int) -> list[Finding]:
    assert affected(store, delta) is not None, "a change of a few triples of this model can be bounded"
    added = standing.after(store, delta, run, step)
    full = sorted(run(None), key=finding_order)
    assert standing.findings == full, (
        f"missing: {sorted(set(full) - set(standing.findings))}\nstale: {sorted(set(standing.findings) - set(full))}"
    )
    assert standing.as_of == step
    return added


@pytest.fixture
def standing(store, runner_factory):
    run = runner_factory(store)
    report = StandingReport()
    report.full(run, 0)
    assert report.findings == [], "the minimal model is valid"
    return report, run


# --- the broken fixtures --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_fixture_as_a_write_and_back(path: Path, store, standing) -> None:
    report, run = standing
    valid, broken = triples_of(VALID), triples_of(path)
    delta = write(store, insert=broken - valid, delete=valid - broken)
    assert len(delta.added) == len(broken - valid) and len(delta.removed) == len(valid - broken)
    added = check_step(store, report, run, delta, 1)
    assert added == report.findings and added, "the broken write adds exactly the findings of the fixture"
    back = write(store, insert=valid - broken, delete=broken - valid)
    assert check_step(store, report, run, back, 2) == []
    assert report.findings == []


# --- randomised sequences -------------------------------------------------------------------------------------

STAGES = ["application", "decision", "payout"]
CAPABILITIES = ["lending-management", "application-intake", "credit-assessment", "payment-execution", "customer-advice"]
HANDOFFS = ["handoff-1-2", "handoff-2-3"]
NODES = STAGES + CAPABILITIES + HANDOFFS + ["lending", "lender", "portfolio", "lending-owner", "lending-team"]
CLASSES = [
    "ValueStreamStage",
    "ValueStream",
    "OperationalValueStream",
    "DevelopmentValueStream",
    "Capability",
    "Handoff",
    "Organisation",
    "ValueStreamPortfolio",
]


def _edits(rng: random.Random, state: set[Triple], removed_pool: list[set[Triple]]) -> tuple[set, set]:
    """One random write: (triples to insert, triples to delete)."""
    kind = rng.choice(
        [
            "order",
            "order",
            "subcap",
            "subcap",
            "type",
            "label",
            "handoff",
            "value",
            "class",
            "next",
            "stream",
            "delete-node",
            "restore",
            "subclass",
        ]
    )

    def current(s: NamedNode, p: NamedNode) -> set[Triple]:
        return {t for t in state if t.subject == s and t.predicate == p}

    if kind == "order":
        stage = ex(rng.choice(STAGES))
        old = current(stage, v("stageOrder"))
        value = rng.choice(
            [
                Literal(str(rng.randint(0, 4)), datatype=NamedNode(XSD + "integer")),
                Literal("2.0", datatype=NamedNode(XSD + "decimal")),
                Literal("2"),
                None,
            ]
        )
        return ({Triple(stage, v("stageOrder"), value)} if value else set()), old
    if kind == "subcap":
        child, parent = ex(rng.choice(CAPABILITIES)), ex(rng.choice(CAPABILITIES))
        existing = [t for t in state if t.predicate == v("subCapabilityOf")]
        if existing and rng.random() < 0.4:
            return set(), {rng.choice(existing)}
        return {Triple(child, v("subCapabilityOf"), parent)}, set()
    if kind == "type":
        node, cls = ex(rng.choice(NODES)), v(rng.choice(CLASSES))
        triple = Triple(node, NamedNode(RDF_TYPE), cls)
        return (set(), {triple}) if triple in state else ({triple}, set())
    if kind == "label":
        node = ex(rng.choice(NODES))
        old = current(node, NamedNode(LABEL))
        choice = rng.random()
        if choice < 0.3:
            return set(), old
        if choice < 0.6:
            return {Triple(node, NamedNode(LABEL), Literal(f"Another name {rng.randint(0, 9)}", language="en"))}, set()
        return {Triple(node, NamedNode(LABEL), Literal(rng.choice(["  ", "Renamed"]), language="en"))}, old
    if kind == "handoff":
        handoff = ex(rng.choice(HANDOFFS))
        predicate = v(rng.choice(["fromStage", "toStage", "waitTime"]))
        if predicate == v("waitTime"):
            value = Literal(str(rng.choice([-2, 0, 3])), datatype=NamedNode(XSD + "decimal"))
        else:
            value = ex(rng.choice(STAGES))
        return {Triple(handoff, predicate, value)}, current(handoff, predicate)
    if kind == "value":
        stage = ex(rng.choice(STAGES))
        predicate = v("percentCompleteAccurate")
        value = rng.choice(
            [
                Literal("150", datatype=NamedNode(XSD + "decimal")),
                Literal("abc"),
                Literal("80.0", datatype=NamedNode(XSD + "decimal")),
            ]
        )
        return {Triple(stage, predicate, value)}, current(stage, predicate)
    if kind == "class":
        stage = ex(rng.choice(STAGES))
        target = rng.choice([ex(rng.choice(NODES)), Literal("a capability")])
        return {Triple(stage, v("enabledBy"), target)}, set(
            rng.sample(sorted(current(stage, v("enabledBy")), key=str), k=min(1, len(current(stage, v("enabledBy")))))
        )
    if kind == "next":
        stage = ex(rng.choice(STAGES))
        old = current(stage, v("nextStage"))
        if old and rng.random() < 0.5:
            return set(), old
        return {Triple(stage, v("nextStage"), ex(rng.choice(STAGES)))}, old
    if kind == "stream":
        stage = ex(rng.choice(STAGES))
        predicate, triple = rng.choice(
            [
                (v("stageOf"), Triple(stage, v("stageOf"), ex("lending"))),
                (v("hasStage"), Triple(ex("lending"), v("hasStage"), stage)),
                (v("hasHandoff"), Triple(ex("lending"), v("hasHandoff"), ex(rng.choice(HANDOFFS)))),
                (v("stageOf"), Triple(stage, v("stageOf"), ex("lender"))),
            ]
        )
        return (set(), {triple}) if triple in state else ({triple}, set())
    if kind == "delete-node":
        node = ex(rng.choice(STAGES + CAPABILITIES[1:] + HANDOFFS))
        gone = {t for t in state if t.subject == node or t.object == node}
        removed_pool.append(gone)
        return set(), gone
    if kind == "restore" and removed_pool:
        return removed_pool.pop(rng.randrange(len(removed_pool))), set()
    if kind == "subclass":  # in the vocabulary's graph would be the same data view; the data graph is simpler
        axiom = Triple(v("Handoff"), NamedNode(SUBCLASS), v(rng.choice(["ValueStreamStage", "Capability"])))
        return (set(), {axiom}) if axiom in state else ({axiom}, set())
    return set(), set()


@pytest.mark.parametrize("seed", range(6))
def test_random_edit_sequences_match_full_runs(seed: int, store, standing) -> None:
    report, run = standing
    rng = random.Random(seed)
    pool: list[set[Triple]] = []
    steps = 0
    for step in range(1, 19):
        state = {Triple(q.subject, q.predicate, q.object) for q in store.quads(DATA)}
        insert, delete = set(), set()
        for _ in range(rng.choice([1, 1, 1, 2, 3])):  # sometimes several edits in one write
            more_insert, more_delete = _edits(rng, state, pool)
            insert |= more_insert - delete
            delete |= more_delete - insert
        delta = write(store, insert=insert, delete=delete)
        check_step(store, report, run, delta, step)
        steps += 1
    assert steps == 18
    reference = pyshacl_runner(store)(None)
    assert report.findings == reference, "the engine and the reference agree on the state the edits reached"


# --- the write gate's check -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_the_gate_check_finds_exactly_what_a_write_adds(path: Path, store) -> None:
    run = engine_runner(store)
    valid, broken = triples_of(VALID), triples_of(path)
    full_before = run(None)
    delta = write(store, insert=broken - valid, delete=valid - broken)  # to learn its exact delta ...
    full_after = run(None)
    write(store, insert=valid - broken, delete=broken - valid)  # ... and back, to check it as the gate does
    check = FocusCheck()
    probe = check.before(store, delta)
    assert probe.focus is not None, "a fixture's change can be bounded"
    write(store, insert=broken - valid, delete=valid - broken)
    added = check.after(store, probe)
    expected = sorted((Counter(full_after) - Counter(full_before)).elements(), key=finding_order)
    assert added == expected and added, "the broken write adds findings, and the check finds exactly those"


# --- affected: exact focus for hand-made changes --------------------------------------------------------------


def _named(focus) -> dict[str, set[str]]:
    return {top.removeprefix(SH): {n.removeprefix(EX) for n in nodes} for top, nodes in focus.items() if nodes}


def test_stage_order_change_affects_the_stage_and_its_streams_order_rules(store) -> None:
    delta = write(
        store,
        insert={Triple(ex("decision"), v("stageOrder"), Literal("5", datatype=NamedNode(XSD + "integer")))},
        delete={Triple(ex("decision"), v("stageOrder"), Literal("2", datatype=NamedNode(XSD + "integer")))},
    )
    assert _named(affected(store, delta)) == {
        "StageShape": {"decision"},
        "StageOrderUniqueShape": {"application", "decision", "payout"},
        "StageOrderContiguousShape": {"lending"},
        "StageOrderStartsAtOneShape": {"lending"},
        "NextStageOrderShape": {"application", "decision"},
        "NextStageMissingShape": {"application", "decision", "payout"},
        "HandoffConsecutiveShape": {"handoff-1-2", "handoff-2-3"},
        "ParallelStagesShareAPositionShape": {"decision"},  # stages of a parallel block must share a position
    }


def test_label_change_on_a_system_affects_only_its_label_shapes(store) -> None:
    system = ex("loan-origination")
    old = {t for t in view_triples(store) if t.subject == system and t.predicate == NamedNode(LABEL)}
    delta = write(
        store, insert={Triple(system, NamedNode(LABEL), Literal("Origination platform", language="en"))}, delete=old
    )
    focus = affected(store, delta)
    assert {top for top, nodes in focus.items() if nodes} == {
        top for top in focus if "loan-origination" in {n.removeprefix(EX) for n in focus[top]}
    }
    assert all(nodes == {EX + "loan-origination"} for nodes in focus.values())
    assert SH + "ApplicationSystemShape" in focus
    assert SH + "StageShape" in focus  # LabelShape is shared; the node is not a stage, so the run skips it


def test_predicate_no_shape_reads_affects_nothing(store) -> None:
    delta = write(store, insert={Triple(ex("decision"), NamedNode("https://example.org/unrelated#note"), Literal("x"))})
    assert delta.added and affected(store, delta) == {}


def test_capability_parent_change_affects_the_capability_and_its_ancestors(store) -> None:
    delta = write(store, insert={Triple(ex("customer-advice"), v("subCapabilityOf"), ex("credit-assessment"))})
    named = _named(affected(store, delta))
    ancestors = named["CapabilitySupportedShape"]
    assert "credit-assessment" in ancestors and "customer-advice" not in ancestors
    assert named["CapabilityCycleShape"] == ancestors | {"customer-advice"}
    assert named["SubCapabilityOfRangeShape"] == {"customer-advice"}


def test_type_change_makes_a_target_and_reaches_the_links_into_it(store) -> None:
    delta = write(store, delete={Triple(ex("credit-assessment"), NamedNode(RDF_TYPE), v("Capability"))})
    named = _named(affected(store, delta))
    assert named["CapabilityShape"] == {"credit-assessment"}
    # stages enabled by it: their range check reads the capability's type
    enabled = {
        t.subject.value.removeprefix(EX)
        for t in view_triples(store)
        if t.predicate == v("enabledBy") and t.object == ex("credit-assessment")
    }
    assert enabled and named["EnabledByRangeShape"] == enabled


def test_unknown_delta_and_blank_nodes_mean_everything(store) -> None:
    assert affected(store, Delta.unknown()) is None
    from pyoxigraph import BlankNode

    delta = write(store, insert={Triple(BlankNode(), NamedNode(LABEL), Literal("x"))})
    assert affected(store, delta) is None


def test_subclass_axiom_rechecks_whole_shapes_or_all(store, standing) -> None:
    report, run = standing
    delta = write(store, insert={Triple(v("Handoff"), NamedNode(SUBCLASS), v("ValueStreamStage"))})
    focus = affected(store, delta)
    assert focus is not None
    assert {n.removeprefix(EX) for n in focus[SH + "StageShape"]} == {"handoff-1-2", "handoff-2-3"}
    added = check_step(store, report, run, delta, 1)
    assert {(f.source_shape.removeprefix(SH), f.focus_node.removeprefix(EX)) for f in added} >= {
        ("StageOfShape", "handoff-1-2")
    }
