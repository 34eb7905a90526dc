"""Admission to the query engine (vskg.store.engine.QueryEngine): a query's deadline counts from the moment it
starts on a worker, so queries that each fit their limit all answer even when more arrive than there are workers;
a runaway is still stopped at its limit, and a query that cannot even start within the queue's wait is refused as
busy without running.

The store here is a stand-in that takes a given time per query (as the engine would on a busy machine); nothing
is timed by the tests themselves: they check which queries answered, which were refused, and what ran.
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from pyoxigraph import QueryResultsFormat, parse_query_results

from vskg.store.base import QueryTimeout as BackendTimeout
from vskg.store.engine import EngineBusy, QueryAnswer, QueryEngine, QueryJob, QueryTimeout

TRUE = b'{"head":{},"boolean":true}'
JSON = "application/sparql-results+json"


class SlowStore:
    """Answers every ASK with true after ``seconds``; like the engine, it gives up at the query's own time limit
    unless ``runaway`` (then it goes on regardless, as a query the engine cannot stop)."""

    def __init__(self, seconds: float, *, runaway: bool = False) -> None:
        self.seconds = seconds
        self.runaway = runaway
        self.calls = 0
        self._lock = threading.Lock()

    def query(self, text: str, *, timeout: float | None = None, **options):
        with self._lock:
            self.calls += 1
        if not self.runaway and timeout is not None and self.seconds > timeout:
            time.sleep(timeout)
            raise BackendTimeout("the engine stopped the query at its time limit")
        time.sleep(self.seconds)
        return parse_query_results(TRUE, format=QueryResultsFormat.JSON)


def run_all(engine: QueryEngine, count: int) -> list[QueryAnswer | BaseException]:
    async def go():
        try:
            jobs = [engine.run(QueryJob("ASK {}", accept=JSON)) for _ in range(count)]
            return await asyncio.gather(*jobs, return_exceptions=True)
        finally:
            await engine.close()

    return asyncio.run(go())


def test_queries_that_each_fit_their_limit_all_answer_when_they_queue() -> None:
    # One worker, eight queries of 0.3 s with a 1 s limit: together they take 2.4 s. Counted from their arrival
    # (the old behaviour) the fifth and later ran past 1.25 s and were answered 503; each alone fits its limit.
    store = SlowStore(0.3)
    engine = QueryEngine(store, workers=1, timeout=1.0)
    answers = run_all(engine, 8)
    assert [a.body if isinstance(a, QueryAnswer) else repr(a) for a in answers] == [b'{"head":{},"boolean":true}'] * 8
    assert (engine.timeouts, store.calls) == (0, 8)


def test_a_runaway_is_still_stopped_at_its_limit() -> None:
    store = SlowStore(3.0, runaway=True)
    engine = QueryEngine(store, workers=2, timeout=0.3)
    answers = run_all(engine, 2)
    assert [type(a) for a in answers] == [QueryTimeout, QueryTimeout]
    assert engine.timeouts == 2


def test_a_query_the_engine_stops_at_its_limit_is_a_timeout() -> None:
    engine = QueryEngine(SlowStore(2.0), workers=1, timeout=0.3)
    answers = run_all(engine, 1)
    assert [type(a) for a in answers] == [QueryTimeout]


def test_a_query_that_cannot_start_within_the_queue_wait_is_refused_without_running() -> None:
    store = SlowStore(1.5)
    engine = QueryEngine(store, workers=1, timeout=5.0, queue_wait=0.2)
    answers = run_all(engine, 3)
    assert isinstance(answers[0], QueryAnswer)
    refused = answers[1:]
    assert all(isinstance(a, EngineBusy) for a in refused), answers
    assert sorted(a.ahead for a in refused) == [1, 2]
    assert {(a.status, a.message) for a in refused} == {
        (
            503,
            f"the service is busy: {ahead} queries were ahead of this one, and no query worker became free within "
            "0.2 s; try again shortly",
        )
        for ahead in (1, 2)
    }
    assert (store.calls, engine.timeouts) == (1, 0)


@pytest.mark.parametrize("workers", [1, 3])
def test_every_query_runs_once(workers: int) -> None:
    store = SlowStore(0.05)
    engine = QueryEngine(store, workers=workers, timeout=5.0)
    answers = run_all(engine, 10)
    assert sum(isinstance(a, QueryAnswer) for a in answers) == 10
    assert store.calls == 10


def test_a_waiting_query_whose_request_goes_away_never_runs() -> None:
    store = SlowStore(0.5)
    engine = QueryEngine(store, workers=1, timeout=5.0)

    async def go():
        running = asyncio.ensure_future(engine.run(QueryJob("ASK {}", accept=JSON)))
        waiting = asyncio.ensure_future(engine.run(QueryJob("ASK {}", accept=JSON)))
        await asyncio.sleep(0.1)
        waiting.cancel()
        try:
            return await running
        finally:
            await asyncio.sleep(0.6)  # time enough for the waiting query to have run, had it not been dropped
            await engine.close()

    assert isinstance(asyncio.run(go()), QueryAnswer)
    assert store.calls == 1
