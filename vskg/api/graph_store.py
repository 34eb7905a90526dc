"""The SPARQL 1.1 Graph Store HTTP Protocol at /store: read, replace, merge into and drop whole graphs.

A graph is named either indirectly, ``/store?graph=<IRI>`` or ``/store?default``, or directly: the request URL
of ``/store/<anything>`` (without its query string) is the IRI of the graph. A body is parsed completely before
the store is touched, so a document that fails to parse changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.routing import APIRoute
from pyoxigraph import Quad
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send

from vskg import negotiation
from vskg.analytics.live import Change
from vskg.analytics.reads import quads_may_change_analysis
from vskg.service import deps, errors, gate
from vskg.service.auth import require_write_token
from vskg.service.bodies import checked_iri, read_body, request_iri
from vskg.service.errors import ApiError
from vskg.service.hosts import public_url
from vskg.store import MEDIA_TYPES, Backend


class _StoreRoute(APIRoute):
    """Each method of /store is its own route (for its own docs); a 405 still lists every method allowed."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in self.methods:
            raise HTTPException(405, headers={"Allow": ", ".join(_DOCS)})
        await super().handle(scope, receive, send)


router = APIRouter(tags=["graph store"], route_class=_StoreRoute)

_WRITE = [Depends(require_write_token)]
_BODY_TYPES = ", ".join(MEDIA_TYPES)
_RDF_BODY = {"schema": {"type": "string", "format": "binary"}}
_UPLOAD = {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}


@dataclass(frozen=True)
class Target:
    """What a request addresses: one graph (None is the default graph), or the graph store itself."""

    graph: str | None
    store: bool = False

    @property
    def label(self) -> str:
        return "the default graph" if self.graph is None else f"graph <{self.graph}>"


def target_of(request: Request, direct: bool) -> Target:
    """Work out which graph a request addresses (SPARQL 1.1 Graph Store Protocol, section 4)."""
    params = request.query_params
    graphs, default = params.getlist("graph"), "default" in params
    if direct:
        if graphs or default:
            raise ApiError(400, "a graph named by its URL under /store/ takes no 'graph' or 'default' parameter")
        return Target(checked_iri(request_iri(request)))
    if len(graphs) > 1:
        raise ApiError(400, "give the 'graph' parameter once")
    if graphs and default:
        raise ApiError(400, "give either 'graph=<IRI>' or 'default', not both")
    if graphs:
        return Target(checked_iri(graphs[0]))
    if default:
        return Target(None)
    return Target(None, store=True)


def _one_graph(target: Target) -> Target:
    if target.store:
        raise ApiError(400, "name a graph: add '?graph=<IRI>' or '?default', or use a URL under /store/")
    return target


# --- store actions, run by deps.run_write while no query worker has the store open -------------------------


def _write(store: Backend, graph: str | None, quads: list[Quad], merge: bool) -> bool:
    existed = store.has_graph(graph)
    (store.add_to_graph if merge else store.replace_graph)(graph, quads)
    return existed


def _drop(store: Backend, graph: str | None) -> bool:
    existed = store.has_graph(graph)
    if existed:
        store.drop_graph(graph)
    return existed


# --- handlers shared by indirect and direct identification ------------------------------------------------


async def _read(request: Request, target: Target, head: bool) -> Response:
    target = _one_graph(target)
    try:
        media = negotiation.choose(request.headers.get("accept"), negotiation.GRAPH_TYPES, negotiation.GRAPH_ALIASES)
    except negotiation.NotAcceptable as refused:
        raise ApiError(406, f"{refused}; ask for one of them in Accept") from None
    async with deps.reading(request) as store:
        if not store.has_graph(target.graph):
            raise ApiError(404, f"the store holds no {target.label}")
        body = await run_in_threadpool(store.serialize_graph, target.graph, negotiation.RDF_FORMATS[media])
    headers = {"Vary": "Accept"}
    if head:
        headers["Content-Length"] = str(len(body))
        body = b""
    return Response(body, media_type=media, headers=headers)


async def _put(request: Request, target: Target) -> Response:
    target = _one_graph(target)
    quads = await read_body(request, target.graph, multipart=False)
    change = Change.replaced(target.graph, quads)
    existed = await deps.run_write(request, _write, target.graph, quads, False, change=change)
    return gate.answer(request, Response(status_code=204 if existed else 201))


async def _post(request: Request, target: Target) -> Response:
    if target.store:  # POST to the graph store itself: a new graph with a fresh IRI
        path = f"{request.scope.get('root_path', '')}/store/{uuid.uuid4()}"
        iri = public_url(request, path)
        quads = await read_body(request, iri, multipart=True)
        await deps.run_write(request, _write, iri, quads, False, change=Change.replaced(iri, quads))
        # Location is the graph's IRI under the configured base URL, else relative: never the client's Host.
        location = iri if request.app.state.settings.base_url else path
        return gate.answer(request, Response(status_code=201, headers={"Location": location}))
    quads = await read_body(request, target.graph, multipart=True)
    if not quads:  # merging nothing changes nothing
        return Response(status_code=204)
    relevant = quads_may_change_analysis(quads)
    change = Change.merged(target.graph, quads)
    existed = await deps.run_write(request, _write, target.graph, quads, True, analysis=relevant, change=change)
    return gate.answer(request, Response(status_code=204 if existed else 201))


