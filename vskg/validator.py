"""SHACL validation in a child process that has a deadline and a memory cap, and dies with the service.

Why a process: a model sent to ``POST /validate`` is untrusted, and validating it (the shapes compiled to SPARQL,
`vskg.validation.engine`, run on an in-memory store of the model) takes time and memory that depend on the data (a
store with a 15 MB literal kept a thread busy for minutes). A thread cannot be stopped; a process can. So one
long-lived child does the validations, one at a time (parallel runs would only share the same cores), with its
caches of shapes and vocabulary kept warm between requests. The child:

- asks the kernel to kill it when the service exits (`subprocesses.die_with_parent`), so a SIGKILL of the server
  never leaves it behind;
- caps its own address space (`subprocesses.limit_memory`), so a model that expands fails there, not in the server;
- is killed when a run passes the deadline; the next request starts a new one.

The data crosses the pipe as N-Quads written and read by pyoxigraph (linear in the input), and the answer comes
back as plain findings plus, when asked for, the report graph already written as Turtle.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from pyoxigraph import RdfFormat

if TYPE_CHECKING:  # pyshacl and rdflib stay out of the service's start: validation runs in a child process
    from vskg.validation.findings import Finding


class ValidationTimeout(Exception):
    """The run passed its deadline and its process was killed."""


class ValidationFailed(Exception):
    """The child could not finish (it ran out of memory, or stopped)."""


@dataclass(frozen=True)
class Outcome:
    conforms: bool
    findings: tuple[Finding, ...]
    turtle: bytes | None = None  # the SHACL report graph, when asked for

    def as_dict(self) -> dict:
        from vskg.validation.findings import Report

        return Report(self.conforms, list(self.findings)).as_dict()


def _serve(parent_pid: int, memory_bytes: int, conn: Connection) -> None:
    """The child: validate each job it receives until the pipe closes."""
    from vskg.subprocesses import die_with_parent, limit_memory

    die_with_parent(parent_pid)
    from vskg.rdfio import InputError, parse_quads
    from vskg.validation.engine import validate_quads

    limit_memory(memory_bytes)
    while True:
        try:
            data, fmt, turtle = conn.recv()
        except (EOFError, OSError):
            return
        try:
            quads = parse_quads(data, RdfFormat.from_media_type(fmt), None, name="the data to validate")
            del data
            report = validate_quads(quads)
            del quads
            text = report.graph.serialize(format="turtle").encode("utf-8") if turtle and report.graph else None
            conn.send(("ok", Outcome(report.conforms, tuple(report.findings), text)))
        except MemoryError:
            conn.send(("failed", "the validation needed more memory than the service allows (VSKG_VALIDATE_MEMORY_MB)"))
        except InputError as problem:
            conn.send(("failed", str(problem)))


class Validator:
    """Runs validations in the child, one at a time, each within ``timeout`` seconds."""

    def __init__(self, timeout: float, memory_bytes: int) -> None:
        self.timeout = timeout
        self.memory_bytes = memory_bytes
        self.lock = threading.Lock()
        self.process: multiprocessing.process.BaseProcess | None = None
        self.conn: Connection | None = None

    def _start(self) -> Connection:
        if self.process is not None and self.process.is_alive() and self.conn is not None:
            return self.conn
        self._stop()
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=True)
        self.process = context.Process(
            target=_serve, args=(os.getpid(), self.memory_bytes, sender), name="vskg-validation", daemon=True
        )
        self.process.start()
        sender.close()
        self.conn = receiver
        return receiver

    def _stop(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(5)
            self.process = None

    def run(self, data: bytes, fmt: RdfFormat, turtle: bool = False) -> Outcome:
        """Validate an N-Triples or N-Quads document (blocking: call it from a worker thread)."""
        with self.lock:
            conn = self._start()
            try:
                conn.send((data, fmt.media_type, turtle))
                ready = conn.poll(self.timeout)
                answer = conn.recv() if ready else None
            except (EOFError, OSError, BrokenPipeError):
                self._stop()
                raise ValidationFailed("the validation process stopped before it finished") from None
            if answer is None:
                self._stop()
                raise ValidationTimeout(f"the validation took longer than {self.timeout:g} s and was stopped")
        status, payload = answer
        if status != "ok":
            raise ValidationFailed(payload)
        return payload

    def close(self) -> None:
        with self.lock:
            self._stop()


_SHARED: dict[tuple[float, int], Validator] = {}
_SHARED_LOCK = threading.Lock()


def shared(timeout: float, memory_bytes: int) -> Validator:
    """The process's validator for these limits (one service runs one; tests build several apps)."""
    with _SHARED_LOCK:
        key = (timeout, memory_bytes)
        if key not in _SHARED:
            _SHARED[key] = Validator(timeout, memory_bytes)
        return _SHARED[key]
