"""Real SPARQL servers on 127.0.0.1 for the backend tests: an Oxigraph server and Virtuoso Open Source 7.

Each is started once per test session (per xdist worker) in a temporary folder, on free loopback ports, and killed
at the end. Virtuoso gets its own virtuoso.ini: database files in the folder, HTTP and SQL ports on 127.0.0.1 only,
file access (DirsAllowed) limited to the folder, no plugins, and a grant that lets its anonymous SPARQL user update
(which also opens its Graph Store endpoint, /sparql-graph-crud). `.ci/run` installs Virtuoso, so nothing skips.

Tests share a server; `clear()` drops every graph the user wrote, so each module starts from an empty dataset.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from vskg.store.dialects import OXIGRAPH, VIRTUOSO, Dialect
from vskg.store.remote import RemoteStore

VIRTUOSO_BINARY = "virtuoso-t"
VIRTUOSO_ISQL = "isql-vt"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SparqlServer:
    """One running server: its endpoints, the dialect vskg should speak to it, and the process to kill."""

    name: str
    query_url: str
    update_url: str
    store_url: str
    dialect: Dialect
    process: subprocess.Popen
    folder: Path

    def store(self, *, timeout: float = 60.0) -> RemoteStore:
        return RemoteStore(self.query_url, self.update_url, self.store_url, dialect=self.dialect, timeout=timeout)

    def clear(self) -> None:
        """Drop every graph the tests wrote (the server's own graphs stay)."""
        store = self.store()
        try:
            for graph in store.graphs():
                store.drop_graph(graph)
            store.drop_graph(None)
        finally:
            store.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def wait_until_answering(process: subprocess.Popen, url: str, log: Path, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited at start: {log.read_text(errors='replace')[-800:]}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=1.0, trust_env=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"{url} did not answer within {limit:g} s: {log.read_text(errors='replace')[-800:]}")


def start_oxigraph(folder: Path) -> SparqlServer:
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    binary = Path(sys.executable).parent / "oxigraph"
    command = [str(binary), "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"]
    log = folder / "oxigraph.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    wait_until_answering(process, f"{url}/query", log)
    return SparqlServer("oxigraph", f"{url}/query", f"{url}/update", f"{url}/store", OXIGRAPH, process, folder)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
CheckpointInterval = 0
AllowOSCalls = 0
DirsAllowed = {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 512M
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}/www
ServerThreads = 10
MaxClientConnections = 10
EnabledGzipContent = 0
HTTPProxyEnabled = 0
DefaultMailServer =

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""


def start_virtuoso(folder: Path) -> SparqlServer:
    binary = shutil.which(VIRTUOSO_BINARY)
    if binary is None:
        raise RuntimeError("Virtuoso is not installed: apt-get install virtuoso-opensource (.ci/run does it)")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "www").mkdir(exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(folder=folder, http_port=http_port, sql_port=sql_port), encoding="utf-8")
    log = folder / "stdout.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "-f", "-c", str(ini)], cwd=folder, stdin=subprocess.DEVNULL, stdout=out, stderr=out
        )
    url = f"http://127.0.0.1:{http_port}"
    wait_until_answering(process, f"{url}/sparql", log, limit=120.0)
    # The anonymous SPARQL user may update, which also opens the Graph Store endpoint (/sparql-graph-crud).
    subprocess.run(
        [VIRTUOSO_ISQL, f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return SparqlServer(
        "virtuoso", f"{url}/sparql", f"{url}/sparql", f"{url}/sparql-graph-crud", VIRTUOSO, process, folder
    )


# --- fixtures (registered for the whole suite by tests/conftest.py) -------------------------------------------


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-server"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-server"))
    yield server
    server.stop()
