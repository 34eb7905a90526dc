"""What the route modules share: the store, the query engine, and the two ways of touching them."""

from __future__ import annotations

import gzip
import time
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from vskg.analytics import NotFound, analyse_portfolio, shared_systems, to_json
from vskg.analytics.live import Change, dumps
from vskg.analytics.model import PortfolioAnalysis
from vskg.memory import give_back
from vskg.service import gate, validation
from vskg.service.errors import ApiError
from vskg.service.memo import memo_of
from vskg.store import Backend
from vskg.store.engine import (
    EngineBusy,
    QueryAnswer,
    QueryEngine,
    QueryFailed,
    QueryJob,
    QueryTimeout,
    StoreBusy,
)
from vskg.validation.delta import Delta, Measured, measured_or_unknown

T = TypeVar("T")

TRUNCATED_HEADER = "Vskg-Result-Truncated"


def store_of(request: Request) -> Backend:
    """The service's store (the managed engine, or the operator's SPARQL server)."""
    return request.app.state.store


@asynccontextmanager
async def reading(request: Request, wait: float | None = None) -> AsyncIterator[Backend]:
    """Read the store in the service process. The store answers each read from a snapshot, so a reader waits for a
    write only in validate-writes mode (`vskg.service.gate`), at most ``wait`` seconds (default: the time limit),
    and then gets a 503."""
    try:
        async with engine_of(request).reading(wait):
            yield store_of(request)
    except StoreBusy as held:
        raise busy(held.waited) from None


def busy(waited: float) -> ApiError:
    """The 503 for a reader that waited ``waited`` seconds for a write to finish."""
    return ApiError(
        503,
        f"the store is being written to and the write did not finish within {waited:g} s, the time this request "
        "may wait; try again shortly",
        {"Retry-After": "5"},
    )


def engine_of(request: Request) -> QueryEngine:
    return request.app.state.engine


# The shortest time limit a client may ask for. A shorter one could only ever end in a 503 (starting a query on a
# worker takes longer), so it is refused as a bad parameter instead; the OpenAPI document declares it as `minimum`.
MIN_TIMEOUT = 0.1


def requested_timeout(raw: str | None) -> float | None:
    """A client's `timeout` parameter in seconds; it can shorten the server's limit but never lengthen it.

    Absent means the server's limit. Present, it must be a finite number of at least ``MIN_TIMEOUT`` seconds: an empty
    value, ``nan`` or ``inf`` is refused like any other text that is not such a number.
    """
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(400, f"timeout must be a number of seconds, got {raw!r}") from None
    if not MIN_TIMEOUT <= value < float("inf"):  # also false for nan
        raise ApiError(400, f"timeout must be at least {MIN_TIMEOUT} seconds (and finite), got {raw!r}")
    return value


async def answer_query(request: Request, job: QueryJob, timeout: float | None = None) -> Response:
    """Run a query on the engine and turn its answer, or its failure, into an HTTP response."""
    answer = await run_query(request, job, timeout)
    return Response(answer.body, media_type=answer.media_type, headers=answer_headers(answer))


def answer_headers(answer: QueryAnswer) -> dict[str, str]:
    """The headers every query answer carries: Vary, and the row count of an answer cut at the row limit."""
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers[TRUNCATED_HEADER] = str(answer.rows)
    return headers


async def run_query(request: Request, job: QueryJob, timeout: float | None = None) -> QueryAnswer:
    """Run a query on the engine; its failure becomes the fitting HTTP error."""
    engine = engine_of(request)
    started = time.perf_counter()
    try:
        answer = await engine.run(job, timeout)
    except StoreBusy:
        raise busy(engine.limit(timeout)) from None
    except QueryTimeout:
        limit = engine.limit(timeout)
        raise ApiError(
            503,
            f"the query was stopped after {limit:g} s, the time limit of this endpoint; narrow it down "
            "(add LIMIT, more specific patterns) and try again",
            {"Retry-After": "1"},
        ) from None
    except EngineBusy as busy_engine:
        raise ApiError(503, busy_engine.message, {"Retry-After": "5"}) from None
    except QueryFailed as failed:
        raise ApiError(failed.status, failed.message) from None
    finally:
        request.app.state.metrics.observe_query(time.perf_counter() - started)
    return answer


