"""Label columns beside the IRI columns of a SELECT result, so that a table shows names as well as identifiers.

A person reading a result (in the workbench, or in a spreadsheet fed by the service) wants the names of the
resources, and a program still wants their IRIs: so each column X that holds IRIs keeps them, and a column
X_label next to it gets each resource's label, chosen as everywhere else in vskg (`vskg.labels`: English
rdfs:label first, then skos:prefLabel). The labels are looked up afterwards, by IRI, with one query per batch of
distinct IRIs (a VALUES block; one query for any result of up to LABEL_BATCH resources), instead of asking every
query author to add OPTIONAL patterns by hand. This module builds those queries and lays the answers out; running
them is the caller's business (the service runs them through its query workers, with their time limit).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from pyoxigraph import Literal, NamedNode

from vskg.labels import LABEL_PREDICATES, rank
from vskg.sparql_results import Term

LABEL_BATCH = 2000  # distinct IRIs looked up by one query
SUFFIX = "_label"


def iri_columns(variables: Sequence[str], rows: Iterable[Sequence[Term]]) -> list[int]:
    """The positions of the columns that hold an IRI in at least one row."""
    found: set[int] = set()
    for row in rows:
        found.update(i for i, term in enumerate(row) if isinstance(term, NamedNode))
        if len(found) == len(variables):
            break
    return sorted(found)


def distinct_iris(rows: Iterable[Sequence[Term]], columns: Sequence[int]) -> list[NamedNode]:
    """The IRIs of those columns, each once, in the order they first appear."""
    seen: dict[str, NamedNode] = {}
    for row in rows:
        for i in columns:
            term = row[i]
            if isinstance(term, NamedNode) and term.value not in seen:
                seen[term.value] = term
    return list(seen.values())


def label_queries(iris: Sequence[NamedNode]) -> Iterator[str]:
    """The SELECT queries that fetch the label candidates of ``iris`` (columns ?resource ?predicate ?label)."""
    predicates = " ".join(f"<{p}>" for p in LABEL_PREDICATES)
    for start in range(0, len(iris), LABEL_BATCH):
        values = " ".join(str(iri) for iri in iris[start : start + LABEL_BATCH])
        yield (
            "SELECT ?resource ?predicate ?label WHERE { "
            f"VALUES ?resource {{ {values} }} VALUES ?predicate {{ {predicates} }} "
            "?resource ?predicate ?label FILTER(isLiteral(?label)) }"
        )


def best_labels(candidates: Iterable[tuple[Term, Term, Term]]) -> dict[str, Literal]:
    """The label to show for each resource among (resource, predicate, label) rows of the label queries."""
    chosen: dict[str, tuple[int, str, Literal]] = {}
    for resource, predicate, label in candidates:
        if not isinstance(resource, NamedNode) or not isinstance(predicate, NamedNode):
            continue
        if not isinstance(label, Literal):
            continue
        key = (rank(predicate.value, label.language), label.value, label)
        known = chosen.get(resource.value)
        if known is None or key[:2] < known[:2]:
            chosen[resource.value] = key
    return {iri: entry[2] for iri, entry in chosen.items()}


def label_names(variables: Sequence[str], columns: Sequence[int]) -> list[str]:
    """The names of the label columns: X_label for column X, with more underscores if the result has that name."""
    taken = set(variables)
    names = []
    for i in columns:
        name = variables[i] + SUFFIX
        while name in taken:
            name += "_"
        taken.add(name)
        names.append(name)
    return names


def with_labels(
    variables: Sequence[str], rows: Sequence[Sequence[Term]], columns: Sequence[int], labels: dict[str, Literal]
) -> tuple[list[str], list[tuple[Term, ...]]]:
    """The result with a label column right after each of ``columns`` (unbound where a cell has no label)."""
    names = dict(zip(columns, label_names(variables, columns), strict=True))
    out_vars: list[str] = []
    for i, name in enumerate(variables):
        out_vars.append(name)
        if i in names:
            out_vars.append(names[i])
    out_rows = []
    for row in rows:
        cells: list[Term] = []
        for i, term in enumerate(row):
            cells.append(term)
            if i in names:
                cells.append(labels.get(term.value) if isinstance(term, NamedNode) else None)
        out_rows.append(tuple(cells))
    return out_vars, out_rows
