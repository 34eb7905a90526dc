"""The validation status shown on stream pages: one SHACL run over all the store's data, cached, off the event loop.

Validating the bundled data takes about two seconds of CPU (an enterprise's, most of a minute), too long for a page,
and validating only the graph that holds a stream would be wrong: a stream's file refers to sources, platforms and
portfolios stated in other files, and SHACL's class checks need them. So the whole of the store's instance data
(every graph except the bundled ontology, schemes and shapes, which the validator brings itself) is validated once,
in the background, and the report is kept for as long as the store is in the same state: the key is the service's
write generation, which every write through the service moves on. A stream page then shows the findings whose focus
node is the stream or one of the things it is made of (stages, handoffs, capabilities, systems, units, alignments),
and says "still checking" if the run has not finished within a short wait.

The overview starts the run without waiting for it, so by the time someone opens a stream the report is there.

The run happens in a child process at lower priority, not in a thread: pyshacl holds the interpreter lock, and on
an enterprise-sized store (110,000 triples: well over half a minute) a thread would slow every request the service
answers meanwhile. A run whose store state has gone (a write landed) is stopped, and so is a run still going when
the service shuts down. The child also dies with the service if that is killed outright (the kernel sends it
SIGKILL when its parent goes), and a run that takes longer than the page-validation time limit (the setting
`page_validation_timeout`, VSKG_PAGE_VALIDATION_TIMEOUT, default 600 s) is stopped and reported as failed.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections.abc import Hashable, Iterable
from concurrent.futures import Future
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

import pyoxigraph
from fastapi import Request
from pyoxigraph import RdfFormat

from vskg.graphs import GRAPH_BASE
from vskg.rdfio import parse_quads
from vskg.store import Backend
from vskg.subprocesses import die_with_parent, from_lasting_thread

if TYPE_CHECKING:  # pyshacl (under vskg.validate) is imported by the validating child and where findings are read
    from vskg.validate import Finding, Report

VOCABULARY_GRAPHS = tuple(f"{GRAPH_BASE}{kind}/" for kind in ("ontology", "schemes", "shapes"))
WAIT_SECONDS = 2.0  # how long a page waits for a run in progress before saying it is still running


@dataclass(frozen=True)
class Status:
    """What a page shows: 'ready' with the findings about its resources, 'running', or 'failed' with why."""

    state: str
    findings: tuple[Finding, ...] = ()
    error: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return self.state == "ready" and not any(f.severity == "Violation" for f in self.findings)


def instance_data(store: Backend) -> bytes:
    """The store's own data as N-Triples: every graph but the bundled vocabulary, and the default graph."""
    names = [g for g in store.graphs() if not g.startswith(VOCABULARY_GRAPHS)]
    triples: dict[pyoxigraph.Triple, None] = {}
    for graph in [*names, None]:
        for quad in store.quads(graph):
            triples.setdefault(quad.triple, None)
    return pyoxigraph.serialize(list(triples), format=RdfFormat.N_TRIPLES) or b""


def _validate(text: bytes) -> Report:
    """Validate N-Triples written by `instance_data`, read back by pyoxigraph (linear, unlike rdflib's parser)."""
    from vskg.validate import validate_quads

    return validate_quads(parse_quads(text, RdfFormat.N_TRIPLES, None, name="the store's data"))


def _child(text: bytes, conn: Connection, parent: int) -> None:
    """The child process: validate at lower priority and send back the findings, or why there are none."""
    die_with_parent(parent)
    with suppress(OSError):
        os.nice(10)
    try:
        conn.send(("ok", tuple(_validate(text).findings)))
    except Exception as failure:
        conn.send(("failed", f"{type(failure).__name__}: {failure}"))
    finally:
        conn.close()


class _Run:
    """One validation in a child process, stopped after ``limit`` seconds; ``future`` receives the findings."""

    def __init__(self, text: bytes, limit: float) -> None:
        context = multiprocessing.get_context("spawn")
        self.future: Future[tuple[Finding, ...]] = Future()
        self.limit = limit
        self.reaping = threading.Lock()  # one thread at a time may wait for the child: two waitpid calls race
        receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_child, args=(text, sender, os.getpid()), name="vskg-page-validation", daemon=True
        )
        from_lasting_thread(self.process.start)
        sender.close()
        threading.Thread(target=self._collect, args=(receiver,), daemon=True).start()

    def _collect(self, receiver: Connection) -> None:
        try:
            if receiver.poll(self.limit):
                outcome, payload = receiver.recv()
            else:
                self.stop()
                outcome, payload = "failed", f"the validation took longer than {self.limit:g} s and was stopped"
        except (EOFError, OSError):
            outcome, payload = "failed", "the validation process stopped before it finished"
        finally:
            receiver.close()
            with self.reaping:
                self.process.join(5)
                if self.process.exitcode is None:  # its answer is in (or it failed): what is left of it can go
                    self.process.kill()
                    self.process.join()
        if outcome == "ok":
            self.future.set_result(payload)
        else:
            self.future.set_exception(RuntimeError(payload))

    def stop(self) -> None:
        with self.reaping:
            if self.process.exitcode is None:
                self.process.kill()


class Checker:
    """One report per store state; at most one validation runs at a time."""

    def __init__(self, limit: float = 600.0) -> None:
        self.lock = threading.Lock()
        self.limit = limit  # seconds a run may take
        self.key: Hashable = None
        self.run: _Run | None = None

    def report_for(self, store: Backend, state: Hashable) -> Future[tuple[Finding, ...]]:
        """The (possibly unfinished) findings for the store in ``state`` (the service's write generation).

        Call while holding the read lock: a new state's data is read from ``store`` before this returns.
        """
        key = state
        with self.lock:
            if self.run is not None and self.key == key:
                return self.run.future
            if self.run is not None:
                self.run.stop()  # its store state is gone
            self.key, self.run = key, _Run(instance_data(store), self.limit)
            return self.run.future

    def close(self) -> None:
        with self.lock:
            if self.run is not None:
                self.run.stop()


def checker_of(request: Request) -> Checker:
    state = request.app.state
    if getattr(state, "page_checker", None) is None:
        state.page_checker = Checker(state.settings.page_validation_timeout)
    return state.page_checker


async def status(future: Future[tuple[Finding, ...]], focus: Iterable[str], wait: float = WAIT_SECONDS) -> Status:
    """The findings about ``focus`` once the report is ready, waiting up to ``wait`` seconds for it."""
    if not future.done():
        try:
            await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), timeout=wait)
        except TimeoutError:
            return Status("running")
        except Exception:
            pass  # the failure is read from the future just below
    failure = future.exception()
    if failure is not None:
        return Status("failed", error=str(failure))
    from vskg.validate import SEVERITY_ORDER

    wanted = set(focus)
    found = tuple(f for f in future.result() if f.focus_node in wanted)
    counts = {name: sum(1 for f in found if f.severity == name) for name in SEVERITY_ORDER}
    return Status("ready", found, counts=counts)
