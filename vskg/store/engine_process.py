"""The service's engine: the store folder served by a managed `oxigraph serve` child on a private loopback port.

Why a process and not pyoxigraph in the service: pyoxigraph can neither stop a running query nor bound its memory,
and RocksDB lets only one process have the folder open, so the earlier design (worker processes, each with a
copy of the store) paused every reader and reloaded every copy on each write. Oxigraph's own server has the same
engine with snapshot isolation, multi-threaded reads, writes that never stop readers, and a query time limit
(`--timeout-s`). If it misbehaves (a query past every deadline, memory exhausted), the service kills it and starts
it again in a fraction of a second: the data are RocksDB's and survive, and nothing else in the service stops.

The child dies with the service (PR_SET_PDEATHSIG), has a memory cap that the service watches, and listens on 127.0.0.1
only; vskg checks every request (token, SERVICE and LOAD refused, limits) before it reaches the engine.
"""

from __future__ import annotations

import math
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from vskg.store.base import BackendError
from vskg.store.dialects import OXIGRAPH
from vskg.store.remote import RemoteStore
from vskg.subprocesses import die_with_parent

ENGINE_LOG = "vskg-engine.log"


def oxigraph_binary() -> str:
    """The `oxigraph` command installed with vskg (the `oxigraph` package, next to this Python), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise BackendError("the `oxigraph` command is not installed (pip install oxigraph)")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class EngineProcess:
    """One `oxigraph serve` child over ``folder``; `store` is the RemoteStore that talks to it."""

    def __init__(self, folder: Path, *, timeout: float = 30.0, memory_mb: int = 0, start_timeout: float = 60.0) -> None:
        self.folder = Path(folder)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.start_timeout = start_timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self.baseline = 0  # resident memory once the store is open (set by start)
        self._lock = threading.Lock()
        self.store = RemoteStore(
            f"{self.url}/query", f"{self.url}/update", f"{self.url}/store", dialect=OXIGRAPH, timeout=timeout
        )

    def start(self) -> None:
        parent = os.getpid()

        def prepare() -> None:  # in the child, before exec
            die_with_parent(parent)

        command = [
            oxigraph_binary(),
            "serve",
            "--location",
            str(self.folder),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout-s",
            str(max(1, math.ceil(self.timeout))),
        ]
        # The engine's own messages go to a log file in the folder: a pipe nobody reads would fill and stall it.
        with open(self.folder / ENGINE_LOG, "ab") as log:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=prepare
            )
        self._wait_ready()
        self.baseline = self.resident_bytes()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                detail = (self.folder / ENGINE_LOG).read_text(errors="replace")[-500:]
                raise BackendError(f"the query engine (oxigraph serve) did not start: {detail.strip()}")
            try:
                response = httpx.get(f"{self.url}/query", params={"query": "ASK {}"}, timeout=1.0, trust_env=False)
                if response.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.02)
        self.stop()
        raise BackendError(f"the query engine (oxigraph serve) did not answer within {self.start_timeout:g} s")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def restart(self) -> None:
        """Kill the engine and start it again (a runaway query, or it died); RocksDB keeps every committed write."""
        with self._lock:
            self.stop()
            self.restarts += 1
            self.start()

    def ensure_running(self) -> None:
        """Start the engine again if it is not running (whoever notices first does it; the others wait for it)."""
        with self._lock:
            if self.alive():
                return
            self.stop()
            self.restarts += 1
            self.start()

    def resident_bytes(self) -> int:
        """The engine's resident memory in bytes (0 if it is not running)."""
        if self.process is None:
            return 0
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def over_memory(self) -> bool:
        """Whether the engine holds more than ``memory_mb`` beyond what it held once the store was open.

        The cap is watched rather than set as an address-space limit: Oxigraph's server starts threads as requests
        come, and an address-space limit makes thread creation fail long before memory runs short.
        """
        return bool(self.memory_mb) and self.resident_bytes() > self.baseline + self.memory_mb * 1024 * 1024

    def cpu_seconds(self) -> float:
        """CPU time the engine process has used (user + system), 0 if it is not running."""
        if self.process is None:
            return 0.0
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(3)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(3)

    def close(self) -> None:
        self.stop()
        self.store.close()
