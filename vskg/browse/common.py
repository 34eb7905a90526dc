"""What the list, search and folder queries share: names, paging bounds, label choice inside SPARQL, links.

Every query here is one SPARQL query sent through the `Backend` with a deadline, so a list page of a large store
answers (or fails with a clear error) within seconds. Nothing a client sends is spliced into a query: IRIs go
through pyoxigraph's `NamedNode` and texts through `Literal`, whose written forms escape every character that
could end them.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode

from vskg import labels
from vskg.keys import BASE, data_key, id_path
from vskg.store import Backend
from vskg.vocab import PAGE_ROOTS, VSKG

AM = BASE + "archimate#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"

PREFIXES = {
    "vskg": VSKG,
    "am": AM,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": RDFS,
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": SKOS,
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "sh": "http://www.w3.org/ns/shacl#",
}
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


DEADLINE = 10.0  # seconds a list, search or folder query may run
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000


class BadRequest(ValueError):
    """A parameter the client sent cannot be used; the message says which and why (a 400)."""


@dataclass(frozen=True)
class Paging:
    limit: int = DEFAULT_LIMIT
    offset: int = 0


def paging(limit: str | None, offset: str | None) -> Paging:
    """``limit`` (1..1000, default 100) and ``offset`` (0..1,000,000, default 0) from their query-string texts."""
    return Paging(_bounded("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT), _bounded("offset", offset, 0, 0, MAX_OFFSET))


def _bounded(name: str, raw: str | None, default: int, low: int, high: int) -> int:
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}, got {raw[:40]!r}")
    value = int(raw)
    if not low <= value <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}, got {value}")
    return value


def curie(iri: str) -> str:
    """The IRI as a prefixed name when one of the PREFIXES fits, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def page_root(types: set[str]) -> str | None:
    """'streams', 'capabilities' or 'systems' when a resource of these types has a page of that kind."""
    for root, classes in PAGE_ROOTS:
        if types & classes:
            return root
    return None


def href(iri: str, types: set[str]) -> str | None:
    """Where a resource is shown: its stream, capability or system page, else its /id/ page, else nowhere."""
    root = page_root(types)
    if root is not None:
        return f"/{root}/{quote(data_key(iri), safe='/')}"
    return id_path(iri)


def label_pattern(subject: str, out: str) -> str:
    """SPARQL that binds ``out`` to the label vskg.labels would choose for ``subject`` (use with GROUP BY + MIN).

    Each OPTIONAL holds one rank of vskg.labels.rank, so COALESCE takes the best rank present; MIN over the rows
    then takes the first text of that rank in code-point order, as `labels.best` does.
    """
    name = out.lstrip("?")
    ranks = [
        ("rdfs:label", 'langMatches(lang({v}), "en")'),
        ("rdfs:label", 'lang({v}) = ""'),
        ("skos:prefLabel", 'langMatches(lang({v}), "en")'),
        ("skos:prefLabel", 'lang({v}) = ""'),
        ("rdfs:label", "true"),
        ("skos:prefLabel", "true"),
    ]
    parts = []
    variables = []
    for index, (predicate, condition) in enumerate(ranks):
        variable = f"?{name}_{index}"
        variables.append(variable)
        parts.append(f"OPTIONAL {{ {subject} {predicate} {variable} FILTER({condition.format(v=variable)}) }}")
    parts.append(f"BIND(STR(COALESCE({', '.join(variables)})) AS {out})")
    return "\n".join(parts)


def literal(text: str) -> str:
    """A text as a SPARQL string literal, every quote, backslash and line break escaped."""
    return str(Literal(text))


def iri(text: str) -> str:
    """An IRI as ``<...>`` for a query; ValueError for anything that is not an IRI."""
    return str(NamedNode(text))


def best_label(candidates: list[tuple[str, str, str | None]], iri_: str) -> str:
    return labels.best(candidates) or curie(iri_)


def run(store: Backend, text: str):
    """The query (with the shared prefixes) over the union of the graphs, stopped after DEADLINE seconds."""
    return store.query(SPARQL_PREFIXES + text, timeout=DEADLINE, use_default_graph_as_union=True)
