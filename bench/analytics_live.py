"""The live portfolio (`vskg.analytics.live.LivePortfolio`) measured beside a full `analyse_portfolio`, and beside an
older version of the live module when one is given, in the same process on the same store and the same writes.

Why: the first /api/portfolio after a write is what an architect waits for; the live analysis exists to make it
short, and each change to it has to be weighed against the code it replaces under the same conditions (the machine
is shared, so figures from different runs do not compare). The store is a `LocalStore` holding the bundled graphs
and a synthetic enterprise (`bench/synthetic.py`), loaded once into ``--folder`` and copied for each run, since the
run writes to it.

    python bench/analytics_live.py /work/data/syn5000.ttl --folder /tmp/live-bench [--old path/to/live.py] [--memory]

For each implementation it prints the time to the first document (gzip-compressed for one that keeps it so, as
the service then sends it), then after each write (a 1-triple INSERT DATA of
a stage's lead time, repeated, and a DELETE/INSERT WHERE on one stage, whose quads are not known) the time to the
next document, beside a full recompute (analysis + JSON) of the same state, and whether the bytes are identical.
With ``--memory`` it then measures what each implementation keeps: the Python memory traced (tracemalloc) and the
growth of the resident set after its first document, with the document dropped again.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import shutil
import statistics
import sys
import time
import tracemalloc
import zlib
from pathlib import Path
from types import ModuleType
from typing import Any

from vskg import analytics
from vskg.analytics import live as current
from vskg.analytics.portfolio import shared_systems
from vskg.memory import give_back
from vskg.store.embedded import LocalStore

VSKG = "https://w3id.org/vskg/ontology#"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def build(folder: Path, synthetic: Path) -> None:
    """The bundled graphs and ``synthetic`` in a LocalStore at ``folder`` (kept when it already holds them)."""
    marker = folder / "vskg-bench-source"
    if marker.exists() and marker.read_text() == str(synthetic.resolve()):
        return
    shutil.rmtree(folder, ignore_errors=True)
    store = LocalStore(folder)
    store.init_bundled()
    store.load_file(synthetic)
    store.close()
    marker.write_text(str(synthetic.resolve()))


def load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("vskg_bench_old_live", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def full_document(store: LocalStore) -> tuple[float, bytes]:
    """A full recompute: `analyse_portfolio` and the JSON the API writes for it."""
    started = time.perf_counter()
    result = analytics.analyse_portfolio(store)
    body = {**analytics.to_json(result), "shared_systems": analytics.to_json(shared_systems(result))}
    document = current.dumps(body).encode("utf-8")
    return time.perf_counter() - started, document


def timed(live: Any, store: LocalStore) -> tuple[float, bytes]:
    """The time to the document the service sends: gzip-compressed when the implementation keeps it so (then
    inflated, outside the time, to compare it)."""
    gzipped = getattr(live, "gzipped", None)
    started = time.perf_counter()
    document = live.document(store) if gzipped is None else gzipped(store)
    took = time.perf_counter() - started
    if gzipped is None:
        return took, document
    started = time.perf_counter()
    inflated = zlib.decompress(document, 31)
    INFLATED.append((len(document), time.perf_counter() - started))
    return took, inflated


INFLATED: list[tuple[int, float]] = []  # the gzip documents' sizes, and the time to inflate each (for other clients)


def writes(store: LocalStore, repeats: int) -> list[tuple[str, str]]:
    """The updates to make: ``repeats`` 1-triple INSERT DATA on stages' lead times, then one pattern update."""
    rows = list(
        store.query(f"SELECT ?s ?g WHERE {{ GRAPH ?g {{ ?s <{VSKG}leadTimeHours> ?v }} }} ORDER BY ?s LIMIT 50")
    )
    chosen = [rows[i * len(rows) // (repeats + 1)] for i in range(repeats + 1)]
    edits = [
        (
            "1-triple INSERT DATA",
            f"INSERT DATA {{ GRAPH {graph} {{ {stage} <{VSKG}leadTimeHours> {1000 + i} }} }}",
        )
        for i, (stage, graph) in enumerate(chosen[:repeats])
    ]
    stage, _ = chosen[-1]
    edits.append(
        (
            "DELETE/INSERT WHERE",
            f"DELETE {{ GRAPH ?g {{ {stage} <{VSKG}leadTimeHours> ?v }} }} "
            f"INSERT {{ GRAPH ?g {{ {stage} <{VSKG}leadTimeHours> 54321 }} }} "
            f"WHERE {{ GRAPH ?g {{ {stage} <{VSKG}leadTimeHours> ?v }} }}",
        )
    )
    return edits


def run(store: LocalStore, modules: dict[str, ModuleType], repeats: int) -> None:
    lives = {name: module.LivePortfolio() for name, module in modules.items()}
    took, expected = full_document(store)
    print(f"full analyse_portfolio + JSON: {took:6.2f} s ({len(expected) / 1e6:.0f} MB of JSON)", flush=True)
    for name, live in lives.items():
        gc.collect()
        took, body = timed(live, store)
        same = "identical" if body == expected else "DIFFERENT"
        print(f"{name:>8}: first document {took:6.2f} s   JSON {same}", flush=True)
        del body
    figures: dict[tuple[str, str], list[float]] = {}
    for kind, update in writes(store, repeats):
        store.update(update)
        whole, expected = full_document(store)
        line = [f"after {kind:22s} full {whole:6.2f} s"]
        for name, live in lives.items():
            live.written(modules[name].Change.of_update(update))
            gc.collect()
            took, body = timed(live, store)
            figures.setdefault((kind, name), []).append(took)
            same = "identical" if body == expected else "DIFFERENT"
            line.append(f"{name} {took:6.2f} s ({live.rebuilt} streams rebuilt, JSON {same})")
            del body
        print("   ".join(line), flush=True)
    if INFLATED:
        size, took = INFLATED[-1]
        print(f"gzip document {size / 1e6:.1f} MB; inflating it for a client without gzip {took:.2f} s", flush=True)
    print("median per write kind:", flush=True)
    for (kind, name), values in figures.items():
        print(f"  {kind:22s} {name:>8}: {statistics.median(values):6.2f} s over {len(values)}", flush=True)


def memory(store: LocalStore, modules: dict[str, ModuleType]) -> None:
    """What each implementation keeps after its first document: traced Python memory and resident growth."""
    for name, module in modules.items():
        gc.collect()
        give_back()
        before = rss_mb()
        tracemalloc.start()
        live = module.LivePortfolio()
        body = live.document(store)
        size = len(body)
        del body
        gc.collect()
        held, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        give_back()
        after = rss_mb()
        print(
            f"{name:>8}: keeps {held / 2**20:7.0f} MB traced (peak {peak / 2**20:7.0f} MB while building), "
            f"resident +{after - before:6.0f} MB (now {after:6.0f} MB); document {size / 1e6:.0f} MB",
            flush=True,
        )
        del live
        gc.collect()
        give_back()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("synthetic", type=Path, help="a Turtle file written by bench/synthetic.py")
    parser.add_argument("--folder", type=Path, default=Path("/tmp/vskg-live-bench"), help="where the stores go")
    parser.add_argument("--old", type=Path, help="an older vskg/analytics/live.py to measure beside the current one")
    parser.add_argument("--repeats", type=int, default=3, help="1-triple writes to make (the median is printed)")
    parser.add_argument("--memory", action="store_true", help="also measure what each implementation keeps")
    args = parser.parse_args(argv)
    pristine = args.folder / args.synthetic.stem
    started = time.perf_counter()
    build(pristine, args.synthetic)
    scratch = args.folder / f"{args.synthetic.stem}-written"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(pristine, scratch)
    store = LocalStore(scratch)
    quads = len(store.db)
    print(f"{args.synthetic.name}: {quads:,} quads ready in {time.perf_counter() - started:.1f} s", flush=True)
    modules = {"current": current}
    if args.old is not None:
        modules = {"old": load_module(args.old), **modules}
    if args.memory:
        memory(store, modules)
    run(store, modules, args.repeats)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
