"""The standing report on every backend: its graph is written through the store interface and read back by SPARQL,
and the data view the checker validates leaves it out (the embedded store and real SPARQL servers alike)."""

from __future__ import annotations

import time

import pyoxigraph
from pyoxigraph import NamedNode, Quad

from vskg.graphs import REPORT_GRAPH
from vskg.service.validation import StandingValidation
from vskg.store.base import Backend
from vskg.validation.findings import Finding
from vskg.validation.view import view_options

SH = "http://www.w3.org/ns/shacl#"
DATA = "urn:vskg:test:data"
FOCUS = "https://example.org/broken-stage"


class OneFinding:
    def full(self, store: Backend) -> list[Finding]:
        return [Finding("Violation", FOCUS, "urn:test:shape", "broken")]

    def after(self, store: Backend, change, previous: list[Finding]) -> list[Finding]:
        return previous


def test_the_report_graph_is_written_and_queried_through_the_backend(backend: Backend) -> None:
    node = NamedNode(DATA)
    backend.add_to_graph(DATA, [Quad(NamedNode("urn:a"), NamedNode("urn:b"), NamedNode("urn:c"), node)])
    standing = StandingValidation(backend, OneFinding())
    standing.start()
    try:
        deadline = time.monotonic() + 60
        while standing.standing().state != "current":
            assert time.monotonic() < deadline, standing.standing()
            time.sleep(0.05)
    finally:
        standing.close()
    rows = backend.query(
        f"SELECT ?f WHERE {{ GRAPH <{REPORT_GRAPH}> {{ ?r <{SH}focusNode> ?f ; "
        f"<{SH}resultSeverity> <{SH}Violation> }} }}"
    )
    assert [row["f"] for row in rows] == [NamedNode(FOCUS)]
    # The checker's data view: the data graph only, never the report graph.
    view = backend.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", **view_options(backend))
    assert list(view) == [pyoxigraph.Triple(NamedNode("urn:a"), NamedNode("urn:b"), NamedNode("urn:c"))]
