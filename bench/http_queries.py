"""Benchmark: every catalogue query through HTTP against the bundled graph, next to rdflib in memory.

Run with `make bench` (or `.venv/bin/python bench/http_queries.py [--runs N]`). It builds a fresh store from the
bundled files, starts `vskg serve` on a free loopback port, and for each catalogue query (with the parameters of
its documented example, else its defaults) measures N requests over one keep-alive connection. The baseline,
measured in the same run, is the same query text with the same bindings on an rdflib Dataset holding the same
files. The target is a p50 under 20 ms through HTTP for every query.
"""

from __future__ import annotations

import argparse
import itertools
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import rdflib

from vskg.catalogue import catalogue
from vskg.graphs import bundled_sources
from vskg.resources import locate
from vskg.store import LocalStore

TARGET_MS = 20.0


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "vskg", "serve", "--port", str(port), "--store", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def rdflib_dataset() -> rdflib.Dataset:
    dataset = rdflib.Dataset(default_union=True)
    for path, graph in bundled_sources(locate()):
        dataset.graph(rdflib.URIRef(graph)).parse(path)
    return dataset


def example_params(example: str) -> dict[str, str]:
    """The `--param key=value` pairs of a query's documented example command."""
    words = example.split()
    return dict(w.split("=", 1) for prev, w in itertools.pairwise(words) if prev == "--param" and "=" in w)


def rdflib_bindings(query, params: dict[str, str]) -> dict:
    out = {}
    for name, term in query.bind(params).items():
        if isinstance(term, __import__("pyoxigraph").NamedNode):
            out[name.value] = rdflib.URIRef(term.value)
        else:
            out[name.value] = rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--baseline-runs", type=int, default=5)
    args = parser.parse_args()

    queries = catalogue()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "store"
        store = LocalStore(folder)
        store.init_bundled()
        store.close()
        process, url = start_server(folder)
        dataset = rdflib_dataset()
        print(f"{'query':32} {'HTTP p50':>9} {'p95':>8} {'rdflib p50':>11} {'p95':>8} {'speed-up':>9}  rows")
        misses = []
        try:
            with httpx.Client(base_url=url, timeout=30) as client:
                for name, query in queries.items():
                    params = {p.name: p.default for p in query.parameters if p.default is not None}
                    params |= example_params(query.example)  # required parameters take the documented example
                    if any(p.required and p.name not in params for p in query.parameters):
                        continue
                    client.get(f"/queries/{name}", params=params)  # warm-up
                    http_ms, rows = [], 0
                    for _ in range(args.runs):
                        started = time.perf_counter()
                        answer = client.get(f"/queries/{name}", params=params)
                        http_ms.append((time.perf_counter() - started) * 1000)
                        answer.raise_for_status()
                        rows = len(answer.json()["results"]["bindings"])
                    bindings = rdflib_bindings(query, params)
                    base_ms = []
                    for _ in range(args.baseline_runs):
                        started = time.perf_counter()
                        list(dataset.query(query.text, initBindings=bindings))
                        base_ms.append((time.perf_counter() - started) * 1000)
                    p50, p95 = statistics.median(http_ms), percentile(http_ms, 0.95)
                    b50, b95 = statistics.median(base_ms), percentile(base_ms, 0.95)
                    print(f"{name:32} {p50:8.1f}ms {p95:6.1f}ms {b50:10.1f}ms {b95:6.1f}ms {b50 / p50:8.1f}x  {rows}")
                    if p50 >= TARGET_MS:
                        misses.append(name)
        finally:
            process.terminate()
            process.wait(10)
    verdict = "all under" if not misses else f"{len(misses)} over ({', '.join(misses)})"
    print(f"target p50 < {TARGET_MS:g} ms through HTTP: {verdict}")


if __name__ == "__main__":
    main()
