"""/update, the SPARQL 1.1 Protocol update operation, against a real server.

Every test writes only graphs under ``urn:vskg-test:update:``, so the bundled data stays as it was for the
other tests of the module (the last test checks that).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph
import pytest

from tests.server import LiveServer, assert_error, running_server

G = "urn:vskg-test:update:"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-update"
MORTGAGE = "https://w3id.org/vskg/data/banking/mortgage-lending"
BANKING_GRAPH = "https://w3id.org/vskg/graph/data/banking-mortgage-lending"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@pytest.fixture(scope="module")
def auth(live_server: LiveServer) -> dict[str, str]:
    return live_server.auth()


def post(client: httpx.Client, auth: dict[str, str], text: str, **params: str | list[str]) -> httpx.Response:
    return client.post("/update", content=text.encode(), params=params, headers={"Content-Type": DIRECT, **auth})


def triples(client: httpx.Client, graph: str) -> list[tuple[str, str, str]]:
    query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} ORDER BY ?s ?p ?o"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return [(b["s"]["value"], b["p"]["value"], b["o"]["value"]) for b in response.json()["results"]["bindings"]]


def assert_done(response: httpx.Response) -> None:
    assert response.status_code == 204, response.text
    assert response.content == b""


# --- writing ---------------------------------------------------------------------------------------------------


def test_direct_update_is_applied(client: httpx.Client, auth: dict[str, str]) -> None:
    assert_done(post(client, auth, f"INSERT DATA {{ GRAPH <{G}direct> {{ <urn:a> <urn:b> 'c' }} }}"))
    assert triples(client, f"{G}direct") == [("urn:a", "urn:b", "c")]


def test_form_update_with_several_operations(client: httpx.Client, auth: dict[str, str]) -> None:
    text = (
        f"INSERT DATA {{ GRAPH <{G}form> {{ <urn:a> <urn:b> 1, 2 }} }} ;\n"
        f"DELETE DATA {{ GRAPH <{G}form> {{ <urn:a> <urn:b> 1 }} }}"
    )
    assert_done(client.post("/update", data={"update": text}, headers=auth))
    assert triples(client, f"{G}form") == [("urn:a", "urn:b", "2")]


def test_non_ascii_text_is_kept(client: httpx.Client, auth: dict[str, str]) -> None:
    assert_done(post(client, auth, f"INSERT DATA {{ GRAPH <{G}unicode> {{ <urn:a> <urn:b> 'Zoë — 東京' }} }}"))
    assert triples(client, f"{G}unicode") == [("urn:a", "urn:b", "Zoë — 東京")]


def test_relative_iris_resolve_against_the_endpoint(client, auth, live_server: LiveServer) -> None:
    assert_done(post(client, auth, f"INSERT DATA {{ GRAPH <{G}relative> {{ <urn:a> <urn:b> <thing> }} }}"))
    assert triples(client, f"{G}relative") == [("urn:a", "urn:b", f"{live_server.url}/thing")]


def test_where_sees_the_union_default_graph(client: httpx.Client, auth: dict[str, str]) -> None:
    text = (
        f"INSERT {{ GRAPH <{G}union> {{ <urn:copy> <{RDFS_LABEL}> ?label }} }} "
        f"WHERE {{ <{MORTGAGE}> <{RDFS_LABEL}> ?label }}"
    )
    assert_done(post(client, auth, text))
    assert triples(client, f"{G}union") == [("urn:copy", RDFS_LABEL, "Mortgage lending")]
    # GRAPH patterns still reach every named graph
    text = (
        f"INSERT {{ GRAPH <{G}which> {{ <urn:found-in> <urn:graph> ?g }} }} "
        f"WHERE {{ GRAPH ?g {{ <{MORTGAGE}> <{RDFS_LABEL}> ?label }} }}"
    )
    assert_done(post(client, auth, text))
    assert triples(client, f"{G}which") == [("urn:found-in", "urn:graph", BANKING_GRAPH)]


# --- using-graph-uri and using-named-graph-uri -----------------------------------------------------------------


@pytest.fixture(scope="module")
def two_graphs(client: httpx.Client, auth: dict[str, str]) -> tuple[str, str]:
    a, b = f"{G}a", f"{G}b"
    assert_done(
        post(
            client,
            auth,
            f"INSERT DATA {{ GRAPH <{a}> {{ <urn:s> <urn:p> 'in a' }} GRAPH <{b}> {{ <urn:s> <urn:p> 'in b' }} }}",
        )
    )
    return a, b


def test_using_graph_uri_sets_the_where_default_graph(client, auth, two_graphs) -> None:
    a, b = two_graphs
    text = f"INSERT {{ GRAPH <{G}from-a> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}"
    assert_done(post(client, auth, text, **{"using-graph-uri": a}))
    assert triples(client, f"{G}from-a") == [("urn:s", "urn:p", "in a")]
    text = f"INSERT {{ GRAPH <{G}from-both> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}"
    assert_done(post(client, auth, text, **{"using-graph-uri": [a, b]}))
    assert triples(client, f"{G}from-both") == [("urn:s", "urn:p", "in a"), ("urn:s", "urn:p", "in b")]


def test_using_named_graph_uri_in_a_form(client, auth, two_graphs) -> None:
    a, b = two_graphs
    text = f"INSERT {{ GRAPH <{G}named-b> {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    form = {"update": text, "using-named-graph-uri": b}
    assert_done(client.post("/update", data=form, headers=auth))
    assert triples(client, f"{G}named-b") == [("urn:s", "urn:p", "in b")]
    # in the URL of a form POST as well
    text = f"INSERT {{ GRAPH <{G}named-a> {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert_done(client.post("/update", data={"update": text}, params={"using-named-graph-uri": a}, headers=auth))
    assert triples(client, f"{G}named-a") == [("urn:s", "urn:p", "in a")]


def test_a_dataset_in_the_text_is_respected(client, auth, two_graphs) -> None:
    a, _ = two_graphs
    text = (
        f"INSERT {{ GRAPH <{G}own-using> {{ ?s ?p ?o }} }} USING <{a}> WHERE {{ ?s ?p ?o }} ;\n"
        f"INSERT DATA {{ GRAPH <{G}with> {{ <urn:s> <urn:p> 'in with' }} }} ;\n"
        f"WITH <{G}with> INSERT {{ <urn:copied> ?p ?o }} WHERE {{ ?s ?p ?o }}"
    )
    assert_done(post(client, auth, text))
    assert triples(client, f"{G}own-using") == [("urn:s", "urn:p", "in a")]
    assert triples(client, f"{G}with") == [("urn:copied", "urn:p", "in with"), ("urn:s", "urn:p", "in with")]


def test_using_parameters_and_a_dataset_in_the_text_conflict(client, auth, two_graphs) -> None:
    a, _ = two_graphs
    for text in (
        f"INSERT {{ GRAPH <{G}conflict> {{ ?s ?p ?o }} }} USING <{a}> WHERE {{ ?s ?p ?o }}",
        f"WITH <{a}> INSERT {{ GRAPH <{G}conflict> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}",
    ):
        message = assert_error(post(client, auth, text, **{"using-graph-uri": a}), 400)
        assert "does not allow both" in message
    assert triples(client, f"{G}conflict") == []


def test_a_using_parameter_must_be_an_iri(client, auth) -> None:
    response = post(client, auth, "INSERT { <urn:a> <urn:b> ?o } WHERE { ?s ?p ?o }", **{"using-graph-uri": "no"})
    assert assert_error(response, 400).startswith("using-graph-uri 'no' is not an absolute IRI")


# --- refusals, and the store unchanged after them ------------------------------------------------------------------


def test_malformed_update_changes_nothing(client: httpx.Client, auth: dict[str, str]) -> None:
    text = f"INSERT DATA {{ GRAPH <{G}malformed> {{ <urn:a> <urn:b> <urn:c> }} }} ;\nINSERT DATA {{ <urn:a> <urn:b> }}"
    assert assert_error(post(client, auth, text), 400).startswith("malformed update: error at 2:")
    assert triples(client, f"{G}malformed") == []


def test_syntax_error_positions_refer_to_the_text_sent(client: httpx.Client, auth: dict[str, str]) -> None:
    text = f"DELETE {{ ?s ?p ?o }}\nWHERE {{ GRAPH <{G}a> {{ ?s ?p ?o }}"
    with pytest.raises(SyntaxError) as parsed:
        pyoxigraph.Store().update(text)
    expected = f"malformed update: {parsed.value}"
    assert_error(post(client, auth, text), 400, expected)
    assert_error(post(client, auth, text, **{"using-graph-uri": f"{G}a"}), 400, expected)


def test_an_update_failing_part_way_changes_nothing(client: httpx.Client, auth: dict[str, str]) -> None:
    text = f"INSERT DATA {{ GRAPH <{G}partial> {{ <urn:a> <urn:b> <urn:c> }} }} ; CREATE GRAPH <{BANKING_GRAPH}>"
    message = assert_error(post(client, auth, text), 400)
    assert message.startswith("the update could not be applied, nothing was changed:")
    assert triples(client, f"{G}partial") == []


def test_load_is_refused(client: httpx.Client, auth: dict[str, str]) -> None:
    message = assert_error(post(client, auth, f"LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <{G}load>"), 400)
    assert message.startswith("LOAD is disabled on this endpoint")


def test_writes_need_the_token(client: httpx.Client) -> None:
    text = f"INSERT DATA {{ GRAPH <{G}unauthorised> {{ <urn:a> <urn:b> <urn:c> }} }}"
    missing = post(client, {}, text)
    assert_error(missing, 401, "writes need an 'Authorization: Bearer <token>' header")
    assert missing.headers["www-authenticate"] == "Bearer"
    assert_error(post(client, {"Authorization": "Bearer wrong"}, text), 403, "the write token is not valid")
    assert_error(post(client, {"Authorization": "Basic dXNlcjpwYXNz"}, text), 401)
    assert triples(client, f"{G}unauthorised") == []


def test_parameter_problems(client: httpx.Client, auth: dict[str, str]) -> None:
    text = f"INSERT DATA {{ GRAPH <{G}params> {{ <urn:a> <urn:b> <urn:c> }} }}"
    two = str(httpx.QueryParams([("update", text), ("update", text)]))
    form = {"Content-Type": FORM, **auth}
    assert_error(
        client.post("/update", content=two, headers=form),
        400,
        "2 'update' parameters in the form body; send exactly one",
    )
    assert_error(
        client.post("/update", data={"update": text}, params={"update": text}, headers=auth),
        400,
        "'update' was sent in the URL query string; with this request it belongs in the form body",
    )
    assert_error(
        post(client, auth, text, update=text),
        400,
        "the update is the request body; do not send an 'update' parameter as well",
    )
    assert_error(client.post("/update", data={"other": "x"}, headers=auth), 400, "the form has no 'update' parameter")
    assert_error(post(client, auth, " \n"), 400, "the update is empty")
    sparql = "this is the update endpoint; send SPARQL queries to /sparql"
    assert_error(client.post("/update", data={"query": "ASK {}"}, headers=auth), 400, sparql)
    assert_error(
        client.post("/update", content=b"update=%FF", headers=form),
        400,
        "the form body is not valid UTF-8; percent-encode the UTF-8 bytes of each value",
    )
    bad = client.post(
        "/update", content=b"INSERT DATA { <urn:a> <urn:b> '\xe9' }", headers={"Content-Type": DIRECT, **auth}
    )
    assert_error(bad, 400, "the request body is not valid UTF-8")
    assert triples(client, f"{G}params") == []


@pytest.mark.parametrize(
    ("content_type", "message"),
    [
        (
            "text/plain",
            "POST /update takes application/x-www-form-urlencoded (with update=...) or "
            "application/sparql-update, not 'text/plain'",
        ),
        ("application/sparql-query", "this is the update endpoint; send SPARQL queries to /sparql"),
        (f"{DIRECT}; charset=latin-1", "the request body must be UTF-8, not 'latin-1'"),
    ],
)
def test_other_content_types_are_415(client, auth, content_type: str, message: str) -> None:
    text = f"INSERT DATA {{ GRAPH <{G}types> {{ <urn:a> <urn:b> <urn:c> }} }}"
    response = client.post("/update", content=text.encode(), headers={"Content-Type": content_type, **auth})
    assert_error(response, 415, message)
    assert triples(client, f"{G}types") == []


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(client: httpx.Client, method: str) -> None:
    response = client.request(method, "/update")
    assert_error(response, 405, "/update accepts POST only; see /docs")
    assert response.headers["allow"] == "POST"


def test_openapi_declares_the_status_codes(client: httpx.Client) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/update"]["post"]
    # 200 and 422 are the answers of validate-writes mode (vskg.service.gate)
    assert set(operation["responses"]) == {"200", "204", "400", "401", "403", "413", "414", "415", "422", "431", "500"}
    assert operation["summary"] and operation["description"]


def test_bundled_data_is_untouched(client: httpx.Client) -> None:
    assert triples(client, BANKING_GRAPH)[:1] and (MORTGAGE, RDFS_LABEL, "Mortgage lending") in triples(
        client, BANKING_GRAPH
    )


# --- a server started without a write token ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def read_only_server(bundled_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("read-only") / "store"
    shutil.copytree(bundled_store_template, folder)
    with running_server(folder, token=None, workers=1) as server:
        yield server


def test_a_server_without_a_token_refuses_writes(read_only_server: LiveServer) -> None:
    response = httpx.post(
        f"{read_only_server.url}/update",
        content=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        headers={"Content-Type": DIRECT, "Authorization": "Bearer anything"},
    )
    message = assert_error(response, 403)
    assert message.startswith("this server is read-only")
