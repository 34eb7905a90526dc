"""The query catalogue over HTTP: /queries lists the named queries, /queries/{name} runs one with parameters.

Parameter values are checked against their types and written into the query text as constants built from typed
RDF terms (see vskg.catalogue and vskg.sparql_binding), never spliced as the user typed them. The engine gets a
finished query text and no substitutions, so the same request works on any SPARQL backend, and the engine can
start from the given IRI instead of walking everything. The parsed catalogue is kept in memory between requests.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from vskg import catalogue as queries
from vskg.negotiation import RESULT_TYPES, XLSX
from vskg.service import errors
from vskg.service.answers import FORMAT_DOC, LABELS_DOC, answer, wanted
from vskg.service.deps import engine_of, requested_timeout
from vskg.service.errors import ApiError
from vskg.service.methods import refuse_methods
from vskg.service.openapi import TIMEOUT_DOC
from vskg.service.sparql_requests import checked, url_params
from vskg.store.engine import QueryJob

router = APIRouter(tags=["catalogue"])

# Parameters of the request, not of the query (no catalogue query may declare one of these names).
OPTIONS = ("timeout", "format", "labels")

_ENTRY = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "example": {"type": "string"},
        "parameters": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "type": {"type": "string", "enum": list(queries.TYPES)},
                    "description": {"type": "string"},
                    "default": {"type": "string", "nullable": True},
                    "required": {"type": "boolean"},
                    "class": {"type": "string", "description": "iri parameters: the class of their values"},
                },
            },
        },
    },
}


NAME_DOC = {
    "name": "name",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "The query's name, as GET /queries lists it (for example `stream-stages`).",
}


async def _catalogue() -> dict[str, queries.CatalogueQuery]:
    return await run_in_threadpool(queries.catalogue)


@router.get(
    "/queries",
    summary="List the catalogue of named queries",
    description="Every query of the bundled catalogue, sorted by name, with its title, description, an example "
    "and its typed parameters (iri, string, integer, decimal, boolean or date; a default, or required).",
    responses={
        200: {
            "description": "The catalogue.",
            "content": {"application/json": {"schema": {"type": "array", "items": _ENTRY}}},
        }
    },
)
async def list_queries() -> list[dict]:
    return [query.metadata() for _, query in sorted((await _catalogue()).items())]


@router.get(
    "/queries/{name}",
    summary="Run a catalogue query",
    description="Runs the named catalogue query over the union of the store's graphs. Its parameters are given "
    "in the URL query string by name (`?stream=https://...`), each at most once, and are checked against their "
    "declared types; parameters left out take their defaults. `timeout` (seconds) may shorten the time limit as on "
    "/sparql. The answer's format follows `format` or else the Accept header, and `labels=1` adds a label column "
    "beside each IRI column, as on /sparql; CSV, TSV and XLSX come as a download named after the query "
    "(`stream-flow-metrics.csv`). `format`, `labels` and `timeout` are no query parameters' names.",
    response_class=Response,
    responses={
        200: {"description": "The query's results.", "content": {t: {} for t in [*RESULT_TYPES, XLSX]}},
        **errors.responses(
            400,
            404,
            406,
            500,
            503,
            _400="A parameter is unknown, missing or not of its type, or `format`/`labels` has a value that does "
            "not fit; the message names it.",
            _404="No catalogue query of that name; GET /queries lists them.",
        ),
    },
    openapi_extra={"parameters": [NAME_DOC, TIMEOUT_DOC, FORMAT_DOC, LABELS_DOC]},
)
async def run_query(request: Request) -> Response:
    name = request.path_params["name"]  # read here, so FastAPI's own 422 does not appear in the docs
    query = (await _catalogue()).get(name)
    if query is None:
        raise ApiError(404, f"there is no catalogue query named {name!r}; GET /queries lists them")
    url = url_params(request)
    raw: dict[str, str] = {}
    for key, value in url.pairs:
        if key in OPTIONS:
            continue
        if key in raw:
            raise ApiError(400, f"parameter {key!r}: given more than once; send it once")
        raw[key] = value
    timeout = requested_timeout(url.one("timeout"))
    want = wanted(name, url)
    try:
        text = query.render(raw)
    except queries.ParameterError as err:
        raise ApiError(400, str(err)) from None
    await checked(request, text, None)
    job = QueryJob(text=text, accept=request.headers.get("accept"), max_rows=engine_of(request).max_rows)
    return await answer(request, job, timeout, want)


router.add_api_route("/queries/{name}", run_query, methods=["HEAD"], include_in_schema=False, response_class=Response)
router.add_api_route("/queries", list_queries, methods=["HEAD"], include_in_schema=False)
refuse_methods(router, "/queries", "GET, HEAD")
refuse_methods(router, "/queries/{name}", "GET, HEAD")
