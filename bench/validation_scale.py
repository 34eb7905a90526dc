"""Benchmark: vskg's SHACL validation at scale, side by side with Apache Jena SHACL on the same data in the same run.

Run `.venv/bin/python bench/validation_scale.py --streams 500` (about 100k triples; `--streams 5000` is about 1M).
For the synthetic enterprise of bench/synthetic.py (cached in --data-dir as syn<N>.ttl) it measures:

- full validation of the file with the bundled ontology and schemes (vskg's data view) by three engines, each in a
  process of its own so that its peak RSS is its own: the pyshacl reference (`vskg.validate.validate_quads`, stopped
  at --pyshacl-timeout), the compiled engine (`vskg.validation.engine.run` on an embedded store holding the same
  triples; "not built" when the checkout has none) and Jena SHACL 4.5 (bench/java/JenaShacl.java: parse, a cold and
  a warm validation in one JVM). Result counts by severity, and whether each engine's results equal the reference's
  and Jena's (blank node labels aside), with the kinds of difference when they do not;
- against a `vskg serve` of a store holding the file (started here on 127.0.0.1, writes enabled by a token): how
  long after a one-triple INSERT DATA the standing report (`GET /validate`: `as_of`, `latest`, `current`) is current
  as of that write; with `--validate-writes`, the latency of a write that passes and of one that adds a Violation
  (refused with 422); and the warm p50 of a stream page (`GET /streams/<key>`) while a validation runs. A service
  without the endpoint or the option gives "not available".

Jena comes from Debian (`apt-get install -y libapache-jena-java`). Its jars need two fixes to run, which this bench
makes in a cache folder: a classpath with one SLF4J binding (the package's dependencies bring several), and a small
overlay jar that puts the shaded Xerces message bundles where Debian's renamed `xerces.*` classes look for them
(without it every XSD datatype fails to initialise with "internal error").
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # measure the checkout this bench belongs to, also when run as bench/validation_scale.py
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.http_queries import free_port, percentile  # noqa: E402
from bench.synthetic import NAMESPACE  # noqa: E402
from bench.synthetic import write as write_synthetic  # noqa: E402

JAVA_SOURCE = Path(__file__).resolve().parent / "java" / "JenaShacl.java"
JENA_PACKAGE = "libapache-jena-java"
SLF4J_BINDING = "slf4j-nop"  # the one binding on the classpath: Jena's log lines are not part of the figures
SHADED_XERCES = "org/apache/jena/ext/xerces/"
SYNTHETIC_GRAPH = "https://example.org/synthetic/graph"
WRITE_GRAPH = "urn:vskg-bench:validation-writes"
VALUE_STREAM = "https://w3id.org/vskg/ontology#ValueStream"
VSKG = [sys.executable, "-m", "vskg"]
ENGINE_NAMES = {"pyshacl": "vskg pyshacl (reference)", "engine": "vskg compiled engine"}
FIELDS = ("severity", "focus_node", "source_shape", "path", "value", "constraint", "message")


# --- findings as plain records, and how two engines' results compare --------------------------------------------------


def unescape(text: str) -> str:
    """Undo JenaShacl.java's escaping of tabs, newlines, carriage returns and backslashes."""
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r"}.get(m.group(1), m.group(1)), text)


def read_jena_results(text: str) -> list[dict[str, str | None]]:
    """The results JenaShacl.java wrote, one per line, as dicts with vskg Finding's field names."""
    rows = []
    for line in text.splitlines():
        if not line:
            continue
        parts = [unescape(p) for p in line.split("\t")]
        if len(parts) != len(FIELDS):
            raise ValueError(f"expected {len(FIELDS)} tab-separated fields, got {len(parts)}: {line[:200]!r}")
        rows.append({name: (value or None) for name, value in zip(FIELDS, parts, strict=True)})
    return rows


def parse_figures(stdout: str) -> dict[str, float]:
    """JenaShacl.java's "key value" lines as numbers (lines of other shapes, e.g. a JVM warning, are skipped)."""
    figures = {}
    for line in stdout.splitlines():
        key, _, value = line.strip().partition(" ")
        try:
            figures[key] = float(value)
        except ValueError:
            continue
    return figures


