"""Loading the bundled ontology, schemes, shapes and examples into any store, one named graph per file."""

from __future__ import annotations

from collections.abc import Callable

from vskg.graphs import bundled_sources
from vskg.resources import locate
from vskg.store.base import Backend


def init_bundled(store: Backend, progress: Callable[[str], None] | None = None) -> list[tuple[str, int]]:
    """Replace each bundled graph with its file; returns (graph IRI, triples) per file."""
    loaded = []
    for path, graph in bundled_sources(locate(), with_shapes=True):
        if progress:
            progress(path.name)
        loaded.append(store.load_file(path, graph))
    return loaded
