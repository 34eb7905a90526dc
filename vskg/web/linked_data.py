"""GET /id/{path}: every IRI of the vskg namespace resolves on the server that holds it (linked data).

The same URL answers a browser with an HTML page and a client with RDF, chosen by the Accept header (``Vary:
Accept``): Turtle, JSON-LD (compacted with the vskg prefixes) or N-Triples, and 406 for anything else. A
``?format=`` parameter (html, turtle, jsonld, ntriples) overrides the header, so a page can link to the data.

What is returned is the resource's concise bounded description plus the triples that point at it (see
vskg.web.describe); 404 when the store has no triple with the IRI as subject or object. The 404 is a page only for a
client that takes HTML (no Accept header, or one that prefers ``text/html`` to JSON); any other client gets the
service's JSON error, even with ``?format=html``, and the OpenAPI document lists both media types for it.

Streams, capabilities and systems have pages of their own that say far more than their triples, so a browser
asking for one of them is sent there with 303 See Other; ``?format=html`` still shows the triples. The ontology's
terms are hash IRIs (``.../ontology#Stage``): the browser never sends the fragment, so ``/id/ontology`` is
redirected to the ontology's own page ``/ontology``, where the fragment finds the term.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse
from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from starlette.concurrency import run_in_threadpool

from vskg import negotiation
from vskg.keys import data_key, id_iri, id_path
from vskg.service import errors
from vskg.service.deps import reading
from vskg.service.errors import ApiError
from vskg.store import Backend
from vskg.web import describe
from vskg.web.html_errors import not_found, wants_html
from vskg.web.templating import page

router = APIRouter(tags=["linked data"])

HTML = "text/html"
RDF_TYPES = ["text/turtle", "application/ld+json", "application/n-triples"]
OFFERED = [HTML, *RDF_TYPES]
ALIASES = {
    "application/xhtml+xml": HTML,
    "application/json": "application/ld+json",
    "text/plain": "application/n-triples",
}
FORMATS = {
    "html": HTML,
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
}
VARY = {"Vary": "Accept"}
ONTOLOGY_PATHS = ("ontology", "ontology/")


def chosen_type(request: Request, format: str | None) -> str:
    if format is not None:
        if format.lower() not in FORMATS:
            raise ApiError(400, f"format must be one of {', '.join(FORMATS)}, got {format!r}")
        return FORMATS[format.lower()]
    try:
        return negotiation.choose(request.headers.get("accept"), OFFERED, ALIASES)
    except negotiation.NotAcceptable:
        raise ApiError(406, f"this resource is available as {', '.join(OFFERED)}", VARY) from None


def error_as_page(request: Request, media: str) -> bool:
    """An error answer is HTML only when the page was asked for and the client takes HTML at all."""
    return media == HTML and wants_html(request)


NOT_FOUND = errors.responses(404)[404] | {
    "description": "The store holds nothing about this IRI: a page for a browser, the JSON error for other clients.",
}
NOT_FOUND["content"] = {**NOT_FOUND["content"], HTML: {"schema": {"type": "string"}}}


# Predicates shown first on a resource's page, in this order; the rest follow by label.
_FIRST = {p: i for i, p in enumerate([describe.RDF_TYPE, *describe.LABELS, *describe.TEXTS])}


@dataclass
class Term:
    """A node of the graph as the HTML page shows it: text, where it links to, and for a blank node its triples."""

    text: str
    title: str = ""
    href: str | None = None
    kind: str = "iri"  # iri, literal or blank
    note: str = ""  # a literal's language or datatype
    nested: list[tuple[Term, list[Term]]] = field(default_factory=list)


def href_of(iri: str, facts: describe.Facts) -> str | None:
    """The page of a stream, capability or system; else the resource's /id/ path; None outside the namespace."""
    if facts.page_root is not None:
        return f"/{facts.page_root}/{data_key(iri)}"
    return id_path(iri)


