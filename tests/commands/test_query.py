"""`vskg query` reads the store (so an imported model is in the answer) and takes keys where an IRI is expected."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FIXTURES
from vskg.cli import app

MINIMAL = FIXTURES / "valid" / "minimal.ttl"
LENDING = "https://w3id.org/vskg/data/test/lending"
MORTGAGE = "https://w3id.org/vskg/data/banking/mortgage-lending"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def store(tmp_path: Path, bundled_store_template: Path) -> Path:
    folder = tmp_path / "store"
    shutil.copytree(bundled_store_template, folder)
    return folder


def streams(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [row["stream"]["value"] for row in json.loads(result.stdout)["results"]["bindings"]]


def stages(runner: CliRunner, store: Path, value: str) -> list[dict[str, str]]:
    args = ["query", "stream-stages", "-p", f"stream={value}", "--format", "csv", "--store", str(store)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_a_loaded_model_is_in_the_answer(runner: CliRunner, store: Path) -> None:
    assert LENDING not in streams(runner.invoke(app, ["query", "value-streams", "-f", "json", "--store", str(store)]))
    loaded = runner.invoke(app, ["load", str(MINIMAL), "--store", str(store)])
    assert loaded.exit_code == 0, loaded.output
    found = streams(runner.invoke(app, ["query", "value-streams", "-f", "json", "--store", str(store)]))
    assert len(found) == 13 and LENDING in found


def test_the_default_store_is_the_one_the_other_commands_use(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["load", str(MINIMAL)], env={"VSKG_STORE": str(store)}).exit_code == 0
    found = streams(runner.invoke(app, ["query", "value-streams", "-f", "json"], env={"VSKG_STORE": str(store)}))
    assert LENDING in found
    missing = runner.invoke(app, ["query", "value-streams"], env={"VSKG_STORE": str(tmp_path / "elsewhere")})
    assert missing.exit_code == 3
    assert not (tmp_path / "elsewhere").exists()


@pytest.mark.parametrize("given", ["banking/mortgage-lending", "data:banking/mortgage-lending", f"<{MORTGAGE}>"])
def test_an_iri_parameter_takes_a_key_or_a_prefixed_name(runner: CliRunner, store: Path, given: str) -> None:
    expected = stages(runner, store, MORTGAGE)
    assert [row["stageLabel"] for row in expected] == [
        "Explore mortgage options",
        "Application submission",
        "Affordability assessment",
        "Credit checks",
        "Property valuation",
        "Underwriting",
        "Legal completion",
        "Release of funds",
    ]
    assert stages(runner, store, given) == expected


def test_a_key_of_an_imported_archimate_element(runner: CliRunner, store: Path) -> None:
    model = FIXTURES / "archimate" / "value-streams.xml"
    assert runner.invoke(app, ["import", "archimate", str(model), "--store", str(store)]).exit_code == 0
    full = stages(runner, store, "https://w3id.org/vskg/archimate/model/id-fixture-model/id-stream")
    assert len(full) >= 2
    assert stages(runner, store, "archimate/id-fixture-model/id-stream") == full


def test_string_parameters_are_left_as_typed(runner: CliRunner, store: Path) -> None:
    args = ["query", "value-streams", "-p", "industry=not a key", "--store", str(store)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "'https://w3id.org/vskg/data/not a key' is not a valid iri" in result.output


def test_data_files_instead_of_the_store(runner: CliRunner, store: Path) -> None:
    found = streams(runner.invoke(app, ["query", "value-streams", "-f", "json", "--data", str(MINIMAL)]))
    assert found == [LENDING]
    both = runner.invoke(app, ["query", "value-streams", "--data", str(MINIMAL), "--store", str(store)])
    assert both.exit_code == 2
    assert "--data queries files instead of a store; leave out --store and --backend with it" in both.output
