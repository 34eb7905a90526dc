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
# Queries whose rows Virtuoso 7 still answers differently (not yet removed; README, "Virtuoso"). "lang": its
# GROUP_CONCAT drops the language tag that all the concatenated labels share (Oxigraph keeps it, as SPARQL 1.2
# specifies). "rows": it loses or empties rows where an OPTIONAL holds a sub-select with GROUP BY, or sub-selects
# are nested (rows missing, cells empty, counts smaller) - wrong answers of the server, which vskg cannot repair.
DIFFERS_ON_VIRTUOSO = {
    "cross-boundary-handoffs": "rows",
    "handoff-bottlenecks": "rows",
    "interventions": "lang, rows",
    "mca-coverage": "lang, rows",
    "objective-traceability": "lang",
    "safe-classification": "lang",
    "shared-platforms": "rows (none at all)",
    "strategy-cascade": "rows (empty cells)",
    "stream-stages": "lang",
    "system-impact": "lang",
    "unit-involvement": "rows (1 of 8)",
    "unsupported-capabilities": "rows (empty cells)",
    "value-streams": "rows (none at all)",
}
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


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_gives_the_same_rows_on_every_backend(name: str, reference: LocalStore, server_store) -> None:
    backend, store = server_store
    query = QUERIES[name]
    expected = rows(run(reference, query, example(query)))
    assert bool(expected) is (name not in EMPTY_ON_BUNDLED)  # an empty answer would make a weak comparison
    if backend == "virtuoso" and name in DIFFERS_ON_VIRTUOSO:
        # Known and not yet removed (see DIFFERS_ON_VIRTUOSO): held here so that a query that comes to agree is
        # taken off the list.
        assert rows(run(store, query, example(query))) != expected
        return
    assert rows(run(store, query, example(query))) == expected


def test_the_comparison_covers_the_whole_catalogue() -> None:
    files = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "queries").glob("*.rq"))
    assert sorted(QUERIES) == files
