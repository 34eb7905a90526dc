"""The query catalogue: named SPARQL queries with typed parameters, read from ``queries/*.rq``.

Each file opens with a header of comment lines starting ``#+`` that together form a TOML document (title,
description, example and ``[[param]]`` tables). The header stays a SPARQL comment, so the file still runs in any
SPARQL tool, while vskg, the CLI and the API read the metadata from the same place.

Parameters are bound with pyoxigraph's variable substitution (SPARQL-dev SEP-0007) rather than string
splicing, so a parameter value can never change the shape of the query. Substitution replaces the variable
everywhere in the query, which has two consequences for query authors:

- a SELECT query must project every parameter variable (list it in the SELECT clause, and in GROUP BY when the
  query aggregates); the value then also shows in each result row, which documents what was asked;
- an optional parameter without a default stays an ordinary unbound variable when not given, so write the
  query so that unbound means "all" (match it in a triple pattern, or guard a FILTER with ``!BOUND(?x) || ...``).
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph
from pyoxigraph import Literal, NamedNode, Variable

from vskg.resources import locate

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = ("iri", "string", "integer", "decimal", "boolean", "date")


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

    def convert(self, raw: str) -> NamedNode | Literal:
        """Turn the text a user typed into an RDF term of the declared type."""
        text = raw.strip()
        try:
            if self.type == "iri":
                if ":" not in text or any(c in text for c in ' <>"{}|\\^`'):
                    raise ValueError("not an absolute IRI")
                return NamedNode(text)
            if self.type == "integer":
                return Literal(str(int(text)), datatype=NamedNode(XSD + "integer"))
            if self.type == "decimal":
                return Literal(str(Decimal(text)), datatype=NamedNode(XSD + "decimal"))
            if self.type == "boolean":
                if text.lower() not in ("true", "false"):
                    raise ValueError("expected true or false")
                return Literal(text.lower(), datatype=NamedNode(XSD + "boolean"))
            if self.type == "date":
                return Literal(datetime.date.fromisoformat(text).isoformat(), datatype=NamedNode(XSD + "date"))
            return Literal(raw)
        except (ValueError, InvalidOperation) as err:
            reason = str(err) if self.type in ("iri", "boolean") else f"expected {self.type}"
            raise ParameterError(self.name, f"{raw!r} is not a valid {self.type} ({reason})") from None


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
        """Check the given values against the declared parameters and return substitutions."""
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

    def metadata(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "example": self.example,
            "parameters": [asdict(p) for p in self.parameters],
        }


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
        params.append(
            Parameter(
                name=entry["name"],
                type=entry["type"],
                description=entry.get("description", ""),
                default=None if default is None else str(default),
                required=bool(entry.get("required", False)),
            )
        )
    return CatalogueQuery(
        name=path.stem,
        title=meta["title"].strip(),
        description=" ".join(meta["description"].split()),
        text=text,
        path=path,
        example=meta.get("example", ""),
        parameters=tuple(params),
    )


def catalogue() -> dict[str, CatalogueQuery]:
    """Every bundled query by name."""
    return {q.name: q for q in map(read_query, locate().queries)}


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


def run(store: pyoxigraph.Store, query: CatalogueQuery, params: dict[str, str] | None = None):
    """Run a catalogue query over the union of the store's graphs."""
    substitutions = query.bind(params or {})
    try:
        return store.query(query.text, use_default_graph_as_union=True, substitutions=substitutions)
    except RuntimeError as err:
        if "does not contains variable" in str(err):
            raise CatalogueError(
                f"{query.path}: a parameter variable is missing from the SELECT clause ({err}); "
                "parameters are substituted, so each must be projected"
            ) from None
        raise
