"""The web pages: the portfolio overview at /, and one page per value stream, capability and system.

Pages read the store through the analytics (vskg.analytics), so every number on them is the one the API and the
CLI report, and show how it was computed. Browsers get HTML; a client that prefers JSON at / still gets the
service's index of endpoints, and a JSON client asking for an unknown page gets the JSON error every other route
returns. The stream, capability and system pages show their findings from the store's standing SHACL report
(vskg.web.conformance), at once; the maps are vskg.maps' SVG, inlined so the page needs no script.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from pyoxigraph import NamedNode
from starlette.concurrency import run_in_threadpool

from vskg import __version__, analytics
from vskg.analytics.model import Figure, Impact, PortfolioAnalysis, Ref, StreamAnalysis
from vskg.keys import DATA, data_iri
from vskg.maps import render_portfolio_map, render_stream_map
from vskg.maps.capability_tree import organisations_of
from vskg.service.deps import portfolio_analysis, reading, remembered
from vskg.service.validation import standing_of
from vskg.store import Backend
from vskg.web import conformance, describe, details
from vskg.web.html_errors import not_found, wants_html
from vskg.web.templating import page, templates

router = APIRouter(include_in_schema=False)

INDEX = {
    "name": "vskg",
    "version": __version__,
    "endpoints": {
        "sparql": "/sparql",
        "update": "/update",
        "graph store": "/store",
        "catalogue": "/queries",
        "validate": "/validate",
        "docs": "/docs",
        "analytics": "/api/streams",
        "maps": "/portfolio/map.svg",
        "ontology": "/ontology",
        "linked data": "/id/{path}",
        "workbench": "/",
    },
}
_VIA_IRI = re.compile(r"<([^<>\s]+)>")


# --- overview ----------------------------------------------------------------------------------------------------


def _label_key(ref: Ref | None) -> tuple:
    return (ref is None, ref.label.lower() if ref else "")


Group = tuple[Ref | None, list[tuple[Ref | None, list[StreamAnalysis]]]]


def grouped(streams: Iterable[StreamAnalysis]) -> list[Group]:
    """Streams by industry, then by organisation, each level sorted by label (unknowns last)."""
    industries: dict[Ref | None, dict[Ref | None, list[StreamAnalysis]]] = {}
    for stream in streams:
        industries.setdefault(stream.industry, {}).setdefault(stream.organisation, []).append(stream)
    return [
        (
            industry,
            [
                (organisation, sorted(members, key=lambda s: s.stream.label.lower()))
                for organisation, members in sorted(organisations.items(), key=lambda item: _label_key(item[0]))
            ],
        )
        for industry, organisations in sorted(industries.items(), key=lambda item: _label_key(item[0]))
    ]


def _overview_context(portfolio: PortfolioAnalysis) -> dict:
    streams = portfolio.streams
    organisations = {s.organisation for s in streams if s.organisation is not None}
    industries = {s.industry for s in streams if s.industry is not None}
    return {
        "nav": "overview",
        "portfolio": portfolio,
        "groups": grouped(streams),
        "organisation_count": len(organisations),
        "industry_count": len(industries),
        "stage_count": sum(len(s.stages) for s in streams),
        "portfolio_map": render_portfolio_map(portfolio, standalone=False),
    }


@router.get("/")
async def overview(request: Request) -> Response:
    if not wants_html(request):
        return JSONResponse(INDEX, headers={"Vary": "Accept"})

    def html(store: Backend) -> str:
        context = _overview_context(portfolio_analysis(request, store))
        return templates.get_template("overview.html").render({"request": request, **context})

    async with reading(request) as store:
        # The page of a large portfolio takes longer to render than to analyse; keep it until the next write.
        body = await run_in_threadpool(remembered, request, ("overview.html",), partial(html, store))
    return HTMLResponse(body, headers={"Vary": "Accept"})


# --- stream ------------------------------------------------------------------------------------------------------


def figure_cards(analysis: StreamAnalysis) -> list[dict]:
    """The key figures in the order a reader scans them: display text, a line of context, and the Figure."""
    ratio = analysis.activity_ratio.value
    coverage = analysis.coverage
    stages = len(coverage.covered) + len(coverage.uncovered)
    return [
        {
            "id": "lead-time",
            "label": "Lead time",
            "text": _hours(analysis.lead_time.value),
            "sub": _days(analysis.lead_time.value) + ", trigger to outcome",
            "figure": analysis.lead_time,
        },
        {
            "id": "process-time",
            "label": "Process time",
            "text": _hours(analysis.process_time.value),
            "sub": _days(analysis.process_time.value) + " of work",
            "figure": analysis.process_time,
        },
        {
            "id": "activity-ratio",
            "label": "Activity ratio",
            "text": "n/a" if ratio is None else f"{ratio * 100:.1f} %",
            "sub": "process time ÷ lead time",
            "figure": analysis.activity_ratio,
        },
        {
            "id": "rolled-pca",
            "label": "Rolled %C&A",
            "text": _percent(analysis.rolled_pca.value),
            "sub": "right first time, end to end",
            "figure": analysis.rolled_pca,
        },
        {
            "id": "coverage",
            "label": "System coverage",
            "text": _percent(coverage.figure.value),
            "sub": f"{len(coverage.covered)} of {stages} stages supported",
            "figure": coverage.figure,
        },
    ]


def _hours(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.1f}".rstrip("0").rstrip(".") + " h"


def _days(value: float | None) -> str:
    return "n/a" if value is None else f"{value / 24:,.1f} days"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} %"


def labels_of(analysis: StreamAnalysis) -> dict[str, str]:
    """Labels of everything the stream's figures name, so a figure's inputs read as names, not IRIs."""
    refs: list[Ref] = [analysis.stream]
    for stage in analysis.stages:
        refs += [stage.stage, *stage.capabilities, *stage.systems, *stage.units]
    for handoff in analysis.handoffs:
        refs.append(handoff.handoff)
    return {ref.iri: ref.label for ref in refs}


def page_roots(analysis: StreamAnalysis) -> dict[str, str]:
    """Which of the stream's resources have a page, and of which kind."""
    roots = {analysis.stream.iri: "streams"}
    for stage in analysis.stages:
        roots |= {ref.iri: "capabilities" for ref in stage.capabilities}
        roots |= {ref.iri: "systems" for ref in stage.systems}
    return roots


