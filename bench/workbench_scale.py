"""Benchmark: the workbench on synthetic enterprises of growing size, next to the 12 bundled streams.

Run `.venv/bin/python bench/workbench_scale.py --streams 100 500 [--runs N]`. For the baseline and for each size, a
fresh store is built (the bundled files, plus, for a size, a synthetic enterprise from bench/synthetic.py loaded as
its own graph), `vskg analyse --portfolio` is timed in-process (analyse_portfolio on a read-only LocalStore), and
`vskg serve` is started on it. Each route is then requested once (reported as "first": the portfolio analysis is
memoised per store state, so the first portfolio route pays for it) and N more times over one keep-alive
connection, stopping early when a route has used up its time budget. The resources asked for are the stream in the
middle of the portfolio order, the capability shared by most streams and the system shared by most streams, as the
portfolio analysis reports them; /id/ is asked for a bundled stage in every store (the synthetic namespace is not
published under /id/).

Stream pages show a SHACL report computed once per store state in a low-priority child process of the server. It
is started right after the server is up and waited for (at most --validation-wait seconds; the time it took and
the memory of its process are reported), so that it does not compete with the measured requests for the CPU; if
it is still running when the routes are measured, the output says so.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
from http_queries import percentile, start_server
from synthetic import write

from vskg import analytics
from vskg.keys import DATA, data_key
from vskg.store import LocalStore

HTML = {"Accept": "text/html"}
TURTLE = {"Accept": "text/turtle"}
ID_ROUTE = "/id/data/banking/underwriting"
PAGE_LIMIT_MS = 1000.0  # a page (or the first portfolio request) slower than this is reported as a problem
VALIDATION_LIMIT_S = 60.0  # a background page validation longer than this is reported as a problem
SUPER_LINEAR = 1.2  # growth exponent (time against streams) above which a time is reported as super-linear
PAGES = ("/", "/streams/{key}", "/capabilities/{key}", "/systems/{key}")


@dataclass
class Timing:
    route: str
    first: float
    p50: float
    p95: float
    size: int
    samples: int


@dataclass
class Measured:
    name: str
    streams: int
    stages: int
    triples: int
    build_s: float
    analyse_first_ms: float
    analyse_ms: float
    validation_s: float | None = None  # None: still running when the measurements started
    validation_kb: int = 0  # peak RSS of the validation's child process, as last seen
    rss_kb: int = 0
    peak_kb: int = 0
    timings: list[Timing] = field(default_factory=list)

    def timing(self, kind: str) -> Timing:
        return next(t for t in self.timings if route_kind(t.route) == kind)


def key_path(iri: str) -> str:
    """A resource's key as it goes in a URL: a bundled path as is, any other IRI percent-encoded whole."""
    return data_key(iri) if iri.startswith(DATA) else quote(iri, safe="")


def route_kind(route: str) -> str:
    """The route pattern a measured URL belongs to, so sizes can be compared row by row."""
    for prefix in ("/api/streams/", "/api/capabilities/", "/api/systems/", "/capabilities/", "/systems/", "/id/"):
        if route.startswith(prefix):
            return prefix + "{key}"
    if route.startswith("/streams/"):
        return "/streams/{key}/map.svg" if route.endswith("/map.svg") else "/streams/{key}"
    return route


def routes(stream: str, capability: str, system: str) -> list[tuple[str, dict[str, str]]]:
    s, c, y = key_path(stream), key_path(capability), key_path(system)
    return [
        ("/api/streams", {}),  # the first portfolio route: its first request fills the memo
        (f"/api/streams/{s}", {}),
        ("/api/portfolio", {}),
        (f"/api/capabilities/{c}", {}),
        (f"/api/systems/{y}", {}),
        (f"/streams/{s}/map.svg", {}),
        ("/portfolio/map.svg", {}),
        (ID_ROUTE, TURTLE),
        ("/", HTML),
        (f"/streams/{s}", HTML),
        (f"/capabilities/{c}", HTML),
        (f"/systems/{y}", HTML),
    ]


def build_store(folder: Path, synthetic: Path | None) -> float:
    started = time.perf_counter()
    store = LocalStore(folder)
    store.init_bundled()
    if synthetic is not None:
        store.load_file(synthetic)
    store.close()
    return time.perf_counter() - started


def analyse_in_process(folder: Path, runs: int = 3) -> tuple[list[float], analytics.PortfolioAnalysis, int]:
    """Times of analyse_portfolio over every stream (first run first), its last result and the store's size."""
    store = LocalStore(folder, read_only=True)
    try:
        times, result = [], None
        for _ in range(runs):
            started = time.perf_counter()
            result = analytics.analyse_portfolio(store)
            times.append((time.perf_counter() - started) * 1000)
        return times, result, len(store.db)
    finally:
        store.close()