async def _delete(request: Request, target: Target) -> Response:
    target = _one_graph(target)
    if not await deps.run_write(request, _drop, target.graph, change=Change.dropped(target.graph)):
        raise ApiError(404, f"the store holds no {target.label}")
    return gate.answer(request, Response(status_code=204))


# --- routes ------------------------------------------------------------------------------------------------

_GRAPH = Query(None, description="IRI of the graph to act on (indirect identification), percent-encoded.")
_DEFAULT = Query(None, description="Present (with no value) to act on the default graph instead.")
_PATH = "Any path: the graph's IRI is this request URL without its query string (direct identification)."
_GRAPH_OUT = {
    "description": "The graph in the negotiated syntax.",
    "content": {t: {} for t in negotiation.GRAPH_TYPES},
}
_HEAD_OUT = {"description": "The graph exists; the headers a GET would send, without the body."}
_CHANGED = {204: {"description": "The graph existed and has been changed."}}
_RDF_IN = {"requestBody": {"content": {t: _RDF_BODY for t in MEDIA_TYPES}, "required": False}}
_RDF_OR_UPLOAD = {"requestBody": {"content": {**_RDF_IN["requestBody"]["content"], "multipart/form-data": _UPLOAD}}}

_DOCS = {
    "GET": ("Read a graph", "Serialise the whole graph. Turtle unless Accept asks for N-Triples, RDF/XML or JSON-LD."),
    "HEAD": ("Check that a graph exists", "The headers of the matching GET, without a body."),
    "PUT": (
        "Replace a graph",
        f"Make the graph hold exactly the body's triples ({_BODY_TYPES}). The body is parsed completely first: "
        "a syntax error is a 400 naming the line, and the store is left unchanged. An empty body empties the graph. "
        "Quads of TriG or N-Quads bodies all go into the addressed graph. Needs the write token.",
    ),
    "POST": (
        "Add triples to a graph, or create a new graph",
        "Merge the body's triples into the graph (a `multipart/form-data` upload: every file part, each read by "
        "its content type or file name). Without `graph` or `default`, POST to /store creates a new graph with a "
        "fresh IRI, given in the Location header. Needs the write token.",
    ),
    "DELETE": ("Drop a graph", "Remove the graph and all its triples (the default graph is emptied). Needs the token."),
}
_RESPONSES = {
    "GET": {200: _GRAPH_OUT, **errors.responses(400, 404, 406, 503)},
    "HEAD": {200: _HEAD_OUT, **errors.responses(400, 404, 406, 503)},
    "PUT": {201: {"description": "The graph did not exist and has been created."}, **_CHANGED},
    "POST": {201: {"description": "A graph was created (by a POST to /store itself: see Location)."}, **_CHANGED},
    "DELETE": {204: {"description": "The graph has been dropped."}, **errors.responses(400, 401, 403, 404)},
}
_RESPONSES["PUT"].update(errors.responses(400, 401, 403, 413, 415))
_RESPONSES["POST"].update(errors.responses(400, 401, 403, 413, 415))
for _method in ("PUT", "POST", "DELETE"):
    _RESPONSES[_method].update({200: gate.WARNED, 422: gate.REFUSED})
_HANDLERS = {
    "GET": lambda request, target: _read(request, target, head=False),
    "HEAD": lambda request, target: _read(request, target, head=True),
    "PUT": _put,
    "POST": _post,
    "DELETE": _delete,
}


def _indirect(method: str):
    async def endpoint(request: Request, graph: str | None = _GRAPH, default: str | None = _DEFAULT) -> Response:
        return await _HANDLERS[method](request, target_of(request, direct=False))

    return endpoint


def _direct(method: str):
    async def endpoint(request: Request, path: str) -> Response:
        return await _HANDLERS[method](request, target_of(request, direct=bool(path)))

    return endpoint


for _method, (_summary, _description) in _DOCS.items():
    if _method in ("PUT", "POST", "DELETE"):
        _description += gate.GATED_NOTE
    _options = {
        "methods": [_method],
        "summary": _summary,
        "responses": _RESPONSES[_method],
        "dependencies": _WRITE if _method in ("PUT", "POST", "DELETE") else None,
        "openapi_extra": {"PUT": _RDF_IN, "POST": _RDF_OR_UPLOAD}.get(_method),
        "response_class": Response,
        "status_code": {"POST": 201, "PUT": 204, "DELETE": 204}.get(_method, 200),
    }
    router.add_api_route(
        "/store", _indirect(_method), description=_description, operation_id=f"store_{_method.lower()}", **_options
    )
    router.add_api_route(
        "/store/{path:path}",
        _direct(_method),
        description=f"{_description}\n\n{_PATH}",
        operation_id=f"store_direct_{_method.lower()}",
        **_options,
    )
