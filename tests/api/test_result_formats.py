"""?format= and ?labels= on /sparql and /queries/{name}: the answer's form named in the URL (for spreadsheets' "From
Web", which cannot send Accept), XLSX downloads, label columns beside IRI columns, and the file names of downloads."""

from __future__ import annotations

import io
import json

import httpx
import openpyxl
import pytest

from tests.server import LiveServer, assert_error
from vskg.catalogue import catalogue

XSD = "http://www.w3.org/2001/XMLSchema#"
DATA = "https://w3id.org/vskg/data/platform/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPACT = {"capability": DATA + "incident-management"}
FORMATS = "csv, tsv, json, xml, xlsx, ttl, nt, jsonld, rdfxml"

# capability-impact for incident management: two stages of one stream, in each of the four results formats.
IMPACT_CSV = (
    "capability,capabilityLabel,stream,streamLabel,order,stage,stageLabel,enabledBy,enabledByLabel,dependency\r\n"
    f"{DATA}incident-management,Incident management,{DATA}platform-reliability,Platform reliability,2,"
    f"{DATA}respond,Respond,{DATA}incident-management,Incident management,direct\r\n"
    f"{DATA}incident-management,Incident management,{DATA}platform-reliability,Platform reliability,3,"
    f"{DATA}restore,Restore,{DATA}incident-management,Incident management,direct\r\n"
)
IMPACT_TSV = (
    "?capability\t?capabilityLabel\t?stream\t?streamLabel\t?order\t?stage\t?stageLabel\t?enabledBy\t?enabledByLabel"
    "\t?dependency\n"
    f'<{DATA}incident-management>\t"Incident management"@en\t<{DATA}platform-reliability>\t"Platform reliability"@en'
    f'\t"2"^^<{XSD}integer>\t<{DATA}respond>\t"Respond"@en\t<{DATA}incident-management>\t"Incident management"@en'
    '\t"direct"\n'
    f'<{DATA}incident-management>\t"Incident management"@en\t<{DATA}platform-reliability>\t"Platform reliability"@en'
    f'\t"3"^^<{XSD}integer>\t<{DATA}restore>\t"Restore"@en\t<{DATA}incident-management>\t"Incident management"@en'
    '\t"direct"\n'
)
VARIABLES = [
    "capability",
    "capabilityLabel",
    "stream",
    "streamLabel",
    "order",
    "stage",
    "stageLabel",
    "enabledBy",
    "enabledByLabel",
    "dependency",
]


def iri(value: str) -> dict:
    return {"type": "uri", "value": value}


def english(value: str) -> dict:
    return {"type": "literal", "value": value, "xml:lang": "en"}


def impact_row(order: str, stage: str, label: str) -> dict:
    return {
        "capability": iri(DATA + "incident-management"),
        "capabilityLabel": english("Incident management"),
        "stream": iri(DATA + "platform-reliability"),
        "streamLabel": english("Platform reliability"),
        "order": {"type": "literal", "value": order, "datatype": XSD + "integer"},
        "stage": iri(DATA + stage),
        "stageLabel": english(label),
        "enabledBy": iri(DATA + "incident-management"),
        "enabledByLabel": english("Incident management"),
        "dependency": {"type": "literal", "value": "direct"},
    }


IMPACT_JSON = {
    "head": {"vars": VARIABLES},
    "results": {"bindings": [impact_row("2", "respond", "Respond"), impact_row("3", "restore", "Restore")]},
}


def xml_row(order: str, stage: str, label: str) -> str:
    def uri(name: str, value: str) -> str:
        return f'<binding name="{name}"><uri>{value}</uri></binding>'

    def lit(name: str, value: str, attribute: str = "") -> str:
        return f'<binding name="{name}"><literal{attribute}>{value}</literal></binding>'

    en = ' xml:lang="en"'
    return (
        "<result>"
        + uri("capability", DATA + "incident-management")
        + lit("capabilityLabel", "Incident management", en)
        + uri("stream", DATA + "platform-reliability")
        + lit("streamLabel", "Platform reliability", en)
        + lit("order", order, f' datatype="{XSD}integer"')
        + uri("stage", DATA + stage)
        + lit("stageLabel", label, en)
        + uri("enabledBy", DATA + "incident-management")
        + lit("enabledByLabel", "Incident management", en)
        + lit("dependency", "direct")
        + "</result>"
    )


