"""Found while building the corpus: a query that builds a value without bound.

Thirty-six nested ``CONCAT(?v, ?v)`` turn one character into 64 GB; unguarded, the query engine grows until the
machine runs out. The managed engine may allocate at most VSKG_QUERY_MEMORY_MB (2,048 MB by default) beyond what it
took to open the store, and Oxigraph does not stop this query at its time limit: so the query fails alone with a
503 that says why (its time limit or the memory cap, whichever it reaches first), the service ends the runaway by
restarting the engine, the engine's memory comes back down, and the next query is answered.
"""

from __future__ import annotations

import time

import httpx

from tests.hostile.conftest import Survivor
from tests.server import assert_error

DOUBLINGS = 36
BINDS = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(DOUBLINGS))
BOMB = f'SELECT (STRLEN(?v{DOUBLINGS}) AS ?n) WHERE {{ BIND("x" AS ?v0) {BINDS} }}'
JSON = {"Accept": "application/sparql-results+json"}


STOPPED = {
    "the query needed more memory than this endpoint gives queries (2048 MB) and was stopped; narrow it down (fewer "
    "or smaller computed values, LIMIT) and try again",
    "the query was stopped after 10 s, the time limit of this endpoint; narrow it down (add LIMIT, more specific "
    "patterns) and try again",
}


def test_a_query_that_builds_a_huge_value_fails_alone(survivor: Survivor) -> None:
    answer = httpx.post(f"{survivor.url}/sparql", data={"query": BOMB}, headers=JSON, timeout=60)
    assert assert_error(answer, 503) in STOPPED
    for _ in range(100):  # the runaway is ended within moments of its deadline
        if survivor.memory_mb()[1] < 1000:
            break
        time.sleep(0.1)
    assert survivor.memory_mb()[1] < 1000
    survivor.check()
    after = httpx.post(f"{survivor.url}/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers=JSON, timeout=30)
    assert (after.status_code, after.json()["boolean"]) == (200, True)


def test_a_modest_computed_value_is_still_answered(survivor: Survivor) -> None:
    small = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(20))
    query = f'SELECT (STRLEN(?v20) AS ?n) WHERE {{ BIND("x" AS ?v0) {small} }}'
    answer = httpx.post(f"{survivor.url}/sparql", data={"query": query}, headers=JSON, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"]["bindings"][0]["n"]["value"] == str(2**20)
