"""ArchiMate views over HTTP for programs: GET /api/views (every view of every imported model, as JSON) and
GET /views/{key}.svg (one view drawn in ArchiMate notation).

The SVG is drawn in the service (vskg.maps.archimate_view), so a wiki page or a slide can embed the URL. This router
is included before the HTML pages, whose /views/{key} route would otherwise take the ``.svg`` as part of a key.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from vskg.archimate.model import Model
from vskg.archimate.view_index import UnreadableView, ViewEntry, draw_view, find_view, list_views, read_model
from vskg.maps.archimate_view import ViewTooLarge
from vskg.service import errors
from vskg.service.deps import reading, remembered
from vskg.service.errors import ApiError

router = APIRouter(tags=["ArchiMate views"])

SVG = "image/svg+xml"
# An SVG opened on its own is a document: forbid everything it does not need (it holds no script anyway).
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


@router.get(
    "/api/views",
    summary="Every view of every imported ArchiMate model",
    description="One object per view: `key` (`<model identifier>/<view identifier>`), `identifier`, `name`, "
    "`model` (the model's identifier), `model_name`, `model_iri`, `graph`, the number of `nodes` (nested ones "
    "included) and `connections`, and the URLs of its `page` and its `svg`.",
    responses=errors.responses(503),
)
async def views(request: Request) -> list[dict]:
    async with reading(request) as store:
        entries = await run_in_threadpool(remembered, request, ("archimate-views",), lambda: list_views(store))
    return [entry.as_dict() for entry in entries]


@router.get(
    "/views/{key:path}.svg",
    summary="One ArchiMate view, as SVG",
    description="The view drawn in ArchiMate notation: element boxes at their bounds, nested, coloured by layer "
    "(or by the view's own style), with the element's name as text and a link to its page; connections through "
    "their bendpoints with the line style and arrowheads of their relationship type. The key is the one "
    "`/api/views` lists.",
    response_class=Response,
    responses={
        200: {"description": "A standalone SVG 1.1 document.", "content": {SVG: {"schema": {"type": "string"}}}},
        **errors.responses(
            404,
            500,
            503,
            _404="No view has this key.",
            _500="The view cannot be drawn: it has more parts than one "
            "picture is drawn for, or its description in the graph was not written by an import and is malformed.",
        ),
    },
)
async def view_svg(request: Request, key: str) -> Response:
    async with reading(request) as store:
        body = await run_in_threadpool(drawn, request, store, key, True)
    return Response(body, media_type=SVG, headers=HEADERS)


def drawn(request: Request, store, key: str, standalone: bool) -> str:
    """The SVG of the view ``key`` (kept until the next write); ApiError 404 or 500. Call off the loop."""

    def compute() -> str:
        entry: ViewEntry | None = find_view(store, key)
        if entry is None:
            raise ApiError(404, f"no ArchiMate view has the key {key!r}; /api/views lists the views")
        try:
            return draw_view(store, entry, standalone, lambda graph: remembered_model(request, store, graph))
        except (UnreadableView, ViewTooLarge) as problem:
            raise ApiError(500, str(problem)) from None

    return remembered(request, ("archimate-view", key, standalone), compute)


def remembered_model(request: Request, store, graph: str) -> Model | None:
    """The model of ``graph``, read once per store state for every view of it that is drawn."""
    return remembered(request, ("archimate-model", graph), lambda: read_model(store, graph))
