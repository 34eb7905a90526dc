"""HTML documentation of the ontology and its concept schemes, rendered with pyLODE and kept once rendered.

pyLODE is pinned at 3.3.4, the last release that runs on Python 3.11. Some of its habits are worked around here
instead of inherited, because a command line tool and a service cannot live with them:

- importing it runs ``logging.basicConfig(level=DEBUG)`` (in its Supermodel profile), which would make every
  library in the process chatty; the root logger is put back as it was straight after the import;
- its constructors build a graph of "background" vocabularies and cache it as pickle files inside site-packages,
  which fails on a read-only install and races between processes; here that graph is built once per process,
  in memory only, and the constructors are not used;
- its loader would fetch a location starting with ``http`` and calls ``exit()`` on any error; it is only ever
  handed an rdflib graph parsed here from a bundled file, so documenting never opens a network connection;
- its VocPub profile documents OWL classes and properties only, so a concept scheme page gets a Concepts section
  made with pyLODE's own section renderer, after teaching pyLODE the marker of a SKOS concept.
"""

from __future__ import annotations

import html
import importlib
import logging
import posixpath
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

from dominate import document
from dominate.tags import a, div, h4, li, sup, td, tr, ul
from dominate.util import raw
from rdflib import DC, DCTERMS, OWL, RDF, RDFS, SDO, SKOS, XSD, BNode, Graph, Literal, URIRef

from vskg import __version__
from vskg.resources import Bundle, locate


class DocsError(Exception):
    """A bundled file could not be documented; the message names the file."""


