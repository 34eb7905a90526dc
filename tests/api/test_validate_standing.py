"""GET /validate without a graph: the store's standing report, kept current after writes, as JSON or SHACL Turtle,
and as a named graph SPARQL can query; the pages' findings come from it at once, whatever the checker is doing."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import pyoxigraph
import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html
from pyoxigraph import NamedNode

from vskg.graphs import REPORT_GRAPH
from vskg.rdfio import parse_file
from vskg.resources import locate
from vskg.service.app import create_app
from vskg.service.settings import Settings
from vskg.store import LocalStore
from vskg.validate import validate_quads
from vskg.validation.findings import Finding

SH = "http://www.w3.org/ns/shacl#"
VSKG = "https://w3id.org/vskg/ontology#"
BANK = "https://w3id.org/vskg/data/banking/"
SHAPES = "https://w3id.org/vskg/shapes#"
STAGE = BANK + "explore-mortgage-options"
MORTGAGE_GRAPH = "https://w3id.org/vskg/graph/data/banking-mortgage-lending"
NO_ORDER = f"DELETE DATA {{ GRAPH <{MORTGAGE_GRAPH}> {{ <{STAGE}> <{VSKG}stageOrder> 1 }} }}"
UPDATE = {"Authorization": "Bearer t", "Content-Type": "application/sparql-update"}
HTML = {"Accept": "text/html"}
TURTLE = {"Accept": "text/turtle"}
BOUND = 300.0  # seconds a poll may take before the test gives up (a full pyshacl run takes a few)


def until(condition: Callable[[], object]) -> None:
    deadline = time.monotonic() + BOUND
    while not condition():
        assert time.monotonic() < deadline, "the standing report did not get there"
        time.sleep(0.2)


def bundled_data() -> list[pyoxigraph.Quad]:
    return [quad for path in locate().data for quad in parse_file(path)]


def rows(findings: list[Finding]) -> list[dict]:
    return [asdict(f) for f in findings]


@contextmanager
def service(template: Path, folder: Path, checker=None) -> Iterator[TestClient]:
    shutil.copytree(template, folder)
    app = create_app(Settings(store=folder, write_token="t", allowed_hosts=("testserver",)))
    if checker is not None:
        app.state.checker = checker  # the seam: a stand-in instead of the pyshacl child process
    with TestClient(app) as client:
        yield client


def report_of(client: TestClient) -> dict:
    until(lambda: client.get("/validate").status_code == 200)
    return client.get("/validate").json()


def sparql(client: TestClient, query: str) -> list[dict]:
    answer = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]["bindings"]


def test_the_report_of_the_store_is_at_hand_as_json_and_turtle(bundled_store_template: Path, tmp_path: Path) -> None:
    reference = validate_quads(bundled_data())
    with service(bundled_store_template, tmp_path / "store") as client:
        body = report_of(client)
        assert body == {
            "conforms": True,
            "counts": {"Violation": 0, "Warning": 0, "Info": 12},
            "results": rows(reference.findings),
            "as_of": 0,
            "latest": 0,
            "current": True,
            "state": "current",
        }
        answer = client.get("/validate")
        assert answer.headers["VSKG-Report-As-Of"] == "0"
        assert answer.headers["content-type"] == "application/json"

        turtle = client.get("/validate", headers=TURTLE)
        assert turtle.status_code == 200 and turtle.headers["content-type"] == "text/turtle; charset=utf-8"
        assert turtle.headers["VSKG-Report-As-Of"] == "0"
        graph = pyoxigraph.Store()
        graph.load(turtle.content, format=pyoxigraph.RdfFormat.TURTLE)
        focus = graph.query(f"SELECT ?f WHERE {{ ?r a <{SH}ValidationResult> ; <{SH}focusNode> ?f }}")
        assert sorted(row["f"].value for row in focus) == sorted(f.focus_node for f in reference.findings)
        assert graph.query(f"ASK {{ ?r a <{SH}ValidationReport> ; <{SH}conforms> true }}")

        # Publishing the report wrote its graph without counting as a write: the caches' write count is still 0.
        assert client.app.state.memo.generation == 0
        assert client.get("/validate", headers={"Accept": "application/xml"}).status_code == 406


def test_after_a_write_that_breaks_a_shape_the_report_catches_up(bundled_store_template: Path, tmp_path: Path) -> None:
    data = bundled_data()
    removed = pyoxigraph.Triple(NamedNode(STAGE), NamedNode(VSKG + "stageOrder"), pyoxigraph.Literal(1))
    expected = validate_quads([q for q in data if q.triple != removed])
    added = sorted(set(expected.findings) - set(validate_quads(data).findings))
    assert [(f.severity, f.focus_node, f.source_shape) for f in added] == [
        ("Violation", STAGE, SHAPES + "StageOrderShape"),
        ("Violation", BANK + "mortgage-lending", SHAPES + "StageOrderStartsAtOneShape"),
    ]
    with service(bundled_store_template, tmp_path / "store") as client:
        report_of(client)
        assert client.post("/update", content=NO_ORDER, headers=UPDATE).status_code == 204
        until(lambda: client.get("/validate").json()["current"])
        body = client.get("/validate").json()
        written = client.app.state.memo.generation
        assert written == 1
        assert (body["as_of"], body["latest"], body["conforms"], body["state"]) == (written, written, False, "current")
        assert body["results"] == rows(expected.findings)
        assert body["counts"] == {"Violation": 2, "Warning": 0, "Info": 12}
        assert client.get("/validate").headers["VSKG-Report-As-Of"] == "1"

        # The report graph holds it, for SPARQL.
        found = sparql(
            client,
            f"PREFIX sh: <{SH}> SELECT ?f ?shape WHERE {{ GRAPH <{REPORT_GRAPH}> {{ "
            "?r sh:focusNode ?f ; sh:resultSeverity sh:Violation ; sh:sourceShape ?shape } } ORDER BY ?f",
        )
        assert [(row["f"]["value"], row["shape"]["value"]) for row in found] == [
            (STAGE, SHAPES + "StageOrderShape"),
            (BANK + "mortgage-lending", SHAPES + "StageOrderStartsAtOneShape"),
        ]
        assert client.app.state.memo.generation == 1  # writing the report graph moved nothing

        # The stream page shows the new finding, not marked as checking.
        doc = lxml_html.fromstring(client.get("/streams/banking/mortgage-lending", headers=HTML).text)
        (section,) = doc.xpath("//section[@id='validation']")
        assert (section.get("data-state"), section.get("data-checking"), section.get("data-as-of")) == (
            "ready",
            "false",
            "1",
        )
        violations = [tr.get("data-focus") for tr in section.xpath(".//tr[@data-severity='Violation']")]
        assert violations == [STAGE, BANK + "mortgage-lending"]


def test_the_report_graph_is_never_validated(bundled_store_template: Path, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    shutil.copytree(bundled_store_template, tmp_path / "template")
    planted = "https://example.org/planted-stage"
    store = LocalStore(tmp_path / "template")
    store.update(f"INSERT DATA {{ GRAPH <{REPORT_GRAPH}> {{ <{planted}> a <{VSKG}ValueStreamStage> }} }}")
    store.close()
    with service(tmp_path / "template", folder) as client:
        body = report_of(client)
        # A stage with nothing else would be several violations, were the report graph part of the data.
        assert body["results"] == rows(validate_quads(bundled_data()).findings)
        assert body["conforms"] is True
        # Publishing replaced the graph: what was planted there is gone, and the write count did not move.
        answer = client.get(
            "/sparql",
            params={"query": f"ASK {{ GRAPH <{REPORT_GRAPH}> {{ <{planted}> ?p ?o }} }}"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert answer.json()["boolean"] is False
        assert client.app.state.memo.generation == 0


# --- stand-in checkers: the pages and GET /validate never wait -------------------------------------------------------

STREAM_FINDING = Finding("Warning", BANK + "mortgage-lending", "urn:test:shape", "first report")
SYSTEM = BANK + "digital-banking-channels"
SYSTEM_FINDING = Finding("Violation", SYSTEM, "urn:test:shape", "about the system")


class Blocking:
    """The first report at once; every later step waits until the test opens the gate (or the service closes)."""

    def __init__(self, first_blocks: bool = False) -> None:
        self.gate = threading.Event()
        self.first_blocks = first_blocks

    def full(self, store) -> list[Finding]:
        if self.first_blocks:
            self.gate.wait(BOUND)
        return [STREAM_FINDING]

    def after(self, store, change, previous: list[Finding]) -> list[Finding]:
        self.gate.wait(BOUND)
        return [*previous, SYSTEM_FINDING]

    def close(self) -> None:
        self.gate.set()


def validation_section(client: TestClient, path: str):
    answer = client.get(path, headers=HTML)
    assert answer.status_code == 200
    (section,) = lxml_html.fromstring(answer.text).xpath("//section[@id='validation']")
    return section


def test_pages_answer_at_once_with_the_last_report_while_a_newer_one_is_computed(
    bundled_store_template: Path, tmp_path: Path
) -> None:
    checker = Blocking()
    with service(bundled_store_template, tmp_path / "store", checker) as client:
        report_of(client)
        assert client.post("/update", content=NO_ORDER, headers=UPDATE).status_code == 204
        # The step for write 1 is blocked: every page and GET /validate answer with the report of write 0.
        section = validation_section(client, "/streams/banking/mortgage-lending")
        assert (section.get("data-state"), section.get("data-checking"), section.get("data-as-of")) == (
            "ready",
            "true",
            "0",
        )
        (mark,) = section.xpath(".//p[@id='validation-checking']")
        assert " ".join(mark.text_content().split()).startswith("Checking the latest change… What follows is")
        assert [tr.get("data-focus") for tr in section.xpath(".//tr[@class='finding']")] == [BANK + "mortgage-lending"]
        system = validation_section(client, "/systems/banking/digital-banking-channels")
        assert (system.get("data-checking"), system.xpath(".//tr[@class='finding']")) == ("true", [])
        assert system.xpath(".//p[@id='validation-checking']")
        body = client.get("/validate").json()
        assert (body["as_of"], body["latest"], body["current"], body["state"]) == (0, 1, False, "checking")

        checker.gate.set()
        until(lambda: client.get("/validate").json()["current"])
        system = validation_section(client, "/systems/banking/digital-banking-channels")
        assert (system.get("data-checking"), system.get("data-as-of")) == ("false", "1")
        assert [tr.get("data-focus") for tr in system.xpath(".//tr[@class='finding']")] == [SYSTEM]
        assert not system.xpath(".//p[@id='validation-checking']")
        capability = validation_section(client, "/capabilities/banking/mortgage-advice")
        assert (capability.get("data-state"), capability.xpath(".//tr[@class='finding']")) == ("ready", [])


def test_before_the_first_report_get_validate_is_503_with_retry_after(
    bundled_store_template: Path, tmp_path: Path
) -> None:
    checker = Blocking(first_blocks=True)
    with service(bundled_store_template, tmp_path / "store", checker) as client:
        for headers in ({}, TURTLE):
            answer = client.get("/validate", headers=headers)
            assert (answer.status_code, answer.headers["Retry-After"]) == (503, "5")
            assert (
                answer.json()["error"]["message"] == "the store's first validation is still running; try again shortly"
            )
        section = validation_section(client, "/streams/banking/mortgage-lending")
        assert (section.get("data-state"), section.get("data-checking")) == ("running", "true")
        assert section.xpath(".//p[@id='validation-running']")
        checker.gate.set()
        assert report_of(client)["results"] == rows([STREAM_FINDING])


class Raising:
    def __init__(self, first_fails: bool) -> None:
        self.first_fails = first_fails

    def full(self, store) -> list[Finding]:
        if self.first_fails:
            raise RuntimeError("the engine broke")
        return [STREAM_FINDING]

    def after(self, store, change, previous: list[Finding]) -> list[Finding]:
        raise RuntimeError("the step broke")


@pytest.mark.parametrize("first_fails", [True, False])
def test_a_checker_that_raises_is_a_failed_state_and_the_service_goes_on(
    bundled_store_template: Path, tmp_path: Path, first_fails: bool
) -> None:
    with service(bundled_store_template, tmp_path / "store", Raising(first_fails)) as client:
        if first_fails:
            until(lambda: "failed" in client.get("/validate").text)
            answer = client.get("/validate")
            assert answer.status_code == 503
            assert answer.json()["error"]["message"] == "the validation of the store failed: the engine broke"
            reason = "the engine broke"
        else:
            report_of(client)
            assert client.post("/update", content=NO_ORDER, headers=UPDATE).status_code == 204
            until(lambda: client.get("/validate").json()["state"] == "failed")
            body = client.get("/validate").json()
            assert (body["as_of"], body["latest"], body["current"], body["error"]) == (0, 1, False, "the step broke")
            assert body["results"] == rows([STREAM_FINDING])
            reason = "the step broke"
        section = validation_section(client, "/streams/banking/mortgage-lending")
        assert section.get("data-state") == "failed"
        (error,) = section.xpath(".//p[@id='validation-failed']")
        assert error.text_content() == f"The validation could not run: {reason}"
        kept = [tr.get("data-focus") for tr in section.xpath(".//tr[@class='finding']")]
        assert kept == ([] if first_fails else [BANK + "mortgage-lending"])
        assert client.get("/api/streams").status_code == 200  # the service keeps answering
