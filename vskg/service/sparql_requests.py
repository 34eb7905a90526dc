"""Reading a SPARQL 1.1 Protocol request: its parameters, its body, its base IRI, and the SERVICE check.

The protocol parameters are read here rather than by FastAPI, because the protocol has rules FastAPI cannot
express: a parameter that may appear once only, a query that must not come both in the URL and in the body, and
percent-encoded bytes that must be UTF-8. /sparql, /update and /queries all read their requests with these.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import Request
from pyoxigraph import NamedNode
from starlette.concurrency import run_in_threadpool

from vskg.safety import Refused, check_query
from vskg.service.deps import engine_of
from vskg.service.errors import ApiError
from vskg.service.hosts import public_url

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")


class Params:
    """The parameters of one part of a request (the URL's query string or a form body), decoded strictly."""

    def __init__(self, raw: bytes, where: str) -> None:
        self.where = where
        try:
            self.pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            raise ApiError(
                400, f"the {where} is not valid UTF-8; percent-encode the UTF-8 bytes of each value"
            ) from None

    @classmethod
    def joined(cls, *parts: Params) -> Params:
        """The parameters of several parts of one request together."""
        joined = cls(b"", " and ".join(part.where for part in parts))
        joined.pairs = [pair for part in parts for pair in part.pairs]
        return joined

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self.pairs)

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.pairs if key == name]

    def one(self, name: str) -> str | None:
        values = self.all(name)
        if len(values) > 1:
            raise ApiError(400, f"{len(values)} '{name}' parameters in the {self.where}; send exactly one")
        return values[0] if values else None


def url_params(request: Request) -> Params:
    return Params(request.scope.get("query_string", b""), "URL query string")


def content_type(request: Request) -> str:
    """The request's media type, lower case without parameters; a charset other than UTF-8 is refused."""
    media, _, rest = request.headers.get("content-type", "").partition(";")
    for param in rest.split(";"):
        name, _, value = param.partition("=")
        charset = value.strip().strip('"').lower()
        if name.strip().lower() == "charset" and charset not in ("utf-8", "utf8", "us-ascii"):
            raise ApiError(415, f"the request body must be UTF-8, not {charset!r}")
    return media.strip().lower()


async def body_text(request: Request) -> str:
    try:
        return (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "the request body is not valid UTF-8") from None


def graph_iris(values: list[str], name: str) -> tuple[str, ...]:
    """Check that each value of a graph parameter is an absolute IRI."""
    for value in values:
        try:
            NamedNode(value)
        except ValueError as err:
            raise ApiError(400, f"{name} {value!r} is not an absolute IRI ({err})") from None
    return tuple(values)


def refuse_in_url(url: Params, name: str, place: str) -> None:
    if url.has(name):
        raise ApiError(400, f"'{name}' was sent in the URL query string; with this request it belongs in {place}")


def endpoint_iri(request: Request) -> str:
    """The IRI of the endpoint the request went to: the base for relative IRIs in a query or an update.

    Under the configured public base URL when there is one (see vskg.service.hosts), else the request's own URL.
    """
    return public_url(request, request.url.path)


def one_of(name: str, *sources: Params) -> str | None:
    """A parameter that may come from either part of the request, but only once in all."""
    values = [value for source in sources for value in source.all(name)]
    if len(values) > 1:
        raise ApiError(400, f"{len(values)} '{name}' parameters; send exactly one")
    return values[0] if values else None


async def checked(request: Request, text: str, base: str | None) -> None:
    """Refuse SERVICE the operator has not allowed (read off the event loop: the text may be long); the query
    workers check again before they run it."""
    try:
        await run_in_threadpool(check_query, text, engine_of(request).allowed_services, base)
    except Refused as refused:
        raise ApiError(400, str(refused)) from None
