"""The rows of the list pages: value streams, capabilities, systems and the resources of any one type.

Each list is two bounded SPARQL queries: the first picks the page of resources (sorted by the label vskg.labels
chooses, case-insensitively, then by IRI; at most ``limit + 1`` rows, the last only telling whether more follow),
the second reads the few columns a reader scans (a stream's stages and owner, a capability's level, parent and
maturity, a system's kind and the capabilities it supports) for that page's resources only, named in a VALUES
block. Its UNION of column patterns keeps the rows to the sum of the columns' values, not their product. (Joining
the columns onto the page inside one query made Oxigraph read them for the whole store: minutes at 400,000
triples.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from vskg.browse.common import (
    AM,
    PREFIXES,
    BadRequest,
    Paging,
    best_label,
    curie,
    href,
    iri,
    label_pattern,
    literal,
    run,
)
from vskg.keys import data_key
from vskg.store import Backend
from vskg.vocab import STREAM_CLASSES, SYSTEM_CLASSES, VSKG

# The classes of the am: vocabulary (ontology/archimate.ttl); any other am: name is an ArchiMate type (am:type).
AM_CLASSES = frozenset(
    {"Model", "Element", "Relationship", "Property", "PropertyDefinition", "Organization", "Tally"}
    | {"View", "ViewNode", "Connection", "Bendpoint", "Style", "Color"}
)
MAX_TYPE = 300
_CURIE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):([A-Za-z0-9_][A-Za-z0-9_.-]*)")
_LABELLED = "VALUES ?vlp { rdfs:label skos:prefLabel }"


@dataclass(frozen=True)
class Ref:
    iri: str
    label: str
    href: str | None

    def as_json(self) -> dict:
        return {"iri": self.iri, "key": data_key(self.iri), "label": self.label, "href": self.href}


@dataclass
class Row:
    iri: str
    label: str
    type: str
    href: str | None
    columns: dict[str, object] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return data_key(self.iri)

    def as_json(self) -> dict:
        columns = {
            name: [v.as_json() for v in found] if isinstance(found, list) else found
            for name, found in self.columns.items()
        }
        return {"iri": self.iri, "key": self.key, "label": self.label, "type": self.type, "href": self.href, **columns}


@dataclass(frozen=True)
class ListPage:
    rows: list[Row]
    limit: int
    offset: int
    more: bool  # whether rows follow this page

    def as_json(self) -> dict:
        following = self.offset + self.limit if self.more else None
        rows = [r.as_json() for r in self.rows]
        return {"limit": self.limit, "offset": self.offset, "next_offset": following, "rows": rows}


@dataclass(frozen=True)
class Column:
    name: str
    pattern: str  # SPARQL over ?s that binds ?v
    kind: str  # "ref" (?v an IRI, labelled), "count" (distinct ?v counted) or "value" (first ?v, a literal)


STREAM_COLUMNS = (
    Column("stages", "?s (vskg:hasStage|^vskg:stageOf) ?v", "count"),  # either direction of the inverse pair
    Column("owner", "?s vskg:hasOwner ?v", "ref"),
    Column("organisation", "?s vskg:operatedBy ?v", "ref"),
)
CAPABILITY_COLUMNS = (
    Column("level", "?s vskg:capabilityLevel ?v", "value"),
    Column("parent", "?s vskg:subCapabilityOf ?v", "ref"),
    # the maturity of the latest assessment: 'current/target' by level notation, sorted so the latest comes first
    Column(
        "maturity",
        "?s vskg:hasAssessment ?a . ?a vskg:currentLevel ?cur . ?cur skos:notation ?cn "
        "OPTIONAL { ?a vskg:targetLevel ?tgt . ?tgt skos:notation ?tn } OPTIONAL { ?a vskg:assessedOn ?on } "
        'BIND(CONCAT(COALESCE(STR(?on), ""), "|", STR(?cn), "|", COALESCE(STR(?tn), "")) AS ?v)',
        "latest",
    ),
)
SYSTEM_COLUMNS = (
    Column("kind", f"?s a ?v VALUES ?v {{ {' '.join(iri(c) for c in sorted(SYSTEM_CLASSES))} }}", "ref"),
    Column("capabilities", "?s vskg:supportsCapability ?v", "ref"),
)
ELEMENT_COLUMNS = (Column("model", "?s am:inModel ?v", "ref"),)


def _page_query(members: str, page: Paging) -> str:
    """The page of resources: each with the label vskg.labels would choose, sorted by it (then by IRI)."""
    return f"""SELECT ?s ?label WHERE {{
      {{ SELECT ?s (MIN(?best) AS ?label) WHERE {{ {members}
         {label_pattern("?s", "?found")}
         BIND(COALESCE(?found, STR(?s)) AS ?best) }} GROUP BY ?s }}
    }} ORDER BY LCASE(?label) ?s LIMIT {page.limit + 1} OFFSET {page.offset}"""


def _columns_query(subjects: list[str], columns: tuple[Column, ...]) -> str:
    """The columns of the page's resources, one UNION branch per column, each value with its labels and types."""
    blocks = []
    for column in columns:
        described = f" OPTIONAL {{ ?v ?vlp ?vl {_LABELLED} }} OPTIONAL {{ ?v a ?vt }}" if column.kind == "ref" else ""
        blocks.append(f"{{ {column.pattern} BIND({literal(column.name)} AS ?col){described} }}")
    values = " ".join(iri(s) for s in subjects)
    return f"SELECT ?s ?col ?v ?vlp ?vl ?vt WHERE {{ VALUES ?s {{ {values} }} {' UNION '.join(blocks)} }}"


