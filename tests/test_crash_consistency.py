"""SIGKILL in the middle of a load, a PUT, an update and an import leaves the store as it was before or after.

A few trials per kind run here; `bench/crash_consistency.py` runs twenty per kind (see tests/crash.py).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.crash import Scenario

SIZES = {"load": 20_000, "put": 20_000, "update": 10_000, "import": 2_000}
TRIALS = 2


@pytest.mark.parametrize("kind", list(SIZES))
def test_a_killed_write_leaves_the_before_or_the_after_state(
    kind: str, bundled_store_template: Path, tmp_path: Path
) -> None:
    scenario = Scenario(kind, SIZES[kind], tmp_path, bundled_store_template)
    scenario.prepare()
    rng = random.Random(f"crash-{kind}")
    outcomes = [scenario.trial(number, rng) for number in range(TRIALS)]
    assert set(outcomes) <= {"before", "after"}  # trial() raises for any other state
