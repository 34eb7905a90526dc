"""A store object with the read side of the Backend interface and nothing more, for tests that prove code needs no
more than that (no `.db`, no pattern look-ups, no query options a SPARQL server lacks); it counts the queries made.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph

from vskg.store import LocalStore

OPTIONS = {"use_default_graph_as_union", "default_graph", "named_graphs", "base_iri"}


class InterfaceOnly:
    """The read side of the Backend interface and nothing more; every query is recorded.

    A query may use only the dataset options a SPARQL server understands (no ``substitutions``).
    """

    __slots__ = ("_store", "queries")

    def __init__(self, store: LocalStore) -> None:
        self._store = store
        self.queries: list[str] = []

    def query(self, text: str, *, timeout: float | None = None, **options):
        unknown = set(options) - OPTIONS
        if unknown:
            raise TypeError(f"a query option a SPARQL server does not have: {sorted(unknown)}")
        self.queries.append(text)
        return self._store.query(text, timeout=timeout, **options)

    def graphs(self) -> list[str]:
        return self._store.graphs()

    def has_graph(self, graph: str | None) -> bool:
        return self._store.has_graph(graph)

    def quads(self, graph: str | None) -> Iterator[pyoxigraph.Quad]:
        return iter(list(self._store.quads(graph)))

    def asked(self) -> int:
        """How many queries were made since the last call."""
        count, self.queries = len(self.queries), []
        return count
