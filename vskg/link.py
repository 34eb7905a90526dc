"""Proposing and recording identity links between imported elements and the elements the store already holds.

``propose`` compares each element of one graph (an ArchiMate import, a table import, a pulled graph) with the
elements of every other graph that belong to the same *type family* (an application is compared with
applications, a capability with capabilities...), scoring their labels with rapidfuzz's ``token_sort_ratio``
(0-100, word order and case ignored). Pairs at or above the threshold go to a CSV file an architect reviews:
they write ``yes`` in the ``accept`` column of the pairs that really are the same thing. Labels come from other
people's models, so a cell a spreadsheet would run as a formula gets an apostrophe in front (``vskg.csvsafe``),
which ``read_reviewed`` removes again.

``load_links`` reads the reviewed file and adds the accepted pairs to the links graph
(``https://w3id.org/vskg/graph/links``) as ``skos:exactMatch`` statements. Not ``owl:sameAs``: sameAs says the
two IRIs name one individual, so under OWL semantics every statement about either applies to both (an Archi
component would inherit the vskg system's stages, a wrong link would silently merge two models, and undoing it
means retracting inferred facts). ``skos:exactMatch`` only says the two descriptions can be used
interchangeably; it keeps both nodes and their facts apart, it is not transitive in a way a reasoner turns into
merging, and queries follow it explicitly (``queries/linked-elements.rq``). ``skos:closeMatch`` is accepted
too, for pairs that correspond but not exactly.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Quad
from rapidfuzz import fuzz, utils

from vskg.csvsafe import escape_row, unescape_row
from vskg.rdfio import InputError
from vskg.store import Backend
from vskg.vocab import VSKG

LINKS_GRAPH = "https://w3id.org/vskg/graph/links"
SKOS = "http://www.w3.org/2004/02/skos/core#"
AM = "https://w3id.org/vskg/archimate#"
COLUMNS = ["accept", "score", "source", "source label", "target", "target label", "relation"]
RELATIONS = {"skos:exactMatch": SKOS + "exactMatch", "skos:closeMatch": SKOS + "closeMatch"}
YES = {"yes", "y", "true", "x", "1"}
NO = {"", "no", "n", "false", "0"}

# Type family -> (vskg classes, ArchiMate exchange-format type names). A node is in a family when it has one of
# the classes (asserted) or is an am:Element whose am:type is one of the names.
FAMILIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "application": (("ApplicationSystem",), ("ApplicationComponent",)),
    "technology": (("TechnologyPlatform",), ("Node", "SystemSoftware", "TechnologyService")),
    "capability": (("Capability",), ("Capability",)),
    "organisation": (
        ("Organisation", "OrganisationUnit", "Team", "AgileReleaseTrain", "GovernanceBody"),
        ("BusinessActor",),
    ),
    "stakeholder": (("Stakeholder",), ("Stakeholder", "BusinessRole")),
    "value stream": (
        (
            "ValueStream",
            "StrategicValueStream",
            "OperationalValueStream",
            "DevelopmentValueStream",
            "ServiceValueStream",
            "ValueStreamStage",
        ),
        ("ValueStream",),
    ),
    "outcome": (("Outcome",), ("Outcome",)),
    "goal": (("Goal", "StrategicObjective", "Vision"), ("Goal",)),
    "course of action": (("Strategy", "Tactic", "CourseOfAction"), ("CourseOfAction",)),
    "information": (("InformationConcept",), ("BusinessObject", "DataObject")),
}

_LABELS = (
    "<http://www.w3.org/2000/01/rdf-schema#label>",
    f"<{SKOS}prefLabel>",
    f"<{AM}name>",
)


@dataclass(frozen=True)
class Proposal:
    score: float
    source: str
    source_label: str
    target: str
    target_label: str
    family: str
    accept: str = ""
    relation: str = "skos:exactMatch"


def _family_query(inside: str | None, outside: tuple[str, ...]) -> str:
    classes = " ".join(f'("{f}" <{VSKG}{c}>)' for f, (cs, _) in FAMILIES.items() for c in cs)
    am_types = " ".join(f'("{f}" "{t}")' for f, (_, ts) in FAMILIES.items() for t in ts)
    where_graph = f"GRAPH <{inside}>" if inside else "GRAPH ?g"
    exclude = "".join(f" FILTER (?g != <{g}>)" for g in outside) if not inside else ""
    return f"""