IMPACT_XML = (
    '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
    + "".join(f'<variable name="{v}"/>' for v in VARIABLES)
    + "</head><results>"
    + xml_row("2", "respond", "Respond")
    + xml_row("3", "restore", "Restore")
    + "</results></sparql>\n"
)

# Resources with several labels, for the label columns: the choice is English rdfs:label, then a label without a
# language, then English skos:prefLabel, then one without a language, then other languages.
LABELLED = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/t/a> rdfs:label "Ah"@de, "A"@en ; skos:prefLabel "A preferred"@en .
<https://example.org/t/b> skos:prefLabel "B"@en, "Bee" ; rdfs:label "Bé"@fr .
<https://example.org/t/c> rdfs:label "C plain", "C français"@fr .
<https://example.org/t/d> <https://example.org/t/p> "no label" .
<https://example.org/t/e> rdfs:label "=HYPERLINK(\\"http://evil.example/\\",\\"x\\")"@en .
"""
T = "https://example.org/t/"
SMALL = f"""SELECT ?x ?y ?n WHERE {{
  VALUES (?x ?y ?n) {{ (<{T}a> <{T}b> 1) (<{T}c> "lit" 2) (<{T}d> UNDEF 3) (<{T}e> <{T}a> 4) }}
}} ORDER BY ?n"""
EVIL = '=HYPERLINK("http://evil.example/","x")'


@pytest.fixture(scope="module")
def labelled(client: httpx.Client, live_server: LiveServer) -> None:
    headers = {"Content-Type": "text/turtle"} | live_server.auth()
    answer = client.put("/store", params={"graph": "urn:vskg:test:labels"}, content=LABELLED, headers=headers)
    assert answer.status_code in (201, 204), answer.text


def impact(client: httpx.Client, fmt: str, **headers: str) -> httpx.Response:
    return client.get("/queries/capability-impact", params=IMPACT | {"format": fmt}, headers=headers)


# --- the four SPARQL results formats by name ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "media", "body"),
    [
        ("csv", "text/csv; charset=utf-8", IMPACT_CSV),
        ("tsv", "text/tab-separated-values; charset=utf-8", IMPACT_TSV),
        ("xml", "application/sparql-results+xml", IMPACT_XML),
    ],
)
def test_catalogue_query_in_each_format(client: httpx.Client, fmt: str, media: str, body: str) -> None:
    response = impact(client, fmt)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media
    assert response.text == body


def test_catalogue_query_as_json(client: httpx.Client) -> None:
    response = impact(client, "json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert response.json() == IMPACT_JSON
    assert response.content == json.dumps(IMPACT_JSON, separators=(",", ":")).encode()
    assert "content-disposition" not in response.headers


@pytest.mark.parametrize(
    ("fmt", "accept"),
    [
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
    ],
)
def test_format_gives_what_accept_gives_and_overrides_it(client: httpx.Client, fmt: str, accept: str) -> None:
    by_accept = client.get("/queries/capability-impact", params=IMPACT, headers={"Accept": accept})
    by_name = impact(client, fmt.upper(), Accept="text/turtle, application/sparql-results+json;q=0.1")
    assert by_name.status_code == by_accept.status_code == 200
    assert by_name.content == by_accept.content
    assert by_name.headers["content-type"] == by_accept.headers["content-type"]


def test_sparql_get_and_both_posts_take_format(client: httpx.Client) -> None:
    query = f"SELECT ?stage WHERE {{ <{DATA}platform-reliability> <https://w3id.org/vskg/ontology#hasStage> ?stage }}"
    query += " ORDER BY ?stage LIMIT 2"
    expected = f"stage\r\n{DATA}detect\r\n{DATA}harden\r\n"
    answers = [
        client.get("/sparql", params={"query": query, "format": "csv"}),
        client.post("/sparql", data={"query": query, "format": "csv"}),
        client.post("/sparql", params={"format": "csv"}, data={"query": query}),
        client.post(
            "/sparql", params={"format": "csv"}, content=query, headers={"Content-Type": "application/sparql-query"}
        ),
    ]
    for answer in answers:
        assert answer.status_code == 200, answer.text
        assert answer.text == expected
        assert answer.headers["content-disposition"] == 'attachment; filename="results.csv"'


def test_graph_and_boolean_answers_by_name(client: httpx.Client) -> None:
    construct = (
        f"CONSTRUCT {{ <{DATA}respond> ?p ?o }} WHERE {{ <{DATA}respond> ?p ?o "
        "FILTER(?p = <http://www.w3.org/2000/01/rdf-schema#label>) }"
    )
    triple = f'<{DATA}respond> <http://www.w3.org/2000/01/rdf-schema#label> "Respond"@en .\n'
    nt = client.get("/sparql", params={"query": construct, "format": "nt"})
    assert nt.status_code == 200 and nt.headers["content-type"] == "application/n-triples"
    assert nt.text == triple
    media = {"ttl": "text/turtle", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}
    for name, expected in media.items():
        answer = client.get("/sparql", params={"query": construct, "format": name}, headers={"Accept": "text/csv"})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].split(";")[0] == expected
        assert "content-disposition" not in answer.headers
    ask = client.get("/sparql", params={"query": "ASK {}", "format": "xml"})
    assert ask.status_code == 200
    assert ask.text == (
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
        "<boolean>true</boolean></sparql>\n"
    )
    assert client.get("/sparql", params={"query": "ASK {}", "format": "json"}).json() == {"head": {}, "boolean": True}


# --- downloads --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "disposition"),
    [
        ("/queries/stream-flow-metrics", {"format": "csv"}, 'attachment; filename="stream-flow-metrics.csv"'),
        ("/queries/capability-impact", IMPACT | {"format": "tsv"}, 'attachment; filename="capability-impact.tsv"'),
        ("/queries/stream-flow-metrics", {"format": "xlsx"}, 'attachment; filename="stream-flow-metrics.xlsx"'),
        ("/sparql", {"query": "SELECT * {}", "format": "xlsx"}, 'attachment; filename="results.xlsx"'),
        ("/sparql", {"query": "SELECT * {}", "format": "tsv"}, 'attachment; filename="results.tsv"'),
    ],
)
def test_downloads_are_named(client: httpx.Client, path: str, params: dict, disposition: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == disposition


def test_csv_by_accept_is_a_named_download_too(client: httpx.Client) -> None:
    response = client.get("/queries/stream-flow-metrics", headers={"Accept": "text/csv"})
    assert response.headers["content-disposition"] == 'attachment; filename="stream-flow-metrics.csv"'
    assert "content-disposition" not in client.get("/queries/stream-flow-metrics").headers


def sheet(response: httpx.Response) -> tuple[str, list[list[object]]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return book.sheetnames[0], [[cell.value for cell in row] for row in book.active.iter_rows()]


def test_xlsx_reads_back(client: httpx.Client) -> None:
    title, rows = sheet(impact(client, "xlsx"))
    assert title == "capability-impact"
    assert rows == [
        VARIABLES,
        [
            *(DATA + "incident-management", "Incident management", DATA + "platform-reliability"),
            *("Platform reliability", 2, DATA + "respond", "Respond", DATA + "incident-management"),
            *("Incident management", "direct"),
        ],
        [
            *(DATA + "incident-management", "Incident management", DATA + "platform-reliability"),
            *("Platform reliability", 3, DATA + "restore", "Restore", DATA + "incident-management"),
            *("Incident management", "direct"),
        ],
    ]


def test_xlsx_numbers_match_the_csv(client: httpx.Client) -> None:
    csv_lines = client.get("/queries/stream-flow-metrics", params={"format": "csv"}).text.split("\r\n")
    _, rows = sheet(client.get("/queries/stream-flow-metrics", params={"format": "xlsx"}))
    assert len(rows) == len(csv_lines) - 1 == 13
    assert ",".join(rows[0]) == csv_lines[0]
    assert rows[1] == [
        "https://w3id.org/vskg/data/retail/product-returns-and-exchanges",
        *("Product returns and exchanges", 4, 3, 1.2, 266, 132, 0.0045),
    ]
    for row, line in zip(rows[1:], csv_lines[1:], strict=False):
        assert [str(value) for value in row] == line.split(",")


# --- label columns ------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("labelled")
def test_labels_beside_iri_columns_as_csv(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": SMALL, "labels": "1", "format": "csv"})
    assert response.status_code == 200, response.text
    assert response.text == (
        "x,x_label,y,y_label,n\r\n"
        f"{T}a,A,{T}b,B,1\r\n"
        f"{T}c,C plain,lit,,2\r\n"
        f"{T}d,,,,3\r\n"
        f'{T}e,"=HYPERLINK(""http://evil.example/"",""x"")",{T}a,A,4\r\n'  # SPARQL CSV is data: never altered
    )


@pytest.mark.usefixtures("labelled")
def test_labels_keep_their_language_in_json(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": SMALL, "labels": "true"}, headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/sparql-results+json"
    integer = {"type": "literal", "datatype": XSD + "integer"}
    assert response.json() == {
        "head": {"vars": ["x", "x_label", "y", "y_label", "n"]},
        "results": {
            "bindings": [
                {"x": iri(T + "a"), "x_label": english("A"), "y": iri(T + "b"), "y_label": english("B")}
                | {"n": integer | {"value": "1"}},
                {
                    "x": iri(T + "c"),
                    "x_label": {"type": "literal", "value": "C plain"},
                    "y": {"type": "literal", "value": "lit"},
                    "n": integer | {"value": "2"},
                },
                {"x": iri(T + "d"), "n": integer | {"value": "3"}},
                {"x": iri(T + "e"), "x_label": english(EVIL), "y": iri(T + "a"), "y_label": english("A")}
                | {"n": integer | {"value": "4"}},
            ]
        },
    }


@pytest.mark.usefixtures("labelled")
def test_labels_in_xlsx_are_text_and_guarded(client: httpx.Client) -> None:
    title, rows = sheet(client.get("/sparql", params={"query": SMALL, "labels": "1", "format": "xlsx"}))
    assert title == "results"
    assert rows == [
        ["x", "x_label", "y", "y_label", "n"],
        [T + "a", "A", T + "b", "B", 1],
        [T + "c", "C plain", "lit", None, 2],
        [T + "d", None, None, None, 3],
        [T + "e", "'" + EVIL, T + "a", "A", 4],
    ]


@pytest.mark.usefixtures("labelled")
def test_labels_on_a_catalogue_query(client: httpx.Client) -> None:
    response = client.get("/queries/capability-impact", params=IMPACT | {"labels": "1", "format": "tsv"})
    lines = response.text.split("\n")
    assert lines[0] == (
        "?capability\t?capability_label\t?capabilityLabel\t?stream\t?stream_label\t?streamLabel\t?order\t?stage\t"
        "?stage_label\t?stageLabel\t?enabledBy\t?enabledBy_label\t?enabledByLabel\t?dependency"
    )
    assert lines[1].split("\t")[:6] == [
        f"<{DATA}incident-management>",
        '"Incident management"@en',
        '"Incident management"@en',
        f"<{DATA}platform-reliability>",
        '"Platform reliability"@en',
        '"Platform reliability"@en',
    ]
    assert lines[2].split("\t")[7:10] == [f"<{DATA}restore>", '"Restore"@en', '"Restore"@en']
    unlabelled = client.get("/queries/capability-impact", params=IMPACT | {"labels": "0", "format": "tsv"})
    assert unlabelled.text == IMPACT_TSV


# --- refusals -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/queries/stream-flow-metrics", {"format": "pdf"}, f"format must be one of {FORMATS}; got 'pdf'"),
        (
            "/queries/stream-flow-metrics",
            {"format": "<b>" + "x" * 60},
            f"format must be one of {FORMATS}; got '<b>{'x' * 37}' (cut at 40 of 63 characters)",
        ),
        (
            "/queries/stream-flow-metrics",
            {"format": "ttl"},
            "format 'ttl' does not fit a SELECT query; its answer comes as csv, tsv, json, xml or xlsx",
        ),
        (
            "/sparql",
            {"query": "ASK {}", "format": "csv"},
            "format 'csv' does not fit an ASK query; its answer comes as json or xml",
        ),
        (
            "/sparql",
            {"query": "ASK {}", "format": "xlsx"},
            "format 'xlsx' does not fit an ASK query; its answer comes as json or xml",
        ),
        (
            "/sparql",
            {"query": "DESCRIBE <urn:x>", "format": "tsv"},
            "format 'tsv' does not fit a CONSTRUCT or DESCRIBE query; its answer comes as ttl, nt, jsonld or rdfxml",
        ),
        (
            "/sparql",
            {"query": "CONSTRUCT WHERE { ?s ?p ?o }", "labels": "1"},
            "labels=1 adds label columns to SELECT results; this is a CONSTRUCT query",
        ),
        (
            "/sparql",
            {"query": "ASK {}", "labels": "1"},
            "labels=1 adds label columns to SELECT results; this is an ASK query",
        ),
        ("/queries/stream-flow-metrics", {"labels": "yes"}, "labels must be 1 or 0 (or true or false); got 'yes'"),
        (
            "/queries/stream-flow-metrics",
            [("format", "csv"), ("format", "csv")],
            "2 'format' parameters; send exactly one",
        ),
        ("/queries/stream-flow-metrics", [("labels", "1"), ("labels", "0")], "2 'labels' parameters; send exactly one"),
        (
            "/sparql",
            [("query", "SELECT * {}"), ("format", "csv"), ("format", "xml")],
            "2 'format' parameters; send exactly one",
        ),
    ],
)
def test_refusals_name_the_allowed_values(client: httpx.Client, path: str, params, message: str) -> None:
    assert_error(client.get(path, params=params), 400, message)


def test_format_in_url_and_form_is_refused(client: httpx.Client) -> None:
    answer = client.post("/sparql", params={"format": "csv"}, data={"query": "SELECT * {}", "format": "csv"})
    assert_error(answer, 400, "2 'format' parameters; send exactly one")


def test_labels_with_an_accept_that_cannot_carry_results(client: httpx.Client) -> None:
    answer = client.get("/sparql", params={"query": "SELECT * {}", "labels": "1"}, headers={"Accept": "text/turtle"})
    assert_error(
        answer,
        406,
        "this answer is available as application/sparql-results+json, application/sparql-results+xml, text/csv, "
        "text/tab-separated-values",
    )


def test_no_catalogue_query_declares_a_request_option() -> None:
    for query in catalogue().values():
        assert {p.name for p in query.parameters}.isdisjoint({"format", "labels", "timeout"}), query.name


def test_openapi_documents_format_and_labels(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, method in (("/sparql", "get"), ("/sparql", "post"), ("/queries/{name}", "get")):
        params = {p["name"]: p for p in paths[path][method]["parameters"]}
        assert params["format"]["schema"]["enum"] == FORMATS.split(", ")
        assert params["labels"]["schema"]["enum"] == ["0", "1", "true", "false"]
        assert "X_label" in params["labels"]["description"]
        assert XLSX in paths[path][method]["responses"]["200"]["content"]


def test_service_description_by_format(client: httpx.Client) -> None:
    answer = client.get("/sparql", params={"format": "nt"}, headers={"Accept": "text/turtle"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/n-triples"
    assert "<http://www.w3.org/ns/sparql-service-description#endpoint>" in answer.text
    assert_error(
        client.get("/sparql", params={"format": "csv"}),
        400,
        "the service description comes as ttl, nt, jsonld, rdfxml; format was 'csv'",
    )


@pytest.mark.parametrize(
    ("query", "value", "media"),
    [
        # the names SPARQLWrapper and Virtuoso-minded clients send, and media types as names
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "turtle", "text/turtle"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "rdf+xml", "application/rdf+xml"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "xml", "application/rdf+xml"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "json-ld", "application/ld+json"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "application/n-triples", "application/n-triples"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "application/sparql-results+json", "application/sparql-results+json"),
    ],
)
def test_other_clients_names_for_a_format(client: httpx.Client, query: str, value: str, media: str) -> None:
    answer = client.get("/sparql", params={"query": query, "format": value})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media