async def run_write(
    request: Request,
    action: Callable[..., T],
    *args,
    analysis: bool = True,
    change: Change | None = None,
    measured: Callable[[Backend], Measured] | None = None,
) -> T:
    """Call ``action(store, *args)`` off the loop, one write at a time, and return its result.

        Readers carry on meanwhile (each sees the state before or after the write, never a part of it). Pass
        ``analysis=False`` only for a write that cannot change what the analyses read (`vskg.analytics.reads`), and
        ``change`` when the write's quads are known (`vskg.analytics.live`); a failed write counts as unknown. In
        validate-writes mode the write is checked (`vskg.service.gate.write`: ``measured(store)``, or the delta of
        ``change``, says what it changes) while no reader runs, and a refused one leaves the store as it was. Either way
    the write's delta (`vskg.validation.delta`, measured just before it runs) goes to the standing report, which then
    re-checks only what it can affect.
    """
    app = request.app
    gated = gate.is_on(request)
    engine = engine_of(request)
    async with engine.exclusive(hold_readers=True) if gated else engine.exclusive():
        done = False
        delta = Delta.unknown()
        try:
            if gated:
                result = await run_in_threadpool(
                    gate.write, request, app.state.store, action, *args, change=change, measured=measured
                )
                delta = gate.delta(request)
            else:
                delta = await run_in_threadpool(measured_or_unknown, app.state.store, change, measured)
                result = await run_in_threadpool(action, app.state.store, *args)
            done = True
            return result
        except gate.Untouched:
            done = None  # refused before or undone exactly: no write happened
            raise
        finally:  # even a failed write may have changed something
            if done is not None:
                memo_of(app.state).advance(analysis=analysis, change=change if done else None)
                validation.written(app.state, memo_of(app.state).generation, delta if done else Delta.unknown())


async def analysed(request: Request, action: Callable[..., T], *args: Any) -> T:
    """``action(store, *args)`` on the service's store, off the loop; a missing resource becomes a 404."""
    async with reading(request) as store:
        try:
            return await run_in_threadpool(action, store, *args)
        except NotFound as problem:
            raise ApiError(404, str(problem)) from None


def store_state(request: Request) -> int:
    """Which state the store is in: the number of writes the service has made (a cheap key for caches)."""
    return memo_of(request.app.state).generation


def remembered(request: Request, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave for ``key`` since the last write; call off the loop, inside `reading`."""
    return memo_of(request.app.state).get(key, compute)


def remembered_analysis(request: Request, key: Hashable, compute: Callable[[], T]) -> T:
    """Like `remembered`, for what is derived from the analyses only: kept across writes that cannot change them."""
    return memo_of(request.app.state).analysis(key, compute)


def portfolio_analysis(request: Request, store: Backend, portfolio: str | None = None) -> PortfolioAnalysis:
    """The portfolio analysis, computed once per store state; call inside `reading(request)`, off the loop."""
    memo = memo_of(request.app.state)

    def compute() -> PortfolioAnalysis:
        analysis = memo.live.analysis(store) if portfolio is None else analyse_portfolio(store, portfolio)
        give_back()  # what the analysis built and dropped again (most of it) is returned to the system
        return analysis

    return memo.analysis(("portfolio", portfolio), compute)


def portfolio_gzipped(request: Request, store: Backend, portfolio: str | None = None) -> bytes:
    """The JSON of /api/portfolio as one gzip member, computed once per store state; call inside `reading(request)`,
    off the loop. It is kept compressed: at a million triples the JSON is over 100 MB, its gzip a tenth of that. For
    every stream it comes from the live analysis, laid together from compressed pieces kept per stream."""
    memo = memo_of(request.app.state)

    def compute() -> bytes:
        if portfolio is None:
            return memo.live.gzipped(store)
        result = portfolio_analysis(request, store, portfolio)
        body = {**to_json(result), "shared_systems": to_json(shared_systems(result))}
        return gzip.compress(dumps(body).encode("utf-8"), 6, mtime=0)

    return memo.analysis(("portfolio.json.gz", portfolio), compute)