def focus_nodes(analysis: StreamAnalysis, linked: Iterable[str]) -> set[str]:
    """The resources whose validation findings belong on the stream's page."""
    nodes = set(labels_of(analysis)) | {ref.iri for ref in analysis.teams}
    nodes |= {ref.iri for ref in (analysis.organisation, analysis.trigger, analysis.outcome) if ref is not None}
    nodes |= {iri for iri in linked if iri.startswith(DATA)}
    return nodes


def linked_iris(store: Backend, iri: str) -> list[str]:
    return [t.object.value for t in describe.bounded(store, iri) if isinstance(t.object, NamedNode)]


def _inputs(figure: Figure, labels: dict[str, str]) -> list[dict]:
    return [
        {"subject": labels.get(f.subject, describe.curie(f.subject)), "property": f.property, "value": f.value}
        for f in figure.inputs
    ]


@router.get("/streams/{key:path}")
async def stream_page(request: Request, key: str) -> Response:
    if key == "map.svg" or key.endswith("/map.svg"):
        return not_found(request, "no value stream has this key; the map of a stream is at /streams/<key>/map.svg")
    iri = data_iri(key)
    async with reading(request) as store:
        try:
            analysis = await run_in_threadpool(analytics.analyse_stream, store, iri)
        except analytics.NotFound:
            return not_found(request, f"no value stream has the key {key!r} (IRI <{iri}>)")
        linked = await run_in_threadpool(linked_iris, store, iri)
    stream_map = await run_in_threadpool(render_stream_map, analysis, False)
    status = conformance.status(standing_of(request).standing(), focus_nodes(analysis, linked))
    labels = labels_of(analysis)
    cards = figure_cards(analysis)
    for card in cards:
        card["inputs"] = _inputs(card["figure"], labels)
    context = {
        "nav": "overview",
        "analysis": analysis,
        "key": key,
        "cards": cards,
        "map": stream_map,
        "status": status,
        "labels": labels,
        "roots": page_roots(analysis),
        "bottleneck_inputs": [_inputs(b.figure, labels) for b in analysis.bottlenecks],
    }
    return page(request, "stream.html", context)


# --- capability and system ---------------------------------------------------------------------------------------


def via_parts(via: str, labels: dict[str, str]) -> list[dict]:
    """A dependant's 'via' (e.g. 'vskg:runsOn <IRI>') as text and links, so the IRI reads as a name."""
    parts: list[dict] = []
    position = 0
    for match in _VIA_IRI.finditer(via):
        if match.start() > position:
            parts.append({"text": via[position : match.start()]})
        iri = match.group(1)
        parts.append({"text": labels.get(iri, describe.curie(iri)), "iri": iri})
        position = match.end()
    if position < len(via):
        parts.append({"text": via[position:]})
    return parts


def impact_context(store: Backend, impact: Impact) -> dict:
    """Dependants grouped by stream, each with its 'via' made readable, and the label of every IRI named."""
    iris = sorted({m.group(1) for row in impact.dependants for m in _VIA_IRI.finditer(row.via)})
    facts = describe.facts(store, iris)
    labels = {iri: facts[iri].label for iri in iris}
    roots = {iri: facts[iri].page_root for iri in iris}
    by_stream: dict[str, dict] = {}
    for row in impact.dependants:
        entry = by_stream.setdefault(row.stream.iri, {"stream": row.stream, "rows": []})
        entry["rows"].append({"stage": row.stage, "via": via_parts(row.via, labels)})
    return {"impact": impact, "by_stream": list(by_stream.values()), "roots": roots}


async def _impact_page(request: Request, key: str, kind: str) -> Response:
    iri = data_iri(key)
    analyse = analytics.capability_impact if kind == "capability" else analytics.system_impact
    lookup = details.capability_details if kind == "capability" else details.system_details
    async with reading(request) as store:
        try:
            impact = await run_in_threadpool(analyse, store, iri)
        except analytics.NotFound:
            return not_found(request, f"no {kind} has the key {key!r} (IRI <{iri}>)")
        facts = await run_in_threadpool(lookup, store, iri)
        context = await run_in_threadpool(impact_context, store, impact)
        if kind == "capability":  # the organisations whose capability map draws it
            context["capability_maps"] = await run_in_threadpool(organisations_of, store, iri)
    labels = {impact.subject.iri: impact.subject.label}
    labels |= {a.assessment.iri: a.assessment.label for a in getattr(facts, "assessments", ())}
    context |= {
        "nav": "overview",
        "key": key,
        "details": facts,
        "status": conformance.status(standing_of(request).standing(), labels),
        "finding_labels": labels,
        "finding_roots": {impact.subject.iri: "capabilities" if kind == "capability" else "systems"},
    }
    return page(request, f"{kind}.html", context)


@router.get("/capabilities/{key:path}")
async def capability_page(request: Request, key: str) -> Response:
    return await _impact_page(request, key, "capability")


@router.get("/systems/{key:path}")
async def system_page(request: Request, key: str) -> Response:
    return await _impact_page(request, key, "system")
