"""Starting a real vskg server (uvicorn in its own process) on a free port for the tests that speak HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from vskg.store import LocalStore

TOKEN = "test-write-token"


@dataclass(frozen=True)
class LiveServer:
    url: str
    token: str | None
    store_path: Path
    process: subprocess.Popen

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_store(folder: Path) -> Path:
    """A store holding the bundled graph, built once and copied per server (a backup is a full store)."""
    store = LocalStore(folder)
    store.init_bundled()
    store.close()
    return folder


@contextmanager
def running_server(
    folder: Path, *, token: str | None = TOKEN, timeout: float = 10.0, workers: int = 2, extra_env: dict | None = None
) -> Iterator[LiveServer]:
    port = free_port()
    args = [sys.executable, "-m", "vskg", "serve", "--port", str(port), "--store", str(folder)]
    args += ["--timeout", str(timeout), "--workers", str(workers)]
    env = {k: v for k, v in os.environ.items() if k != "VSKG_WRITE_TOKEN"} | (extra_env or {})
    if token is not None:
        token_file = folder.parent / f"{folder.name}.token"
        token_file.write_text(token, encoding="utf-8")
        args += ["--write-token-file", str(token_file)]
    # The server's output goes to a file beside the store: a pipe that nobody reads fills up after 64 KiB of log
    # (a fuzzing test makes that much) and then blocks the server's event loop on its next log line.
    log_path = folder.parent / f"{folder.name}.serve.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError("vskg serve exited: " + log_path.read_text(errors="replace"))
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("vskg serve did not answer /health within 30 s")
            time.sleep(0.1)
        yield LiveServer(url, token, folder, process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Listener:
    """A TCP port that counts connections; with ``hold`` it accepts and then never answers."""

    def __init__(self, hold: bool = False, backlog: int = 16) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(backlog)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.hold = hold
        self.connections = 0
        self._open: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            if self.hold:
                self._open.append(conn)
            else:
                conn.close()

    @property
    def iri(self) -> str:
        """The endpoint's IRI as SPARQL writes it."""
        return f"<{self.url}>"

    def settle(self) -> int:
        """The connection count once a late connection has had time to be counted."""
        time.sleep(0.3)
        return self.connections

    def close(self) -> None:
        time.sleep(0.3)  # a late connection is still counted
        self._stop.set()
        self._thread.join()
        for conn in self._open:
            conn.close()
        self.sock.close()


def assert_error(response: httpx.Response, status: int, message: str | None = None) -> str:
    """The response is the service's JSON error with ``status``; returns its message (compared exactly when given)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "message"}
    assert body["error"]["status"] == status
    assert "Traceback" not in response.text and 'File "' not in response.text
    if message is not None:
        assert body["error"]["message"] == message
    return body["error"]["message"]
