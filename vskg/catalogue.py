"""The query catalogue: named SPARQL queries with typed parameters, read from ``queries/*.rq``.

Each file opens with a header of comment lines starting ``#+`` that together form a TOML document (title,
description, example and ``[[param]]`` tables). The header stays a SPARQL comment, so the file still runs in any
SPARQL tool, while vskg, the CLI and the API read the metadata from the same place.

A parameter value is checked against its declared type, turned into an RDF term, and written into the query
text as a constant by `vskg.sparql_binding` (never by splicing what the user typed). The engine then sees the
value as it plans the query, and the same text runs on any SPARQL server, where pyoxigraph's ``substitutions``
do not exist. For query authors:

- project each parameter variable in the top-level SELECT (the catalogue does, by convention): the value then
  shows in each row, which documents what was asked; a sub-select sees the parameter when it projects it;
- an optional parameter without a default stays an ordinary unbound variable when not given, so write the
  query so that unbound means "all" (match it in a triple pattern, or guard a FILTER with ``!BOUND(?x) || ...``);
- an iri parameter may name the class of its values (``class = "https://w3id.org/vskg/ontology#Capability"``):
  the workbench then offers a searchable choice of the store's instances of that class (subclasses included);
- SPARQL has no variable in LIMIT; an integer parameter declared with ``limit = true`` sets every ``LIMIT n`` of
  the text whose n is the parameter's default (and the file still runs as it is, with the default).

Files are parsed once and kept while their modification time and size stay the same (see `catalogue`).
"""

from __future__ import annotations

import datetime
import re
import threading
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Variable

from vskg.resources import locate
from vskg.sparql_binding import LIMIT, BindingError, UnsafeTerm, bind, template, term_text
from vskg.store.base import Backend

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = ("iri", "string", "integer", "decimal", "boolean", "date")
# Oxigraph keeps xsd:integer in 64 bits; a larger number would be an invalid literal, not a number.
INTEGER_RANGE = range(-(2**63), 2**63)
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")


class CatalogueError(ValueError):
    """A query file whose header cannot be read."""


class ParameterError(ValueError):
    """A parameter value that is missing, unknown or not of its declared type."""

    def __init__(self, parameter: str, reason: str) -> None:
        self.parameter = parameter
        super().__init__(f"parameter {parameter!r}: {reason}")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str
    default: str | None = None
    required: bool = False
    limit: bool = False  # the value also sets the query's LIMIT (see the module)
    rdf_class: str | None = None  # an iri parameter's values are instances of this class (the workbench's picker)

    def convert(self, raw: str) -> NamedNode | Literal:
        """Turn the text a user typed into an RDF term of the declared type."""
        text = raw.strip()
        try:
            if self.type == "iri":
                if ":" not in text or any(c in text for c in ' <>"{}|\\^`'):
                    raise ValueError("not an absolute IRI")
                return NamedNode(text)
            if self.type == "integer":
                if not re.fullmatch(r"[+-]?[0-9]+", text) or int(text) not in INTEGER_RANGE:
                    raise ValueError("not a 64-bit integer")
                return Literal(str(int(text)), datatype=NamedNode(XSD + "integer"))
            if self.type == "decimal":
                if not _DECIMAL.match(text):
                    raise ValueError("not a decimal")
                return Literal(canonical_decimal(Decimal(text)), datatype=NamedNode(XSD + "decimal"))
            if self.type == "boolean":
                if text.lower() not in ("true", "false"):
                    raise ValueError("expected true or false")
                return Literal(text.lower(), datatype=NamedNode(XSD + "boolean"))
            if self.type == "date":
                return Literal(datetime.date.fromisoformat(text).isoformat(), datatype=NamedNode(XSD + "date"))
            term = Literal(raw)
            term_text(term)  # refuses now what could not be written into a query later
            return term
        except UnsafeTerm as err:
            raise ParameterError(self.name, f"{raw!r} cannot be sent ({err})") from None
        except (ValueError, InvalidOperation) as err:
            reason = str(err) if self.type in ("iri", "boolean") else f"expected {self.type}"
            raise ParameterError(self.name, f"{raw!r} is not a valid {self.type} ({reason})") from None


