"""Every catalogue query at scale, before and after: values bound by substitution on the old text, against values
written into the (possibly rewritten) text.

Run `python bench/catalogue_queries.py /work/data/syn5000.ttl` (1M triples with `bench/synthetic.py --streams
5000`). The file is bulk-loaded with the bundled graph into one in-memory pyoxigraph store; each query then runs
with its example's parameters, a few times each way, and the table gives the p50 in milliseconds and the row
count. "before" is the text the catalogue had before its rewrite (kept in tests/fixtures/catalogue-before/, the
current file for the queries that were not rewritten), bound with pyoxigraph's ``substitutions``; "after" is the
current file with the values written in by `CatalogueQuery.render`, the text that vskg now sends to any engine.

``--store DIR`` keeps the loaded quads in a store folder: built once with ``bulk_load`` when the folder does not
exist yet, then opened read-only on later runs (an ``oxigraph serve-read-only --location DIR`` can read the same
folder at the same time, for the server column).

Each measurement runs in a forked child that shares the loaded store, so a query that runs past ``--deadline``
is killed and shown as a timeout instead of holding the benchmark. ``--oxigraph-server URL`` also times the
"after" text against a SPARQL endpoint (an `oxigraph serve` over the same quads), over HTTP.
"""

from __future__ import annotations

import argparse
import itertools
import os
import pickle
import shlex
import signal
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vskg.catalogue import CatalogueQuery, catalogue  # noqa: E402
from vskg.graphs import bundled_sources, memory_store  # noqa: E402
from vskg.rdfio import file_format  # noqa: E402
from vskg.resources import locate  # noqa: E402

BEFORE = ROOT / "tests" / "fixtures" / "catalogue-before"


def example_params(query: CatalogueQuery) -> dict[str, str]:
    words = shlex.split(query.example)
    return dict(value.partition("=")[::2] for flag, value in itertools.pairwise(words) if flag == "--param")


def old_text(query: CatalogueQuery) -> str:
    kept = BEFORE / query.path.name
    return kept.read_text(encoding="utf-8") if kept.exists() else query.text


def timed(run, runs: int, deadline: float) -> tuple[float | None, int]:
    """p50 of ``runs`` calls of ``run`` (which returns a row count) in a forked child; None if past the deadline."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: measure, report, leave without cleanup
        os.close(read)
        times, rows = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            rows = run()
            times.append(time.perf_counter() - start)
        os.write(write, pickle.dumps((statistics.median(times) * 1000, rows)))
        os._exit(0)
    os.close(write)
    limit = time.monotonic() + deadline * runs
    while time.monotonic() < limit:
        done, _ = os.waitpid(child, os.WNOHANG)
        if done:
            break
        time.sleep(0.01)
    else:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        os.close(read)
        return None, -1
    data = os.read(read, 1 << 16)
    os.close(read)
    return pickle.loads(data)


def open_store(folder: Path | None, data: Path | None) -> pyoxigraph.Store:
    """The bundled graph and ``data``: in memory, or in ``folder`` (bulk-loaded once, read-only afterwards)."""
    if folder is not None and folder.exists():
        return pyoxigraph.Store.read_only(str(folder))
    if folder is None:
        store = memory_store()
    else:
        store = pyoxigraph.Store(str(folder))
        for path, graph in bundled_sources(locate()):
            store.bulk_load(path=str(path), format=file_format(path), to_graph=pyoxigraph.NamedNode(graph))
    if data:
        store.bulk_load(
            path=str(data), format=pyoxigraph.RdfFormat.TURTLE, to_graph=pyoxigraph.NamedNode(data.resolve().as_uri())
        )
    if folder is not None:
        store.optimize()
        del store
        return pyoxigraph.Store.read_only(str(folder))
    return store


def count(result) -> int:
    return sum(1 for _ in result)


def server_p50(client, endpoint: str, text: str, runs: int) -> float | None:
    """p50 in milliseconds of ``runs`` POSTs of ``text`` to a SPARQL endpoint, results read in full; None on timeout."""
    import httpx

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        try:
            response = client.post(
                endpoint,
                data={"query": text, "union-default-graph": ""},
                headers={"Accept": "application/sparql-results+json"},
            )
        except httpx.TimeoutException:
            return None
        response.raise_for_status()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, nargs="?", help="a Turtle file to add to the bundled graph")
    parser.add_argument("--runs", type=int, default=5, help="runs per query and way (p50 is shown)")
    parser.add_argument("--deadline", type=float, default=30.0, help="seconds one run may take")
    parser.add_argument("--only", action="append", default=[], help="only this query (repeatable)")
    parser.add_argument("--oxigraph-server", help="a SPARQL query endpoint over the same quads")
    parser.add_argument("--after-only", action="store_true", help="time the current text only (no before column)")
    parser.add_argument("--store", type=Path, help="a store folder: built on the first run, then opened read-only")
    args = parser.parse_args()

    started = time.perf_counter()
    store = open_store(args.store, args.data)
    print(f"{len(store):,} quads ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    client = None
    if args.oxigraph_server:
        import httpx

        client = httpx.Client(timeout=args.deadline)

    header = f"{'query':28} {'before ms':>10} {'after ms':>10} {'speed-up':>9} {'rows':>6}"
    if client:
        header += f" {'server ms':>10} {'ratio':>6}"
    print(header)
    for name, query in sorted(catalogue().items()):
        if args.only and name not in args.only:
            continue
        params = example_params(query)
        before_text, substitutions = old_text(query), query.bind(params)
        after_text = query.render(params)
        before, before_rows = (
            (None, -1)
            if args.after_only
            else timed(
                lambda text=before_text, bound=substitutions: count(
                    store.query(text, use_default_graph_as_union=True, substitutions=bound)
                ),
                args.runs,
                args.deadline,
            )
        )
        after, after_rows = timed(
            lambda text=after_text: count(store.query(text, use_default_graph_as_union=True)),
            args.runs,
            args.deadline,
        )
        if before is not None and after is not None and before_rows != after_rows:
            print(f"warning: {name} gave {before_rows} rows before and {after_rows} after", file=sys.stderr)
        shown = [f"{'timeout' if t is None else f'{t:.1f}':>10}" for t in (before, after)]
        if args.after_only:
            shown[0] = f"{'-':>10}"
        ratio = f"{before / after:.1f}x" if before is not None and after else ("" if before else "-")
        line = f"{name:28} {shown[0]} {shown[1]} {ratio:>9} {after_rows:>6}"
        if client:
            served = server_p50(client, args.oxigraph_server, after_text, args.runs)
            line += f" {'timeout' if served is None else f'{served:.1f}':>10}"
            if served is not None and after is not None:
                line += f" {after / served:>6.2f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
