"""POST /validate and GET /validate?graph=: the SHACL report of a model against the bundled ontology and shapes.

An uploaded document goes through the same reader as the graph store (pyoxigraph: RDF/XML with a DOCTYPE is
refused, JSON-LD remote contexts are never fetched, syntax errors name a line) and reaches rdflib and pyshacl as
N-Triples. Validation takes seconds of CPU, so it runs in a worker thread, one at a time, and the event loop
goes on serving other requests meanwhile.
"""

from __future__ import annotations

import threading

import pyoxigraph
import rdflib
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pyoxigraph import Quad, RdfFormat
from starlette.concurrency import run_in_threadpool

from vskg import negotiation
from vskg.api import deps, errors
from vskg.api.errors import ApiError
from vskg.api.graph_store import checked_iri, read_body
from vskg.store import MEDIA_TYPES
from vskg.validate import Report, validate_graph

router = APIRouter(tags=["validation"])

REPORT_TYPES = ["application/json", "text/turtle"]
_UPLOAD_GRAPH = "urn:vskg:validate:upload"
_ONE_AT_A_TIME = threading.Lock()  # pyshacl is CPU-bound Python: parallel runs would only share one core


def _report_type(request: Request) -> str:
    try:
        return negotiation.choose(request.headers.get("accept"), REPORT_TYPES)
    except negotiation.NotAcceptable as refused:
        raise ApiError(406, f"the validation report is available as {', '.join(REPORT_TYPES)}") from refused


def _graph_of(n_triples: bytes) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=n_triples, format="nt")
    return graph


def _validate_quads(quads: list[Quad]) -> Report:
    text = pyoxigraph.serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES) or b""
    return _validate_n_triples(text)


def _validate_n_triples(text: bytes) -> Report:
    data = _graph_of(text)
    with _ONE_AT_A_TIME:
        return validate_graph(data)


def _answer(report: Report, media: str) -> Response:
    headers = {"Vary": "Accept"}
    if media == "text/turtle":
        assert report.graph is not None
        return Response(report.graph.serialize(format="turtle").encode("utf-8"), media_type=media, headers=headers)
    return JSONResponse(report.as_dict(), headers=headers)


async def _validate_stored(request: Request, graph: str, media: str) -> Response:
    async with deps.reading(request) as store:
        if not store.has_graph(checked_iri(graph)):
            raise ApiError(404, f"the store holds no graph <{graph}>")
        text = await run_in_threadpool(store.serialize_graph, graph, RdfFormat.N_TRIPLES)
    return _answer(await run_in_threadpool(_validate_n_triples, text), media)


_GRAPH = Query(None, description="IRI of a graph in the store to validate instead of an uploaded document.")
_REPORT = {
    "description": (
        "The validation report, whether or not the model conforms (see `conforms`). JSON by default: "
        "`conforms`, `counts` by severity, and `results` with focus node, shape, path, value and message; "
        "the SHACL report graph itself with `Accept: text/turtle`."
    ),
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "conforms": {"type": "boolean"},
                    "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "results": {"type": "array", "items": {"type": "object"}},
                },
            }
        },
        "text/turtle": {},
    },
}
_BODY = {"schema": {"type": "string", "format": "binary"}}
_UPLOAD = {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}
_REQUEST_BODY = {
    "requestBody": {"content": {**{t: _BODY for t in MEDIA_TYPES}, "multipart/form-data": _UPLOAD}, "required": False}
}


@router.post(
    "/validate",
    summary="Validate an RDF document, or a stored graph, against the vskg shapes",
    description=(
        "Check a model (the body, in any RDF syntax the graph store accepts, or every file of a "
        "`multipart/form-data` upload, taken together) against the bundled ontology, schemes and SHACL shapes. "
        "With `?graph=<IRI>` and no body, the graph of that name in the store is checked instead. The answer is "
        "200 whether or not the model conforms; a document that cannot be read is a 400 naming the line."
    ),
    response_class=Response,
    responses={200: _REPORT, **errors.responses(400, 404, 406, 413, 415)},
    openapi_extra=_REQUEST_BODY,
)
async def validate_upload(request: Request, graph: str | None = _GRAPH) -> Response:
    media = _report_type(request)
    body = await request.body()
    if graph is not None:
        if body:
            raise ApiError(400, "send either a document or '?graph=<IRI>', not both")
        return await _validate_stored(request, graph, media)
    if not body:
        raise ApiError(400, "send an RDF document to validate, or name a stored graph with '?graph=<IRI>'")
    quads = await read_body(request, _UPLOAD_GRAPH, multipart=True, writing=False)
    return _answer(await run_in_threadpool(_validate_quads, quads), media)


@router.get(
    "/validate",
    summary="Validate a stored graph against the vskg shapes",
    description=(
        "Check the graph named by `graph` against the bundled ontology, schemes and SHACL shapes. The answer is "
        "200 whether or not the graph conforms; 404 if the store holds no such graph."
    ),
    response_class=Response,
    responses={200: _REPORT, **errors.responses(400, 404, 406)},
)
async def validate_stored(request: Request, graph: str | None = _GRAPH) -> Response:
    media = _report_type(request)
    if graph is None:
        raise ApiError(400, "name the graph to validate with '?graph=<IRI>', or POST a document to /validate")
    return await _validate_stored(request, graph, media)
