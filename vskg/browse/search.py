"""Search over the names of every kind of resource: labels, preferred and alternative labels, ArchiMate names and
labels, notations.

The query text is lower-cased and bound as an escaped SPARQL string literal (`common.literal`), matched with
CONTAINS (no regular expression, so ``.*`` or ``(`` mean themselves), and the answer is capped. Results are ranked
in Python: a name equal to the text first, then names starting with it, then the rest, each by label.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from vskg.browse.common import AM, BadRequest, best_label, curie, href, iri, literal, page_root, run
from vskg.keys import data_key
from vskg.store import Backend

MAX_QUERY = 200  # characters of search text
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
SCAN = 2000  # matching names read at most; more means the answer says it was cut
NAME_PREDICATES = (
    "rdfs:label",
    "skos:prefLabel",
    "skos:altLabel",
    "skos:notation",
    "am:name",
    "am:label",
)


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    type: str | None
    href: str | None
    matched: str  # the name that matched

    def as_json(self) -> dict:
        return {
            "iri": self.iri,
            "key": data_key(self.iri),
            "label": self.label,
            "type": self.type,
            "href": self.href,
            "matched": self.matched,
        }


@dataclass(frozen=True)
class Found:
    query: str
    hits: list[Hit]
    truncated: bool

    def as_json(self) -> dict:
        return {"q": self.query, "truncated": self.truncated, "results": [h.as_json() for h in self.hits]}


def checked(raw: str | None) -> str:
    """The search text, stripped; BadRequest (a 400) when it is missing, too long or holds control characters."""
    text = (raw or "").strip()
    if not text:
        raise BadRequest("q is required: the text to look for in names and labels")
    if len(text) > MAX_QUERY:
        raise BadRequest(f"q is {len(text)} characters long; at most {MAX_QUERY} are accepted")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text):
        raise BadRequest("q must not contain control characters")
    return text


def limit_of(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw[:9]) <= MAX_LIMIT or len(raw) > 9:
        raise BadRequest(f"limit must be a whole number from 1 to {MAX_LIMIT}, got {raw[:40]!r}")
    return int(raw)


def search(store: Backend, text: str, limit: int = DEFAULT_LIMIT) -> Found:
    """Resources with a name containing ``text`` (case-insensitive), best first, at most ``limit``."""
    needle = text.lower()
    rows = run(
        store,
        f"""SELECT DISTINCT ?s ?l WHERE {{
          VALUES ?p {{ {" ".join(NAME_PREDICATES)} }}
          ?s ?p ?l .
          FILTER(isIRI(?s) && isLiteral(?l) && CONTAINS(LCASE(STR(?l)), {literal(needle)}))
        }} LIMIT {SCAN + 1}""",
    )
    matched: dict[str, str] = {}
    count = 0
    for solution in rows:
        count += 1
        subject, name = solution["s"].value, solution["l"].value
        if subject not in matched or _rank(name, needle) < _rank(matched[subject], needle):
            matched[subject] = name
    truncated = count > SCAN
    facts = _facts(store, list(matched))
    hits = []
    for subject, name in matched.items():
        candidates, types, archimate = facts.get(subject, ([], set(), None))
        hits.append(Hit(subject, best_label(candidates, subject), _type(types, archimate), href(subject, types), name))
    hits.sort(key=lambda h: (_rank(h.matched, needle), h.label.casefold(), h.iri))
    return Found(text, hits[:limit], truncated or len(hits) > limit)


def _rank(name: str, needle: str) -> int:
    lowered = name.lower()
    return 0 if lowered == needle else 1 if lowered.startswith(needle) else 2


def _type(types: set[str], archimate: str | None) -> str | None:
    root = page_root(types)
    if root is not None:
        return {"streams": "vskg:ValueStream", "capabilities": "vskg:Capability", "systems": "vskg:System"}[root]
    if archimate is not None:
        return "am:" + archimate
    vskg = sorted(curie(t) for t in types if t.startswith("https://w3id.org/vskg/"))
    return (vskg or sorted(curie(t) for t in types) or [None])[0]


def _facts(store: Backend, subjects: list[str]) -> dict[str, tuple[list, set[str], str | None]]:
    """The label candidates, classes and ArchiMate type of each subject, in one query per 500."""
    found: dict[str, tuple[list, set[str], str | None]] = {}
    for start in range(0, len(subjects), 500):
        values = " ".join(iri(s) for s in subjects[start : start + 500])
        text = f"""SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }}
            VALUES ?p {{ rdfs:label skos:prefLabel rdf:type am:type }} ?s ?p ?o }}"""
        for solution in run(store, text):
            subject, predicate, obj = solution["s"].value, solution["p"].value, solution["o"]
            candidates, types, _ = found.setdefault(subject, ([], set(), None))
            if predicate.endswith("#type") and predicate.startswith(AM):
                found[subject] = (candidates, types, obj.value)
            elif predicate.endswith("rdf-syntax-ns#type"):
                types.add(obj.value)
            else:
                candidates.append((predicate, obj.value, getattr(obj, "language", None)))
    return found
