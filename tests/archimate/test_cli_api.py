"""`vskg import archimate` / `vskg export archimate` and the /import/archimate, /export/archimate routes."""

from __future__ import annotations

import io
import json
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import typer
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.archimate.conftest import EXTERNAL, FIXTURES, counts, validate
from vskg.api.archimate import router
from vskg.archimate.exchange import read_exchange
from vskg.cli import app
from vskg.service import errors
from vskg.service.settings import Settings
from vskg.store import LocalStore

runner = CliRunner()
VP = EXTERNAL / "aoeff31-visual-paradigm.xml"
INVALID = EXTERNAL / "aoeff31-INVALID-undeclared-propdefs.xml"


def cli() -> typer.Typer:
    """The vskg command line."""
    return app


def _dump(store: Path) -> bytes:
    db = LocalStore(store)
    try:
        out = io.BytesIO()
        db.dump(out)
        return out.getvalue()
    finally:
        db.close()


def test_cli_import_then_export(tmp_path: Path, diagram_schema):
    store = tmp_path / "store"
    done = runner.invoke(cli(), ["import", "archimate", str(VP), "--store", str(store)])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[0].startswith(
        "imported aoeff31-visual-paradigm.xml (ArchiMate exchange format) into graph "
        "<https://w3id.org/vskg/graph/archimate/Id-nVnkOI6GAqACmCbt>: "
    )
    assert lines[1].startswith("  elements: 97 (AndJunction 1, ApplicationCollaboration 2,")
    assert lines[2].startswith("  relationships: 46 (Access 4, Aggregation 1,")
    assert lines[3:6] == [
        "  properties: 3 (property definitions: 48)",
        "  organizations (folders): 0",
        "  views: 4",
    ]
    out = tmp_path / "out.xml"
    graph = "https://w3id.org/vskg/graph/archimate/Id-nVnkOI6GAqACmCbt"
    done = runner.invoke(cli(), ["export", "archimate", "--graph", graph, "-o", str(out), "--store", str(store)])
    assert done.exit_code == 0, done.output
    xml = out.read_bytes()
    assert validate(diagram_schema, xml) == []
    assert counts(xml) == counts(VP.read_bytes())


def test_cli_json_summary_and_graph_option(tmp_path: Path):
    store = tmp_path / "store"
    args = [
        "import",
        "archimate",
        str(FIXTURES / "value-streams.xml"),
        "--graph",
        "https://example.org/g",
        "--json",
        "--store",
        str(store),
    ]
    done = runner.invoke(cli(), args)
    assert done.exit_code == 0, done.output
    summary = json.loads(done.output)
    assert summary["graph"] == "https://example.org/g"
    assert (summary["element_count"], summary["relationship_count"], summary["views"], summary["views_skipped"]) == (
        22,
        24,
        1,
        0,
    )
    assert len(summary["warnings"]) == 1  # the broken chain (the fork is a parallel block)


def test_cli_refuses_the_invalid_file_and_writes_nothing(tmp_path: Path):
    store = tmp_path / "store"
    assert runner.invoke(cli(), ["import", "archimate", str(VP), "--store", str(store)]).exit_code == 0
    before = _dump(store)
    done = runner.invoke(cli(), ["import", "archimate", str(INVALID), "--store", str(store)])
    assert done.exit_code == 3
    assert "line 10: property definition 'Description' is not declared" in done.output
    assert "(nothing was written)" in done.output
    assert _dump(store) == before


def test_cli_export_of_an_empty_store_is_a_usage_error(tmp_path: Path):
    LocalStore(tmp_path / "s").close()
    done = runner.invoke(cli(), ["export", "archimate", "-o", str(tmp_path / "x.xml"), "--store", str(tmp_path / "s")])
    assert done.exit_code == 2
    assert "the store holds no ArchiMate model and no vskg streams" in done.output
    missing = runner.invoke(
        cli(), ["export", "archimate", "-o", str(tmp_path / "x.xml"), "--store", str(tmp_path / "no")]
    )
    assert missing.exit_code == 3
    assert "there is no store at" in missing.output


def _import(store: Path, model: Path) -> str:
    done = runner.invoke(cli(), ["import", "archimate", str(model), "--json", "--store", str(store)])
    assert done.exit_code == 0, done.output
    return json.loads(done.output)["graph"]


def test_cli_export_without_a_graph_gives_the_one_imported_model(tmp_path: Path):
    store = tmp_path / "store"
    graph = _import(store, VP)
    chosen, alone = tmp_path / "chosen.xml", tmp_path / "alone.xml"
    export = ["export", "archimate", "--store", str(store), "-o"]
    assert runner.invoke(cli(), [*export, str(chosen), "--graph", graph]).exit_code == 0
    done = runner.invoke(cli(), [*export, str(alone)])
    assert done.exit_code == 0, done.output
    assert alone.read_bytes() == chosen.read_bytes()


