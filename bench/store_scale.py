"""Benchmark: vskg's store at scale, side by side with Oxigraph server on the same quads in the same run.

Run `make bench-store` (or `.venv/bin/python bench/store_scale.py --streams 500 [--json FILE]`). It generates the
synthetic enterprise of bench/synthetic.py (cached in --data-dir as syn<N>.ttl), then:

- loads it with `vskg load FILE --graph IRI` into a store made by `vskg init`, and with pyoxigraph's
  `Store.bulk_load` (plus the bundled files, untimed) in a child process, each timed with the peak RSS of its
  process tree and the disk size of its folder afterwards;
- serves each store in turn, `vskg serve` (writes enabled by VSKG_WRITE_TOKEN) and `oxigraph serve
  --union-default-graph` (the Oxigraph store is the one bulk_load made), and measures, over HTTP only: the time to
  /health and to the first answer, memory after start, 20 one-triple INSERT DATA writes while a reader loops on
  ASK (its longest stall beyond its median time, its 503s), the first /api/portfolio after a write (vskg only),
  every catalogue query with its documented example parameters (vskg: GET /queries/{name}; Oxigraph: the same text
  with the parameters written in as constants), memory after that pass, and 16 clients running the catalogue
  together for 30 s.

Everything goes through HTTP and the command line, so the bench keeps working whatever the store looks like inside.
Every request has a time limit (--request-timeout) and every process one too, so a slow server gives "timeout"
entries rather than a hung run. Prints one table (vskg | Oxigraph server | ratio) and writes --json FILE.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from http_queries import example_params, free_port, percentile
from synthetic import write as write_synthetic

from vskg.catalogue import catalogue
from vskg.graphs import bundled_sources
from vskg.resources import locate

SYNTHETIC_GRAPH = "https://example.org/synthetic/graph"
WRITE_GRAPH = "urn:vskg-bench:writes"
FAST_QUERY = "ASK { ?s ?p ?o }"
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
JSON_RESULTS = {"Accept": "application/sparql-results+json"}
SLOW_MS = 20.0
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]  # vskg runs from here, so the bench measures the checkout it belongs to
VSKG = [sys.executable, "-m", "vskg"]


# --- processes and memory -----------------------------------------------------------------------------------------


def process_tree(root: int) -> list[int]:
    """The pid and every live descendant, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def status_kb(pid: int, field_name: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants."""
    return sum(status_kb(pid, "VmRSS") for pid in process_tree(root)) / 1024


def rss_by_process(root: int) -> dict[str, float]:
    """Resident memory (MB) of a process tree by role: the service, the engine, the sandbox, other children."""
    found: dict[str, float] = {}
    for pid in process_tree(root):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if pid == root:
            role = "server"
        elif b"oxigraph" in command.split(b" ", 1)[0]:
            role = "engine"
        elif b"vskg.sandbox" in command:
            role = "sandbox"
        else:
            role = "other children"
        found[role] = round(found.get(role, 0.0) + status_kb(pid, "VmRSS") / 1024, 1)
    return found


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_blocks * 512 for p in folder.rglob("*") if p.is_file()) / 2**20


@dataclass
class Run:
    seconds: float
    peak_mb: float
    returncode: int | None  # None: stopped at the time limit
    output: str = ""


def measured_run(command: list[str], timeout: float, log: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command to its end (or the time limit), sampling the RSS of its process tree every 50 ms."""
    started = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT, start_new_session=True
        )
        peak, code = 0.0, None
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                peak = max(peak, usage.ru_maxrss / 1024)
                process.returncode = code
                break
            peak = max(peak, tree_rss_mb(process.pid))
            if time.perf_counter() - started > timeout:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                break
            time.sleep(0.05)
    return Run(time.perf_counter() - started, peak, code, log.read_text(errors="replace")[-2000:])


BULK_LOAD = """
import json, sys, time
import pyoxigraph as ox
folder, path, graph, bundled = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
store = ox.Store(folder)
for source, iri in bundled:
    kind = ox.RdfFormat.from_extension(source.rsplit(".", 1)[1])
    store.bulk_load(path=source, format=kind, to_graph=ox.NamedNode(iri))
started = time.perf_counter()
store.bulk_load(path=path, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
store.flush()
print(json.dumps({"bulk_load_s": time.perf_counter() - started}))
"""


