"""An imported value stream as the analytics see it: ordered handoffs, outcome, operator, derived systems.

Also: an import into an empty store brings the ontology and schemes the pages need (the MCA dimensions).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.archimate.conftest import FIXTURES
from tests.archimate.test_cli_api import _Engine, cli, runner
from vskg import analytics
from vskg.api.archimate import router
from vskg.archimate.importer import import_file
from vskg.service import errors
from vskg.service.settings import Settings
from vskg.store import LocalStore

BASE = "https://w3id.org/vskg/archimate/model/id-derivation-model/"
MODEL = FIXTURES / "derivation.xml"
GRAPHS = "https://w3id.org/vskg/graph/"
VOCABULARY = [GRAPHS + "ontology/vskg", GRAPHS + "ontology/archimate"] + [
    GRAPHS + "schemes/" + name
    for name in ("archimate", "bmm", "dora", "flow", "industry", "itil4", "lean", "maturity", "mca", "porter", "safe")
]
MCA = ["Strategy", "Leadership", "Culture and People", "Execution and Ways of Working", "Strategic Architecture"]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    store = LocalStore(tmp_path_factory.mktemp("streams") / "store")
    import_file(store, MODEL)
    yield store
    store.close()


def labels(refs) -> list[str]:
    return [r.label for r in refs]


def test_the_stream_has_its_stages_in_flow_order_with_handoffs_outcome_and_operator(db):
    found = analytics.analyse_stream(db, BASE + "id-s")
    assert (found.stream.label, found.organisation.label, found.outcome.label) == (
        "Claim handling",
        "Insurer Ltd",
        "Claim settled",
    )
    assert [(s.order, s.stage.label) for s in found.stages] == [(1, "Register"), (2, "Assess"), (3, "Pay")]
    # the Triggering comes first in the file; the handoffs follow the stages' order, the unnamed one is labelled
    assert [(h.handoff.iri.removeprefix(BASE), h.handoff.label, h.from_stage.label, h.to_stage.label)
            for h in found.handoffs] == [
        ("id-f1", "Claim file", "Register", "Assess"),
        ("id-t2", "Assess to Pay", "Assess", "Pay"),
    ]  # fmt: skip


def test_the_stages_show_the_systems_found_by_derivation(db):
    found = analytics.analyse_stream(db, BASE + "id-s")
    assert [(labels(s.capabilities), labels(s.systems), labels(s.units)) for s in found.stages] == [
        (["Claim intake"], ["CRM"], ["Claims clerk"]),
        (["Damage assessment"], ["Claims system", "Loop app"], []),
        (["Payment"], ["Payments engine"], []),
    ]
    assert found.coverage.figure.value == 100.0


def test_outcome_value_operator_and_organisations_in_the_graph(db):
    def pairs(where: str) -> set[tuple[str, str]]:
        result = db.query(
            f"PREFIX vskg: <https://w3id.org/vskg/ontology#> SELECT ?a ?b WHERE {{ GRAPH ?g {{ {where} }} }}"
        )
        return {(r["a"].value.removeprefix(BASE), r["b"].value.removeprefix(BASE)) for r in result}

    assert pairs("?a vskg:deliversOutcome ?b . ?b a vskg:Outcome") == {("id-s", "id-out"), ("id-s", "id-val")}
    assert pairs("?a vskg:operatedBy ?b . ?b a vskg:Organisation") == {("id-s", "id-insurer")}
    assert pairs("?a vskg:hasHandoff ?b . ?b a vskg:Handoff") == {("id-s", "id-f1"), ("id-s", "id-t2")}
    portfolio = analytics.analyse_portfolio(db)
    assert {s.organisation.label for s in portfolio.streams} == {"Insurer Ltd"}
    assert portfolio.dimensions == ()  # import_file alone adds no vocabulary; the CLI and the route do


def test_cli_import_into_an_empty_store_brings_the_vocabulary(tmp_path: Path):
    store = tmp_path / "store"
    done = runner.invoke(cli(), ["import", "archimate", str(MODEL), "--store", str(store), "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["vocabulary_added"] == VOCABULARY
    again = runner.invoke(cli(), ["import", "archimate", str(MODEL), "--store", str(store)])
    assert again.exit_code == 0, again.output
    assert "added the bundled ontology" not in again.output
    db = LocalStore(store)
    try:
        portfolio = analytics.analyse_portfolio(db)
        assert labels(portfolio.dimensions) == MCA
        assert portfolio.matrix == ((False, False, False, False, False),)
    finally:
        db.close()


def test_api_import_into_an_empty_store_brings_the_vocabulary(tmp_path: Path):
    app = FastAPI()
    errors.install(app)
    app.include_router(router)
    app.state.settings = Settings(store=tmp_path / "store", write_token="secret")
    app.state.engine = _Engine()
    app.state.store = LocalStore(tmp_path / "store")
    try:
        with TestClient(app) as client:
            answer = client.post(
                "/import/archimate", content=MODEL.read_bytes(), headers={"Authorization": "Bearer secret"}
            )
            assert answer.status_code == 200, answer.text
            assert answer.json()["vocabulary_added"] == VOCABULARY
        assert labels(analytics.analyse_portfolio(app.state.store).dimensions) == MCA
    finally:
        app.state.store.close()
