"""The flow analytics as JSON under /api: streams, a portfolio, and the impact of a capability or a system.

Resources are named by the keys of vskg.keys (``banking/mortgage-lending`` for a bundled resource, the whole
IRI, percent-encoded, for any other). Each figure carries its unit, the rule that produced it and the facts it
was computed from, as described in vskg.analytics.model.
"""

from __future__ import annotations

import zlib
from functools import partial
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from vskg import analytics
from vskg.keys import data_iri, data_key
from vskg.service import errors
from vskg.service.deps import analysed, portfolio_analysis, portfolio_gzipped

router = APIRouter(tags=["analytics"])

_FIGURE = {
    "type": "object",
    "description": "A number with its unit (hours, percent, ratio, count, maturity level), the rule that produced "
    "it and the facts (subject, property, value) it was computed from; value is null when data is missing.",
    "properties": {
        "value": {"type": "number", "nullable": True},
        "unit": {"type": "string"},
        "method": {"type": "string"},
        "inputs": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "subject": {"type": "string"},
                    "property": {"type": "string"},
                    "value": {"type": "number"},
                },
            },
        },
    },
}
_REF = {"type": "object", "properties": {"iri": {"type": "string"}, "label": {"type": "string"}}}
_HEADLINE = {
    "type": "object",
    "properties": {"value": {"type": "number", "nullable": True}, "unit": {"type": "string"}},
}
_STREAM_ENTRY = {
    "type": "object",
    "properties": {
        "key": {"type": "string"},
        "iri": {"type": "string"},
        "label": {"type": "string"},
        "organisation": {**_REF, "nullable": True},
        "process_time": _HEADLINE,
        "lead_time": _HEADLINE,
        "activity_ratio": _HEADLINE,
        "rolled_pca": _HEADLINE,
        "coverage": _HEADLINE,
    },
}
_OBJECT = {"type": "object"}
_ANALYSIS = {
    "type": "object",
    "properties": {
        "key": {"type": "string"},
        "stream": _REF,
        "organisation": {**_REF, "nullable": True},
        "stages": {"type": "array", "items": _OBJECT},
        "handoffs": {"type": "array", "items": _OBJECT},
        "process_time": _FIGURE,
        "lead_time": _FIGURE,
        "activity_ratio": _FIGURE,
        "rolled_pca": _FIGURE,
        "bottlenecks": {"type": "array", "items": _OBJECT},
        "coverage": _OBJECT,
        "alignment": {"type": "array", "items": _OBJECT},
        "cross_unit_handoffs": {"type": "array", "items": _OBJECT},
    },
}
KEY_DOC = (
    "The resource's key: its path below https://w3id.org/vskg/data/ (for example `{example}`), or its whole IRI, "
    "percent-encoded."
)


def _key_parameter(example: str) -> dict:
    """The OpenAPI description of the {key} path parameter (read from the request, so no 422 is documented)."""
    return {
        "parameters": [
            {
                "name": "key",
                "in": "path",
                "required": True,
                "schema": {"type": "string"},
                "description": KEY_DOC.format(example=example),
            }
        ]
    }


def _ok(description: str, schema: dict) -> dict:
    return {200: {"description": description, "content": {"application/json": {"schema": schema}}}}


def _headline(figure: Any) -> dict:
    return {"value": figure.value, "unit": figure.unit}


@router.get(
    "/api/streams",
    summary="List the value streams with their headline flow figures",
    description="Every value stream that has stages, sorted by label, with its key (for /api/streams/{key}), its "
    "operating organisation and headline figures: process time and lead time in hours, activity ratio (process / "
    "lead), rolled percent complete and accurate, and the share of stages whose capabilities a system supports.",
    responses={**_ok("The value streams.", {"type": "array", "items": _STREAM_ENTRY}), **errors.responses(500)},
)
async def list_streams(request: Request) -> list[dict]:
    portfolio = await analysed(request, partial(portfolio_analysis, request))
    ordered = sorted(portfolio.streams, key=lambda s: (s.stream.label.casefold(), s.stream.iri))
    return [
        {
            "key": data_key(s.stream.iri),
            "iri": s.stream.iri,
            "label": s.stream.label,
            "organisation": analytics.to_json(s.organisation),
            "process_time": _headline(s.process_time),
            "lead_time": _headline(s.lead_time),
            "activity_ratio": _headline(s.activity_ratio),
            "rolled_pca": _headline(s.rolled_pca),
            "coverage": _headline(s.coverage.figure),
        }
        for s in ordered
    ]


