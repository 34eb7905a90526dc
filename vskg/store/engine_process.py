"""The service's engine: the store folder served by a managed `oxigraph serve` child on a private loopback port.

Why a process and not pyoxigraph in the service: pyoxigraph can neither stop a running query nor bound its memory,
and RocksDB lets only one process have the folder open, so the earlier design (worker processes, each with a
copy of the store) paused every reader and reloaded every copy on each write. Oxigraph's own server has the same
engine with snapshot isolation, multi-threaded reads, writes that never stop readers, and a query time limit
(`--timeout-s`). If it misbehaves (a query past every deadline, memory exhausted), the service kills it and starts
it again in a fraction of a second: the data are RocksDB's and survive, and nothing else in the service stops.

The child dies with the service (PR_SET_PDEATHSIG) and has a memory cap that the service watches. vskg checks
every request (token, SERVICE and LOAD refused, limits) before it reaches the engine, and the engine is sandboxed
as a second line (`vskg.sandbox`): it runs in a network namespace of its own, where it can reach nothing and
nothing outside can reach its port, and vskg reaches it through a Unix socket in a private folder (over which the
sandbox hands vskg sockets it connected to the engine, `vskg.store.handoff`, so no process copies the bytes). Two
cases keep the engine on the machine's loopback instead: the operator allowed SERVICE endpoints
(`VSKG_SERVICE_ALLOW`: the engine must reach them), or the system has no namespaces (a warning says so, once).
"""

from __future__ import annotations

import math
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

import httpx

from vskg.store.base import BackendError
from vskg.store.dialects import OXIGRAPH
from vskg.store.handoff import HandoffTransport
from vskg.store.remote import RemoteStore
from vskg.subprocesses import die_with_parent, from_lasting_thread

ENGINE_LOG = "vskg-engine.log"
SOCKET_NAME = "engine.sock"
SANDBOX_URL = "http://engine"  # the host name is not looked up: every connection comes from the sandbox's socket
ENGINE_LIMITS = httpx.Limits(max_connections=64, max_keepalive_connections=32)
UNAVAILABLE = 75  # vskg.sandbox's exit status when there are no namespaces (kept in step with it)

_warned = False


