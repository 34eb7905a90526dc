"""/sparql, the SPARQL 1.1 Protocol query operation and the Service Description, against a real server.

This module only reads; the server (the `live_server` fixture) holds the bundled graph.
"""

from __future__ import annotations

import json

import httpx
import pytest
import rdflib
import rdflib.compare
from rdflib.namespace import RDF, VOID

from tests.server import LiveServer, assert_error
from vskg.graphs import bundled_sources
from vskg.resources import locate

RESULTS_JSON = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
MORTGAGE = "https://w3id.org/vskg/data/banking/mortgage-lending"
BANKING_GRAPH = "https://w3id.org/vskg/graph/data/banking-mortgage-lending"
ONTOLOGY_GRAPH = "https://w3id.org/vskg/graph/ontology/vskg"
PREFIX = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
LABEL = PREFIX + f"SELECT ?label WHERE {{ <{MORTGAGE}> rdfs:label ?label }}"
LABEL_BINDINGS = [{"label": {"type": "literal", "value": "Mortgage lending", "xml:lang": "en"}}]
IN_WHICH_GRAPH = PREFIX + f"SELECT ?g WHERE {{ GRAPH ?g {{ <{MORTGAGE}> rdfs:label ?label }} }}"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = rdflib.Namespace("http://www.w3.org/ns/formats/")


