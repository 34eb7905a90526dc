"""What the store says about one resource, for the /id/ pages and the side panels of the other pages.

A resource's description is its concise bounded description (every triple with it as subject, followed through
blank nodes so an anonymous node never arrives without its own triples) plus the triples that point at it. The
incoming triples are what let a reader of a stage see the stream that has it, and they cost little: the store
is indexed by object as well as by subject. A triple held in several named graphs is given once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph
import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple

from vskg import labels, rdfio
from vskg.keys import BASE, DATA
from vskg.vocab import STREAM_CLASSES, VSKG

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = labels.LABEL_PREDICATES
TEXTS = ("http://www.w3.org/2004/02/skos/core#definition", "http://www.w3.org/2000/01/rdf-schema#comment")

# Prefixes for Turtle, the JSON-LD context and CURIEs on the pages: the vocabularies the bundled data uses.
PREFIXES: dict[str, str] = {
    "vskg": VSKG,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "unit": "http://qudt.org/vocab/unit/",
    "src": BASE + "source/",
    "am": BASE + "archimate#",
}
for _scheme in ("mca", "safe", "itil4", "lean", "flow", "dora", "porter", "bmm", "maturity", "industry", "archimate"):
    PREFIXES[_scheme] = f"{BASE}scheme/{_scheme}/"
for _folder in ("banking", "government", "retail", "oil-and-gas", "airline", "telecom", "technology", "platform"):
    PREFIXES[_folder] = f"{DATA}{_folder}/"

# The kinds of resource that have a page of their own, by the classes that make them so.
CAPABILITY_CLASSES = frozenset({VSKG + "Capability"})
SYSTEM_CLASSES = frozenset({VSKG + "System", VSKG + "ApplicationSystem", VSKG + "TechnologyPlatform"})
PAGE_ROOTS = (("streams", STREAM_CLASSES), ("capabilities", CAPABILITY_CLASSES), ("systems", SYSTEM_CLASSES))


@dataclass(frozen=True)
class Description:
    outgoing: list[Triple]  # the resource's triples, then those of the blank nodes they reach
    incoming: list[Triple]  # triples with the resource as object
    terms: dict[str, list[Triple]] = field(default_factory=dict)  # hash terms of a vocabulary document, described

    @property
    def triples(self) -> list[Triple]:
        seen = dict.fromkeys(self.outgoing)
        for described in self.terms.values():
            seen.update(dict.fromkeys(described))
        seen.update(dict.fromkeys(self.incoming))
        return list(seen)

    @property
    def empty(self) -> bool:
        return not self.outgoing and not self.incoming and not self.terms


def _triples(db: pyoxigraph.Store, subject=None, obj=None) -> list[Triple]:
    seen: dict[Triple, None] = {}
    for quad in db.quads_for_pattern(subject, None, obj, None):
        seen.setdefault(quad.triple, None)
    return list(seen)


def bounded(db: pyoxigraph.Store, iri: str) -> list[Triple]:
    """The concise bounded description: the IRI's triples, and those of every blank node reached from them."""
    outgoing = _triples(db, subject=NamedNode(iri))
    done: set[BlankNode] = set()
    queue = [t.object for t in outgoing if isinstance(t.object, BlankNode)]
    while queue:
        blank = queue.pop()
        if blank in done:
            continue
        done.add(blank)
        more = _triples(db, subject=blank)
        outgoing += more
        queue += [t.object for t in more if isinstance(t.object, BlankNode)]
    return outgoing


def hash_terms(db: pyoxigraph.Store, iri: str) -> list[str]:
    """Subjects named ``<iri>#something``: the terms a vocabulary document such as .../archimate defines."""
    prefix = Literal(iri + "#")
    found = db.query(
        f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), {prefix})) }} ORDER BY ?s",
        use_default_graph_as_union=True,
    )
    return [row["s"].value for row in found]


def describe(db: pyoxigraph.Store, iri: str) -> Description:
    """The resource's description; a top-level document (one path segment, like .../archimate) adds its terms.

    A browser never sends the fragment of ``.../archimate#Element``, so the document has to describe its terms
    for such an IRI to resolve. Only single-segment paths are searched for them: the search reads every subject.
    """
    terms: dict[str, list[Triple]] = {}
    if iri.startswith(BASE) and "/" not in iri[len(BASE) :]:
        terms = {term: bounded(db, term) for term in hash_terms(db, iri)}
    return Description(bounded(db, iri), _triples(db, obj=NamedNode(iri)), terms)


def first_literal(db: pyoxigraph.Store, iri: str, predicates: Iterable[str]) -> str | None:
    """The first of ``predicates`` that has a value, in English when there is a choice."""
    for predicate in predicates:
        values = [
            q.object
            for q in db.quads_for_pattern(NamedNode(iri), NamedNode(predicate), None, None)
            if isinstance(q.object, Literal)
        ]
        if values:
            english = [v for v in values if (v.language or "").lower().startswith("en")]
            return min(english or values, key=lambda v: v.value).value
    return None


def label(db: pyoxigraph.Store, iri: str) -> str:
    """The label vskg.labels chooses, else the IRI as a prefixed name (what a page of triples shows)."""
    candidates = [
        (predicate, q.object.value, q.object.language)
        for predicate in LABELS
        for q in db.quads_for_pattern(NamedNode(iri), NamedNode(predicate), None, None)
        if isinstance(q.object, Literal)
    ]
    return labels.best(candidates) or curie(iri)


def text(db: pyoxigraph.Store, iri: str) -> str | None:
    """The definition or comment that says what the resource is."""
    return first_literal(db, iri, TEXTS)


def types(db: pyoxigraph.Store, iri: str) -> set[str]:
    return {
        q.object.value
        for q in db.quads_for_pattern(NamedNode(iri), NamedNode(RDF_TYPE), None, None)
        if isinstance(q.object, NamedNode)
    }


def page_root(db: pyoxigraph.Store, iri: str) -> str | None:
    """'streams', 'capabilities' or 'systems' when the resource has a page of that kind, else None."""
    kinds = types(db, iri)
    for root, classes in PAGE_ROOTS:
        if kinds & classes:
            return root
    return None


def curie(iri: str) -> str:
    """The shortest prefixed name for the IRI, or the IRI itself."""
    best = None
    for prefix, namespace in PREFIXES.items():
        longer = best is None or len(namespace) > len(PREFIXES[best])
        if iri.startswith(namespace) and len(iri) > len(namespace) and longer:
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def to_rdflib(triples: list[Triple]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    return rdfio.to_rdflib(triples, graph)


def serialise(triples: list[Triple], media: str) -> bytes:
    """The triples as Turtle, N-Triples or JSON-LD (compacted with the vskg prefixes as its context)."""
    if media == "application/n-triples":
        return pyoxigraph.serialize(triples, format=RdfFormat.N_TRIPLES) or b""
    graph = to_rdflib(triples)
    if media == "application/ld+json":
        context = dict(PREFIXES)
        return graph.serialize(format="json-ld", context=context, auto_compact=True).encode("utf-8")
    return graph.serialize(format="turtle").encode("utf-8")
