"""Crash consistency: SIGKILL during `vskg load`, a Graph Store PUT, a SPARQL Update and an ArchiMate import.

For each kind of write, N trials (20 by default) each copy the bundled store, start the write, kill the writing
process at a random moment within the write's measured duration, and check that the store then holds exactly the
state before the write or the state after it (tests/crash.py has the details). Prints, per kind: the write's size
and duration, how many trials ended in each state, and any failure.

    .venv/bin/python bench/crash_consistency.py [--trials 20] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.crash import Scenario
from tests.server import prepare_store

SIZES = {"load": 50_000, "put": 50_000, "update": 30_000, "import": 5_000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the write sizes")
    parser.add_argument("--seed", default="vskg-crash")
    args = parser.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        template = prepare_store(work / "template" / "store")
        print(f"{'write':8} {'size':>8} {'seconds':>8} {'trials':>7} {'before':>7} {'after':>6} {'other':>6}")
        for kind, size in SIZES.items():
            scenario = Scenario(kind, int(size * args.scale), work, template)
            scenario.prepare()
            rng = random.Random(f"{args.seed}-{kind}")
            counts = {"before": 0, "after": 0, "other": 0}
            started = time.monotonic()
            for number in range(args.trials):
                try:
                    counts[scenario.trial(number, rng)] += 1
                except AssertionError as problem:
                    counts["other"] += 1
                    print(f"  FAILED: {problem}")
            failures += counts["other"]
            print(
                f"{kind:8} {scenario.size:>8} {scenario.seconds:>8.2f} {args.trials:>7} {counts['before']:>7} "
                f"{counts['after']:>6} {counts['other']:>6}   ({time.monotonic() - started:.0f} s of trials)",
                flush=True,
            )
    print("every trial left the before or the after state" if not failures else f"{failures} trial(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
