"""The store commands work on a SPARQL server given with --backend (and VSKG_BACKEND) as on the store folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.store.servers import SparqlServer
from vskg.cli import app
from vskg.graphs import bundled_sources
from vskg.resources import locate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BUNDLED_GRAPHS = sorted(graph for _, graph in bundled_sources(locate(), with_shapes=True))


@pytest.fixture
def server(oxigraph_server: SparqlServer) -> SparqlServer:
    oxigraph_server.clear()
    return oxigraph_server


def endpoints(server: SparqlServer) -> list[str]:
    return ["--backend", server.query_url, "--backend-update", server.update_url, "--backend-store", server.store_url]


def test_init_load_stats_and_dump_on_a_server(server: SparqlServer, tmp_path: Path) -> None:
    runner = CliRunner()
    init = runner.invoke(app, ["init", *endpoints(server)])
    assert init.exit_code == 0, init.output
    assert f"loaded {len(BUNDLED_GRAPHS)} graphs" in init.output
    assert server.store().graphs() == BUNDLED_GRAPHS

    data = tmp_path / "notes.ttl"
    data.write_text('<urn:a> <urn:b> "one" , "two" .\n', encoding="utf-8")
    load = runner.invoke(app, ["load", str(data), "--graph", "urn:notes", *endpoints(server)])
    assert load.exit_code == 0, load.output
    assert f"{data}: 2 triples into <urn:notes>" in load.output

    stats = runner.invoke(app, ["stats", "--format", "json", *endpoints(server)])
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.output)["graphs"]["urn:notes"] == 2

    dumped = runner.invoke(app, ["dump", *endpoints(server)])
    assert dumped.exit_code == 0
    assert '<urn:a> <urn:b> "one" <urn:notes> .' in dumped.output


def test_a_bad_file_changes_nothing_on_a_server(server: SparqlServer, tmp_path: Path) -> None:
    runner = CliRunner()
    good = tmp_path / "good.ttl"
    good.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    assert runner.invoke(app, ["load", str(good), "--graph", "urn:g", *endpoints(server)]).exit_code == 0
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> <urn:d> .\n<urn:a> <urn:b> .\n", encoding="utf-8")
    result = runner.invoke(app, ["load", str(bad), "--graph", "urn:g", *endpoints(server)])
    assert result.exit_code == 3
    assert "(the store is unchanged for this file)" in result.output
    assert [str(q) for q in server.store().quads("urn:g")] == ["<urn:a> <urn:b> <urn:c> <urn:g>"]


def test_the_environment_names_the_server_for_an_import(server: SparqlServer, monkeypatch) -> None:
    monkeypatch.setenv("VSKG_BACKEND", server.query_url)
    monkeypatch.setenv("VSKG_BACKEND_UPDATE", server.update_url)
    monkeypatch.setenv("VSKG_BACKEND_STORE", server.store_url)
    result = CliRunner().invoke(
        app, ["import", "archimate", str(FIXTURES / "archimate" / "value-streams.xml"), "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert len(summary["vocabulary_added"]) == 13  # the server held nothing: the ontology and schemes come along
    assert sorted(server.store().graphs()) == sorted([summary["graph"], *summary["vocabulary_added"]])