def normal_term(term: str | None) -> str | None:
    """Blank node labels differ between engines and runs, so every blank node reads as "_:"."""
    if term is None or term == "":
        return None
    return "_:" if term.startswith("_:") else term


def normal_path(path: str | None) -> str | None:
    """vskg writes a one-predicate path as the bare IRI and longer ones in SPARQL syntax; Jena writes `<iri>` for the
    first. Spaces are dropped, and blank nodes read as "_:"."""
    if not path:
        return None
    text = re.sub(r"\s+", "", path)
    if re.fullmatch(r"<[^<>]*>", text):
        return text[1:-1]
    return "_:" if text.startswith("_:") else text


def key(finding: dict[str, str | None], with_message: bool = True) -> tuple[str | None, ...]:
    """One finding as a comparable tuple (see `normal_term` and `normal_path`)."""
    return (
        finding.get("severity"),
        normal_term(finding.get("focus_node")),
        normal_term(finding.get("source_shape")),
        normal_path(finding.get("path")),
        normal_term(finding.get("value")),
        finding.get("constraint") or None,
        (finding.get("message") or None) if with_message else None,
    )


@dataclass
class Comparison:
    """How one engine's findings compare with another's, as multisets of normalised findings."""

    identical: bool
    same_but_messages: bool
    only_left: int
    only_right: int
    differing_fields: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.identical:
            return "identical"
        if self.same_but_messages:
            return "same results; messages differ"
        kinds = f" (differ in {', '.join(self.differing_fields)})" if self.differing_fields else ""
        return f"differ: {self.only_left} only here, {self.only_right} only there{kinds}"


def compare(left: Sequence[dict[str, str | None]], right: Sequence[dict[str, str | None]]) -> Comparison:
    """Compare two engines' findings; for the differences, name the fields in which near pairs differ."""
    full_left, full_right = Counter(key(f) for f in left), Counter(key(f) for f in right)
    if full_left == full_right:
        return Comparison(True, True, 0, 0)
    bare_left, bare_right = Counter(key(f, False) for f in left), Counter(key(f, False) for f in right)
    only_left, only_right = full_left - full_right, full_right - full_left
    result = Comparison(False, bare_left == bare_right, sum(only_left.values()), sum(only_right.values()))
    differing: Counter[str] = Counter()
    right_items = list(only_right)
    for item in only_left:
        partner = max(right_items, key=lambda other: shared_fields(item, other), default=None)  # its nearest partner
        if partner is None:
            continue
        fields = [(name, a, b) for name, a, b in zip(FIELDS, item, partner, strict=True) if a != b]
        differing.update(name for name, _, _ in fields)
        if len(result.examples) < 3:
            result.examples.append("; ".join(f"{name}: {a!r} vs {b!r}" for name, a, b in fields))
    result.differing_fields = [name for name, _ in differing.most_common()]
    return result


def shared_fields(one: tuple, other: tuple) -> int:
    return sum(a == b for a, b in zip(one, other, strict=True))


def severity_counts(findings: Iterable[dict[str, str | None]]) -> dict[str, int]:
    counts = Counter(f.get("severity") or "?" for f in findings)
    return {name: counts.get(name, 0) for name in ("Violation", "Warning", "Info")}


# --- Jena from Debian -------------------------------------------------------------------------------------------------


def usable_jars(paths: Iterable[str]) -> list[str]:
    """The jars of the Jena package and its dependencies that belong on one classpath: the unversioned name of each
    (Debian installs both `x.jar` and `x-1.2.jar`), and of the SLF4J bindings only `slf4j-nop`."""
    chosen = set()
    for path in paths:
        name = Path(path).name
        if not re.fullmatch(r"/usr/share/java/[^/]+\.jar", path) or re.search(r"-\d[\w.~+-]*\.jar$", name):
            continue
        stem = name[: -len(".jar")]
        if stem.startswith("slf4j-") and stem not in ("slf4j-api", SLF4J_BINDING):
            continue
        chosen.add(path)
    return sorted(chosen)