@router.get(
    "/api/streams/{key:path}",
    summary="Flow analysis of one value stream",
    description="Stages and handoffs with their times and %C&A, process time, lead time (the sum of the stage lead "
    "times, which hold the handoff waits), activity ratio, rolled %C&A, bottlenecks (largest wait, lowest %C&A), "
    "handoffs that cross organisation units, capability coverage and MCA alignment.",
    responses={
        **_ok("The stream's analysis (figures with unit, method and inputs), plus its key.", _ANALYSIS),
        **errors.responses(404, 500, _404="No value stream has this key."),
    },
    openapi_extra=_key_parameter("banking/mortgage-lending"),
)
async def stream_analysis(request: Request) -> dict:
    key = request.path_params["key"]
    result = await analysed(request, analytics.analyse_stream, data_iri(key))
    return {"key": data_key(result.stream.iri), **analytics.to_json(result)}


@router.get(
    "/api/portfolio",
    summary="Portfolio analysis: every stream side by side, MCA matrix, shared dependencies, maturity heat map",
    description="The streams of a value stream portfolio (vskg:includesStream), or every stream when no portfolio "
    "is named, ordered by organisation and stream label; the MCA dimension x stream alignment matrix; "
    "capabilities, platforms and systems shared by two or more streams; and each assessed capability's current "
    "and target maturity level.",
    responses={
        **_ok("The portfolio's analysis.", _OBJECT),
        **errors.responses(404, 500, _404="The portfolio named is not a vskg:ValueStreamPortfolio."),
    },
    openapi_extra={
        "parameters": [
            {
                "name": "portfolio",
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": "The portfolio, as IRI or key (e.g. `platform/portfolio`); every stream when left out.",
            }
        ]
    },
)
async def portfolio_route(request: Request) -> Response:
    portfolio = request.query_params.get("portfolio")
    iri = data_iri(portfolio) if portfolio else None
    # Kept gzip-compressed until the next write (over 100 MB of JSON at a million triples): sent as it is to a
    # client that accepts gzip, inflated for any other.
    body = await analysed(request, partial(portfolio_gzipped, request), iri)
    headers = {"Vary": "Accept-Encoding"}
    if accepts_gzip(request.headers.get("accept-encoding", "")):
        return Response(body, media_type="application/json", headers={**headers, "Content-Encoding": "gzip"})
    return Response(await run_in_threadpool(zlib.decompress, body, 31), media_type="application/json", headers=headers)


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header allows gzip (RFC 9110 12.5.3: named, or by ``*``, with a weight above 0)."""
    weights: dict[str, float] = {}
    for item in header.split(","):
        coding, _, parameters = item.partition(";")
        weight = 1.0
        name, _, value = parameters.partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value.strip())
            except ValueError:
                weight = 0.0
        weights.setdefault(coding.strip().lower(), weight)
    for coding in ("gzip", "x-gzip", "*"):
        if coding in weights:
            return weights[coding] > 0
    return False


@router.get(
    "/api/capabilities/{key:path}",
    summary="Impact of a capability: every stream and stage that depends on it",
    description="The stages enabled by the capability or by a capability below it (vskg:subCapabilityOf, any "
    "depth; `via` says which), and the systems that support it.",
    responses={
        **_ok("The capability's impact, plus its key.", _OBJECT),
        **errors.responses(404, 500, _404="No capability has this key."),
    },
    openapi_extra=_key_parameter("banking/credit-decisioning"),
)
async def capability_impact(request: Request) -> dict:
    key = request.path_params["key"]
    result = await analysed(request, analytics.capability_impact, data_iri(key))
    return {"key": data_key(result.subject.iri), **analytics.to_json(result)}


@router.get(
    "/api/systems/{key:path}",
    summary="Impact of an application system or technology platform: every stream and stage that depends on it",
    description="The stages the system supports directly, the stages whose enabling capabilities it supports, and "
    "for a platform the stages of the systems that run on it (`via` names the link), with the capabilities it "
    "supports.",
    responses={
        **_ok("The system's impact, plus its key.", _OBJECT),
        **errors.responses(404, 500, _404="No application system or technology platform has this key."),
    },
    openapi_extra=_key_parameter("banking/core-banking-system"),
)
async def system_impact(request: Request) -> dict:
    key = request.path_params["key"]
    result = await analysed(request, analytics.system_impact, data_iri(key))
    return {"key": data_key(result.subject.iri), **analytics.to_json(result)}
