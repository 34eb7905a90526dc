"""`vskg init/load/dump/backup/stats`: a persistent store whose sources replace their graphs atomically."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from typer.testing import CliRunner

from tests.server import running_server
from vskg.cli import app
from vskg.resources import locate

MINIMAL = Path(__file__).resolve().parent / "fixtures" / "valid" / "minimal.ttl"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def store(tmp_path: Path, bundled_store_template: Path) -> Path:
    folder = tmp_path / "store"
    shutil.copytree(bundled_store_template, folder)
    return folder


def stats(runner: CliRunner, store: Path) -> dict:
    result = runner.invoke(app, ["stats", "--format", "json", "--store", str(store)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def dump(runner: CliRunner, store: Path) -> bytes:
    result = runner.invoke(app, ["dump", "--store", str(store)])
    assert result.exit_code == 0
    return result.stdout_bytes


def test_init_loads_every_bundled_file_into_its_own_graph(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "fresh"
    result = runner.invoke(app, ["init", "--store", str(folder)])
    assert result.exit_code == 0, result.output
    bundle = locate()
    expected = {f"https://w3id.org/vskg/graph/ontology/{p.stem}" for p in bundle.ontologies}
    assert "https://w3id.org/vskg/graph/ontology/archimate" in expected
    expected |= {f"https://w3id.org/vskg/graph/schemes/{p.stem}" for p in bundle.schemes}
    expected |= {f"https://w3id.org/vskg/graph/shapes/{p.stem}" for p in bundle.shapes}
    expected |= {f"https://w3id.org/vskg/graph/data/{p.stem}" for p in bundle.data}
    summary = stats(runner, folder)
    assert set(summary["graphs"]) == expected
    assert summary["graphs"]["https://w3id.org/vskg/graph/data/banking-mortgage-lending"] == len(
        list(pyoxigraph.parse(path=str(bundle.root / "data" / "banking-mortgage-lending.ttl")))
    )
    assert summary["classes"]["https://w3id.org/vskg/ontology#StrategicValueStream"] == 12
    again = runner.invoke(app, ["init", "--store", str(folder)])  # idempotent: sources replace their graphs
    assert again.exit_code == 0
    assert stats(runner, folder) == summary


def test_load_replaces_the_files_graph(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    source = tmp_path / "model.ttl"
    shutil.copy(MINIMAL, source)
    first = runner.invoke(app, ["load", str(source), "--store", str(store)])
    assert first.exit_code == 0, first.output
    graph = source.resolve().as_uri()
    count = len(list(pyoxigraph.parse(path=str(source))))
    assert f"{count} triples into <{graph}>" in first.stdout
    assert stats(runner, store)["graphs"][graph] == count
    source.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    assert runner.invoke(app, ["load", str(source), "--store", str(store)]).exit_code == 0
    assert stats(runner, store)["graphs"][graph] == 1


def test_load_into_a_named_graph_in_other_formats(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    document = tmp_path / "doc.jsonld"
    document.write_text(json.dumps({"@id": "urn:x", "http://www.w3.org/2000/01/rdf-schema#label": "x"}))
    result = runner.invoke(app, ["load", str(document), "--graph", "urn:vskg:g", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert stats(runner, store)["graphs"]["urn:vskg:g"] == 1
    two = runner.invoke(app, ["load", str(document), str(MINIMAL), "--graph", "urn:g", "--store", str(store)])
    assert two.exit_code == 2


def test_a_bad_file_leaves_the_store_exactly_as_it_was(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    before = dump(runner, store)
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e.org/> .\nex:a ex:b ex:c .\nex:d ex:e ex:f ;\n  ex:g .\n", encoding="utf-8")
    graph = "https://w3id.org/vskg/graph/data/banking-mortgage-lending"
    result = runner.invoke(app, ["load", str(bad), "--graph", graph, "--store", str(store)])
    assert result.exit_code == 3
    assert f"{bad}, line 4:" in result.output
    assert "the store is unchanged" in result.output
    assert dump(runner, store) == before


def test_dump_is_the_whole_dataset_and_backup_is_a_working_store(
    runner: CliRunner, store: Path, tmp_path: Path
) -> None:
    quads = list(pyoxigraph.parse(dump(runner, store), format=pyoxigraph.RdfFormat.N_QUADS))
    assert len(quads) == stats(runner, store)["triples"]
    copy = tmp_path / "backup"
    result = runner.invoke(app, ["backup", str(copy), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert dump(runner, copy) == dump(runner, store)
    refused = runner.invoke(app, ["backup", str(copy), "--store", str(store)])
    assert refused.exit_code == 2
    assert "is not empty" in refused.output


def test_store_in_use_by_a_server_is_reported(runner: CliRunner, store: Path) -> None:
    with running_server(store, token=None):
        result = runner.invoke(app, ["load", str(MINIMAL), "--store", str(store)])
    assert result.exit_code == 3
    assert "is in use by another process (is `vskg serve` running?)" in result.output


def test_store_location_from_the_environment(runner: CliRunner, store: Path) -> None:
    result = runner.invoke(app, ["stats", "--format", "json"], env={"VSKG_STORE": str(store)})
    assert result.exit_code == 0
    assert json.loads(result.stdout)["triples"] == stats(runner, store)["triples"]
