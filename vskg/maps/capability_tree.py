"""An organisation's capabilities as a tree with their maturity, read from the store for the capability map.

Which capabilities belong to an organisation: those of its capability map (vskg:hasCapabilityMap, a SKOS concept
scheme whose members are skos:inScheme it) together with those that enable a stage of a stream it operates and every
capability above them (vskg:subCapabilityOf*), so that data imported without a map still draws. The tree follows
vskg:subCapabilityOf (skos:broader where that is all there is) within those members; a capability with several
parents is drawn under the first by label, and a loop is broken at its first member by label, so every member is
drawn exactly once.

Maturity is read as the portfolio heat map reads it (vskg.analytics.portfolio): the latest assessment
(vskg:assessedOn) counts, and with several level readings on it the lowest, compared as the terms' text; the level
numbers come from the levels' skos:notation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pyoxigraph import NamedNode

from vskg.analytics.facts import level_number
from vskg.analytics.model import Ref
from vskg.store import Backend

_PREFIXES = """PREFIX vskg: <https://w3id.org/vskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# The organisation's capabilities: its map's members, and what enables its stages with everything above that.
_MEMBERS = """
  {{ {org} vskg:hasCapabilityMap ?map . ?capability skos:inScheme ?map }}
  UNION
  {{ ?stage (vskg:stageOf|^vskg:hasStage)/vskg:operatedBy {org} ;
           (vskg:enabledBy|^vskg:enables)/vskg:subCapabilityOf* ?capability }}
"""


class NoOrganisation(LookupError):
    """The IRI names nothing that runs streams or has a capability map."""


@dataclass(frozen=True)
class Maturity:
    current: int | None
    target: int | None

    @property
    def gap(self) -> int | None:
        if self.current is None or self.target is None:
            return None
        return self.target - self.current


@dataclass(frozen=True)
class CapabilityNode:
    capability: Ref
    level: int  # 1 for a capability with no parent among the organisation's, one more for each step down
    maturity: Maturity | None  # None: no assessment is recorded
    children: tuple[CapabilityNode, ...]

    def walk(self) -> list[CapabilityNode]:
        """This node and every node below it, parents before children."""
        found = [self]
        for child in self.children:
            found += child.walk()
        return found


@dataclass(frozen=True)
class CapabilityTree:
    organisation: Ref
    map: Ref | None  # the organisation's vskg:CapabilityMap, when it has one
    roots: tuple[CapabilityNode, ...]  # the level-1 capabilities, by label

    def nodes(self) -> list[CapabilityNode]:
        return [node for root in self.roots for node in root.walk()]


