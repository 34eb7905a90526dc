"""Running queries for the service: a deadline for each, a bounded pool of threads, and one writer at a time.

Queries go to the store `Backend` (in `vskg serve`, the managed Oxigraph server of `vskg.store.engine_process`, or
a SPARQL server the operator named). The backend gives snapshot isolation, so reads never wait for a write and a
write never waits for reads; this object only orders the service's own writes (one at a time, so that caches
keyed by the number of writes stay exact) and gives every query a deadline. A query past its deadline is answered
with a 503 at once; the engine stops it at its own time limit, and a runaway the engine cannot stop is ended by
restarting the engine (see `QueryEngine.watch`).

Gated writes (`vskg serve --validate-writes`) are the exception: such a write is checked after it is applied and
undone if it adds a SHACL Violation, and no reader may see it in between. `exclusive(hold_readers=True)` therefore
stops admitting reads (new ones wait, at most their deadline, then get a 503), waits for the reads in progress to
finish, and lets reads in again once the write has been checked (and undone, if refused). The cost is that reads
wait for the length of a gated write and its check; plain writes keep the rule above.

Admission: at most ``workers`` queries run on the engine at once (about as many as it has cores to run them on);
the others wait their turn, for at most ``queue_wait`` seconds. A query's deadline starts when it starts running,
not when it arrives: sixteen clients sharing two cores would otherwise each get an eighth of the machine, and a
query of a few seconds, alone well within its limit, would run past it only because others were waiting too.
Each query is then stopped at its own limit, a runaway as before, and only a request that could not even start
within ``queue_wait`` is turned away as busy.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import re
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace

import pyoxigraph
from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions

from vskg.memory import give_back
from vskg.negotiation import RDF_FORMATS, NotAcceptable, result_type
from vskg.safety import check_query, mentions
from vskg.sparql_results import BOOLEAN_WRITERS, SELECT_WRITERS
from vskg.store.base import Backend, BackendError
from vskg.store.base import QueryTimeout as BackendTimeout

log = logging.getLogger("vskg.api")

# True inside a read (`QueryEngine.reading`): the reads it makes itself are admitted with it, never held out.
_INSIDE_READ: contextvars.ContextVar[bool] = contextvars.ContextVar("vskg_inside_read", default=False)


@dataclass(frozen=True)
class QueryJob:
    text: str
    accept: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    max_rows: int = 10_000
    base_iri: str | None = None  # resolves relative IRIs in the query (the Protocol asks for the service's IRI)
    allowed_services: tuple[str, ...] = ()  # endpoints SERVICE may call (the operator's allow-list; none by default)


@dataclass(frozen=True)
class QueryAnswer:
    body: bytes
    media_type: str
    kind: str  # "select", "ask" or "graph"
    rows: int
    truncated: bool


class QueryFailed(Exception):
    """A query the engine will not or cannot answer; ``status`` is the HTTP status that fits."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)


class QueryTimeout(Exception):
    """The query ran past its deadline and was stopped."""


class EngineBusy(QueryFailed):
    """Every worker stayed busy for ``waited`` seconds while the query waited its turn (a 503); ``ahead`` queries
    were waiting or running when it arrived. The query itself never ran, so it does not count as a timeout."""

    def __init__(self, waited: float, ahead: int) -> None:
        self.waited = waited
        self.ahead = ahead
        super().__init__(
            503,
            f"the service is busy: {ahead} queries were ahead of this one, and no query worker became free within "
            f"{waited:g} s; try again shortly",
        )


class StoreBusy(QueryTimeout):
    """A write held the store for longer than the reader was prepared to wait; ``waited`` is that limit (s).

    A kind of QueryTimeout: a query that spent its time waiting for a write ran out of time all the same."""

    def __init__(self, waited: float) -> None:
        self.waited = waited
        super().__init__(f"a write held the store for more than {waited:g} s")


def execute(store: Backend, job: QueryJob, timeout: float | None = None) -> QueryAnswer:
    """Run one query and serialise its answer in the negotiated format (called in a thread of the pool)."""
    try:
        check_query(job.text, job.allowed_services, job.base_iri)
    except ValueError as refused:
        raise QueryFailed(400, str(refused)) from None
    options: dict = {"base_iri": job.base_iri}
    if timeout is not None:
        options["timeout"] = timeout
    if job.default_graphs is not None:
        options["default_graph"] = [NamedNode(g) for g in job.default_graphs]
    elif not mentions(job.text, "FROM"):  # the union would override the query's own FROM / FROM NAMED
        options["use_default_graph_as_union"] = True
    if job.named_graphs is not None:
        options["named_graphs"] = [NamedNode(g) for g in job.named_graphs]
    try:
        handing_on = getattr(store, "query_document", None)  # the remote store: the engine's document, unparsed
        document = handing_on(job.text, lambda kind: _acceptable(job.accept, kind), **options) if handing_on else None
        if document is not None:
            return _handed_on(document, job)
        result = store.query(job.text, **options)
        return _serialise(result, job)
    except BackendTimeout:
        raise QueryTimeout() from None
    except BackendError as err:
        raise QueryFailed(502, str(err)) from None
    except SyntaxError as err:
        raise QueryFailed(400, f"malformed query: {err.msg if hasattr(err, 'msg') else err}") from None
    except NotAcceptable as err:
        raise QueryFailed(406, str(err)) from None
    except (RuntimeError, ValueError) as err:
        raise QueryFailed(400, f"the query cannot be evaluated: {err}") from None


