"""The portfolio view: every stream's figures side by side, MCA alignment, shared dependencies, maturity heat map.

Streams are read together (see vskg.analytics.facts), so a portfolio costs a fixed number of queries. Sharing is
where streams compete for the same change capacity or fail together:

- a capability is shared when it enables (vskg:enabledBy) stages of two or more streams;
- a technology platform is shared when systems supporting stages of two or more streams run on it
  (vskg:runsOn), counting the same systems as a stage's ``systems`` (supporting the stage, or one of its
  enabling capabilities); a platform that itself supports a stage counts too;
- ``shared_systems`` (in the API's JSON, not a field of PortfolioAnalysis) lists the systems themselves that
  support stages of two or more streams, by the same rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, ClassVar

from vskg.analytics.facts import (
    MCA_SCHEME,
    RDF_TYPE,
    SKOS_NOTATION,
    STREAM_KINDS,
    Facts,
    PortfolioNotFound,
    Source,
    all_streams,
    ask,
    iri_term,
    level_number,
    node_id,
    notation_key,
    read_stream_facts,
    rows,
    select,
    values,
)
from vskg.analytics.model import MaturityCell, PortfolioAnalysis, Ref, SharedUse, StreamAnalysis
from vskg.analytics.stream import build_stream
from vskg.vocab import VSKG

RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


def analyse_portfolio(source: Source, portfolio_iri: str | None = None) -> PortfolioAnalysis:
    """Analyse the streams of a vskg:ValueStreamPortfolio, or every stream of the graph when none is named."""
    streams = all_streams(source) if portfolio_iri is None else _portfolio_streams(source, portfolio_iri)
    facts = read_stream_facts(source, streams)
    return combine(source, facts, [build_stream(facts, s) for s in streams], Tables(source))


class Tables:
    """The graph-wide lookups of the portfolio beyond the stream facts, each read with one query when first asked.

    ``READS`` names the properties each one reads, so that a holder of the tables (vskg.analytics.live) can keep
    the ones a write did not touch.
    """

    READS: ClassVar[dict[str, set[str]]] = {
        "streams": {RDF_TYPE, RDFS_SUBCLASS, VSKG + "hasStage", VSKG + "stageOf"},  # either direction
        "platforms": {RDF_TYPE, RDFS_SUBCLASS, VSKG + "runsOn"},
        "parents": {VSKG + "subCapabilityOf"},
        "assessed": {VSKG + p for p in ("hasAssessment", "currentLevel", "targetLevel", "assessedOn")}
        | {SKOS_NOTATION},
    }

    def __init__(self, source: Source) -> None:
        self.source = source
        self.known: dict[str, Any] = {}

    def forget(self, properties: set[str] | None) -> None:
        """Drop the tables that read any of ``properties`` (full IRIs); None drops all of them."""
        for name, reads in self.READS.items():
            if properties is None or reads & properties:
                self.known.pop(name, None)

    def get(self, name: str) -> Any:
        if name not in self.known:
            self.known[name] = getattr(self, "read_" + name)()
        return self.known[name]

    def read_streams(self) -> list[str]:
        return all_streams(self.source)

    def read_platforms(self) -> dict[str, set[str]]:
        """What each system (an IRI) runs on, a technology platform standing for itself."""
        runs_on: dict[str, set[str]] = defaultdict(set)
        for system, platform in rows(
            self.source,
            """SELECT DISTINCT ?system ?platform WHERE {
              { ?system vskg:runsOn ?platform }
              UNION { ?system a/rdfs:subClassOf* vskg:TechnologyPlatform . BIND(?system AS ?platform) }
              FILTER(isIRI(?system))
            }""",
        ):
            runs_on[system.value].add(platform.value)
        return runs_on

    def read_parents(self) -> dict[str, set[str]]:
        parents: dict[str, set[str]] = defaultdict(set)
        for child, parent in rows(
            self.source, "SELECT ?c ?p WHERE { ?c vskg:subCapabilityOf ?p FILTER(!isLiteral(?p)) }"
        ):
            parents[node_id(child)].add(node_id(parent))
        return parents

    def read_assessed(self) -> dict[str, list[tuple]]:
        assessed: dict[str, list[tuple]] = defaultdict(list)
        for capability, *found in rows(
            self.source,
            """SELECT ?capability ?assessment ?current ?target ?assessedOn WHERE {
              ?capability vskg:hasAssessment ?assessment .
              OPTIONAL { ?assessment vskg:currentLevel/skos:notation ?current }
              OPTIONAL { ?assessment vskg:targetLevel/skos:notation ?target }
              OPTIONAL { ?assessment vskg:assessedOn ?assessedOn }
            }""",
        ):
            assessed[node_id(capability)].append(tuple(found))
        return assessed


def combine(source: Source, facts: Facts, analyses: list[StreamAnalysis], tables: Tables) -> PortfolioAnalysis:
    """The portfolio of the streams analysed in ``analyses`` (any order), whose facts are in ``facts``."""
    analyses = sorted(analyses, key=_portfolio_order)
    dimensions = _dimensions(source, facts, [a.stream.iri for a in analyses])
    matrix = tuple(_aligned_row(s, dimensions) for s in analyses)
    return PortfolioAnalysis(
        streams=tuple(analyses),
        dimensions=dimensions,
        matrix=matrix,
        shared_capabilities=_shared(analyses, lambda s: [c for stage in s.stages for c in stage.capabilities]),
        shared_platforms=_shared_platforms(source, facts, analyses, tables.get("platforms")),
        maturity=_maturity(source, facts, analyses, tables),
    )


def _aligned_row(stream: StreamAnalysis, dimensions: tuple[Ref, ...]) -> tuple[bool, ...]:
    aligned = {a.dimension.iri for a in stream.alignment}
    return tuple(d.iri in aligned for d in dimensions)


def shared_systems(portfolio: PortfolioAnalysis) -> tuple[SharedUse, ...]:
    """The systems that support stages of two or more of the portfolio's streams (directly or via a capability)."""
    return _shared(list(portfolio.streams), lambda s: [system for stage in s.stages for system in stage.systems])


