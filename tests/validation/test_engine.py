"""The SPARQL engine (vskg.validation) against the pyshacl reference (vskg.validate), finding for finding.

- every broken fixture, every valid fixture and the bundled example data give exactly the reference's findings
  (the same parsed quads go to both engines, so blank-node labels agree too);
- a run for chosen top shapes and nodes equals the full run's findings of those shapes' constraints and nodes,
  and a node that is not a target of the shape gives nothing;
- a shape using a component the engine lacks is refused by name, and nothing is skipped silently;
- `vskg validate --store` validates a store's data view and refuses a missing store (exit 3, nothing created).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from vskg import validate as reference
from vskg.cli import app
from vskg.graphs import bundled_sources
from vskg.rdfio import parse_file
from vskg.resources import locate
from vskg.store import LocalStore
from vskg.validation.engine import run, validate_quads, vocabulary_store
from vskg.validation.findings import finding_order
from vskg.validation.shapes import Unsupported, bundled_shapes, read_shapes

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
MODELS = sorted((FIXTURES / "invalid").glob("*.ttl")) + sorted((FIXTURES / "valid").glob("*.ttl"))
VSKGSH = "https://w3id.org/vskg/shapes#"
EX = "https://w3id.org/vskg/data/test/"


def both(quads: list) -> tuple[list, list]:
    ours = sorted(validate_quads(quads).findings, key=finding_order)
    theirs = sorted(reference.validate_quads(quads).findings, key=finding_order)
    return ours, theirs


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_fixture_findings_equal_the_reference(path: Path) -> None:
    ours, theirs = both(list(parse_file(path)))
    assert ours == theirs


def test_bundled_data_findings_equal_the_reference() -> None:
    quads = [q for path in sorted((ROOT / "data").glob("*.ttl")) for q in parse_file(path)]
    ours, theirs = both(quads)
    assert len(theirs) == 12
    assert ours == theirs


def test_every_fixture_is_checked() -> None:
    assert len(MODELS) == 52  # 49 before the parallel-block fixtures (one valid, two invalid)


def _store_with(path: Path) -> LocalStore:
    store = vocabulary_store()
    store.add_to_graph(path.resolve().as_uri(), list(parse_file(path, path.resolve().as_uri())))
    return store


def _reached(shape_iri: str) -> set[str]:
    return {c.shape for c in bundled_shapes().get(shape_iri).constraints}


@pytest.mark.parametrize(
    ("fixture", "shape", "nodes"),
    [
        ("stage-order-missing", "StageShape", ["decision", "payout", "handoff-1-2"]),
        ("stage-order-duplicate", "StageOrderUniqueShape", ["decision", "payout", "application"]),
        ("stage-order-duplicate", "HandoffConsecutiveShape", ["handoff-2-3"]),
        ("stage-cycle", "StageCycleShape", ["application", "payout"]),
        ("stage-order-gap", "StageOrderContiguousShape", ["lending"]),
        ("blank-label", "StageShape", ["payout"]),
        ("wrong-class-on-object-property", "EnabledByRangeShape", ["payout", "decision"]),
        ("capability-without-system", "CapabilitySupportedShape", ["customer-advice"]),
    ],
)
def test_focus_run_equals_the_filtered_full_run(fixture: str, shape: str, nodes: list[str]) -> None:
    store = _store_with(FIXTURES / "invalid" / f"{fixture}.ttl")
    try:
        full = run(store)
        iris = [EX + n for n in nodes]
        focused = run(store, focus={VSKGSH + shape: iris})
    finally:
        store.close()
    expected = [f for f in full if f.source_shape in _reached(VSKGSH + shape) and f.focus_node in iris]
    assert focused == expected
    assert focused, "each case has at least one finding in its focus"


def test_focus_on_a_node_that_is_not_a_target_gives_nothing() -> None:
    store = _store_with(FIXTURES / "invalid" / "stage-order-duplicate.ttl")
    try:
        # the stream is no stage, so StageShape has nothing to say about it even though it lacks stage statements
        assert run(store, focus={VSKGSH + "StageShape": [EX + "lending"]}) == []
        assert run(store, focus={VSKGSH + "StageShape": []}) == []
    finally:
        store.close()


def test_full_run_on_a_store_folder_matches_the_in_memory_run(tmp_path: Path) -> None:
    fixture = FIXTURES / "invalid" / "stage-order-duplicate.ttl"
    store = LocalStore(tmp_path / "store")
    try:
        for path, graph in bundled_sources(locate(), with_data=False, with_shapes=True):
            store.load_file(path, graph)
        store.load_file(fixture)
        on_disk = run(store)
    finally:
        store.close()
    memory = _store_with(fixture)
    try:
        assert on_disk == run(memory)
    finally:
        memory.close()
    assert {(f.source_shape[len(VSKGSH) :], f.focus_node[len(EX) :]) for f in on_disk} == {
        ("StageOrderUniqueShape", "decision"),
        ("StageOrderUniqueShape", "payout"),
        ("NextStageOrderShape", "decision"),
        ("HandoffConsecutiveShape", "handoff-2-3"),
    }


UNSUPPORTED = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:TeamShape a sh:NodeShape ;
    sh:targetClass ex:Team ;
    sh:property [ sh:path ex:member ; sh:qualifiedValueShape [ sh:class ex:Lead ] ; sh:qualifiedMinCount 1 ] .
"""


