"""Assembling the FastAPI application: lifespan (store and query workers), limits, errors and routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from multiprocessing import resource_tracker

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from vskg import __version__
from vskg.api import analytics as analytics_api
from vskg.api import archimate, catalogue, graph_store, observability, ontology, sparql, update, validation
from vskg.api import lists as lists_api
from vskg.api import maps as maps_api
from vskg.api import views as views_api
from vskg.service import errors, metrics
from vskg.service.hosts import CheckHost, allowed_hosts
from vskg.service.memo import memo_of
from vskg.service.settings import Settings
from vskg.service.validation import StandingValidation
from vskg.store.engine import QueryEngine
from vskg.store.opening import open_service_store
from vskg.validation.fullrun import EngineChecker
from vskg.web import api_docs, capability_maps, html_errors, linked_data, ontology_frame, pages, tools
from vskg.web import lists as list_pages
from vskg.web import models as model_pages
from vskg.web import search as search_page
from vskg.web import views as views_pages
from vskg.web.templating import STATIC


class LimitBody:
    """Refuse request bodies over the configured size with 413, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        seen = 0

        async def limited() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, limited, send)
        except* _TooLarge:  # BaseHTTPMiddleware (CountRequests) re-raises it inside an ExceptionGroup
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        message = f"the request body is larger than this server accepts ({self.limit} bytes)"
        body = errors.error_bytes(413, message)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = await run_in_threadpool(open_service_store, settings)
        # multiprocessing's resource tracker, which the validation children need, is started now rather than by
        # the first validation, so the service's children are the same from its start (the engine and the tracker).
        await run_in_threadpool(resource_tracker.ensure_running)
        app.state.store = opened.store
        app.state.engine = QueryEngine(
            opened.store,
            workers=settings.workers,
            timeout=settings.query_timeout,
            max_rows=settings.max_rows,
            allowed_services=settings.service_allow,
            memory_mb=settings.query_memory_mb,
            engine=opened.engine,
        )
        await app.state.engine.start()
        # The store's standing SHACL report: a full run starts now, in the background; each write brings it up to date.
        checker = getattr(app.state, "checker", None) or EngineChecker(settings.page_validation_timeout)
        app.state.validation = StandingValidation(opened.store, checker, memo_of(app.state).generation)
        app.state.validation.start()
        try:
            yield
        finally:
            # Shutting down must not wait for children still at work (a long query, a validation): they hold
            # nothing that needs saving, so they are stopped, and the service exits within seconds.
            await run_in_threadpool(app.state.validation.close)
            await app.state.engine.close(kill=True)
            await run_in_threadpool(opened.close)

    app = FastAPI(
        title="vskg",
        version=__version__,
        description=(
            "The value stream knowledge graph: a SPARQL 1.1 endpoint (query, update, graph store), the query "
            "catalogue and SHACL validation over value streams, stages, capabilities and systems."
        ),
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc come from vskg.web.api_docs, on the package's own copies of their scripts
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.metrics = metrics.Metrics()
    errors.install(app, unknown_address=html_errors.unknown_address)
    # The ontology's pages are served by an API route; it wraps them in the workbench's frame with this.
    app.state.page_frame = ontology_frame.frame
    app.add_middleware(metrics.CountRequests)
    app.add_middleware(LimitBody, limit=settings.max_body_bytes)
    # Outermost: a request for an unknown host is refused before anything else sees it.
    app.add_middleware(
        CheckHost, allowed=allowed_hosts(settings.allowed_hosts, settings.base_url), base_url=settings.base_url
    )
    for module in (sparql, update, graph_store, catalogue, validation, archimate, ontology, observability):
        app.include_router(module.router)
    app.include_router(tools.router)
    app.include_router(api_docs.router)
    app.include_router(analytics_api.router)
    app.include_router(maps_api.router)  # before the HTML pages: /streams/{key}/map.svg must win
    app.include_router(views_api.router)  # before the view pages: /views/{key}.svg must win
    app.include_router(views_pages.router)
    app.include_router(capability_maps.router)
    app.include_router(lists_api.router)
    for module in (list_pages, search_page, model_pages):  # before the pages: /streams/ is the list, not a key
        app.include_router(module.router)
    app.include_router(pages.router)  # / (HTML, or the JSON index for JSON clients) and the resource pages
    app.include_router(linked_data.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    return app
