"""The ontology and its concept schemes at /ontology: documentation for people, RDF for programs, at one URL.

``/ontology`` and ``/ontology/schemes/{name}`` answer in the form Accept asks for: the pyLODE page (text/html,
what browsers ask for first), or the bundled file itself as Turtle (as written, comments and all), RDF/XML,
N-Triples or JSON-LD (serialised by rdflib). Turtle is the default. ``/ontology/index`` is a page linking them
all. Nothing here reads the store: what is documented is the vocabulary bundled with this vskg. Pages are
rendered on first request (about a second for the ontology) and kept for the life of the process; pyLODE is
only imported then, so starting the service does not pay for it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from vskg import negotiation
from vskg.service import errors
from vskg.service.errors import ApiError
from vskg.service.methods import refuse_methods

if TYPE_CHECKING:
    from vskg.docs import Site

router = APIRouter(tags=["ontology"])

HTML = "text/html"
OFFERED = [
    "text/turtle",
    HTML,
    "application/rdf+xml",
    "application/n-triples",
    "application/ld+json",
]
ALIASES = {**negotiation.GRAPH_ALIASES, "application/xhtml+xml": HTML, "application/xml": "application/rdf+xml"}
_RDFLIB = {"application/rdf+xml": "xml", "application/n-triples": "nt", "application/ld+json": "json-ld"}


def _site() -> Site:
    from vskg.docs import served_site

    return served_site()


@cache
def _rdf(path: Path, media: str) -> bytes:
    """The file in the asked-for syntax; Turtle is the file as written, the others are rdflib's serialisations."""
    from vskg.docs import parse

    if media == "text/turtle":
        return path.read_bytes()
    return parse(path).serialize(format=_RDFLIB[media], encoding="utf-8")


def _media(request: Request) -> str:
    try:
        return negotiation.choose(request.headers.get("accept"), OFFERED, ALIASES)
    except negotiation.NotAcceptable as refused:
        raise ApiError(406, f"{refused}; ask for one of them in Accept", {"Vary": "Accept"}) from None


async def _answer(request: Request, media: str, body: Callable[[], bytes]) -> Response:
    from vskg.docs import DocsError

    try:
        content = await run_in_threadpool(body)
    except DocsError as problem:
        raise ApiError(500, str(problem)) from None
    headers = {"Vary": "Accept"}
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(content))
        content = b""
    return Response(content, media_type=media, headers=headers)


async def _document(request: Request, path: Path, page: Callable[[], str]) -> Response:
    media = _media(request)
    if media == HTML:
        return await _answer(request, media, lambda: page().encode("utf-8"))
    return await _answer(request, media, lambda: _rdf(path, media))


_FORMS = {
    "content": {t: {} for t in OFFERED},
}
_FORMS_DOC = (
    "Content negotiation on Accept: `text/html` gives the pyLODE documentation page (what browsers ask for); "
    "`text/turtle` (the default, also for `*/*`) the bundled file as written; `application/rdf+xml`, "
    "`application/n-triples` and `application/ld+json` the same graph in those syntaxes. Answers carry "
    "`Vary: Accept`."
)

NAME_DOC = {
    "name": "name",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "The scheme's name, its file name in ontology/schemes (for example `mca`, `safe`, `itil4`).",
}


@router.get(
    "/ontology",
    summary="The vskg ontology, as documentation or as OWL",
    description="The bundled OWL ontology (ontology/vskg.ttl). " + _FORMS_DOC,
    response_class=Response,
    responses={
        200: {"description": "The ontology in the negotiated form.", **_FORMS},
        **errors.responses(406, 500, _500="The ontology could not be read or documented; the message names the file."),
    },
)
async def ontology(request: Request) -> Response:
    site = _site()
    return await _document(request, site.bundle.ontology, site.ontology_html)


@router.get(
    "/ontology/index",
    summary="Index of the ontology documentation",
    description="An HTML page linking the ontology's page and the page of every concept scheme, with their titles, "
    "IRIs and sizes.",
    response_class=Response,
    responses={
        200: {"description": "The index page.", "content": {HTML: {}}},
        **errors.responses(406, 500),
    },
)
async def index(request: Request) -> Response:
    try:
        negotiation.choose(request.headers.get("accept"), [HTML], {"application/xhtml+xml": HTML})
    except negotiation.NotAcceptable:
        raise ApiError(
            406, f"this index is available as {HTML} only; ask for it in Accept", {"Vary": "Accept"}
        ) from None
    site = _site()
    return await _answer(request, HTML, lambda: site.index_html().encode("utf-8"))


@router.get(
    "/ontology/schemes/{name}",
    summary="A concept scheme, as documentation or as SKOS",
    description="One of the bundled SKOS concept schemes (ontology/schemes/{name}.ttl); /ontology/index lists "
    "them. " + _FORMS_DOC,
    response_class=Response,
    responses={
        200: {"description": "The concept scheme in the negotiated form.", **_FORMS},
        **errors.responses(
            404,
            406,
            500,
            _404="No concept scheme of that name; the message lists the names there are.",
            _500="The scheme could not be read or documented; the message names the file.",
        ),
    },
    openapi_extra={"parameters": [NAME_DOC]},
)
async def scheme(request: Request) -> Response:
    name = request.path_params["name"]  # read here, so FastAPI's own 422 does not appear in the docs
    site = _site()
    path = site.schemes.get(name)
    if path is None:
        known = ", ".join(site.schemes)
        raise ApiError(404, f"there is no concept scheme named {name!r}; the schemes are {known} (see /ontology/index)")
    return await _document(request, path, lambda: site.scheme_html(name))


for _path, _handler in (("/ontology", ontology), ("/ontology/index", index), ("/ontology/schemes/{name}", scheme)):
    router.add_api_route(_path, _handler, methods=["HEAD"], include_in_schema=False, response_class=Response)
    refuse_methods(router, _path, "GET, HEAD")