def _portfolio_streams(source: Source, portfolio: str) -> list[str]:
    term = iri_term(portfolio, PortfolioNotFound)
    if not ask(source, f"ASK {{ {term} a/rdfs:subClassOf* vskg:ValueStreamPortfolio }}"):
        raise PortfolioNotFound(f"<{portfolio}> is not a value stream portfolio (vskg:ValueStreamPortfolio)")
    rows = select(
        source,
        f"""SELECT DISTINCT ?stream WHERE {{
          {{ {term} vskg:includesStream ?stream }} UNION {{ ?stream vskg:inPortfolio {term} }}
          VALUES ?kind {{ {STREAM_KINDS} }} ?stream a/rdfs:subClassOf* ?kind . FILTER(isIRI(?stream))
        }}""",
    )
    return [row["stream"].value for row in rows]


def _portfolio_order(stream: StreamAnalysis) -> tuple:
    organisation = stream.organisation
    return (
        organisation is None,
        organisation.label.casefold() if organisation else "",
        stream.stream.label.casefold(),
        stream.stream.iri,
    )


def _shared(analyses: list[StreamAnalysis], used: Callable[[StreamAnalysis], list[Ref]]) -> tuple[SharedUse, ...]:
    """The resources ``used(stream)`` returns for two or more streams; most shared first, then by label.

    Keyed by IRI (one facts index gives one label per IRI): hashing the Ref dataclasses costs more at scale.
    """
    users: dict[str, tuple[Ref, list[Ref]]] = {}
    for stream in analyses:
        for iri, resource in {r.iri: r for r in used(stream)}.items():
            found = users.get(iri)
            if found is None:
                users[iri] = (resource, [stream.stream])
            else:
                found[1].append(stream.stream)
    shared = [SharedUse(r, tuple(s)) for r, s in users.values() if len(s) >= 2]
    shared.sort(key=lambda u: (-len(u.streams), u.subject.label.casefold(), u.subject.iri))
    return tuple(shared)


def _shared_platforms(
    source: Source, facts: Facts, analyses: list[StreamAnalysis], runs_on: dict[str, set[str]]
) -> tuple[SharedUse, ...]:
    systems = {system.iri for s in analyses for stage in s.stages for system in stage.systems}
    facts.read_labels(source, {p for system in systems for p in runs_on.get(system, ())})

    def platforms(stream: StreamAnalysis) -> list[Ref]:
        used = {p for stage in stream.stages for system in stage.systems for p in runs_on.get(system.iri, ())}
        return [facts.ref(p) for p in used]

    return _shared(analyses, platforms)


