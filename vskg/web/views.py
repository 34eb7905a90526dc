"""The ArchiMate views of the workbench: /views lists every view of every imported model, /views/{key} shows one.

A view's page inlines its SVG (drawn by vskg.maps.archimate_view), so its elements are links a reader can follow
to their pages and the page needs no script; the same picture is at /views/{key}.svg for embedding elsewhere.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from vskg.archimate.model import Model
from vskg.archimate.view_index import UnreadableView, ViewEntry, draw_view, find_view, list_views, read_model
from vskg.maps.archimate_view import ViewTooLarge
from vskg.service.deps import reading, remembered
from vskg.web.html_errors import not_found
from vskg.web.templating import page

router = APIRouter(include_in_schema=False)


@router.get("/views")
async def views_page(request: Request) -> Response:
    async with reading(request) as store:
        entries = await run_in_threadpool(remembered, request, ("archimate-views",), lambda: list_views(store))
    models: dict[str, list[ViewEntry]] = {}
    for entry in entries:
        models.setdefault(entry.model, []).append(entry)
    return page(request, "views.html", {"nav": "views", "views": entries, "models": models})


@router.get("/views/{key:path}")
async def view_page(request: Request, key: str) -> Response:
    def drawn(store) -> tuple[ViewEntry | None, str, str]:
        entry = find_view(store, key)
        if entry is None:
            return None, "", ""
        try:
            picture = remembered(
                request,
                ("archimate-view", key, False),
                lambda: draw_view(store, entry, False, lambda graph: read_remembered(request, store, graph)),
            )
            return entry, picture, ""
        except (UnreadableView, ViewTooLarge) as problem:
            return entry, "", str(problem)

    async with reading(request) as store:
        entry, picture, problem = await run_in_threadpool(drawn, store)
    if entry is None:
        return not_found(request, f"no ArchiMate view has the key {key!r}; /views lists the views")
    context = {"nav": "views", "view": entry, "svg": picture, "problem": problem}
    return page(request, "view.html", context, status_code=500 if problem else 200)


def read_remembered(request: Request, store, graph: str) -> Model | None:
    """The model of ``graph``, read once per store state for every view of it that is shown."""
    return remembered(request, ("archimate-model", graph), lambda: read_model(store, graph))