def _import_quietly(name: str) -> ModuleType:
    """Import a pyLODE module without letting it reconfigure the root logger."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        return importlib.import_module(name)
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers


_utils = _import_quietly("pylode.utils")
_ontpub = _import_quietly("pylode.profiles.ontpub")
_vocpub = _import_quietly("pylode.profiles.vocpub")
_elements = _import_quietly("pylode.rdf_elements")
PYLODE_VERSION: str = _import_quietly("pylode.version").__version__

# The superscript that marks an entry's kind: pyLODE 3.3.4 styles "con" but no longer maps SKOS concepts to it.
_elements.ONT_TYPES.setdefault(SKOS.Concept, ("con", "SKOS Concept"))

# What a concept's entry shows, in this order; dcterms:title (from skos:prefLabel) is its heading.
CONCEPT_PROPS = [
    DCTERMS.title,
    SKOS.notation,
    SKOS.altLabel,
    DCTERMS.description,
    SKOS.scopeNote,
    SKOS.example,
    SKOS.note,
    RDF.type,
    SKOS.broader,
    SKOS.narrower,
    SKOS.topConceptOf,
    SKOS.related,
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
    URIRef("https://w3id.org/vskg/ontology#isicCode"),
    DCTERMS.source,
]


# --- the background vocabularies pyLODE labels properties with ---------------------------------------------


@dataclass(frozen=True)
class _Background:
    graph: Graph
    titles: dict[str, str]  # ontology IRI -> title, sorted by title (pyLODE picks the last matching prefix)
    labels: dict[URIRef, dict]  # property -> title, description, ontology title


_SAME_AS = {
    DC.title: DCTERMS.title,
    RDFS.label: DCTERMS.title,
    SKOS.prefLabel: DCTERMS.title,
    SDO.name: DCTERMS.title,
    DC.description: DCTERMS.description,
    RDFS.comment: DCTERMS.description,
    SKOS.definition: DCTERMS.description,
    SDO.description: DCTERMS.description,
}


@cache
def _background() -> _Background:
    """pyLODE's copies of RDF, RDFS, OWL, SKOS, DCTERMS, PROV, schema.org ..., and the vskg ontology, in memory.

    With the vskg ontology among them, a scheme page names the vskg classes and properties it uses by their labels.
    """
    graph = Graph(bind_namespaces="core")
    for source in sorted(_utils.RDF_FOLDER.glob("*.ttl")):
        graph.parse(source, format="turtle")
    graph += parse(locate().ontology)
    # pyLODE reads names and descriptions through dcterms only, whatever property the vocabulary used.
    for said, meant in _SAME_AS.items():
        for subject, value in list(graph.subject_objects(said)):
            graph.add((subject, meant, value))
    found = {str(o): str(t) for o in graph.subjects(RDF.type, OWL.Ontology) for t in graph.objects(o, DCTERMS.title)}
    titles = dict(sorted(found.items(), key=lambda item: item[1]))
    labels = {prop: _label(graph, titles, prop) for prop in {*_elements.PROPS, *CONCEPT_PROPS}}
    return _Background(graph, titles, labels)


def _label(graph: Graph, titles: dict[str, str], prop: URIRef) -> dict:
    title = graph.value(prop, DCTERMS.title)
    owner = [name for iri, name in titles.items() if str(prop).startswith(iri)]
    return {
        "title": title if title is not None else _utils.make_title_from_iri(prop),
        "description": graph.value(prop, DCTERMS.description) or "",
        "ont_title": owner[-1] if owner else "an unknown vocabulary",
    }


# --- pyLODE documents built from a prepared graph ------------------------------------------------------------


class _Prepared:
    """Set up a pyLODE document the way its constructor would, from our graph and the shared background."""

    def __init__(self, graph: Graph, nav: str) -> None:
        background = _background()
        self.nav = nav
        self.ont = graph
        self._ontdoc_inference(self.ont)
        self.back_onts = background.graph
        self.back_onts_titles = background.titles
        self.props_labeled = background.labels
        self.toc: dict = {}
        self.fids: dict = {}
        self.ns = _utils.get_ns(self.ont)
        # Anchors are the terms' local names, so an IRI such as .../ontology#ValueStreamStage finds its entry.
        for term in set(self.ont.subjects()):
            local = str(term)[len(self.ns[1]) :].lstrip("#/") if str(term).startswith(self.ns[1]) else ""
            if isinstance(term, URIRef) and local:
                self.fids[str(term)] = local
        title = next((str(t) for s in _documented(self.ont) for t in self.ont.objects(s, DCTERMS.title)), None)
        if title is None:
            raise DocsError("it has no title (dcterms:title, rdfs:label or skos:prefLabel)")
        self.doc = document(title=title)
        with self.doc:
            self.content = div(id="content")

    def _make_body(self) -> None:
        with self.content:
            raw(self.nav)
        super()._make_body()


class _OntologyPage(_Prepared, _ontpub.OntPub):
    pass


class _SchemePage(_Prepared, _vocpub.VocPub):
    """A concept scheme: pyLODE's metadata, namespaces and legend, plus a section listing every concept."""

    def _make_main_sections(self) -> None:
        super()._make_main_sections()
        with self.content:
            section = _utils.section_html(
                "Concepts",
                self.ont,
                self.back_onts,
                self.ns,
                SKOS.Concept,
                CONCEPT_PROPS,
                self.toc,
                "concepts",
                self.fids,
                self.props_labeled,
            )
            section.render()

    def _make_legend(self) -> None:
        super()._make_legend()
        legend = self.content.get(id="legend")[0].get("table")[0]
        legend.add(tr(td(sup("con", _class="sup-con", title="SKOS Concept")), td("Concepts")))

    def _make_toc(self) -> None:
        super()._make_toc()
        first = self.doc.get(id="toc")[0].get("ul")[0]
        entries = li(h4(a("Concepts", href="#concepts")))
        listed = ul(_class="second")
        for anchor, title in self.toc.get("concepts", []):
            listed.add(li(a(title, href=anchor)))
        entries.add(listed)
        first.children.insert(1, entries)
        entries.parent = first


def _documented(graph: Graph) -> list[URIRef]:
    return [s for kind in (OWL.Ontology, SKOS.ConceptScheme) for s in graph.subjects(RDF.type, kind)]


def _sorted_copy(graph: Graph) -> Graph:
    """A copy to render (pyLODE adds its own inferences to it), named entries in IRI order for stable pages."""
    copy = Graph(bind_namespaces="core")
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=True)
    for triple in sorted(graph):
        copy.add(triple)
    return copy


