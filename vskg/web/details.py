"""What the capability and system pages show beside the impact: definition, hierarchy, maturity and platforms.

These are plain look-ups of stated facts (no figures are computed), so they are read straight from the store's
union of graphs rather than through the analytics.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph

from vskg.analytics.model import Ref
from vskg.web import describe

_PREFIXES = """
PREFIX vskg: <https://w3id.org/vskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


@dataclass(frozen=True)
class Assessment:
    assessment: Ref
    current: Ref | None
    current_level: str | None  # skos:notation, "1".."5"
    target: Ref | None
    target_level: str | None
    assessed_on: str | None

    @property
    def gap(self) -> int | None:
        if self.current_level is None or self.target_level is None:
            return None
        try:
            return int(self.target_level) - int(self.current_level)
        except ValueError:
            return None


@dataclass(frozen=True)
class CapabilityDetails:
    text: str | None
    parents: tuple[Ref, ...]
    children: tuple[Ref, ...]
    assessments: tuple[Assessment, ...]


@dataclass(frozen=True)
class SystemDetails:
    text: str | None
    kinds: tuple[Ref, ...]
    platforms: tuple[Ref, ...]  # what the system runs on
    hosted: tuple[Ref, ...]  # what runs on it (for a technology platform)


def _rows(db: pyoxigraph.Store, text: str) -> list[dict[str, str | None]]:
    solutions = db.query(_PREFIXES + text, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [{name: (row[name].value if row[name] is not None else None) for name in names} for row in solutions]


def _refs(db: pyoxigraph.Store, iris: list[str]) -> tuple[Ref, ...]:
    unique = sorted(set(iris))
    return tuple(sorted((Ref(i, describe.label(db, i)) for i in unique), key=lambda r: r.label.lower()))


def _ref(db: pyoxigraph.Store, iri: str | None) -> Ref | None:
    return None if iri is None else Ref(iri, describe.label(db, iri))


def capability_details(db: pyoxigraph.Store, iri: str) -> CapabilityDetails:
    node = pyoxigraph.NamedNode(iri)  # refuses anything that is not an IRI, so it is safe inside the query
    parents = [r["o"] for r in _rows(db, f"SELECT ?o WHERE {{ {node} vskg:subCapabilityOf ?o }}") if r["o"]]
    children = [r["s"] for r in _rows(db, f"SELECT ?s WHERE {{ ?s vskg:subCapabilityOf {node} }}") if r["s"]]
    rows = _rows(
        db,
        f"""SELECT DISTINCT ?a ?current ?cn ?target ?tn ?on WHERE {{
              {node} vskg:hasAssessment ?a .
              OPTIONAL {{ ?a vskg:currentLevel ?current OPTIONAL {{ ?current skos:notation ?cn }} }}
              OPTIONAL {{ ?a vskg:targetLevel ?target OPTIONAL {{ ?target skos:notation ?tn }} }}
              OPTIONAL {{ ?a vskg:assessedOn ?on }}
            }} ORDER BY DESC(?on) ?a""",
    )
    assessments = tuple(
        Assessment(
            assessment=Ref(row["a"] or "", describe.label(db, row["a"] or "")),
            current=_ref(db, row["current"]),
            current_level=row["cn"],
            target=_ref(db, row["target"]),
            target_level=row["tn"],
            assessed_on=row["on"],
        )
        for row in rows
    )
    return CapabilityDetails(describe.text(db, iri), _refs(db, parents), _refs(db, children), assessments)


def system_details(db: pyoxigraph.Store, iri: str) -> SystemDetails:
    node = pyoxigraph.NamedNode(iri)
    kinds = [k for k in describe.types(db, iri) if k in describe.SYSTEM_CLASSES]
    platforms = [r["o"] for r in _rows(db, f"SELECT ?o WHERE {{ {node} vskg:runsOn ?o }}") if r["o"]]
    hosted = [r["s"] for r in _rows(db, f"SELECT ?s WHERE {{ ?s vskg:runsOn {node} }}") if r["s"]]
    return SystemDetails(describe.text(db, iri), _refs(db, kinds), _refs(db, platforms), _refs(db, hosted))
