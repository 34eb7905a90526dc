"""Kill -9 in the middle of a write and check that the store holds either the state before or the state after.

The four writes an architect makes are covered: `vskg load` of a file (the command line), a Graph Store PUT, a
SPARQL Update and an ArchiMate import (the service). For each kind the write is first made once without a kill on
a copy of the store, which gives the "after" state; then each trial copies the store again, starts the write, kills
the writing process (and its process group: query workers, validation children) with SIGKILL after a random delay
within the write's measured duration, and dumps the store with `vskg dump`. Opening the store for the dump also
tidies what an interrupted write left behind, as any later writer would.

Two stores in the same state dump the same sorted lines once blank node labels and date-times are masked (an
import records when it ran). Shared by `tests/test_crash_consistency.py` (a few trials) and
`bench/crash_consistency.py` (20 per kind).
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.server import TOKEN, running_server

KINDS = ("load", "put", "update", "import")
TARGET = "https://w3id.org/vskg/graph/data/banking-mortgage-lending"  # an existing graph, replaced by load and PUT


def n_triples(count: int, tag: str) -> bytes:
    """``count`` triples with IRIs and plain literals only (no blank nodes), about 90 bytes each."""
    lines = (f'<urn:crash:{tag}:s{i}> <urn:crash:p{i % 7}> "value {i} of {tag}" .\n' for i in range(count))
    return "".join(lines).encode()


def insert_data(count: int) -> bytes:
    body = n_triples(count, "update").decode().replace(" .\n", " .\n")
    return f"INSERT DATA {{ GRAPH <urn:crash:update> {{\n{body}}} }}".encode()


def exchange_model(count: int) -> bytes:
    """An ArchiMate exchange file with ``count`` business actors and as many association relationships."""
    elements = "".join(
        f'<element identifier="e{i}" xsi:type="BusinessActor"><name>Actor {i}</name></element>' for i in range(count)
    )
    relations = "".join(
        f'<relationship identifier="r{i}" xsi:type="Association" source="e{i}" target="e{(i + 1) % count}"/>'
        for i in range(count)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="id-crash">'
        f"<name>Crash model</name><elements>{elements}</elements><relationships>{relations}</relationships></model>"
    ).encode()


_BLANK = re.compile(rb"_:[A-Za-z0-9]+")
_WHEN = re.compile(rb'"[0-9T:.+-]+Z?"\^\^<http://www.w3.org/2001/XMLSchema#dateTime>')
_RUN = re.compile(rb"<urn:uuid:[0-9a-f-]+>")


def dump(folder: Path) -> list[bytes]:
    """The store's quads as sorted N-Quads lines (opening the store writable tidies an interrupted write).

    An import records when it ran and describes its run with blank nodes, so blank node labels and date-times are
    masked, and so is the urn:uuid: that names each run (`vskg.provenance`): two imports of one file then dump
    alike, and a half-written graph still differs in its line count.
    """
    result = subprocess.run(
        [sys.executable, "-m", "vskg", "dump", "--store", str(folder)], check=True, capture_output=True, timeout=120
    )
    masked = (
        _RUN.sub(b"<urn:uuid:run>", _WHEN.sub(b'"when"', _BLANK.sub(b"_:b", line)))
        for line in result.stdout.splitlines()
    )
    return sorted(masked)


@dataclass
class Scenario:
    """One kind of write, with its payload, and the store's states before and after it."""

    kind: str
    size: int
    workdir: Path
    template: Path
    payload: Path = field(init=False)
    before: list[bytes] = field(default_factory=list)
    after: list[bytes] = field(default_factory=list)
    seconds: float = 0.0

    def __post_init__(self) -> None:
        self.payload = self.workdir / f"{self.kind}.payload"
        maker: dict[str, Callable[[int], bytes]] = {
            "load": lambda n: n_triples(n, "load"),
            "put": lambda n: n_triples(n, "put"),
            "update": insert_data,
            "import": exchange_model,
        }
        self.payload.write_bytes(maker[self.kind](self.size))
        if self.kind == "load":
            self.payload = self.payload.rename(self.payload.with_suffix(".nt"))

    def prepare(self) -> None:
        """Measure the write without a kill: its duration, and the state it leaves."""
        self.before = dump(self._copy("before"))
        folder = self._copy("after")
        started = time.monotonic()
        self._write(folder, kill_after=None)
        self.seconds = time.monotonic() - started
        self.after = dump(folder)
        assert self.after != self.before, f"the {self.kind} changed nothing"

    def trial(self, number: int, rng: random.Random) -> str:
        """One kill at a random moment of the write; returns 'before' or 'after' (or raises if neither)."""
        folder = self._copy(f"trial-{number}")
        self._write(folder, kill_after=rng.uniform(0.0, self.seconds))
        state = dump(folder)
        shutil.rmtree(folder.parent)
        if state == self.before:
            return "before"
        if state == self.after:
            return "after"
        raise AssertionError(f"{self.kind} trial {number}: the store is neither in the state before nor after")

    def _copy(self, name: str) -> Path:
        folder = self.workdir / f"{self.kind}-{name}" / "store"
        shutil.copytree(self.template, folder)
        return folder

    def _write(self, folder: Path, kill_after: float | None) -> None:
        if self.kind == "load":
            args = [sys.executable, "-m", "vskg", "load", str(self.payload), "--graph", TARGET, "--store", str(folder)]
            process = subprocess.Popen(
                args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
            )
            _finish_or_kill(process, kill_after)
            return
        with running_server(folder, extra_env={"VSKG_MAX_BODY_BYTES": str(64 * 1024 * 1024)}) as server:
            request = self._request(server.url)
            if kill_after is None:
                response = request()
                assert response.status_code in (200, 201, 204), response.text
                return
            threading.Thread(target=_ignore_errors(request), daemon=True).start()
            time.sleep(kill_after)
            children = _children_of(server.process.pid)
            server.process.kill()  # the whole service dies at once, as in a power cut: workers and children too
            for child in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGKILL)
            server.process.wait()

    def _request(self, url: str) -> Callable[[], httpx.Response]:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        body = self.payload.read_bytes()
        if self.kind == "put":
            headers = {"Content-Type": "application/n-triples", **auth}
            return lambda: httpx.put(
                f"{url}/store", params={"graph": TARGET}, content=body, headers=headers, timeout=300
            )
        if self.kind == "update":
            headers = {"Content-Type": "application/sparql-update", **auth}
            return lambda: httpx.post(f"{url}/update", content=body, headers=headers, timeout=300)
        headers = {"Content-Type": "application/xml", **auth}
        return lambda: httpx.post(f"{url}/import/archimate", content=body, headers=headers, timeout=300)


def _ignore_errors(request: Callable[[], httpx.Response]) -> Callable[[], None]:
    def run() -> None:
        with contextlib.suppress(httpx.HTTPError):  # the server was killed under it
            request()

    return run


def _finish_or_kill(process: subprocess.Popen, kill_after: float | None) -> None:
    if kill_after is None:
        assert process.wait(300) == 0
        return
    time.sleep(kill_after)
    process.kill()
    process.wait()


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _parent_of(entry) == pid:
            found.append(int(entry.name))
    return found


def _parent_of(entry: Path) -> int | None:
    try:
        return int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None
