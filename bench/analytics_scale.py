"""How long the portfolio analysis takes from a cold start on a large graph, and how many rows it reads.

The service memoises the portfolio per store state, so after every write the first /api/portfolio (and every
portfolio page) runs `analyse_portfolio` from zero: its time at a million triples is the wait after a write. This
bench bulk-loads the bundled graph plus a synthetic enterprise (`bench/synthetic.py`) into an on-disk store of its
own, then times `analyse_portfolio` (the first run on a freshly opened store, and the best of the next runs) and
`analyse_stream` of one stream, and counts the queries and result rows the analysis asked for, since behind a
remote backend every row travels as SPARQL JSON over HTTP.

    python bench/analytics_scale.py /work/data/syn500.ttl /work/data/syn5000.ttl --folder /tmp/analytics-bench

Each synthetic file gets its own store folder (reused when it already holds the same file's data).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pyoxigraph

from vskg import analytics
from vskg.graphs import bundled_sources
from vskg.rdfio import file_format
from vskg.resources import locate


class CountingSource:
    """Reads through ``query`` only (as the analytics do on any backend), counting queries and result rows."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store = store
        self.queries = 0
        self.rows = 0

    def query(self, text: str, **options: Any) -> Any:
        self.queries += 1
        result = self.store.query(text, **options)
        if isinstance(result, pyoxigraph.QuerySolutions):
            variables = result.variables
            rows = list(result)
            self.rows += len(rows)
            return Solutions(variables, rows)
        return result


class Solutions:
    """A fetched SELECT result that reads like pyoxigraph's QuerySolutions (variables, then iteration)."""

    def __init__(self, variables: list[Any], rows: list[Any]) -> None:
        self.variables = variables
        self.rows = rows

    def __iter__(self):
        return iter(self.rows)


def build(folder: Path, synthetic: Path) -> int:
    """Bulk-load the bundled graph and ``synthetic`` into ``folder`` (each file into its own graph); quad count."""
    marker = folder / "vskg-bench-source"
    if marker.exists() and marker.read_text() == str(synthetic.resolve()):
        store = pyoxigraph.Store.read_only(str(folder))
        return len(store)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    store = pyoxigraph.Store(str(folder))
    sources = [(path, graph) for path, graph in bundled_sources(locate(), with_shapes=True)]
    sources.append((synthetic, synthetic.resolve().as_uri()))
    for path, graph in sources:
        store.bulk_load(path=str(path), format=file_format(path), to_graph=pyoxigraph.NamedNode(graph))
    store.flush()
    count = len(store)
    del store
    marker.write_text(str(synthetic.resolve()))
    return count


def measure(folder: Path, runs: int) -> None:
    store = pyoxigraph.Store.read_only(str(folder))
    source = CountingSource(store)
    started, cpu = time.perf_counter(), time.process_time()
    result = analytics.analyse_portfolio(source)
    first, first_cpu = time.perf_counter() - started, time.process_time() - cpu
    queries, rows = source.queries, source.rows
    later = []
    for _ in range(runs - 1):
        started = time.perf_counter()
        analytics.analyse_portfolio(source)
        later.append(time.perf_counter() - started)
    stream = result.streams[len(result.streams) // 2].stream.iri
    source.queries = source.rows = 0
    started = time.perf_counter()
    analytics.analyse_stream(source, stream)
    one = time.perf_counter() - started
    best = f"{min(later):7.2f} s" if later else "      -"
    print(
        f"{len(store):>10,} quads  {len(result.streams):>5} streams  "
        f"portfolio first {first:6.2f} s (cpu {first_cpu:.2f} s), "
        f"best {best}  "
        f"({queries} queries, {rows:,} rows)  one stream {one * 1000:6.0f} ms ({source.queries} queries, "
        f"{source.rows:,} rows)",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("synthetic", nargs="+", type=Path, help="Turtle files written by bench/synthetic.py")
    parser.add_argument("--folder", type=Path, default=Path("/tmp/vskg-analytics-bench"), help="where the stores go")
    parser.add_argument("--runs", type=int, default=3, help="portfolio runs per size (the first is the cold one)")
    args = parser.parse_args(argv)
    for synthetic in args.synthetic:
        folder = args.folder / synthetic.stem
        started = time.perf_counter()
        quads = build(folder, synthetic)
        print(f"{synthetic.name}: store of {quads:,} quads ready in {time.perf_counter() - started:.1f} s", flush=True)
        measure(folder, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