def memory_kb(pid: int) -> tuple[int, int]:
    """The resident set (VmRSS) and its peak (VmHWM) of a process, in KiB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def children_peak_kb(pid: int) -> int:
    """The largest peak resident set (VmHWM) among a process's children, in KiB (the page validation's process)."""
    peak = 0
    for listing in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in listing.read_text().split():
            with suppress(OSError, KeyError):  # the child may end in between
                peak = max(peak, memory_kb(int(child))[1])
    return peak


def wait_for_validation(client: httpx.Client, stream_page: str, limit: float, pid: int) -> tuple[float | None, int]:
    """Start the server's page validation and wait for it: the seconds it took (None if still running at ``limit``)
    and the peak memory of the process it ran in, as last seen."""
    started, peak = time.perf_counter(), 0
    while 'data-state="running"' in client.get(stream_page, headers=HTML).text:
        peak = max(peak, children_peak_kb(pid))
        if time.perf_counter() - started > limit:
            return None, peak
        time.sleep(1)
    return time.perf_counter() - started, peak


def validation_text(m: Measured, limit: float) -> str:
    if m.validation_s is None:
        return f"still running after {limit:.0f} s (routes measured while it runs)"
    return f"ready after {m.validation_s:.1f} s (its process peaked at {m.validation_kb / 1024:.0f} MiB or more)"


def time_route(client: httpx.Client, route: str, headers: dict[str, str], runs: int, budget: float) -> Timing:
    started = time.perf_counter()
    answer = client.get(route, headers=headers)
    first = (time.perf_counter() - started) * 1000
    answer.raise_for_status()
    samples: list[float] = []
    spent = time.perf_counter()
    while len(samples) < runs and (len(samples) < 3 or time.perf_counter() - spent < budget):
        started = time.perf_counter()
        answer = client.get(route, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
    return Timing(
        route, first, statistics.median(samples), percentile(samples, 0.95), len(answer.content), len(samples)
    )


def measure(name: str, folder: Path, synthetic: Path | None, args: argparse.Namespace) -> Measured:
    build_s = build_store(folder, synthetic)
    times, portfolio, triples = analyse_in_process(folder)
    middle = portfolio.streams[len(portfolio.streams) // 2]
    capability = portfolio.shared_capabilities[0].subject.iri
    system = analytics.shared_systems(portfolio)[0].subject.iri
    stages = sum(len(s.stages) for s in portfolio.streams)
    measured = Measured(name, len(portfolio.streams), stages, triples, build_s, times[0], statistics.median(times[1:]))
    process, url = start_server(folder)
    try:
        with httpx.Client(base_url=url, timeout=600) as client:
            page = f"/streams/{key_path(middle.stream.iri)}"
            measured.validation_s, measured.validation_kb = wait_for_validation(
                client, page, args.validation_wait, process.pid
            )
            for route, headers in routes(middle.stream.iri, capability, system):
                measured.timings.append(time_route(client, route, headers, args.runs, args.budget))
        measured.rss_kb, measured.peak_kb = memory_kb(process.pid)
    finally:
        process.terminate()
        process.wait(30)
    return measured


def ms(value: float) -> str:
    return f"{value:8.1f}ms" if value < 10_000 else f"{value / 1000:8.1f}s "


def print_size(m: Measured, baseline: Measured | None, limit: float) -> None:
    print(f"\n== {m.name}: {m.streams} streams, {m.stages} stages, {m.triples:,} triples in the store ==")
    print(
        f"store built in {m.build_s:.1f} s; analyse_portfolio in-process: first {m.analyse_first_ms:.0f} ms, "
        f"then {m.analyse_ms:.0f} ms; page validation {validation_text(m, limit)}; "
        f"server RSS {m.rss_kb / 1024:.0f} MiB (peak {m.peak_kb / 1024:.0f} MiB)"
    )
    print(f"{'route':36} {'first':>10} {'p50':>10} {'p95':>10} {'bytes':>11} {'n':>3} {'p50 x base':>10}")
    for t in m.timings:
        ratio = ""
        if baseline is not None:
            ratio = f"{t.p50 / baseline.timing(route_kind(t.route)).p50:9.1f}x"
        kind = route_kind(t.route)
        print(f"{kind:36} {ms(t.first)} {ms(t.p50)} {ms(t.p95)} {t.size:11,} {t.samples:3} {ratio:>10}")


def exponent(small: float, large: float, a: int, b: int) -> float:
    """How a time grows with the number of streams between two sizes: 1 is linear, 2 quadratic."""
    return math.log(large / small) / math.log(b / a)


def print_comparison(results: list[Measured], analysed: list[Measured], limit: float) -> None:
    """p50 of each route at each size, the growth exponent between the two largest sizes, and what is too slow."""
    print("\n== p50 by size (streams in the store) ==")
    head = "".join(f"{m.streams:>11}" for m in results)
    print(f"{'route':36}{head}  exponent")
    problems = []
    a, b = results[-2], results[-1]
    for kind in [route_kind(t.route) for t in results[0].timings]:
        values = [m.timing(kind).p50 for m in results]
        grows = exponent(values[-2], values[-1], a.streams, b.streams)
        if len(results) >= 3 and grows > SUPER_LINEAR:
            problems.append(f"{kind} grows super-linearly (exponent {grows:.2f} between {a.name} and {b.name})")
        print(f"{kind:36}" + "".join(ms(v).rjust(11) for v in values) + f"  {grows:8.2f}")
        if kind in PAGES and values[-1] > PAGE_LIMIT_MS:
            problems.append(f"{kind} takes {values[-1]:.0f} ms at p50 with {b.streams} streams")
    memo_fill = [m.timing("/api/streams").first for m in results]
    print(f"{'first portfolio request (memo fill)':36}" + "".join(ms(v).rjust(11) for v in memo_fill))
    print(f"{'overview HTML bytes':36}" + "".join(f"{m.timing('/').size:>11,}" for m in results))
    print(f"{'portfolio SVG bytes':36}" + "".join(f"{m.timing('/portfolio/map.svg').size:>11,}" for m in results))
    print(f"{'/api/portfolio JSON bytes':36}" + "".join(f"{m.timing('/api/portfolio').size:>11,}" for m in results))
    print(f"{'server RSS after the run (MiB)':36}" + "".join(f"{m.rss_kb / 1024:>11.0f}" for m in results))
    print(f"{'server peak RSS (MiB)':36}" + "".join(f"{m.peak_kb / 1024:>11.0f}" for m in results))
    waits = ["running" if m.validation_s is None else f"{m.validation_s:.0f} s" for m in results]
    print(f"{'page validation (background SHACL)':36}" + "".join(w.rjust(11) for w in waits))
    for m in results:
        if m.validation_s is None or m.validation_s > VALIDATION_LIMIT_S:
            where = "one CPU busy in the server's child process"
            problems.append(f"page validation of {m.name}: {validation_text(m, limit)} ({where})")
        if m.timing("/api/streams").first > PAGE_LIMIT_MS:
            problems.append(f"the first portfolio request of {m.name} takes {m.timing('/api/streams').first:.0f} ms")

    everything = sorted(results + analysed, key=lambda m: m.streams)
    print("\n== analyse_portfolio in-process (LocalStore read-only, every stream) ==")
    print(
        f"{'store':20} {'streams':>8} {'stages':>8} {'triples':>10} {'build':>8} {'first':>10} {'median':>10}  exponent"
    )
    for previous, m in zip([None, *everything], everything, strict=False):
        grows = (
            ""
            if previous is None
            else f"{exponent(previous.analyse_ms, m.analyse_ms, previous.streams, m.streams):8.2f}"
        )
        print(
            f"{m.name:20} {m.streams:8} {m.stages:8} {m.triples:10,} {m.build_s:7.1f}s "
            f"{ms(m.analyse_first_ms)} {ms(m.analyse_ms)}  {grows}"
        )
    large, larger = everything[-2], everything[-1]
    if exponent(large.analyse_ms, larger.analyse_ms, large.streams, larger.streams) > SUPER_LINEAR:
        problems.append(f"analyse_portfolio grows super-linearly between {large.name} and {larger.name}")
    print("\nscaling problems:", "none" if not problems else "\n  " + "\n  ".join(problems))


def measure_in_process(name: str, folder: Path, synthetic: Path) -> Measured:
    """Only the store and analyse_portfolio: for sizes whose server run would mostly wait for page validation."""
    build_s = build_store(folder, synthetic)
    times, portfolio, triples = analyse_in_process(folder)
    stages = sum(len(s.stages) for s in portfolio.streams)
    return Measured(name, len(portfolio.streams), stages, triples, build_s, times[0], statistics.median(times[1:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, nargs="+", default=[100, 500], help="synthetic sizes to serve")
    parser.add_argument("--analyse-only", type=int, nargs="*", default=[], help="sizes measured in-process only")
    parser.add_argument("--runs", type=int, default=20, help="requests per route after the first")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per route before stopping early (>= 3)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--validation-wait", type=float, default=900.0, help="seconds to wait for page validation")
    args = parser.parse_args()
    results, analysed = [], []
    with tempfile.TemporaryDirectory() as tmp:
        baseline = measure("bundled", Path(tmp) / "bundled", None, args)
        print_size(baseline, None, args.validation_wait)
        results.append(baseline)
        for size in args.streams + args.analyse_only:
            data = Path(tmp) / f"synthetic-{size}.ttl"
            write(data, size, args.seed)
            folder = Path(tmp) / f"store-{size}"
            if size in args.streams:
                results.append(measure(f"synthetic {size}", folder, data, args))
                print_size(results[-1], baseline, args.validation_wait)
            else:
                analysed.append(measure_in_process(f"synthetic {size}", folder, data))
            sys.stdout.flush()
    print_comparison(results, analysed, args.validation_wait)


if __name__ == "__main__":
    main()
