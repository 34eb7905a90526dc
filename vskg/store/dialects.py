"""How SPARQL servers differ, in the ways that matter to vskg, and how to tell which one answers.

Each server is tested against the same suites (see tests/store/); what one does differently is a field here, not a
branch in the code that uses the store.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Dialect:
    name: str
    # what to add to a query so that its default graph is the union of all graphs (empty: it already is)
    union_params: tuple[tuple[str, str], ...] = ()
    # whether the server keeps a default graph of its own, distinct from the union
    has_default_graph: bool = True
    # graphs that belong to the server (its configuration, built-in vocabularies) and are not the user's data
    system_graph_prefixes: tuple[str, ...] = ()
    # send queries by GET (some servers hang on POST bodies); else POST an HTML form
    query_by_get: bool = False
    # text the server writes at the end of a 200 answer it cut short at its time limit
    cancelled_marker: bytes = b""
    # the most triples one INSERT DATA may carry (0: no limit)
    insert_batch: int = 0
    # whether a named graph can exist without triples (CREATE GRAPH keeps it)
    empty_graphs: bool = True

    def is_system_graph(self, iri: str) -> bool:
        return iri.startswith(self.system_graph_prefixes) if self.system_graph_prefixes else False


GENERIC = Dialect("generic")

OXIGRAPH = Dialect(
    "oxigraph",
    union_params=(("union-default-graph", ""),),
    cancelled_marker=b"cancelled",
)

VIRTUOSO = Dialect(
    "virtuoso",
    has_default_graph=False,
    system_graph_prefixes=(
        "http://www.openlinksw.com/",
        "http://www.w3.org/ns/ldp#",
        "http://www.w3.org/2002/07/owl#",
        "http://localhost:8890/",
        "urn:activitystreams-owl:map",
        "urn:core:services:sparql",
        "virtrdf-label",
    ),
    query_by_get=True,
    insert_batch=1000,
    empty_graphs=False,
)

DIALECTS = {d.name: d for d in (GENERIC, OXIGRAPH, VIRTUOSO)}


def detect(client: httpx.Client, query_url: str) -> Dialect:
    """The dialect of the server at ``query_url``, from the Server header of a small ASK (generic if unknown)."""
    try:
        accept = {"Accept": "application/sparql-results+json"}
        response = client.get(query_url, params={"query": "ASK {}"}, headers=accept)
    except httpx.HTTPError:
        return GENERIC
    server = response.headers.get("server", "").lower()
    if "virtuoso" in server:
        return VIRTUOSO
    if "oxigraph" in server:
        return OXIGRAPH
    return GENERIC
