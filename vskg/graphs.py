"""Building a pyoxigraph store from RDF files, one named graph per source file.

Keeping each source in its own graph means a source can later be replaced without touching the others, and a
query can still see everything through the union default graph.

Graph IRIs: ``https://w3id.org/vskg/graph/<kind>/<file stem>`` for bundled files (kind is ontology, schemes,
shapes or data) and ``file:`` IRIs for an architect's own files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph

from vskg.rdfio import parse_file
from vskg.resources import Bundle, locate

GRAPH_BASE = "https://w3id.org/vskg/graph/"
# The service's standing SHACL report of its store (`vskg.service.validation`): never part of the data validated.
REPORT_GRAPH = f"{GRAPH_BASE}validation/"


def bundled_graph_iri(kind: str, path: Path) -> str:
    return f"{GRAPH_BASE}{kind}/{path.stem}"


def load_file(store: pyoxigraph.Store, path: Path, graph: str) -> None:
    """Load one file into its named graph through the guarded parser, or raise InputError (line and reason)."""
    store.extend(parse_file(path, graph))


def bundled_sources(bundle: Bundle, *, with_data: bool = True, with_shapes: bool = False) -> list[tuple[Path, str]]:
    """Every bundled file with its graph IRI: the one list both the store and the in-memory graph load from."""
    sources = [(p, bundled_graph_iri("ontology", p)) for p in bundle.ontologies]
    sources += [(p, bundled_graph_iri("schemes", p)) for p in bundle.schemes]
    if with_shapes:
        sources += [(p, bundled_graph_iri("shapes", p)) for p in bundle.shapes]
    if with_data:
        sources += [(p, bundled_graph_iri("data", p)) for p in bundle.data]
    return sources


def memory_store(extra: Iterable[Path] = (), *, with_bundled_data: bool = True) -> pyoxigraph.Store:
    """An in-memory store with the vocabulary, the bundled examples (unless told not to) and extra files."""
    store = pyoxigraph.Store()
    for path, graph in bundled_sources(locate(), with_data=with_bundled_data):
        load_file(store, path, graph)
    for path in extra:
        load_file(store, Path(path), Path(path).resolve().as_uri())
    return store