def bindings(response: httpx.Response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == RESULTS_JSON
    return response.json()["results"]["bindings"]


# --- the three ways to send a query ----------------------------------------------------------------------------


def test_get_answers_a_select_with_exact_bindings(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": LABEL}, headers={"Accept": RESULTS_JSON})
    assert response.json()["head"] == {"vars": ["label"]}
    assert bindings(response) == LABEL_BINDINGS
    assert response.headers["vary"] == "Accept"


def test_form_post_answers(client: httpx.Client) -> None:
    assert bindings(client.post("/sparql", data={"query": LABEL})) == LABEL_BINDINGS


def test_direct_post_answers(client: httpx.Client) -> None:
    response = client.post("/sparql", content=LABEL.encode(), headers={"Content-Type": DIRECT})
    assert bindings(response) == LABEL_BINDINGS


def test_direct_post_with_charset_parameter(client: httpx.Client) -> None:
    response = client.post("/sparql", content=LABEL.encode(), headers={"Content-Type": f"{DIRECT}; charset=UTF-8"})
    assert bindings(response) == LABEL_BINDINGS


def test_non_ascii_query_text_round_trips(client: httpx.Client) -> None:
    text = 'SELECT ?x WHERE { BIND("Zoë — 東京" AS ?x) }'
    expected = [{"x": {"type": "literal", "value": "Zoë — 東京"}}]
    assert bindings(client.get("/sparql", params={"query": text})) == expected
    assert bindings(client.post("/sparql", data={"query": text})) == expected
    assert bindings(client.post("/sparql", content=text.encode(), headers={"Content-Type": DIRECT})) == expected


# --- content negotiation -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media", "body"),
    [
        ("text/csv", "text/csv; charset=utf-8", "label\r\nMortgage lending\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", '?label\n"Mortgage lending"@en\n'),
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
            '<variable name="label"/></head><results><result><binding name="label">'
            '<literal xml:lang="en">Mortgage lending</literal></binding></result></results></sparql>\n',
        ),
        (
            "application/json",
            RESULTS_JSON,
            json.dumps({"head": {"vars": ["label"]}, "results": {"bindings": LABEL_BINDINGS}}, separators=(",", ":")),
        ),
        ("text/html, */*;q=0.1", RESULTS_JSON, None),
    ],
)
def test_select_formats(client: httpx.Client, accept: str, media: str, body: str | None) -> None:
    response = client.get("/sparql", params={"query": LABEL}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    if body is not None:
        assert response.text == body


def test_ask_and_construct(client: httpx.Client) -> None:
    ask = client.get("/sparql", params={"query": f"ASK {{ <{MORTGAGE}> ?p ?o }}"})
    assert ask.status_code == 200 and ask.headers["content-type"] == RESULTS_JSON
    assert ask.json() == {"head": {}, "boolean": True}
    construct = PREFIX + f"CONSTRUCT {{ <{MORTGAGE}> rdfs:label ?l }} WHERE {{ <{MORTGAGE}> rdfs:label ?l }}"
    response = client.get("/sparql", params={"query": construct}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/n-triples"
    assert response.text == f'<{MORTGAGE}> <http://www.w3.org/2000/01/rdf-schema#label> "Mortgage lending"@en .\n'
    turtle = client.get("/sparql", params={"query": construct})
    assert turtle.headers["content-type"] == "text/turtle; charset=utf-8"
    assert len(rdflib.Graph().parse(data=turtle.text, format="turtle")) == 1


def test_nothing_acceptable_is_406(client: httpx.Client) -> None:
    assert_error(client.get("/sparql", params={"query": LABEL}, headers={"Accept": "image/png"}), 406)
    ask = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"})
    assert_error(
        ask, 406, "this answer is available as application/sparql-results+json, application/sparql-results+xml"
    )


# --- the dataset: union by default, protocol parameters, FROM --------------------------------------------------


def test_default_graph_is_the_union(client: httpx.Client) -> None:
    assert bindings(client.get("/sparql", params={"query": IN_WHICH_GRAPH})) == [
        {"g": {"type": "uri", "value": BANKING_GRAPH}}
    ]


def test_default_graph_uri_replaces_the_union(client: httpx.Client) -> None:
    params = {"query": LABEL, "default-graph-uri": BANKING_GRAPH}
    assert bindings(client.get("/sparql", params=params)) == LABEL_BINDINGS
    params["default-graph-uri"] = ONTOLOGY_GRAPH
    assert bindings(client.get("/sparql", params=params)) == []
    # repeatable: the default graph is the merge of the graphs named
    params = [("query", LABEL), ("default-graph-uri", ONTOLOGY_GRAPH), ("default-graph-uri", BANKING_GRAPH)]
    assert bindings(client.get("/sparql", params=params)) == LABEL_BINDINGS


def test_named_graph_uri_limits_graph_patterns(client: httpx.Client) -> None:
    found = [{"g": {"type": "uri", "value": BANKING_GRAPH}}]
    assert bindings(client.get("/sparql", params={"query": IN_WHICH_GRAPH, "named-graph-uri": BANKING_GRAPH})) == found
    assert bindings(client.get("/sparql", params={"query": IN_WHICH_GRAPH, "named-graph-uri": ONTOLOGY_GRAPH})) == []
    # a protocol dataset with only default graphs has no named graphs (as FROM without FROM NAMED)
    assert bindings(client.get("/sparql", params={"query": IN_WHICH_GRAPH, "default-graph-uri": BANKING_GRAPH})) == []


def test_dataset_parameters_in_form_and_direct_posts(client: httpx.Client) -> None:
    form = client.post("/sparql", data={"query": LABEL, "default-graph-uri": ONTOLOGY_GRAPH})
    assert bindings(form) == []
    direct = client.post(
        "/sparql",
        content=IN_WHICH_GRAPH.encode(),
        params={"named-graph-uri": BANKING_GRAPH},
        headers={"Content-Type": DIRECT},
    )
    assert bindings(direct) == [{"g": {"type": "uri", "value": BANKING_GRAPH}}]


def test_form_post_takes_graph_parameters_from_the_url_too(client: httpx.Client) -> None:
    """The W3C protocol test query_post_form sends default-graph-uri in the URL of a form POST."""
    response = client.post("/sparql", data={"query": LABEL}, params={"default-graph-uri": ONTOLOGY_GRAPH})
    assert bindings(response) == []
    response = client.post(
        "/sparql",
        data={"query": LABEL, "default-graph-uri": ONTOLOGY_GRAPH},
        params={"default-graph-uri": BANKING_GRAPH},
    )
    assert bindings(response) == LABEL_BINDINGS


def test_relative_iris_resolve_against_the_endpoint(client: httpx.Client, live_server: LiveServer) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?i WHERE { BIND(<thing> AS ?i) }"})
    assert bindings(response) == [{"i": {"type": "uri", "value": f"{live_server.url}/thing"}}]


def test_from_in_the_query_is_honoured_and_the_protocol_overrides_it(client: httpx.Client) -> None:
    from_ontology = PREFIX + f"SELECT ?label FROM <{ONTOLOGY_GRAPH}> WHERE {{ <{MORTGAGE}> rdfs:label ?label }}"
    from_banking = from_ontology.replace(ONTOLOGY_GRAPH, BANKING_GRAPH)
    assert bindings(client.get("/sparql", params={"query": from_ontology})) == []
    assert bindings(client.get("/sparql", params={"query": from_banking})) == LABEL_BINDINGS
    overridden = {"query": from_ontology, "default-graph-uri": BANKING_GRAPH}
    assert bindings(client.get("/sparql", params=overridden)) == LABEL_BINDINGS


def test_an_unknown_graph_is_empty_and_a_bad_graph_iri_is_400(client: httpx.Client) -> None:
    assert bindings(client.get("/sparql", params={"query": LABEL, "default-graph-uri": "urn:nothing"})) == []
    message = assert_error(client.get("/sparql", params={"query": LABEL, "default-graph-uri": "not an iri"}), 400)
    assert message.startswith("default-graph-uri 'not an iri' is not an absolute IRI")


# --- refusals -----------------------------------------------------------------------------------------------------


def test_malformed_query_gives_the_parser_message_and_position(client: httpx.Client) -> None:
    message = assert_error(client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"}), 400)
    assert message.startswith("malformed query: error at 1:25")
    message = assert_error(client.post("/sparql", data={"query": "SELECT ?s\nWHERE { ?s ?p ?o"}), 400)
    assert message.startswith("malformed query: error at 2:")


def test_several_or_conflicting_query_parameters(client: httpx.Client) -> None:
    two = [("query", LABEL), ("query", LABEL)]
    assert_error(
        client.get("/sparql", params=two), 400, "2 'query' parameters in the URL query string; send exactly one"
    )
    assert_error(
        client.post("/sparql", content=str(httpx.QueryParams(two)), headers={"Content-Type": FORM}),
        400,
        "2 'query' parameters in the form body; send exactly one",
    )
    assert_error(
        client.post("/sparql", data={"query": LABEL}, params={"query": LABEL}),
        400,
        "'query' was sent in the URL query string; with this request it belongs in the form body",
    )
    assert_error(
        client.post("/sparql", content=LABEL.encode(), params={"query": LABEL}, headers={"Content-Type": DIRECT}),
        400,
        "the query is the request body; do not send a 'query' parameter as well",
    )


def test_missing_or_empty_query(client: httpx.Client) -> None:
    assert_error(client.post("/sparql", data={"other": "x"}), 400, "the form has no 'query' parameter")
    assert_error(client.post("/sparql", content=b"", headers={"Content-Type": DIRECT}), 400, "the query is empty")
    assert_error(client.get("/sparql", params={"query": "  "}), 400, "the query is empty")


def test_non_utf8_is_400(client: httpx.Client) -> None:
    assert_error(
        client.get("/sparql?query=SELECT%20%FF"),
        400,
        "the URL query string is not valid UTF-8; percent-encode the UTF-8 bytes of each value",
    )
    assert_error(
        client.post("/sparql", content=b"query=SELECT%20%E9", headers={"Content-Type": FORM}),
        400,
        "the form body is not valid UTF-8; percent-encode the UTF-8 bytes of each value",
    )
    assert_error(
        client.post("/sparql", content=b"SELECT * WHERE { ?s ?p '\xe9' }", headers={"Content-Type": DIRECT}),
        400,
        "the request body is not valid UTF-8",
    )


@pytest.mark.parametrize(
    ("content_type", "message"),
    [
        (
            None,
            "POST /sparql takes application/x-www-form-urlencoded (with query=...) or application/sparql-query, "
            "not a body without Content-Type",
        ),
        (
            "text/plain",
            "POST /sparql takes application/x-www-form-urlencoded (with query=...) or "
            "application/sparql-query, not 'text/plain'",
        ),
        ("application/sparql-update", "this is the query endpoint; send SPARQL updates to /update"),
        (f"{DIRECT}; charset=iso-8859-1", "the request body must be UTF-8, not 'iso-8859-1'"),
    ],
)
def test_other_content_types_are_415(client: httpx.Client, content_type: str | None, message: str) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    request = client.build_request("POST", "/sparql", content=LABEL.encode(), headers=headers)
    assert ("content-type" in request.headers) == (content_type is not None)
    assert_error(client.send(request), 415, message)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(client: httpx.Client, method: str) -> None:
    response = client.request(method, "/sparql", params={"query": LABEL})
    assert_error(response, 405, "/sparql accepts GET, HEAD, POST only; see /docs")
    assert response.headers["allow"] == "GET, HEAD, POST"


def test_update_sent_to_sparql_is_400(client: httpx.Client) -> None:
    text = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    message = "this is the query endpoint; send SPARQL updates to /update"
    assert_error(client.get("/sparql", params={"update": text}), 400, message)
    assert_error(client.post("/sparql", data={"update": text}), 400, message)
    assert_error(client.post("/sparql", data={"query": LABEL, "update": text}), 400, message)
    # an update sent as a query is simply not a query
    assert assert_error(client.post("/sparql", data={"query": text}), 400).startswith("malformed query:")


def test_timeout_parameter(client: httpx.Client) -> None:
    assert bindings(client.get("/sparql", params={"query": LABEL, "timeout": "5"})) == LABEL_BINDINGS
    assert bindings(client.post("/sparql", data={"query": LABEL, "timeout": "5"})) == LABEL_BINDINGS
    assert_error(
        client.get("/sparql", params={"query": LABEL, "timeout": "soon"}),
        400,
        "timeout must be a number of seconds, got 'soon'",
    )
    assert_error(
        client.get("/sparql", params={"query": LABEL, "timeout": "0"}),
        400,
        "timeout must be at least 0.1 seconds (and finite), got '0'",
    )
    assert_error(
        client.post("/sparql", data={"query": LABEL, "timeout": "5"}, params={"timeout": "5"}),
        400,
        "2 'timeout' parameters; send exactly one",
    )


def test_service_is_refused(client: httpx.Client) -> None:
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert assert_error(client.get("/sparql", params={"query": text}), 400).startswith("SERVICE (federated query)")


def test_head_with_a_query(client: httpx.Client) -> None:
    response = client.head("/sparql", params={"query": LABEL})
    assert response.status_code == 200
    assert response.headers["content-type"] == RESULTS_JSON
    assert response.content == b""


# --- the Service Description ------------------------------------------------------------------------------------


def bundled_graphs() -> set[str]:
    return {graph for _, graph in bundled_sources(locate(), with_shapes=True)}


def description(client: httpx.Client, accept: str | None, media: str, fmt: str) -> rdflib.Graph:
    response = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media
    assert response.headers["vary"] == "Accept"
    return rdflib.Graph().parse(data=response.content, format=fmt)


def test_service_description_in_turtle(client: httpx.Client, live_server: LiveServer) -> None:
    g = description(client, None, "text/turtle; charset=utf-8", "turtle")
    service = g.value(predicate=RDF.type, object=SD.Service)
    assert service is not None
    assert set(g.objects(service, SD.endpoint)) == {rdflib.URIRef(f"{live_server.url}/sparql")}
    assert set(g.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query, SD.SPARQL11Update}
    assert set(g.objects(service, SD.resultFormat)) == {
        FORMATS[name]
        for name in (
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "RDF_XML",
            "JSON-LD",
        )
    }
    features = set(g.objects(service, SD.feature))
    assert SD.UnionDefaultGraph in features and SD.BasicFederatedQuery not in features
    dataset = g.value(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in g and (dataset, RDF.type, VOID.Dataset) in g
    assert g.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef(f"{live_server.url}/sparql")
    default = g.value(dataset, SD.defaultGraph)
    assert (default, RDF.type, SD.Graph) in g
    names = {str(g.value(entry, SD.name)) for entry in g.objects(dataset, SD.namedGraph)}
    assert names == bundled_graphs()
    for entry in g.objects(dataset, SD.namedGraph):
        assert (entry, RDF.type, SD.NamedGraph) in g
        assert (g.value(entry, SD.graph), RDF.type, SD.Graph) in g


def test_service_description_counts_triples(client: httpx.Client) -> None:
    g = description(client, "text/turtle", "text/turtle; charset=utf-8", "turtle")
    entry = g.value(predicate=SD.name, object=rdflib.URIRef(BANKING_GRAPH))
    counted = int(g.value(g.value(entry, SD.graph), VOID.triples))
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BANKING_GRAPH}> {{ ?s ?p ?o }} }}"
    assert counted == int(bindings(client.get("/sparql", params={"query": query}))[0]["n"]["value"])
    total = int(
        bindings(client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}))[0]["n"]["value"]
    )
    dataset = g.value(predicate=RDF.type, object=SD.Dataset)
    assert int(g.value(g.value(dataset, SD.defaultGraph), VOID.triples)) == total > counted > 0


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/n-triples", "application/n-triples", "nt"),
    ],
)
def test_service_description_by_negotiation(client: httpx.Client, accept: str, media: str, fmt: str) -> None:
    turtle = description(client, "text/turtle", "text/turtle; charset=utf-8", "turtle")
    other = description(client, accept, media, fmt)
    assert rdflib.compare.isomorphic(turtle, other)


def test_service_description_not_acceptable_and_head(client: httpx.Client) -> None:
    assert_error(client.get("/sparql", headers={"Accept": RESULTS_JSON}), 406)
    head = client.head("/sparql", headers={"Accept": "application/ld+json"})
    assert head.status_code == 200
    assert head.headers["content-type"] == "application/ld+json"
    assert head.content == b""


def test_openapi_declares_the_status_codes(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths["/sparql"]) == {"get", "post"}
    assert {"200", "400", "406", "503"} <= set(paths["/sparql"]["get"]["responses"])
    assert {"200", "400", "406", "413", "415", "503"} <= set(paths["/sparql"]["post"]["responses"])
    assert "422" not in paths["/sparql"]["post"]["responses"]
    assert paths["/sparql"]["get"]["summary"] and paths["/sparql"]["post"]["description"]
