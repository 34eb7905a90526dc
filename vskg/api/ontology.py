"""The ontology and its concept schemes at /ontology: documentation for people, RDF for programs, at one URL.

``/ontology`` and ``/ontology/schemes/{name}`` answer in the form Accept asks for: the pyLODE page (text/html,
what browsers ask for first), or the bundled file itself as Turtle (as written, comments and all), RDF/XML,
N-Triples or JSON-LD (serialised by rdflib). Turtle is the default. A ``?format=`` parameter (the file suffixes
of vskg.rdfio, such as ``ttl``, ``owl``, ``jsonld``, ``nt``, plus ``html`` and ``rdfxml``) overrides Accept, so a
link can name the syntax. The ontology's RDF/XML is the committed twin ``ontology/vskg.owl`` (what owlready2 and
other OWL tools read), also at ``/ontology.owl`` whatever the Accept header. ``/ontology/index`` is a page linking
them all.

The ontology's version IRI (``owl:versionIRI``, ``/id/ontology/0.1.0``) names the whole document of that version,
so it answers with the same document as ``/ontology``, not with the one triple the store holds about that IRI;
another version is a 404 naming the one this service holds.

Nothing here reads the store: what is documented is the vocabulary bundled with this vskg. Pages are rendered on
first request (about a second for the ontology) and kept for the life of the process; pyLODE is only imported
then, so starting the service does not pay for it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from vskg import negotiation, rdfio
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
RDF_XML = "application/rdf+xml"
VSKG = "https://w3id.org/vskg/"

# ?format= names: the RDF file suffixes vskg reads (those of a syntax offered here), then the page and two spellings.
FORMATS = {
    suffix.removeprefix("."): syntax.media_type
    for suffix, syntax in rdfio.FORMATS.items()
    if syntax.media_type in OFFERED
}
FORMATS |= {"html": HTML, "rdfxml": RDF_XML, "ntriples": "application/n-triples"}
SHOWN = 40  # characters of a refused format value echoed in the message


def _site() -> Site:
    from vskg.docs import served_site

    return served_site()


@cache
def _rdf(path: Path, media: str) -> bytes:
    """The file in the asked-for syntax; Turtle is the file as written, the others are rdflib's serialisations."""
    from vskg.docs import parse

    if media == "text/turtle":
        return path.read_bytes()
    twin = path.with_suffix(".owl")
    if media == RDF_XML and twin.is_file():
        return twin.read_bytes()  # the committed RDF/XML of the same graph (tests/test_ontology_rdfxml.py)
    return parse(path).serialize(format=_RDFLIB[media], encoding="utf-8")


def _media(request: Request, format: str | None = None) -> str:
    if format is not None:
        if format.lower() in FORMATS:
            return FORMATS[format.lower()]
        shown = repr(format[:SHOWN]) + (f" (cut at {SHOWN} of {len(format)} characters)" if len(format) > SHOWN else "")
        raise ApiError(400, f"format must be one of {', '.join(FORMATS)}; got {shown}")
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


def _framed(request: Request, html: str) -> str:
    """The page inside the workbench's frame when the app provides one (``app.state.page_frame``, from vskg.web)."""
    frame = getattr(request.app.state, "page_frame", None)
    return frame(html) if frame is not None else html


async def _document(request: Request, path: Path, page: Callable[[], str], format: str | None = None) -> Response:
    media = _media(request, format)
    if media == HTML:
        return await _answer(request, media, lambda: _framed(request, page()).encode("utf-8"))
    return await _answer(request, media, lambda: _rdf(path, media))


_FORMS = {
    "content": {t: {} for t in OFFERED},
}
_FORMS_DOC = (
    "Content negotiation on Accept: `text/html` gives the pyLODE documentation page (what browsers ask for); "
    "`text/turtle` (the default, also for `*/*`) the bundled file as written; `application/rdf+xml`, "
    "`application/n-triples` and `application/ld+json` the same graph in those syntaxes. Answers carry "
    "`Vary: Accept`. `?format=` overrides Accept."
)
FORMAT_DOC = (
    f"The form of the answer, overriding Accept: one of {', '.join(FORMATS)} (the RDF file suffixes vskg reads, "
    "`html` for the page, `rdfxml` and `ntriples`). Any other value is a 400 that lists these."
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
        **errors.responses(
            400,
            406,
            500,
            _400="An unknown `format`; the message lists the allowed values.",
            _500="The ontology could not be read or documented; the message names the file.",
        ),
    },
)
async def ontology(request: Request, format: str | None = Query(None, description=FORMAT_DOC)) -> Response:
    site = _site()
    return await _document(request, site.bundle.ontology, site.ontology_html, format)


