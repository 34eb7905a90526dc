"""Flow analytics over the knowledge graph: one value stream, a portfolio of them, and impact of a change.

``source`` is anything with pyoxigraph's ``query`` method (a ``pyoxigraph.Store`` or a ``vskg.store.LocalStore``);
every query runs over the union of its named graphs. The results are the dataclasses of
``vskg.analytics.model``; ``to_json`` turns any of them into the API's JSON.
"""

from __future__ import annotations

from vskg.analytics.facts import (
    CapabilityNotFound,
    Facts,
    NotFound,
    PortfolioNotFound,
    Source,
    StreamNotFound,
    SystemNotFound,
    all_streams,
    read_stream_facts,
    stream_exists,
)
from vskg.analytics.impact import capability_impact, system_impact
from vskg.analytics.model import Impact, PortfolioAnalysis, Ref, StreamAnalysis, to_json
from vskg.analytics.portfolio import analyse_portfolio, shared_systems
from vskg.analytics.stream import build_stream

__all__ = [
    "CapabilityNotFound",
    "Impact",
    "NotFound",
    "PortfolioAnalysis",
    "PortfolioNotFound",
    "Ref",
    "StreamAnalysis",
    "StreamNotFound",
    "SystemNotFound",
    "analyse_portfolio",
    "analyse_stream",
    "capability_impact",
    "list_streams",
    "shared_systems",
    "system_impact",
    "to_json",
]


def list_streams(source: Source) -> tuple[Ref, ...]:
    """Every value stream of the graph that has stages, sorted by label."""
    facts = Facts()
    streams = all_streams(source)
    facts.read_labels(source, streams)
    return tuple(facts.ref(s) for s in sorted(streams, key=facts.sort_key))


def analyse_stream(source: Source, stream_iri: str) -> StreamAnalysis:
    """The flow figures of one value stream; StreamNotFound if the IRI is not a value stream."""
    if not stream_exists(source, stream_iri):
        raise StreamNotFound(f"<{stream_iri}> is not a value stream in the graph")
    return build_stream(read_stream_facts(source, [stream_iri]), stream_iri)