def _rows(store: Backend, members: str, columns: tuple[Column, ...], page: Paging, type_of) -> ListPage:
    """Two bounded queries: the page (sorted, at most limit + 1 rows), then the columns of its resources only."""
    rows = []
    for solution in run(store, _page_query(members, page)):
        subject, label = solution["s"].value, solution["label"].value
        rows.append(Row(subject, curie(subject) if label == subject else label, "", None))
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    found: dict[tuple[str, str], dict[str, list]] = {}  # (subject, column) -> value -> label candidates
    types: dict[str, set[str]] = {}
    if rows and columns:
        for solution in run(store, _columns_query([r.iri for r in rows], columns)):
            subject, column, v = solution["s"].value, solution["col"].value, solution["v"]
            candidates = found.setdefault((subject, column), {}).setdefault(v.value, [])
            if solution["vl"] is not None:
                entry = (solution["vlp"].value, solution["vl"].value, solution["vl"].language)
                if entry not in candidates:
                    candidates.append(entry)
            if solution["vt"] is not None:
                types.setdefault(v.value, set()).add(solution["vt"].value)
    for row in rows:
        row.type, row.href = type_of(row.iri)
        for column in columns:
            row.columns[column.name] = _column(column.kind, found.get((row.iri, column.name), {}), types)
    return ListPage(rows, page.limit, page.offset, more)


def _column(kind: str, values: dict[str, list], types: dict[str, set[str]]):
    if kind == "count":
        return len(values)
    if kind == "value":
        return min(values) if values else None
    if kind == "latest":
        if not values:
            return None
        _, current, target = max(values).split("|")
        return {"current": current, "target": target or None}
    refs = [Ref(v, best_label(c, v), href(v, types.get(v, set()))) for v, c in values.items()]
    return sorted(refs, key=lambda r: (r.label.casefold(), r.iri))


def _typed(classes) -> str:
    return f"?s a ?class VALUES ?class {{ {' '.join(iri(c) for c in sorted(classes))} }}"


def streams(store: Backend, page: Paging) -> ListPage:
    return _rows(store, _typed(STREAM_CLASSES), STREAM_COLUMNS, page, _fixed("vskg:ValueStream", "streams"))


def capabilities(store: Backend, page: Paging) -> ListPage:
    classes = [VSKG + "Capability"]
    return _rows(store, _typed(classes), CAPABILITY_COLUMNS, page, _fixed("vskg:Capability", "capabilities"))