def package_files(package: str) -> tuple[list[str], list[str]]:
    """A Debian package's files and the names of the Java packages it depends on."""
    listed = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, timeout=60)
    depends = subprocess.run(["dpkg-query", "-W", "-f=${Depends}", package], capture_output=True, text=True,
                             timeout=60).stdout  # fmt: skip
    names = [alt.strip().split("|")[0].split()[0].split(":")[0] for alt in depends.split(",") if alt.strip()]
    return listed.stdout.splitlines(), [n for n in names if n.endswith("-java")]


def jena_classpath(cache: Path) -> list[str] | None:
    """The Debian Jena jars with their dependencies (read from dpkg), plus the Xerces overlay; None if not installed."""
    if shutil.which("dpkg") is None or subprocess.run(["dpkg", "-s", JENA_PACKAGE], capture_output=True).returncode:
        return None
    files, seen, todo = [], set(), [JENA_PACKAGE]
    while todo:
        package = todo.pop()
        if package in seen:
            continue
        seen.add(package)
        listed, depends = package_files(package)
        files += listed
        todo += depends
    jars = usable_jars(files)
    if SLF4J_BINDING not in {Path(j).stem for j in jars} and Path(f"/usr/share/java/{SLF4J_BINDING}.jar").exists():
        jars.append(f"/usr/share/java/{SLF4J_BINDING}.jar")
    core = next((j for j in jars if Path(j).name == "jena-core.jar"), None)
    if core is None:
        return None
    return [*jars, str(xerces_overlay(Path(core), cache))]


def xerces_overlay(core: Path, cache: Path) -> Path:
    """A jar holding jena-core's shaded Xerces message bundles under the package Debian moved the classes to."""
    target = cache / "xerces-messages.jar"
    if target.exists():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    with zipfile.ZipFile(core) as source, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            if name.startswith(SHADED_XERCES) and not name.endswith(("/", ".class")):
                out.writestr("xerces/" + name[len(SHADED_XERCES) :], source.read(name))
    partial.replace(target)
    return target


def compiled_jena(cache: Path, classpath: list[str]) -> Path:
    """Compile JenaShacl.java once per source and classpath; the folder holding the class."""
    digest = hashlib.sha256(JAVA_SOURCE.read_bytes() + os.pathsep.join(classpath).encode()).hexdigest()[:16]
    target = cache / digest
    if not (target / "JenaShacl.class").exists():
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run(["javac", "-nowarn", "-cp", os.pathsep.join(classpath), "-d", str(target), str(JAVA_SOURCE)],
                       check=True, capture_output=True, timeout=300)  # fmt: skip
    return target


# --- child processes, timed, with their peak RSS ----------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_mb: float
    returncode: int | None  # None: stopped at the time limit
    stdout: str = ""


def measured(command: list[str], timeout: float, log: Path) -> Run:
    """Run one process to its end or the time limit; its peak RSS is the kernel's high-water mark for it."""
    started = time.perf_counter()
    with log.open("wb") as err:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, cwd=ROOT, start_new_session=True)
        output = bytearray()
        os.set_blocking(process.stdout.fileno(), False)  # type: ignore[union-attr]
        while True:
            chunk = process.stdout.read()  # type: ignore[union-attr]
            if chunk:
                output += chunk
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                output += process.stdout.read() or b""  # type: ignore[union-attr]
                process.returncode = os.waitstatus_to_exitcode(status)
                return Run(time.perf_counter() - started, usage.ru_maxrss / 1024, process.returncode,
                           output.decode(errors="replace"))  # fmt: skip
            if time.perf_counter() - started > timeout:
                peak = status_peak_mb(process.pid)
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return Run(time.perf_counter() - started, peak, None, output.decode(errors="replace"))
            time.sleep(0.05)


def status_peak_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# --- the engines ------------------------------------------------------------------------------------------------------