# --- binding catalogue parameters as constants ------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One catalogue query with its example parameters, as each server is asked it."""

    name: str
    params: dict[str, str]
    inline_text: str


def catalogue_jobs() -> list[Job]:
    jobs = []
    for name, query in sorted(catalogue().items()):
        params = {p.name: p.default for p in query.parameters if p.default is not None}
        params |= example_params(query.example)
        if any(p.required and p.name not in params for p in query.parameters):
            continue
        jobs.append(Job(name, params, query.render(params)))  # the very text vskg sends its engine
    return jobs


# --- the two servers --------------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int | str  # an HTTP status, "timeout" (the client's limit), "cut off" (a broken answer) or "error: ..."
    seconds: float
    rows: int | None = None
    text: str = ""
    value: int | None = None  # the first number of the first row, for COUNT queries

    @property
    def timed_out(self) -> bool:
        lowered = self.text.lower()
        return self.status in ("timeout", "cut off") or (
            self.status != 200 and any(w in lowered for w in ("stopped after", "timeout", "timed out"))
        )


def ask(client: httpx.Client, method: str, url: str, **kwargs) -> Answer:
    started = time.perf_counter()
    try:
        response = client.request(method, url, **kwargs)
    except httpx.TimeoutException:
        return Answer("timeout", time.perf_counter() - started)
    except httpx.HTTPError as err:
        return Answer(f"error: {type(err).__name__}", time.perf_counter() - started)
    seconds = time.perf_counter() - started
    rows = value = None
    if response.status_code == 200 and "json" in response.headers.get("content-type", ""):
        try:
            bindings = response.json().get("results", {}).get("bindings")
        except ValueError:  # Oxigraph streams its answer and cuts it off at its time limit
            return Answer("cut off", seconds, text=response.text[-300:])
        if bindings is not None:
            rows = len(bindings)
            first = next(iter(bindings[0].values()), {}) if bindings else {}
            value = int(first["value"]) if first.get("value", "").isdigit() else None
    text = "" if response.status_code < 300 else response.text[:300]
    return Answer(response.status_code, seconds, rows, text, value)