def systems(store: Backend, page: Paging) -> ListPage:
    return _rows(store, _typed(SYSTEM_CLASSES), SYSTEM_COLUMNS, page, _fixed("vskg:System", "systems"))


def _fixed(type_name: str, root: str):
    return lambda subject: (type_name, f"/{root}/{quote(data_key(subject), safe='/')}")


# --- any type --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wanted:
    """What ``type=`` asks for: an RDF class, or an ArchiMate element or relationship type (``am:type``)."""

    name: str  # as shown: a prefixed name when one fits
    cls: str | None = None
    archimate: str | None = None

    @property
    def members(self) -> str:
        if self.cls is not None:
            return f"?s a {iri(self.cls)} ."
        return f"?s am:type {literal(self.archimate or '')} ; a ?kind VALUES ?kind {{ am:Element am:Relationship }}"


def wanted(raw: str) -> Wanted:
    """The type a ``type=`` parameter names; BadRequest (a 400) for anything else."""
    text = raw.strip()
    if not text:
        raise BadRequest("type must name a class, such as vskg:Capability or am:BusinessProcess")
    if len(text) > MAX_TYPE:
        raise BadRequest(f"type is {len(text)} characters long; at most {MAX_TYPE} are accepted")
    match = _CURIE.fullmatch(text)
    if match:
        prefix, local = match.groups()
        if prefix not in PREFIXES:
            known = ", ".join(sorted(PREFIXES))
            raise BadRequest(f"type {text!r} uses the unknown prefix {prefix!r}; known prefixes: {known}")
        full = PREFIXES[prefix] + local
    elif text.startswith(("http://", "https://", "urn:")):
        full = text
        try:
            iri(full)
        except ValueError:
            raise BadRequest(f"type {text[:80]!r} is not an IRI") from None
        if any(ch.isspace() or ch in '<>"{}|\\^`' for ch in full):
            raise BadRequest(f"type {text[:80]!r} is not an IRI")
    else:
        raise BadRequest(f"type {text[:80]!r} is neither a prefixed name (such as vskg:Capability) nor an IRI")
    if full.startswith(AM):
        local = full[len(AM) :]
        if local not in AM_CLASSES:
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", local):
                raise BadRequest(f"type {text[:80]!r} names no ArchiMate type")
            return Wanted("am:" + local, archimate=local)
    return Wanted(curie(full), cls=full)


def elements(store: Backend, want: Wanted, page: Paging) -> ListPage:
    def type_of(subject: str) -> tuple[str, str | None]:
        return want.name, None

    result = _rows(store, want.members, ELEMENT_COLUMNS, page, type_of)
    _links(store, result.rows)
    return result


def _links(store: Backend, rows: list[Row]) -> None:
    """Each row's link, by its classes (a capability's page, say), in one query for the page."""
    if not rows:
        return
    values = " ".join(iri(r.iri) for r in rows)
    classes: dict[str, set[str]] = {}
    for solution in run(store, f"SELECT ?s ?c WHERE {{ VALUES ?s {{ {values} }} ?s a ?c }}"):
        classes.setdefault(solution["s"].value, set()).add(solution["c"].value)
    for row in rows:
        row.href = href(row.iri, classes.get(row.iri, set()))


@dataclass(frozen=True)
class TypeCount:
    name: str  # prefixed name, the value of type= that lists them
    count: int


def type_counts(store: Backend) -> list[TypeCount]:
    """Every class with its number of instances, and every ArchiMate type of an imported element or relationship."""
    text = """SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
      { ?s a ?class FILTER(isIRI(?class)) }
      UNION
      { ?s a ?kind ; am:type ?t VALUES ?kind { am:Element am:Relationship }
        FILTER(isLiteral(?t) && REGEX(STR(?t), "^[A-Za-z][A-Za-z0-9]*$"))
        BIND(IRI(CONCAT(STR(am:), STR(?t))) AS ?class) }
    } GROUP BY ?class ORDER BY DESC(?n) ?class"""
    out = []
    for solution in run(store, text):
        if solution["class"] is None:
            continue
        out.append(TypeCount(curie(solution["class"].value), int(solution["n"].value)))
    return out
