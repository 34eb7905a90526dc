"""The architect's tools: /query (the catalogue as forms, and a SPARQL editor) and /validation (SHACL reports).

Both pages are thin HTML shells; their scripts talk to the same HTTP API everyone else uses (/queries, /sparql,
/validate), so the pages can never show an answer the API would not give. The one route added here hands the
editor the text of a catalogue query, which the JSON listing of /queries leaves out.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from vskg import catalogue
from vskg.service.errors import ApiError
from vskg.web.templating import page

router = APIRouter(include_in_schema=False)

SPARQL_QUERY = "application/sparql-query"


@router.get("/query", response_class=HTMLResponse)
async def query_page(request: Request) -> HTMLResponse:
    return page(request, "query.html", {"nav": "query"})


@router.get("/query/{name}.rq")
async def query_text(name: str) -> Response:
    """The SPARQL text of one catalogue query, with its parameters left as free variables."""
    queries = await run_in_threadpool(catalogue.catalogue)
    query = queries.get(name)
    if query is None:
        raise ApiError(404, f"there is no catalogue query named {name!r}; GET /queries lists them")
    return Response(query.text.encode("utf-8"), media_type=f"{SPARQL_QUERY}; charset=utf-8")


@router.get("/validation", response_class=HTMLResponse)
async def validation_page(request: Request) -> HTMLResponse:
    return page(request, "validation.html", {"nav": "validation"})
