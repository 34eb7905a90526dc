"""Hostile case 24: updates built against the write gate (`vskg serve --validate-writes`).

The gate works out what a DELETE/INSERT ... WHERE update would change by evaluating its WHERE clause, with the
client's template text spliced into CONSTRUCT queries, before anything is written. So:

- a WHERE clause that is a cartesian product of the whole store (11,000 triples to the third power) is refused
  once its solutions, counted with a LIMIT, pass the gate's bound: 422, nothing written, in well under a minute;
- a template that tries to close the CONSTRUCT early and smuggle a query of its own is not read as one operation
  and is refused (422), never run as something else;

After each, the server is up, within its memory ceiling, and the store is as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.hostile.conftest import Survivor, fingerprint
from tests.server import running_server


@pytest.fixture(scope="module")
def gated(bundled_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Survivor]:
    folder = tmp_path_factory.mktemp("hostile-gate") / "store"
    shutil.copytree(bundled_store_template, folder)
    with running_server(folder, timeout=3.0, extra_env={"VSKG_VALIDATE_WRITES": "1"}) as server:
        watch = Survivor(server)
        watch.before = fingerprint(server)
        yield watch


def send(gated: Survivor, text: str) -> httpx.Response:
    headers = {"Content-Type": "application/sparql-update", **gated.auth()}
    return httpx.post(f"{gated.url}/update", content=text.encode(), headers=headers, timeout=60)


def test_a_cartesian_where_clause_is_refused_and_nothing_is_written(gated: Survivor) -> None:
    text = "INSERT { <urn:hostile:a> <urn:hostile:p> ?o } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?o }"
    gated.refused(send(gated, text), 422, "the update's WHERE clause has more than 100,000 solutions; nothing was")


def test_a_template_that_tries_to_break_out_of_the_construct_is_not_run(gated: Survivor) -> None:
    text = "DELETE { ?s ?p ?o } } SELECT * WHERE { ?s ?p ?o } # { WHERE { ?s ?p ?o }"
    gated.refused(send(gated, text), 422, "so that what it changes can be worked out before it runs")


def test_a_second_operation_after_a_where_operation_is_refused(gated: Survivor) -> None:
    text = "DELETE { ?s ?p ?o } WHERE { ?s <urn:none> ?o } ; DROP ALL"
    gated.refused(send(gated, text), 422, "one DELETE/INSERT ... WHERE (or DELETE WHERE) operation alone")
