"""Reading RDF sent in a request: a graph name the store may hold, the request's own IRI, and the body's quads.

A body is parsed completely, in a worker thread, before anything touches the store, so a document that fails to
parse changes nothing; its syntax comes from its media type (or, for a file of a multipart upload, its file name).
The Graph Store Protocol (/store) and validation (/validate) read their bodies with these.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from pyoxigraph import NamedNode, Quad, RdfFormat
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from vskg.rdfio import InputError
from vskg.service.errors import ApiError
from vskg.service.hosts import public_url
from vskg.store import MEDIA_TYPES, STAGING_PREFIX, file_format, parse_quads

_BODY_TYPES = ", ".join(MEDIA_TYPES)


def checked_iri(iri: str) -> str:
    """A graph name a client gave: an absolute IRI, and none of the names the store keeps for itself."""
    if iri.startswith(STAGING_PREFIX):
        raise ApiError(400, f"graph IRIs starting with {STAGING_PREFIX} are reserved for the store's own use")
    try:
        NamedNode(iri)
    except ValueError as err:
        raise ApiError(400, f"the graph must be named by an absolute IRI; {iri!r} is not one ({err})") from None
    return iri


def request_iri(request: Request) -> str:
    """The request URL without its query string, with the path exactly as the client sent it; under the public
    base URL when one is configured (the Host header only counts once it has passed the allowed-hosts check)."""
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1").partition("?")[0] if raw else request.url.path
    return public_url(request, path)


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
    base = graph or request_iri(request)
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
