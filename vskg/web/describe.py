"""What the store says about one resource, for the /id/ pages and the side panels of the other pages.

A resource's description is its concise bounded description (every triple with it as subject, followed through
blank nodes so an anonymous node never arrives without its own triples) plus the triples that point at it. The
incoming triples are what let a reader of a stage see the stream that has it, and they cost little: the store
is indexed by object as well as by subject. A triple held in several named graphs is given once.

Everything is read through the store's `Backend` interface with plain SPARQL over the union of the graphs, so the
pages work the same on the embedded store and on a SPARQL server, and each page costs a handful of queries rather
than one per triple or per IRI: a description is one query (blank nodes are followed inside it, because a blank
node cannot be named again in a later query), the incoming triples another, and the labels, texts and types of
every IRI a page shows are fetched together (`facts`). IRIs are written into the query text as ``<iri>`` by
pyoxigraph's `NamedNode`, which refuses anything that is not an IRI, so nothing a client sends can change a query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple

from vskg import labels, rdfio
from vskg.keys import BASE, DATA
from vskg.store import Backend
from vskg.vocab import PAGE_ROOTS, VSKG

if TYPE_CHECKING:
    import rdflib

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


CHUNK = 200  # IRIs per look-up query, so that a page naming many IRIs never sends one huge query
FIRST_DEPTH = 4  # blank-node levels a description follows at first (each level makes the query dearer)
MAX_DEPTH = 32  # the deepest it goes when a description turns out to need more (deeper is cut off here)


def _chain(depth: int) -> str:
    """Nested OPTIONALs that follow ``?o0`` down through blank nodes: level k is ``?o{k-1} ?p{k} ?o{k}``."""
    inner = ""
    for k in range(depth, 0, -1):
        inner = f"OPTIONAL {{ FILTER(isBlank(?o{k - 1})) ?o{k - 1} ?p{k} ?o{k} {inner}}} "
    return inner


def _closures(store: Backend, binding: str) -> dict[str, list[Triple]]:
    """Each root's triples followed by those of the blank nodes they reach, for the roots ``binding`` binds.

    The query follows blank nodes ``FIRST_DEPTH`` levels down; when a blank node at the last level was not
    followed, it is asked again with twice the depth (up to ``MAX_DEPTH``), so one query is the usual cost.
    """
    depth = FIRST_DEPTH
    while True:
        found, cut = _closure_rows(store, binding, depth)
        if not cut or depth >= MAX_DEPTH:
            return found
        depth *= 2


def _closure_rows(store: Backend, binding: str, depth: int) -> tuple[dict[str, list[Triple]], bool]:
    """One query ``depth`` levels deep: the closures found, and whether a blank node at the last level was cut."""
    variables = " ".join(f"?p{k} ?o{k}" for k in range(depth + 1))
    text = f"SELECT ?root {variables} WHERE {{ {binding} ?root ?p0 ?o0 . {_chain(depth)}}}"
    roots: dict[str, NamedNode] = {}
    by_subject: dict[object, dict[Triple, None]] = {}  # each node's triples, in the order the store gives them
    last: set[BlankNode] = set()
    for row in store.query(text, use_default_graph_as_union=True):
        subject, predicate = row["root"], row["p0"]
        roots.setdefault(subject.value, subject)
        for k in range(depth + 1):
            if k:
                subject, predicate = row[f"o{k - 1}"], row[f"p{k}"]
                if predicate is None:
                    break
            by_subject.setdefault(subject, {}).setdefault(Triple(subject, predicate, row[f"o{k}"]), None)
        else:
            if isinstance(row[f"o{depth}"], BlankNode):
                last.add(row[f"o{depth}"])
    found = {iri: _gathered(root, by_subject) for iri, root in roots.items()}
    return found, any(node not in by_subject for node in last)


def _gathered(root: NamedNode, by_subject: dict[object, dict[Triple, None]]) -> list[Triple]:
    """The root's triples, then those of each blank node they reach (the most recently reached first)."""
    gathered = list(by_subject[root])
    done: set[BlankNode] = set()
    queue = [t.object for t in gathered if isinstance(t.object, BlankNode)]
    while queue:
        blank = queue.pop()
        if blank in done:
            continue
        done.add(blank)
        more = list(by_subject.get(blank, ()))
        gathered += more
        queue += [t.object for t in more if isinstance(t.object, BlankNode)]
    return gathered


def bounded(store: Backend, iri: str) -> list[Triple]:
    """The concise bounded description: the IRI's triples, and those of every blank node reached from them."""
    return _closures(store, f"VALUES ?root {{ {NamedNode(iri)} }}").get(iri, [])


def incoming(store: Backend, iri: str) -> list[Triple]:
    """The triples that have the IRI as their object."""
    node = NamedNode(iri)
    found = store.query(f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {node} }}", use_default_graph_as_union=True)
    return [Triple(row["s"], row["p"], node) for row in found]


