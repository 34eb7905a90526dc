"""The search page, /search?q=...: names and labels of every kind of resource, each result linking to its page.

The header of every page holds a search box that sends its text here; the results come from vskg.browse.search,
the same code as /api/search.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from vskg.browse import search
from vskg.browse.common import BadRequest
from vskg.service.deps import reading
from vskg.web.templating import page

router = APIRouter(include_in_schema=False)


@router.get("/search")
async def search_page(request: Request, q: str | None = Query(None), limit: str | None = Query(None)) -> Response:
    context: dict = {"nav": "search", "q": q or "", "found": None, "message": None}
    if q is None or not q.strip():
        return page(request, "search.html", context)
    try:
        text, count = search.checked(q), search.limit_of(limit)
    except BadRequest as bad:
        context |= {"message": str(bad), "q": q[: search.MAX_QUERY]}
        return page(request, "search.html", context, status_code=400)
    async with reading(request) as store:
        context["found"] = await run_in_threadpool(search.search, store, text, count)
    return page(request, "search.html", context)
