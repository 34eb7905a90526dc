"""The SPARQL 1.1 Graph Store HTTP Protocol at /store: read, replace, merge into and drop whole graphs.

A graph is named either indirectly, ``/store?graph=<IRI>`` or ``/store?default``, or directly: the request URL
of ``/store/<anything>`` (without its query string) is the IRI of the graph. A body is parsed completely before
the store is touched, so a document that fails to parse changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.routing import APIRoute
from pyoxigraph import NamedNode, Quad, RdfFormat
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send

from vskg import negotiation
from vskg.analytics.live import Change
from vskg.analytics.reads import quads_may_change_analysis
from vskg.api import deps, errors
from vskg.api.auth import require_write_token
from vskg.api.errors import ApiError
from vskg.api.hosts import public_url
from vskg.rdfio import InputError
from vskg.store import MEDIA_TYPES, STAGING_PREFIX, Backend, file_format, parse_quads


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


def checked_iri(iri: str) -> str:
    if iri.startswith(STAGING_PREFIX):
        raise ApiError(400, f"graph IRIs starting with {STAGING_PREFIX} are reserved for the store's own use")
    try:
        NamedNode(iri)
    except ValueError as err:
        raise ApiError(400, f"the graph must be named by an absolute IRI; {iri!r} is not one ({err})") from None
    return iri


def _request_iri(request: Request) -> str:
    """The request URL without its query string, with the path exactly as the client sent it; under the public
    base URL when one is configured (the Host header only counts once it has passed the allowed-hosts check)."""
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1").partition("?")[0] if raw else request.url.path
    return public_url(request, path)


def target_of(request: Request, direct: bool) -> Target:
    """Work out which graph a request addresses (SPARQL 1.1 Graph Store Protocol, section 4)."""
    params = request.query_params
    graphs, default = params.getlist("graph"), "default" in params
    if direct:
        if graphs or default:
            raise ApiError(400, "a graph named by its URL under /store/ takes no 'graph' or 'default' parameter")
        return Target(checked_iri(_request_iri(request)))
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


def _media_type(raw: str | None) -> tuple[str, dict[str, str]]:
    kind, *rest = (raw or "").split(";")
    pairs = (item.partition("=") for item in rest)
    return kind.strip().lower(), {k.strip().lower(): v.strip().strip('"').lower() for k, _, v in pairs}


def _format_of(media: str, charset: str | None) -> RdfFormat:
    if charset and charset not in ("utf-8", "utf8", "us-ascii"):
        raise ApiError(415, f"RDF bodies must be UTF-8; charset={charset} is not supported")
    if media not in MEDIA_TYPES:
        raise ApiError(415, f"cannot read a body of type {media!r}; send one of {_BODY_TYPES}")
    return MEDIA_TYPES[media]


def _parse(body: bytes, fmt: RdfFormat, graph: str | None, name: str, base: str, note: str = "") -> list[Quad]:
    try:
        return parse_quads(body, fmt, graph, name=name, base_iri=base)
    except InputError as err:
        raise ApiError(400, f"{_at_last_line(err, body)}{note}") from None


def _at_last_line(err: InputError, body: bytes) -> InputError:
    """Point an error found at the end of the document at its last written line, not the blank ones after it."""
    last = max((n for n, text in enumerate(body.splitlines(), 1) if text.strip()), default=1)
    if not err.line or err.line <= last:
        return err
    reason = "the document ends before this statement is complete" if err.reason == "Unexpected end" else err.reason
    return InputError(err.path, reason, last)


async def read_body(request: Request, graph: str | None, *, multipart: bool, writing: bool = True) -> list[Quad]:
    """Parse the request body (or, for POST, each file of a multipart upload) into quads placed in ``graph``."""
    base = graph or _request_iri(request)
    note = "; nothing was changed" if writing else ""
    media, params = _media_type(request.headers.get("content-type"))
    if media == "multipart/form-data" and multipart:
        return await _read_parts(request, graph, base, note)
    body = await request.body()
    if not body and not media:
        return []
    if not media:  # the protocol says a body without a Content-Type should be tried as RDF/XML
        media, note = "application/rdf+xml", f" (no Content-Type was given, so the body was read as RDF/XML){note}"
    fmt = _format_of(media, params.get("charset"))
    return await run_in_threadpool(_parse, body, fmt, graph, "request body", base, note)


def _part_format(name: str, filename: str | None, media: str, charset: str | None) -> RdfFormat:
    """A file part's syntax: its own RDF media type, else its file name's extension (clients often send a
    generic text/plain or application/octet-stream for .ttl files)."""
    if media in MEDIA_TYPES and media != "text/plain":
        return _format_of(media, charset)
    if filename and Path(filename).suffix:
        try:
            return file_format(Path(filename))
        except InputError:
            pass
    if media in ("", "text/plain"):
        return _format_of(media or "text/plain", charset)
    raise ApiError(415, f"{name}: cannot tell its RDF syntax from its type {media!r} or its file name")


async def _read_parts(request: Request, graph: str | None, base: str, note: str) -> list[Quad]:
    quads: list[Quad] = []
    files = 0
    async with request.form() as form:
        for _, part in form.multi_items():
            if not isinstance(part, UploadFile):
                continue
            files += 1
            name = f"part {part.filename or files}"
            media, params = _media_type(part.content_type)
            fmt = _part_format(name, part.filename, media, params.get("charset"))
            body = await part.read()
            quads += await run_in_threadpool(_parse, body, fmt, graph, name, base, note)
    if not files:
        raise ApiError(400, "the multipart upload holds no file part")
    return quads


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
    return Response(status_code=204 if existed else 201)


async def _post(request: Request, target: Target) -> Response:
    if target.store:  # POST to the graph store itself: a new graph with a fresh IRI
        path = f"{request.scope.get('root_path', '')}/store/{uuid.uuid4()}"
        iri = public_url(request, path)
        quads = await read_body(request, iri, multipart=True)
        await deps.run_write(request, _write, iri, quads, False, change=Change.replaced(iri, quads))
        # Location is the graph's IRI under the configured base URL, else relative: never the client's Host.
        return Response(status_code=201, headers={"Location": iri if request.app.state.settings.base_url else path})
    quads = await read_body(request, target.graph, multipart=True)
    if not quads:  # merging nothing changes nothing
        return Response(status_code=204)
    relevant = quads_may_change_analysis(quads)
    change = Change.merged(target.graph, quads)
    existed = await deps.run_write(request, _write, target.graph, quads, True, analysis=relevant, change=change)
    return Response(status_code=204 if existed else 201)


async def _delete(request: Request, target: Target) -> Response:
    target = _one_graph(target)
    if not await deps.run_write(request, _drop, target.graph, change=Change.dropped(target.graph)):
        raise ApiError(404, f"the store holds no {target.label}")
    return Response(status_code=204)


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
