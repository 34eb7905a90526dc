"""Found while building the corpus: a query that builds a value without bound.

Thirty-six nested ``CONCAT(?v, ?v)`` turn one character into 64 GB; unguarded, a query worker grew until the time
limit ended it, taking gigabytes of the machine's memory on the way. Each worker now caps what a query may allocate
beyond its copy of the store (VSKG_QUERY_MEMORY_MB, 2,048 MB by default): the query fails alone with a 503 that
says why, a fresh worker takes its place, and the next query is answered.
"""

from __future__ import annotations

import httpx

from tests.hostile.conftest import Survivor

DOUBLINGS = 36
BINDS = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(DOUBLINGS))
BOMB = f'SELECT (STRLEN(?v{DOUBLINGS}) AS ?n) WHERE {{ BIND("x" AS ?v0) {BINDS} }}'
JSON = {"Accept": "application/sparql-results+json"}


def test_a_query_that_builds_a_huge_value_fails_alone(survivor: Survivor) -> None:
    answer = httpx.post(f"{survivor.url}/sparql", data={"query": BOMB}, headers=JSON, timeout=60)
    survivor.refused(answer, 503, "the query needed more memory than this endpoint gives one query (2048 MB)")
    _, children = survivor.memory_mb()
    assert children < 1000  # the worker that grew is gone; its replacement holds a copy of the store only
    after = httpx.post(f"{survivor.url}/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers=JSON, timeout=30)
    assert (after.status_code, after.json()["boolean"]) == (200, True)


def test_a_modest_computed_value_is_still_answered(survivor: Survivor) -> None:
    small = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(20))
    query = f'SELECT (STRLEN(?v20) AS ?n) WHERE {{ BIND("x" AS ?v0) {small} }}'
    answer = httpx.post(f"{survivor.url}/sparql", data={"query": query}, headers=JSON, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"]["bindings"][0]["n"]["value"] == str(2**20)
