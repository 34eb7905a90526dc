"""Turning SPARQL results into what a person or a program reads: a table, CSV, TSV, SPARQL JSON or XML."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QuerySolutions, QueryTriples

RESULT_FORMATS = {
    "csv": pyoxigraph.QueryResultsFormat.CSV,
    "tsv": pyoxigraph.QueryResultsFormat.TSV,
    "json": pyoxigraph.QueryResultsFormat.JSON,
    "xml": pyoxigraph.QueryResultsFormat.XML,
}

# Prefixes used to shorten IRIs in tables only; CSV and JSON always carry full IRIs.
DISPLAY_PREFIXES = {
    "vskg": "https://w3id.org/vskg/ontology#",
    "mca": "https://w3id.org/vskg/scheme/mca/",
    "safe": "https://w3id.org/vskg/scheme/safe/",
    "itil4": "https://w3id.org/vskg/scheme/itil4/",
    "lean": "https://w3id.org/vskg/scheme/lean/",
    "porter": "https://w3id.org/vskg/scheme/porter/",
    "industry": "https://w3id.org/vskg/scheme/industry/",
    "maturity": "https://w3id.org/vskg/scheme/maturity/",
    "data": "https://w3id.org/vskg/data/",
    "unit": "http://qudt.org/vocab/unit/",
}


@dataclass
class Table:
    """A SELECT result held in memory: column names and rows of RDF terms (None where unbound)."""

    variables: list[str]
    rows: list[tuple[NamedNode | BlankNode | Literal | None, ...]]

    def values(self) -> list[dict[str, str]]:
        """Rows as plain strings (IRIs and lexical forms), leaving out unbound cells."""
        return [
            {name: term.value for name, term in zip(self.variables, row, strict=True) if term is not None}
            for row in self.rows
        ]


def collect(solutions: QuerySolutions) -> Table:
    names = [v.value for v in solutions.variables]
    return Table(names, [tuple(solution[name] for name in names) for solution in solutions])


def display(term: NamedNode | BlankNode | Literal | None) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        for prefix, namespace in DISPLAY_PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace) :]}"
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value


def serialize(result: QuerySolutions | QueryBoolean | QueryTriples, fmt: str) -> bytes:
    """Serialise a result in a standard format: SPARQL results for SELECT/ASK, Turtle/N-Triples for graphs."""
    if isinstance(result, QueryTriples):
        rdf = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES}
        return result.serialize(format=rdf.get(fmt, pyoxigraph.RdfFormat.TURTLE))
    return result.serialize(format=RESULT_FORMATS[fmt])