@dataclass
class EngineResult:
    name: str
    status: str = "ok"  # "ok", "not built", "over N s", "not installed", "failed: ..."
    figures: dict[str, float] = field(default_factory=dict)
    findings: list[dict[str, str | None]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def child_pyshacl(data: Path, out: Path) -> None:
    """The reference: vskg.validate.validate_quads on the parsed file (it adds the ontology and schemes itself)."""
    from dataclasses import asdict

    from vskg.rdfio import parse_file
    from vskg.validate import validate_quads

    started = time.perf_counter()
    quads = list(parse_file(data))
    parsed = time.perf_counter()
    report = validate_quads(quads)
    done = time.perf_counter()
    out.write_text(json.dumps({"figures": {"parse_s": parsed - started, "validate_s": done - parsed},
                               "findings": [asdict(f) for f in report.findings]}))  # fmt: skip


def child_engine(data: Path, out: Path) -> None:
    """The compiled engine: `run(store)` on an embedded store holding the ontology, the schemes and the file."""
    from dataclasses import asdict

    try:
        from vskg.validation import engine
    except ImportError:
        out.write_text(json.dumps({"status": "not built"}))
        return
    from vskg.graphs import bundled_sources
    from vskg.resources import locate
    from vskg.store import LocalStore

    with tempfile.TemporaryDirectory(prefix="vskg-validation-bench-") as folder:
        store = LocalStore(Path(folder) / "store")
        started = time.perf_counter()
        for path, graph in bundled_sources(locate(), with_data=False):
            store.load_file(path, graph)
        store.load_file(data, SYNTHETIC_GRAPH)
        loaded = time.perf_counter()
        findings = engine.run(store)
        cold = time.perf_counter()
        again = engine.run(store)
        warm = time.perf_counter()
        store.close()
    out.write_text(json.dumps({
        "figures": {"parse_s": loaded - started, "validate_s": cold - loaded, "warm_s": warm - cold,
                    "warm_same": float(again == findings)},
        "findings": [asdict(f) for f in findings],
    }))  # fmt: skip


def run_python_engine(kind: str, data: Path, work: Path, timeout: float) -> EngineResult:
    name = ENGINE_NAMES[kind]
    out = work / f"{kind}.json"
    out.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bench.validation_scale", "child", kind, str(data), str(out)]
    run = measured(command, timeout, work / f"{kind}.log")
    if run.returncode is None:
        return EngineResult(name, f"over {timeout:g} s", {"peak_mb": run.peak_mb})
    if run.returncode or not out.exists():
        tail = (work / f"{kind}.log").read_text(errors="replace").strip().splitlines()[-1:] or [""]
        return EngineResult(name, f"failed (exit {run.returncode}): {tail[0][:200]}", {"peak_mb": run.peak_mb})
    answer = json.loads(out.read_text())
    if answer.get("status"):
        return EngineResult(name, answer["status"])
    figures = {**answer["figures"], "wall_s": run.seconds, "peak_mb": run.peak_mb}
    return EngineResult(name, "ok", figures, answer["findings"])


def run_jena(data: Path, bundled: list[Path], shapes: list[Path], work: Path, cache: Path, timeout: float,
             java_options: list[str]) -> EngineResult:  # fmt: skip
    name = "Jena SHACL 4.5"
    if shutil.which("java") is None or shutil.which("javac") is None:
        return EngineResult(name, "not installed (no JDK)")
    classpath = jena_classpath(cache)
    if classpath is None:
        return EngineResult(name, f"not installed (apt-get install -y {JENA_PACKAGE})")
    classes = compiled_jena(cache, classpath)
    results = work / "jena.tsv"
    command = ["java", *java_options, "-cp", os.pathsep.join([*classpath, str(classes)]), "JenaShacl", str(results),
               "--shapes", *map(str, shapes), "--data", str(data), *map(str, bundled)]  # fmt: skip
    run = measured(command, timeout, work / "jena.log")
    if run.returncode is None:
        return EngineResult(name, f"over {timeout:g} s", {"peak_mb": run.peak_mb})
    if run.returncode:
        tail = (work / "jena.log").read_text(errors="replace").strip().splitlines()[:1] or [""]
        return EngineResult(name, f"failed (exit {run.returncode}): {tail[0][:200]}", {"peak_mb": run.peak_mb})
    numbers = parse_figures(run.stdout)
    figures = {"parse_s": (numbers.get("parse_ms", 0) + numbers.get("shapes_ms", 0)) / 1000,
               "validate_s": numbers.get("cold_ms", 0) / 1000, "warm_s": numbers.get("warm_ms", 0) / 1000,
               "triples": numbers.get("triples", 0), "wall_s": run.seconds, "peak_mb": run.peak_mb}  # fmt: skip
    return EngineResult(name, "ok", figures, read_jena_results(results.read_text(encoding="utf-8")))


# --- the service ------------------------------------------------------------------------------------------------------


class Service:
    """`vskg serve` on a private loopback port with writes enabled by a token, optionally gating writes."""

    token = "bench-validation-scale-token"

    def __init__(self, store: Path, work: Path, *, gated: bool = False) -> None:
        self.store, self.work, self.gated = store, work, gated
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.started = 0.0

    def since_start(self) -> float:
        return time.perf_counter() - self.started

    def start(self, limit: float) -> bool:
        command = [*VSKG, "serve", "--store", str(self.store), "--port", str(self.port)]
        if self.gated:
            command.append("--validate-writes")
        log = (self.work / f"serve{'-gated' if self.gated else ''}.log").open("wb")
        env = {**os.environ, "VSKG_WRITE_TOKEN": self.token}
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
                                        start_new_session=True)  # fmt: skip
        with httpx.Client(timeout=5) as client:
            while self.since_start() < limit:
                if self.process.poll() is not None:
                    return False
                try:
                    if client.get(f"{self.url}/health").status_code == 200:
                        return True
                except httpx.HTTPError:
                    pass
                time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def update(self, client: httpx.Client, text: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/sparql-update"}
        return client.post(f"{self.url}/update", content=text.encode(), headers=headers)


def standing_report(client: httpx.Client, url: str) -> dict | None:
    """`GET /validate` as the spec describes it, or None when the service has no standing report."""
    try:
        response = client.get(f"{url}/validate", headers={"Accept": "application/json"})
    except httpx.HTTPError:
        return None
    if response.status_code != 200 or "json" not in response.headers.get("content-type", ""):
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or not {"as_of", "latest", "current"} <= body.keys():
        return None
    header = response.headers.get("VSKG-Report-As-Of")
    body["header_as_of"] = int(header) if header and header.isdigit() else None
    return body


def has_standing_report(client: httpx.Client, url: str) -> bool:
    """Whether the service keeps a standing report: `GET /validate` answers it (200), or says the first one is
    still being computed (503 with Retry-After); a service without one answers neither."""
    try:
        response = client.get(f"{url}/validate", headers={"Accept": "application/json"})
    except httpx.HTTPError:
        return False
    return response.status_code == 200 or (response.status_code == 503 and "Retry-After" in response.headers)


def is_current_after(report: dict | None, before: int | None) -> bool:
    """True when the report is current and as of a write later than ``before`` (the latest write before ours)."""
    if report is None or not report.get("current") or not isinstance(report.get("as_of"), int):
        return False
    return before is None or report["as_of"] > before


def wait_current(client: httpx.Client, url: str, before: int | None, limit: float) -> float | None:
    """Seconds until the report is current as of a write after ``before``; None past the limit."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if is_current_after(standing_report(client, url), before):
            return time.perf_counter() - started
        time.sleep(0.01)
    return None


def one_triple(n: int, stamp: int, *, bad: bool = False) -> str:
    """A one-triple INSERT DATA: a harmless statement, or (bad) a value stream that breaks two Violation shapes."""
    subject = f"<urn:vskg-bench:{'bad' if bad else 'w'}{stamp}-{n}>"
    triple = f"{subject} a <{VALUE_STREAM}>" if bad else f'{subject} <urn:vskg-bench:n> "{n}"'
    return f"INSERT DATA {{ GRAPH <{WRITE_GRAPH}> {{ {triple} }} }}"


def stream_page(streams: int) -> str:
    """The middle stream's page (bench/synthetic.py names streams stream-sNNNN)."""
    return "/streams/" + quote(f"{NAMESPACE}stream-s{streams // 2:04d}", safe="")


def serve_supports(option: str) -> bool:
    shown = subprocess.run([*VSKG, "serve", "--help"], capture_output=True, text=True, cwd=ROOT, timeout=120,
                           env={**os.environ, "COLUMNS": "200"})  # fmt: skip
    return option in shown.stdout


def service_figures(store: Path, streams: int, work: Path, args: argparse.Namespace,
                    say: Callable[[str], None]) -> dict[str, object]:  # fmt: skip
    """The plain service: stream page latency while its first full validation runs, the time until that run is done,
    report freshness after a 1-triple write and page latency right after one; then the gated service's writes."""
    fig: dict[str, object] = {}
    service = Service(store, work)
    if not service.start(args.start_timeout):
        service.stop()
        return {"error": "vskg serve did not come up"}
    stamp, page = time.time_ns(), stream_page(streams)
    try:
        with httpx.Client(timeout=args.request_timeout) as client:
            started = time.perf_counter()
            first = client.get(f"{service.url}{page}")  # the first visit fills the page's caches
            fig["page_first_ms"] = (time.perf_counter() - started) * 1000
            fig["page_first_status"] = first.status_code
            say("service: stream page while the first full validation runs")
            fig |= {f"start_{k}": v for k, v in page_samples(client, service, page, args.page_samples).items()}
            if not has_standing_report(client, service.url):
                fig["initial_full_run_s"] = fig["current_after_write_s"] = "not available"
            else:
                say("service: waiting for the first full run of the standing report")
                done = wait_current(client, service.url, None, args.current_timeout)
                fig["initial_full_run_s"] = (
                    service.since_start() if done is not None else f"over {args.current_timeout:g} s"
                )
                before = standing_report(client, service.url)
                written = service.update(client, one_triple(0, stamp))
                fig["write_status"] = written.status_code
                latest = before.get("latest") if before else None
                seconds = wait_current(client, service.url, latest, args.current_timeout)
                fig["current_after_write_s"] = seconds if seconds is not None else f"over {args.current_timeout:g} s"
            say("service: stream page right after a 1-triple write")
            service.update(client, one_triple(1, stamp))
            fig |= {f"write_{k}": v for k, v in page_samples(client, service, page, args.page_samples).items()}
    finally:
        service.stop()
    if not serve_supports("--validate-writes"):
        fig["gated_pass_ms"] = fig["gated_refused_ms"] = "not available"
        return fig
    say("service: gated writes")
    fig |= gated_writes(store, work, stamp, args)
    return fig


def gated_writes(store: Path, work: Path, stamp: int, args: argparse.Namespace) -> dict[str, object]:
    """p50 latency of 1-triple writes that pass, and of writes that add a Violation, under --validate-writes."""
    gated = Service(store, work, gated=True)
    fig: dict[str, object] = {}
    try:
        if not gated.start(args.start_timeout):
            return {"gated_pass_ms": "did not start", "gated_refused_ms": "did not start"}
        with httpx.Client(timeout=args.request_timeout) as client:
            wait_current(client, gated.url, None, args.current_timeout)
            for label, bad in (("gated_pass", False), ("gated_refused", True)):
                times, statuses = [], Counter()
                for n in range(args.gated_writes):
                    started = time.perf_counter()
                    answer = gated.update(client, one_triple(1000 + n, stamp, bad=bad))
                    times.append((time.perf_counter() - started) * 1000)
                    statuses[answer.status_code] += 1
                fig[f"{label}_ms"] = statistics.median(times)
                fig[f"{label}_statuses"] = dict(statuses)
    finally:
        gated.stop()
    return fig


def page_samples(client: httpx.Client, service: Service, page: str, samples: int) -> dict[str, object]:
    """The page asked for `samples` times in a row, each time noting whether the standing report was still being
    computed (when the service can say so)."""
    times, during, statuses = [], [], Counter()
    for _ in range(samples):
        started = time.perf_counter()
        answer = client.get(f"{service.url}{page}")
        times.append((time.perf_counter() - started) * 1000)
        statuses[answer.status_code] += 1
        report = standing_report(client, service.url)
        if report is not None:
            during.append(not report.get("current") or report.get("as_of") is None)
    figures = {"page_p50_ms": statistics.median(times), "page_p95_ms": percentile(times, 0.95),
               "page_statuses": dict(statuses)}  # fmt: skip
    if during:  # a service without a standing report cannot say whether its validation was still running
        figures["page_samples_while_running"] = sum(during)
    return figures


def prepare_store(data: Path, work: Path, timeout: float) -> Path | None:
    """A store made by `vskg init` (bundled files) with the synthetic file loaded into its own graph."""
    store = work / "store"
    for command in ([*VSKG, "init", "--store", str(store)],
                    [*VSKG, "load", str(data), "--graph", SYNTHETIC_GRAPH, "--store", str(store)]):  # fmt: skip
        if subprocess.run(command, capture_output=True, cwd=ROOT, timeout=timeout).returncode:
            return None
    return store


# --- the table --------------------------------------------------------------------------------------------------------


def show(value: object, unit: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if unit == "s":
            return f"{value:.2f} s" if value < 100 else f"{value:,.0f} s"
        if unit == "ms":
            return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"
        if unit == "MB":
            return f"{value:,.0f} MB"
        return f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def engine_rows(engines: list[EngineResult], reference: EngineResult, jena: EngineResult) -> list[list[str]]:
    def cell(engine: EngineResult, figure: str, unit: str) -> str:
        if not engine.ok:
            return engine.status if figure == "validate_s" else ""
        return show(engine.figures.get(figure), unit)

    rows = [
        ["parse / load (data + ontology + schemes)", *(cell(e, "parse_s", "s") for e in engines)],
        ["full validation (cold)", *(cell(e, "validate_s", "s") for e in engines)],
        ["full validation again, same process (warm)", *(cell(e, "warm_s", "s") for e in engines)],
        ["whole process, wall time", *(cell(e, "wall_s", "s") for e in engines)],
        ["peak RSS of the process", *(show(e.figures.get("peak_mb"), "MB") for e in engines)],
    ]
    for severity in ("Violation", "Warning", "Info"):
        rows.append([f"results: {severity}",
                     *(show(severity_counts(e.findings)[severity]) if e.ok else "" for e in engines)])  # fmt: skip
    for label, other in (("same results as the pyshacl reference", reference), ("same results as Jena", jena)):
        cells = []
        for engine in engines:
            if engine is other or not engine.ok or not other.ok:
                cells.append("")
            else:
                cells.append(compare(engine.findings, other.findings).summary())
        rows.append([label, *cells])
    return rows


def service_rows(fig: dict[str, object]) -> list[list[str]]:
    def page(prefix: str) -> str:
        text = show(fig.get(f"{prefix}_page_p50_ms"), "ms")
        running = fig.get(f"{prefix}_page_samples_while_running")
        codes = fig.get(f"{prefix}_page_statuses")
        others = statuses(codes) if isinstance(codes, dict) and set(codes) != {200} else ""
        return text + (f" ({running} of the samples while it ran)" if running is not None else "") + others

    first = fig.get("page_first_status")
    return [
        ["stream page, first visit after start" + (f" (HTTP {first})" if first not in (None, 200) else ""),
         show(fig.get("page_first_ms"), "ms")],
        ["stream page warm p50 while the first full validation runs", page("start")],
        ["first full run of the standing report, from start", show(fig.get("initial_full_run_s"), "s")],
        ["report current after a 1-triple write", show(fig.get("current_after_write_s"), "s")],
        ["stream page warm p50 right after a 1-triple write", page("write")],
        ["gated 1-triple write that passes, p50" + statuses(fig.get("gated_pass_statuses")),
         show(fig.get("gated_pass_ms"), "ms")],
        ["gated 1-triple write that adds a Violation, p50" + statuses(fig.get("gated_refused_statuses")),
         show(fig.get("gated_refused_ms"), "ms")],
    ]  # fmt: skip


def statuses(counts: object) -> str:
    if not isinstance(counts, dict) or not counts:
        return ""
    return " (HTTP " + ", ".join(f"{code} x{n}" for code, n in sorted(counts.items())) + ")"


def print_table(title: str, head: list[str], rows: list[list[str]]) -> None:
    rows = [row + [""] * (len(head) - len(row)) for row in rows]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        padded = (c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        return " | ".join(padded)

    print(title)
    print(line(head))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


# --- the run ----------------------------------------------------------------------------------------------------------


def synthetic_file(data_dir: Path, streams: int, seed: int) -> Path:
    path = data_dir / (f"syn{streams}.ttl" if seed == 42 else f"syn{streams}-seed{seed}.ttl")
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".ttl.part")
        write_synthetic(partial, streams, seed)
        partial.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["child"]:
        {"pyshacl": child_pyshacl, "engine": child_engine}[argv[1]](Path(argv[2]), Path(argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=500, help="size of the synthetic enterprise (5000: ~1M)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data-dir", type=Path, default=Path(".vskg/bench-data"), help="cache of generated files")
    parser.add_argument("--json", type=Path, help="also write the figures and the comparisons here")
    parser.add_argument("--pyshacl-timeout", type=float, default=600.0, help="the reference's time limit (s)")
    parser.add_argument("--engine-timeout", type=float, default=1800.0, help="the compiled engine's and Jena's")
    parser.add_argument("--java-option", action="append", default=[], help="e.g. -Xmx4g (repeatable)")
    parser.add_argument("--skip", action="append", default=[], choices=["pyshacl", "engine", "jena", "service"])
    parser.add_argument("--current-timeout", type=float, default=600.0, help="limit on waiting for a current report")
    parser.add_argument("--page-samples", type=int, default=20)
    parser.add_argument("--gated-writes", type=int, default=5, help="writes of each kind to the gated service")
    parser.add_argument("--request-timeout", type=float, default=120.0)
    parser.add_argument("--start-timeout", type=float, default=600.0)
    parser.add_argument("--load-timeout", type=float, default=1800.0)
    args = parser.parse_args(argv)
    if args.streams < 1:
        parser.error("--streams must be at least 1")

    def say(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    from vskg.resources import locate

    bundle = locate()
    data = synthetic_file(args.data_dir.resolve(), args.streams, args.seed)
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "vskg" / "bench-jena"
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="vskg-validation-scale-") as folder:
        work = Path(folder)
        engines: list[EngineResult] = []
        for kind in ("pyshacl", "engine"):
            if kind in args.skip:
                engines.append(EngineResult(ENGINE_NAMES[kind], "skipped"))
                continue
            say(f"{kind}: validating {data.name}")
            timeout = args.pyshacl_timeout if kind == "pyshacl" else args.engine_timeout
            engines.append(run_python_engine(kind, data, work, timeout))
            say(f"{kind}: {engines[-1].status}")
        if "jena" in args.skip:
            jena = EngineResult("Jena SHACL 4.5", "skipped")
        else:
            say(f"jena: validating {data.name}")
            jena = run_jena(data, bundle.model, bundle.shapes, work, cache, args.engine_timeout, args.java_option)
            say(f"jena: {jena.status}")
        engines.append(jena)
        service: dict[str, object] = {}
        if "service" not in args.skip:
            say("service: vskg init + vskg load")
            store = prepare_store(data, work, args.load_timeout)
            service = service_figures(store, args.streams, work, args, say) if store else {"error": "load failed"}
    reference = engines[0]
    triples = jena.figures.get("triples")
    size = f", {triples:,.0f} triples with the ontology and schemes" if triples else ""
    loads = f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    title = f"{args.streams} streams ({data.name}{size}); {loads}"
    print_table(title, ["figure", *(e.name for e in engines)], engine_rows(engines, reference, jena))
    if service:
        print()
        print_table(f"{args.streams} streams, vskg serve", ["figure", "vskg"], service_rows(service))
    for engine in engines[1:]:
        for other in (reference, jena):
            if engine is not other and engine.ok and other.ok:
                found = compare(engine.findings, other.findings)
                for example in found.examples:
                    print(f"{engine.name} vs {other.name}: {example}")
    if args.json:
        args.json.write_text(json.dumps({
            "streams": args.streams, "file": str(data), "load_average_before": load_before,
            "engines": {e.name: {"status": e.status, "figures": e.figures, "counts": severity_counts(e.findings)}
                        for e in engines},
            "comparisons": {f"{e.name} vs {o.name}": vars(compare(e.findings, o.findings)) for e in engines
                            for o in (reference, jena) if e is not o and e.ok and o.ok},
            "service": service,
        }, indent=2, default=str), encoding="utf-8")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