class Server(ABC):
    """A SPARQL server process on a private loopback port, driven over HTTP."""

    name = ""

    def __init__(self, folder: Path, work: Path, timeout_s: float) -> None:
        self.folder, self.work, self.timeout_s = folder, work, timeout_s
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    @abstractmethod
    def command(self) -> list[str]: ...

    def env(self) -> dict[str, str]:
        return dict(os.environ)

    def start(self) -> None:
        log = (self.work / f"{self.name}-serve.log").open("wb")
        self.process = subprocess.Popen(
            self.command(), stdout=log, stderr=subprocess.STDOUT, env=self.env(), cwd=ROOT, start_new_session=True
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    @abstractmethod
    def health(self, client: httpx.Client) -> Answer: ...

    @abstractmethod
    def query(self, client: httpx.Client, text: str) -> Answer: ...

    @abstractmethod
    def update(self, client: httpx.Client, text: str) -> Answer: ...

    @abstractmethod
    def catalogue(self, client: httpx.Client, job: Job) -> Answer: ...

    def portfolio(self, client: httpx.Client) -> Answer | None:
        return None


class Vskg(Server):
    name = "vskg"
    token = "bench-store-scale-token"

    def command(self) -> list[str]:
        return [*VSKG, "serve", "--store", str(self.folder), "--port", str(self.port),
                "--timeout", str(self.timeout_s)]  # fmt: skip

    def env(self) -> dict[str, str]:
        return {**os.environ, "VSKG_WRITE_TOKEN": self.token}

    def health(self, client: httpx.Client) -> Answer:
        return ask(client, "GET", f"{self.url}/health")

    def query(self, client: httpx.Client, text: str) -> Answer:
        return ask(client, "GET", f"{self.url}/sparql", params={"query": text}, headers=JSON_RESULTS)

    def update(self, client: httpx.Client, text: str) -> Answer:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/sparql-update"}
        return ask(client, "POST", f"{self.url}/update", content=text.encode(), headers=headers)

    def catalogue(self, client: httpx.Client, job: Job) -> Answer:
        return ask(client, "GET", f"{self.url}/queries/{job.name}", params=job.params, headers=JSON_RESULTS)

    def portfolio(self, client: httpx.Client) -> Answer:
        return ask(client, "GET", f"{self.url}/api/portfolio")


class Oxigraph(Server):
    name = "oxigraph"

    def command(self) -> list[str]:
        return [str(BIN / "oxigraph"), "serve", "--location", str(self.folder), "--bind", f"127.0.0.1:{self.port}",
                "--union-default-graph", "--timeout-s", str(round(self.timeout_s))]  # fmt: skip

    def health(self, client: httpx.Client) -> Answer:
        return ask(client, "GET", f"{self.url}/")

    def query(self, client: httpx.Client, text: str) -> Answer:
        headers = {**JSON_RESULTS, "Content-Type": "application/sparql-query"}
        return ask(client, "POST", f"{self.url}/query", content=text.encode(), headers=headers)

    def update(self, client: httpx.Client, text: str) -> Answer:
        headers = {"Content-Type": "application/sparql-update"}
        return ask(client, "POST", f"{self.url}/update", content=text.encode(), headers=headers)

    def catalogue(self, client: httpx.Client, job: Job) -> Answer:
        return self.query(client, job.inline_text)


# --- measurements -------------------------------------------------------------------------------------------------


@dataclass
class Settings:
    writes: int
    runs: int
    clients: int
    duration: float
    request_timeout: float
    start_timeout: float
    write_pause: float
    paired: bool = False


@dataclass
class Measured:
    figures: dict[str, object] = field(default_factory=dict)
    catalogue: dict[str, dict[str, object]] = field(default_factory=dict)
    partner_catalogue: dict[str, dict[str, object]] = field(default_factory=dict)
    partner_rss_catalogue_mb: float | None = None


def wait_up(server: Server, limit: float) -> tuple[float | str, float | str]:
    """Seconds from start until /health answers 200, and until the first query answers 200."""
    started = time.perf_counter()
    health: float | str = "timeout"
    with httpx.Client(timeout=5) as client:
        while time.perf_counter() - started < limit:
            if server.process and server.process.poll() is not None:
                return "exited", "exited"
            if server.health(client).status == 200:
                health = time.perf_counter() - started
                break
            time.sleep(0.02)
        while health != "timeout" and time.perf_counter() - started < limit:
            if server.query(client, FAST_QUERY).status == 200:
                return health, time.perf_counter() - started
            time.sleep(0.02)
    return health, "timeout"


def during_writes(server: Server, settings: Settings, normal_s: float) -> dict[str, object]:
    """One-triple writes, one after another, while a reader loops on the fast query."""
    samples: list[Answer] = []
    stop = threading.Event()

    def reader() -> None:
        with httpx.Client(timeout=settings.request_timeout) as client:
            while not stop.is_set():
                samples.append(server.query(client, FAST_QUERY))

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    time.sleep(0.3)
    writes: list[Answer] = []
    stamp = time.time_ns()
    with httpx.Client(timeout=settings.request_timeout) as client:
        for n in range(settings.writes):
            triple = f'<urn:vskg-bench:w{stamp}-{n}> <urn:vskg-bench:n> "{n}"'
            text = f"INSERT DATA {{ GRAPH <{WRITE_GRAPH}> {{ {triple} }} }}"
            writes.append(server.update(client, text))
            time.sleep(settings.write_pause)
    stop.set()
    thread.join(settings.request_timeout + 5)
    ok = [w.seconds * 1000 for w in writes if w.status in (200, 204)]
    statuses = Counter(a.status for a in samples)
    return {
        "write_p50_ms": statistics.median(ok) if ok else "failed",
        "write_p95_ms": percentile(ok, 0.95) if ok else "failed",
        "write_failures": [f"{w.status} {w.text[:100]}" for w in writes if w.status not in (200, 204)],
        "reader_requests": len(samples),
        "reader_stall_ms": max(0.0, max((a.seconds for a in samples), default=0.0) - normal_s) * 1000,
        "reader_503": statuses.get(503, 0),
        "reader_timeouts": statuses.get("timeout", 0),
        "reader_statuses": {str(k): v for k, v in statuses.items()},
    }


def catalogue_pass(server: Server, jobs: list[Job], settings: Settings) -> dict[str, dict[str, object]]:
    results = {}
    with httpx.Client(timeout=settings.request_timeout) as client:
        for job in jobs:
            first = server.catalogue(client, job)
            answers = [server.catalogue(client, job) for _ in range(settings.runs)] if first.status == 200 else []
            results[job.name] = pass_figures(first, answers)
    return results


def pass_figures(first: Answer, answers: list[Answer]) -> dict[str, object]:
    """One query's figures in a catalogue pass: its warm-up ``first`` answer, then the timed ``answers``."""
    if first.status != 200:
        timed = first.timed_out
        return {"p50_ms": "timeout" if timed else f"HTTP {first.status}", "timeout": timed, "rows": None,
                "error": first.text[:200]}  # fmt: skip
    ok = [a.seconds * 1000 for a in answers if a.status == 200]
    return {"p50_ms": statistics.median(ok) if ok else "failed", "timeout": any(a.timed_out for a in answers),
            "rows": first.rows}  # fmt: skip


def paired_pass(
    server: Server, partner: Server, jobs: list[Job], settings: Settings
) -> tuple[dict[str, dict[str, object]], dict[str, dict[str, object]]]:
    """The catalogue pass on two servers at once, alternating one request each, so that whatever else the machine
    is doing weighs on both alike (a shared machine's load can change the figures several times over)."""
    results: tuple[dict, dict] = ({}, {})
    with httpx.Client(timeout=settings.request_timeout) as client:
        for job in jobs:
            firsts = [side.catalogue(client, job) for side in (server, partner)]
            timed: tuple[list[Answer], list[Answer]] = ([], [])
            for _ in range(settings.runs):
                for n, side in enumerate((server, partner)):
                    if firsts[n].status == 200:
                        timed[n].append(side.catalogue(client, job))
            for n in (0, 1):
                results[n][job.name] = pass_figures(firsts[n], timed[n])
    return results


def crowd(server: Server, jobs: list[Job], settings: Settings) -> dict[str, object]:
    """N clients, each running the whole catalogue over and over (from a different start) for a fixed time."""
    answers: list[Answer] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + settings.duration

    def client_loop(offset: int) -> None:
        with httpx.Client(timeout=settings.request_timeout) as client:
            n = offset
            while time.perf_counter() < deadline:
                answer = server.catalogue(client, jobs[n % len(jobs)])
                with lock:
                    answers.append(answer)
                n += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(i,), daemon=True) for i in range(settings.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(settings.duration + settings.request_timeout + 10)
    elapsed = time.perf_counter() - started
    statuses = Counter(a.status for a in answers)
    return {
        "crowd_req_s": statuses.get(200, 0) / elapsed,
        "crowd_503": statuses.get(503, 0),
        "crowd_timeouts": sum(a.timed_out for a in answers),
        "crowd_statuses": {str(k): v for k, v in statuses.items()},
        "crowd_elapsed_s": elapsed,
    }


def measure(
    server: Server, jobs: list[Job], settings: Settings, say: Callable[[str], None], partner: Server | None = None
) -> Measured:
    """Every figure of one server; with ``partner`` (--paired), its catalogue pass alternates with the partner's
    (started for it), and ``partner_catalogue`` holds the partner's side; without, a catalogue pass of its own,
    unless ``settings.paired`` says the pass was made with a partner already."""
    result = Measured()
    fig = result.figures
    server.start()
    try:
        fig["health_s"], fig["first_answer_s"] = wait_up(server, settings.start_timeout)
        if not isinstance(fig["first_answer_s"], float):
            say(f"{server.name}: did not come up ({fig['first_answer_s']})")
            return result
        time.sleep(1)
        assert server.process is not None
        fig["rss_start_mb"] = tree_rss_mb(server.process.pid)
        fig["rss_start_by_process"] = rss_by_process(server.process.pid)
        with httpx.Client(timeout=settings.request_timeout) as client:
            count = server.query(client, COUNT_QUERY)
            fig["quads"] = count.value if count.status == 200 else f"HTTP {count.status}"
            normal = [server.query(client, FAST_QUERY) for _ in range(30)]
            normal_s = statistics.median(a.seconds for a in normal)
            fig["reader_normal_ms"] = normal_s * 1000
            first_portfolio = server.portfolio(client)
            if first_portfolio:
                fig["portfolio_first_s"] = first_portfolio.seconds if first_portfolio.status == 200 else "timeout"
        say(f"{server.name}: up, {fig.get('quads')} quads; writing")
        fig |= during_writes(server, settings, normal_s)
        with httpx.Client(timeout=settings.request_timeout) as client:
            after = server.portfolio(client)
            if after:
                fig["portfolio_after_write_s"] = after.seconds if after.status == 200 else "timeout"
        if partner is not None:
            say(f"{server.name} and {partner.name}: catalogue, request by request")
            partner.start()
            try:
                if isinstance(wait_up(partner, settings.start_timeout)[1], float):
                    result.catalogue, result.partner_catalogue = paired_pass(server, partner, jobs, settings)
                    assert partner.process is not None
                    result.partner_rss_catalogue_mb = tree_rss_mb(partner.process.pid)
            finally:
                partner.stop()
        elif not settings.paired:
            say(f"{server.name}: catalogue")
            result.catalogue = catalogue_pass(server, jobs, settings)
        fig["rss_catalogue_mb"] = tree_rss_mb(server.process.pid)
        fig["rss_catalogue_by_process"] = rss_by_process(server.process.pid)
        say(f"{server.name}: {settings.clients} clients for {settings.duration:g} s")
        fig |= crowd(server, jobs, settings)
        fig["rss_end_mb"] = tree_rss_mb(server.process.pid)
    finally:
        server.stop()
    return result


# --- the table ----------------------------------------------------------------------------------------------------


def show(value: object, unit: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if unit == "ms":
            return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"
        if unit == "s":
            return f"{value:.2f} s" if value < 100 else f"{value:,.0f} s"
        return f"{value:,.1f} {unit}".rstrip()
    return str(value)


def ratio(a: object, b: object) -> str:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool) and b > 0:
        return f"{a / b:,.1f}x" if a / b < 100 else f"{a / b:,.0f}x"
    return ""


def table_rows(data: dict) -> list[tuple[str, str, str, str]]:
    v, o = data["vskg"], data["oxigraph"]
    lv, lo = data["load"]["vskg"], data["load"]["oxigraph"]
    rows: list[tuple[str, object, object, str]] = [
        ("quads served", v.get("quads"), o.get("quads"), ""),
        ("1-triple INSERT DATA via /update, p50", v.get("write_p50_ms"), o.get("write_p50_ms"), "ms"),
        ("1-triple INSERT DATA via /update, p95", v.get("write_p95_ms"), o.get("write_p95_ms"), "ms"),
        ("reader's normal time (ASK, median)", v.get("reader_normal_ms"), o.get("reader_normal_ms"), "ms"),
        ("longest reader stall beyond normal during writes", v.get("reader_stall_ms"), o.get("reader_stall_ms"), "ms"),
        ("reads answered 503 during the writes", v.get("reader_503"), o.get("reader_503"), ""),
        ("load the file (vskg load vs Store.bulk_load)", lv["seconds"], lo["seconds"], "s"),
        ("load peak RSS (process tree)", lv["peak_mb"], lo["peak_mb"], "MB"),
        ("store folder on disk after load", lv["disk_mb"], lo["disk_mb"], "MB"),
        ("start until /health answers", v.get("health_s"), o.get("health_s"), "s"),
        ("start until the first query answers", v.get("first_answer_s"), o.get("first_answer_s"), "s"),
        ("service memory after start (whole tree)", v.get("rss_start_mb"), o.get("rss_start_mb"), "MB"),
        ("service memory after the catalogue pass", v.get("rss_catalogue_mb"), o.get("rss_catalogue_mb"), "MB"),
    ]
    cv, co = data["catalogue"]["vskg"], data["catalogue"]["oxigraph"]
    for name in sorted(cv):
        rows.append((f"catalogue {name}, p50", cv[name]["p50_ms"], co.get(name, {}).get("p50_ms"), "ms"))
    for label, side in (("vskg", cv), ("oxigraph", co)):
        data["summary"][label] = {
            "over_20ms": sum(1 for r in side.values() if not isinstance(r["p50_ms"], float) or r["p50_ms"] > SLOW_MS),
            "timeouts": sum(1 for r in side.values() if r["timeout"]),
            "queries": len(side),
        }
    sv, so = data["summary"]["vskg"], data["summary"]["oxigraph"]
    rows += [
        ("catalogue queries over 20 ms p50", f"{sv['over_20ms']} of {sv['queries']}",
         f"{so['over_20ms']} of {so['queries']}", ""),
        ("catalogue queries that time out", sv["timeouts"], so["timeouts"], ""),
        (f"{data['settings']['clients']} clients, all catalogue queries, {data['settings']['duration']:g} s: req/s",
         v.get("crowd_req_s"), o.get("crowd_req_s"), "req/s"),
        ("  ... answers 503", v.get("crowd_503"), o.get("crowd_503"), ""),
        ("first /api/portfolio after start", v.get("portfolio_first_s"), None, "s"),
        ("first /api/portfolio after a write", v.get("portfolio_after_write_s"), None, "s"),
    ]  # fmt: skip
    out = []
    for label, a, b, unit in rows:
        rate = ratio(a, b) if unit not in ("", "req/s") else ""
        out.append((label, show(a, unit), show(b, unit), rate))
    return out


def print_table(title: str, rows: list[tuple[str, str, str, str]]) -> None:
    head = ("figure", "vskg", "Oxigraph server", "ratio")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    line = " | ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
    print(title)
    print(line.format(*head))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(line.format(*row))


# --- the run ------------------------------------------------------------------------------------------------------


def synthetic_file(data_dir: Path, streams: int, seed: int) -> Path:
    name = f"syn{streams}.ttl" if seed == 42 else f"syn{streams}-seed{seed}.ttl"
    path = data_dir / name
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".ttl.part")
        write_synthetic(partial, streams, seed)
        partial.replace(path)
    return path


