"""The HTTP layer under the service: uvicorn's h11 protocol, answering the requests it refuses in the service's JSON.

Why: uvicorn parses the request line and headers itself, before the application sees anything. When that fails (a
1 MB query string, too many headers, bytes that are not HTTP) it answers ``400 Invalid HTTP request received.`` as
plain text, which is neither the service's error shape nor what its OpenAPI document says. This subclass of
uvicorn's ``H11Protocol`` sends those answers as ``{"error": {"status", "message"}}`` with the right status:

- **414 URI Too Long** when the request line (method, URL, version) is longer than ``MAX_REQUEST_LINE`` (32 KiB);
- **431 Request Header Fields Too Large** when the request line and headers together are longer than
  ``MAX_HEAD_BYTES`` (64 KiB);
- **400** for anything else that is not a well-formed HTTP/1.1 request.

h11 refuses a head over ``MAX_HEAD_BYTES`` only when it has not arrived in one read (its
``max_incomplete_event_size``; its default, 16 KiB, is too short for the SPARQL queries people send by GET), so
``LimitHead`` checks both limits again on every request h11 did parse: the limits hold exactly, whatever the
network did. Longer queries belong in a POST body, which has a limit of its own (``Settings.max_body_bytes``, 413).

The protocol class is given to uvicorn explicitly (``uvicorn_options``), so the server uses h11 even where
``httptools`` is installed (uvicorn's ``auto`` would pick httptools, whose error answers are plain text too).
"""

from __future__ import annotations

from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from vskg.service.errors import error_bytes

MAX_REQUEST_LINE = 32 * 1024
MAX_HEAD_BYTES = 64 * 1024
REASONS = {400: b"Bad Request", 414: b"URI Too Long", 431: b"Request Header Fields Too Large"}


TOO_LONG = f"the request line is longer than {MAX_REQUEST_LINE} bytes; send a long query in a POST body instead"
TOO_LARGE = f"the request line and headers are larger than {MAX_HEAD_BYTES} bytes together"


def diagnose(pending: bytes, limit: int = MAX_HEAD_BYTES) -> tuple[int, str]:
    """Status and message for a request h11 refused, from the bytes of it that were received (``trailing_data``)."""
    if len(pending) > limit:
        line_end = pending.find(b"\n")
        if line_end < 0 or line_end > MAX_REQUEST_LINE:
            return 414, TOO_LONG
        return 431, TOO_LARGE
    return 400, "malformed HTTP request; this server speaks HTTP/1.1"


def json_error(status: int, message: str) -> tuple[list[tuple[bytes, bytes]], bytes]:
    body = error_bytes(status, message)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode("ascii"))]
    return headers, body


class LimitHead:
    """ASGI wrapper: a request whose request line or head is over the limits gets 414 or 431 before the app runs."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            query = scope.get("query_string", b"")
            target = len(scope.get("raw_path") or scope["path"].encode()) + (len(query) + 1 if query else 0)
            line = len(scope["method"]) + 1 + target + len(" HTTP/1.1")
            head = line + 2 + sum(len(name) + len(value) + 4 for name, value in scope["headers"]) + 2
            refusal = (414, TOO_LONG) if line > MAX_REQUEST_LINE else (431, TOO_LARGE)
            if line > MAX_REQUEST_LINE or head > MAX_HEAD_BYTES:
                headers, body = json_error(*refusal)
                await send({"type": "http.response.start", "status": refusal[0], "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


class JsonErrorH11Protocol(H11Protocol):
    """uvicorn's h11 protocol whose own error answers (before the application runs) are the service's JSON errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app = LimitHead(self.app)

    def send_400_response(self, msg: str) -> None:
        pending, _ = self.conn.trailing_data
        limit = self.config.h11_max_incomplete_event_size or 16 * 1024  # h11's own default
        status, message = diagnose(pending, limit)
        headers, body = json_error(status, message)
        headers.append((b"connection", b"close"))
        self.transport.write(self.conn.send(h11.Response(status_code=status, headers=headers, reason=REASONS[status])))
        self.transport.write(self.conn.send(h11.Data(data=body)))
        self.transport.write(self.conn.send(h11.EndOfMessage()))
        self.transport.close()


def uvicorn_options() -> dict[str, Any]:
    """The keyword arguments ``uvicorn.run`` needs to serve with this protocol and limit."""
    return {"http": JsonErrorH11Protocol, "h11_max_incomplete_event_size": MAX_HEAD_BYTES}
