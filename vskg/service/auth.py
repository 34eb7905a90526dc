"""Write protection: the service is read-only unless started with a write token, and then needs it."""

from __future__ import annotations

import hmac

from fastapi import Request

from vskg.service.errors import ApiError


def require_write_token(request: Request) -> None:
    """A FastAPI dependency for every route that changes the store."""
    token: str | None = request.app.state.settings.write_token
    if token is None:
        raise ApiError(
            403, "this server is read-only: start it with VSKG_WRITE_TOKEN or --write-token-file to allow writes"
        )
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(401, "writes need an 'Authorization: Bearer <token>' header", {"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(403, "the write token is not valid")
