"""How long the portfolio analysis takes from a cold start on a large graph, and how many rows it reads.

The service memoises the portfolio per store state, so after every write the first /api/portfolio (and every
portfolio page) runs `analyse_portfolio` from zero: its time at a million triples is the wait after a write. This
bench bulk-loads the bundled graph plus a synthetic enterprise (`bench/synthetic.py`) into an on-disk store of its
own, then times `analyse_portfolio` (the first run on a freshly opened store, and the best of the next runs) and
`analyse_stream` of one stream, and counts the queries and result rows the analysis asked for, since behind a
remote backend every row travels as SPARQL JSON over HTTP.

    python bench/analytics_scale.py /work/data/syn500.ttl /work/data/syn5000.ttl --folder /tmp/analytics-bench

Each synthetic file gets its own store folder (reused when it already holds the same file's data).

With ``--writes`` it then copies the store, opens it read-write and measures what the service does after a write
that changes analysed facts: the live analysis (`vskg.analytics.live.LivePortfolio`) and the /api/portfolio JSON
after a 1-triple INSERT DATA/DELETE DATA of a stage's lead time, after a Graph Store PUT of a small stream's graph
and after a pattern update (DELETE/INSERT WHERE), each beside a full recompute (analysis + JSON) of the same state,
and checks that both give the same bytes.
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


def after_writes(folder: Path, scratch: Path) -> None:
    """The first /api/portfolio after each kind of write: the live analysis beside a full recompute."""
    from pyoxigraph import NamedNode, Quad, RdfFormat, parse

    from vskg.analytics.live import Change, LivePortfolio, dumps
    from vskg.analytics.portfolio import shared_systems

    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(folder, scratch)
    store = pyoxigraph.Store(str(scratch))
    live = LivePortfolio()

    def full() -> tuple[float, bytes]:
        started = time.perf_counter()
        result = analytics.analyse_portfolio(store)
        body = dumps({**analytics.to_json(result), "shared_systems": analytics.to_json(shared_systems(result))})
        return time.perf_counter() - started, body.encode("utf-8")

    def timed_live() -> tuple[float, bytes]:
        started = time.perf_counter()
        body = live.document(store)
        return time.perf_counter() - started, body

    first, _ = timed_live()
    print(f"  live: first analysis + JSON {first:6.2f} s ({live.rebuilt} streams built)", flush=True)
    vskg = "https://w3id.org/vskg/ontology#"
    stage, graph, lead = next(
        iter(store.query(f"SELECT ?s ?g ?v WHERE {{ GRAPH ?g {{ ?s <{vskg}leadTimeHours> ?v }} }} LIMIT 1"))
    )
    turtle = f"""@prefix vskg: <{vskg}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    <urn:bench:x> a vskg:OperationalValueStream ; rdfs:label "Bench stream" ; vskg:hasStage <urn:bench:s> .
    <urn:bench:s> vskg:stageOrder 1 ; vskg:processTimeHours 2 ; vskg:leadTimeHours 9 ; vskg:enabledBy <urn:bench:c> ."""
    quads = [
        Quad(q.subject, q.predicate, q.object, NamedNode("urn:bench:graph"))
        for q in parse(turtle.encode(), RdfFormat.TURTLE)
    ]
    edits = [
        (
            "1-triple INSERT DATA/DELETE DATA",
            f"DELETE DATA {{ GRAPH {graph} {{ {stage} <{vskg}leadTimeHours> {lead} }} }} ; "
            f"INSERT DATA {{ GRAPH {graph} {{ {stage} <{vskg}leadTimeHours> 12345 }} }}",
        ),
        ("Graph Store PUT of a small graph", quads),
        (
            "DELETE/INSERT WHERE (re-reads)",
            f"DELETE {{ GRAPH ?g {{ {stage} <{vskg}leadTimeHours> ?v }} }} "
            f"INSERT {{ GRAPH ?g {{ {stage} <{vskg}leadTimeHours> 54321 }} }} "
            f"WHERE {{ GRAPH ?g {{ {stage} <{vskg}leadTimeHours> ?v }} }}",
        ),
    ]
    for name, edit in edits:
        if isinstance(edit, str):
            store.update(edit)
            live.written(Change.of_update(edit))
        else:
            store.extend(edit)
            live.written(Change.replaced("urn:bench:graph", edit))
        took, body = timed_live()
        whole, expected = full()
        same = "identical" if body == expected else "DIFFERENT"
        print(
            f"  after {name:34s} live {took:6.2f} s ({live.rebuilt} streams rebuilt)   full recompute {whole:6.2f} s"
            f"   JSON {same}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("synthetic", nargs="+", type=Path, help="Turtle files written by bench/synthetic.py")
    parser.add_argument("--folder", type=Path, default=Path("/tmp/vskg-analytics-bench"), help="where the stores go")
    parser.add_argument("--runs", type=int, default=3, help="portfolio runs per size (the first is the cold one)")
    parser.add_argument("--writes", action="store_true", help="also time /api/portfolio after writes (live vs full)")
    args = parser.parse_args(argv)
    for synthetic in args.synthetic:
        folder = args.folder / synthetic.stem
        started = time.perf_counter()
        quads = build(folder, synthetic)
        print(f"{synthetic.name}: store of {quads:,} quads ready in {time.perf_counter() - started:.1f} s", flush=True)
        measure(folder, args.runs)
        if args.writes:
            after_writes(folder, args.folder / f"{synthetic.stem}-written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
