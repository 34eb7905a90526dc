"""Helpers shared by the W3C conformance tests: an HTTP client for the live server and small result readers.

The tests talk to the running service over real HTTP (the ``live_server`` fixture of ``tests/conftest.py``), so
what they check is what a SPARQL client on the network would see. Requests are sent without an ``Accept``
header unless a test names one, as the W3C test requests do.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import httpx
import rdflib
from rdflib.compare import isomorphic

DATA = Path(__file__).resolve().parent / "data"
KASEI = "http://kasei.us/2009/09/sparql/data/"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"

# The RDF parsers rdflib needs for each media type the service may answer with.
RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


def media_type(response: httpx.Response) -> str:
    """The response's media type without parameters, lower case ('' when absent)."""
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def charset(response: httpx.Response) -> str | None:
    for param in response.headers.get("content-type", "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


class W3C:
    """The live service seen through the paths and helpers the W3C test cases need."""

    def __init__(self, server) -> None:
        self.url = server.url.rstrip("/")
        self.token = server.token
        self.http = httpx.Client(base_url=self.url, timeout=60.0, follow_redirects=False)
        del self.http.headers["accept"]  # the W3C requests carry no Accept unless they say so

    # --- endpoints ------------------------------------------------------------------------------------

    @property
    def sparql(self) -> str:
        return "/sparql"

    @property
    def update_endpoint(self) -> str:
        return "/update"

    @property
    def store(self) -> str:
        return "/store"

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def direct_iri(self, path: str) -> str:
        """The graph IRI that direct identification gives the request path ``/store/<path>``."""
        return f"{self.url}/store/{path.lstrip('/')}"

    # --- graph store helpers (used to set up and clean up, not under test) ----------------------------

    def put_graph(self, graph: str | None, body: bytes | str, content_type: str) -> httpx.Response:
        params = {"default": ""} if graph is None else {"graph": graph}
        content = body.encode("utf-8") if isinstance(body, str) else body
        response = self.http.put(
            self.store, params=params, content=content, headers={"Content-Type": content_type, **self.auth}
        )
        assert response.status_code in (201, 204), f"setting up {graph}: {response.status_code} {response.text}"
        return response

    def load_kasei(self, *numbers: int) -> None:
        """Put the stand-ins for the kasei.us data files into graphs named by their kasei.us IRIs."""
        for n in numbers:
            self.put_graph(f"{KASEI}data{n}.rdf", (DATA / f"data{n}.rdf").read_bytes(), "application/rdf+xml")

    def drop_graph(self, graph: str) -> None:
        response = self.http.delete(self.store, params={"graph": graph}, headers=self.auth)
        assert response.status_code in (200, 204, 404), f"dropping {graph}: {response.status_code} {response.text}"

    def graph_exists(self, graph: str) -> bool:
        response = self.http.head(self.store, params={"graph": graph})
        assert response.status_code in (200, 404), response.status_code
        return response.status_code == 200

    def get_graph(self, graph: str | None) -> rdflib.Graph:
        params = {"default": ""} if graph is None else {"graph": graph}
        response = self.http.get(self.store, params=params, headers={"Accept": "application/n-triples"})
        assert response.status_code == 200, f"reading {graph}: {response.status_code} {response.text}"
        return parse_rdf(response)

    def named_graphs(self) -> list[str]:
        response = self.http.post(
            self.sparql,
            content="SELECT DISTINCT ?g WHERE { GRAPH ?g { } }",
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        )
        assert response.status_code == 200, response.text
        return sorted(row["g"]["value"] for row in response.json()["results"]["bindings"])

    def ask(self, query: str) -> bool:
        response = self.http.post(
            self.sparql,
            content=query,
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        )
        assert response.status_code == 200, response.text
        return response.json()["boolean"]

    def close(self) -> None:
        self.http.close()


# --- result readers --------------------------------------------------------------------------------------


def boolean_result(response: httpx.Response) -> bool:
    """The answer of an ASK response in SPARQL results JSON or XML; fails on any other media type."""
    kind = media_type(response)
    if kind == "application/sparql-results+json":
        body = json.loads(response.content)
        assert set(body) >= {"head", "boolean"}, body
        assert isinstance(body["boolean"], bool), body
        return body["boolean"]
    if kind == "application/sparql-results+xml":
        root = ET.fromstring(response.content)
        assert root.tag == f"{RESULTS_NS}sparql", root.tag
        element = root.find(f"{RESULTS_NS}boolean")
        assert element is not None and element.text in ("true", "false"), response.text
        return element.text == "true"
    raise AssertionError(f"not a boolean SPARQL result: {response.headers.get('content-type')!r}")


def parse_rdf(response: httpx.Response) -> rdflib.Graph:
    kind = media_type(response)
    assert kind in RDFLIB_FORMATS, f"not an RDF graph media type: {kind!r}"
    graph = rdflib.Graph()
    graph.parse(data=response.content, format=RDFLIB_FORMATS[kind], publicID="http://test.invalid/")
    return graph


def turtle(text: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=text, format="turtle")
    return graph


def same_graph(actual: rdflib.Graph, expected: rdflib.Graph) -> bool:
    return isomorphic(actual, expected)


def pct(iri: str) -> str:
    """Percent-encode an IRI for a query string value (everything but unreserved characters)."""
    return quote(iri, safe="")
