"""The SPARQL 1.1 Graph Store HTTP Protocol at /store, over real HTTP against `vskg serve`.

Every test that writes uses graph IRIs of its own (under urn:vskg:test:gsp: or /store/test-gsp/), so the tests
do not depend on each other's order. Limits and the read-only mode need a differently configured server: those
tests run the application in-process with Starlette's TestClient over a small throw-away store.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

from tests.server import LiveServer
from vskg.service.app import create_app
from vskg.service.settings import Settings
from vskg.store import LocalStore

TURTLE = """@prefix ex: <http://example.org/vskg-test#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:stage ex:label "Credit decision"@en ;
    ex:order "2"^^xsd:integer ;
    ex:waitTime 3.5 ;
    ex:note "a \\"quoted\\" word and an accent: organisation é" ;
    ex:handoff [ ex:to ex:payout ; ex:queue 4 ] .
"""
MORE = '<http://example.org/vskg-test#payout> <http://example.org/vskg-test#order> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'  # noqa: E501
BROKEN = b"@prefix ex: <http://e.org/> .\nex:a ex:b ex:c .\nex:d ex:e \n"
RDFLIB = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml"}
RDFLIB["application/ld+json"] = "json-ld"
ALL_METHODS = "GET, HEAD, PUT, POST, DELETE"


def graph_iri() -> str:
    return f"urn:vskg:test:gsp:{uuid.uuid4().hex}"


def parsed(text: bytes | str, fmt: str = "turtle") -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format=fmt)


def media(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip()


def error_message(response: httpx.Response) -> str:
    assert media(response) == "application/json", response.headers
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == response.status_code, body
    assert "Traceback" not in body["error"]["message"]
    return body["error"]["message"]


@pytest.fixture(scope="module")
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def auth(live_server: LiveServer) -> dict[str, str]:
    return live_server.auth()


def put(http: httpx.Client, auth: dict, graph: str, body: bytes | str, kind: str = "text/turtle") -> httpx.Response:
    return http.put("/store", params={"graph": graph}, content=body, headers={"Content-Type": kind, **auth})


def get_nt(http: httpx.Client, graph: str | None) -> httpx.Response:
    params = {"default": ""} if graph is None else {"graph": graph}
    return http.get("/store", params=params, headers={"Accept": "application/n-triples"})


# --- PUT, GET, HEAD ---------------------------------------------------------------------------------------


def test_put_creates_then_replaces(http: httpx.Client, auth: dict) -> None:
    graph = graph_iri()
    created = put(http, auth, graph, TURTLE)
    assert (created.status_code, created.content) == (201, b"")
    replaced = put(http, auth, graph, MORE, "application/n-triples")
    assert (replaced.status_code, replaced.content) == (204, b"")
    assert isomorphic(parsed(get_nt(http, graph).content, "nt"), parsed(MORE, "nt"))


def test_turtle_round_trips_through_n_triples(http: httpx.Client, auth: dict) -> None:
    graph = graph_iri()
    assert put(http, auth, graph, TURTLE.encode("utf-8")).status_code == 201
    answer = get_nt(http, graph)
    assert answer.status_code == 200
    assert media(answer) == "application/n-triples"
    assert answer.headers["vary"] == "Accept"
    assert isomorphic(parsed(answer.content, "nt"), parsed(TURTLE))
    assert len(parsed(answer.content, "nt")) == 7


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("text/plain", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("application/json", "application/ld+json"),
        ("text/html, application/rdf+xml;q=0.5, text/turtle;q=0.4", "application/rdf+xml"),
    ],
)
def test_get_negotiates_the_syntax(http: httpx.Client, auth: dict, accept: str | None, expected: str) -> None:
    graph = graph_iri()
    assert put(http, auth, graph, TURTLE).status_code == 201
    headers = {"Accept": accept} if accept else {}
    request = http.build_request("GET", "/store", params={"graph": graph}, headers=headers)
    if accept is None:
        del request.headers["accept"]
    answer = http.send(request)
    assert answer.status_code == 200
    assert media(answer) == expected
    assert isomorphic(parsed(answer.content, RDFLIB[expected]), parsed(TURTLE))


def test_get_with_nothing_acceptable_is_406(http: httpx.Client, auth: dict) -> None:
    graph = graph_iri()
    assert put(http, auth, graph, TURTLE).status_code == 201
    answer = http.get("/store", params={"graph": graph}, headers={"Accept": "image/png, text/html"})
    assert answer.status_code == 406
    assert "text/turtle" in error_message(answer)


def test_missing_graph_is_404_on_get_head_and_delete(http: httpx.Client, auth: dict) -> None:
    graph = graph_iri()
    answer = http.get("/store", params={"graph": graph})
    assert answer.status_code == 404
    assert error_message(answer) == f"the store holds no graph <{graph}>"
    head = http.head("/store", params={"graph": graph})
    assert (head.status_code, head.content) == (404, b"")
    assert http.delete("/store", params={"graph": graph}, headers=auth).status_code == 404


def test_head_sends_the_headers_of_get_without_a_body(http: httpx.Client, auth: dict) -> None:
    graph = graph_iri()
    assert put(http, auth, graph, TURTLE).status_code == 201
    full = http.get("/store", params={"graph": graph})
    head = http.head("/store", params={"graph": graph})
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == full.headers["content-type"] == "text/turtle; charset=utf-8"
    assert head.headers["content-length"] == str(len(full.content))


def test_default_graph_always_exists(http: httpx.Client, auth: dict) -> None:
    before = get_nt(http, None)
    assert before.status_code == 200
    assert http.head("/store", params={"default": ""}).status_code == 200
    empty_post = http.post(
        "/store", params={"default": ""}, content=b"", headers={"Content-Type": "text/turtle", **auth}
    )
    assert empty_post.status_code == 204
    assert get_nt(http, None).content == before.content


def test_empty_put_makes_an_empty_graph(http: httpx.Client, auth: dict) -> None:
    graph = graph_iri()
    answer = http.put("/store", params={"graph": graph}, content=b"", headers=auth)
    assert answer.status_code == 201
    read = get_nt(http, graph)
    assert (read.status_code, read.content) == (200, b"")
    assert put(http, auth, graph, TURTLE).status_code == 204
    assert put(http, auth, graph, b"").status_code == 204
    assert get_nt(http, graph).content == b""


# --- bad bodies change nothing ----------------------------------------------------------------------------


def test_malformed_turtle_leaves_the_graph_byte_for_byte_unchanged(http: httpx.Client, auth: dict) -> None:
    graph = graph_iri()
    assert put(http, auth, graph, TURTLE).status_code == 201
    before = http.get("/store", params={"graph": graph}).content
    for method in ("PUT", "POST"):
        answer = http.request(
            method, "/store", params={"graph": graph}, content=BROKEN, headers={"Content-Type": "text/turtle", **auth}
        )
        assert answer.status_code == 400
        assert error_message(answer).startswith("request body, line 3: ")
        assert http.get("/store", params={"graph": graph}).content == before


def test_malformed_body_does_not_create_a_graph(http: httpx.Client, auth: dict) -> None:
    graph = graph_iri()
    assert put(http, auth, graph, BROKEN).status_code == 400
    assert http.head("/store", params={"graph": graph}).status_code == 404


@pytest.mark.parametrize(
    ("content_type", "fragment"),
    [
        ("text/html", "cannot read a body of type 'text/html'"),
        ("application/sparql-update", "cannot read a body of type 'application/sparql-update'"),
        ("multipart/form-data; boundary=x", "cannot read a body of type 'multipart/form-data'"),
        ("text/turtle; charset=iso-8859-1", "charset=iso-8859-1 is not supported"),
    ],
)
def test_unsupported_media_type_is_415(http: httpx.Client, auth: dict, content_type: str, fragment: str) -> None:
    graph = graph_iri()
    answer = put(http, auth, graph, TURTLE, content_type)
    assert answer.status_code == 415
    assert fragment in error_message(answer)
    assert http.head("/store", params={"graph": graph}).status_code == 404


def test_rdf_xml_with_a_doctype_is_refused(http: httpx.Client, auth: dict) -> None:
    graph = graph_iri()
    document = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY x "expanded">]>\n'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:ex:">'
        b'<rdf:Description rdf:about="urn:ex:a"><ex:p>&x;</ex:p></rdf:Description></rdf:RDF>\n'
    )
    answer = put(http, auth, graph, document, "application/rdf+xml")
    assert answer.status_code == 400
    assert "DOCTYPE is refused" in error_message(answer)
    assert http.head("/store", params={"graph": graph}).status_code == 404


def test_body_without_content_type_is_read_as_rdf_xml(http: httpx.Client, auth: dict) -> None:
    graph = graph_iri()
    rdfxml = parsed(TURTLE).serialize(format="xml").encode("utf-8")
    assert http.put("/store", params={"graph": graph}, content=rdfxml, headers=auth).status_code == 201
    assert isomorphic(parsed(get_nt(http, graph).content, "nt"), parsed(TURTLE))
    wrong = http.put("/store", params={"graph": graph}, content=TURTLE.encode(), headers=auth)
    assert wrong.status_code == 400
    assert "no Content-Type was given, so the body was read as RDF/XML" in error_message(wrong)


# --- POST -------------------------------------------------------------------------------------------------


def test_post_merges_into_a_graph(http: httpx.Client, auth: dict) -> None:
    graph = graph_iri()
    headers = {"Content-Type": "text/turtle", **auth}
    assert http.post("/store", params={"graph": graph}, content=TURTLE, headers=headers).status_code == 201
    more = http.post("/store", params={"graph": graph}, content=MORE, headers=headers)
    assert (more.status_code, more.content) == (204, b"")
    assert isomorphic(parsed(get_nt(http, graph).content, "nt"), parsed(TURTLE) + parsed(MORE, "nt"))


def test_post_multipart_merges_every_file_part(http: httpx.Client, auth: dict) -> None:
    graph = graph_iri()
    assert put(http, auth, graph, TURTLE).status_code == 201
    files = [
        ("first", ("extra.nt", MORE.encode(), "application/octet-stream")),  # read by its file name
        ("second", ("anything", b"<urn:x> <urn:y> <urn:z> .", "text/turtle")),  # read by its type
    ]
    answer = http.post("/store", params={"graph": graph}, files=files, data={"note": "ignored"}, headers=auth)
    assert answer.status_code == 204
    expected = parsed(TURTLE) + parsed(MORE, "nt") + parsed("<urn:x> <urn:y> <urn:z> .", "nt")
    assert isomorphic(parsed(get_nt(http, graph).content, "nt"), expected)


def test_post_multipart_with_an_unknown_part_changes_nothing(http: httpx.Client, auth: dict) -> None:
    graph = graph_iri()
    files = [("a", ("ok.ttl", TURTLE.encode(), "text/turtle")), ("b", ("notes.docx", b"x", "application/msword"))]
    answer = http.post("/store", params={"graph": graph}, files=files, headers=auth)
    assert answer.status_code == 415
    assert error_message(answer).startswith("part notes.docx: cannot tell its RDF syntax")
    assert http.head("/store", params={"graph": graph}).status_code == 404
    bad = [("a", ("bad.ttl", BROKEN, "text/turtle"))]
    answer = http.post("/store", params={"graph": graph}, files=bad, headers=auth)
    assert answer.status_code == 400
    assert error_message(answer).startswith("part bad.ttl, line 3: ")
    fields_only = b'--sep\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue\r\n--sep--\r\n'
    headers = {"Content-Type": "multipart/form-data; boundary=sep", **auth}
    answer = http.post("/store", params={"graph": graph}, content=fields_only, headers=headers)
    assert answer.status_code == 400
    assert error_message(answer) == "the multipart upload holds no file part"
    assert http.head("/store", params={"graph": graph}).status_code == 404


def test_post_to_the_store_creates_a_new_graph(live_server: LiveServer, http: httpx.Client, auth: dict) -> None:
    answer = http.post("/store", content=TURTLE, headers={"Content-Type": "text/turtle", **auth})
    assert (answer.status_code, answer.content) == (201, b"")
    location = f"{live_server.url}{answer.headers['location']}"  # relative: no base URL is configured
    assert answer.headers["location"].startswith("/store/")
    uuid.UUID(location.rsplit("/", 1)[1])
    direct = http.get(location, headers={"Accept": "application/n-triples"})
    assert direct.status_code == 200
    assert isomorphic(parsed(direct.content, "nt"), parsed(TURTLE))
    assert isomorphic(parsed(get_nt(http, location).content, "nt"), parsed(TURTLE))
    again = http.post("/store", content=TURTLE, headers={"Content-Type": "text/turtle", **auth})
    assert again.headers["location"] != location
    assert http.delete(location, headers=auth).status_code == 204


# --- direct identification, DELETE, addressing errors -----------------------------------------------------


def test_direct_identification_uses_the_request_url(live_server: LiveServer, http: httpx.Client, auth: dict) -> None:
    path = f"/store/test-gsp/{uuid.uuid4().hex}/person/1.ttl"
    iri = live_server.url + path
    created = http.put(path, content=TURTLE, headers={"Content-Type": "text/turtle", **auth})
    assert created.status_code == 201
    assert isomorphic(parsed(get_nt(http, iri).content, "nt"), parsed(TURTLE))
    assert http.head(path).status_code == 200
    assert http.post(path, content=MORE, headers={"Content-Type": "application/n-triples", **auth}).status_code == 204
    assert len(parsed(http.get(path).content)) == 8
    assert http.delete(path, headers=auth).status_code == 204
    assert http.get(path).status_code == 404
    assert http.delete(path, headers=auth).status_code == 404


def test_percent_encoded_iris_are_decoded_once(http: httpx.Client, auth: dict) -> None:
    base = f"http://example.org/{uuid.uuid4().hex}/person/"
    assert put(http, auth, base + "%31.ttl", "<urn:a> <urn:b> 1 .").status_code == 201
    assert put(http, auth, base + "1.ttl", "<urn:a> <urn:b> 2 .").status_code == 201
    assert b"1" in http.get("/store", params={"graph": base + "%31.ttl"}).content
    assert b"2" in http.get("/store", params={"graph": base + "1.ttl"}).content


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("graph=urn:a&default", "not both"),
        ("graph=urn:a&graph=urn:b", "once"),
        ("graph=person/1.ttl", "must be named by an absolute IRI"),
        ("graph=", "must be named by an absolute IRI"),
        ("graph=urn:vskg:staging:x", "reserved"),
        ("", "name a graph"),
    ],
)
def test_graph_must_be_named_exactly_once(http: httpx.Client, auth: dict, query: str, fragment: str) -> None:
    for method in ("GET", "PUT", "DELETE"):
        answer = http.request(method, f"/store?{query}", headers={"Content-Type": "text/turtle", **auth})
        assert answer.status_code == 400, (method, query)
        assert fragment in error_message(answer)


def test_direct_url_takes_no_graph_parameter(http: httpx.Client) -> None:
    answer = http.get("/store/test-gsp/x", params={"graph": "urn:a"})
    assert answer.status_code == 400
    assert "takes no 'graph' or 'default' parameter" in error_message(answer)


@pytest.mark.parametrize("path", ["/store", "/store/test-gsp/anything"])
def test_other_methods_are_405_with_allow(http: httpx.Client, auth: dict, path: str) -> None:
    for method in ("PATCH", "OPTIONS"):
        answer = http.request(method, path, params={"graph": "urn:a"} if path == "/store" else None, headers=auth)
        assert answer.status_code == 405
        assert answer.headers["allow"] == ALL_METHODS
        error_message(answer)


# --- write protection -------------------------------------------------------------------------------------


def test_writes_need_the_token(http: httpx.Client) -> None:
    graph = graph_iri()
    for method in ("PUT", "POST", "DELETE"):
        missing = http.request(method, "/store", params={"graph": graph}, headers={"Content-Type": "text/turtle"})
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"] == "Bearer"
        error_message(missing)
        wrong = http.request(
            method, "/store", params={"graph": graph}, content=TURTLE, headers={"Authorization": "Bearer nope"}
        )
        assert wrong.status_code == 403
        assert error_message(wrong) == "the write token is not valid"
    assert http.post("/store", content=TURTLE, headers={"Content-Type": "text/turtle"}).status_code == 401
    assert http.head("/store", params={"graph": graph}).status_code == 404


# --- in-process servers with other settings ---------------------------------------------------------------


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gsp-small") / "store"
    LocalStore(folder).close()
    return folder


def test_read_only_server_refuses_writes_with_403(small_store: Path) -> None:
    with TestClient(create_app(Settings(store=small_store, write_token=None, allowed_hosts=("testserver",)))) as client:
        answer = client.put(
            "/store", params={"graph": graph_iri()}, content=TURTLE, headers={"Authorization": "Bearer x"}
        )
        assert answer.status_code == 403
        assert error_message(answer).startswith("this server is read-only")
        assert client.get("/store", params={"default": ""}).status_code == 200


def test_body_over_the_limit_is_413(small_store: Path) -> None:
    settings = Settings(store=small_store, write_token="t", max_body_bytes=1000, allowed_hosts=("testserver",))
    big = b"<urn:a> <urn:b> " + b'"' + b"x" * 2000 + b'" .\n'
    with TestClient(create_app(settings)) as client:
        headers = {"Content-Type": "application/n-triples", "Authorization": "Bearer t"}
        declared = client.put("/store", params={"graph": "urn:vskg:test:big"}, content=big, headers=headers)
        assert declared.status_code == 413
        assert "larger than this server accepts (1000 bytes)" in error_message(declared)
        streamed = client.put("/store", params={"graph": "urn:vskg:test:big"}, content=iter([big]), headers=headers)
        assert streamed.status_code == 413
        assert client.head("/store", params={"graph": "urn:vskg:test:big"}).status_code == 404
        small = client.put("/store", params={"graph": "urn:vskg:test:big"}, content=big[:500] + b'" .', headers=headers)
        assert small.status_code == 201


# --- documentation ----------------------------------------------------------------------------------------


def test_openapi_documents_every_method_and_status(http: httpx.Client) -> None:
    paths = http.get("/openapi.json").json()["paths"]
    expected = {
        "get": {"200", "400", "404", "406"},
        "head": {"200", "400", "404", "406"},
        "put": {"201", "204", "400", "401", "403", "413", "415"},
        "post": {"201", "204", "400", "401", "403", "413", "415"},
        "delete": {"204", "400", "401", "403", "404"},
    }
    for path in ("/store", "/store/{path}"):
        assert set(paths[path]) == set(expected)
        for method, codes in expected.items():
            operation = paths[path][method]
            assert operation["summary"] and operation["description"], (path, method)
            assert codes <= set(operation["responses"]), (path, method, sorted(operation["responses"]))
    assert {p["name"] for p in paths["/store"]["get"]["parameters"]} == {"graph", "default"}
