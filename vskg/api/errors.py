"""Every error the service returns is JSON with a status and a message a person can act on; never a trace."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("vskg.api")


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.message = message
        self.headers = headers or {}
        super().__init__(message)


def error_body(status: int, message: str) -> dict:
    return {"error": {"status": status, "message": message}}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, message), status_code=status, headers=headers)


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
        415: "Unsupported request media type.",
        500: "Unexpected server error (the message says what failed; no internals).",
        503: "The query ran past its time limit and was stopped.",
    }
    out = {}
    for code in codes:
        text = described.get(f"_{code}", defaults[code])
        out[code] = {"description": text, **ERROR_SCHEMA}
    return out


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 405:
            message = "this method is not allowed here; see /docs for the methods each route accepts"
        elif exc.status_code == 404 and message == "Not Found":
            if request.method in ("GET", "HEAD"):
                from vskg.web.pages import not_found, wants_html  # the pages build on this module

                if wants_html(request) and "text/html" in request.headers.get("accept", ""):
                    return not_found(request, "There is no page at this address.", html=True)
            message = "no such resource; see /docs for the routes this service offers"
        return error_response(exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return error_response(400, f"invalid request: {problems}")

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return error_response(500, f"unexpected server error ({type(exc).__name__}); the server log has details")