def _scheme_view(graph: Graph) -> Graph:
    """The scheme as its page shows it: narrower filled in from broader, and one title in the heading."""
    view = _sorted_copy(graph)
    for narrower, broader in graph.subject_objects(SKOS.broader):
        view.add((broader, SKOS.narrower, narrower))
    for scheme in graph.subjects(RDF.type, SKOS.ConceptScheme):
        if (scheme, DCTERMS.title, None) in graph:  # the other names would run into the heading
            view.remove((scheme, RDFS.label, None))
            view.remove((scheme, SKOS.prefLabel, None))
    return view


def parse(path: Path) -> Graph:
    """A bundled Turtle file as an rdflib graph, or DocsError naming the file."""
    try:
        return Graph().parse(path, format="turtle")
    except Exception as problem:  # rdflib raises many kinds; the person needs the file and the reason
        raise DocsError(f"cannot read {path}: {problem}") from None


def _render(page: type[_Prepared], path: Path, graph: Graph, nav: str) -> str:
    try:
        return page(graph, nav).make_html()
    except DocsError as problem:
        raise DocsError(f"pyLODE cannot document {path}: {problem}") from None
    except Exception as problem:
        raise DocsError(f"pyLODE cannot document {path}: {type(problem).__name__}: {problem}") from None


def render_ontology(path: Path, nav: str = "") -> str:
    """The OWL ontology as a pyLODE OntPub page."""
    view = _sorted_copy(parse(path))
    ranges = _data_ranges(view)
    page = _render(_OntologyPage, path, view, nav)
    # pyLODE links the anonymous datatype of a restriction ("only xsd:decimal[>= 0]") to its blank node id.
    for node, written in ranges.items():
        page = page.replace(f'<a href="{node}">{node}</a>', f'<span class="datarange">{html.escape(written)}</span>')
    return page


_FACETS = {XSD.minInclusive: ">=", XSD.maxInclusive: "<=", XSD.minExclusive: ">", XSD.maxExclusive: "<"}


def _data_ranges(graph: Graph) -> dict[str, str]:
    """Blank-node datatype restrictions in Manchester syntax, such as ``xsd:decimal[>= 0, <= 100]``."""
    ranges = {}
    for node, base in graph.subject_objects(OWL.onDatatype):
        if not isinstance(node, BNode):
            continue
        facets = []
        for item in graph.items(graph.value(node, OWL.withRestrictions)):
            for facet, value in graph.predicate_objects(item):
                shown = f'"{value}"' if isinstance(value, Literal) and isinstance(value.value, str) else str(value)
                facets.append(f"{_FACETS.get(facet, graph.qname(facet))} {shown}")
        ranges[str(node)] = f"{graph.qname(base)}[{', '.join(facets)}]"
    return ranges


def render_scheme(path: Path, nav: str = "") -> str:
    """A SKOS concept scheme as a pyLODE VocPub page with its concepts."""
    return _render(_SchemePage, path, _scheme_view(parse(path)), nav)


# --- the set of pages: where they live and how they link to each other ---------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where each page lives, as a path relative to the site root; links between pages are made relative."""

    index: str
    ontology: str
    scheme: str  # with {name}

    def scheme_page(self, name: str) -> str:
        return self.scheme.format(name=name)

    @staticmethod
    def href(here: str, there: str) -> str:
        """A relative link; via the target's folder, since ``ontology`` is both a page and a folder when served."""
        folder = posixpath.relpath(posixpath.dirname(there) or ".", posixpath.dirname(here) or ".")
        return posixpath.normpath(posixpath.join(folder, posixpath.basename(there)))


FILES = Layout(index="index.html", ontology="ontology.html", scheme="schemes/{name}.html")
SERVED = Layout(index="ontology/index", ontology="ontology", scheme="ontology/schemes/{name}")


@dataclass(frozen=True)
class Page:
    path: str  # where the layout puts it
    label: str  # what a progress bar says
    render: Callable[[], str]


