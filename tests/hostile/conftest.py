"""The hostile-input corpus: every case runs against a real `vskg serve` and must leave it up, bounded and unchanged.

Each test module gets its own server (a copy of the bundled store, writes enabled with the token). After each
hostile request, `Survivor.check()` asserts what the corpus promises for every case:

- the server process is still running and answers `/health` within a second;
- its peak memory (the kernel's high-water mark of resident memory, VmHWM, for the server process, and the
  current resident memory of all its children) stays under a ceiling;
- the store holds exactly what it held before (the same graphs with the same number of triples each), unless the
  case is a write that is meant to succeed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.server import Listener, LiveServer, assert_error, running_server
from vskg.graphs import REPORT_GRAPH

# The bundled store served with two query workers peaks near 100 MB (workers about 50 MB each); a hostile
# document that expands in memory (entities, a zip bomb, quadratic parsing) goes far past these.
HEALTH_WAIT = 5.0
SERVER_PEAK_MB = 500
CHILDREN_MB = 1500

# The ways an RDF document comes in over HTTP: validated, replacing a graph, or posted as a new graph.
DOCUMENT_PATHS = ("validate", "put", "post")

# The default graph (the union, in the service) is counted without the standing report's triples.
FINGERPRINT = (
    "SELECT ?g (COUNT(*) AS ?n) WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o "
    f"FILTER NOT EXISTS {{ GRAPH <{REPORT_GRAPH}> {{ ?s ?p ?o }} }} BIND(<urn:default> AS ?g) }} }} "
    "GROUP BY ?g ORDER BY ?g"
)


def _status_kb(pid: int, field_name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid:
            found.append(int(entry.name))
    return found


def fingerprint(server: LiveServer) -> list[tuple[str, int]]:
    """Every graph of the store with its triple count (the default graph as urn:default), read over SPARQL; but the
    standing validation report's graph, which the service itself rewrites whenever a report is published."""
    answer = httpx.post(
        f"{server.url}/sparql",
        data={"query": FINGERPRINT},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    rows = answer.json()["results"]["bindings"]
    return [(row["g"]["value"], int(row["n"]["value"])) for row in rows if row["g"]["value"] != REPORT_GRAPH]


@dataclass
class Survivor:
    server: LiveServer
    before: list[tuple[str, int]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    def auth(self) -> dict[str, str]:
        return self.server.auth()

    def memory_mb(self) -> tuple[float, float]:
        pid = self.server.process.pid
        children = sum(_status_kb(child, "VmRSS") for child in _children(pid))
        return _status_kb(pid, "VmHWM") / 1024, children / 1024

    def check(self, *, unchanged: bool = True) -> None:
        """The server is up, its event loop free (it answers /health), under its memory ceiling, and wrote nothing.

        /health must come back within HEALTH_WAIT seconds: long enough for a busy two-core CI machine (each server
        also runs its first standing validation), far too short for a request that blocks the event loop.
        """
        assert self.server.process.poll() is None, "the server process has exited"
        try:
            health = httpx.get(f"{self.url}/health", timeout=HEALTH_WAIT)
        except httpx.TimeoutException:
            raise AssertionError(f"the server did not answer /health within {HEALTH_WAIT} s") from None
        assert health.status_code == 200
        peak, children = self.memory_mb()
        assert peak < SERVER_PEAK_MB, f"the server's peak resident memory reached {peak:.0f} MB"
        assert children < CHILDREN_MB, f"the server's children hold {children:.0f} MB"
        if unchanged:
            assert fingerprint(self.server) == self.before, "the store changed"

    def send_document(self, path: str, body: bytes, media: str) -> httpx.Response:
        """Send an RDF document the way one of DOCUMENT_PATHS takes it (the writes with the token)."""
        headers = {"Content-Type": media}
        if path == "validate":
            return httpx.post(f"{self.url}/validate", content=body, headers=headers, timeout=60)
        headers |= self.auth()
        if path == "put":
            return httpx.put(f"{self.url}/store", params={"graph": "urn:hostile:doc"}, content=body, headers=headers)
        return httpx.post(f"{self.url}/store", content=body, headers=headers, timeout=60)

    def refused(self, response: httpx.Response, status: int, contains: str | None = None) -> str:
        """``response`` is the JSON error ``status`` (its message containing ``contains``), and the server survived."""
        message = assert_error(response, status)
        if contains is not None:
            assert contains in message, message
        self.check()
        return message


@pytest.fixture(scope="module")
def survivor(bundled_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Survivor]:
    folder = tmp_path_factory.mktemp("hostile") / "store"
    shutil.copytree(bundled_store_template, folder)
    with running_server(folder) as server:
        watch = Survivor(server)
        watch.before = fingerprint(server)
        yield watch


@pytest.fixture()
def listener() -> Iterator[Listener]:
    watch = Listener()
    yield watch
    watch.close()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
