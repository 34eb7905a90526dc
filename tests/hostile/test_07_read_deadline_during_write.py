"""Hostile case 7: reads had no deadline while a write ran. A query with `timeout=2` sent during a 43 s PUT was
answered after 36.7 s; a page or a Graph Store GET waited for as long as the write took.

Now the wait for a running write counts against a query's deadline (the engine's limit or the client's shorter
`timeout`), and every other read waits at most the query time limit; past it the client gets the usual 503 JSON
error with Retry-After while the write is still going on. The write itself is slow on purpose here: a PUT of some
tens of thousands of generated triples keeps the store busy for several seconds."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.hostile.conftest import Survivor, fingerprint
from tests.server import assert_error, running_server

TRIPLES = 60_000  # seconds of writing on the test machine, several times the reads' deadlines
LIMIT = 1  # the server's query time limit, which is also how long other reads may wait for a write
GRAPH = "urn:vskg:test:slow-write"
BUSY = (
    "the store is being written to and the write did not finish within {} s, the time this request may wait; "
    "try again shortly"
)


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


def test_reads_during_a_slow_write_give_up_at_their_deadline(survivor: Survivor) -> None:
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
        "query": lambda: httpx.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }", "timeout": "0.5"}, timeout=60),
        "catalogue": lambda: httpx.get(f"{url}/queries/value-streams", timeout=60),
        "graph store": lambda: httpx.get(f"{url}/store", params={"default": ""}, timeout=60),
        "page": lambda: httpx.get(f"{url}/streams/banking/mortgage-lending", timeout=60),
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

    for name, answers in seen.items():
        refused = [s for s in answers if s.response.status_code == 503]
        assert refused, f"no {name} read was refused during the write: {[s.response.status_code for s in answers]}"
        assert refused[0].write_running, f"the {name} read waited for the write to finish"
        waited = 0.5 if name == "query" else LIMIT  # the client's shorter timeout, else the server's limit
        assert_error(refused[0].response, 503, BUSY.format(waited))
        assert refused[0].response.headers["retry-after"] == "5"
        assert {s.response.status_code for s in answers} <= {200, 503}

    survivor.check(unchanged=False)  # the write was meant to succeed, and nothing else changed:
    after = dict(fingerprint(survivor.server))
    assert after.pop(GRAPH) == TRIPLES
    after["urn:default"] -= TRIPLES  # the fingerprint counts the union of all graphs as the default graph
    assert after == dict(survivor.before)
