"""Other SPARQL endpoints: ``vskg pull`` against a real Oxigraph server, and the operator's SERVICE allow-list.

The remote endpoint is the ``oxigraph`` server from PyPI, started on a free loopback port for this module and
stopped after it. Endpoints that must never be contacted are TCP listeners that count connections.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from typer.testing import CliRunner

from tests.server import Listener
from vskg.cli import app
from vskg.pull import PullError, pull
from vskg.safety import Refused, check_query, service_endpoints
from vskg.service.settings import Settings
from vskg.store import LocalStore
from vskg.store.engine import QueryEngine, QueryFailed, QueryJob, QueryTimeout, execute
from vskg.store.engine_process import EngineProcess

REMOTE_DATA = """\
@prefix ex: <https://remote.example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:crm a ex:Application ; rdfs:label "Customer relationship management" .
ex:erp a ex:Application ; rdfs:label "Enterprise resource planning" .
ex:billing a ex:Application ; rdfs:label "Billing" .
ex:alice a ex:Person ; rdfs:label "Alice" .
"""

CONSTRUCT = """\
PREFIX ex: <https://remote.example.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX vskg: <https://w3id.org/vskg/ontology#>
CONSTRUCT { ?app a vskg:ApplicationSystem ; rdfs:label ?label }
WHERE { ?app a ex:Application ; rdfs:label ?label }
"""

PROV = "http://www.w3.org/ns/prov#"
GRAPH = "https://example.org/graph/remote-apps"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph SPARQL server holding REMOTE_DATA; yields its query endpoint."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    assert binary, "the oxigraph server (pip install oxigraph) must be installed in the virtual environment"
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/", timeout=0.5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        answer = httpx.post(
            base + "/store?default", content=REMOTE_DATA.encode(), headers={"Content-Type": "text/turtle"}
        )
        assert answer.status_code in (201, 204), answer.text
        yield base + "/query"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def listener() -> Iterator[Listener]:
    watch = Listener()
    yield watch
    watch.close()


def graph_quads(store: LocalStore, graph: str) -> list:
    return list(store.db.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph)))


# --- pull --------------------------------------------------------------------------------------------------------


def test_pull_mirrors_the_construct_with_provenance(oxigraph: str, tmp_path: Path) -> None:
    db = LocalStore(tmp_path / "store")
    try:
        result = pull(db, oxigraph, CONSTRUCT, GRAPH, timeout=10)
        assert (result.graph, result.endpoint, result.triples) == (GRAPH, oxigraph, 6)
        rows = db.query(
            f"""PREFIX prov: <{PROV}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT ?app ?label WHERE {{ GRAPH <{GRAPH}> {{
              ?app a <https://w3id.org/vskg/ontology#ApplicationSystem> ; rdfs:label ?label }} }} ORDER BY ?label"""
        )
        assert [(r["app"].value, r["label"].value) for r in rows] == [
            ("https://remote.example.org/billing", "Billing"),
            ("https://remote.example.org/crm", "Customer relationship management"),
            ("https://remote.example.org/erp", "Enterprise resource planning"),
        ]
        prov = list(
            db.query(
                f"""PREFIX prov: <{PROV}> PREFIX void: <http://rdfs.org/ns/void#>
                PREFIX dcterms: <http://purl.org/dc/terms/>
                SELECT ?activity ?endpoint ?text ?count ?start ?end WHERE {{ GRAPH <{GRAPH}> {{
                  <{GRAPH}> prov:wasGeneratedBy ?activity ; void:triples ?count ; dcterms:source ?endpoint .
                  ?activity a prov:Activity ; prov:used ?endpoint , ?query ;
                            prov:startedAtTime ?start ; prov:endedAtTime ?end .
                  ?query a prov:Entity ; prov:value ?text }} }}"""
            )
        )
        assert len(prov) == 1
        row = prov[0]
        assert row["activity"].value == result.activity
        assert row["endpoint"].value == oxigraph
        assert row["text"].value == CONSTRUCT
        assert row["count"] == pyoxigraph.Literal("6", datatype=pyoxigraph.NamedNode(XSD + "integer"))
        assert row["start"].datatype.value == XSD + "dateTime" and row["start"].value <= row["end"].value
        assert len(graph_quads(db, GRAPH)) == 6 + 12  # the mirrored triples and twelve provenance statements
    finally:
        db.close()


XSD = "http://www.w3.org/2001/XMLSchema#"


def test_pull_command(oxigraph: str, tmp_path: Path) -> None:
    query = tmp_path / "apps.rq"
    query.write_text(CONSTRUCT, encoding="utf-8")
    store = tmp_path / "store"
    result = CliRunner().invoke(app, ["pull", oxigraph, "--query", str(query), "--graph", GRAPH, "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"6 triples from <{oxigraph}> into <{GRAPH}> (activity <urn:uuid:")
    db = LocalStore(store)
    try:
        assert len(graph_quads(db, GRAPH)) == 18
    finally:
        db.close()


def test_failed_pull_leaves_the_graph_unchanged(oxigraph: str, tmp_path: Path) -> None:
    db = LocalStore(tmp_path / "store")
    try:
        pull(db, oxigraph, CONSTRUCT, GRAPH, timeout=10)
        before = sorted(map(str, graph_quads(db, GRAPH)))
        with pytest.raises(PullError, match=r"^http://127\.0\.0\.1:\d+/query answered HTTP 400: "):
            pull(db, oxigraph, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p }", GRAPH, timeout=10)
        closed = f"http://127.0.0.1:{free_port()}/sparql"
        with pytest.raises(PullError, match=rf"^cannot reach {closed}: "):
            pull(db, closed, CONSTRUCT, GRAPH, timeout=2)
        assert sorted(map(str, graph_quads(db, GRAPH))) == before
    finally:
        db.close()


def test_pull_refuses_a_select_without_connecting(listener: Listener, tmp_path: Path) -> None:
    db = LocalStore(tmp_path / "store")
    try:
        with pytest.raises(PullError) as caught:
            pull(db, listener.url, "SELECT * WHERE { ?s ?p ?o }", GRAPH)
        assert str(caught.value) == "the query must be a CONSTRUCT or DESCRIBE query: pull mirrors triples into a graph"
        assert not db.has_graph(GRAPH)
    finally:
        db.close()
    listener.close()
    assert listener.connections == 0


def test_pull_times_out() -> None:
    silent = Listener(hold=True)
    try:
        started = time.monotonic()
        with pytest.raises(PullError) as caught:
            from vskg.pull import fetch

            fetch(silent.url, CONSTRUCT, timeout=1)
        assert str(caught.value) == f"{silent.url} did not answer within 1 s"
        assert time.monotonic() - started < 5
    finally:
        silent.close()
    assert silent.connections == 1


# --- the SERVICE allow-list ----------------------------------------------------------------------------------------


def service_query(endpoint: str) -> str:
    return (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        f"SELECT ?label WHERE {{ SERVICE <{endpoint}> {{ ?s a <https://remote.example.org/Application> ; "
        "rdfs:label ?label } } ORDER BY ?label"
    )


def labels(body: bytes) -> list[str]:
    return [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]]


def test_allowed_service_answers_through_the_engine(oxigraph: str) -> None:
    job = QueryJob(service_query(oxigraph), accept="application/sparql-results+json", allowed_services=(oxigraph,))
    answer = execute(pyoxigraph.Store(), job)
    assert labels(answer.body) == ["Billing", "Customer relationship management", "Enterprise resource planning"]


def test_service_is_refused_by_default_and_outside_the_list(oxigraph: str, listener: Listener) -> None:
    with pytest.raises(QueryFailed) as caught:
        execute(pyoxigraph.Store(), QueryJob(service_query(oxigraph)))
    assert caught.value.status == 400
    assert caught.value.message.startswith("SERVICE (federated query) is disabled on this endpoint")
    job = QueryJob(service_query(listener.url), allowed_services=(oxigraph,))
    with pytest.raises(QueryFailed) as caught:
        execute(pyoxigraph.Store(), job)
    assert caught.value.message == f"SERVICE <{listener.url}> is refused: this server may only call <{oxigraph}>."
    # Two SERVICE clauses: one allowed, one not; a variable or prefixed name cannot be checked and is refused.
    both = f"SELECT * {{ SERVICE <{oxigraph}> {{ ?s ?p ?o }} SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryFailed, match="is refused"):
        execute(pyoxigraph.Store(), QueryJob(both, allowed_services=(oxigraph,)))
    for sneaky in (
        f"SELECT * {{ BIND(<{listener.url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"PREFIX r: <{listener.url}> SELECT * {{ SERVICE r: {{ ?s ?p ?o }} }}",
        f"BASE <{listener.url}> SELECT * {{ SERVICE <> {{ ?s ?p ?o }} }}",
    ):
        with pytest.raises(QueryFailed, match="SERVICE must name its endpoint as a full IRI"):
            execute(pyoxigraph.Store(), QueryJob(sneaky, allowed_services=(oxigraph,)))
    listener.close()
    assert listener.connections == 0


def test_service_endpoints_are_read_past_comments_and_strings() -> None:
    text = 'SELECT * { # SERVICE <http://c/>\n BIND("SERVICE <http://s/>" AS ?x) SERVICE  silent <http://a/> {} }'
    assert service_endpoints(text) == ["http://a/"]
    check_query("SELECT * { ?s ?p ?o }")  # one argument still works
    with pytest.raises(Refused):
        check_query("SELECT * { SERVICE <http://a/> {} }")
    check_query("SELECT * { SERVICE <http://a/> {} }", ["http://a/"])


def test_settings_read_the_allow_list(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("VSKG_SERVICE_ALLOW", raising=False)
    assert Settings.from_env(tmp_path).service_allow == ()
    monkeypatch.setenv("VSKG_SERVICE_ALLOW", " http://a/sparql  https://b/query ")
    assert Settings.from_env(tmp_path).service_allow == ("http://a/sparql", "https://b/query")


def engine_run(path: Path, job: QueryJob, *, allowed: tuple[str, ...], timeout: float):
    """Run one job as the service does: a QueryEngine over the managed Oxigraph engine on the store folder."""
    process = EngineProcess(path, timeout=timeout, network=bool(allowed))  # SERVICE endpoints need the network
    process.start()

    async def go():
        engine = QueryEngine(process.store, workers=1, timeout=timeout, allowed_services=allowed, engine=process)
        await engine.start()
        try:
            return await engine.run(job), engine.timeouts
        finally:
            await engine.close()

    try:
        return asyncio.run(go())
    finally:
        process.close()


@pytest.fixture
def empty_store(tmp_path: Path) -> Path:
    LocalStore(tmp_path / "store").close()
    return tmp_path / "store"


def test_engine_applies_the_allow_list_to_every_query(oxigraph: str, empty_store: Path) -> None:
    job = QueryJob(service_query(oxigraph), accept="application/sparql-results+json")
    answer, _ = engine_run(empty_store, job, allowed=(oxigraph,), timeout=10)
    assert labels(answer.body) == ["Billing", "Customer relationship management", "Enterprise resource planning"]


def test_a_service_call_is_bounded_by_the_query_timeout(empty_store: Path) -> None:
    silent = Listener(hold=True)
    try:
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            engine_run(empty_store, QueryJob(service_query(silent.url)), allowed=(silent.url,), timeout=1.5)
        assert time.monotonic() - started < 15
    finally:
        silent.close()
    assert silent.connections == 1