def _serialise(result, job: QueryJob) -> QueryAnswer:
    if isinstance(result, QueryBoolean):
        media = result_type(job.accept, "ask")
        return QueryAnswer(BOOLEAN_WRITERS[media](bool(result)), media, "ask", 1, False)
    if not isinstance(result, QuerySolutions):  # CONSTRUCT, DESCRIBE: triples
        media = result_type(job.accept, "graph")
        triples = []
        for triple in result:
            if len(triples) == job.max_rows:
                return _graph_answer(triples, media, truncated=True)
            triples.append(triple)
        return _graph_answer(triples, media, truncated=False)
    media = result_type(job.accept, "select")
    names = [v.value for v in result.variables]
    rows: list[tuple] = []
    truncated = False
    for solution in result:
        if len(rows) == job.max_rows:
            truncated = True
            break
        rows.append(tuple(solution[name] for name in names))
    return QueryAnswer(SELECT_WRITERS[media](names, rows), media, "select", len(rows), truncated)


def _acceptable(accept: str | None, kind: str) -> str | None:
    try:
        return result_type(accept, kind)
    except NotAcceptable:
        return None  # the query is run the usual way, and refused after it as before


def _handed_on(document, job: QueryJob) -> QueryAnswer:
    """The engine's own SELECT or ASK document as the answer, when it is within the row limit; else cut as usual.

    What the client gets is byte for byte what vskg would have written (see `vskg.sparql_results`), without
    parsing every term into Python and writing it again. The rows are counted in the bytes where the document's
    shape allows it (`counted_rows`: a few milliseconds for megabytes), else by reading it (in Rust).
    """
    if document.form == "ASK":
        return QueryAnswer(document.body, document.media_type, "ask", 1, False)
    fmt = pyoxigraph.QueryResultsFormat.from_media_type(document.media_type)
    rows = counted_rows(document.body)
    if rows is not None and rows <= job.max_rows:
        return QueryAnswer(document.body, document.media_type, "select", rows, False)
    try:
        result = pyoxigraph.parse_query_results(document.body, format=fmt)
        if isinstance(result, QueryBoolean):
            return QueryAnswer(document.body, document.media_type, "ask", 1, False)
        rows = 0
        for _ in result:
            rows += 1
            if rows > job.max_rows:
                return _serialise(pyoxigraph.parse_query_results(document.body, format=fmt), job)
    except SyntaxError as problem:
        raise BackendError(f"the SPARQL server answered results vskg cannot read: {problem}") from None
    return QueryAnswer(document.body, document.media_type, "select", rows, False)


_COMPACT_HEAD = b'{"head":{"vars":['
_BINDINGS = b']},"results":{"bindings":['


def counted_rows(body: bytes) -> int | None:
    """The number of rows of a SELECT document in SPARQL JSON written compactly (as Oxigraph writes it), counted
    in the bytes; None when its shape does not allow that (then it is read instead).

    The only array of objects in a results document is ``bindings``, one object per row, and in compact JSON
    each row after the first starts with ``,{"`` and the name of a variable. Inside a string those bytes can
    only be its end (every other quote in a string is escaped), and what follows the closing quote of a string
    is ``,`` or ``}`` (or ``]``, ``:``), never a variable's name. A row without bindings (``{}``) cannot be told
    from text in a string that way, so a document holding ``{}`` anywhere is not counted here.
    """
    if not body.startswith(_COMPACT_HEAD) or not body.endswith(b"]}}"):
        return None  # another shape, or not a whole document (cut off): reading it says what is wrong
    start = body.find(b"]", len(_COMPACT_HEAD))  # the end of the variables' names (which hold no "]")
    if start < 0 or not body.startswith(_BINDINGS, start) or b"{}" in body:
        return None
    first = start + len(_BINDINGS)
    return len(_NEXT_ROW.findall(body, first)) + body.startswith(b'{"', first)


