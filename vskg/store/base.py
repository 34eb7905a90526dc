"""What every store backend offers the rest of vskg, whatever holds the data.

Routes, pages, analytics, validation, importers, exporters and commands talk to a `Backend`, never to pyoxigraph
or HTTP directly, so the embedded store (pyoxigraph on a local folder) and a SPARQL server reached over the
protocols are interchangeable. Query answers come back as pyoxigraph result objects in both cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

from pyoxigraph import Quad, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat

QueryResult = QuerySolutions | QueryBoolean | QueryTriples


class BackendError(RuntimeError):
    """The backend could not do what was asked (unreachable, refused, or answered something unreadable)."""


class QueryTimeout(BackendError):
    """A query ran past its deadline and was given up."""


@dataclass
class GraphStats:
    graph: str
    triples: int


@dataclass
class StoreStats:
    graphs: list[GraphStats] = field(default_factory=list)
    classes: list[tuple[str, int]] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)


class Backend(Protocol):
    """One store, as the service and the command line see it."""

    # reading
    def query(self, text: str, *, timeout: float | None = None, **options) -> QueryResult: ...
    def graphs(self) -> list[str]: ...
    def has_graph(self, graph: str | None) -> bool: ...
    def quads(self, graph: str | None) -> Iterator[Quad]: ...
    def serialize_graph(self, graph: str | None, fmt: RdfFormat) -> bytes: ...
    def dump(self, output: IO[bytes] | Path, fmt: RdfFormat = RdfFormat.N_QUADS) -> None: ...
    def stats(self) -> StoreStats: ...

    # writing
    def update(self, text: str, base_iri: str | None = None) -> None: ...
    def replace_graph(self, graph: str | None, quads: Iterable[Quad]) -> None: ...
    def add_to_graph(self, graph: str | None, quads: Iterable[Quad]) -> None: ...
    def drop_graph(self, graph: str | None) -> None: ...
    def load_file(self, path: Path, graph: str | None = None, progress=None) -> tuple[str, int]: ...
    def close(self) -> None: ...