def test_cli_export_without_a_graph_names_the_models_to_choose_from(tmp_path: Path):
    store = tmp_path / "store"
    graphs = sorted([_import(store, VP), _import(store, FIXTURES / "value-streams.xml")])
    assert graphs[0] != graphs[1]
    before = _dump(store)
    done = runner.invoke(cli(), ["export", "archimate", "-o", str(tmp_path / "x.xml"), "--store", str(store)])
    assert done.exit_code == 2
    flat = " ".join(done.output.split())
    assert "2 imported ArchiMate models; choose one with --graph" in flat
    assert f"<{graphs[0]}>, <{graphs[1]}>" in flat
    assert not (tmp_path / "x.xml").exists()
    assert _dump(store) == before


def test_cli_imports_organization_items_that_stand_for_views(tmp_path: Path, diagram_schema):
    """Real exports file their views in the organization tree too; the view and the items that stand for it are
    kept, and come back on export (they used to be refused whole, then left out)."""
    folder = '<item><label xml:lang="en">Views</label><item identifierRef="id-view-1"/></item>\n  </organizations>'
    model = tmp_path / "with-a-views-folder.xml"
    model.write_text((FIXTURES / "value-streams.xml").read_text().replace("</organizations>", folder, 1))
    store = tmp_path / "store"
    done = runner.invoke(cli(), ["import", "archimate", str(model), "--json", "--store", str(store)])
    assert done.exit_code == 0, done.output
    summary = json.loads(done.output)
    plain = runner.invoke(cli(), ["import", "archimate", str(FIXTURES / "value-streams.xml"), "--json", "--store",
                                  str(tmp_path / "plain")])  # fmt: skip
    assert summary["organizations"] == json.loads(plain.output)["organizations"] + 1  # the Views folder itself
    assert (summary["views"], summary["views_skipped"]) == (1, 0)
    assert not [w for w in summary["warnings"] if "view" in w]
    out = tmp_path / "out.xml"
    export = ["export", "archimate", "-o", str(out), "--store", str(store), "--graph", summary["graph"]]
    assert runner.invoke(cli(), export).exit_code == 0
    assert validate(diagram_schema, out.read_bytes()) == []
    back = read_exchange(out.read_bytes(), "out")
    assert [v.identifier for v in back.views] == ["id-view-1"]
    folders = {o.labels[0][1]: [c.ref for c in o.children] for o in back.organizations if o.labels}
    assert folders["Views"] == ["id-view-1"]


class _Engine:
    """Stands in for the query engine: the routes only need its reading/exclusive gates."""

    @asynccontextmanager
    async def reading(self, wait: float | None = None):
        yield

    @asynccontextmanager
    async def exclusive(self):
        yield


@pytest.fixture
def client(tmp_path: Path):
    store = tmp_path / "store"
    app = FastAPI()
    errors.install(app)
    app.include_router(router)
    app.state.settings = Settings(store=store, write_token="secret")
    app.state.engine = _Engine()
    app.state.store = LocalStore(store)  # the routes read and write through the one store object
    with TestClient(app) as test_client:
        yield test_client, app
    app.state.store.close()


AUTH = {"Authorization": "Bearer secret"}


def test_api_import_and_export(client, diagram_schema):
    test_client, _ = client
    answer = test_client.post("/import/archimate?name=vp.xml", content=VP.read_bytes(), headers=AUTH)
    assert answer.status_code == 200, answer.text
    summary = answer.json()
    assert (summary["element_count"], summary["relationship_count"], summary["properties"]) == (97, 46, 3)
    assert (summary["views"], summary["views_skipped"]) == (4, 0)
    assert summary["file"] == "vp.xml"
    exported = test_client.get("/export/archimate", params={"graph": summary["graph"]})
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/xml")
    assert validate(diagram_schema, exported.content) == []
    assert counts(exported.content) == counts(VP.read_bytes())


def test_api_refuses_bad_files_and_missing_tokens(client):
    test_client, app = client
    answer = test_client.post("/import/archimate", content=INVALID.read_bytes(), headers=AUTH)
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == (
        "upload.xml, line 10: property definition 'Description' is not declared (no propertyDefinition has that "
        "identifier); it is used by element id-6be02ba1-0489-4ea4-b62b-a22d302cbefe (Capability 'Capability') "
        "(nothing was written)"
    )
    assert test_client.post("/import/archimate", content=VP.read_bytes()).status_code == 401
    assert app.state.store.graphs() == []
    missing = test_client.get("/export/archimate", params={"graph": "https://example.org/none"})
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "the store has no graph <https://example.org/none>"
