"""The 405 answer for the methods a path does not take, with every method it does take in ``Allow``.

Starlette would name only the methods of the first route it tried; `vskg.service.errors` leaves these refusing
routes out when it lists what a path accepts.
"""

from __future__ import annotations

from fastapi import APIRouter

from vskg.service.errors import ApiError


def refuse_methods(router: APIRouter, path: str, allowed: str) -> None:
    """Answer other methods on ``path`` with 405 and the full Allow list (Starlette would name one route's)."""

    async def refuse() -> None:
        raise ApiError(405, f"{path} accepts {allowed} only; see /docs", {"Allow": allowed})

    refuse.refuses_methods = True  # type: ignore[attr-defined]  # errors.allowed_methods leaves it out of Allow

    methods = [m for m in ("GET", "POST", "PUT", "DELETE", "PATCH") if m not in allowed]
    router.add_api_route(path, refuse, methods=methods, include_in_schema=False)