def load_both(path: Path, work: Path, timeout: float, say: Callable[[str], None]) -> dict[str, dict[str, object]]:
    vskg_store, ox_store = work / "vskg-store", work / "oxigraph-store"
    init = subprocess.run([*VSKG, "init", "--store", str(vskg_store)], capture_output=True, timeout=600, cwd=ROOT)
    if init.returncode:
        raise SystemExit(f"vskg init failed: {init.stderr.decode(errors='replace')[-500:]}")
    say(f"loading {path.name} with vskg load")
    command = [*VSKG, "load", str(path), "--graph", SYNTHETIC_GRAPH, "--store", str(vskg_store)]
    loaded = measured_run(command, timeout, work / "vskg-load.log")
    say(f"vskg load: {loaded.seconds:.1f} s (exit {loaded.returncode}); Store.bulk_load")
    bundled = json.dumps([(str(p), g) for p, g in bundled_sources(locate(), with_shapes=True)])
    ox_store.mkdir()
    bulk = measured_run([sys.executable, "-c", BULK_LOAD, str(ox_store), str(path), SYNTHETIC_GRAPH, bundled],
                        timeout, work / "bulk-load.log")  # fmt: skip
    result = {}
    if bulk.returncode == 0:  # the time of bulk_load itself, without the bundled files it loads first
        bulk.seconds = json.loads(bulk.output.strip().splitlines()[-1])["bulk_load_s"]
    for name, run, folder in (("vskg", loaded, vskg_store), ("oxigraph", bulk, ox_store)):
        ok = run.returncode == 0
        result[name] = {"seconds": run.seconds if ok else ("timeout" if run.returncode is None else "failed"),
                        "peak_mb": run.peak_mb, "disk_mb": disk_mb(folder), "folder": str(folder),
                        "output": "" if ok else run.output[-500:]}  # fmt: skip
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=500, help="size of the synthetic enterprise (5000: ~1M)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data-dir", type=Path, default=Path(".vskg/bench-data"), help="cache of generated files")
    parser.add_argument("--work-dir", type=Path, help="where the stores go (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--writes", type=int, default=20)
    parser.add_argument("--write-pause", type=float, default=0.1, help="seconds between two writes")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per catalogue query (after one warm-up)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of the concurrent clients' run")
    parser.add_argument("--query-timeout", type=float, default=10.0, help="both servers' query time limit")
    parser.add_argument("--request-timeout", type=float, default=120.0, help="client limit on any one request")
    parser.add_argument("--start-timeout", type=float, default=600.0)
    parser.add_argument("--load-timeout", type=float, default=1800.0)
    parser.add_argument("--paired", action="store_true",
                        help="run the catalogue pass on both servers at once, alternating request by request (for a "
                             "machine whose load changes during the run)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.streams < 1:
        parser.error("--streams must be at least 1")

    def say(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    settings = Settings(args.writes, args.runs, args.clients, args.duration, args.request_timeout,
                        args.start_timeout, args.write_pause, args.paired)  # fmt: skip
    path = synthetic_file(args.data_dir, args.streams, args.seed)
    jobs = catalogue_jobs()
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="vskg-store-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        data: dict = {"streams": args.streams, "seed": args.seed, "file": str(path), "settings": vars(settings),
                      "summary": {}, "catalogue": {}, "load_average_before": os.getloadavg()[0]}  # fmt: skip
        data["load"] = load_both(path, work, args.load_timeout, say)
        partner = None
        for kind, key in ((Vskg, "vskg"), (Oxigraph, "oxigraph")):
            server = kind(Path(data["load"][key]["folder"]), work, args.query_timeout)
            if args.paired and key == "vskg":
                partner = Oxigraph(Path(data["load"]["oxigraph"]["folder"]), work, args.query_timeout)
            measured = measure(server, jobs, settings, say, partner if key == "vskg" else None)
            data[key] = measured.figures
            data["catalogue"].setdefault(key, measured.catalogue)
            if key == "vskg" and partner is not None:
                data["catalogue"]["oxigraph"] = measured.partner_catalogue
                partner_rss = measured.partner_rss_catalogue_mb
            elif key == "oxigraph" and partner is not None:
                data[key]["rss_catalogue_mb"] = partner_rss  # after the paired pass, where it ran its catalogue
        rows = table_rows(data)
    finally:
        if not args.keep and not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)
    theirs = {n: r["rows"] for n, r in data["catalogue"]["oxigraph"].items()}
    mismatched = [n for n, r in data["catalogue"]["vskg"].items() if r["rows"] not in (None, theirs.get(n))]
    data["row_count_mismatches"] = mismatched
    data["table"] = [dict(zip(("figure", "vskg", "oxigraph", "ratio"), r, strict=True)) for r in rows]
    data["load_average_after"] = os.getloadavg()[0]
    loads = f"load average {data['load_average_before']:.1f} before, {data['load_average_after']:.1f} after"
    print_table(f"{args.streams} streams ({path.name}), {data['vskg'].get('quads', '?')} quads; {loads}", rows)
    for key in ("vskg", "oxigraph"):
        for moment in ("start", "catalogue"):
            parts = data[key].get(f"rss_{moment}_by_process", {})
            print(f"{key} memory after {moment} by process: " + ", ".join(f"{k} {v:,.1f} MB" for k, v in parts.items()))
    if mismatched:
        print(f"row counts differ between the servers for: {', '.join(mismatched)}")
    if args.json:
        args.json.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
