"""Value stream maps over HTTP: /streams/{key}/map.svg for one stream, /portfolio/map.svg for the MCA matrix.

The maps are drawn in the service (vskg.maps), so any client, a browser, a wiki page or a slide, can embed the
URL. This router is included before the HTML pages, whose /streams/{key} route would otherwise take the map's
path as part of a stream key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Query, Request, Response

from vskg import analytics
from vskg.keys import data_iri
from vskg.maps import render_portfolio_map, render_stream_map
from vskg.service import errors
from vskg.service.deps import analysed, portfolio_analysis, remembered_analysis

router = APIRouter(tags=["maps"])

SVG = "image/svg+xml"
# An SVG opened on its own is a document: forbid everything it does not need, even though the maps hold no script.
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


def _svg_response(description: str, missing: str) -> dict:
    return {
        200: {"description": description, "content": {SVG: {"schema": {"type": "string"}}}},
        **errors.responses(404, 500, _404=missing),
    }


async def _draw(request: Request, draw: Callable[[Any], str]) -> Response:
    """Analyse and draw on the service's store; an unknown stream or portfolio is a 404."""
    return Response(await analysed(request, draw), media_type=SVG, headers=HEADERS)


@router.get(
    "/streams/{key:path}/map.svg",
    summary="Value stream map of one stream, as SVG",
    description="The stream's stages as chevrons in order between its trigger and its outcome, the wait and "
    "%C&A of each handoff, the enabling capabilities and supporting systems under each stage, the bottlenecks "
    "marked, and a summary with lead time, process time, activity ratio, rolled %C&A and coverage. The key is "
    "the stream's path below https://w3id.org/vskg/data/ (for example `banking/mortgage-lending`) or its whole "
    "IRI, percent-encoded.",
    response_class=Response,
    responses=_svg_response("A standalone SVG 1.1 document.", "No value stream has this key."),
)
async def stream_map(request: Request, key: str) -> Response:
    iri = data_iri(key)
    return await _draw(request, lambda store: render_stream_map(analytics.analyse_stream(store, iri)))


@router.get(
    "/portfolio/map.svg",
    summary="Portfolio view: value streams by MCA dimension, as SVG",
    description="A matrix with one row per value stream, grouped by organisation, and one column per MCA "
    "dimension; a filled mark where the stream is aligned to the dimension, with row and column totals.",
    response_class=Response,
    responses=_svg_response(
        "A standalone SVG 1.1 document.", "The portfolio named is not a vskg:ValueStreamPortfolio."
    ),
)
async def portfolio_map(
    request: Request,
    portfolio: str | None = Query(
        None, description="The portfolio, as IRI or key (e.g. `platform/portfolio`); every stream when left out."
    ),
) -> Response:
    iri = data_iri(portfolio) if portfolio else None
    return await _draw(
        request,
        lambda store: remembered_analysis(
            request, ("portfolio.svg", iri), lambda: render_portfolio_map(portfolio_analysis(request, store, iri))
        ),
    )