_NEXT_ROW = re.compile(rb',\{"(?![,}\]:])')


def _resolve(started: asyncio.Future) -> None:
    if not started.done():
        started.set_result(None)


def _graph_answer(triples: list, media: str, *, truncated: bool) -> QueryAnswer:
    body = pyoxigraph.serialize(triples, format=RDF_FORMATS[media]) or b""
    return QueryAnswer(body, media, "graph", len(triples), truncated)


def out_of_memory(memory_mb: int) -> str:
    return (
        f"the query needed more memory than this endpoint gives queries ({memory_mb} MB) and was stopped; "
        "narrow it down (fewer or smaller computed values, LIMIT) and try again"
    )


# Seconds the engine may go on working after a query's deadline, with nothing of the service's running, before the
# work counts as a runaway (the engine can take a moment to notice its own time limit).
RUNAWAY_GRACE = 2.0
QUEUE_WAIT = 60.0  # seconds a query may wait for a free worker before it is refused as busy (see the module)
TRIM_ROUNDS = 10  # rounds of the watch between two returns of freed memory


class QueryEngine:
    """Queries with deadlines, on a pool of threads, over one `Backend`; writes one at a time."""

    def __init__(
        self,
        store: Backend,
        *,
        workers: int = 16,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        allowed_services: tuple[str, ...] = (),
        memory_mb: int = 0,
        engine=None,
        queue_wait: float = QUEUE_WAIT,
    ) -> None:
        self.store = store
        self.engine = engine  # the EngineProcess behind the store, when vskg manages it (None for a remote server)
        self.memory_mb = memory_mb
        self.allowed_services = tuple(allowed_services)
        self.size = workers
        self.timeout = timeout
        self.max_rows = max_rows
        self.queue_wait = queue_wait
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vskg-query")
        self._write_lock = asyncio.Lock()
        self._readers = 0  # reads in progress (`reading` contexts and queries)
        self._reads_open = asyncio.Event()  # cleared while a gated write holds readers out
        self._reads_open.set()
        self._reads_done = asyncio.Event()  # set whenever no read is in progress
        self._reads_done.set()
        self.timeouts = 0
        self.in_flight = 0
        self._overdue: float | None = None  # when the oldest query still unaccounted for passed its deadline
        self._watcher: asyncio.Task | None = None
        self.closing = False

    async def start(self) -> None:
        """Start watching the managed engine (if any): restart it when it died or runs a query past every deadline."""
        if self.engine is not None and self._watcher is None:
            self._watcher = asyncio.create_task(self.watch())

    def begin_shutdown(self) -> None:
        """The service is stopping: no more restarts, and the managed engine goes now (its queries fail with a 503)."""
        self.closing = True
        if self.engine is not None:
            self.engine.stop()

    async def close(self, *, kill: bool = False) -> None:
        self.closing = True
        if self._watcher is not None:
            self._watcher.cancel()
            self._watcher = None
        self._pool.shutdown(wait=False, cancel_futures=True)

    async def watch(self, period: float = 0.5) -> None:
        """Keep the managed engine answering.

        Oxigraph stops most queries at its time limit, but not all of them (a sort or an expression that keeps
        growing runs on). After a query overran its deadline, the engine's CPU time is sampled: if it keeps
        working while no query of the service is in flight, or for longer than twice the time limit, the runaway
        is ended by restarting the engine; so is an engine past its memory cap, and one that died is started again.
        """
        loop = asyncio.get_running_loop()
        last = self.engine.cpu_seconds()
        rounds = 0
        while True:
            await asyncio.sleep(period)
            if self.closing:
                return
            rounds += 1
            if rounds % TRIM_ROUNDS == 0:  # memory freed by past requests goes back to the system (vskg.memory)
                await loop.run_in_executor(None, give_back)
            try:
                if not self.engine.alive() or self.engine.over_memory():
                    log.warning(
                        "restarting the query engine: %s",
                        "it stopped"
                        if not self.engine.alive()
                        else f"it holds {self.engine.resident_bytes() >> 20} MB, past its cap",
                    )
                    await loop.run_in_executor(None, self.engine.restart)
                    self._overdue, last = None, self.engine.cpu_seconds()
                    continue
                now = self.engine.cpu_seconds()
                busy, last = (now - last) > 0.5 * period, now
                if self._overdue is None:
                    continue
                if not busy:
                    self._overdue = None  # the engine let go of the overdue query by itself
                    continue
                quiet = self.in_flight == 0 and not self._write_lock.locked()  # nothing of ours should be running
                overdue = time.monotonic() - self._overdue
                if (quiet and overdue > RUNAWAY_GRACE) or (
                    overdue > 2 * self.timeout and not self._write_lock.locked()
                ):
                    log.warning("restarting the query engine: a query %.1f s past its deadline kept it busy", overdue)
                    await loop.run_in_executor(None, self.engine.restart)
                    self._overdue, last = None, self.engine.cpu_seconds()
            except Exception:
                continue

    async def run(self, job: QueryJob, timeout: float | None = None) -> QueryAnswer:
        """Answer one query within ``timeout`` seconds (never more than the engine's own limit)."""
        limit = self.limit(timeout)
        if self.allowed_services and not job.allowed_services:
            job = replace(job, allowed_services=self.allowed_services)
        async with self.reading(limit):
            return await self._run(job, limit)

    async def _run(self, job: QueryJob, limit: float) -> QueryAnswer:
        self.in_flight += 1
        try:
            try:
                return await self._attempt(job, limit)
            except QueryFailed as failed:
                if failed.status != 502 or self.engine is None:
                    raise
                if self.closing:
                    raise QueryFailed(503, "the service is shutting down; try again when it is back") from None
            # The managed engine went away under this query: restarted to end another query's runaway (then this
            # one is innocent and is asked again), or stopped by its memory cap (then it fails again, and says so).
            await asyncio.get_running_loop().run_in_executor(None, self.engine.ensure_running)
            try:
                return await self._attempt(job, limit)
            except QueryFailed as failed:
                if failed.status != 502:
                    raise
                await asyncio.get_running_loop().run_in_executor(None, self.engine.ensure_running)
                if self.memory_mb:
                    raise QueryFailed(503, out_of_memory(self.memory_mb)) from None
                raise QueryFailed(
                    503, "the query engine stopped while answering and was restarted; try again"
                ) from None
        finally:
            self.in_flight -= 1

    async def _attempt(self, job: QueryJob, limit: float) -> QueryAnswer:
        """Run ``job`` on a worker once one is free; its ``limit`` counts from the moment it starts there."""
        loop = asyncio.get_running_loop()
        started = loop.create_future()

        def running() -> QueryAnswer:
            with contextlib.suppress(RuntimeError):  # the loop is gone: the service is stopping
                loop.call_soon_threadsafe(_resolve, started)
            return execute(self.store, job, limit)

        ahead = self.in_flight - 1
        submitted = self._pool.submit(running)
        future = asyncio.wrap_future(submitted)
        try:
            await asyncio.wait((started, future), timeout=self.queue_wait, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            submitted.cancel()  # the request went away while the query waited its turn: it need not run
            raise
        if not (started.done() or future.done()) and submitted.cancel():  # still waiting its turn: it never runs
            raise EngineBusy(self.queue_wait, ahead)
        try:
            return await asyncio.wait_for(future, limit + 0.25)
        except (TimeoutError, QueryTimeout):
            self.timeouts += 1
            if self._overdue is None:
                self._overdue = time.monotonic()
            raise QueryTimeout() from None

    def call(self, action, *args):
        """Run ``action(*args)`` on the query pool (for reads that are not catalogue or protocol queries)."""
        return asyncio.get_running_loop().run_in_executor(self._pool, action, *args)

    def limit(self, timeout: float | None = None) -> float:
        """The time a query may take: the client's ``timeout`` if shorter than the engine's own limit."""
        return self.timeout if timeout is None else min(timeout, self.timeout)

    @asynccontextmanager
    async def reading(self, wait: float | None = None) -> AsyncIterator[None]:
        """A read: the backend answers each from a snapshot, whatever is being written, so a read waits only while a
        gated write holds readers out, for at most ``wait`` seconds (default: the time limit), then StoreBusy."""
        if _INSIDE_READ.get():  # a read within a read (a page's query): admitted with it
            yield
            return
        if not self._reads_open.is_set():
            limit = self.timeout if wait is None else wait
            try:
                await asyncio.wait_for(self._reads_open.wait(), limit)
            except TimeoutError:
                raise StoreBusy(limit) from None
        self._readers += 1
        self._reads_done.clear()
        token = _INSIDE_READ.set(True)
        try:
            yield
        finally:
            _INSIDE_READ.reset(token)
            self._readers -= 1
            if self._readers == 0:
                self._reads_done.set()

    @asynccontextmanager
    async def exclusive(self, *, hold_readers: bool = False) -> AsyncIterator[None]:
        """One write at a time, so that the service's count of writes matches the order they were applied in.

        ``hold_readers``: no read runs while the write does (see the module): new reads wait, and the write starts
        once the reads in progress have finished."""
        async with self._write_lock:
            if not hold_readers:
                yield
                return
            self._reads_open.clear()
            try:
                await self._reads_done.wait()
                yield
            finally:
                self._reads_open.set()
