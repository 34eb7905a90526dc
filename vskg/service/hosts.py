"""Which names the service answers to, and the public address it gives out.

A client chooses the ``Host`` header freely, so nothing the service sends back may be built from it: a
``Location`` of ``http://evil.example/...`` after a POST (or a graph named after an attacker's host) would let a
request plant links to another site. The service therefore

- refuses a request whose ``Host`` is not one the operator allows (400, before any route runs), the defaults
  being the loopback names and the interface it listens on (``*`` allows any name);
- builds the IRIs it mints or resolves against (a new graph's IRI, a graph named by its URL under ``/store/``,
  the base IRI of a query or an update) from the configured public base URL when there is one, and otherwise from
  the request, whose host has then passed the check;
- sends ``Location`` headers relative (or under the base URL), also those made by the framework (a redirect to
  the URL without its trailing slash).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vskg.service.errors import error_bytes

DEFAULT_HOSTS = ("127.0.0.1", "localhost", "[::1]")
ANY_HOST = "*"


def checked_base_url(text: str | None) -> str | None:
    """The public base URL (``https://kg.example.org`` or with a path prefix), without a trailing slash."""
    if not text:
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"the base URL must be an absolute http(s) URL without query or fragment, got {text!r}")
    return text.rstrip("/")


def host_name(host: str) -> str:
    """The name part of a Host header value (``[::1]`` for ``[::1]:8000``), lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host.partition("]")[0] + "]"
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def allowed_hosts(configured: tuple[str, ...], base_url: str | None) -> frozenset[str]:
    """The names the service answers to: the configured ones and the base URL's host."""
    names = {name.strip().lower() for name in configured if name.strip()}
    if base_url:
        names.add(urlsplit(base_url).netloc.lower())
    return frozenset(names)


def host_allowed(host: str, allowed: frozenset[str]) -> bool:
    value = host.strip().lower()
    return ANY_HOST in allowed or value in allowed or host_name(value) in allowed


def public_url(request: Request, path: str) -> str:
    """The absolute URL of ``path`` (as sent, starting with '/'): under the base URL, else the request's origin."""
    base = request.app.state.settings.base_url
    if base:
        return f"{base}{path}"
    url = request.url
    return f"{url.scheme}://{url.netloc}{path}"


class CheckHost:
    """Refuse requests for unknown hosts; keep Location headers from naming the host the client sent."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str], base_url: str | None) -> None:
        self.app, self.allowed, self.base_url = app, allowed, base_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        hosts = [value.decode("latin-1") for name, value in scope["headers"] if name == b"host"]
        refused = next((host for host in hosts if not host_allowed(host, self.allowed)), None)
        if refused is not None or len(hosts) > 1:
            await self._refuse(send, refused)
            return
        origin = f"{scope.get('scheme', 'http')}://{hosts[0]}".lower().encode("latin-1") if hosts else None

        async def send_relative(message: Message) -> None:
            if message["type"] == "http.response.start" and origin is not None:
                message["headers"] = [
                    (name, self._location(value, origin) if name.lower() == b"location" else value)
                    for name, value in message.get("headers", [])
                ]
            await send(message)

        await self.app(scope, receive, send_relative)

    def _location(self, value: bytes, origin: bytes) -> bytes:
        """A Location on the request's own origin, made relative (or put under the configured base URL)."""
        if not value.lower().startswith(origin) or value[len(origin) : len(origin) + 1] not in (b"/", b""):
            return value
        path = value[len(origin) :] or b"/"
        return self.base_url.encode("latin-1") + path if self.base_url else path

    async def _refuse(self, send: Send, host: str | None) -> None:
        if host is None:
            message = "the request has more than one Host header"
        else:
            message = (
                f"this server does not answer to the host {host!r}; the operator can allow it with --allow-host "
                "or VSKG_ALLOWED_HOSTS"
            )
        body = error_bytes(400, message)
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 400, "headers": headers})
        await send({"type": "http.response.body", "body": body})
