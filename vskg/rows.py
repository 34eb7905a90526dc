"""Query results as Python rows (a list of dicts), with labels beside IRIs on request and a pandas DataFrame view.

Why a module of its own: a notebook wants plain values, not RDF terms, and the same conversion serves catalogue
queries, SPARQL text and validation findings. Literals become Python values where one fits without loss of
meaning (integers, decimals and doubles as numbers, booleans as bool), everything else its text; IRIs stay strings;
an unbound cell is None, so every row has every column and a DataFrame gets no holes it did not ask for.

pandas is optional: `Rows.to_dataframe` imports it only when called, and says how to install it when it is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions

from vskg.labels import LABEL_PREDICATES, best
from vskg.store.base import Backend

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
NUMBERS = {XSD + "decimal", XSD + "double", XSD + "float"}
# Labels are looked up this many IRIs per query, so that a large result does not make one huge VALUES block.
LABEL_BATCH = 500

Term = NamedNode | BlankNode | Literal | None


def python_value(term: Term) -> Any:
    """A cell as a Python value (see the module docstring)."""
    if term is None:
        return None
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, NamedNode):
        return term.value
    datatype = term.datatype.value
    try:
        if datatype in INTEGERS:
            return int(term.value)
        if datatype == XSD + "decimal":
            return float(Decimal(term.value))
        if datatype in NUMBERS:
            return float(term.value)
    except ValueError:
        return term.value  # an ill-typed literal keeps its text
    if datatype == XSD + "boolean" and term.value in ("true", "false", "1", "0"):
        return term.value in ("true", "1")
    return term.value


class Rows(list):
    """A result: a list of rows, each a dict from column name to value, and the columns in the query's order."""

    def __init__(self, columns: Sequence[str], rows: Iterable[dict[str, Any]] = ()) -> None:
        super().__init__(rows)
        self.columns = list(columns)

    def __repr__(self) -> str:
        return f"Rows(columns={self.columns!r}, rows={len(self)})"

    def column(self, name: str) -> list[Any]:
        """The values of one column, row by row."""
        if name not in self.columns:
            raise KeyError(f"no column {name!r}; the columns are {', '.join(self.columns) or 'none'}")
        return [row[name] for row in self]

    def to_dataframe(self):
        """The rows as a pandas DataFrame, columns in the query's order (needs pandas: ``pip install pandas``)."""
        try:
            import pandas
        except ImportError:
            raise ImportError(
                "Rows.to_dataframe() needs pandas, which vskg does not install by itself: "
                "pip install pandas (or pip install 'vskg[dataframe]')"
            ) from None
        return pandas.DataFrame.from_records(list(self), columns=self.columns)


def solution_rows(solutions: QuerySolutions) -> tuple[list[str], list[tuple[Term, ...]]]:
    """Column names and the rows of RDF terms of a SELECT result."""
    names = [variable.value for variable in solutions.variables]
    return names, [tuple(solution[name] for name in names) for solution in solutions]


def to_rows(columns: list[str], terms: list[tuple[Term, ...]], labels: dict[str, str] | None = None) -> Rows:
    """Rows of Python values; with ``labels``, a ``<column>Label`` column after each column that holds IRIs
    (unless the query has one by that name already)."""
    if labels is None:
        return Rows(columns, ({c: python_value(t) for c, t in zip(columns, row, strict=True)} for row in terms))
    with_iris = {i for i, c in enumerate(columns) if any(isinstance(row[i], NamedNode) for row in terms)}
    added = {i for i in with_iris if f"{columns[i]}Label" not in columns}
    out_columns = [name for i, c in enumerate(columns) for name in ([c, f"{c}Label"] if i in added else [c])]
    rows = []
    for row in terms:
        record: dict[str, Any] = {}
        for i, (column, term) in enumerate(zip(columns, row, strict=True)):
            record[column] = python_value(term)
            if i in added:
                record[f"{column}Label"] = labels.get(term.value) if isinstance(term, NamedNode) else None
        rows.append(record)
    return Rows(out_columns, rows)


def labels_of(store: Backend, iris: Iterable[str]) -> dict[str, str]:
    """The label to show (`vskg.labels.best`) of each IRI that has one, read over the union of the graphs."""
    wanted = sorted(set(iris))
    found: dict[str, list[tuple[str, str, str | None]]] = {}
    predicates = " ".join(f"<{p}>" for p in LABEL_PREDICATES)
    for start in range(0, len(wanted), LABEL_BATCH):
        values = " ".join(f"<{iri}>" for iri in wanted[start : start + LABEL_BATCH])
        text = (
            f"SELECT ?s ?p ?label WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ {predicates} }} ?s ?p ?label "
            "FILTER(isLiteral(?label)) }"
        )
        for solution in store.query(text, use_default_graph_as_union=True):
            label = solution["label"]
            found.setdefault(solution["s"].value, []).append((solution["p"].value, label.value, label.language))
    return {iri: text for iri, candidates in found.items() if (text := best(candidates)) is not None}


def select_rows(store: Backend, solutions: QuerySolutions, *, labels: bool = False) -> Rows:
    """A SELECT result as `Rows`, with labels read from ``store`` when asked for."""
    columns, terms = solution_rows(solutions)
    if not labels:
        return to_rows(columns, terms)
    iris = {term.value for row in terms for term in row if isinstance(term, NamedNode)}
    return to_rows(columns, terms, labels_of(store, iris))
