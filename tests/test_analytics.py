"""`vskg analyse`: the analytics over the local store, as text tables with units or as the API's JSON."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from typer.testing import CliRunner

from vskg.analytics import analyse_portfolio, analyse_stream, capability_impact, shared_systems, to_json
from vskg.cli import app
from vskg.store import LocalStore

BANK = "https://w3id.org/vskg/data/banking/"


@pytest.fixture(scope="module")
def store_folder(bundled_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("analyse") / "store"
    shutil.copytree(bundled_store_template, folder)
    return folder


def analyse(folder: Path, *args: str):
    return CliRunner().invoke(app, ["analyse", *args, "--store", str(folder)])


def has_row(text: str, *cells: str) -> bool:
    """True when one line of a rich table holds these cells, in this order."""
    pattern = r"\s*│\s*".join(re.escape(c) for c in cells)
    return any(re.search(pattern, line) for line in text.splitlines())


def test_stream_as_text_shows_every_figure_with_its_unit(store_folder: Path) -> None:
    result = analyse(store_folder, "banking/mortgage-lending")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("Mortgage lending (Retail bank; Other monetary intermediation)\n")
    assert has_row(text, "process time", "17 hours")
    assert has_row(text, "lead time", "574 hours")  # 48 + 24 + 36 + 2 + 72 + 72 + 240 + 80; the waits are inside
    assert has_row(text, "activity ratio", "0.0296 (3.0%)")  # 17 / 574
    assert has_row(text, "rolled %C&A", "21.7%")
    assert has_row(text, "capability coverage", "62.5%")  # 5 of 8 stages
    assert has_row(text, "stage", "Legal completion", "largest wait", "234 hours")
    assert has_row(text, "handoff", "Property valuation to Underwriting", "lowest %C&A", "70.0%")
    assert has_row(text, "7", "Legal completion", "6", "240", "234", "75", "yes")


def test_stream_as_json_is_the_api_document(store_folder: Path, store: pyoxigraph.Store) -> None:
    result = analyse(store_folder, BANK + "mortgage-lending", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body == to_json(analyse_stream(store, BANK + "mortgage-lending"))
    assert body["lead_time"]["value"] == 574 and body["lead_time"]["unit"] == "hours"
    assert body["cross_unit_handoffs"] == []  # a shared unit bridges every mortgage handoff


def test_no_target_lists_the_streams_with_their_keys(store_folder: Path) -> None:
    result = analyse(store_folder, "--format", "json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert len(listed) == 12
    assert {"key": "banking/mortgage-lending", "iri": BANK + "mortgage-lending", "label": "Mortgage lending"} in listed
    text = analyse(store_folder).stdout
    assert has_row(text, "banking/mortgage-lending", "Mortgage lending")


def test_portfolio_json_adds_the_shared_systems(store_folder: Path, store: pyoxigraph.Store) -> None:
    result = analyse(store_folder, "--portfolio", "platform/portfolio", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    expected = analyse_portfolio(store, "https://w3id.org/vskg/data/platform/portfolio")
    assert body == {**to_json(expected), "shared_systems": to_json(shared_systems(expected))}
    assert [s["stream"]["label"] for s in body["streams"]] == [
        "Developer ecosystem growth",
        "Enterprise integration",
        "Platform reliability",
        "Product innovation",
    ]


def test_portfolio_text(store_folder: Path) -> None:
    result = analyse(store_folder, "--portfolio")
    assert result.exit_code == 0, result.output
    assert has_row(result.stdout, "Retail bank")
    # process h, lead h, activity ratio, rolled %C&A, covered %
    assert has_row(result.stdout, "Mortgage lending", "17", "574", "0.0296", "21.7", "62.5")
    assert has_row(result.stdout, "Customer onboarding", "2", "4", "2", "Mortgage lending")


def test_impact_text_and_json(store_folder: Path, store: pyoxigraph.Store) -> None:
    result = analyse(store_folder, "--system", "banking/core-platform")
    assert result.exit_code == 0, result.output
    assert has_row(result.stdout, "Mortgage lending", "Release of funds", "vskg:runsOn banking/payments-gateway")
    result = analyse(store_folder, "--capability", "banking/collateral-valuation", "--format", "json")
    assert json.loads(result.stdout) == to_json(capability_impact(store, BANK + "collateral-valuation"))


def test_unknown_resources_exit_2_with_a_message(store_folder: Path) -> None:
    result = analyse(store_folder, "banking/nope")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: <https://w3id.org/vskg/data/banking/nope> is not a value stream in the graph; `vskg analyse` "
        "without arguments lists the streams\n"
    )
    result = analyse(store_folder, "--capability", "banking/underwriting")
    assert result.exit_code == 2
    assert "is not a capability (vskg:Capability)" in result.stderr
    result = analyse(store_folder, "--portfolio", "banking/mortgage-lending")
    assert result.exit_code == 2
    assert "is not a value stream portfolio" in result.stderr


def test_usage_errors(store_folder: Path) -> None:
    result = analyse(store_folder, "--portfolio", "--system", "banking/core-platform")
    assert result.exit_code == 2
    assert result.stderr == "error: --portfolio and --system cannot be combined; give one\n"
    result = analyse(store_folder, "banking/mortgage-lending", "--capability", "banking/credit-decisioning")
    assert result.exit_code == 2


def test_missing_or_empty_store_says_to_run_init(tmp_path: Path) -> None:
    result = analyse(tmp_path / "absent", "banking/mortgage-lending")
    assert result.exit_code == 3  # as every command that finds no store
    assert (
        result.stderr
        == f"error: there is no store at {tmp_path / 'absent'} (no such folder); give the folder of an existing "
        "store with --store, or run `vskg init` to make one there\n"
    )
    LocalStore(tmp_path / "empty").close()
    result = analyse(tmp_path / "empty", "banking/mortgage-lending")
    assert result.exit_code == 2
    assert result.stderr.endswith("the store holds no value streams: run `vskg init` to load the bundled examples\n")
