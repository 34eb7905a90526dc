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

from vskg.analytics.facts import (
    MCA_SCHEME,
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


def analyse_portfolio(source: Source, portfolio_iri: str | None = None) -> PortfolioAnalysis:
    """Analyse the streams of a vskg:ValueStreamPortfolio, or every stream of the graph when none is named."""
    streams = all_streams(source) if portfolio_iri is None else _portfolio_streams(source, portfolio_iri)
    facts = read_stream_facts(source, streams)
    analyses = sorted((build_stream(facts, s) for s in streams), key=_portfolio_order)
    dimensions = _dimensions(source, facts, streams)
    matrix = tuple(tuple(any(a.dimension.iri == d.iri for a in s.alignment) for d in dimensions) for s in analyses)
    return PortfolioAnalysis(
        streams=tuple(analyses),
        dimensions=dimensions,
        matrix=matrix,
        shared_capabilities=_shared(analyses, lambda s: {c for stage in s.stages for c in stage.capabilities}),
        shared_platforms=_shared_platforms(source, facts, analyses),
        maturity=_maturity(source, facts, analyses),
    )


def shared_systems(portfolio: PortfolioAnalysis) -> tuple[SharedUse, ...]:
    """The systems that support stages of two or more of the portfolio's streams (directly or via a capability)."""
    return _shared(list(portfolio.streams), lambda s: {system for stage in s.stages for system in stage.systems})


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


def _shared(analyses: list[StreamAnalysis], used: Callable[[StreamAnalysis], set[Ref]]) -> tuple[SharedUse, ...]:
    """The resources ``used(stream)`` returns for two or more streams; most shared first, then by label."""
    users: dict[Ref, list[Ref]] = defaultdict(list)
    for stream in analyses:
        for resource in used(stream):
            users[resource].append(stream.stream)
    shared = [SharedUse(r, tuple(s)) for r, s in users.items() if len(s) >= 2]
    shared.sort(key=lambda u: (-len(u.streams), u.subject.label.casefold(), u.subject.iri))
    return tuple(shared)


def _shared_platforms(source: Source, facts: Facts, analyses: list[StreamAnalysis]) -> tuple[SharedUse, ...]:
    systems = {system.iri for s in analyses for stage in s.stages for system in stage.systems}
    rows = select(
        source,
        f"""SELECT DISTINCT ?system ?platform WHERE {{
          VALUES ?system {{ {values(systems)} }}
          {{ ?system vskg:runsOn ?platform }}
          UNION {{ ?system a/rdfs:subClassOf* vskg:TechnologyPlatform . BIND(?system AS ?platform) }}
        }}""",
    )
    runs_on: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        runs_on[row["system"].value].add(row["platform"].value)
    facts.read_labels(source, {p for found in runs_on.values() for p in found})

    def platforms(stream: StreamAnalysis) -> set[Ref]:
        used = {p for stage in stream.stages for system in stage.systems for p in runs_on.get(system.iri, ())}
        return {facts.ref(p) for p in used}

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


def _maturity(source: Source, facts: Facts, analyses: list[StreamAnalysis]) -> tuple[MaturityCell, ...]:
    """One cell per assessed capability that enables (itself or through a sub-capability) a stage of a stream.

    With several assessments of one capability, the latest (vskg:assessedOn) counts.
    """
    if not analyses:
        return ()
    # The (stream, capability) pairs are worked out here from the facts already read, following
    # vskg:subCapabilityOf upwards (zero or more steps); asking Oxigraph for the path per stream costs seconds.
    parents: dict[str, set[str]] = defaultdict(set)
    for child, parent in rows(source, "SELECT ?c ?p WHERE { ?c vskg:subCapabilityOf ?p FILTER(!isLiteral(?p)) }"):
        parents[node_id(child)].add(node_id(parent))
    assessed: dict[str, list[tuple]] = defaultdict(list)
    for capability, *found in rows(
        source,
        """SELECT ?capability ?assessment ?current ?target ?assessedOn WHERE {
          ?capability vskg:hasAssessment ?assessment .
          OPTIONAL { ?assessment vskg:currentLevel/skos:notation ?current }
          OPTIONAL { ?assessment vskg:targetLevel/skos:notation ?target }
          OPTIONAL { ?assessment vskg:assessedOn ?assessedOn }
        }""",
    ):
        assessed[node_id(capability)].append(tuple(found))
    above: dict[str, set[str]] = {}
    rows_ = []
    for analysis in analyses:
        reached: set[str] = set()
        for stage in facts.refs(analysis.stream.iri, "vskg:hasStage"):
            for capability in facts.refs(stage, "vskg:enabledBy"):
                reached |= _ancestors(capability, parents, above)
        for capability in reached:
            for assessment, current, target, assessed_on in assessed.get(capability, ()):
                rows_.append((analysis.stream.iri, capability, assessment, current, target, assessed_on))
    streams: dict[str, set[str]] = defaultdict(set)
    latest: dict[str, tuple] = {}
    # With several level notations on one assessment, the lowest reading counts, so the answer is repeatable.
    for stream, capability, assessment, current, target, dated in sorted(rows_, key=_reading_key):
        streams[capability].add(stream)
        current, target = (None if t is None else level_number(t.value) for t in (current, target))
        candidate = (dated.value if dated is not None else "", assessment.value, current, target)
        if capability not in latest or candidate[:2] > latest[capability][:2]:
            latest[capability] = candidate
    facts.read_labels(source, latest)
    position = {s.stream.iri: i for i, s in enumerate(analyses)}
    refs = {s.stream.iri: s.stream for s in analyses}
    cells = [
        MaturityCell(
            capability=facts.ref(capability),
            current=current,
            target=target,
            streams=tuple(refs[s] for s in sorted(streams[capability], key=position.__getitem__)),
        )
        for capability, (_, _, current, target) in latest.items()
    ]
    cells.sort(key=lambda c: (c.gap is None, -(c.gap or 0), c.capability.label.casefold(), c.capability.iri))
    return tuple(cells)


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
