"""The imported ArchiMate models: /models lists them, /models/{key} shows one model's folder tree.

Folders are nested ``<details>`` elements, open at the first level, so the tree expands and collapses with the
keyboard and without a script; every item links to its page (a stream, capability or system page, else /id/).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from vskg.browse import folders
from vskg.keys import data_iri
from vskg.service.deps import reading
from vskg.web.html_errors import not_found
from vskg.web.templating import page

router = APIRouter(include_in_schema=False)


@router.get("/models")
async def models_page(request: Request) -> Response:
    async with reading(request) as store:
        found = await run_in_threadpool(folders.models, store)
    return page(request, "models.html", {"nav": "models", "models": found})


@router.get("/models/{key:path}")
async def model_page(request: Request, key: str) -> Response:
    iri = data_iri(key)
    async with reading(request) as store:
        try:
            tree = await run_in_threadpool(folders.tree, store, iri)
        except (folders.NoModel, ValueError):
            return not_found(request, f"no imported ArchiMate model has the key {key!r} (IRI <{iri}>)")
    return page(request, "model.html", {"nav": "models", "tree": tree, "key": key})
