"""The class groups of vskg.vocab follow the ontology, so code that sorts resources by them misses none."""

from __future__ import annotations

import pyoxigraph

from vskg.vocab import STREAM_CLASSES, VSKG


def test_stream_classes_are_value_stream_and_its_subclasses(store: pyoxigraph.Store) -> None:
    rows = store.query(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        f"SELECT DISTINCT ?c WHERE {{ ?c rdfs:subClassOf* <{VSKG}ValueStream> FILTER(isIRI(?c)) }}",
        use_default_graph_as_union=True,
    )
    assert {row["c"].value for row in rows} == STREAM_CLASSES
