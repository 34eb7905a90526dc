"""The data view: which of the store's graphs validation reads, defined once for every engine and every write.

SHACL checks a model together with the vocabulary it uses (`sh:class` follows the data's own `rdfs:subClassOf`), so
the bundled ontology and scheme graphs are part of the view. Left out are the shapes themselves, the graph the
standing report is kept in (a report must never validate itself) and the store's staging graphs (half-written
loads). The view is read as one union default graph.
"""

from __future__ import annotations

from pyoxigraph import DefaultGraph, NamedNode

from vskg.graphs import GRAPH_BASE, REPORT_GRAPH
from vskg.store import STAGING_PREFIX, Backend

SHAPES_GRAPH = f"{GRAPH_BASE}shapes/"
LEFT_OUT = (SHAPES_GRAPH, REPORT_GRAPH, STAGING_PREFIX)


def in_data_view(graph: str | None) -> bool:
    """Whether a graph (None: the default graph) is part of the data view."""
    return graph is None or not graph.startswith(LEFT_OUT)


def view_graphs(store: Backend) -> list[str]:
    """The named graphs of the data view, in the store's order."""
    return [g for g in store.graphs() if in_data_view(g)]


def view_options(store: Backend, graphs: list[str] | None = None) -> dict:
    """Query options that make the data view (or the given graphs of it) the query's default graph."""
    if graphs is None:
        names = store.graphs()
        if all(in_data_view(g) for g in names):
            return {"use_default_graph_as_union": True}
        graphs = [g for g in names if in_data_view(g)]
    return {"default_graph": [DefaultGraph(), *(NamedNode(g) for g in graphs)]}
