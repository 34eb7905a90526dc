"""Running SPARQL queries so that a runaway query can be stopped without stopping the service.

pyoxigraph's ``query`` has no timeout and cannot be interrupted from another thread, so each query runs in a
worker process; a query that overruns its deadline is ended by killing its worker, and a fresh worker takes its
place. The service itself keeps answering meanwhile. Each worker answers from an in-memory copy of the store,
taken when it starts (about ten times faster than reading RocksDB; the cost is memory per worker and a reload
after every write, about 2 s per million triples).

A read-only handle must not be open while the database is written to (RocksDB leaves that undefined: compaction
may delete files a reader still needs), so reads and writes never overlap. Every read, in a worker or in the
service process, happens inside `reading()`; a write goes through `exclusive()`, which lets running reads finish
(queries are bounded by the timeout), closes the workers, lets the caller close its own read-only handle, open
the database for writing, write and close it again, and then starts fresh workers that copy the new state.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph
from pyoxigraph import Literal, NamedNode, QueryBoolean, QuerySolutions, QueryTriples, Variable

from vskg.negotiation import RDF_FORMATS, NotAcceptable, result_type
from vskg.safety import check_query, mentions
from vskg.sparql_results import BOOLEAN_WRITERS, SELECT_WRITERS
from vskg.subprocesses import die_with_parent, limit_memory, without_network

# A substituted value travels between processes as (kind, value, datatype, language).
TermSpec = tuple[str, str, str | None, str | None]


@dataclass(frozen=True)
class QueryJob:
    text: str
    accept: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    substitutions: tuple[tuple[str, TermSpec], ...] = ()
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


class StoreBusy(QueryTimeout):
    """A write held the store for longer than the reader was prepared to wait; ``waited`` is that limit (s).

    A kind of QueryTimeout: a query that spent its time waiting for a write ran out of time all the same."""

    def __init__(self, waited: float) -> None:
        self.waited = waited
        super().__init__(f"a write held the store for more than {waited:g} s")


def term_spec(term: NamedNode | Literal) -> TermSpec:
    if isinstance(term, NamedNode):
        return ("iri", term.value, None, None)
    return ("literal", term.value, term.datatype.value, term.language)


def _term(spec: TermSpec) -> NamedNode | Literal:
    kind, value, datatype, language = spec
    if kind == "iri":
        return NamedNode(value)
    if language:
        return Literal(value, language=language)
    return Literal(value, datatype=NamedNode(datatype)) if datatype else Literal(value)


def execute(store: pyoxigraph.Store, job: QueryJob) -> QueryAnswer:
    """Run one query and serialise its answer in the negotiated format (used inside the workers)."""
    try:
        check_query(job.text, job.allowed_services, job.base_iri)
    except ValueError as refused:
        raise QueryFailed(400, str(refused)) from None
    options: dict = {
        "substitutions": {Variable(name): _term(spec) for name, spec in job.substitutions},
        "base_iri": job.base_iri,
    }
    if job.default_graphs is not None:
        options["default_graph"] = [NamedNode(g) for g in job.default_graphs]
    elif not mentions(job.text, "FROM"):  # the union would override the query's own FROM / FROM NAMED
        options["use_default_graph_as_union"] = True
    if job.named_graphs is not None:
        options["named_graphs"] = [NamedNode(g) for g in job.named_graphs]
    try:
        result = store.query(job.text, **options)
        return _serialise(result, job)
    except SyntaxError as err:
        raise QueryFailed(400, f"malformed query: {err.msg if hasattr(err, 'msg') else err}") from None
    except NotAcceptable as err:
        raise QueryFailed(406, str(err)) from None
    except (RuntimeError, ValueError) as err:
        raise QueryFailed(400, f"the query cannot be evaluated: {err}") from None


def _serialise(result: QuerySolutions | QueryBoolean | QueryTriples, job: QueryJob) -> QueryAnswer:
    if isinstance(result, QueryBoolean):
        media = result_type(job.accept, "ask")
        return QueryAnswer(BOOLEAN_WRITERS[media](bool(result)), media, "ask", 1, False)
    if isinstance(result, QueryTriples):
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


def _graph_answer(triples: list, media: str, *, truncated: bool) -> QueryAnswer:
    body = pyoxigraph.serialize(triples, format=RDF_FORMATS[media]) or b""
    return QueryAnswer(body, media, "graph", len(triples), truncated)


def _own_address_space() -> int:
    """This process's virtual memory size in bytes (0 where /proc cannot tell)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _worker_main(path: str, conn: Connection, parent_pid: int, network: bool, memory_mb: int = 0) -> None:
    # Defence in depth: the worker dies with the service, and unless the operator allowed SERVICE endpoints it
    # runs in a network namespace of its own, with no interface up, so a SERVICE or LOAD that slipped past the
    # checks in vskg.safety still cannot open a connection anywhere, loopback included.
    die_with_parent(parent_pid)
    if not network and not without_network():
        print("vskg: query worker could not drop its network access (no namespaces here)", file=sys.stderr)
    # Copy the store into memory and let go of the database at once: Oxigraph answers about ten times faster
    # from memory than from RocksDB, and a worker that holds no database handle cannot collide with a write.
    disk = pyoxigraph.Store.read_only(path)
    store = pyoxigraph.Store()
    store.bulk_extend(disk.quads_for_pattern(None, None, None, None))
    del disk
    if memory_mb:
        # A query may build values without bound (CONCAT doubling a string thirty times makes a gigabyte in seconds):
        # cap what it can take on top of the copy of the store, so it fails alone instead of starving the machine.
        limit_memory(_own_address_space() + memory_mb * 1024 * 1024)
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            conn.send(("ok", execute(store, job)))
        except QueryFailed as failed:
            conn.send(("failed", (failed.status, failed.message)))
        except MemoryError:
            conn.send(("failed", (503, out_of_memory(memory_mb))))
        except Exception as err:  # the worker must answer something; the service turns this into a 500
            conn.send(("failed", (500, f"internal error while running the query: {type(err).__name__}")))


