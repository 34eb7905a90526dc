"""Tables fit an 80-column terminal (wrapped, or one record at a time) and say how to get CSV or JSON."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from vskg.cli import app
from vskg.commands.common import out

STAGES = [
    "Explore mortgage options",
    "Application submission",
    "Affordability assessment",
    "Credit checks",
    "Property valuation",
    "Underwriting",
    "Legal completion",
    "Release of funds",
]


@pytest.fixture()
def columns(monkeypatch: pytest.MonkeyPatch):
    def set_width(width: int) -> None:
        monkeypatch.setattr(out, "width", width)

    return set_width


def run(store: Path, *args: str):
    result = CliRunner().invoke(app, [*args, "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    return result


def test_a_wide_result_at_80_columns_is_printed_record_by_record(columns, bundled_store_template: Path) -> None:
    columns(80)
    result = run(bundled_store_template, "query", "stream-stages", "-p", "stream=banking/mortgage-lending")
    lines = result.stdout.splitlines()
    assert lines[0] == "Stages of a value stream, in order"
    assert max(len(line) for line in lines) <= 80
    assert [line.rstrip() for line in lines if line.startswith("-- ")] == [f"-- {n} of 8 --" for n in range(1, 9)]
    labels = [line.removeprefix("stageLabel").strip() for line in lines if line.startswith("stageLabel ")]
    assert labels == STAGES
    assert "stage         data:banking/explore-mortgage-options" in result.stdout
    assert result.stderr == (
        "8 row(s); --format csv or --format json gives the same data for a spreadsheet or a program\n"
    )


def test_the_same_result_on_a_wide_terminal_is_a_table(columns, bundled_store_template: Path) -> None:
    columns(220)
    result = run(bundled_store_template, "query", "stream-stages", "-p", "stream=banking/mortgage-lending")
    lines = result.stdout.splitlines()
    header = lines[2].split("┃")
    assert [cell.strip() for cell in header[1:-1]] == [
        "stream",
        "order",
        "stage",
        "stageLabel",
        "capabilities",
        "systems",
    ]
    assert "│ data:banking/mortgage-lending │ 1     │ data:banking/explore-mortgage-options │" in result.stdout


def test_a_table_that_fits_keeps_whole_words(columns, bundled_store_template: Path) -> None:
    """At 80 columns the catalogue is a table: each query name whole on its line, titles wrapped at spaces."""
    columns(80)
    result = CliRunner().invoke(app, ["queries"])
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "│ unsupported-capabilities" in result.stdout
    assert "│ stages-without-capability" in result.stdout
    assert result.stderr == "24 row(s); --format json gives the same data for a spreadsheet or a program\n"


def test_stats_and_analyse_fit_and_name_json(columns, bundled_store_template: Path) -> None:
    columns(80)
    stats = run(bundled_store_template, "stats")
    assert max(len(line) for line in stats.stdout.splitlines()) <= 80
    assert "│ https://w3id.org/vskg/graph/data/banking-mortgage-lending" in stats.stdout
    assert stats.stderr == "--format json gives the same data for a spreadsheet or a program\n"
    analysis = run(bundled_store_template, "analyse", "banking/mortgage-lending")
    rows = [line for line in analysis.stdout.splitlines() if line[:1] in "┏┃┡│└"]  # sentences wrap by themselves
    assert len(rows) > 60 and max(len(line) for line in rows) <= 80
    assert analysis.stderr.endswith("--format json gives the same data for a spreadsheet or a program\n")
