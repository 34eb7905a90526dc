"""GET /validate: the store's standing SHACL report; POST /validate and GET /validate?graph=: the report of a model.

The store's report is the one the service keeps current write by write (`vskg.service.validation`): it is answered at
once, with the write it is current as of (`as_of`, also in the header VSKG-Report-As-Of) and the latest write
(`latest`); `current` says whether they are the same. Before the first full run of the store has finished there is no
report yet, and the answer is 503 with Retry-After (a client that polls simply waits), not a 200 that a client could
mistake for a report; a run that failed is a 503 naming why, and once there is a report, a failed later step is
reported beside it (`state` "failed" and `error`).


An uploaded document goes through the same guarded reader as the graph store (`vskg.rdfio`: size limit, RDF/XML
with a DOCTYPE refused, JSON-LD depth limit, remote contexts never fetched, syntax errors name a line). The SHACL
run itself happens in the validation process (`vskg.validator`), which has a deadline (``VSKG_VALIDATE_TIMEOUT``,
503 when it is passed) and a memory cap (``VSKG_VALIDATE_MEMORY_MB``) and dies with the service; the request waits
for it in a worker thread, so the event loop goes on serving other requests meanwhile.
"""

from __future__ import annotations

import pyoxigraph
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pyoxigraph import Quad, RdfFormat
from starlette.concurrency import run_in_threadpool

from vskg import negotiation
from vskg.rdfio import MEDIA_TYPES
from vskg.service import deps, errors, validation
from vskg.service.bodies import checked_iri, read_body
from vskg.service.errors import ApiError
from vskg.validator import Outcome, ValidationFailed, ValidationTimeout, shared

router = APIRouter(tags=["validation"])

REPORT_TYPES = ["application/json", "text/turtle"]
_UPLOAD_GRAPH = "urn:vskg:validate:upload"


def _report_type(request: Request) -> str:
    try:
        return negotiation.choose(request.headers.get("accept"), REPORT_TYPES)
    except negotiation.NotAcceptable as refused:
        raise ApiError(406, f"the validation report is available as {', '.join(REPORT_TYPES)}") from refused


def _run(request: Request, text: bytes, media: str) -> Outcome:
    """Validate N-Triples in the validation process (blocking: runs in a worker thread)."""
    settings = request.app.state.settings
    validator = shared(settings.validate_timeout, settings.validate_memory_mb * 1024 * 1024)
    return validator.run(text, RdfFormat.N_TRIPLES, turtle=media == "text/turtle")


async def _validate(request: Request, text: bytes, media: str) -> Response:
    try:
        outcome = await run_in_threadpool(_run, request, text, media)
    except ValidationTimeout as late:
        raise ApiError(503, f"{late} (the limit is set by VSKG_VALIDATE_TIMEOUT)") from None
    except ValidationFailed as failed:
        raise ApiError(503, f"the validation could not finish: {failed}") from None
    headers = {"Vary": "Accept"}
    if media == "text/turtle":
        return Response(outcome.turtle or b"", media_type=media, headers=headers)
    return JSONResponse(outcome.as_dict(), headers=headers)


def _n_triples(quads: list[Quad]) -> bytes:
    return pyoxigraph.serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES) or b""


async def _validate_stored(request: Request, graph: str, media: str) -> Response:
    async with deps.reading(request) as store:
        if not store.has_graph(checked_iri(graph)):
            raise ApiError(404, f"the store holds no graph <{graph}>")
        text = await run_in_threadpool(store.serialize_graph, graph, RdfFormat.N_TRIPLES)
    return await _validate(request, text, media)


AS_OF_HEADER = "VSKG-Report-As-Of"
FIRST_RUN_RETRY = "5"  # seconds a client is told to wait for the first report


def _standing(request: Request, media: str) -> Response:
    """The store's standing report, as it is now."""
    standing = validation.standing_of(request).standing()
    if standing.findings is None:
        if standing.error:
            raise ApiError(503, f"the validation of the store failed: {standing.error}")
        raise ApiError(
            503,
            "the store's first validation is still running; try again shortly",
            {"Retry-After": FIRST_RUN_RETRY},
        )
    headers = {"Vary": "Accept", AS_OF_HEADER: str(standing.as_of)}
    if media == "text/turtle":
        return Response(standing.turtle(), media_type=media, headers=headers)
    return JSONResponse(standing.as_dict(), headers=headers)


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
_LATE = "The validation passed its time limit (VSKG_VALIDATE_TIMEOUT) or memory cap and was stopped."
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
    responses={200: _REPORT, **errors.responses(400, 404, 406, 413, 415, 503, _503=_LATE)},
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
    return await _validate(request, await run_in_threadpool(_n_triples, quads), media)


_STANDING = {
    "description": (
        "Without `graph`: the store's standing report, current as of write `as_of` (also the header "
        "`VSKG-Report-As-Of`); `latest` is the latest write and `current` whether the two are the same. `state` is "
        "`current`, `checking` (a newer report is being computed) or `failed` (with `error`). With `graph`: the "
        "report of that graph."
    ),
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    **_REPORT["content"]["application/json"]["schema"]["properties"],
                    "as_of": {"type": "integer"},
                    "latest": {"type": "integer"},
                    "current": {"type": "boolean"},
                    "state": {"type": "string", "enum": ["current", "checking", "failed"]},
                    "error": {"type": "string"},
                },
            }
        },
        "text/turtle": {},
    },
}
_NOT_YET = (
    "Without `graph`: the store's first validation has not finished yet (Retry-After says when to ask again), or it "
    "failed (the message says why). With `graph`: the validation passed its time limit (VSKG_VALIDATE_TIMEOUT)."
)


@router.get(
    "/validate",
    summary="The store's SHACL report, or the report of a stored graph",
    description=(
        "Without parameters: the standing SHACL report of the whole store, kept current by the service after "
        "every write and answered at once (see `as_of`, `latest` and `current`). It is also the named graph "
        "<https://w3id.org/vskg/graph/validation/>, which SPARQL can query. With `graph`: check the graph of that "
        "name against the bundled ontology, schemes and SHACL shapes (404 if the store holds no such graph). The "
        "answer is 200 whether or not the data conforms."
    ),
    response_class=Response,
    responses={200: _STANDING, **errors.responses(400, 404, 406, 503, _503=_NOT_YET)},
)
async def validate_stored(request: Request, graph: str | None = _GRAPH) -> Response:
    media = _report_type(request)
    if graph is None:
        return _standing(request, media)
    return await _validate_stored(request, graph, media)
