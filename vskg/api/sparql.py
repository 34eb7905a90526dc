"""The SPARQL 1.1 Protocol query operation at /sparql, and the Service Description a GET without a query returns.

The protocol's parameters are read by `vskg.service.sparql_requests`, which /update and /queries share.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response

from vskg import __version__
from vskg.negotiation import (
    FORMAT_NAMES,
    GRAPH_ALIASES,
    GRAPH_TYPES,
    RESULT_TYPES,
    XLSX,
    FormatRefused,
    NotAcceptable,
    choose,
    excerpt,
    format_type,
)
from vskg.service import answers, errors
from vskg.service.answers import FORMAT_DOC, LABELS_DOC, Wanted, wanted
from vskg.service.deps import engine_of, reading, requested_timeout
from vskg.service.errors import ApiError
from vskg.service.methods import refuse_methods
from vskg.service.openapi import TIMEOUT_DOC, doc_body, doc_param
from vskg.service.sparql_requests import (
    DATASET_PARAMS,
    FORM,
    QUERY_TYPE,
    UPDATE_TYPE,
    Params,
    body_text,
    checked,
    content_type,
    endpoint_iri,
    graph_iris,
    one_of,
    refuse_in_url,
    url_params,
)
from vskg.store import STAGING_PREFIX
from vskg.store.engine import QueryFailed, QueryJob, QueryTimeout

router = APIRouter(tags=["SPARQL"])


# --- the query operation ------------------------------------------------------------------------------------

_DOC_PARAMS = [
    doc_param("query", "The SPARQL 1.1 query (GET). Leave it out to get the Service Description."),
    doc_param("default-graph-uri", "A graph of the default graph; without any, it is the union.", many=True),
    doc_param("named-graph-uri", "A named graph the query may use with GRAPH.", many=True),
    TIMEOUT_DOC,
    FORMAT_DOC,
    LABELS_DOC,
]
_RESULTS = {
    200: {
        "description": "The answer: SPARQL results (JSON, XML, CSV, TSV, or an XLSX workbook) for SELECT and ASK, "
        "RDF (Turtle, N-Triples, RDF/XML, JSON-LD) for CONSTRUCT and DESCRIBE, chosen by `format` or else from the "
        "Accept header.",
        "content": {t: {} for t in [*RESULT_TYPES, XLSX, *GRAPH_TYPES]},
    }
}


def _refuse_update(*sources: Params) -> None:
    if any(source.has("update") for source in sources):
        raise ApiError(400, "this is the query endpoint; send SPARQL updates to /update")


async def _query(request: Request, text: str, dataset: Params, timeout: str | None, want: Wanted) -> Response:
    if not text.strip():
        raise ApiError(400, "the query is empty")
    default = graph_iris(dataset.all("default-graph-uri"), "default-graph-uri")
    named = graph_iris(dataset.all("named-graph-uri"), "named-graph-uri")
    given = bool(default or named)  # the protocol's dataset replaces the query's and the union default graph
    await checked(request, text, endpoint_iri(request))
    job = QueryJob(
        text=text,
        accept=request.headers.get("accept"),
        default_graphs=default if given else None,
        named_graphs=named if given else None,
        max_rows=engine_of(request).max_rows,
        base_iri=endpoint_iri(request),
    )
    return await answers.answer(request, job, requested_timeout(timeout), want)


@router.get(
    "/sparql",
    summary="SPARQL query by GET, or the Service Description",
    description="Runs the `query` parameter (SPARQL 1.1 Protocol, query via GET) over the store; the default graph "
    "is the union of all graphs unless `default-graph-uri`/`named-graph-uri` or FROM say otherwise. `format` names "
    "the answer's format where Accept cannot (a spreadsheet's \"From Web\"), and `labels=1` adds a label column "
    "beside each IRI column. Without a `query` it returns a SPARQL 1.1 Service Description (Turtle, JSON-LD, "
    "RDF/XML or N-Triples by Accept). SERVICE is refused.",
    response_class=Response,
    responses={**_RESULTS, **errors.responses(400, 406, 500, 503)},
    openapi_extra={"parameters": _DOC_PARAMS},
)
async def query_get(request: Request) -> Response:
    url = url_params(request)
    _refuse_update(url)
    text = url.one("query")
    if text is None:
        return await describe(request, url.one("format"))
    return await _query(request, text, url, url.one("timeout"), wanted("results", url))


router.add_api_route("/sparql", query_get, methods=["HEAD"], include_in_schema=False, response_class=Response)
refuse_methods(router, "/sparql", "GET, HEAD, POST")


@router.post(
    "/sparql",
    summary="SPARQL query by POST",
    description="Query via POST as in the SPARQL 1.1 Protocol: either a form (`application/x-www-form-urlencoded`) "
    "with `query` and any `default-graph-uri`/`named-graph-uri` in the body (or the URL), or the query itself as an "
    "`application/sparql-query` body with the graph parameters in the URL. The body must be UTF-8.",
    response_class=Response,
    responses={**_RESULTS, **errors.responses(400, 406, 413, 415, 500, 503)},
    openapi_extra={"parameters": _DOC_PARAMS[1:], "requestBody": doc_body("query", QUERY_TYPE, *DATASET_PARAMS)},
)
async def query_post(request: Request) -> Response:
    url = url_params(request)
    _refuse_update(url)
    media = content_type(request)
    if media == FORM:
        form = Params(await request.body(), "form body")
        _refuse_update(form)
        refuse_in_url(url, "query", "the form body")
        text = form.one("query")
        if text is None:
            raise ApiError(400, "the form has no 'query' parameter")
        # the Protocol puts the graph parameters in the form, but its own tests also send them in the URL
        timeout = one_of("timeout", url, form)
        return await _query(request, text, Params.joined(url, form), timeout, wanted("results", url, form))
    if media == QUERY_TYPE:
        if url.has("query"):
            raise ApiError(400, "the query is the request body; do not send a 'query' parameter as well")
        return await _query(request, await body_text(request), url, url.one("timeout"), wanted("results", url))
    if media == UPDATE_TYPE:
        raise ApiError(415, "this is the query endpoint; send SPARQL updates to /update")
    raise ApiError(
        415,
        f"POST /sparql takes {FORM} (with query=...) or {QUERY_TYPE}, not "
        + (repr(media) if media else "a body without Content-Type"),
    )


# --- the Service Description --------------------------------------------------------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"
RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
# The fixed part, relative to the endpoint's own IRI. No sd:BasicFederatedQuery: SERVICE is refused.
_DESCRIPTION = """
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix formats: <http://www.w3.org/ns/formats/> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<#service> a sd:Service ;
    sd:endpoint <> ;
    dcterms:title "vskg SPARQL endpoint"@en ;
    dcterms:description "Answers SPARQL 1.1 queries here and updates at /update over the value stream knowledge \
graph. Federated queries (SERVICE) and LOAD are refused: the server never fetches data from elsewhere."@en ;
    sd:supportedLanguage sd:SPARQL11Query, sd:SPARQL11Update ;
    sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML, formats:SPARQL_Results_CSV,
        formats:SPARQL_Results_TSV, formats:Turtle, formats:N-Triples, formats:RDF_XML, formats:JSON-LD ;
    sd:feature sd:UnionDefaultGraph, sd:EmptyGraphs ;
    sd:defaultEntailmentRegime <http://www.w3.org/ns/entailment/Simple> ;
    sd:defaultDataset <#dataset> .

