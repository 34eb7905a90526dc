"""Capability maps: /capability-map lists the organisations, /capability-map/{organisation} shows one organisation's
capabilities as nested boxes coloured by maturity gap, and /capability-map/{organisation}.svg is the picture alone.

The page inlines the SVG (vskg.maps.capability_map), so every box is a link to the capability's page and the page
needs no script; it also counts the boxes of each colour, in words, for a reader who cannot see the colours. The
organisation is named by its key (``banking/retail-bank``) or its whole IRI, as the other pages take them.
"""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from vskg.keys import data_iri
from vskg.maps import render_capability_map
from vskg.maps.capability_map import BUCKETS, bucket_of
from vskg.maps.capability_tree import CapabilityTree, NoOrganisation, organisations, read_tree
from vskg.service.deps import reading, remembered
from vskg.service.errors import ApiError
from vskg.web.html_errors import not_found
from vskg.web.templating import page

router = APIRouter()

SVG = "image/svg+xml"
MAX_KEY = 2000  # characters of an organisation key or IRI
# An SVG opened on its own is a document: forbid everything it does not need (the map holds no script or style).
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


def _missing(key: str) -> str:
    shown = key if len(key) <= 80 else key[:80] + "..."
    return (
        f"no organisation has the key {shown!r}: none by that name runs a value stream or has a capability map; "
        "/capability-map lists them"
    )


async def _tree(request: Request, key: str) -> CapabilityTree | None:
    """The organisation's tree, read once per store state; None when the key names no organisation."""
    if len(key) > MAX_KEY:
        return None
    iri = data_iri(key)

    def read(store) -> CapabilityTree | None:
        try:
            return remembered(request, ("capability-tree", iri), lambda: read_tree(store, iri))
        except (NoOrganisation, ValueError):  # ValueError: not an IRI
            return None

    async with reading(request) as store:
        return await run_in_threadpool(read, store)


@router.get("/capability-map", include_in_schema=False)
async def capability_maps_page(request: Request) -> Response:
    async with reading(request) as store:
        found = await run_in_threadpool(remembered, request, ("organisations",), lambda: organisations(store))
    return page(request, "capability_maps.html", {"nav": "capability-maps", "organisations": found})


@router.get(
    "/capability-map/{key:path}.svg",
    tags=["maps"],
    summary="Capability map of one organisation, as SVG",
    description="The organisation's capabilities as nested boxes (level-1 capabilities as columns holding their "
    "sub-capabilities), each coloured by the gap between its current and target maturity and linking to the "
    "capability's page. The key is the organisation's path below https://w3id.org/vskg/data/ (for example "
    "`banking/retail-bank`) or its whole IRI, percent-encoded.",
    response_class=Response,
    responses={
        200: {"description": "A standalone SVG 1.1 document.", "content": {SVG: {"schema": {"type": "string"}}}},
        404: {"description": "No organisation has this key."},
    },
)
async def capability_map_svg(request: Request, key: str) -> Response:
    tree = await _tree(request, key)
    if tree is None:
        raise ApiError(404, _missing(key))
    drawn = await run_in_threadpool(render_capability_map, tree)
    return Response(drawn, media_type=SVG, headers=HEADERS)


@router.get("/capability-map/{key:path}", include_in_schema=False)
async def capability_map_page(request: Request, key: str) -> Response:
    tree = await _tree(request, key)
    if tree is None:
        return not_found(request, _missing(key))
    async with reading(request) as store:
        others = await run_in_threadpool(remembered, request, ("organisations",), lambda: organisations(store))
    drawn = await run_in_threadpool(render_capability_map, tree, False)
    counts = Counter(bucket_of(node.maturity).name for node in tree.nodes())
    context = {
        "nav": "capability-maps",
        "tree": tree,
        "key": key,
        "map": drawn,
        "buckets": [(bucket, counts.get(bucket.name, 0)) for bucket in BUCKETS],
        "total": sum(counts.values()),
        "organisations": others,
    }
    return page(request, "capability_map.html", context)
