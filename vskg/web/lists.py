"""The list pages: /streams, /capabilities, /systems and /elements?type=... (the types and their counts without
a type), one table each, paged, sortable and filterable in the browser (static/tables.js; plain tables without it).

The rows come from vskg.browse, the same code as their JSON twins under /api; /streams gives its own rows as JSON
to a client that asks for JSON (/api/streams is taken by the streams' flow figures).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from vskg.browse import lists
from vskg.browse.common import BadRequest, Paging, paging
from vskg.service.deps import reading, remembered
from vskg.service.errors import error_response
from vskg.web.html_errors import wants_html
from vskg.web.templating import page

router = APIRouter(include_in_schema=False)

LIMIT = Query(None)
OFFSET = Query(None)

# Per list: title, the noun of one row, and its columns as (heading, name in Row.columns, kind of cell).
KINDS: dict[str, dict[str, Any]] = {
    "streams": {
        "title": "Value streams",
        "action": lists.streams,
        "columns": [
            ("Stages", "stages", "number"),
            ("Owner", "owner", "refs"),
            ("Organisation", "organisation", "refs"),
        ],
        "json": "/streams?format=json",
    },
    "capabilities": {
        "title": "Capabilities",
        "action": lists.capabilities,
        "columns": [("Level", "level", "number"), ("Parent", "parent", "refs"), ("Maturity", "maturity", "maturity")],
        "json": "/api/capabilities",
    },
    "systems": {
        "title": "Systems",
        "action": lists.systems,
        "columns": [("Kind", "kind", "refs"), ("Capabilities supported", "capabilities", "refs")],
        "json": "/api/systems",
    },
}


def problem(request: Request, message: str, status: int = 400) -> Response:
    return page(request, "problem.html", {"nav": None, "status": status, "message": message}, status_code=status)


async def _listed(request: Request, action: Callable[..., Any], *args: Any) -> Any:
    async with reading(request) as store:
        return await run_in_threadpool(action, store, *args)


def _pager(request: Request, result: lists.ListPage, extra: dict[str, str]) -> dict[str, str | None]:
    def link(offset: int) -> str:
        return request.url.path + "?" + urlencode({**extra, "limit": result.limit, "offset": offset})

    return {
        "previous": link(max(result.offset - result.limit, 0)) if result.offset else None,
        "next": link(result.offset + result.limit) if result.more else None,
    }


async def _list_page(request: Request, kind: str, limit: str | None, offset: str | None) -> Response:
    spec = KINDS[kind]
    # a JSON client (or ?format=json) gets the rows of the table; /api/streams is taken by the streams' figures
    as_json = request.query_params.get("format") == "json" or not wants_html(request)
    try:
        chosen: Paging = paging(limit, offset)
    except BadRequest as bad:
        return error_response(400, str(bad)) if as_json else problem(request, str(bad))
    result = await _listed(request, spec["action"], chosen)
    if as_json:
        return JSONResponse(result.as_json(), headers={"Vary": "Accept"})
    context = {
        "nav": kind,
        "title": spec["title"],
        "columns": spec["columns"],
        "result": result,
        "pager": _pager(request, result, {}),
        "json": spec["json"],
        "kind": kind,
    }
    return page(request, "list.html", context)


@router.get("/streams")
async def streams(request: Request, limit: str | None = LIMIT, offset: str | None = OFFSET) -> Response:
    return await _list_page(request, "streams", limit, offset)


@router.get("/capabilities")
async def capabilities(request: Request, limit: str | None = LIMIT, offset: str | None = OFFSET) -> Response:
    return await _list_page(request, "capabilities", limit, offset)


@router.get("/systems")
async def systems(request: Request, limit: str | None = LIMIT, offset: str | None = OFFSET) -> Response:
    return await _list_page(request, "systems", limit, offset)


@router.get("/streams/")
@router.get("/capabilities/")
@router.get("/systems/")
async def trailing_slash(request: Request) -> Response:
    target = request.url.path.rstrip("/")
    return RedirectResponse(target + (f"?{request.url.query}" if request.url.query else ""), status_code=308)


@router.get("/elements")
async def elements(
    request: Request, type: str | None = Query(None), limit: str | None = LIMIT, offset: str | None = OFFSET
) -> Response:
    if type is None:
        async with reading(request) as store:
            counts = await run_in_threadpool(remembered, request, ("browse.types",), lambda: lists.type_counts(store))
        return page(request, "types.html", {"nav": "elements", "counts": counts})
    try:
        want = lists.wanted(type)
        chosen = paging(limit, offset)
    except BadRequest as bad:
        return problem(request, str(bad))
    result = await _listed(request, lists.elements, want, chosen)
    context = {
        "nav": "elements",
        "title": want.name,
        "columns": [("Model", "model", "refs")] if want.archimate is not None else [],
        "result": result,
        "pager": _pager(request, result, {"type": want.name}),
        "json": "/api/elements?" + urlencode({"type": want.name}),
        "kind": "elements",
        "type_name": want.name,
    }
    return page(request, "list.html", context)
