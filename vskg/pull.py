"""Mirroring the answer of a remote SPARQL CONSTRUCT (or DESCRIBE) into one named graph, with its provenance.

The request follows the SPARQL 1.1 Protocol: the query is POSTed as ``application/sparql-query`` and the answer is
asked for as N-Triples (Turtle accepted too). The whole answer is read and parsed before the store is touched;
the graph is then replaced in one transaction (`LocalStore.replace_graph`), so a failed pull (network error, HTTP
error, an answer that is not RDF) leaves the store exactly as it was.

The graph records where its content came from, in PROV-O:

- ``<graph> prov:wasGeneratedBy <activity>``, ``dcterms:source <endpoint>``, ``void:triples`` the number of
  triples received (the provenance statements are not counted);
- ``<activity> a prov:Activity``, ``prov:used <endpoint>`` and ``prov:used`` the query (a ``prov:Entity`` whose
  ``prov:value`` is the query text), ``prov:startedAtTime`` / ``prov:endedAtTime`` (``xsd:dateTime``, UTC).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from vskg.provenance import DCTERMS, PROV, RDF_TYPE, activity_record, in_graph
from vskg.rdfio import InputError
from vskg.safety import keywords
from vskg.store import MEDIA_TYPES, GraphStore, parse_quads

ACCEPT = "application/n-triples, text/turtle;q=0.9"


class PullError(Exception):
    """A pull that could not be completed; the store is unchanged."""


@dataclass(frozen=True)
class PullResult:
    graph: str
    endpoint: str
    triples: int  # triples received from the endpoint (provenance not counted)
    activity: str


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def fetch(endpoint: str, query: str, *, timeout: float = 30.0, client: httpx.Client | None = None) -> list:
    """Run ``query`` on ``endpoint`` and return the triples of its answer (as quads in the default graph)."""
    if not re.match(r"https?://", endpoint):
        raise PullError(f"the endpoint must be an http:// or https:// URL, got {endpoint!r}")
    words = keywords(query)
    if not words & {"CONSTRUCT", "DESCRIBE"}:
        raise PullError("the query must be a CONSTRUCT or DESCRIBE query: pull mirrors triples into a graph")
    headers = {"Content-Type": "application/sparql-query", "Accept": ACCEPT}
    try:
        if client is None:
            with httpx.Client(timeout=timeout) as own:
                response = own.post(endpoint, content=query.encode("utf-8"), headers=headers)
        else:
            response = client.post(endpoint, content=query.encode("utf-8"), headers=headers, timeout=timeout)
    except httpx.TimeoutException:
        raise PullError(f"{endpoint} did not answer within {timeout:g} s") from None
    except httpx.HTTPError as err:
        raise PullError(f"cannot reach {endpoint}: {err}") from None
    if response.status_code != 200:
        detail = response.text.strip().replace("\n", " ")[:300]
        raise PullError(f"{endpoint} answered HTTP {response.status_code}: {detail}")
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = MEDIA_TYPES.get(media)
    if fmt is None or fmt.supports_datasets:
        raise PullError(f"{endpoint} answered with {media or 'no content type'}, not N-Triples or Turtle")
    try:
        return parse_quads(response.content, fmt, None, name=f"answer of {endpoint}", base_iri=endpoint)
    except InputError as err:
        raise PullError(str(err)) from None


def provenance(graph: str, endpoint: str, query: str, count: int, started: str, ended: str) -> tuple[str, list]:
    """The PROV statements describing one pull (see the module docstring); returns the activity IRI too."""
    used_query = BlankNode()
    activity, triples = activity_record(
        graph, f"Pull from {endpoint}", count, started, ended, [NamedNode(endpoint), used_query]
    )
    triples += [
        (NamedNode(graph), NamedNode(DCTERMS + "source"), NamedNode(endpoint)),
        (used_query, RDF_TYPE, NamedNode(PROV + "Entity")),
        (used_query, NamedNode(DCTERMS + "format"), Literal("application/sparql-query")),
        (used_query, NamedNode(PROV + "value"), Literal(query)),
    ]
    return activity.value, in_graph(graph, triples)


def pull(
    store: GraphStore,
    endpoint: str,
    query: str,
    graph: str,
    *,
    timeout: float = 30.0,
    client: httpx.Client | None = None,
) -> PullResult:
    """Replace ``graph`` with the answer of ``query`` on ``endpoint`` plus its provenance (all or nothing)."""
    started = _now()
    received = fetch(endpoint, query, timeout=timeout, client=client)
    target = NamedNode(graph)
    quads = list(dict.fromkeys(Quad(q.subject, q.predicate, q.object, target) for q in received))
    activity, prov = provenance(graph, endpoint, query, len(quads), started, _now())
    store.replace_graph(graph, quads + prov)
    return PullResult(graph, endpoint, len(quads), activity)
