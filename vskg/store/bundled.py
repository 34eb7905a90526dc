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


def ensure_vocabulary(store: Backend) -> list[str]:
    """Add the bundled ontology and scheme graphs that ``store`` lacks; returns the graph IRIs added.

    An import into an empty store (no `vskg init`) needs them for the pages: class labels, the MCA dimensions of
    the portfolio matrix, the maturity levels. Graphs already there are left alone (the user may have changed
    them); the examples and shapes are not added, since they are not the user's data or needed to show it.
    """
    added = []
    for path, graph in bundled_sources(locate(), with_data=False):
        if not store.has_graph(graph):
            store.load_file(path, graph)
            added.append(graph)
    return added
