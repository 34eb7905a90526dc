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
    # graphs that belong to the server (its configuration, built-in vocabularies) and are not the user's data
    system_graph_prefixes: tuple[str, ...] = ()
    # send queries by GET; else POST an HTML form (Virtuoso: a POST of sparql-query hangs, a long GET URL garbles)
    query_by_get: bool = False
    # text the server writes at the end of a 200 answer it cut short at its time limit
    cancelled_marker: bytes = b""
    # the most triples one INSERT DATA may carry (0: no limit)
    insert_batch: int = 0
    # whether a named graph can exist without triples (CREATE GRAPH keeps it)
    empty_graphs: bool = True
    # a named graph that stands in for the default graph, for servers without a plain one (empty: not needed)
    default_graph_iri: str = ""
    # a graph that is never written, named when the dataset has no named graph (servers that read no named graphs
    # as all of theirs)
    no_graph_iri: str = ""
    # the query parameter that gives the server a time limit in milliseconds (empty: none)
    timeout_param: str = ""
    # the response header and value by which the server says it cut an answer short at its time limit
    timeout_header: tuple[str, str] = ("", "")
    # an ASK answered as one row of this variable holding 1 or 0 (servers that return ASK as SELECT)
    ask_variable: str = ""
    # whether vskg may stream a file to the server's Graph Store to be parsed there (else vskg parses it and sends
    # N-Triples: Virtuoso 7 reads `:a :p 1, 2, 3` as one triple)
    parses_uploads: bool = True
    # whether `GRAPH ?g { }` binds ?g to each named graph (else vskg writes the named graphs it sends as VALUES)
    binds_empty_graph_pattern: bool = True
    # whether booleans come back as xsd:boolean (else as the integers 1 and 0, which vskg reads back as booleans
    # for the variables the query binds only to boolean expressions)
    has_booleans: bool = True

    def is_system_graph(self, iri: str) -> bool:
        return iri.startswith(self.system_graph_prefixes) if self.system_graph_prefixes else False


GENERIC = Dialect("generic")

OXIGRAPH = Dialect(
    "oxigraph",
    union_params=(("union-default-graph", ""),),
    cancelled_marker=b"cancelled",
)

# Virtuoso Open Source 7. Differences vskg cannot remove (documented in the README):
# - it has no boolean type: `true`/`false` and comparisons come back as xsd:integer 1/0 (vskg reads them back as
#   booleans where the query binds a variable to a boolean expression only);
# - `GRAPH ?g { }` binds nothing (vskg writes it as VALUES over the named graphs it sends);
# - `SELECT DISTINCT ?g WHERE { GRAPH ?g {...} }` scans every quad (seconds on an empty store): vskg lists graphs
#   with GROUP BY, which reads the graph index;
# - an INSERT DATA of many thousand triples fails: vskg cuts plain DATA updates into batches;
# - xsd:dateTime values lose their time zone (NOW() has none);
# - its own graphs (virtrdf#, ldp#, ...) are in its union and in `GRAPH ?g`, and it has no plain default graph:
#   vskg names the dataset of every query and update (default-graph-uri, named-graph-uri: the user's graphs and
#   a stand-in default graph), so a query sees exactly what it would see on Oxigraph;
# - a named graph exists only while it has triples (CREATE GRAPH keeps nothing);
# - a query past its time limit is cut short by the server (X-SQL-State S1TAT), which vskg reports as a timeout.
VIRTUOSO_DEFAULT_GRAPH = "urn:x-vskg:default-graph"
# named as the only named graph when the user has none (without any, Virtuoso would use all of its own); it is never
# written, so nothing is in it
VIRTUOSO_NO_GRAPH = "urn:x-vskg:no-named-graph"

VIRTUOSO = Dialect(
    "virtuoso",
    system_graph_prefixes=(
        "urn:x-vskg:",
        "http://www.openlinksw.com/",
        "http://www.w3.org/ns/ldp#",
        "http://www.w3.org/2002/07/owl#",
        "http://localhost:8890/",
        "http://localuriqaserver/",
        "urn:activitystreams-owl:map",
        "urn:core:services:sparql",
        "virtrdf-label",
    ),
    query_by_get=False,
    insert_batch=1000,
    empty_graphs=False,
    default_graph_iri=VIRTUOSO_DEFAULT_GRAPH,
    no_graph_iri=VIRTUOSO_NO_GRAPH,
    timeout_param="timeout",
    timeout_header=("x-sql-state", "S1TAT"),
    ask_variable="__ASK_RETVAL",
    parses_uploads=False,
    binds_empty_graph_pattern=False,
    has_booleans=False,
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
