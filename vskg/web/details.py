"""What the capability and system pages show beside the impact: definition, hierarchy, maturity and platforms.

These are plain look-ups of stated facts (no figures are computed), so they are read straight from the store's
union of graphs rather than through the analytics.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode

from vskg.analytics.model import Ref
from vskg.store import Backend
from vskg.vocab import SYSTEM_CLASSES
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


def _rows(store: Backend, text: str) -> list[dict[str, str | None]]:
    solutions = store.query(_PREFIXES + text, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [{name: (row[name].value if row[name] is not None else None) for name in names} for row in solutions]


def _refs(found: dict[str, describe.Facts], iris: list[str]) -> tuple[Ref, ...]:
    unique = sorted(set(iris))
    return tuple(sorted((Ref(i, found[i].label) for i in unique), key=lambda r: r.label.lower()))


def _ref(found: dict[str, describe.Facts], iri: str | None) -> Ref | None:
    return None if iri is None else Ref(iri, found[iri].label)


def _neighbours(store: Backend, node: NamedNode, predicate: str) -> tuple[list[str], list[str]]:
    """The objects of ``node predicate ?o`` and the subjects of ``?s predicate node``, in one query."""
    rows = _rows(store, f"SELECT ?o ?s WHERE {{ {{ {node} {predicate} ?o }} UNION {{ ?s {predicate} {node} }} }}")
    return [r["o"] for r in rows if r["o"]], [r["s"] for r in rows if r["s"]]


def capability_details(store: Backend, iri: str) -> CapabilityDetails:
    node = NamedNode(iri)  # refuses anything that is not an IRI, so it is safe inside the query
    parents, children = _neighbours(store, node, "vskg:subCapabilityOf")
    rows = _rows(
        store,
        f"""SELECT DISTINCT ?a ?current ?cn ?target ?tn ?on WHERE {{
              {node} vskg:hasAssessment ?a .
              OPTIONAL {{ ?a vskg:currentLevel ?current OPTIONAL {{ ?current skos:notation ?cn }} }}
              OPTIONAL {{ ?a vskg:targetLevel ?target OPTIONAL {{ ?target skos:notation ?tn }} }}
              OPTIONAL {{ ?a vskg:assessedOn ?on }}
            }} ORDER BY DESC(?on) ?a""",
    )
    named = [row[name] for row in rows for name in ("a", "current", "target") if row[name]]
    found = describe.facts(store, [iri, *parents, *children, *named])
    assessments = tuple(
        Assessment(
            assessment=_ref(found, row["a"]) or Ref("", ""),
            current=_ref(found, row["current"]),
            current_level=row["cn"],
            target=_ref(found, row["target"]),
            target_level=row["tn"],
            assessed_on=row["on"],
        )
        for row in rows
    )
    return CapabilityDetails(found[iri].text, _refs(found, parents), _refs(found, children), assessments)


def system_details(store: Backend, iri: str) -> SystemDetails:
    node = NamedNode(iri)
    platforms, hosted = _neighbours(store, node, "vskg:runsOn")
    own = describe.facts(store, [iri])[iri]
    kinds = [k for k in own.types if k in SYSTEM_CLASSES]
    found = describe.facts(store, [*kinds, *platforms, *hosted]) | {iri: own}
    return SystemDetails(own.text, _refs(found, kinds), _refs(found, platforms), _refs(found, hosted))