class Site:
    """The documentation of one bundle in one layout; each page is rendered on first use and then kept."""

    def __init__(self, bundle: Bundle, layout: Layout) -> None:
        self.bundle, self.layout = bundle, layout
        self.schemes = {path.stem: path for path in bundle.schemes}
        self._pages: dict[str, str] = {}
        self._lock = threading.Lock()  # one render at a time: pyLODE is CPU bound and builds shared state

    def pages(self) -> list[Page]:
        """Every page: the ontology, each scheme, then the index."""
        layout = self.layout
        pages = [Page(layout.ontology, "ontology", self.ontology_html)]
        pages += [
            Page(layout.scheme_page(name), f"scheme {name}", lambda name=name: self.scheme_html(name))
            for name in self.schemes
        ]
        return [*pages, Page(layout.index, "index", self.index_html)]

    def ontology_html(self) -> str:
        here = self.layout.ontology
        return self._kept(here, lambda: render_ontology(self.bundle.ontology, self._nav(here)))

    def scheme_html(self, name: str) -> str:
        """The page of a scheme by its file name (``mca``); KeyError for a scheme that is not bundled."""
        path = self.schemes[name]
        here = self.layout.scheme_page(name)
        return self._kept(here, lambda: render_scheme(path, self._nav(here)))

    def index_html(self) -> str:
        return self._kept(self.layout.index, self._index)

    def _kept(self, key: str, render: Callable[[], str]) -> str:
        with self._lock:
            if key not in self._pages:
                self._pages[key] = render()
            return self._pages[key]

    def _nav(self, here: str) -> str:
        link = self.layout.href
        schemes = " ".join(
            f'<a href="{html.escape(link(here, self.layout.scheme_page(n)))}">{html.escape(n)}</a>'
            for n in self.schemes
        )
        return (
            '<nav id="vskg-nav" style="margin-bottom:1em;font-size:0.9em">'
            f'<a href="{html.escape(link(here, self.layout.index))}">vskg documentation</a> | '
            f'<a href="{html.escape(link(here, self.layout.ontology))}">ontology</a> | schemes: {schemes}</nav>'
        )

    def _index(self) -> str:
        here, layout = self.layout.index, self.layout
        ontology = parse(self.bundle.ontology)
        subject = _documented(ontology)[0]
        rows = []
        for name, path in self.schemes.items():
            graph = parse(path)
            scheme = next(iter(graph.subjects(RDF.type, SKOS.ConceptScheme)), None)
            title = _title(graph, scheme) if scheme is not None else name
            concepts = len(set(graph.subjects(RDF.type, SKOS.Concept)))
            rows.append(
                f'<tr><td><a href="{html.escape(layout.href(here, layout.scheme_page(name)))}">{html.escape(title)}'
                f"</a></td><td>{html.escape(name)}</td><td>{concepts}</td><td><code>{html.escape(str(scheme))}</code>"
                "</td></tr>"
            )
        description = ontology.value(subject, DCTERMS.description)
        return _INDEX.format(
            ontology_href=html.escape(layout.href(here, layout.ontology)),
            ontology_title=html.escape(_title(ontology, subject)),
            ontology_iri=html.escape(str(subject)),
            version=html.escape(str(ontology.value(subject, OWL.versionInfo) or "")),
            description=html.escape(str(description or "")),
            classes=len({c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}),
            rows="\n".join(rows),
            vskg=html.escape(__version__),
            pylode=html.escape(PYLODE_VERSION),
        )


def _title(graph: Graph, subject: URIRef) -> str:
    for prop in (DCTERMS.title, SKOS.prefLabel, RDFS.label):
        value = graph.value(subject, prop)
        if isinstance(value, Literal):
            return str(value)
    return str(subject)


_INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>vskg ontology documentation</title>
<style>
body {{ font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #222; }}
table {{ border-collapse: collapse; }}
td, th {{ text-align: left; padding: 0.3em 0.8em; border-bottom: 1px solid #ddd; }}
code {{ font-size: 0.9em; }}
</style>
</head>
<body>
<h1>vskg ontology documentation</h1>
<h2>Ontology</h2>
<p><a href="{ontology_href}">{ontology_title}</a> (version {version}, {classes} classes)<br>
<code>{ontology_iri}</code></p>
<p>{description}</p>
<h2>Concept schemes</h2>
<table id="schemes">
<tr><th>Scheme</th><th>Name</th><th>Concepts</th><th>IRI</th></tr>
{rows}
</table>
<p><small>vskg {vskg}, pages made with pyLODE {pylode}.</small></p>
</body>
</html>
"""


@cache
def served_site() -> Site:
    """The pages the service answers with, shared by every request of the process."""
    return Site(locate(), SERVED)
