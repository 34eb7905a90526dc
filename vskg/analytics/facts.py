"""Reading the graph for the analytics: a few SELECTs over the union of the named graphs, kept in memory.

The figures are computed in Python, not in SPARQL, because SPARQL has no product aggregate (rolled %C&A) and
because one result feeds several renderers. To stay fast on a whole portfolio the facts of every stream are read
with the same handful of queries (never one per stage), and held in a small triple index that the stream,
portfolio and impact modules look things up in. A triple stated in two graphs is kept once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Protocol

from pyoxigraph import BlankNode, Literal, NamedNode

from vskg import labels
from vskg.analytics.model import Ref
from vskg.vocab import VSKG

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"
MCA_SCHEME = "https://w3id.org/vskg/scheme/mca"

PREFIXES = (
    f"PREFIX vskg: <{VSKG}>\n"
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)

# The classes are listed as well as reached through rdfs:subClassOf, so a store without the ontology still works.
STREAM_KINDS = "vskg:ValueStream vskg:StrategicValueStream vskg:OperationalValueStream vskg:DevelopmentValueStream "
STREAM_KINDS += "vskg:ServiceValueStream"
SYSTEM_KINDS = "vskg:System vskg:ApplicationSystem vskg:TechnologyPlatform"

# What is read about each stream, and about the stages, handoffs, organisations and alignments hanging off it.
STREAM_LINKS = "vskg:operatedBy vskg:hasTrigger vskg:deliversOutcome vskg:servedBy vskg:hasStage vskg:hasHandoff "
STREAM_LINKS += "vskg:hasMCAAlignment"
STAGE_FACTS = "vskg:stageOrder vskg:processTimeHours vskg:leadTimeHours vskg:percentCompleteAccurate "
STAGE_FACTS += "vskg:addedToCompleteFlow vskg:enabledBy vskg:runsInParallelWith"
HANDOFF_FACTS = "vskg:fromStage vskg:toStage vskg:waitTimeHours vskg:queueLength vskg:percentCompleteAccurate"


ALIGNMENT_FACTS = {"vskg:alignedDimension", "vskg:rationale"}

# The owl:inverseOf pairs of the ontology: the direction the figures index a fact by -> the other. Nothing states
# the inverse of what the data says (no reasoner, no materialisation: it could not stay exact when one direction of
# a fact stated both ways is deleted), so every read takes both directions and files the fact under the first.
# A symmetric property is its own inverse: a stage runs in parallel with another whichever of the two states it.
INVERSES = {
    "vskg:hasStage": "vskg:stageOf",
    "vskg:enabledBy": "vskg:enables",
    "vskg:contributesTo": "vskg:hasContributor",
    "vskg:includesStream": "vskg:inPortfolio",
    "vskg:runsInParallelWith": "vskg:runsInParallelWith",
}


def path(curie: str) -> str:
    """The SPARQL path of a property read in either direction: ``(vskg:hasStage|^vskg:stageOf)``."""
    other = INVERSES.get(curie)
    return f"({curie}|^{other})" if other else curie


class Source(Protocol):
    """Anything that answers SPARQL like pyoxigraph: a pyoxigraph.Store or a vskg.store.LocalStore."""

    def query(self, query: str, **options: Any) -> Any: ...


class NotFound(LookupError):
    """The IRI or key given does not name the kind of resource asked for."""


class StreamNotFound(NotFound):
    pass


class PortfolioNotFound(NotFound):
    pass


class CapabilityNotFound(NotFound):
    pass


class SystemNotFound(NotFound):
    pass


def select(source: Source, text: str) -> list[dict[str, Any]]:
    """Run a SELECT over the union of every graph; each row maps the bound variable names to their terms."""
    result = source.query(PREFIXES + text, use_default_graph_as_union=True)
    names = [variable.value for variable in result.variables]
    rows = []
    for solution in result:
        rows.append({name: solution[name] for name in names if solution[name] is not None})
    return rows


def ask(source: Source, text: str) -> bool:
    return bool(source.query(PREFIXES + text, use_default_graph_as_union=True))


def node_id(term: Any) -> str:
    """The string a resource is known by in the results: the IRI, or _:name for a blank node."""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value


def iri_term(iri: str, error: type[NotFound]) -> str:
    """The SPARQL form of an IRI given by a user, or ``error`` when it cannot be one (so nothing is spliced in)."""
    try:
        return str(NamedNode(iri))
    except ValueError:
        raise error(f"{iri!r} is not a valid IRI") from None


def values(ids: Iterable[str]) -> str:
    """The IRIs among ``ids`` as the body of a VALUES clause (blank nodes cannot be named in a query)."""
    return " ".join(str(NamedNode(i)) for i in sorted(set(ids)) if not i.startswith("_:"))


def curie(iri: str) -> str:
    if iri.startswith(VSKG):
        return "vskg:" + iri[len(VSKG) :]
    return {RDF_TYPE: "rdf:type", SKOS_NOTATION: "skos:notation"}.get(iri, iri)


def last_segment(iri: str) -> str:
    tail = re.split(r"[/#:]", iri.rstrip("/#"))[-1]
    return tail or iri


def as_number(term: Any) -> float | None:
    if not isinstance(term, Literal):
        return None
    try:
        return float(term.value)
    except ValueError:
        return None


def level_number(notation: str | None) -> int | None:
    """A maturity level's number from its notation ("3", or "L3" in someone else's scheme)."""
    if notation is None:
        return None
    digits = re.search(r"\d+", notation)
    return int(digits.group()) if digits else None


def notation_key(notation: str | None) -> tuple:
    """Sort key that puts MCA-2 before MCA-10; concepts without a notation go last."""
    if notation is None:
        return (1, ())
    parts = re.split(r"(\d+)", notation)
    return (0, tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p))


class Facts:
    """The triples read for a set of streams, indexed both ways, with the labels of the resources in them."""

    def __init__(self) -> None:
        self._out: dict[str, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
        self._in: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._labels: dict[str, str] = {}
        self._all_labelled = False  # set once every label of the graph has been read (see read_all_labels)
        self.seen: set[str] | None = None  # when a set, every node looked up is added to it (see vskg.analytics.live)

    def add(self, subject: Any, predicate: Any, obj: Any) -> None:
        s, p = node_id(subject), curie(predicate.value)
        self._out[s][p].add(obj)
        if not isinstance(obj, Literal):
            self._in[node_id(obj)][p].add(s)

    def add_ids(self, subject: str, prop: str, obj: Any) -> None:
        """Add a fact whose subject is already a node id and whose property is already a CURIE."""
        self._out[subject][prop].add(obj)
        if not isinstance(obj, Literal):
            self._in[node_id(obj)][prop].add(subject)

    def remove_ids(self, subject: str, prop: str, obj: Any) -> None:
        """Take back a fact added with `add_ids` (the index holds each fact once, whichever graphs state it)."""
        self._out[subject][prop].discard(obj)
        if not isinstance(obj, Literal):
            self._in[node_id(obj)][prop].discard(subject)

    def set_label(self, node: str, label: str | None) -> None:
        """The label chosen for ``node`` (None: it has none, so the IRI's last part shows)."""
        if label is None:
            self._labels.pop(node, None)
        else:
            self._labels[node] = label

    def mark_all_labelled(self) -> None:
        """Every label of the graph is held (set by whoever filled them in with `set_label`)."""
        self._all_labelled = True

    def objects(self, subject: str, prop: str) -> set[str]:
        """The resources ``subject`` links to with ``prop``, unsorted (for set arithmetic, not for display)."""
        if self.seen is not None:
            self.seen.add(subject)
        return {node_id(o) for o in self._out.get(subject, {}).get(prop, ()) if not isinstance(o, Literal)}

    def add_rows(self, rows: Iterable[dict[str, Any]], s: str = "s", p: str = "p", o: str = "o") -> None:
        for row in rows:
            self.add(row[s], row[p], row[o])

    # --- looking things up -------------------------------------------------------------------------------------

    def refs(self, subject: str, prop: str) -> list[str]:
        """The resources ``subject`` links to with ``prop`` (a CURIE), sorted by label then IRI."""
        if self.seen is not None:
            self.seen.add(subject)
        found = {node_id(o) for o in self._out.get(subject, {}).get(prop, ()) if not isinstance(o, Literal)}
        return sorted(found, key=self.sort_key)

    def referrers(self, prop: str, obj: str) -> list[str]:
        """The resources that link to ``obj`` with ``prop``, sorted by label then IRI."""
        if self.seen is not None:
            self.seen.add(obj)
        return sorted(self._in.get(obj, {}).get(prop, ()), key=self.sort_key)

    def number(self, subject: str, prop: str) -> float | None:
        """The numeric value of ``prop``; if the graphs disagree, the smallest (so the answer is repeatable)."""
        if self.seen is not None:
            self.seen.add(subject)
        found = [n for n in (as_number(o) for o in self._out.get(subject, {}).get(prop, ())) if n is not None]
        return min(found) if found else None

    def text(self, subject: str, prop: str) -> str | None:
        if self.seen is not None:
            self.seen.add(subject)
        found = sorted(o.value for o in self._out.get(subject, {}).get(prop, ()) if isinstance(o, Literal))
        return found[0] if found else None

    def flag(self, subject: str, prop: str) -> bool:
        if self.seen is not None:
            self.seen.add(subject)
        return any(
            isinstance(o, Literal) and o.value in ("true", "1") for o in self._out.get(subject, {}).get(prop, ())
        )

    def triples(self) -> Iterable[tuple[str, str, Any]]:
        """Every fact held, once each: (subject id, property CURIE, object term)."""
        for subject, props in self._out.items():
            for prop, objects in props.items():
                for obj in objects:
                    yield subject, prop, obj

    def ids(self) -> set[str]:
        """Every resource mentioned, as subject or object."""
        return set(self._out) | set(self._in)

    def named(self) -> set[str]:
        """The resources whose label a result can show: all but the MCA alignment nodes (only their content is)."""
        alignments = {node_id(o) for p in self._out.values() for o in p.get("vskg:hasMCAAlignment", ())}
        roles = {"vskg:hasMCAAlignment"}
        alignment_only = {
            a for a in alignments if set(self._in.get(a, {})) <= roles and set(self._out.get(a, {})) <= ALIGNMENT_FACTS
        }
        return self.ids() - alignment_only

    # --- labels ------------------------------------------------------------------------------------------------

    def label(self, node: str) -> str:
        if self.seen is not None:
            self.seen.add(node)
        return self._labels.get(node) or last_segment(node)

    def ref(self, node: str) -> Ref:
        return Ref(node, self.label(node))

    def sort_key(self, node: str) -> tuple[str, str]:
        return (self.label(node).casefold(), node)

    def read_labels(self, source: Source, nodes: Iterable[str]) -> None:
        """Fetch the labels of the resources not labelled yet, chosen by vskg.labels (else the IRI's last part)."""
        wanted = {n for n in nodes if n not in self._labels and not n.startswith("_:")}
        if not wanted or self._all_labelled:
            return
        rows = select(
            source,
            # A UNION, not VALUES ?p: Oxigraph plans the two-VALUES join an order of magnitude slower.
            f"SELECT DISTINCT ?r ?p ?l WHERE {{ VALUES ?r {{ {values(wanted)} }} "
            "{ ?r rdfs:label ?l BIND(rdfs:label AS ?p) } UNION { ?r skos:prefLabel ?l BIND(skos:prefLabel AS ?p) } "
            "FILTER(isLiteral(?l)) }",
        )
        candidates: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
        for row in rows:
            candidates[row["r"].value].append((row["p"].value, row["l"].value, row["l"].language))
        for node in wanted:
            self._labels[node] = labels.best(candidates.get(node, ())) or last_segment(node)

    def read_all_labels(self, source: Source) -> None:
        """Read the label of every resource of the graph at once: cheaper than naming thousands of them."""
        best: dict[str, tuple[int, str]] = {}
        for node, code, text in rows(
            source,
            'SELECT ?r ?p ?l WHERE { { ?r rdfs:label ?l BIND("l" AS ?p) } '
            'UNION { ?r skos:prefLabel ?l BIND("p" AS ?p) } FILTER(isIRI(?r) && isLiteral(?l)) }',
        ):
            candidate = (labels.rank(LABEL_PROPERTIES[code.value], text.language), text.value)
            found = best.get(node.value)
            if found is None or candidate < found:
                best[node.value] = candidate
        self._labels.update((node, text) for node, (_, text) in best.items())
        self._all_labelled = True


def rows(source: Source, text: str) -> list[tuple[Any, ...]]:
    """Run a SELECT over the union of every graph; each row is a tuple of terms (None where unbound).

    Tuples, not dicts: at a million triples the per-row cost in Python is most of the time a query takes.
    """
    return [tuple(solution) for solution in source.query(PREFIXES + text, use_default_graph_as_union=True)]


def _code_union(subject: str, obj: str, links: dict[str, str]) -> str:
    """A UNION binding ?p to a one-letter code per property (a literal costs nothing to return, unlike an IRI)."""
    return " UNION ".join(
        f'{{ {subject} {path(curie_)} {obj} BIND("{code}" AS ?p) }}' for code, curie_ in links.items()
    )


# One-letter codes for the properties read; each maps back to the CURIE the facts are indexed by.
LINKS = {"o": "vskg:operatedBy", "t": "vskg:hasTrigger", "d": "vskg:deliversOutcome", "v": "vskg:servedBy"}
LINKS |= {"a": "vskg:hasMCAAlignment"}
AROUND = {"c": "vskg:contributesTo", "u": "vskg:supportsStage"}
BESIDE = {"e": "vskg:enabledBy", "r": "vskg:runsInParallelWith"}
STAGE_COLUMNS = ("vskg:stageOrder", "vskg:processTimeHours", "vskg:leadTimeHours", "vskg:percentCompleteAccurate")
STAGE_COLUMNS += ("vskg:addedToCompleteFlow",)
HANDOFF_COLUMNS = ("vskg:fromStage", "vskg:toStage", "vskg:waitTimeHours", "vskg:queueLength")
HANDOFF_COLUMNS += ("vskg:percentCompleteAccurate",)


FOLLOW = {"i": "vskg:inIndustry", "d": "vskg:alignedDimension", "r": "vskg:rationale", "n": "skos:notation"}


def _wide(scope: str, link: str, columns: tuple[str, ...]) -> str:
    """One row per (stream, member, values...): the member's single-valued facts as OPTIONAL columns."""
    optional = " ".join(f"OPTIONAL {{ ?s {c} ?v{i} }}" for i, c in enumerate(columns))
    names = " ".join(f"?v{i}" for i in range(len(columns)))
    return f"SELECT ?stream ?s {names} WHERE {{ VALUES ?stream {{ {scope} }} ?stream {path(link)} ?s {optional} }}"


LABEL_PROPERTIES = {
    "l": "http://www.w3.org/2000/01/rdf-schema#label",
    "p": "http://www.w3.org/2004/02/skos/core#prefLabel",
}
# Past this many streams the facts are read by scanning each property whole (no joins): Oxigraph answers a scan an
# order of magnitude faster per row than a join, so for most of a large graph reading everything is cheaper.
SCAN_FROM = 200


def read_stream_facts(source: Source, streams: Iterable[str]) -> Facts:
    """Everything the stream figures need, for all of ``streams`` at once (a fixed number of queries).

    The stages and handoffs come one row each with their figures as columns (a value stated twice with different
    numbers gives one row per combination, which the set index folds back), and only the resources that the
    figures name get their labels read.
    """
    facts = Facts()
    streams = list(streams)
    scope = values(streams)
    if not scope:
        return facts
    if len(streams) >= SCAN_FROM:
        return scan_facts(source, facts)
    add = facts.add_ids
    for stream, code, obj in rows(
        source, f"SELECT ?stream ?p ?o WHERE {{ VALUES ?stream {{ {scope} }} {_code_union('?stream', '?o', LINKS)} }}"
    ):
        add(node_id(stream), LINKS[code.value], obj)
    for link, columns in (("vskg:hasStage", STAGE_COLUMNS), ("vskg:hasHandoff", HANDOFF_COLUMNS)):
        for row in rows(source, _wide(scope, link, columns)):
            member = row[1]
            add(node_id(row[0]), link, member)
            if isinstance(member, Literal):
                continue
            subject = node_id(member)
            for prop, value in zip(columns, row[2:], strict=True):
                if value is not None:
                    add(subject, prop, value)
    # What enables each stage, and the stages it runs in parallel with.
    for stage, code, obj in rows(
        source,
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?stream {{ {scope} }} ?stream {path('vskg:hasStage')} ?s . "
        f"{_code_union('?s', '?o', BESIDE)} }}",
    ):
        add(node_id(stage), BESIDE[code.value], obj)
    # The industries of the operating organisations and the MCA alignments: dimension, rationale, notation.
    for subject, code, obj in rows(
        source,
        f"""SELECT ?s ?p ?o WHERE {{
          VALUES ?stream {{ {scope} }}
          {{ ?stream vskg:operatedBy ?s . ?s vskg:inIndustry ?o BIND("i" AS ?p) }}
          UNION {{ ?stream vskg:hasMCAAlignment ?s . ?s vskg:alignedDimension ?o BIND("d" AS ?p) }}
          UNION {{ ?stream vskg:hasMCAAlignment ?s . ?s vskg:rationale ?o BIND("r" AS ?p) }}
          UNION {{ ?stream vskg:hasMCAAlignment/vskg:alignedDimension ?s . ?s skos:notation ?o BIND("n" AS ?p) }}
        }}""",
    ):
        add(node_id(subject), FOLLOW[code.value], obj)
    # Who works on each stage, and which systems support it directly.
    for subject, code, stage in rows(
        source,
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?stream {{ {scope} }} ?stream {path('vskg:hasStage')} ?o . "
        f"{_code_union('?s', '?o', AROUND)} }}",
    ):
        add(node_id(subject), AROUND[code.value], stage)
    # The systems that support the stages' enabling capabilities.
    for system, cap in rows(
        source,
        f"SELECT ?s ?o WHERE {{ VALUES ?stream {{ {scope} }} "
        f"?stream {path('vskg:hasStage')}/{path('vskg:enabledBy')} ?o . ?s vskg:supportsCapability ?o }}",
    ):
        add(node_id(system), "vskg:supportsCapability", cap)
    facts.read_labels(source, facts.named())
    return facts


SCANNED = {f"p{i}": c for i, c in enumerate([*LINKS.values(), *AROUND.values(), *FOLLOW.values()])}
SCANNED |= {f"q{i}": c for i, c in enumerate(dict.fromkeys(STAGE_COLUMNS + HANDOFF_COLUMNS))}
SCANNED |= {"h": "vskg:hasStage", "f": "vskg:hasHandoff", "e": "vskg:enabledBy", "s": "vskg:supportsCapability"}
SCANNED |= {"r": "vskg:runsInParallelWith"}


def scan_facts(source: Source, facts: Facts) -> Facts:
    """Every fact of the properties the figures use, whoever it is about, and every label.

    A superset of what the streams need, which changes nothing: the figures only ever look up all the values of a
    property of a resource they reached, and those are all here.
    """
    add = facts.add_ids
    union = " UNION ".join(f'{{ ?s {path(c)} ?o BIND("{code}" AS ?p) }}' for code, c in SCANNED.items())
    for subject, code, obj in rows(source, f"SELECT ?s ?p ?o WHERE {{ {union} }}"):
        add(node_id(subject), SCANNED[code.value], obj)
    facts.read_all_labels(source)
    return facts


def stream_exists(source: Source, stream: str) -> bool:
    term = iri_term(stream, StreamNotFound)
    return ask(source, f"ASK {{ VALUES ?kind {{ {STREAM_KINDS} }} {term} a/rdfs:subClassOf* ?kind }}")


def all_streams(source: Source) -> list[str]:
    """Every value stream (any of its subclasses) that has at least one stage."""
    rows = select(
        source,
        f"""SELECT DISTINCT ?stream WHERE {{
          VALUES ?kind {{ {STREAM_KINDS} }} ?stream a/rdfs:subClassOf* ?kind .
          FILTER(isIRI(?stream)) FILTER EXISTS {{ ?stream {path("vskg:hasStage")} ?stage }}
        }}""",
    )
    return [row["stream"].value for row in rows]
