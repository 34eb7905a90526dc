"""Validation on a remote backend: the standing report and the write gate work the same over a SPARQL server.

The bundled graphs are loaded into Oxigraph server and a service runs over it with ``validate_writes``. Its standing
report must equal the compiled engine's run on an embedded store with the same graphs; a write that would add a
Violation is refused with 422 and the server holds exactly what it held; a write that adds only a Warning goes
through and says so. (Virtuoso keeps no boolean type: it stores ``false`` as the integer 0, so every
``sh:datatype xsd:boolean`` check fails there; the engine's queries run on it, but its findings differ.)
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from vskg.graphs import REPORT_GRAPH
from vskg.service.app import create_app
from vskg.service.settings import Settings
from vskg.store import LocalStore
from vskg.store.bundled import init_bundled
from vskg.validation.engine import run

HOSTS = ("testserver",)
TOKEN = "gate-token"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
VSKG = "https://w3id.org/vskg/ontology#"
BANK = "https://w3id.org/vskg/data/banking/"
MORTGAGE_GRAPH = "https://w3id.org/vskg/graph/data/banking-mortgage-lending"
STAGE = BANK + "explore-mortgage-options"
NO_ORDER = f"DELETE DATA {{ GRAPH <{MORTGAGE_GRAPH}> {{ <{STAGE}> <{VSKG}stageOrder> 1 }} }}"
GOAL = "https://w3id.org/vskg/data/test/goal"
GOAL_ONLY = (
    "INSERT DATA { GRAPH <urn:vskg-test:gate> { "
    f'<{GOAL}> a <https://w3id.org/vskg/ontology#Goal> ; <http://www.w3.org/2000/01/rdf-schema#label> "A goal"@en }} }}'
)
EVERYTHING = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def rows(client: TestClient) -> list[tuple]:
    """Every quad the server holds but the standing report's, as sorted JSON values."""
    answer = client.get("/sparql", params={"query": EVERYTHING}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200
    found = [tuple(row[v]["value"] for v in ("g", "s", "p", "o")) for row in answer.json()["results"]["bindings"]]
    return sorted(r for r in found if r[0] != REPORT_GRAPH)


def current_report(client: TestClient) -> dict:
    deadline = time.monotonic() + 120
    while True:
        answer = client.get("/validate")
        if answer.status_code == 200 and answer.json()["current"]:
            return answer.json()
        assert "failed" not in answer.text, answer.text
        assert time.monotonic() < deadline, answer.text
        time.sleep(0.1)


@pytest.fixture(scope="module")
def embedded_findings(tmp_path_factory: pytest.TempPathFactory) -> list:
    store = LocalStore(tmp_path_factory.mktemp("gate-reference") / "store")
    store.init_bundled()
    try:
        return run(store)
    finally:
        store.close()


@pytest.fixture(scope="module", params=["oxigraph"])
def gated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    server = request.getfixturevalue(f"{request.param}_server")
    server.clear()
    store = server.store()
    init_bundled(store)
    store.close()
    settings = Settings(
        store=Path(tmp_path_factory.mktemp("gate-remote")) / "unused",
        allowed_hosts=HOSTS,
        write_token=TOKEN,
        validate_writes=True,
        backend=server.query_url,
        backend_update=server.update_url,
        backend_store=server.store_url,
    )
    with TestClient(create_app(settings)) as client:
        yield client
    server.clear()


def test_the_standing_report_on_a_remote_backend_is_the_embedded_one(gated: TestClient, embedded_findings) -> None:
    report = current_report(gated)
    assert sorted(tuple(f.values()) for f in report["results"]) == sorted(
        (f.severity, f.focus_node, f.source_shape, f.message, f.path, f.value, f.constraint) for f in embedded_findings
    )
    assert report["counts"] == {"Violation": 0, "Warning": 0, "Info": 12}


def test_a_breaking_write_is_refused_on_a_remote_backend_and_a_warning_passes(gated: TestClient) -> None:
    current_report(gated)
    before = rows(gated)
    refused = gated.post("/update", content=NO_ORDER, headers=AUTH)
    assert refused.status_code == 422, refused.text
    assert {(f["source_shape"].rsplit("#")[-1], f["focus_node"]) for f in refused.json()["results"]} == {
        ("StageOrderShape", STAGE),
        ("StageOrderStartsAtOneShape", BANK + "mortgage-lending"),
    }
    assert rows(gated) == before
    assert current_report(gated)["counts"] == {"Violation": 0, "Warning": 0, "Info": 12}

    passed = gated.post("/update", content=GOAL_ONLY, headers=AUTH)
    assert passed.status_code == 200, passed.text
    assert [(f["severity"], f["source_shape"].rsplit("#")[-1]) for f in passed.json()["results"]] == [
        ("Warning", "GoalVisionShape")
    ]
    report = current_report(gated)
    assert report["counts"] == {"Violation": 0, "Warning": 1, "Info": 12}
    assert gated.post("/update", content=GOAL_ONLY.replace("INSERT DATA", "DELETE DATA"), headers=AUTH).status_code in (
        200,
        204,
    )
    assert current_report(gated)["counts"] == {"Violation": 0, "Warning": 0, "Info": 12}
