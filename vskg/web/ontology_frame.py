"""The ontology documentation (pyLODE's pages, vskg.docs) shown inside the workbench: same header, navigation and
style as every other page, with vskg's own terms listed before the ones it imports.

pyLODE writes a standalone document with its own stylesheet, a fixed table of contents and the entries of each
section in IRI order, so the terms vskg reuses from QUDT, SKOS, the W3C organisation ontology or PROV come before
vskg's own. The service's page (``/ontology``, ``/ontology/schemes/{name}``, ``/ontology/index``) takes pyLODE's
content, moves each section's vskg entries first (in the section and in the table of contents, under a heading that
says which are imported), and puts it into the workbench's layout. The files ``vskg docs`` writes stay pyLODE's own.

The route that serves these pages is an API route (it also answers RDF), and API routes do not import the pages:
the app factory hands it `frame` (``app.state.page_frame``), as it hands the error handlers their 404 page.
"""

from __future__ import annotations

from functools import lru_cache

import lxml.html
from lxml.html import HtmlElement

from vskg.web.templating import templates

OWN = "https://w3id.org/vskg/"
IMPORTED = "Imported from other vocabularies"


def _iri(entity: HtmlElement) -> str:
    """An entry's IRI: the <code> in the first row of its table."""
    for code in entity.iterfind(".//table//td//code"):
        return (code.text_content() or "").strip()
    return ""


def _own_first(parent: HtmlElement, items: list[HtmlElement], own: set[int], heading: HtmlElement) -> None:
    """Put ``items`` (children of ``parent``) back in the same place, vskg's first, then ``heading``, the rest."""
    if not items:
        return
    mine = [item for item in items if id(item) in own]
    others = [item for item in items if id(item) not in own]
    if not mine or not others:
        return
    position = parent.index(items[0])
    for item in items:
        parent.remove(item)
    for offset, item in enumerate([*mine, heading, *others]):
        parent.insert(position + offset, item)


def _reorder(content: HtmlElement, toc: HtmlElement | None) -> None:
    own_anchors: set[str] = set()
    for section in list(content.iter("div")):
        entities = [child for child in section if child.tag == "div" and "entity" in child.get("class", "").split()]
        if not entities:
            continue
        own = {id(entity) for entity in entities if _iri(entity).startswith(OWN)}
        own_anchors |= {entity.get("id", "") for entity in entities if id(entity) in own}
        heading = lxml.html.fragment_fromstring(f'<p class="imported-heading">{IMPORTED}</p>')
        _own_first(section, entities, own, heading)
    if toc is None:
        return
    for listed in toc.iterfind(".//ul"):
        if "second" not in listed.get("class", "").split():
            continue
        items = [li for li in listed if li.tag == "li"]
        own = {id(li) for li in items if any(a.get("href", "").lstrip("#") in own_anchors for a in li.iterfind("a"))}
        heading = lxml.html.fragment_fromstring(f'<li class="imported-heading">{IMPORTED}</li>')
        _own_first(listed, items, own, heading)


@lru_cache(maxsize=64)
def frame(document: str) -> str:
    """A pyLODE page (or the documentation index) as a workbench page."""
    root = lxml.html.document_fromstring(document)
    title = (root.findtext(".//title") or "Ontology").strip()
    body = root.find("body")
    if body is None:
        return document
    found = body.get_element_by_id("toc", None)
    toc = found if found is not None else None
    if toc is not None:
        toc.getparent().remove(toc)
    content = body.get_element_by_id("content", None)
    if content is None:
        content = body
    _reorder(content, toc)
    head = "".join(
        lxml.html.tostring(script, encoding="unicode")
        for script in root.iterfind(".//head/script")
        if script.get("type") == "application/ld+json"
    )
    inner = (content.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in content)
    if content is not body:
        rest = [child for child in body if child is not content and child.tag != "script"]
        inner += "".join(lxml.html.tostring(child, encoding="unicode") for child in rest)
    return templates.get_template("ontology.html").render(
        {
            "nav": "ontology",
            "title": title,
            "head": head,
            "body": inner,
            "toc": lxml.html.tostring(toc, encoding="unicode") if toc is not None else "",
        }
    )
