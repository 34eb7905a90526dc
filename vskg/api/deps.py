"""What the route modules share: the store, the query engine, and the two ways of touching them."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from vskg.api.errors import ApiError
from vskg.engine import QueryEngine, QueryFailed, QueryJob, QueryTimeout
from vskg.store import LocalStore

T = TypeVar("T")

TRUNCATED_HEADER = "Vskg-Result-Truncated"


def store_of(request: Request) -> LocalStore:
    return request.app.state.store


def engine_of(request: Request) -> QueryEngine:
    return request.app.state.engine


def requested_timeout(raw: str | None) -> float | None:
    """A client's `timeout` parameter in seconds; it can shorten the server's limit but never lengthen it."""
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(400, f"timeout must be a number of seconds, got {raw!r}") from None
    if value <= 0:
        raise ApiError(400, "timeout must be more than 0 seconds")
    return value


async def answer_query(request: Request, job: QueryJob, timeout: float | None = None) -> Response:
    """Run a query on the engine and turn its answer, or its failure, into an HTTP response."""
    engine = engine_of(request)
    started = time.perf_counter()
    try:
        answer = await engine.run(job, timeout)
    except QueryTimeout:
        limit = engine.timeout if timeout is None else min(timeout, engine.timeout)
        raise ApiError(
            503,
            f"the query was stopped after {limit:g} s, the time limit of this endpoint; narrow it down "
            "(add LIMIT, more specific patterns) and try again",
            {"Retry-After": "1"},
        ) from None
    except QueryFailed as failed:
        raise ApiError(failed.status, failed.message) from None
    finally:
        request.app.state.metrics.observe_query(time.perf_counter() - started)
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers[TRUNCATED_HEADER] = str(answer.rows)
    return Response(answer.body, media_type=answer.media_type, headers=headers)


async def run_write(request: Request, action: Callable[..., T], *args) -> T:
    """Apply a change to the store while no query worker holds it open, then flush it to disk."""
    store = store_of(request)
    async with engine_of(request).exclusive():
        result = await run_in_threadpool(action, *args)
        await run_in_threadpool(store.db.flush)
    return result
