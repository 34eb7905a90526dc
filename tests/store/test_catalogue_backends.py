"""Every catalogue query, with its example parameters, gives the same rows on every backend.

The bundled graphs are loaded into each store (the embedded one, an Oxigraph server, Virtuoso 7); each query runs as
the service runs it (`vskg.catalogue.run`: the parameters written into the text, the union of the graphs as the
default graph) and the rows are compared, as sorted lists of terms, with the embedded store's.
"""

from __future__ import annotations

import itertools
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from vskg.catalogue import CatalogueQuery, catalogue, run
from vskg.store import LocalStore
from vskg.store.bundled import init_bundled

QUERIES = catalogue()
# Queries that rightly find nothing in the bundled examples (every stage there has a capability).
EMPTY_ON_BUNDLED = {"stages-without-capability"}


def example(query: CatalogueQuery) -> dict[str, str]:
    words = shlex.split(query.example)
    return dict(value.partition("=")[::2] for flag, value in itertools.pairwise(words) if flag == "--param")


def rows(result) -> list[tuple[str, ...]]:
    names = [v.value for v in result.variables]
    return sorted(tuple(str(row[n]) if row[n] is not None else "" for n in names) for row in result)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStore]:
    store = LocalStore(tmp_path_factory.mktemp("catalogue") / "store")
    store.init_bundled()
    yield store
    store.close()


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server_store(request: pytest.FixtureRequest):
    server = request.getfixturevalue(f"{request.param}_server")
    server.clear()
    store = server.store()
    init_bundled(store)
    yield request.param, store
    store.close()
    server.clear()


def cases() -> list[tuple[str, dict[str, str]]]:
    """Each query with its example's parameters, and with none at all when it needs none (the other branch of the
    queries that narrow their search to a parameter when it is given)."""
    found = []
    for name, query in sorted(QUERIES.items()):
        found.append((name, example(query)))
        if example(query) and not any(p.required for p in query.parameters):
            found.append((name, {}))
    return found


@pytest.mark.parametrize(("name", "params"), cases(), ids=lambda value: str(value))
def test_every_query_gives_the_same_rows_on_every_backend(
    name: str, params: dict[str, str], reference: LocalStore, server_store
) -> None:
    _, store = server_store
    query = QUERIES[name]
    expected = rows(run(reference, query, params))
    assert bool(expected) is (name not in EMPTY_ON_BUNDLED)  # an empty answer would make a weak comparison
    assert rows(run(store, query, params)) == expected


def test_the_comparison_covers_the_whole_catalogue() -> None:
    files = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "queries").glob("*.rq"))
    assert sorted(QUERIES) == files
