"""`vskg load --strict` and `vskg import ... --strict`: a write that would add a SHACL Violation is not made."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FIXTURES
from vskg.cli import app

TEST = "https://w3id.org/vskg/data/test/"
BROKEN = FIXTURES / "invalid" / "stage-order-missing.ttl"
WARNING_ONLY = FIXTURES / "invalid" / "goal-without-vision.ttl"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def store(tmp_path: Path, bundled_store_template: Path) -> Path:
    folder = tmp_path / "store"
    shutil.copytree(bundled_store_template, folder)
    return folder


def dump(runner: CliRunner, store: Path) -> bytes:
    result = runner.invoke(app, ["dump", "--store", str(store)])
    assert result.exit_code == 0
    return result.stdout_bytes


def test_strict_load_of_a_broken_file_exits_1_and_changes_nothing(runner: CliRunner, store: Path) -> None:
    before = dump(runner, store)
    result = runner.invoke(app, ["load", "--strict", "--store", str(store), str(BROKEN)])
    assert result.exit_code == 1, result.output
    assert f"Violation {TEST}decision\n" in result.stdout
    assert "shape: https://w3id.org/vskg/shapes#StageOrderShape" in result.stdout
    assert "shape: https://w3id.org/vskg/shapes#StageOrderContiguousShape" in result.stdout
    assert "refused, nothing was written: the write adds 2 violation(s), 0 warning(s), 0 info(s)" in result.stdout
    assert "triples into" not in result.stdout
    assert dump(runner, store) == before


def test_strict_load_of_a_warning_only_file_loads_it_and_prints_the_warning(runner: CliRunner, store: Path) -> None:
    result = runner.invoke(app, ["load", "--strict", "--store", str(store), str(WARNING_ONLY)])
    assert result.exit_code == 0, result.output
    assert f"Warning {TEST}goal\n" in result.stdout
    assert "written: the write adds 0 violation(s), 1 warning(s), 0 info(s)" in result.stdout
    assert f"{WARNING_ONLY}: " in result.stdout and f"triples into <{WARNING_ONLY.resolve().as_uri()}>" in result.stdout


def test_load_without_strict_loads_the_broken_file(runner: CliRunner, store: Path) -> None:
    before = dump(runner, store)
    result = runner.invoke(app, ["load", "--store", str(store), str(BROKEN)])
    assert result.exit_code == 0, result.output
    assert dump(runner, store) != before


def test_strict_load_refuses_link_reviews(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    review = tmp_path / "review.csv"
    review.write_text("a,b\n", encoding="utf-8")
    result = runner.invoke(app, ["load", "--strict", "--store", str(store), str(review)])
    assert result.exit_code == 2
    assert "--strict checks RDF files; load link reviews (.csv) without it" in result.stderr


def test_strict_archimate_import_that_breaks_a_shape_exits_1_with_the_json_report(
    runner: CliRunner, store: Path
) -> None:
    before = dump(runner, store)
    views = FIXTURES / "archimate" / "views.xml"
    result = runner.invoke(app, ["import", "archimate", "--strict", "--json", "--store", str(store), str(views)])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    model = "https://w3id.org/vskg/archimate/model/id-views-model/"
    assert report["conforms"] is False
    assert report["counts"] == {"Violation": 1, "Warning": 1, "Info": 0}
    assert [(f["severity"], f["focus_node"], f["source_shape"]) for f in report["results"]] == [
        ("Violation", f"{model}id-e-stream", "https://w3id.org/vskg/shapes#StreamOperatedByShape"),
        ("Warning", f"{model}id-e-stage-1", "https://w3id.org/vskg/shapes#StageEnabledByShape"),
    ]
    assert dump(runner, store) == before
