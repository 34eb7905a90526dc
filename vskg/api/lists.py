"""JSON twins of the list, search and folder pages: /api/capabilities, /api/systems, /api/elements, /api/search,
/api/models and /api/models/{key}.

Each answers from vskg.browse, the same code as the page, so a row in the JSON is the row on the page. Lists are
paged with ``limit`` (at most 1000) and ``offset``; ``next_offset`` is null on the last page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from vskg.browse import folders, lists, search
from vskg.browse.common import BadRequest, paging
from vskg.keys import data_iri
from vskg.service.deps import reading, remembered
from vskg.service.errors import ApiError, responses

router = APIRouter(tags=["browse"])

LIMIT = Query(None, description="Rows per page, 1 to 1000 (default 100).")
OFFSET = Query(None, description="Rows to skip, 0 to 1,000,000 (default 0).")


async def _answer(request: Request, action: Callable[..., Any], *args: Any) -> Any:
    async with reading(request) as store:
        try:
            return await run_in_threadpool(action, store, *args)
        except BadRequest as bad:
            raise ApiError(400, str(bad)) from None


def _page(limit: str | None, offset: str | None) -> Any:
    try:
        return paging(limit, offset)
    except BadRequest as bad:
        raise ApiError(400, str(bad)) from None


@router.get(
    "/api/capabilities",
    summary="List the capabilities",
    description="Every vskg:Capability (bundled or imported), by label: key, page, level, parent capabilities and the "
    "maturity of the latest assessment (current and target level).",
    responses=responses(400, 503),
)
async def list_capabilities(request: Request, limit: str | None = LIMIT, offset: str | None = OFFSET) -> dict:
    page = await _answer(request, lists.capabilities, _page(limit, offset))
    return page.as_json()


@router.get(
    "/api/systems",
    summary="List the systems",
    description="Every application system and technology platform, by label: key, page, kind and the capabilities "
    "it supports.",
    responses=responses(400, 503),
)
async def list_systems(request: Request, limit: str | None = LIMIT, offset: str | None = OFFSET) -> dict:
    page = await _answer(request, lists.systems, _page(limit, offset))
    return page.as_json()


@router.get(
    "/api/elements",
    summary="List the resources of one type, or the types with their counts",
    description="With `type` (a prefixed name such as `vskg:Capability` or `am:BusinessProcess`, or a full IRI): "
    "every resource of that class, or every imported ArchiMate element or relationship of that type, by label. "
    "Without it: every type with its number of resources.",
    responses=responses(400, 503),
)
async def list_elements(
    request: Request,
    type: str | None = Query(None, description="The class or ArchiMate type, e.g. am:BusinessProcess."),
    limit: str | None = LIMIT,
    offset: str | None = OFFSET,
) -> dict:
    if type is None:
        async with reading(request) as store:
            counts = await run_in_threadpool(remembered, request, ("browse.types",), lambda: lists.type_counts(store))
        return {"types": [{"type": c.name, "count": c.count, "href": f"/api/elements?type={c.name}"} for c in counts]}
    try:
        want = lists.wanted(type)
    except BadRequest as bad:
        raise ApiError(400, str(bad)) from None
    page = await _answer(request, lists.elements, want, _page(limit, offset))
    return {"type": want.name, **page.as_json()}


@router.get(
    "/api/search",
    summary="Search names and labels",
    description="Resources whose rdfs:label, skos:prefLabel, skos:altLabel, skos:notation, am:name or am:label "
    "contains `q` (case-insensitive, plain text), best match first: iri, key, label, type and page URL (href).",
    responses=responses(400, 503),
)
async def api_search(
    request: Request,
    q: str | None = Query(None, description=f"The text to look for, at most {search.MAX_QUERY} characters."),
    limit: str | None = Query(None, description=f"Results, 1 to {search.MAX_LIMIT} (default {search.DEFAULT_LIMIT})."),
) -> dict:
    try:
        text, count = search.checked(q), search.limit_of(limit)
    except BadRequest as bad:
        raise ApiError(400, str(bad)) from None
    found = await _answer(request, search.search, text, count)
    return found.as_json()


@router.get(
    "/api/models",
    summary="List the imported ArchiMate models",
    description="Every imported model with its key and numbers of elements, relationships and views.",
    responses=responses(503),
)
async def list_models(request: Request) -> list[dict]:
    found = await _answer(request, folders.models)
    return [m.as_json() for m in found]


@router.get(
    "/api/models/{key:path}",
    summary="The folder tree of one imported ArchiMate model",
    description="The model's organizations (folders) as nested objects, each item with its key, type and page.",
    responses=responses(404, 503),
)
async def model_tree(request: Request, key: str) -> dict:
    iri = data_iri(key)
    try:
        tree = await _answer(request, folders.tree, iri)
    except (folders.NoModel, ValueError) as missing:
        raise ApiError(404, f"no imported ArchiMate model has the key {key!r}: {missing}") from None
    return tree.as_json()
