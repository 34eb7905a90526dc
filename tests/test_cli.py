"""The `vskg` command as a user meets it: output formats and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from vskg.cli import app

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal.ttl"
DUPLICATE_ORDER = FIXTURES / "invalid" / "stage-order-duplicate.ttl"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_validate_conforming_model_exits_0(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(MINIMAL)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "conforms: 0 violation(s), 0 warning(s), 0 info(s)"


def test_validate_violation_exits_1_and_prints_the_shape_message(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(DUPLICATE_ORDER)])
    assert result.exit_code == 1
    assert "Violation " in result.output
    assert "shape: https://w3id.org/vskg/shapes#" in result.output
    assert result.output.splitlines()[-1].startswith("does not conform: ")


def test_validate_json_report(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "--format", "json", str(DUPLICATE_ORDER)])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    assert report["counts"]["Violation"] == len([r for r in report["results"] if r["severity"] == "Violation"]) >= 1
    assert set(report["results"][0]) == {
        "severity",
        "focus_node",
        "source_shape",
        "message",
        "path",
        "value",
        "constraint",
    }


def test_validate_turtle_report_is_a_shacl_report(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "--format", "turtle", str(MINIMAL)])
    assert result.exit_code == 0
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    (report,) = graph.subjects(rdflib.RDF.type, sh.ValidationReport)
    assert graph.value(report, sh.conforms) == rdflib.Literal(True)


def test_validate_unreadable_input_exits_3_with_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix ex: <http://e.org/> .\n\nex:a ex:b .\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 3
    assert f"{bad}, line 3:" in result.output


def test_validate_usage_errors_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(app, ["validate"]).exit_code == 2
    assert runner.invoke(app, ["validate", "--format", "yaml", str(MINIMAL)]).exit_code == 2


def test_query_csv_and_json(runner: CliRunner, bundled_store_template: Path) -> None:
    stream = "https://w3id.org/vskg/data/banking/mortgage-lending"
    store = ["--store", str(bundled_store_template)]
    as_csv = runner.invoke(app, ["query", "stream-stages", "--param", f"stream={stream}", "--format", "csv", *store])
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == 8 and all(row["stream"] == stream for row in rows)
    as_json = runner.invoke(app, ["query", "value-streams", "--format", "json", *store])
    assert as_json.exit_code == 0
    bindings = json.loads(as_json.stdout)["results"]["bindings"]
    assert len(bindings) == 12


def test_query_table_prints_row_count_and_how_to_get_csv(runner: CliRunner, bundled_store_template: Path) -> None:
    result = runner.invoke(app, ["query", "value-streams", "--store", str(bundled_store_template)])
    assert result.exit_code == 0
    assert result.stderr == (
        "12 row(s); --format csv or --format json gives the same data for a spreadsheet or a program\n"
    )


def test_query_errors(runner: CliRunner, tmp_path: Path, bundled_store_template: Path) -> None:
    store = ["--store", str(bundled_store_template)]
    unknown = runner.invoke(app, ["query", "no-such-query", *store])
    assert unknown.exit_code == 2
    assert "no catalogue query named 'no-such-query'" in unknown.output
    bad_param = runner.invoke(app, ["query", "handoff-bottlenecks", "--param", "limit=many", *store])
    assert bad_param.exit_code == 2
    assert "parameter 'limit'" in bad_param.output
    malformed = runner.invoke(app, ["query", "value-streams", "--param", "novalue", *store])
    assert malformed.exit_code == 2
    bad_sparql = tmp_path / "bad.rq"
    bad_sparql.write_text("SELECT ?x WHERE { ?x ?y }\n", encoding="utf-8")
    syntax = runner.invoke(app, ["query", str(bad_sparql), *store])
    assert syntax.exit_code == 3
    assert "is not valid SPARQL" in syntax.output


def test_query_over_the_users_own_files(runner: CliRunner) -> None:
    result = runner.invoke(app, ["query", "value-streams", "--data", str(MINIMAL), "--format", "json"])
    assert result.exit_code == 0
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [b["stream"]["value"] for b in bindings] == sorted(
        str(s)
        for s in rdflib.Graph()
        .parse(MINIMAL)
        .subjects(rdflib.URIRef("https://w3id.org/vskg/ontology#hasStage"), None, unique=True)
    )


def test_queries_lists_the_catalogue(runner: CliRunner) -> None:
    result = runner.invoke(app, ["queries", "--format", "json"])
    assert result.exit_code == 0
    entries = json.loads(result.stdout)
    names = [e["name"] for e in entries]
    assert names == sorted(names) and len(names) >= 15
    assert all(e["title"] and e["description"] and e["example"] for e in entries)