def out_of_memory(memory_mb: int) -> str:
    return (
        f"the query needed more memory than this endpoint gives one query ({memory_mb} MB) and was stopped; "
        "narrow it down (fewer or smaller computed values, LIMIT) and try again"
    )


class _Worker:
    def __init__(
        self, context: multiprocessing.context.BaseContext, path: Path, *, network: bool = False, memory_mb: int = 0
    ) -> None:
        self.conn, child = context.Pipe()
        args = (str(path), child, os.getpid(), network, memory_mb)
        self.process = context.Process(target=_worker_main, args=args, daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float) -> bool:
        if not self.ready and self.conn.poll(timeout):
            status, _ = self.conn.recv()
            self.ready = status == "ready"
        return self.ready

    def kill(self) -> None:
        """End the worker at once; it holds only an in-memory copy of the store, so nothing is lost."""
        with suppress(Exception):
            self.process.kill()
            self.process.join(2)
        with suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        with suppress(Exception):
            self.conn.send(None)
            self.process.join(2)
        if self.process.is_alive():
            self.kill()
        with suppress(Exception):
            self.conn.close()


class QueryEngine:
    """A pool of query worker processes over one store folder."""

    def __init__(
        self,
        path: Path,
        *,
        workers: int = 2,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        allowed_services: tuple[str, ...] = (),
        memory_mb: int = 0,
    ) -> None:
        self.path = Path(path)
        self.memory_mb = memory_mb  # what one query may allocate beyond the worker's copy of the store (0: no cap)
        self.allowed_services = tuple(allowed_services)  # a SERVICE call is bounded by the timeout like any query
        self.size = workers
        self.timeout = timeout
        self.max_rows = max_rows
        self._context = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: list[_Worker] = []
        self._active = 0
        self._paused = False
        self._changed = asyncio.Condition()
        self._write_lock = asyncio.Lock()
        self.timeouts = 0

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        fresh = [
            _Worker(self._context, self.path, network=bool(self.allowed_services), memory_mb=self.memory_mb)
            for _ in range(self.size)
        ]
        for worker in fresh:
            await loop.run_in_executor(None, worker.wait_ready, 30.0)
            self._workers.append(worker)
            self._idle.put_nowait(worker)

    async def close(self, *, kill: bool = False) -> None:
        """Stop the workers: let idle ones finish (off the loop, it can take a moment), or with ``kill`` (at
        shutdown, when a worker may be deep in a long query) end them at once."""
        workers, self._workers, self._idle = self._workers, [], asyncio.Queue()
        if kill:
            for worker in workers:
                worker.kill()
            return
        loop = asyncio.get_running_loop()
        for worker in workers:
            await loop.run_in_executor(None, worker.stop)

    async def run(self, job: QueryJob, timeout: float | None = None) -> QueryAnswer:
        """Answer one query within ``timeout`` seconds (never more than the engine's own limit)."""
        limit = self.limit(timeout)
        deadline = time.monotonic() + limit
        if self.allowed_services and not job.allowed_services:
            job = replace(job, allowed_services=self.allowed_services)
        async with self.reading(limit):  # the wait for a running write counts against the query's deadline
            return await self._dispatch(job, deadline)

    def limit(self, timeout: float | None = None) -> float:
        """The time a query may take: the client's ``timeout`` if shorter than the engine's own limit."""
        return self.timeout if timeout is None else min(timeout, self.timeout)

    @asynccontextmanager
    async def reading(self, wait: float | None = None) -> AsyncIterator[None]:
        """Hold the store open for reading: waits while a write is under way, and holds off the next one.

        ``wait`` bounds how long (in seconds) to wait for a running write; past it `StoreBusy` is raised.
        """
        try:
            async with asyncio.timeout(wait), self._changed:
                await self._changed.wait_for(lambda: not self._paused)
                self._active += 1
        except TimeoutError:
            raise StoreBusy(wait or 0.0) from None
        try:
            yield
        finally:
            async with self._changed:
                self._active -= 1
                self._changed.notify_all()

    async def _dispatch(self, job: QueryJob, deadline: float) -> QueryAnswer:
        loop = asyncio.get_running_loop()
        try:
            worker = await asyncio.wait_for(self._idle.get(), max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            self.timeouts += 1
            raise QueryTimeout() from None
        healthy = True
        try:
            if not worker.ready:  # a replacement worker announces itself once its store is open
                await loop.run_in_executor(None, worker.wait_ready, max(0.0, deadline - time.monotonic()))
            worker.conn.send(job)
            remaining = max(0.0, deadline - time.monotonic())
            if not await loop.run_in_executor(None, worker.conn.poll, remaining):
                healthy = False
                self.timeouts += 1
                raise QueryTimeout()
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            healthy = False
            with suppress(Exception):
                worker.process.join(1)
            if self.memory_mb and worker.process.exitcode == -signal.SIGABRT:  # the engine's allocation failed
                raise QueryFailed(503, out_of_memory(self.memory_mb)) from None
            raise QueryFailed(500, "the query worker stopped unexpectedly; try again") from None
        finally:
            if healthy:
                self._idle.put_nowait(worker)
            else:
                self._replace(worker)
        if status == "failed":
            raise QueryFailed(*payload)
        return payload

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        fresh = _Worker(self._context, self.path, network=bool(self.allowed_services), memory_mb=self.memory_mb)
        self._workers = [w for w in self._workers if w is not worker] + [fresh]
        self._idle.put_nowait(fresh)

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """Hold off queries while the caller writes to the store; restart the workers afterwards."""
        async with self._write_lock:
            async with self._changed:
                self._paused = True
                await self._changed.wait_for(lambda: self._active == 0)
            await self.close()
            try:
                yield
            finally:
                await self.start()
                async with self._changed:
                    self._paused = False
                    self._changed.notify_all()
