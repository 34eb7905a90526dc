"""/health and /metrics (Prometheus text format); the counters themselves are `vskg.service.metrics`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

router = APIRouter(tags=["service"])


@router.get("/health", summary="Liveness: answers at once, without touching the store or the query workers")
async def health() -> dict:
    return {"status": "ok"}


@router.get(
    "/metrics",
    response_class=PlainTextResponse,
    summary="Prometheus metrics: requests by route and status, query latency histogram",
)
async def metrics(request: Request) -> PlainTextResponse:
    text = request.app.state.metrics.render(request.app.state.engine.timeouts)
    return PlainTextResponse(text, media_type="text/plain; version=0.0.4")
