"""The write gate (`vskg serve --validate-writes`) through HTTP: refused writes change nothing, Warnings pass.

The server runs over a private copy of the bundled store with VSKG_VALIDATE_WRITES=1. Each gated write costs two
full validations of the store (the stand-in check of `vskg.validation.gate.added_findings`), so the tests are few.
A test that writes leaves the store as it found it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import FIXTURES
from tests.server import LiveServer, running_server
from vskg.graphs import REPORT_GRAPH

GATED = {"VSKG_VALIDATE_WRITES": "1"}
RETAIL = "https://w3id.org/vskg/data/retail/"
RETAIL_GRAPH = "https://w3id.org/vskg/graph/data/retail-omnichannel"
SHAPES = "https://w3id.org/vskg/shapes#"
SH = "http://www.w3.org/ns/shacl#"
VSKG = "https://w3id.org/vskg/ontology#"
TEST = "https://w3id.org/vskg/data/test/"
SPARQL_UPDATE = {"Content-Type": "application/sparql-update"}
REFUSED_PREFIX = "the write would add "


@pytest.fixture(scope="module")
def gated(bundled_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("gated") / "store"
    shutil.copytree(bundled_store_template, folder)
    with running_server(folder, extra_env=GATED) as server:
        yield server


@pytest.fixture(scope="module")
def client(gated: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=gated.url, timeout=120, headers=gated.auth()) as http:
        yield http


def listing(client: httpx.Client) -> bytes:
    """Every graph of the store but the standing report's (rewritten whenever a report is published), each as the
    N-Triples the Graph Store answers, in the order of their names."""
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"
    answer = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    graphs = [row["g"]["value"] for row in answer.json()["results"]["bindings"] if row["g"]["value"] != REPORT_GRAPH]
    parts = [
        f"# {g}\n".encode()
        + client.get("/store", params={"graph": g}, headers={"Accept": "application/n-triples"}).content
        for g in graphs
    ]
    return b"".join(parts)


def found(response: httpx.Response) -> set[tuple[str, str, str, str]]:
    return {
        (f["severity"], f["source_shape"].removeprefix(SHAPES), f["focus_node"], f["constraint"].removeprefix(SH))
        for f in response.json()["results"]
    }


def update(client: httpx.Client, text: str) -> httpx.Response:
    return client.post("/update", content=text.encode(), headers=SPARQL_UPDATE)


def assert_refused(response: httpx.Response, violations: int) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    plural = "s" if violations != 1 else ""
    assert body["error"] == {
        "status": 422,
        "message": f"{REFUSED_PREFIX}{violations} SHACL violation{plural}; nothing was written: it breaks the shapes "
        "(see results); fix the data and send it again",
    }
    assert body["conforms"] is False
    assert body["counts"]["Violation"] == violations


def test_delete_data_that_breaks_a_rule_is_refused(client: httpx.Client) -> None:
    before = listing(client)
    text = f"DELETE DATA {{ GRAPH <{RETAIL_GRAPH}> {{ <{RETAIL}purchase> <{VSKG}stageOrder> 2 }} }}"
    response = update(client, text)
    assert_refused(response, 2)
    assert found(response) == {
        ("Violation", "StageOrderShape", f"{RETAIL}purchase", "MinCountConstraintComponent"),
        (
            "Violation",
            "StageOrderContiguousShape",
            f"{RETAIL}product-discovery-to-delivery",
            "SPARQLConstraintComponent",
        ),
    }
    assert listing(client) == before


def test_insert_data_of_a_stage_without_order_is_refused(client: httpx.Client) -> None:
    before = listing(client)
    text = (
        f"PREFIX vskg: <{VSKG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> INSERT DATA {{ GRAPH "
        f"<urn:vskg-test:gate:stage> {{ <{RETAIL}extra> a vskg:ValueStreamStage ; rdfs:label 'Extra'@en ; "
        f"vskg:stageOf <{RETAIL}product-discovery-to-delivery> }} }}"
    )
    response = update(client, text)
    assert_refused(response, 2)
    assert found(response) == {
        ("Violation", "StageOrderShape", f"{RETAIL}extra", "MinCountConstraintComponent"),
        ("Violation", "StageStreamAgreementShape", f"{RETAIL}extra", "SPARQLConstraintComponent"),
        ("Warning", "StageEnabledByShape", f"{RETAIL}extra", "MinCountConstraintComponent"),
    }
    assert listing(client) == before


def test_delete_insert_where_that_breaks_a_rule_is_refused(client: httpx.Client) -> None:
    before = listing(client)
    text = (
        f"PREFIX vskg: <{VSKG}> DELETE {{ GRAPH ?g {{ ?s vskg:stageOrder ?o }} }} INSERT {{ GRAPH ?g {{ ?s "
        f"vskg:stageOrder '2' }} }} WHERE {{ GRAPH ?g {{ ?s vskg:stageOrder ?o }} FILTER(?s = <{RETAIL}purchase>) }}"
    )
    response = update(client, text)
    assert_refused(response, 2)
    assert found(response) == {
        ("Violation", "StageOrderShape", f"{RETAIL}purchase", "DatatypeConstraintComponent"),
        ("Violation", "StageOrderShape", f"{RETAIL}purchase", "MinInclusiveConstraintComponent"),
    }
    assert listing(client) == before


def test_graph_store_put_of_a_broken_model_is_refused(client: httpx.Client) -> None:
    before = listing(client)
    body = (FIXTURES / "invalid" / "stage-order-missing.ttl").read_bytes()
    response = client.put(
        "/store", params={"graph": "urn:vskg-test:gate:put"}, content=body, headers={"Content-Type": "text/turtle"}
    )
    assert_refused(response, 2)
    assert found(response) == {
        ("Violation", "StageOrderShape", f"{TEST}decision", "MinCountConstraintComponent"),
        ("Violation", "StageOrderContiguousShape", f"{TEST}lending", "SPARQLConstraintComponent"),
    }
    assert client.get("/store", params={"graph": "urn:vskg-test:gate:put"}).status_code == 404
    assert listing(client) == before


def test_archimate_import_that_breaks_a_shape_is_refused(client: httpx.Client) -> None:
    before = listing(client)
    body = (FIXTURES / "archimate" / "views.xml").read_bytes()
    response = client.post("/import/archimate", params={"name": "views.xml"}, content=body)
    assert_refused(response, 1)
    model = "https://w3id.org/vskg/archimate/model/id-views-model/"
    assert found(response) == {
        ("Violation", "StreamOperatedByShape", f"{model}id-e-stream", "MinCountConstraintComponent"),
        ("Warning", "StageEnabledByShape", f"{model}id-e-stage-1", "MinCountConstraintComponent"),
    }
    assert listing(client) == before


def test_a_write_that_only_adds_a_warning_goes_through_and_says_so(client: httpx.Client) -> None:
    graph = "urn:vskg-test:gate:warning"
    body = (FIXTURES / "invalid" / "goal-without-vision.ttl").read_bytes()
    response = client.put("/store", params={"graph": graph}, content=body, headers={"Content-Type": "text/turtle"})
    assert response.status_code == 201, response.text
    assert response.json()["conforms"] is True
    assert response.json()["counts"] == {"Violation": 0, "Warning": 1, "Info": 0}
    assert found(response) == {("Warning", "GoalVisionShape", f"{TEST}goal", "MinCountConstraintComponent")}
    assert client.get("/store", params={"graph": graph}).status_code == 200
    # Dropping it again removes the Warning and adds nothing: the plain 204.
    dropped = client.delete("/store", params={"graph": graph})
    assert (dropped.status_code, dropped.content) == (204, b"")


def test_an_update_whose_effect_cannot_be_worked_out_is_refused(client: httpx.Client) -> None:
    response = update(client, f"CLEAR GRAPH <{RETAIL_GRAPH}>")
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert message.startswith("with --validate-writes, an update must be INSERT DATA / DELETE DATA operations, or ")
    assert "replace or drop whole graphs with the Graph Store Protocol (PUT or DELETE /store?graph=...)" in message
    assert "results" not in response.json()


def test_the_openapi_document_describes_the_gate(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, method in (("/update", "post"), ("/store", "put"), ("/store", "post"), ("/store", "delete")):
        answers = paths[path][method]["responses"]
        assert answers["422"]["description"].startswith("Validate-writes mode: the write would add SHACL Violations")
        assert answers["200"]["description"].startswith("Validate-writes mode: the write was applied")
    assert "a 204 becomes" not in paths["/update"]["post"]["description"]
    assert "answers 200 (or 201) with the JSON report" in paths["/update"]["post"]["description"]
    assert "422" in paths["/import/archimate"]["post"]["responses"]


def test_without_the_gate_the_same_write_is_applied(bundled_store_template: Path, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    shutil.copytree(bundled_store_template, folder)
    with running_server(folder) as server, httpx.Client(base_url=server.url, headers=server.auth()) as http:
        text = f"DELETE DATA {{ GRAPH <{RETAIL_GRAPH}> {{ <{RETAIL}purchase> <{VSKG}stageOrder> 2 }} }}"
        response = update(http, text)
        assert (response.status_code, response.content) == (204, b"")
        ask = f"ASK {{ <{RETAIL}purchase> <{VSKG}stageOrder> ?o }}"
        assert (
            http.get("/sparql", params={"query": ask}, headers={"Accept": "application/sparql-results+json"}).json()[
                "boolean"
            ]
            is False
        )


def dump(folder: Path) -> bytes:
    """The store's N-Quads without the standing report's graph, which the service rewrites on its own schedule."""
    done = subprocess.run(
        [sys.executable, "-m", "vskg", "dump", "--store", str(folder)], capture_output=True, timeout=120, check=True
    )
    report = f"<{REPORT_GRAPH}> .\n".encode()
    return b"".join(line for line in done.stdout.splitlines(keepends=True) if not line.endswith(report))


def test_a_dump_after_refused_writes_is_byte_identical(bundled_store_template: Path, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    shutil.copytree(bundled_store_template, folder)
    before = dump(folder)
    with (
        running_server(folder, extra_env=GATED) as server,
        httpx.Client(base_url=server.url, headers=server.auth(), timeout=120) as http,
    ):
        body = (FIXTURES / "invalid" / "stage-order-missing.ttl").read_bytes()
        put = http.put("/store", params={"graph": RETAIL_GRAPH}, content=body, headers={"Content-Type": "text/turtle"})
        assert put.status_code == 422, put.text
        text = f"DELETE DATA {{ GRAPH <{RETAIL_GRAPH}> {{ <{RETAIL}purchase> <{VSKG}stageOrder> 2 }} }}"
        assert update(http, text).status_code == 422
    after = dump(folder)
    assert len(before) > 1_000_000  # the bundled store, about 11,000 quads
    assert after == before
