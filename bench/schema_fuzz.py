"""Fuzz the service with its own OpenAPI document (schemathesis) and report what the document does not describe.

Why: the OpenAPI document at /openapi.json is meant to be the truth about the service. Schemathesis generates
requests from it (valid and invalid parameters and bodies, boundary values, every operation) and checks each
answer against it:

- ``no_server_error``: no 5xx, except the documented 503 of a query stopped at its time limit (a client may ask
  for a limit as short as 0.1 s, and a loaded machine can miss that; the answer is then the JSON error saying so);
- ``status_code_conformance``: the status code is listed for the operation;
- ``content_type_conformance``: the media type is listed for that status;
- ``response_schema_conformance``: a JSON body matches its schema where one is given.

The run is derandomised (fixed seed, ``--generation-deterministic``, one worker), so CI sees the same requests
every time. The server runs with the write token and the fuzzer sends it, so the write routes are exercised as
well (on a throwaway copy of the bundled store).

``make test`` runs a bounded sample (tests/hostile/test_14_schema_fuzz.py, via ``fuzz``); this script runs a
longer one and prints the figures::

    python bench/schema_fuzz.py --examples 400        # examples per operation in the fuzzing phase

This module is also the schemathesis hooks module (``SCHEMATHESIS_HOOKS=bench.schema_fuzz``): importing it
registers the ``no_server_error`` check.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import schemathesis

ROOT = Path(__file__).resolve().parent.parent
CHECKS = "no_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
STOPPED = "the query was stopped after"


@schemathesis.check
def no_server_error(ctx, response, case) -> bool | None:
    """No 5xx answer, but for the documented 503 of a query that ran out of the time the client gave it."""
    if response.status_code < 500:
        return None
    if response.status_code == 503:
        try:
            message = json.loads(response.content)["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = ""
        if message.startswith(STOPPED):
            return None
    raise AssertionError(f"server error {response.status_code}: {response.content[:300]!r}")


@dataclass
class Figures:
    """What one run did: requests sent, failures by check, errors of the fuzzer itself, time, exit code."""

    requests: int
    failures: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    exit_code: int = 0
    output: str = ""

    def lines(self) -> list[str]:
        failed = ", ".join(f"{name} {count}" for name, count in sorted(self.failures.items())) or "none"
        errors = "; ".join(self.errors) or "none"
        return [
            f"requests sent: {self.requests}",
            f"failures by check: {failed}",
            f"fuzzer errors: {errors}",
            f"time: {self.seconds:.1f} s",
        ]


def fuzz(
    url: str,
    token: str | None,
    *,
    examples: int,
    seed: int = 9,
    max_time: int | None = None,
    phases: str = "coverage,fuzzing",
    only: list[str] | None = None,
) -> Figures:
    """Run schemathesis against the service at ``url`` and collect its figures from the JSON report.

    ``only`` holds schemathesis filter options (``--include-method-regex``, ``--exclude-path-regex`` ...).
    """
    with tempfile.TemporaryDirectory(prefix="vskg-fuzz-") as folder:
        report = Path(folder) / "report.json"
        args = [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            f"{url}/openapi.json",
            "--checks",
            CHECKS,
            "--max-examples",
            str(examples),
            "--seed",
            str(seed),
            "--generation-deterministic",
            "--phases",
            phases,
            "--workers",
            "1",
            "--continue-on-failure",
            "--suppress-health-check",
            "all",
            "--request-timeout",
            "30",
            "--no-color",
            "--report",
            "json",
            "--report-json-path",
            str(report),
        ]
        args += only or []
        if max_time is not None:
            args += ["--max-time", str(max_time)]
        if token is not None:
            args += ["--header", f"Authorization: Bearer {token}"]
        env = os.environ | {"SCHEMATHESIS_HOOKS": "bench.schema_fuzz", "PYTHONPATH": str(ROOT)}
        started = time.monotonic()
        done = subprocess.run(args, cwd=folder, env=env, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - started
        output = done.stdout + done.stderr
        if not report.exists():
            return Figures(0, errors=["no report: " + output[-2000:]], seconds=seconds, exit_code=done.returncode)
        data = json.loads(report.read_text(encoding="utf-8"))
    failures: dict[str, int] = {}
    for group in data.get("failures") or []:
        failures[group.get("title") or group.get("code") or "?"] = group.get("count", 1)
    errors = [f"{e['title']} ({e['count']})" for e in data.get("errors") or []]
    return Figures(
        requests=data["test_cases"]["generated"],
        failures=failures,
        errors=errors,
        seconds=seconds,
        exit_code=done.returncode,
        output=output,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=400, help="examples per operation in the fuzzing phase")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--max-time", type=int, default=None, help="time budget: fuzzing repeats until it is spent")
    parser.add_argument("--phases", default="coverage,fuzzing,stateful", help="schemathesis phases to run")
    parser.add_argument("--show", action="store_true", help="print schemathesis's own output as well")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.server import TOKEN, prepare_store, running_server

    with tempfile.TemporaryDirectory(prefix="vskg-fuzz-store-") as folder:
        template = prepare_store(Path(folder) / "template")
        store = Path(folder) / "store"
        shutil.copytree(template, store)
        with running_server(store) as server:
            figures = fuzz(
                server.url,
                TOKEN,
                examples=options.examples,
                seed=options.seed,
                max_time=options.max_time,
                phases=options.phases,
            )
    if options.show or figures.exit_code not in (0, 1):
        print(figures.output)
    print(f"schema fuzz, {options.examples} examples per operation, phases {options.phases}, with the write token")
    for line in figures.lines():
        print(line)
    return 0 if not figures.failures and not figures.errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