def _rows(store: Backend, text: str) -> list[dict[str, str | None]]:
    solutions = store.query(_PREFIXES + text, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [{name: (row[name].value if row[name] is not None else None) for name in names} for row in solutions]


def _fallback_label(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri


def _organisation_refs(rows: list[dict[str, str | None]]) -> list[Ref]:
    labels: dict[str, str] = {}
    for row in rows:
        iri, label = row["org"] or "", row["label"]
        if label is not None and (iri not in labels or label < labels[iri]):
            labels[iri] = label
        labels.setdefault(iri, _fallback_label(iri))
    return sorted((Ref(iri, label) for iri, label in labels.items()), key=lambda r: (r.label.casefold(), r.iri))


def organisations(store: Backend) -> list[Ref]:
    """Every organisation that has a capability map or operates a stream, by label."""
    rows = _rows(
        store,
        """SELECT DISTINCT ?org ?label WHERE {
             { ?org vskg:hasCapabilityMap ?map } UNION { ?stream vskg:operatedBy ?org }
             FILTER(isIRI(?org))
             OPTIONAL { ?org rdfs:label ?label }
           }""",
    )
    return _organisation_refs(rows)


def organisations_of(store: Backend, capability: str) -> list[Ref]:
    """The organisations on whose capability map the capability is drawn, by label."""
    node = NamedNode(capability)
    members = _MEMBERS.replace("?capability", str(node)).format(org="?org")
    rows = _rows(
        store,
        f"""SELECT DISTINCT ?org ?label WHERE {{
              {members}
              FILTER(isIRI(?org))
              OPTIONAL {{ ?org rdfs:label ?label }}
            }}""",
    )
    return _organisation_refs(rows)


def read_tree(store: Backend, organisation: str) -> CapabilityTree:
    """The organisation's capabilities as a tree with their maturity; NoOrganisation when it has neither."""
    org = NamedNode(organisation)  # refuses anything that is not an IRI, so it is safe inside the queries
    head = _rows(
        store,
        f"""SELECT ?label ?map ?mapLabel ?known WHERE {{
              BIND(EXISTS {{ {{ {org} vskg:hasCapabilityMap ?m }} UNION {{ ?s vskg:operatedBy {org} }}
                             UNION {{ {org} a vskg:Organisation }} }} AS ?known)
              OPTIONAL {{ {org} rdfs:label ?label }}
              OPTIONAL {{ {org} vskg:hasCapabilityMap ?map OPTIONAL {{ ?map skos:prefLabel|rdfs:label ?mapLabel }} }}
            }}""",
    )
    if not head or head[0]["known"] != "true":
        raise NoOrganisation(organisation)
    org_label = min((r["label"] for r in head if r["label"]), default=_fallback_label(organisation))
    maps = sorted({(r["map"], r["mapLabel"] or _fallback_label(r["map"])) for r in head if r["map"]})
    the_map = Ref(*maps[0]) if maps else None

    members = _rows(
        store,
        f"""SELECT DISTINCT ?capability ?label ?parent ?broader WHERE {{
              {_MEMBERS.format(org=org)}
              FILTER(isIRI(?capability))
              OPTIONAL {{ ?capability rdfs:label|skos:prefLabel ?label }}
              OPTIONAL {{ ?capability vskg:subCapabilityOf ?parent }}
              OPTIONAL {{ ?capability skos:broader ?broader }}
            }}""",
    )
    labels: dict[str, str] = {}
    parents: dict[str, set[str]] = defaultdict(set)
    broader: dict[str, set[str]] = defaultdict(set)
    for row in members:
        iri = row["capability"] or ""
        label = row["label"]
        if label is not None and (iri not in labels or label < labels[iri]):
            labels[iri] = label
        labels.setdefault(iri, _fallback_label(iri))
        if row["parent"]:
            parents[iri].add(row["parent"])
        if row["broader"]:
            broader[iri].add(row["broader"])
    maturity = _maturity(store, org)
    return CapabilityTree(
        organisation=Ref(organisation, org_label),
        map=the_map,
        roots=_build(labels, parents, broader, maturity),
    )


def _maturity(store: Backend, org: NamedNode) -> dict[str, Maturity]:
    rows = _rows(
        store,
        f"""SELECT DISTINCT ?capability ?a ?current ?cn ?target ?tn ?on WHERE {{
              {{ SELECT DISTINCT ?capability WHERE {{ {_MEMBERS.format(org=org)} }} }}
              ?capability vskg:hasAssessment ?a .
              OPTIONAL {{ ?a vskg:currentLevel ?current OPTIONAL {{ ?current skos:notation ?cn }} }}
              OPTIONAL {{ ?a vskg:targetLevel ?target OPTIONAL {{ ?target skos:notation ?tn }} }}
              OPTIONAL {{ ?a vskg:assessedOn ?on }}
            }}""",
    )
    readings: dict[str, list[dict[str, str | None]]] = defaultdict(list)
    for row in rows:
        readings[row["capability"] or ""].append(row)
    found: dict[str, Maturity] = {}
    for capability, assessed in readings.items():
        newest = max((row["on"] or "", row["a"] or "") for row in assessed)
        candidates = [row for row in assessed if (row["on"] or "", row["a"] or "") == newest]
        chosen = min(candidates, key=lambda row: tuple(row[name] or "" for name in ("current", "target", "cn", "tn")))
        found[capability] = Maturity(level_number(chosen["cn"]), level_number(chosen["tn"]))
    return found


def _build(
    labels: dict[str, str],
    parents: dict[str, set[str]],
    broader: dict[str, set[str]],
    maturity: dict[str, Maturity],
) -> tuple[CapabilityNode, ...]:
    def order(iri: str) -> tuple[str, str]:
        return (labels[iri].casefold(), iri)

    parent_of: dict[str, str] = {}
    for iri in labels:
        among = [p for p in parents.get(iri, ()) if p in labels and p != iri]
        among = among or [p for p in broader.get(iri, ()) if p in labels and p != iri]
        if among:
            parent_of[iri] = min(among, key=order)
    children: dict[str | None, list[str]] = defaultdict(list)
    for iri in sorted(labels, key=order):
        children[parent_of.get(iri)].append(iri)

    placed: set[str] = set()

    def node(iri: str, level: int) -> CapabilityNode:
        placed.add(iri)
        below = tuple(node(child, level + 1) for child in children.get(iri, []) if child not in placed)
        return CapabilityNode(Ref(iri, labels[iri]), level, maturity.get(iri), below)

    roots = [node(iri, 1) for iri in children.get(None, [])]
    for iri in sorted(labels, key=order):  # members of a loop of parents, which no root reaches
        if iri not in placed:
            roots.append(node(iri, 1))
    return tuple(sorted(roots, key=lambda n: order(n.capability.iri)))
