"""What the engine's sandbox costs: the same queries through the Unix-socket relay and straight over TCP.

`vskg serve` reaches its `oxigraph serve` through a relay (`vskg.sandbox`) when the engine runs in a network
namespace of its own, and straight over 127.0.0.1 when it keeps the machine's network. This bench opens the
bundled store both ways in turn (the same folder, one engine at a time) and times, with one keep-alive client like
the service's, a 1-row SELECT and a 10,000-row SELECT (the raw HTTP exchange, JSON results, body read whole).

    python bench/engine_relay.py [--rounds 300]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from vskg.store import LocalStore
from vskg.store.engine_process import EngineProcess

ONE_ROW = "SELECT ?s WHERE { GRAPH ?g { ?s a ?c } } LIMIT 1"
MANY_ROWS = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 10000"
JSON = {"Accept": "application/sparql-results+json"}


def timings(engine: EngineProcess, query: str, rounds: int) -> tuple[float, float, int]:
    """p50 and p90 in ms of ``rounds`` exchanges of ``query`` (after a warm-up), and the body size."""
    client = engine.store.client
    url = f"{engine.url}/query"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="relay-bench-")) / "store"
    store = LocalStore(folder)
    store.init_bundled()
    store.close()
    rows = []
    for label, network in (("relay (Unix socket, namespace)", False), ("direct TCP 127.0.0.1", True)):
        engine = EngineProcess(folder, timeout=30, network=network)
        engine.start()
        assert engine.sandboxed is not network
        try:
            for name, query, rounds in (("1 row", ONE_ROW, options.rounds), ("10,000 rows", MANY_ROWS, 60)):
                p50, p90, size = timings(engine, query, rounds)
                rows.append((label, name, p50, p90, size))
        finally:
            engine.close()
    print("| path | query | p50 ms | p90 ms | body bytes |\n|---|---|---|---|---|")
    for label, name, p50, p90, size in rows:
        print(f"| {label} | {name} | {p50:.2f} | {p90:.2f} | {size:,} |")


if __name__ == "__main__":
    main()
