"""Hostile case 7: reads had no deadline while a write ran. A query with `timeout=2` sent during a 43 s PUT was
answered after 36.7 s; a page or a Graph Store GET waited for as long as the write took.

Then reads gave up at their deadline with a 503. Now they do not wait at all: the store answers each read from a
snapshot (Oxigraph's transactions), so queries, catalogue queries, Graph Store reads and pages are answered while a
large write is under way, each from the state before it, and the write lands whole. The write is large on purpose:
a PUT of a couple of hundred thousand generated triples."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.hostile.conftest import Survivor, fingerprint
from tests.server import running_server

TRIPLES = 200_000  # a write of some seconds, several times the query time limit
LIMIT = 10  # the server's query time limit
GRAPH = "urn:vskg:test:slow-write"


@pytest.fixture(scope="module")
def survivor(bundled_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Survivor]:
    """A server of its own with a short time limit, so that a read gives up well before the write is done."""
    folder = tmp_path_factory.mktemp("hostile-deadline") / "store"
    shutil.copytree(bundled_store_template, folder)
    with running_server(folder, timeout=LIMIT) as server:
        watch = Survivor(server)
        watch.before = fingerprint(server)
        yield watch


@dataclass
class Seen:
    response: httpx.Response
    write_running: bool  # the PUT had not been answered yet when this answer came


def _during(write_done: threading.Event, request: Callable[[], httpx.Response], seen: list[Seen]) -> None:
    """Send ``request`` again and again until the write is over, noting each answer and whether it beat the write."""
    while not write_done.is_set():
        answer = request()
        seen.append(Seen(answer, not write_done.is_set()))


def test_reads_are_answered_while_a_large_write_runs(survivor: Survivor) -> None:
    body = b"".join(b'<urn:vskg:test:s%d> <urn:vskg:test:p> "%d" .\n' % (n, n) for n in range(TRIPLES))
    write_done = threading.Event()
    put: list[httpx.Response] = []

    def write() -> None:
        try:
            put.append(
                httpx.put(
                    f"{survivor.url}/store",
                    params={"graph": GRAPH},
                    content=body,
                    headers={"Content-Type": "application/n-triples", **survivor.auth()},
                    timeout=300,
                )
            )
        finally:
            write_done.set()

    url = survivor.url
    readers: dict[str, Callable[[], httpx.Response]] = {
        "query": lambda: httpx.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }", "timeout": "2"}, timeout=60),
        "catalogue": lambda: httpx.get(f"{url}/queries/value-streams", timeout=60),
        "graph store": lambda: httpx.get(f"{url}/store", params={"default": ""}, timeout=60),
        "page": lambda: httpx.get(f"{url}/streams/banking/mortgage-lending", timeout=60),
        "count": lambda: httpx.get(
            f"{url}/sparql",
            params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        ),
    }
    seen: dict[str, list[Seen]] = {name: [] for name in readers}
    threads = [threading.Thread(target=write)] + [
        threading.Thread(target=_during, args=(write_done, request, seen[name])) for name, request in readers.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert put and put[0].status_code == 201, put[0].text if put else "the PUT did not finish"
    counts = [s.response for s in seen["count"]]

    for name, answers in seen.items():
        failed = [s.response.text[:300] for s in answers if s.response.status_code != 200]
        assert failed == [], f"{name}: {failed}"
        assert any(s.write_running for s in answers), f"no {name} read was answered while the write ran"
    # Each read saw the store before or after the write, never a part of it.
    sizes = {int(s.json()["results"]["bindings"][0]["n"]["value"]) for s in counts}
    assert sizes <= {0, TRIPLES}
    survivor.check(unchanged=False)