def test_unsupported_component_is_named() -> None:
    graph = rdflib.Graph().parse(data=UNSUPPORTED, format="turtle")
    with pytest.raises(Unsupported, match=r"uses sh:qualifiedValueShape, which the SPARQL engine does not support"):
        read_shapes(graph)


def test_cli_validates_a_store(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    for path, graph in bundled_sources(locate(), with_data=False, with_shapes=True):
        store.load_file(path, graph)
    store.load_file(FIXTURES / "invalid" / "blank-label.ttl")
    store.close()
    result = CliRunner().invoke(app, ["validate", "--store", str(tmp_path / "store")])
    assert result.exit_code == 1, result.output
    assert f"Violation {EX}payout" in result.output
    assert "shape: https://w3id.org/vskg/shapes#LabelShape" in result.output
    assert "does not conform: 1 violation(s), 0 warning(s), 0 info(s)" in result.output


def test_cli_refuses_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", "--store", str(tmp_path / "nothing")])
    assert result.exit_code == 3
    assert "there is no store at" in result.output
    assert not (tmp_path / "nothing").exists()


def test_cli_needs_files_or_a_store() -> None:
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 2
    assert "give the files to validate, or --store" in result.output


def test_cli_reference_engine_gives_the_same_report() -> None:
    fixture = str(FIXTURES / "invalid" / "stage-order-duplicate.ttl")
    ours = CliRunner().invoke(app, ["validate", "-f", "json", fixture])
    theirs = CliRunner().invoke(app, ["validate", "-f", "json", "--engine", "pyshacl", fixture])
    assert ours.exit_code == theirs.exit_code == 1

    def key(result: dict) -> tuple:
        return tuple(str(v) for v in result.values())

    assert sorted(json.loads(ours.output)["results"], key=key) == sorted(json.loads(theirs.output)["results"], key=key)


TARGETS = "# test: the focus nodes of a shape\n"


class _SlowOverAll:
    """A store whose query time limit every check over all focus nodes passes, and every part of more than `MOST`
    focus nodes: the engine must fall back to parts and halve them until they pass."""

    MOST = 3

    def __init__(self, store: LocalStore) -> None:
        self.store = store
        self.passed: list[int] = []  # the size of each part that ran

    def __getattr__(self, name: str):
        return getattr(self.store, name)

    def query(self, text: str, **options):
        from vskg.store.base import QueryTimeout

        if text.startswith(TARGETS) or text.startswith("SELECT DISTINCT ?sub ?sup"):
            return self.store.query(text, **options)  # listing focus nodes, reading the subclass edges
        listed = text.split("VALUES ?this {", 1)
        if len(listed) == 1 or len(listed[1].split("}", 1)[0].split()) > self.MOST:
            raise QueryTimeout("too slow")
        self.passed.append(len(listed[1].split("}", 1)[0].split()))
        return self.store.query(text, **options)


def marked_target_query(shape, classes) -> str:
    from vskg.validation import compiler

    return TARGETS + compiler.target_query(shape, classes)


def test_a_check_too_slow_over_all_focus_nodes_runs_in_parts(monkeypatch, bundled_store_template: Path) -> None:
    from vskg.validation import engine

    store = LocalStore(bundled_store_template, read_only=True)
    try:
        whole = run(store)
        monkeypatch.setattr(engine, "PART", 7)  # a part of 7 fails; its halves: 3 passes, 4 fails and gives 2 and 2
        monkeypatch.setattr(engine, "target_query", marked_target_query)
        slow = _SlowOverAll(store)
        assert run(slow) == whole
    finally:
        store.close()
    assert len(whole) == 12
    assert set(slow.passed) == {1, 2, 3}