SELECT DISTINCT ?node ?family ?label WHERE {{
  {where_graph} {{
    {{ VALUES (?family ?class) {{ {classes} }} ?node a ?class }}
    UNION
    {{ VALUES (?family ?amType) {{ {am_types} }} ?node a <{AM}Element> ; <{AM}type> ?amType }}
    ?node {"|".join(_LABELS)} ?label .
  }}
  FILTER (isIRI(?node)){exclude}
}}"""


def _elements(store: Backend, inside: str | None, outside: tuple[str, ...] = ()) -> dict:
    """{(node, family): [labels]} for the elements of one graph (``inside``) or of all graphs but ``outside``."""
    found: dict[tuple[str, str], list[str]] = {}
    for row in store.query(_family_query(inside, outside)):
        labels = found.setdefault((row["node"].value, row["family"].value), [])
        if row["label"].value not in labels:
            labels.append(row["label"].value)
    return {key: sorted(labels) for key, labels in found.items()}


def score(a: str, b: str) -> float:
    """Label similarity, 0-100 (rapidfuzz token_sort_ratio after lower-casing and stripping punctuation)."""
    return round(fuzz.token_sort_ratio(a, b, processor=utils.default_process), 1)


def propose(store: Backend, graph: str, *, threshold: float = 80.0, limit: int = 3) -> list[Proposal]:
    """Candidate links from the elements of ``graph`` to elements of the other graphs, best first per source."""
    if not store.has_graph(graph):
        raise LookupError(f"the store has no graph <{graph}>")
    sources = _elements(store, graph)
    targets = _elements(store, None, (graph, LINKS_GRAPH))
    linked = _linked_pairs(store)
    by_family: dict[str, list[tuple[str, list[str]]]] = {}
    for (node, family), labels in sorted(targets.items()):
        by_family.setdefault(family, []).append((node, labels))
    proposals: list[Proposal] = []
    for (source, family), source_labels in sorted(sources.items()):
        best: dict[str, Proposal] = {}
        for target, target_labels in by_family.get(family, []):
            if target == source or (source, target) in linked:
                continue
            for sl in source_labels:
                for tl in target_labels:
                    value = score(sl, tl)
                    if value >= threshold and (target not in best or value > best[target].score):
                        best[target] = Proposal(value, source, sl, target, tl, family)
        ranked = sorted(best.values(), key=lambda p: (-p.score, p.target))
        proposals += ranked[:limit]
    return proposals


def _linked_pairs(store: Backend) -> set[tuple[str, str]]:
    """The pairs the links graph already connects, either way round: a reviewed pair is not proposed again."""
    if not store.has_graph(LINKS_GRAPH):
        return set()
    pairs = set()
    for quad in store.quads(LINKS_GRAPH):
        if quad.predicate.value in RELATIONS.values():
            pairs |= {(quad.subject.value, quad.object.value), (quad.object.value, quad.subject.value)}
    return pairs


def write_proposals(proposals: list[Proposal], output: io.TextIOBase | Path) -> None:
    """Write the review file: one row per proposal, ``accept`` left empty for the architect."""
    own = isinstance(output, Path)
    stream = output.open("w", encoding="utf-8", newline="") if own else output  # type: ignore[union-attr]
    try:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(COLUMNS)
        for p in proposals:
            row = [p.accept, f"{p.score:.1f}", p.source, p.source_label, p.target, p.target_label, p.relation]
            writer.writerow(escape_row(row))
    finally:
        if own:
            stream.close()


def _iri(value: str, path: Path, line: int, column: str) -> NamedNode:
    try:
        if ":" not in value:
            raise ValueError
        return NamedNode(value)
    except ValueError:
        raise InputError(path, f"column {column!r}: {value!r} is not an absolute IRI", line) from None


def read_reviewed(path: Path) -> list[tuple[NamedNode, NamedNode, NamedNode]]:
    """The accepted (source, relation, target) triples of a reviewed file; InputError names the line and column."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, f"cannot read the file: {err}") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != COLUMNS:
        raise InputError(path, f"the header must be {','.join(COLUMNS)}", 1)
    accepted = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            raise InputError(path, f"expected {len(COLUMNS)} columns, found {len(row)}", line)
        cells = dict(zip(COLUMNS, (c.strip() for c in unescape_row(row)), strict=True))
        decision = cells["accept"].lower()
        if decision in NO:
            continue
        if decision not in YES:
            raise InputError(path, f"column 'accept': {cells['accept']!r} is neither yes nor no (or empty)", line)
        relation = RELATIONS.get(cells["relation"]) or (
            cells["relation"] if cells["relation"] in RELATIONS.values() else None
        )
        if relation is None:
            known = ", ".join(RELATIONS)
            raise InputError(path, f"column 'relation': {cells['relation']!r} is not one of {known}", line)
        source = _iri(cells["source"], path, line, "source")
        target = _iri(cells["target"], path, line, "target")
        if source == target:
            raise InputError(path, "source and target are the same IRI", line)
        accepted.append((source, NamedNode(relation), target))
    return accepted


def load_links(store: Backend, path: Path) -> int:
    """Add the accepted links of a reviewed file to the links graph (atomically); returns how many are new."""
    accepted = read_reviewed(path)
    links = NamedNode(LINKS_GRAPH)
    existing = list(store.quads(LINKS_GRAPH)) if store.has_graph(LINKS_GRAPH) else []
    new = [Quad(s, p, o, links) for s, p, o in accepted]
    merged = list(dict.fromkeys(existing + new))
    store.replace_graph(LINKS_GRAPH, merged)
    return len(merged) - len(existing)
