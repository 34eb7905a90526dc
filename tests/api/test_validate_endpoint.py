"""POST /validate and GET /validate?graph=, over real HTTP against `vskg serve`.

The findings must be exactly those tests/test_shapes.py expects for the same fixture, so the service and the
library can never disagree about a model.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from tests.conftest import FIXTURES
from tests.server import LiveServer
from tests.test_shapes import EX, EXPECTED, VSKGSH

MINIMAL = FIXTURES / "valid" / "minimal.ttl"
DUPLICATE = FIXTURES / "invalid" / "stage-order-duplicate.ttl"
BUNDLED_EXAMPLE = "https://w3id.org/vskg/graph/data/banking-mortgage-lending"


def short(iri: str, namespace: str) -> str:
    assert iri.startswith(namespace), iri
    return iri[len(namespace) :]


def findings(body: dict) -> set[tuple[str, str, str]]:
    return {(r["severity"], short(r["source_shape"], VSKGSH), short(r["focus_node"], EX)) for r in body["results"]}


def error_message(response: httpx.Response) -> str:
    assert response.headers["content-type"] == "application/json", response.headers
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == response.status_code, body
    return body["error"]["message"]


@pytest.fixture(scope="module")
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=120) as client:
        yield client


def post_turtle(http: httpx.Client, text: bytes, **headers: str) -> httpx.Response:
    return http.post("/validate", content=text, headers={"Content-Type": "text/turtle", **headers})


# --- uploaded documents -----------------------------------------------------------------------------------


def test_minimal_model_conforms(http: httpx.Client) -> None:
    answer = post_turtle(http, MINIMAL.read_bytes())
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["vary"] == "Accept"
    assert answer.json() == {"conforms": True, "counts": {"Violation": 0, "Warning": 0, "Info": 0}, "results": []}


def test_duplicate_stage_order_gives_exactly_the_expected_findings(http: httpx.Client) -> None:
    answer = post_turtle(http, DUPLICATE.read_bytes())
    assert answer.status_code == 200
    body = answer.json()
    assert body["conforms"] is False
    assert findings(body) == EXPECTED["stage-order-duplicate"]
    assert body["counts"] == {"Violation": len(EXPECTED["stage-order-duplicate"]), "Warning": 0, "Info": 0}
    assert all(r["message"].strip() and r["constraint"] for r in body["results"])


def test_turtle_report_by_negotiation(http: httpx.Client) -> None:
    answer = post_turtle(http, DUPLICATE.read_bytes(), Accept="text/turtle")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/turtle; charset=utf-8"
    report = rdflib.Graph().parse(data=answer.content, format="turtle")
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms).toPython() is False
    actual = {
        (
            str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[1],
            short(str(report.value(r, SH.sourceShape)), VSKGSH),
            short(str(report.value(r, SH.focusNode)), EX),
        )
        for r in report.objects(node, SH.result)
    }
    assert actual == EXPECTED["stage-order-duplicate"]


@pytest.mark.parametrize(("accept", "expected"), [("*/*", "application/json"), ("text/*", "text/turtle")])
def test_report_media_type_follows_accept(http: httpx.Client, accept: str, expected: str) -> None:
    answer = post_turtle(http, MINIMAL.read_bytes(), Accept=accept)
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == expected


def test_unacceptable_report_type_is_406_before_validating(http: httpx.Client) -> None:
    answer = post_turtle(http, MINIMAL.read_bytes(), Accept="application/rdf+xml")
    assert answer.status_code == 406
    assert error_message(answer) == "the validation report is available as application/json, text/turtle"


@pytest.mark.parametrize(("fmt", "media_type"), [("nt", "application/n-triples"), ("xml", "application/rdf+xml")])
def test_other_syntaxes_validate_the_same(http: httpx.Client, fmt: str, media_type: str) -> None:
    document = rdflib.Graph().parse(DUPLICATE).serialize(format=fmt).encode("utf-8")
    answer = http.post("/validate", content=document, headers={"Content-Type": media_type})
    assert answer.status_code == 200
    assert findings(answer.json()) == EXPECTED["stage-order-duplicate"]


def test_multipart_upload_validates_all_files_as_one_model(http: httpx.Client) -> None:
    files = [("model", ("stage-order-duplicate.ttl", DUPLICATE.read_bytes(), "application/octet-stream"))]
    answer = http.post("/validate", files=files)
    assert answer.status_code == 200
    assert findings(answer.json()) == EXPECTED["stage-order-duplicate"]


def test_malformed_document_is_400_with_the_line(http: httpx.Client) -> None:
    broken = MINIMAL.read_bytes().replace(b"ex:lender a vskg:Organisation ;", b"ex:lender a vskg:Organisation ;;;<", 1)
    line = broken[: broken.index(b";;;<")].count(b"\n") + 1
    answer = post_turtle(http, broken)
    assert answer.status_code == 400
    assert error_message(answer).startswith(f"request body, line {line}: ")


def test_rdf_xml_with_doctype_is_refused(http: httpx.Client) -> None:
    document = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY x "y">]>\n'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
    )
    answer = http.post("/validate", content=document, headers={"Content-Type": "application/rdf+xml"})
    assert answer.status_code == 400
    assert "DOCTYPE is refused" in error_message(answer)


def test_unsupported_media_type_is_415(http: httpx.Client) -> None:
    answer = http.post("/validate", content=b"<html/>", headers={"Content-Type": "text/html"})
    assert answer.status_code == 415
    assert error_message(answer).startswith("cannot read a body of type 'text/html'")


def test_nothing_to_validate_is_400(http: httpx.Client) -> None:
    assert error_message(http.post("/validate")).startswith("send an RDF document to validate")
    # GET /validate without a graph is the store's own report (tests/api/test_validate_standing.py).


# --- graphs in the store ----------------------------------------------------------------------------------


def test_stored_graph_is_validated_by_get_and_post(live_server: LiveServer, http: httpx.Client) -> None:
    graph = f"urn:vskg:test:validate:{uuid.uuid4().hex}"
    stored = http.put(
        "/store",
        params={"graph": graph},
        content=DUPLICATE.read_bytes(),
        headers={"Content-Type": "text/turtle", **live_server.auth()},
    )
    assert stored.status_code == 201
    for answer in (http.get("/validate", params={"graph": graph}), http.post("/validate", params={"graph": graph})):
        assert answer.status_code == 200
        assert answer.json()["conforms"] is False
        assert findings(answer.json()) == EXPECTED["stage-order-duplicate"]


def test_bundled_example_conforms(http: httpx.Client) -> None:
    answer = http.get("/validate", params={"graph": BUNDLED_EXAMPLE})
    assert answer.status_code == 200
    body = answer.json()
    assert body["conforms"] is True
    assert body["counts"]["Violation"] == 0


def test_stored_graph_errors(http: httpx.Client) -> None:
    missing = http.get("/validate", params={"graph": "urn:vskg:test:validate:absent"})
    assert missing.status_code == 404
    assert error_message(missing) == "the store holds no graph <urn:vskg:test:validate:absent>"
    relative = http.get("/validate", params={"graph": "not an iri"})
    assert relative.status_code == 400
    assert "absolute IRI" in error_message(relative)
    ambiguous = http.post(
        "/validate",
        params={"graph": BUNDLED_EXAMPLE},
        content=MINIMAL.read_bytes(),
        headers={"Content-Type": "text/turtle"},
    )
    assert ambiguous.status_code == 400
    assert error_message(ambiguous) == "send either a document or '?graph=<IRI>', not both"


# --- the server stays responsive --------------------------------------------------------------------------


def test_health_answers_while_validations_run(http: httpx.Client) -> None:
    document = DUPLICATE.read_bytes()
    answers: list[int] = []

    def validate() -> None:
        with httpx.Client(base_url=str(http.base_url), timeout=120) as own:
            answers.append(post_turtle(own, document).status_code)

    threads = [threading.Thread(target=validate) for _ in range(4)]
    for thread in threads:
        thread.start()
    latencies = []
    while any(t.is_alive() for t in threads):
        started = time.monotonic()
        assert http.get("/health").status_code == 200
        latencies.append(time.monotonic() - started)
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    assert answers == [200] * 4
    assert latencies and max(latencies) < 1.0


# --- documentation ----------------------------------------------------------------------------------------


def test_openapi_documents_validate(http: httpx.Client) -> None:
    paths = http.get("/openapi.json").json()["paths"]
    post, get = paths["/validate"]["post"], paths["/validate"]["get"]
    assert {"200", "400", "404", "406", "413", "415"} <= set(post["responses"])
    assert {"200", "400", "404", "406"} <= set(get["responses"])
    assert set(post["responses"]["200"]["content"]) == {"application/json", "text/turtle"}
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert post["summary"] and post["description"] and get["summary"] and get["description"]