def hash_terms(store: Backend, iri: str) -> list[str]:
    """Subjects named ``<iri>#something``: the terms a vocabulary document such as .../archimate defines."""
    found = store.query(
        f"SELECT DISTINCT ?s WHERE {{ {_hash_subjects(iri, '?s')} }} ORDER BY ?s", use_default_graph_as_union=True
    )
    return [row["s"].value for row in found]


def _hash_subjects(iri: str, variable: str) -> str:
    prefix = Literal(iri + "#")
    return f"{variable} ?anyP ?anyO FILTER(isIRI({variable}) && STRSTARTS(STR({variable}), {prefix}))"


def describe(store: Backend, iri: str) -> Description:
    """The resource's description; a top-level document (one path segment, like .../archimate) adds its terms.

    A browser never sends the fragment of ``.../archimate#Element``, so the document has to describe its terms
    for such an IRI to resolve. Only single-segment paths are searched for them: the search reads every subject.
    """
    terms: dict[str, list[Triple]] = {}
    if iri.startswith(BASE) and "/" not in iri[len(BASE) :]:
        described = _closures(store, f"{{ SELECT DISTINCT ?root WHERE {{ {_hash_subjects(iri, '?root')} }} }}")
        terms = {term: described[term] for term in sorted(described)}
    return Description(bounded(store, iri), incoming(store, iri), terms)


@dataclass
class Facts:
    """What a page needs to name an IRI and link to it: its label candidates, texts and types."""

    iri: str
    labels: list[tuple[str, str, str | None]] = field(default_factory=list)  # (predicate, text, language)
    texts: dict[str, list[Literal]] = field(default_factory=dict)  # by predicate
    types: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        """The label vskg.labels chooses, else the IRI as a prefixed name (what a page of triples shows)."""
        return labels.best(self.labels) or curie(self.iri)

    @property
    def text(self) -> str | None:
        """The definition or comment that says what the resource is, in English when there is a choice."""
        for predicate in TEXTS:
            values = self.texts.get(predicate)
            if values:
                english = [v for v in values if (v.language or "").lower().startswith("en")]
                return min(english or values, key=lambda v: v.value).value
        return None

    @property
    def page_root(self) -> str | None:
        """'streams', 'capabilities' or 'systems' when the resource has a page of that kind, else None."""
        for root, classes in PAGE_ROOTS:
            if self.types & classes:
                return root
        return None


_FACT_PREDICATES = " ".join(str(NamedNode(p)) for p in (*LABELS, *TEXTS, RDF_TYPE))


def facts(store: Backend, iris: Iterable[str]) -> dict[str, Facts]:
    """The labels, texts and types of every IRI given, in one query per ``CHUNK`` IRIs."""
    found = {iri: Facts(iri) for iri in iris}
    wanted = [iri for iri in found if _is_iri(iri)]  # a blank node's name, say, has no facts to look up
    for start in range(0, len(wanted), CHUNK):
        values = " ".join(str(NamedNode(iri)) for iri in wanted[start : start + CHUNK])
        rows = store.query(
            f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ {_FACT_PREDICATES} }} ?s ?p ?o }}",
            use_default_graph_as_union=True,
        )
        for row in rows:
            entry, predicate, value = found[row["s"].value], row["p"].value, row["o"]
            if predicate == RDF_TYPE:
                if isinstance(value, NamedNode):
                    entry.types.add(value.value)
            elif isinstance(value, Literal):
                if predicate in LABELS:
                    entry.labels.append((predicate, value.value, value.language))
                else:
                    entry.texts.setdefault(predicate, []).append(value)
    return found


def _is_iri(text: str) -> bool:
    try:
        NamedNode(text)
    except ValueError:
        return False
    return True


def label(store: Backend, iri: str) -> str:
    """The label vskg.labels chooses, else the IRI as a prefixed name."""
    return facts(store, [iri])[iri].label


def text(store: Backend, iri: str) -> str | None:
    """The definition or comment that says what the resource is."""
    return facts(store, [iri])[iri].text


def types(store: Backend, iri: str) -> set[str]:
    return facts(store, [iri])[iri].types


def page_root(store: Backend, iri: str) -> str | None:
    """'streams', 'capabilities' or 'systems' when the resource has a page of that kind, else None."""
    return facts(store, [iri])[iri].page_root


def curie(iri: str) -> str:
    """The shortest prefixed name for the IRI, or the IRI itself."""
    best = None
    for prefix, namespace in PREFIXES.items():
        longer = best is None or len(namespace) > len(PREFIXES[best])
        if iri.startswith(namespace) and len(iri) > len(namespace) and longer:
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def to_rdflib(triples: list[Triple]) -> rdflib.Graph:
    import rdflib  # imported where used: `vskg serve` starts without it

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
