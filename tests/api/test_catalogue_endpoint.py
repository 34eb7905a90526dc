"""/queries and /queries/{name}, the query catalogue over HTTP, against a real server (read only)."""

from __future__ import annotations

import itertools
import json
import shlex
from pathlib import Path

import httpx
import pyoxigraph
import pytest

from tests.server import assert_error
from vskg.catalogue import catalogue, run
from vskg.sparql_results import select_json

RESULTS_JSON = "application/sparql-results+json"
PLATFORM = "https://w3id.org/vskg/data/platform/platform-reliability"
QUERIES = catalogue()


@pytest.fixture(scope="module")
def reference(bundled_store_template: Path) -> pyoxigraph.Store:
    """The same bundled store as the server's, read in this process to work out what each query must return."""
    return pyoxigraph.Store.read_only(str(bundled_store_template))


def test_list_is_the_catalogue_metadata(client: httpx.Client) -> None:
    response = client.get("/queries")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == [QUERIES[name].metadata() for name in sorted(QUERIES)]
    entry = next(q for q in response.json() if q["name"] == "stream-stages")
    assert entry["parameters"] == [
        {
            "name": "stream",
            "type": "iri",
            "description": "The value stream to walk.",
            "default": "https://w3id.org/vskg/data/banking/mortgage-lending",
            "required": False,
            "class": "https://w3id.org/vskg/ontology#ValueStream",
        }
    ]


def test_list_head(client: httpx.Client) -> None:
    response = client.head("/queries")
    assert response.status_code == 200 and response.content == b""


SYSTEMS = "Observability and monitoring system; Shared data and analytics platform"


def test_run_with_a_parameter(client: httpx.Client) -> None:
    response = client.get("/queries/stream-stages", params={"stream": PLATFORM}, headers={"Accept": RESULTS_JSON})
    assert response.status_code == 200
    assert response.headers["content-type"] == RESULTS_JSON
    body = response.json()
    assert body["head"]["vars"] == ["stream", "order", "stage", "stageLabel", "capabilities", "systems"]
    rows = body["results"]["bindings"]
    labels = [row["stageLabel"]["value"] for row in rows]
    assert labels[:5] == ["Detect", "Respond", "Restore", "Learn from incident", "Harden"]
    assert rows[0] == {
        "stream": {"type": "uri", "value": PLATFORM},
        "order": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
        "stage": {"type": "uri", "value": "https://w3id.org/vskg/data/platform/detect"},
        "stageLabel": {"type": "literal", "value": "Detect", "xml:lang": "en"},
        # concatenated labels are plain strings on every engine (GROUP_CONCAT of STR, as SPARQL 1.1 defines it)
        "capabilities": {"type": "literal", "value": "Monitoring and event management"},
        "systems": {"type": "literal", "value": SYSTEMS},
    }


def test_content_negotiation(client: httpx.Client) -> None:
    response = client.get("/queries/stream-stages", params={"stream": PLATFORM}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    lines = response.text.split("\r\n")
    assert lines[0] == "stream,order,stage,stageLabel,capabilities,systems"
    assert lines[1] == (
        f"{PLATFORM},1,https://w3id.org/vskg/data/platform/detect,Detect,Monitoring and event management,"
        "Observability and monitoring system; Shared data and analytics platform"
    )
    refused = client.get("/queries/stream-stages", headers={"Accept": "text/turtle"})
    assert refused.status_code == 406 and refused.headers["content-type"] == "application/json"


def example_params(name: str) -> dict[str, str]:
    """The parameters of the query's documented example (``--param name=value`` pairs)."""
    words = shlex.split(QUERIES[name].example)
    return dict(value.partition("=")[::2] for flag, value in itertools.pairwise(words) if flag == "--param")


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_answers_as_run_in_process(client: httpx.Client, reference: pyoxigraph.Store, name: str) -> None:
    """With its example's parameters, each query returns over HTTP exactly what it returns run directly."""
    params = example_params(name)
    result = run(reference, QUERIES[name], params)
    variables = [v.value for v in result.variables]
    expected = json.loads(select_json(variables, [tuple(row[v] for v in variables) for row in result]))
    assert expected["results"]["bindings"] or name == "stages-without-capability"  # it finds no gaps, rightly
    response = client.get(f"/queries/{name}", params=params, headers={"Accept": RESULTS_JSON})
    assert response.status_code == 200, response.text
    assert response.json() == expected


def test_typed_parameters_are_bound_not_spliced(client: httpx.Client) -> None:
    sneaky = PLATFORM + "> } UNION { ?stream ?p ?o"
    assert_error(
        client.get("/queries/stream-stages", params={"stream": sneaky}),
        400,
        f"parameter 'stream': {sneaky!r} is not a valid iri (not an absolute IRI)",
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"stream": "a b"}, "parameter 'stream': 'a b' is not a valid iri (not an absolute IRI)"),
        ({"colour": "red"}, "parameter 'colour': not a parameter of stream-stages (its parameters: stream)"),
        ([("stream", PLATFORM), ("stream", PLATFORM)], "parameter 'stream': given more than once; send it once"),
        ({"timeout": "never"}, "timeout must be a number of seconds, got 'never'"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(client: httpx.Client, params, message: str) -> None:
    assert_error(client.get("/queries/stream-stages", params=params), 400, message)


def test_other_parameter_types(client: httpx.Client) -> None:
    typed = {q.name: {p.name: p.type for p in q.parameters} for q in QUERIES.values()}
    name, kind = next((n, t) for n, ps in typed.items() for t in ps.values() if t in ("integer", "boolean"))
    parameter = next(p for p, t in typed[name].items() if t == kind)
    assert_error(
        client.get(f"/queries/{name}", params={parameter: "many"}),
        400,
        f"parameter {parameter!r}: 'many' is not a valid {kind} "
        + ("(expected integer)" if kind == "integer" else "(expected true or false)"),
    )


def test_a_required_parameter_is_required(client: httpx.Client) -> None:
    assert_error(client.get("/queries/system-impact"), 400, "parameter 'system': is required and has no default")


def test_timeout_is_accepted(client: httpx.Client) -> None:
    response = client.get("/queries/stream-stages", params={"stream": PLATFORM, "timeout": "5"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) >= 5


def test_unknown_query_is_404(client: httpx.Client) -> None:
    assert_error(
        client.get("/queries/no-such-query"),
        404,
        "there is no catalogue query named 'no-such-query'; GET /queries lists them",
    )


def test_non_utf8_parameter_is_400(client: httpx.Client) -> None:
    assert_error(
        client.get("/queries/stream-stages?stream=%FF"),
        400,
        "the URL query string is not valid UTF-8; percent-encode the UTF-8 bytes of each value",
    )


@pytest.mark.parametrize(("method", "path"), [("POST", "/queries"), ("DELETE", "/queries/stream-stages")])
def test_other_methods_are_405(client: httpx.Client, method: str, path: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_openapi_declares_the_status_codes(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    run_op = paths["/queries/{name}"]["get"]
    assert set(run_op["responses"]) == {"200", "400", "404", "406", "414", "431", "500", "503"}
    assert [p["name"] for p in run_op["parameters"]] == ["name", "timeout", "format", "labels"]
    assert paths["/queries"]["get"]["summary"] and run_op["description"]
