"""HTTP content negotiation for SPARQL results and RDF documents (RFC 9110 Accept with q-values)."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import RdfFormat

# SELECT and ASK answers, first is the default; ASK has no CSV/TSV form in the SPARQL 1.1 specs.
RESULT_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
RESULT_ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
}
BOOLEAN_TYPES = RESULT_TYPES[:2]

# CONSTRUCT and DESCRIBE answers (and Graph Store GETs), first is the default.
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"]
GRAPH_ALIASES = {"text/plain": "application/n-triples", "application/json": "application/ld+json"}
RDF_FORMATS = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/n-quads": RdfFormat.N_QUADS,
    "application/trig": RdfFormat.TRIG,
}


class NotAcceptable(Exception):
    """None of the media types the client accepts can carry this answer."""

    def __init__(self, offered: list[str]) -> None:
        self.offered = offered
        super().__init__("this answer is available as " + ", ".join(offered))


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media: str) -> bool:
        kind, _, sub = media.partition("/")
        return (self.type in ("*", kind)) and (self.subtype in ("*", sub))

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def _ranges(accept: str | None) -> list[_Range]:
    if not accept or not accept.strip():
        return [_Range("*", "*", 1.0, 0)]
    ranges = []
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        kind, _, sub = media.partition("/")
        ranges.append(_Range(kind, sub, q, order))
    return ranges


def choose(accept: str | None, offered: list[str], aliases: dict[str, str] | None = None) -> str:
    """Pick the offered type the client prefers; ties go to the server's order (its first is the default)."""
    aliases = aliases or {}
    ranges = _ranges(accept)
    candidates = list(offered) + [a for a in aliases if aliases[a] in offered]
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for position, media in enumerate(candidates):
        matching = [r for r in ranges if r.matches(media)]
        if not matching:
            continue
        top = max(matching, key=lambda r: (r.specificity, r.q))
        if top.q <= 0:
            continue
        score = (top.q, top.specificity, -position, 0)
        if best is None or score > best:
            best, chosen = score, media
    if chosen is None:
        raise NotAcceptable(offered)
    return aliases.get(chosen, chosen)


def result_type(accept: str | None, kind: str) -> str:
    """Media type for a query answer of ``kind`` 'select', 'ask' or 'graph'."""
    if kind == "graph":
        return choose(accept, GRAPH_TYPES, GRAPH_ALIASES)
    return choose(accept, RESULT_TYPES if kind == "select" else BOOLEAN_TYPES, RESULT_ALIASES)


# --- ?format=, for clients that cannot send Accept ----------------------------------------------------------------
# Spreadsheets' "From Web" (Excel, Power BI) and plain links cannot set a header, so the answer's form can also be
# named in the URL. The names are the usual file suffixes; one name per media type, so `json` and `xml` always mean
# the SPARQL results formats and the RDF syntaxes of a graph answer have names of their own.

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMAT_NAMES: dict[str, dict[str, str]] = {
    "select": {
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "xlsx": XLSX,
    },
    "ask": {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml"},
    "graph": {
        "ttl": "text/turtle",
        "nt": "application/n-triples",
        "jsonld": "application/ld+json",
        "rdfxml": "application/rdf+xml",
    },
}
# Other names clients send for the same formats: SPARQLWrapper adds `format=turtle`, `n3`, `rdf+xml`, `json-ld`, and
# `xml` or `json` for a graph too (as Virtuoso reads them); a media type names its format as well.
ALIASES: dict[str, dict[str, str]] = {
    "select": {},
    "ask": {},
    "graph": {
        "turtle": "ttl",
        "n3": "ttl",
        "xml": "rdfxml",
        "rdf": "rdfxml",
        "rdf+xml": "rdfxml",
        "json": "jsonld",
        "json-ld": "jsonld",
        "ntriples": "nt",
        "n-triples": "nt",
    },
}
ALL_FORMATS = list(dict.fromkeys(name for names in FORMAT_NAMES.values() for name in names))
# Suffixes of the files a download is saved as, by media type.
SUFFIXES = {media: name for names in FORMAT_NAMES.values() for name, media in names.items()}
_FORMS = {"select": "a SELECT query", "ask": "an ASK query", "graph": "a CONSTRUCT or DESCRIBE query"}
SHOWN = 40  # characters of a refused value repeated in the message


def excerpt(value: str) -> str:
    """A refused value as a message may repeat it: escaped (repr) and cut short."""
    cut = f" (cut at {SHOWN} of {len(value)} characters)" if len(value) > SHOWN else ""
    return repr(value[:SHOWN]) + cut


class FormatRefused(ValueError):
    """A ?format= value that is unknown, or does not fit the query's kind of answer; the message lists the names."""


def _listed(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


def format_type(name: str, kind: str) -> str:
    """The media type ``?format=name`` asks for, for an answer of ``kind`` 'select', 'ask' or 'graph'."""
    known = FORMAT_NAMES[kind]
    wanted = ALIASES[kind].get(name.lower(), name.lower())
    if wanted in known:
        return known[wanted]
    if wanted in known.values():
        return wanted
    if wanted not in ALL_FORMATS:
        raise FormatRefused(f"format must be one of {', '.join(ALL_FORMATS)}; got {excerpt(name)}")
    raise FormatRefused(f"format {wanted!r} does not fit {_FORMS[kind]}; its answer comes as {_listed(list(known))}")
