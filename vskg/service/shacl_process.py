"""The standing report's checker for now: the reference pyshacl run over the store's data view, in a child process.

This is the stand-in behind the seam of `vskg.service.validation` (a checker with ``full`` and ``after``) until the
compiled engine of `vskg.validation` lands; then the seam gets an implementation that runs in the service process
and re-checks only what a write can affect. Until then every step is a full run, which is what this does.

The run happens in a child process at lower priority, not in a thread: pyshacl holds the interpreter lock, and on an
enterprise-sized store (110,000 triples: well over half a minute) a thread would slow every request the service
answers meanwhile. A run can be stopped from another thread (a newer write made it pointless, or the service is
shutting down); the child also dies with the service if that is killed outright (the kernel sends it SIGKILL when its
parent goes), and a run that takes longer than its limit (the setting `page_validation_timeout`,
VSKG_PAGE_VALIDATION_TIMEOUT, default 600 s) is stopped and reported as failed.

The data view is read in the service process (the store is the service's) through the `Backend` interface only
(`graphs()` and `quads()`), so it works on a remote backend too: every graph but the bundled vocabulary (the
validator brings its own copy of the ontology and schemes), the shapes, and the report graph itself.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from contextlib import suppress
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

import pyoxigraph
from pyoxigraph import RdfFormat

from vskg.analytics.live import Change
from vskg.graphs import GRAPH_BASE, REPORT_GRAPH
from vskg.rdfio import parse_quads
from vskg.store import Backend
from vskg.subprocesses import die_with_parent, from_lasting_thread

if TYPE_CHECKING:  # pyshacl (under vskg.validate) is imported by the validating child and where findings are read
    from vskg.validate import Finding

LEFT_OUT = (*(f"{GRAPH_BASE}{kind}/" for kind in ("ontology", "schemes", "shapes")), REPORT_GRAPH)


class Stopped(Exception):
    """The run was stopped before it finished (a newer write, or the service is shutting down)."""


def data_view(store: Backend) -> bytes:
    """The store's own data as N-Triples: every graph but the vocabulary and the report graph, and the default graph."""
    names = [g for g in store.graphs() if not g.startswith(LEFT_OUT)]
    triples: dict[pyoxigraph.Triple, None] = {}
    for graph in [*names, None]:
        for quad in store.quads(graph):
            triples.setdefault(quad.triple, None)
    return pyoxigraph.serialize(list(triples), format=RdfFormat.N_TRIPLES) or b""


def validate_text(text: bytes) -> list[Finding]:
    """Validate N-Triples written by `data_view`, read back by pyoxigraph (linear, unlike rdflib's parser)."""
    from vskg.validate import validate_quads

    return validate_quads(parse_quads(text, RdfFormat.N_TRIPLES, None, name="the store's data")).findings


def _child(text: bytes, conn: Connection, parent: int) -> None:
    """The child process: validate at lower priority and send back the findings, or why there are none."""
    die_with_parent(parent)
    with suppress(OSError):
        os.nice(10)
    try:
        conn.send(("ok", validate_text(text)))
    except Exception as failure:
        conn.send(("failed", f"{type(failure).__name__}: {failure}"))
    finally:
        conn.close()


class PyshaclChecker:
    """Full pyshacl runs of the data view in a child process, one at a time, each within ``limit`` seconds."""

    def __init__(self, limit: float = 600.0) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._stopped = False
        self._closed = False

    def full(self, store: Backend) -> list[Finding]:
        return self._run(data_view(store))

    def after(self, store: Backend, change: Change, previous: list[Finding]) -> list[Finding]:
        """What the incremental step will do; here, a full run (pyshacl has no narrower mode)."""
        return self.full(store)

    @property
    def running(self) -> bool:
        """A child is at work."""
        with self._lock:
            return self._process is not None and self._process.exitcode is None

    def stop(self) -> None:
        """Stop the run in progress, if any (it raises `Stopped`)."""
        with self._lock:
            self._stopped = True
            if self._process is not None and self._process.exitcode is None:
                self._process.kill()

    def close(self) -> None:
        """Stop the run in progress and refuse any later one (the service is shutting down)."""
        with self._lock:
            self._closed = True
        self.stop()

    def _run(self, text: bytes) -> list[Finding]:
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_child, args=(text, sender, os.getpid()), name="vskg-standing-validation", daemon=True
        )
        with self._lock:
            if self._closed:
                raise Stopped()
            self._stopped = False
            self._process = process
            from_lasting_thread(process.start)
        sender.close()
        try:
            if not receiver.poll(self.limit):
                raise RuntimeError(f"the validation took longer than {self.limit:g} s and was stopped")
            outcome, payload = receiver.recv()
        except (EOFError, OSError):
            with self._lock:
                stopped = self._stopped
            if stopped:
                raise Stopped() from None
            raise RuntimeError("the validation process stopped before it finished") from None
        finally:
            receiver.close()
            with self._lock:
                if process.exitcode is None:
                    process.kill()
                self._process = None
            process.join()
        if outcome != "ok":
            raise RuntimeError(payload)
        return payload