class _Viewer:
    """Turns terms into Terms, with the labels and links of every IRI on the page looked up in one go."""

    def __init__(self, store: Backend, triples: list[Triple], also: Iterable[str] = ()) -> None:
        self.store = store
        self.cache: dict[str, Term] = {}
        self.by_subject: dict[BlankNode, list[Triple]] = {}
        for triple in triples:
            if isinstance(triple.subject, BlankNode):
                self.by_subject.setdefault(triple.subject, []).append(triple)
        named = [node.value for t in triples for node in t if isinstance(node, NamedNode)]
        self.facts = describe.facts(store, [*also, *named])

    def facts_of(self, iri: str) -> describe.Facts:
        if iri not in self.facts:
            self.facts |= describe.facts(self.store, [iri])
        return self.facts[iri]

    def iri(self, iri: str) -> Term:
        if iri not in self.cache:
            facts = self.facts_of(iri)
            self.cache[iri] = Term(text=facts.label, title=iri, href=href_of(iri, facts))
        return self.cache[iri]

    def term(self, node: object, depth: int = 0) -> Term:
        if isinstance(node, NamedNode):
            return self.iri(node.value)
        if isinstance(node, Literal):
            if node.language:
                note = "@" + node.language
            elif node.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                note = describe.curie(node.datatype.value)
            else:
                note = ""
            return Term(text=node.value, kind="literal", note=note)
        assert isinstance(node, BlankNode)
        blank = Term(text="(anonymous node)", kind="blank")
        if depth < 4:
            blank.nested = self.grouped(self.by_subject.get(node, []), depth + 1)
        return blank

    def grouped(self, triples: list[Triple], depth: int = 0) -> list[tuple[Term, list[Term]]]:
        groups: dict[str, list[object]] = {}
        for triple in triples:
            groups.setdefault(triple.predicate.value, []).append(triple.object)
        ordered = sorted(groups, key=lambda p: (_FIRST.get(p, len(_FIRST)), self.iri(p).text.lower()))
        return [(self.iri(p), [self.term(o, depth) for o in groups[p]]) for p in ordered]


def html_context(store: Backend, iri: str, found: describe.Description) -> dict:
    viewer = _Viewer(store, found.triples, also=[iri])
    own = [t for t in found.outgoing if isinstance(t.subject, NamedNode)]
    terms = [
        {
            "fragment": term.partition("#")[2],
            "term": viewer.iri(term),
            "statements": viewer.grouped([t for t in described if isinstance(t.subject, NamedNode)]),
        }
        for term, described in found.terms.items()
    ]
    pointing = [t for t in found.incoming if isinstance(t.subject, NamedNode)]
    incoming = sorted(
        ((viewer.iri(t.subject.value), viewer.iri(t.predicate.value)) for t in pointing),
        key=lambda pair: (pair[1].text, pair[0].text),
    )
    path = id_path(iri) or ""
    facts = viewer.facts_of(iri)
    return {
        "nav": None,
        "iri": iri,
        "label": facts.label,
        "text": facts.text,
        "types": [viewer.iri(t) for t in sorted(facts.types)],
        "outgoing": viewer.grouped(own),
        "incoming": incoming,
        "terms": terms,
        "page_href": href_of(iri, facts) if facts.page_root else None,
        "downloads": [(name, f"{path}?format={name}") for name in ("turtle", "jsonld", "ntriples")],
    }


@router.get(
    "/id/{path:path}",
    summary="Resolve an IRI of the vskg namespace (linked data)",
    description=(
        "The resource named `https://w3id.org/vskg/<path>`: an HTML page for a browser, or its triples (its "
        "concise bounded description and the triples that point at it) as Turtle, JSON-LD or N-Triples, by "
        "the Accept header or `?format=`. Streams, capabilities and systems redirect browsers (303) to their "
        "pages; `/id/ontology` redirects to `/ontology`."
    ),
    response_class=Response,
    responses={
        200: {"description": "The resource", "content": {t: {} for t in OFFERED}},
        303: {"description": "See the resource's page."},
        404: NOT_FOUND,
        **errors.responses(400, 406),
    },
)
async def resource(request: Request, path: str, format: str | None = Query(None)) -> Response:
    media = chosen_type(request, format)
    if path in ONTOLOGY_PATHS:
        return RedirectResponse("/ontology", status_code=303, headers=VARY)
    iri = id_iri(path)
    try:
        NamedNode(iri)
    except ValueError:
        return not_found(request, f"{iri!r} is not an IRI", headers=VARY, html=error_as_page(request, media))
    async with reading(request) as store:
        found = await run_in_threadpool(describe.describe, store, iri)
        if found.empty:
            message = f"the store holds no triple about <{iri}>"
            return not_found(request, message, headers=VARY, html=error_as_page(request, media))
        if media == HTML:
            root = await run_in_threadpool(describe.page_root, store, iri)
            if root is not None and format is None:
                return RedirectResponse(f"/{root}/{data_key(iri)}", status_code=303, headers=VARY)
            context = await run_in_threadpool(html_context, store, iri, found)
            answer = page(request, "resource.html", context)
            answer.headers.update(VARY)
            return answer
    body = await run_in_threadpool(describe.serialise, found.triples, media)
    return Response(body, media_type=media, headers=VARY)
