"""Case 14: the service answers schemathesis's generated requests only in ways its OpenAPI document describes.

Two bounded, derandomised runs of bench/schema_fuzz.py against the live server (about a minute and a quarter in
all on a 2-core machine): every operation without the token (the coverage phase, which sends boundary and invalid
values of every parameter, and a fixed number of fuzzed examples each), then the write operations with the token,
which do write to this module's throwaway copy of the store. Zero failures on: no server error (but the documented
503 of a query stopped at its time limit), status code documented, content type documented, JSON body conforming
to its schema. The longer run and its figures: ``python bench/schema_fuzz.py``.
"""

from __future__ import annotations

from bench.schema_fuzz import fuzz
from tests.hostile.conftest import Survivor

WRITES = ["--include-method-regex", "PUT|POST|DELETE", "--exclude-path-regex", "^/(sparql|validate)$"]


def test_every_operation_without_the_token_answers_as_documented_and_writes_nothing(survivor: Survivor) -> None:
    figures = fuzz(survivor.url, None, examples=50)
    assert figures.errors == [], figures.output[-4000:]
    assert figures.failures == {}, figures.output[-6000:]
    assert figures.exit_code == 0, figures.output[-4000:]
    assert figures.requests > 1000
    survivor.check()  # up, /health within a second, memory bounded, and the store unchanged


def test_the_write_operations_with_the_token_answer_as_documented(survivor: Survivor) -> None:
    figures = fuzz(survivor.url, survivor.server.token, examples=5, only=WRITES)
    assert figures.errors == [], figures.output[-4000:]
    assert figures.failures == {}, figures.output[-6000:]
    assert figures.exit_code == 0, figures.output[-4000:]
    assert figures.requests > 100
    survivor.check(unchanged=False)  # the fuzzer wrote with the token; the server must still be up and bounded