<#dataset> a sd:Dataset, void:Dataset ;
    dcterms:title "vskg: the value stream knowledge graph"@en ;
    dcterms:description "Value streams, their stages, the capabilities that enable them and the systems that \
support them, with the vskg ontology and SKOS schemes. Each loaded source is a named graph; the default graph is \
the union of them all."@en ;
    void:sparqlEndpoint <> ;
    void:vocabulary <https://w3id.org/vskg/ontology> ;
    sd:defaultGraph <#default-graph> .

<#default-graph> a sd:Graph ;
    dcterms:description "The union of every graph in the store."@en .
"""
_CONTEXT = ("sd", "formats", "void", "dcterms", "xsd")
_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_UNION = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


async def _counts(request: Request, text: str) -> list[dict] | None:
    """Rows of a counting query, run by the query workers so it obeys the time limit; None if it fails."""
    job = QueryJob(text, accept="application/sparql-results+json", max_rows=1_000_000)
    try:
        answer = await engine_of(request).run(job)
    except (QueryTimeout, QueryFailed):
        return None
    return json.loads(answer.body)["results"]["bindings"]


def service_description(endpoint: str, graphs: list[str], per_graph: dict[str, int] | None, union: int | None):
    """The SPARQL 1.1 Service Description of the endpoint (an rdflib Graph), with triple counts where they could be
    had."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef  # imported here: `vskg serve` starts without rdflib
    from rdflib.namespace import DCTERMS, RDF, VOID

    sd = Namespace(SD)
    g = Graph().parse(data=_DESCRIPTION, format="turtle", publicID=endpoint)
    dataset, default = URIRef(endpoint + "#dataset"), URIRef(endpoint + "#default-graph")
    g.add((dataset, DCTERMS.hasVersion, Literal(__version__)))
    if union is not None:
        g.add((dataset, VOID.triples, Literal(union)))
        g.add((default, VOID.triples, Literal(union)))
    for i, name in enumerate(graphs, 1):
        entry, graph = BNode(f"named{i}"), BNode(f"graph{i}")
        g.add((dataset, sd.namedGraph, entry))
        g.add((entry, RDF.type, sd.NamedGraph))
        g.add((entry, sd.name, URIRef(name)))
        g.add((entry, sd.graph, graph))
        g.add((graph, RDF.type, sd.Graph))
        if per_graph is not None:
            g.add((graph, VOID.triples, Literal(per_graph.get(name, 0))))
    return g


async def describe(request: Request, format: str | None = None) -> Response:
    """The Service Description, in the syntax ``format`` names, else the one Accept prefers."""
    if format is not None:
        try:
            media = format_type(format, "graph")
        except FormatRefused:
            names = ", ".join(FORMAT_NAMES["graph"])
            raise ApiError(400, f"the service description comes as {names}; format was {excerpt(format)}") from None
    else:
        try:
            media = choose(request.headers.get("accept"), GRAPH_TYPES, GRAPH_ALIASES)
        except NotAcceptable as err:
            raise ApiError(406, f"the service description is available as {', '.join(err.offered)}") from None
    endpoint = endpoint_iri(request)
    async with reading(request) as store:
        graphs = [g for g in store.graphs() if not g.startswith(STAGING_PREFIX)]
    rows = await _counts(request, _PER_GRAPH)
    union_rows = await _counts(request, _UNION) if rows is not None else None
    per_graph = None if rows is None else {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
    union = int(union_rows[0]["n"]["value"]) if union_rows else None
    description = service_description(endpoint, graphs, per_graph, union)
    context = {prefix: str(ns) for prefix, ns in description.namespaces() if prefix in _CONTEXT}
    options = {"context": context, "auto_compact": True} if media == "application/ld+json" else {}
    body = description.serialize(format=RDFLIB_FORMATS[media], encoding="utf-8", **options)
    return Response(body, media_type=media, headers={"Vary": "Accept"})