@router.get(
    "/ontology.owl",
    summary="The vskg ontology as RDF/XML (OWL)",
    description="The committed RDF/XML twin of the ontology (ontology/vskg.owl), whatever the Accept header: the "
    "file OWL tools such as owlready2 and Protégé open.",
    response_class=Response,
    responses={200: {"description": "The ontology as RDF/XML.", "content": {RDF_XML: {}}}, **errors.responses(500)},
)
async def ontology_owl(request: Request) -> Response:
    return await _answer(request, RDF_XML, lambda: _rdf(_site().bundle.ontology, RDF_XML))


@cache
def _version_path(path: Path) -> str | None:
    """The /id/ path of the ontology's owl:versionIRI (``ontology/0.1.0``), None when it has none in the namespace."""
    from rdflib import OWL

    from vskg.docs import parse

    versions = sorted(str(v) for v in parse(path).objects(None, OWL.versionIRI) if str(v).startswith(VSKG))
    return versions[0].removeprefix(VSKG) if versions else None


@router.get(
    "/id/ontology/{version}",
    summary="A version of the vskg ontology, by its version IRI",
    description="The ontology's `owl:versionIRI` (`https://w3id.org/vskg/ontology/<version>`) resolves to the "
    "whole ontology document of that version, in the form Accept or `?format=` asks for (as at /ontology). "
    + _FORMS_DOC,
    response_class=Response,
    responses={
        200: {"description": "The ontology of that version in the negotiated form.", **_FORMS},
        **errors.responses(
            400,
            404,
            406,
            500,
            _400="An unknown `format`; the message lists the allowed values.",
            _404="This service holds another version of the ontology; the message names it.",
        ),
    },
    openapi_extra={
        "parameters": [
            {"name": "version", "in": "path", "required": True, "schema": {"type": "string"}, "description": "0.1.0"}
        ]
    },
)
async def versioned(request: Request, format: str | None = Query(None, description=FORMAT_DOC)) -> Response:
    site = _site()
    path = site.bundle.ontology
    try:
        held = await run_in_threadpool(_version_path, path)
    except Exception as problem:  # DocsError: the bundled file cannot be read
        raise ApiError(500, str(problem)) from None
    _media(request, format)  # a bad format or Accept is refused first, whatever the version
    asked = "ontology/" + request.path_params["version"]
    if held is None or asked != held:
        named = f"version IRI <{VSKG}{held}>" if held else "no version IRI"
        shown = asked if len(asked) <= SHOWN else asked[:SHOWN] + "..."
        shown = shown if shown.isprintable() else repr(shown)[1:-1]  # control characters as escapes, not raw
        raise ApiError(404, f"<{VSKG}{shown}> is not the ontology this service holds; it has {named}")
    return await _document(request, path, site.ontology_html, format)


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
    return await _answer(request, HTML, lambda: _framed(request, site.index_html()).encode("utf-8"))


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
async def scheme(request: Request, format: str | None = Query(None, description=FORMAT_DOC)) -> Response:
    name = request.path_params["name"]  # read here, so FastAPI's own 422 does not appear in the docs
    site = _site()
    path = site.schemes.get(name)
    if path is None:
        known = ", ".join(site.schemes)
        raise ApiError(404, f"there is no concept scheme named {name!r}; the schemes are {known} (see /ontology/index)")
    return await _document(request, path, lambda: site.scheme_html(name), format)


for _path, _handler in (
    ("/ontology", ontology),
    ("/ontology.owl", ontology_owl),
    ("/ontology/index", index),
    ("/ontology/schemes/{name}", scheme),
    ("/id/ontology/{version}", versioned),
):
    router.add_api_route(_path, _handler, methods=["HEAD"], include_in_schema=False, response_class=Response)
    refuse_methods(router, _path, "GET, HEAD")
