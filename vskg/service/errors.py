"""Every error the service returns is JSON with a status and a message a person can act on; never a trace.

The OpenAPI document is meant to be the truth about the service, so the codes every route can give are added to
every operation here (`describe_shared_errors`): 400 for a request FastAPI's own validation refuses (FastAPI would
document its own 422, which this service never sends; the 422 of a refused gated write, which a route declares
itself, stays), and the answers of the HTTP layer (`vskg.service.protocol`) to a malformed request, a URL longer
than it accepts (414) and headers larger than it accepts (431). A 405 names every method the path accepts in
`Allow` (Starlette names only those of the first route it tried).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from vskg.store.base import BackendError, QueryTimeout

log = logging.getLogger("vskg.api")


class ApiError(Exception):
    """An error answer; ``body`` adds members beside ``error`` (a refused write's validation report)."""

    def __init__(
        self, status: int, message: str, headers: dict[str, str] | None = None, body: dict | None = None
    ) -> None:
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.body = body or {}
        super().__init__(message)


def error_body(status: int, message: str) -> dict:
    return {"error": {"status": status, "message": message}}


def error_bytes(status: int, message: str) -> bytes:
    """The error body as the bytes a JSONResponse sends, for the layers below the routes (ASGI wrappers, h11)."""
    return json.dumps(error_body(status, message), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None, body: dict | None = None
) -> JSONResponse:
    return JSONResponse({**error_body(status, message), **(body or {})}, status_code=status, headers=headers)


# The shape of an error in the OpenAPI description, shared by every route's `responses`.
ERROR_SCHEMA = {
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "error": {
                        "type": "object",
                        "properties": {"status": {"type": "integer"}, "message": {"type": "string"}},
                    }
                },
            }
        }
    }
}


def responses(*codes: int, **described: str) -> dict:
    """OpenAPI `responses` for the given error codes (descriptions by `_NNN=...` keywords or defaults)."""
    defaults = {
        400: "Malformed request or query; the message says what and where.",
        401: "A write without `Authorization: Bearer <token>`.",
        403: "Writes are disabled, or the token is wrong.",
        404: "No such graph or catalogue query.",
        405: "Method not allowed on this route.",
        406: "None of the accepted media types can carry this answer.",
        413: "Request body larger than the server accepts.",
        414: "The URL is longer than the server accepts; send long queries by POST.",
        415: "Unsupported request media type.",
        431: "The request's header fields are larger than the server accepts.",
        500: "Unexpected server error (the message says what failed; no internals).",
        503: (
            "The request ran past a time or memory limit and was stopped, or a write held the store past its "
            "deadline (see Retry-After)."
        ),
    }
    out = {}
    for code in codes:
        text = described.get(f"_{code}", defaults[code])
        out[code] = {"description": text, **ERROR_SCHEMA}
    return out


# Codes any operation can answer, whatever it declares: a malformed request or a failed parameter check, the limits
# of the HTTP layer, an unexpected failure.
SHARED = {
    400: "Malformed request, or a parameter that is not of its declared type; the message says which.",
    414: responses(414)[414]["description"],
    431: responses(431)[431]["description"],
    500: responses(500)[500]["description"],
}
# A path parameter the route's pattern does not take (a line break, say) matches no route at all.
NO_ROUTE = "No such resource (or a path parameter this route does not take)."
METHODS = ("GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS")


def describe_shared_errors(app: FastAPI) -> None:
    """Make ``app.openapi()`` list the shared error codes on every operation (and no 422: validation gives 400)."""
    build = app.openapi

    def openapi() -> dict:
        schema = build()
        for path, item in schema.get("paths", {}).items():
            for operation in item.values():
                answers = operation.setdefault("responses", {})
                if answers.get("422", {}).get("description") == "Validation Error":  # FastAPI's own
                    answers.pop("422")
                shared = SHARED | ({404: NO_ROUTE} if "{" in path else {})
                for code, text in shared.items():
                    answers.setdefault(str(code), {"description": text, **ERROR_SCHEMA})
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _route_contexts(app: FastAPI) -> list:
    try:
        from fastapi.routing import iter_route_contexts  # routers included lazily (newer FastAPI)
    except ImportError:  # pragma: no cover - older FastAPI lists every route in app.routes
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """The methods some route of ``app`` answers on ``path`` (routes that only refuse methods left out)."""
    found: set[str] = set()
    for route in _route_contexts(app):
        pattern, methods = getattr(route, "path_regex", None), getattr(route, "methods", None)
        if pattern is None or not methods or getattr(getattr(route, "endpoint", None), "refuses_methods", False):
            continue
        if pattern.match(path):
            found |= set(methods)
    return [method for method in METHODS if method in found]


def _where(location: tuple) -> str:
    """'the query parameter graph' rather than pydantic's 'query.graph'."""
    if len(location) == 2 and location[0] in ("query", "path", "header"):
        return f"the {location[0]} parameter {location[1]!r}"
    return ".".join(str(part) for part in location)


def _reason(message: str) -> str:
    """A validator's own message without the 'Value error, ' that pydantic puts before it."""
    return message.removeprefix("Value error, ")


def install(app: FastAPI, unknown_address: Callable[[Request], Response | None] | None = None) -> None:
    """Answer every error as JSON. ``unknown_address`` may answer a request for an address no route takes in
    another way (the app passes the web's 404 page for browsers); when it gives None, the JSON 404 is sent."""
    describe_shared_errors(app)

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.message, exc.headers, exc.body)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            allowed = allowed_methods(request.app, request.url.path)
            if allowed:
                headers["Allow"] = ", ".join(allowed)
            message = f"{request.method} is not allowed here; this path accepts {headers.get('Allow', 'no method')}"
        elif exc.status_code == 404 and message == "Not Found":
            answer = unknown_address(request) if unknown_address is not None else None
            if answer is not None:
                return answer
            message = "no such resource; see /docs for the routes this service offers"
        return error_response(exc.status_code, message, headers or None)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{_where(e['loc'])}: {_reason(e['msg'])}" for e in exc.errors())
        return error_response(400, f"invalid request: {problems}")

    @app.exception_handler(QueryTimeout)
    async def _store_timeout(_: Request, exc: QueryTimeout) -> JSONResponse:
        # A read made by a page or an analysis (not a client's query) that ran past the store's time limit.
        message = "the store did not answer within its time limit; try again shortly, or raise --timeout"
        return error_response(503, message, {"Retry-After": "5"})

    @app.exception_handler(BackendError)
    async def _store_failed(_: Request, exc: BackendError) -> JSONResponse:
        log.warning("the store failed: %s", exc)
        return error_response(502, f"the store could not answer: {exc}")

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return error_response(500, f"unexpected server error ({type(exc).__name__}); the server log has details")
