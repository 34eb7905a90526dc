"""What the engine's sandbox costs: the same queries through the relay, through a handed-over socket, and over TCP.

`vskg serve` reaches its `oxigraph serve` in a network namespace of its own, through the sandbox's Unix socket
(`vskg.sandbox`). The service asks the sandbox for a socket connected to the engine and talks to it directly (the
hand-off, `vskg.store.handoff`); other clients of the socket have their bytes relayed. Without the sandbox the
engine listens on 127.0.0.1. This bench opens the bundled store each way in turn (the same folder, one engine at a
time) and times, with one keep-alive client shared by all threads like the service's: a 1-row SELECT and a
10,000-row SELECT from one thread (p50, p90), and the throughput of 16 threads on the 1-row and on a 1,000-row
SELECT (the raw HTTP exchange, JSON results, body read whole).

    python bench/engine_relay.py [--rounds 300] [--seconds 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from vskg.store import LocalStore
from vskg.store.engine_process import EngineProcess

ONE_ROW = "SELECT ?s WHERE { GRAPH ?g { ?s a ?c } } LIMIT 1"
SOME_ROWS = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1000"
MANY_ROWS = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 10000"
JSON = {"Accept": "application/sparql-results+json"}


def timings(client: httpx.Client, url: str, query: str, rounds: int) -> tuple[float, float, int]:
    """p50 and p90 in ms of ``rounds`` exchanges of ``query`` (after a warm-up), and the body size."""
    size = 0
    for _ in range(10):
        client.get(url, params={"query": query}, headers=JSON)
    spent = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url, params={"query": query}, headers=JSON)
        size = len(response.content)
        spent.append((time.perf_counter() - started) * 1000)
    assert response.status_code == 200, response.text
    spent.sort()
    return statistics.median(spent), spent[int(len(spent) * 0.9)], size


def throughput(client: httpx.Client, url: str, query: str, threads: int, seconds: float) -> float:
    """Answers per second of ``threads`` threads asking ``query`` over one shared client for ``seconds``."""
    done = [0] * threads
    deadline = time.perf_counter() + seconds

    def loop(n: int) -> None:
        while time.perf_counter() < deadline:
            response = client.get(url, params={"query": query}, headers=JSON)
            assert response.status_code == 200, response.text
            done[n] += 1

    started = time.perf_counter()
    workers = [threading.Thread(target=loop, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done) / (time.perf_counter() - started)


def measure(label: str, client: httpx.Client, url: str, options: argparse.Namespace) -> list[tuple]:
    rows = []
    for name, query, rounds in (("1 row", ONE_ROW, options.rounds), ("10,000 rows", MANY_ROWS, 60)):
        p50, p90, size = timings(client, url, query, rounds)
        rows.append((label, f"{name}, 1 client", f"{p50:.2f}", f"{p90:.2f}", "", f"{size:,}"))
    for name, query in (("1 row", ONE_ROW), ("1,000 rows", SOME_ROWS)):
        rate = throughput(client, url, query, 16, options.seconds)
        rows.append((label, f"{name}, 16 threads", "", "", f"{rate:,.0f}", ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each 16-thread run")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="relay-bench-")) / "store"
    store = LocalStore(folder)
    store.init_bundled()
    store.close()
    rows = []
    for network in (False, True):
        engine = EngineProcess(folder, timeout=30, network=network)
        engine.start()
        assert engine.sandboxed is not network
        try:
            url = f"{engine.url}/query"
            if network:
                rows += measure("direct TCP 127.0.0.1", engine.store.client, url, options)
                continue
            rows += measure("hand-off (socket passed by the sandbox)", engine.store.client, url, options)
            relayed = httpx.Client(transport=httpx.HTTPTransport(uds=str(engine.socket_path)), timeout=30)
            with relayed:
                rows += measure("relay (bytes copied by the sandbox)", relayed, url, options)
        finally:
            engine.close()
    print("| path | query | p50 ms | p90 ms | answers/s | body bytes |\n|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