def canonical_decimal(value: Decimal) -> str:
    """The XSD 1.1 canonical form (as Oxigraph writes it): no exponent, no trailing zeros, "1" not "1.0"."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class CatalogueQuery:
    name: str
    title: str
    description: str
    text: str
    path: Path
    example: str = ""
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    def bind(self, raw: dict[str, str]) -> dict[Variable, NamedNode | Literal]:
        """Check the given values against the declared parameters; the terms by variable (see `render`)."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            names = ", ".join(known) or "none"
            raise ParameterError(unknown[0], f"not a parameter of {self.name} (its parameters: {names})")
        bound: dict[Variable, NamedNode | Literal] = {}
        for param in self.parameters:
            value = raw.get(param.name, param.default)
            if value is None:
                if param.required:
                    raise ParameterError(param.name, "is required and has no default")
                continue
            bound[Variable(param.name)] = param.convert(value)
        return bound

    def render(self, raw: dict[str, str] | None = None) -> str:
        """The query text with the given parameters (and the defaults) written in as constants.

        This is what runs, on the embedded store or on any SPARQL server: no substitutions are needed.
        """
        bound = self.bind(raw or {})
        values = {variable.value: term for variable, term in bound.items()}
        limits = {}
        for param in self.parameters:
            if param.limit and param.name in values:
                limits[int(param.default or 0)] = int(values[param.name].value)
        try:
            return bind(self.text, values, limits)
        except BindingError as err:
            raise CatalogueError(f"{self.path}: {err}") from None

    def metadata(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "example": self.example,
            "parameters": [
                {
                    "name": p.name,
                    "type": p.type,
                    "description": p.description,
                    "default": p.default,
                    "required": p.required,
                    **({"class": p.rdf_class} if p.rdf_class else {}),
                }
                for p in self.parameters
            ],
        }


def _absolute_iri(value: object) -> bool:
    return isinstance(value, str) and ":" in value and not any(c in value for c in ' <>"{}|\\^`')


def read_query(path: Path) -> CatalogueQuery:
    text = path.read_text(encoding="utf-8")
    header = "\n".join(line[2:].removeprefix(" ") for line in text.splitlines() if line.startswith("#+"))
    try:
        meta = tomllib.loads(header)
    except tomllib.TOMLDecodeError as err:
        raise CatalogueError(f"{path}: the '#+' header is not valid TOML: {err}") from None
    for key in ("title", "description"):
        if not isinstance(meta.get(key), str):
            raise CatalogueError(f"{path}: the header needs a {key!r} string")
    params = []
    for entry in meta.get("param", []):
        if entry.get("type") not in TYPES:
            raise CatalogueError(f"{path}: parameter {entry.get('name')!r} has type {entry.get('type')!r}")
        default = entry.get("default")
        limit = bool(entry.get("limit", False))
        if limit and (entry["type"] != "integer" or not isinstance(default, int)):
            raise CatalogueError(f"{path}: parameter {entry['name']!r} sets the LIMIT, so it needs an integer default")
        rdf_class = entry.get("class")
        if rdf_class is not None and (entry["type"] != "iri" or not _absolute_iri(rdf_class)):
            problem = "must be a full IRI" if entry["type"] == "iri" else "is only for iri parameters"
            raise CatalogueError(f"{path}: parameter {entry['name']!r}: 'class' {problem}")
        params.append(
            Parameter(
                name=entry["name"],
                type=entry["type"],
                description=entry.get("description", ""),
                default=None if default is None else str(default),
                required=bool(entry.get("required", False)),
                limit=limit,
                rdf_class=rdf_class,
            )
        )
    limits = frozenset(int(p.default) for p in params if p.limit and p.default is not None)
    try:
        found = template(text, frozenset(p.name for p in params), limits)
    except BindingError as err:
        raise CatalogueError(f"{path}: {err}") from None
    missing = limits - {int(slot.name) for slot in found.slots if slot.kind == LIMIT}
    if missing:
        raise CatalogueError(f"{path}: a parameter sets the LIMIT, but the text has no 'LIMIT {min(missing)}'")
    return CatalogueQuery(
        name=path.stem,
        title=meta["title"].strip(),
        description=" ".join(meta["description"].split()),
        text=text,
        path=path,
        example=meta.get("example", ""),
        parameters=tuple(params),
    )


_parsed: dict[Path, tuple[tuple[int, int], CatalogueQuery]] = {}
_parsed_lock = threading.Lock()


def cached_query(path: Path) -> CatalogueQuery:
    """The parsed file, read again only when its modification time or size changed.

    A stat per file (microseconds) instead of a read, a TOML parse and a tokenisation (milliseconds): the service
    answers each /queries request from memory, and an edited .rq file is still seen at the next request, without
    a restart, which a cache for the life of the process would not give.
    """
    info = path.stat()
    version = (info.st_mtime_ns, info.st_size)
    with _parsed_lock:
        known = _parsed.get(path)
    if known is not None and known[0] == version:
        return known[1]
    query = read_query(path)
    with _parsed_lock:
        _parsed[path] = (version, query)
    return query


def catalogue() -> dict[str, CatalogueQuery]:
    """Every bundled query by name."""
    return {q.name: q for q in map(cached_query, locate().queries)}


def resolve(name_or_file: str) -> CatalogueQuery:
    """A catalogue name, or a path to an .rq file of the user's own (with or without a header)."""
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.is_file():
        query = read_query(path) if "#+" in path.read_text(encoding="utf-8") else None
        return query or CatalogueQuery(path.stem, path.stem, "", path.read_text(encoding="utf-8"), path)
    queries = catalogue()
    if name_or_file not in queries:
        raise KeyError(name_or_file)
    return queries[name_or_file]


def run(store: Backend, query: CatalogueQuery, params: dict[str, str] | None = None):
    """Run a catalogue query over the union of the store's graphs, its parameters written into the text."""
    return store.query(query.render(params), use_default_graph_as_union=True)