def _dimensions(source: Source, facts: Facts, streams: list[str]) -> tuple[Ref, ...]:
    """The MCA dimensions in the scheme's order (skos:notation), and any other dimension a stream is aligned to."""
    # The dimensions the streams are aligned to are in the facts already (read for every stream).
    aligned = {
        d
        for s in streams
        for a in facts.refs(s, "vskg:hasMCAAlignment")
        for d in facts.refs(a, "vskg:alignedDimension")
    }
    rows = select(
        source,
        f"""SELECT DISTINCT ?dimension ?notation WHERE {{
          {{ ?dimension a vskg:MCADimension }} UNION {{ ?dimension skos:inScheme <{MCA_SCHEME}> }}
          UNION {{ VALUES ?dimension {{ {values(aligned)} }} }}
          FILTER(isIRI(?dimension))
          OPTIONAL {{ ?dimension skos:notation ?notation }}
        }}""",
    )
    notations: dict[str, str | None] = {}
    for row in rows:
        iri, notation = row["dimension"].value, row.get("notation")
        if notation is not None and (notations.get(iri) is None or notation.value < notations[iri]):
            notations[iri] = notation.value
        else:
            notations.setdefault(iri, None)
    facts.read_labels(source, notations)
    ordered = sorted(notations, key=lambda d: (notation_key(notations[d]), facts.sort_key(d)))
    return tuple(facts.ref(d) for d in ordered)


def _maturity(source: Source, facts: Facts, analyses: list[StreamAnalysis], tables: Tables) -> tuple[MaturityCell, ...]:
    """One cell per assessed capability that enables (itself or through a sub-capability) a stage of a stream.

    With several assessments of one capability, the latest (vskg:assessedOn) counts; with several level notations
    on that assessment, the lowest reading (compared as the terms' text), so the answer is repeatable.
    """
    if not analyses:
        return ()
    # The (stream, capability) pairs are worked out here from the facts already read, following
    # vskg:subCapabilityOf upwards (zero or more steps); asking Oxigraph for the path per stream costs seconds.
    parents, assessed = tables.get("parents"), tables.get("assessed")
    above: dict[str, set[str]] = {}
    users: dict[str, list[Ref]] = defaultdict(list)
    for analysis in analyses:
        reached: set[str] = set()
        for stage in facts.objects(analysis.stream.iri, "vskg:hasStage"):
            for capability in facts.objects(stage, "vskg:enabledBy"):
                reached |= _ancestors(capability, parents, above)
        for capability in reached:
            if capability in assessed:
                users[capability].append(analysis.stream)
    latest: dict[str, tuple[int | None, int | None]] = {}
    for capability in users:
        newest = max((_dated(row), row[0].value) for row in assessed[capability])
        candidates = [row for row in assessed[capability] if (_dated(row), row[0].value) == newest]
        _, current, target, _ = min(candidates, key=lambda row: _reading_key(row[1:]))
        latest[capability] = tuple(None if t is None else level_number(t.value) for t in (current, target))
    facts.read_labels(source, latest)
    cells = [
        MaturityCell(capability=facts.ref(capability), current=current, target=target, streams=tuple(users[capability]))
        for capability, (current, target) in latest.items()
    ]
    cells.sort(key=lambda c: (c.gap is None, -(c.gap or 0), c.capability.label.casefold(), c.capability.iri))
    return tuple(cells)


def _dated(row: tuple) -> str:
    return row[3].value if row[3] is not None else ""


def _ancestors(capability: str, parents: dict[str, set[str]], memo: dict[str, set[str]]) -> set[str]:
    """The capability and every capability above it (vskg:subCapabilityOf*), cycles included only once."""
    if capability in memo:
        return memo[capability]
    found, todo = {capability}, [capability]
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if parent not in found:
                found.add(parent)
                todo.append(parent)
    memo[capability] = found
    return found


def _reading_key(row: tuple) -> tuple:
    return tuple("" if term is None else str(term) for term in row)