def oxigraph_binary() -> str:
    """The `oxigraph` command installed with vskg (the `oxigraph` package, next to this Python), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise BackendError("the `oxigraph` command is not installed (pip install oxigraph)")
    return found


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists and has not exited (a zombie has: it holds no files and no memory)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _warn_unsandboxed(port: int) -> None:
    global _warned
    if not _warned:
        _warned = True
        print(
            f"vskg: no network namespaces here: the query engine keeps the machine's network and listens on "
            f"127.0.0.1:{port}, which every local user can reach",
            file=sys.stderr,
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class EngineProcess:
    """One `oxigraph serve` child over ``folder``; `store` is the RemoteStore that talks to it.

    ``network``: the engine keeps the machine's network (for SERVICE endpoints the operator allowed); otherwise it
    is sandboxed (see the module's docstring) wherever the system allows it. `pid` is the engine's process id
    (sandboxed, a child of the relay `process`; otherwise `process` itself).
    """

    def __init__(
        self,
        folder: Path,
        *,
        timeout: float = 30.0,
        memory_mb: int = 0,
        start_timeout: float = 60.0,
        network: bool = False,
    ) -> None:
        self.folder = Path(folder)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.start_timeout = start_timeout
        self.port = free_port()  # free on the machine too, so that nothing answers there in its stead
        self.sandboxed = not network  # until the first start finds that namespaces are not available
        self.private = Path(tempfile.mkdtemp(prefix="vskg-engine-"))  # mode 0700: the socket's folder
        self.socket_path = self.private / SOCKET_NAME
        self.process: subprocess.Popen | None = None
        self.pid: int | None = None
        self.restarts = 0
        self.baseline = 0  # resident memory once the store is open (set by start)
        self._lock = threading.Lock()
        self.store = self._remote()

    @property
    def url(self) -> str:
        return SANDBOX_URL if self.sandboxed else f"http://127.0.0.1:{self.port}"

    def _remote(self) -> RemoteStore:
        # Sandboxed, each connection is one the sandbox opened to the engine and handed over: no relay per request.
        transport = HandoffTransport(str(self.socket_path), ENGINE_LIMITS) if self.sandboxed else None
        url = self.url
        return RemoteStore(
            f"{url}/query", f"{url}/update", f"{url}/store", dialect=OXIGRAPH, timeout=self.timeout, transport=transport
        )

    def command(self) -> list[str]:
        return [
            oxigraph_binary(),
            "serve",
            "--location",
            str(self.folder),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout-s",
            str(max(1, math.ceil(self.timeout))),
        ]

    def relay_command(self, report_fd: int) -> list[str]:
        """The sandbox's command line: the relay (`vskg.sandbox`), which starts the engine in the namespace."""
        return [
            sys.executable,
            "-m",
            "vskg.sandbox",
            "--socket",
            str(self.socket_path),
            "--port",
            str(self.port),
            "--report-fd",
            str(report_fd),
            "--parent",
            str(os.getpid()),
            "--",
            *self.command(),
        ]

    def start(self) -> None:
        if self.sandboxed and not self._start_sandboxed():
            self.sandboxed = False
            self.store.close()
            self.store = self._remote()
            _warn_unsandboxed(self.port)
        if not self.sandboxed:
            self._spawn(self.command())
            self.pid = self.process.pid
        self._wait_ready()
        self.baseline = self.resident_bytes()

    def _spawn(self, command: list[str], pass_fds: tuple[int, ...] = ()) -> None:
        parent = os.getpid()

        def prepare() -> None:  # in the child, before exec
            die_with_parent(parent)

        # The engine's own messages go to a log file in the folder: a pipe nobody reads would fill and stall it.
        with open(self.folder / ENGINE_LOG, "ab") as log:
            self.process = from_lasting_thread(
                partial(
                    subprocess.Popen,
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                    preexec_fn=prepare,
                    pass_fds=pass_fds,
                )
            )

    def _start_sandboxed(self) -> bool:
        """Start the relay and the engine in their namespace; False if the system has no namespaces."""
        readable, writable = os.pipe()
        try:
            self._spawn(self.relay_command(writable), pass_fds=(writable,))
        finally:
            os.close(writable)
        with os.fdopen(readable, "rb") as pipe:
            ready, _, _ = select.select([pipe], [], [], self.start_timeout)
            line = pipe.readline().decode().split() if ready else []
        if line[:1] == ["engine"]:
            self.pid = int(line[1])
            return True
        code = self.process.wait(self.start_timeout) if line == ["unavailable"] else None
        if code == UNAVAILABLE:
            self.process = None
            return False
        self.stop()
        detail = (self.folder / ENGINE_LOG).read_text(errors="replace")[-500:]
        raise BackendError(f"the query engine's sandbox did not start: {detail.strip()}")

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if not self.alive():
                detail = (self.folder / ENGINE_LOG).read_text(errors="replace")[-500:]
                self.stop()
                raise BackendError(f"the query engine (oxigraph serve) did not start: {detail.strip()}")
            try:
                response = self.store.client.get(f"{self.url}/query", params={"query": "ASK {}"}, timeout=1.0)
                if response.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.02)
        self.stop()
        raise BackendError(f"the query engine (oxigraph serve) did not answer within {self.start_timeout:g} s")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None and self.pid is not None and _running(self.pid)

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
        if self.pid is None:
            return 0
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
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
        if self.pid is None:
            return 0.0
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """Stop the engine (and its relay), and return once it has let go of the store folder."""
        process, self.process = self.process, None
        engine, self.pid = self.pid, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()  # the relay passes it on to the engine, and exits after it
            try:
                process.wait(3)
            except subprocess.TimeoutExpired:
                process.kill()  # the engine gets SIGKILL with it (it dies with the relay)
                process.wait(3)
        deadline = time.monotonic() + 3
        while engine is not None and _running(engine) and time.monotonic() < deadline:
            time.sleep(0.01)

    def close(self) -> None:
        self.stop()
        self.store.close()
        shutil.rmtree(self.private, ignore_errors=True)
