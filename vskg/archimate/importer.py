"""Turning a read model into quads (``am:`` description, vskg mapping, PROV) and writing them to one named graph.

Every reader (exchange XML, Archi's ``.archimate``, Archi's CSV tables) gives a `model.Model`; from there one
path serves them all: `build_model_import` describes it, maps it and records its provenance (`vskg.provenance`).
The whole input is read and checked before anything is written, and the graph is replaced in one transaction
(`LocalStore.replace_graph`), so a bad file leaves the store exactly as it was.

The triples are built as N-Triples text (`graph_text`), every node named (no blank nodes), so the same file gives
the same text: a new graph is bulk-loaded from it, an existing one compared with it line by line, and a re-import
of an unchanged file writes nothing (`write_import`).
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad

from vskg.archimate import csv_tables
from vskg.archimate.archive import ZIP_MAGIC, inflate, open_zip
from vskg.archimate.exchange import read_exchange
from vskg.archimate.graph_text import GraphText, boolean, integer, iri, literal, typed
from vskg.archimate.mapping import Iri, Text, map_model
from vskg.archimate.model import Color, Concept, Model, Organization, Property, Style, View, ViewNode
from vskg.archimate.native import NATIVE_NS, read_native
from vskg.provenance import SourceFile, files_import_record
from vskg.rdfio import InputError
from vskg.store import LocalStore

AM = "https://w3id.org/vskg/archimate#"
MODEL_BASE = "https://w3id.org/vskg/archimate/model/"
GRAPH_BASE = "https://w3id.org/vskg/graph/archimate/"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
FORMATS = {"exchange": "ArchiMate exchange format", "archi": "Archi .archimate", "csv": "Archi CSV"}


_TERMS: dict[str, NamedNode] = {}


def am(term: str) -> NamedNode:
    """The ``am:`` term as a pyoxigraph node, made once (the PROV record is built of pyoxigraph quads)."""
    found = _TERMS.get(term)
    if found is None:
        found = _TERMS[term] = NamedNode(AM + term)
    return found


def model_iri(model_id: str) -> str:
    return MODEL_BASE + quote(model_id, safe="-._~")


def default_graph(model_id: str) -> str:
    return GRAPH_BASE + quote(model_id, safe="-._~")


@dataclass
class ImportSummary:
    graph: str
    model: str
    file: str
    sha256: str
    format: str
    elements: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    element_count: int = 0
    relationship_count: int = 0
    properties: int = 0
    property_definitions: int = 0
    organizations: int = 0
    views: int = 0
    views_skipped: int = 0
    vskg: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    triples: int = 0
    content_triples: int = field(default=0, repr=False)  # the quads before the PROV record (see write_import)

    def as_dict(self) -> dict:
        out = asdict(self)
        del out["content_triples"]
        return out

    def lines(self) -> list[str]:
        out = [
            f"imported {self.file} ({self.format}) into graph <{self.graph}>: {self.triples} triples",
            f"  elements: {self.element_count}"
            + (" (" + ", ".join(f"{k} {v}" for k, v in self.elements.items()) + ")" if self.elements else ""),
            f"  relationships: {self.relationship_count}"
            + (" (" + ", ".join(f"{k} {v}" for k, v in self.relationships.items()) + ")" if self.relationships else ""),
            f"  properties: {self.properties} (property definitions: {self.property_definitions})",
            f"  organizations (folders): {self.organizations}",
            f"  views: {self.views}",
            f"  views skipped (not imported): {self.views_skipped}",
        ]
        if self.vskg:
            out.append("  vskg mapping: " + ", ".join(f"{k} {v}" for k, v in self.vskg.items()))
        out += [f"  warning: {w}" for w in self.warnings]
        return out


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a model is read or turned into quads (or back).

    Both build a million small objects that form no cycles; the collector would walk them again and again as they
    pile up (a third of the time of a 50,000-concept import). The collector is turned on again afterwards, unless
    it was off already (another import in another thread, which turns it on when it ends)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def read_model(data: bytes, name: str) -> Model:
    """Read an exchange file, an Archi .archimate file (plain or zipped) or a zipped Archi CSV export, by content."""
    if data[:4] == ZIP_MAGIC:
        archive = open_zip(data, name)
        with archive:
            if csv_tables.is_csv_archive(archive.namelist()):
                return csv_tables.read_archive(archive, name)
            return read_native(_unzip(archive, name), name)
    if NATIVE_NS.encode() in data[:4096] and b"archimate:model" in data[:4096]:
        return read_native(data, name)
    return read_exchange(data, name)


def _unzip(archive, name: str):
    """The model member of an Archi zip (``model.xml``, else the first XML member), inflated within bounds."""
    members = archive.namelist()
    models = [m for m in members if m.endswith((".xml", ".archimate"))]
    chosen = "model.xml" if "model.xml" in members else next(iter(models), None)
    if chosen is None:
        raise InputError(name, "a zip file without model.xml: not an Archi .archimate archive")
    yield from inflate(archive, chosen, name)


def _p(term: str) -> str:
    """An ``am:`` predicate or class as N-Triples text."""
    return f"<{AM}{term}>"


_TYPE = iri(RDF_TYPE.value)
_LABEL = iri(RDFS_LABEL.value)


class _Builder:
    """Collects the triples of one model as N-Triples lines (`graph_text`). Every node gets an IRI: concepts, views
    and their parts by identifier, the rest (properties, styles, colours, bendpoints, attachments, unnamed folders)
    by where it sits under its owner, so the same file always gives the same triples and a re-import changes
    nothing (see `write_import`)."""

    def __init__(self, graph: str, model: Model) -> None:
        NamedNode(graph)  # refuses an IRI that is not one, before any text is built with it
        self.model_iri = model_iri(model.identifier)
        self.base = self.model_iri + "/"
        self.model = iri(self.model_iri)
        self.out = GraphText(graph)
        self.add = self.out.add
        self.nodes: dict[str, str] = {}
        self.integers: dict[int, str] = {}

    def node(self, identifier: str) -> str:
        found = self.nodes.get(identifier)
        if found is None:
            found = self.nodes[identifier] = f"<{self.base}{quote(identifier, safe='-._~')}>"
        return found

    def integer(self, value: int) -> str:
        found = self.integers.get(value)
        if found is None:
            found = self.integers[value] = integer(value)
        return found

    def texts(self, subject: str, predicate: str, texts, label: bool = False) -> None:
        for lang, text in texts:
            self.add(subject, predicate, literal(text, lang))
        if label:
            first = next(((lang, text.strip()) for lang, text in texts if text.strip()), None)
            if first:
                self.add(subject, _LABEL, literal(first[1], first[0]))

    def properties(self, subject: str, properties: list[Property]) -> None:
        """Each property is a node ``<owner>/property/<n>`` (am:Property by the range of am:hasProperty)."""
        for number, prop in enumerate(properties, start=1):
            holder = f"{subject[:-1]}/property/{number}>"
            self.add(subject, _HAS_PROPERTY, holder)
            self.add(holder, _DEFINITION, self.node(prop.ref))
            self.add(holder, _POSITION, self.integer(number))
            self.texts(holder, _VALUE, prop.values)

    def number(self, subject: str, predicate: str, value: int | None) -> None:
        if value is not None:
            self.add(subject, _p(predicate), self.integer(value))

    def color(self, subject: str, predicate: str, color: Color | None) -> None:
        if color is None:
            return
        holder = f"{subject[:-1]}/{predicate}>"
        self.add(subject, _p(predicate), holder)
        for part, value in (("red", color.r), ("green", color.g), ("blue", color.b), ("alpha", color.a)):
            self.number(holder, part, value)

    def style(self, subject: str, style: Style | None) -> None:
        if style is None:
            return
        holder = subject[:-1] + "/style>"
        self.add(subject, _p("style"), holder)
        self.color(holder, "fillColor", style.fill)
        self.color(holder, "lineColor", style.line)
        self.number(holder, "lineWidth", style.line_width)
        if style.has_font:
            self.add(holder, _p("font"), boolean(True))
        for predicate, value in (("fontName", style.font_name), ("fontStyle", style.font_style)):
            if value is not None:
                self.add(holder, _p(predicate), literal(value))
        if style.font_size is not None:
            self.add(holder, _p("fontSize"), typed(_decimal(style.font_size), XSD + "decimal"))
        self.color(holder, "fontColor", style.font_color)

    def view_part(self, subject: str, type_name: str, implied: bool, position: int, part) -> None:
        """What nodes and connections share. The identifier is the end of the IRI, and the type is left out when
        the reference says it (a node with an elementRef is an Element node, a connection with a relationshipRef a
        Relationship connection): `writer` reads both back."""
        if not implied:
            self.add(subject, _p("type"), literal(type_name))
        self.add(subject, _POSITION, self.integer(position))
        if part.labels:
            self.texts(subject, _p("label"), part.labels)
        if part.docs:
            self.texts(subject, _p("documentation"), part.docs)
        if part.style is not None:
            self.style(subject, part.style)

    def view_node(self, node: ViewNode, position: int) -> str:
        subject = self.node(node.identifier)
        self.view_part(subject, node.type, node.type == "Element" and node.element_ref is not None, position, node)
        add, number = self.add, self.integer
        if node.element_ref is not None:
            add(subject, _ELEMENT_REF, self.node(node.element_ref))
        add(subject, _X, number(node.x))
        add(subject, _Y, number(node.y))
        add(subject, _WIDTH, number(node.w))
        add(subject, _HEIGHT, number(node.h))
        if node.concept_ref is not None:
            add(subject, _p("conceptRef"), self.node(node.concept_ref))
        if node.xpath_part is not None:
            add(subject, _p("xpathPart"), literal(node.xpath_part))
        self.view_refs(subject, node.view_refs)
        for index, child in enumerate(node.children, start=1):
            add(subject, _NODE, self.view_node(child, index))
        return subject

    def view_refs(self, subject: str, refs: list[str]) -> None:
        for ref in refs:
            self.add(subject, _p("viewRef"), self.node(ref))

    def location(self, subject: str, predicate: str, point: tuple[int, int] | None) -> None:
        if point is None:
            return
        holder = f"{subject[:-1]}/{predicate}>"
        self.add(subject, _p(predicate), holder)
        self.number(holder, "x", point[0])
        self.number(holder, "y", point[1])

    def connection(self, view: str, conn, position: int) -> None:
        part = self.node(conn.identifier)
        add, number = self.add, self.integer
        add(view, _CONNECTION, part)
        implied = conn.type == "Relationship" and conn.relationship_ref is not None
        self.view_part(part, conn.type, implied, position, conn)
        if conn.relationship_ref is not None:
            add(part, _RELATIONSHIP_REF, self.node(conn.relationship_ref))
        if conn.source is not None:
            add(part, _SOURCE_NODE, self.node(conn.source))
        if conn.target is not None:
            add(part, _TARGET_NODE, self.node(conn.target))
        if conn.view_refs:
            self.view_refs(part, conn.view_refs)
        self.location(part, "sourceAttachment", conn.source_attachment)
        self.location(part, "targetAttachment", conn.target_attachment)
        for order, (x, y) in enumerate(conn.bendpoints, start=1):
            point = f"{part[:-1]}/bendpoint/{order}>"
            add(part, _BENDPOINT, point)
            add(point, _POSITION, number(order))
            add(point, _X, number(x))
            add(point, _Y, number(y))

    def view(self, view: View, position: int) -> None:
        subject = self.node(view.identifier)
        self.add(subject, _TYPE, _p("View"))
        self.add(subject, _p("identifier"), literal(view.identifier))
        self.add(subject, _p("inModel"), self.model)
        self.number(subject, "position", position)
        if view.type is not None:
            self.add(subject, _p("type"), literal(view.type))
        if view.viewpoint is not None:
            self.add(subject, _p("viewpoint"), literal(view.viewpoint))
        if view.viewpoint_ref is not None:
            self.add(subject, _p("viewpointRef"), literal(view.viewpoint_ref))
        self.texts(subject, _p("name"), view.names, label=True)
        self.texts(subject, _p("documentation"), view.docs)
        self.properties(subject, view.properties)
        for index, node in enumerate(view.nodes, start=1):
            self.add(subject, _NODE, self.view_node(node, index))
        for index, conn in enumerate(view.connections, start=1):
            self.connection(subject, conn, index)

    def organization(self, org: Organization, position: int, place: str) -> str:
        """A folder: by its identifier, or else ``place`` (``<model>/organization/<n>``, ``<folder>/item/<n>``)."""
        if org.ref is not None and not org.labels and not org.children and not org.docs:
            return self.node(org.ref)
        subject = self.node(org.identifier) if org.identifier else place
        self.add(subject, _TYPE, _p("Organization"))
        self.add(subject, _POSITION, self.integer(position))
        if org.identifier:
            self.add(subject, _p("identifier"), literal(org.identifier))
        if org.ref is not None:
            self.add(subject, _p("identifierRef"), self.node(org.ref))
        self.texts(subject, _p("label"), org.labels, label=True)
        self.texts(subject, _p("documentation"), org.docs)
        for index, child in enumerate(org.children, start=1):
            self.add(subject, _p("item"), self.organization(child, index, f"{subject[:-1]}/item/{index}>"))
        return subject

    def concepts(self, concepts: list[Concept]) -> None:
        """Elements and relationships: the loop that runs most, so its terms are looked up once."""
        add, node, number, model, texts = self.add, self.node, self.integer, self.model, self.texts
        kinds = {"element": _p("Element"), "relationship": _p("Relationship")}
        identifier, in_model, type_, name = _p("identifier"), _p("inModel"), _p("type"), _p("name")
        documentation, source, target = _p("documentation"), _p("source"), _p("target")
        types: dict[str, str] = {}
        positions = {"element": 0, "relationship": 0}
        for concept in concepts:
            subject = node(concept.identifier)
            positions[concept.kind] += 1
            add(subject, _TYPE, kinds[concept.kind])
            add(subject, _POSITION, number(positions[concept.kind]))
            add(subject, identifier, literal(concept.identifier))
            add(subject, in_model, model)
            kind = types.get(concept.type)
            if kind is None:
                kind = types[concept.type] = literal(concept.type)
            add(subject, type_, kind)
            texts(subject, name, concept.names, label=True)
            if concept.docs:
                texts(subject, documentation, concept.docs)
            if concept.kind == "relationship":
                add(subject, source, node(concept.source or ""))
                add(subject, target, node(concept.target or ""))
                if concept.access_type is not None:
                    add(subject, _p("accessType"), literal(concept.access_type))
                if concept.is_directed is not None:
                    add(subject, _p("isDirected"), boolean(concept.is_directed))
                if concept.modifier is not None:
                    add(subject, _p("modifier"), literal(concept.modifier))
            if concept.properties:
                self.properties(subject, concept.properties)


_POSITION, _VALUE, _HAS_PROPERTY, _DEFINITION = _p("position"), _p("value"), _p("hasProperty"), _p("propertyDefinition")
_X, _Y, _WIDTH, _HEIGHT = _p("x"), _p("y"), _p("width"), _p("height")
_NODE, _CONNECTION, _BENDPOINT, _ELEMENT_REF = _p("node"), _p("connection"), _p("bendpoint"), _p("elementRef")
_RELATIONSHIP_REF, _SOURCE_NODE, _TARGET_NODE = _p("relationshipRef"), _p("sourceNode"), _p("targetNode")


def _decimal(text: str) -> str:
    """A decimal in the canonical form the store gives it back in (9.50 is stored as 9.5), else as written."""
    try:
        return format(Decimal(text.strip()).normalize(), "f")
    except InvalidOperation:
        return text


def model_quads(model: Model, graph: str) -> tuple[GraphText, list[str], dict[str, int]]:
    """The ``am:`` description of ``model`` plus its vskg mapping, in ``graph``; also the warnings and class tally."""
    b = _Builder(graph, model)
    b.add(b.model, _TYPE, _p("Model"))
    b.add(b.model, _p("identifier"), literal(model.identifier))
    b.texts(b.model, _p("name"), model.names, label=True)
    b.texts(b.model, _p("documentation"), model.docs)
    if model.version:
        b.add(b.model, _p("version"), literal(model.version))
    if model.metadata:
        b.add(b.model, _p("metadata"), literal(model.metadata))
    if model.viewpoints:
        b.add(b.model, _p("viewpointDefinitions"), literal(model.viewpoints))
    b.properties(b.model, model.properties)
    for definition in model.property_definitions:
        subject = b.node(definition.identifier)
        b.add(subject, _TYPE, _p("PropertyDefinition"))
        b.add(subject, _p("identifier"), literal(definition.identifier))
        b.add(subject, _p("inModel"), b.model)
        b.add(subject, _p("dataType"), literal(definition.data_type))
        b.texts(subject, _p("name"), definition.names, label=True)
    b.concepts(model.concepts)
    for index, view in enumerate(model.views, start=1):
        b.view(view, index)
    for index, org in enumerate(model.organizations, start=1):
        b.add(b.model, _p("organization"), b.organization(org, index, f"<{b.model_iri}/organization/{index}>"))
    statements, warnings, classes = map_model(model)
    for s, p, o in statements:
        predicate = _TYPE if p == "rdf:type" else iri(p)
        if isinstance(o, int):
            obj = b.integer(o)
        elif isinstance(o, Text):
            obj = literal(str(o))
        elif p == "rdf:type" or isinstance(o, Iri):
            obj = iri(str(o))
        else:
            obj = b.node(str(o))
        b.add(_derivation(b, s) if s.startswith("_:") else b.node(s), predicate, obj)
    return b.out, warnings, dict(sorted(classes.items()))


def _derivation(b: _Builder, name: str) -> str:
    """The node of a derivation the mapping names ``_:<subject> <predicate> <object>``: ``<model>/derivation/...``
    from the link it explains, so it is the same at every import."""
    return iri(b.base + "derivation/" + "/".join(quote(part, safe="-._~") for part in name[2:].split("\t")))


def import_provenance(
    summary: ImportSummary, sources: list[SourceFile], count: int, started: datetime, ended: datetime
) -> list[Quad]:
    """The PROV record of an ArchiMate import: the shared record of `vskg.provenance`, plus what was imported.

    The model ``prov:wasGeneratedBy`` the activity, and the activity carries ``am:imported`` tallies (per element
    and relationship type, properties, organizations, views), an ``am:skipped`` tally of views, the warnings and
    its ``am:importKey`` (`import_key`).
    """
    graph = summary.graph
    label = f"ArchiMate import of {summary.file} ({summary.format})"
    activity, triples = files_import_record(graph, label, sources, count, started.isoformat(), ended.isoformat())
    g = NamedNode(graph)
    integer = NamedNode(XSD + "integer")
    model = NamedNode(summary.model)
    quads = [Quad(s, p, o, g) for s, p, o in triples]
    quads += [
        Quad(activity, NamedNode(PROV + "generated"), model, g),
        Quad(model, NamedNode(PROV + "wasGeneratedBy"), activity, g),
    ]
    tallies = [("element", k, v) for k, v in summary.elements.items()]
    tallies += [("relationship", k, v) for k, v in summary.relationships.items()]
    tallies += [("property", "Property", summary.properties), ("organization", "Organization", summary.organizations)]
    tallies += [("view", "View", summary.views)]
    for what, type_name, number in tallies:
        tally = NamedNode(f"{summary.model}/import/{what}/{quote(type_name, safe='-._~')}")
        quads += [
            Quad(activity, am("imported"), tally, g),
            Quad(tally, RDF_TYPE, am("Tally"), g),
            Quad(tally, am("what"), Literal(what), g),
            Quad(tally, am("type"), Literal(type_name), g),
            Quad(tally, am("count"), Literal(str(number), datatype=integer), g),
        ]
    tally = NamedNode(f"{summary.model}/import/skipped/view")
    quads += [
        Quad(activity, am("skipped"), tally, g),
        Quad(tally, RDF_TYPE, am("Tally"), g),
        Quad(tally, am("what"), Literal("view"), g),
        Quad(tally, am("count"), Literal(str(summary.views_skipped), datatype=integer), g),
        Quad(activity, am("importKey"), Literal(import_key(summary)), g),
    ]
    quads += [Quad(activity, am("warning"), Literal(w), g) for w in summary.warnings]
    return quads


# Changed whenever the quads an import writes for the same file change (the vocabulary, the mapping, the IRIs), so
# that a re-import by a newer vskg writes its own provenance instead of keeping the old record.
MAPPING_VERSION = "2"


def import_key(summary: ImportSummary) -> str:
    """What decides the content of an import: the files read (by SHA-256), the target graph and the mapping's version.

    Two imports with the same key write the same content quads, so a re-import finding its key in the graph keeps
    the record of the import that wrote it (`write_import`)."""
    return hashlib.sha256(f"{summary.sha256} {summary.graph} {MAPPING_VERSION}".encode()).hexdigest()


def _kept_record(store, summary: ImportSummary) -> list[Quad] | None:
    """The PROV record held in the summary's graph when the import that wrote it had the same key; else None."""
    g = f"<{summary.graph}>"
    found = store.query(
        f"SELECT ?a WHERE {{ GRAPH {g} {{ {g} <{PROV}wasGeneratedBy> ?a . "
        f"?a <{AM}importKey> {Literal(import_key(summary))} }} }} LIMIT 1"
    )
    activity = next((row["a"] for row in found), None)
    if not isinstance(activity, NamedNode):
        return None
    a, by = str(activity), f"<{PROV}wasGeneratedBy>"
    rows = store.query(
        f"""SELECT ?s ?p ?o WHERE {{ GRAPH {g} {{
          {{ {g} ?p ?o BIND({g} AS ?s) FILTER(?p IN ({by}, <http://rdfs.org/ns/void#triples>)) }}
          UNION {{ {a} ?p ?o BIND({a} AS ?s) }}
          UNION {{ {a} <{AM}imported>|<{AM}skipped>|<{PROV}used> ?s . ?s ?p ?o }}
          UNION {{ ?s {by} {a} BIND({by} AS ?p) BIND({a} AS ?o) FILTER(?s != {g}) }}
        }} }}"""
    )
    graph = NamedNode(summary.graph)
    return [Quad(row["s"], row["p"], row["o"], graph) for row in rows]


def write_import(store, quads: GraphText, summary: ImportSummary) -> None:
    """Write an import's graph (replaced in one transaction, by difference when it exists).

    When the graph already holds an import with the same key (the same file into the same graph), its content is
    what this import would write, so the stored PROV record is kept in place of the new one: the graph stays as it
    was, byte for byte, and nothing is written (unless the graph was edited since; then the edits are undone).
    The embedded store is given the N-Triples text itself (bulk-loaded, or compared line by line); another
    backend gets pyoxigraph quads.
    """
    if store.has_graph(summary.graph):
        kept = _kept_record(store, summary)
        if kept is not None:
            content = GraphText(summary.graph)
            content.lines = quads.lines[: summary.content_triples]
            content.extend(kept)
            quads = content
    if isinstance(store, LocalStore):
        store.replace_graph(summary.graph, quads.ntriples())
    else:
        store.replace_graph(summary.graph, list(quads))


def build_model_import(
    model: Model, sources: list[SourceFile], graph: str | None = None, started: datetime | None = None
) -> tuple[GraphText, ImportSummary]:
    """Everything an import of ``model`` (read from ``sources``) would write, computed without touching a store."""
    started = started or datetime.now(UTC)
    target = graph or default_graph(model.identifier)
    quads, warnings, classes = model_quads(model, target)
    if model.views_skipped:
        warnings.append(
            f"{model.views_skipped} Archi sketch or canvas view(s) not imported (the exchange format has no place for "
            "them): " + "; ".join(model.skipped_names)
        )
    for what, count in model.left_out.items():
        warnings.append(f"views: {count} {what} not kept (left out of the import)")
    summary = ImportSummary(
        graph=target,
        model=model_iri(model.identifier),
        file=", ".join(Path(source.name).name for source in sources),
        sha256=hashlib.sha256(b"".join(source.data for source in sources)).hexdigest(),
        format=FORMATS[model.source_format],
        elements=model.type_counts("element"),
        relationships=model.type_counts("relationship"),
        element_count=len(model.elements),
        relationship_count=len(model.relationships),
        properties=model.property_count(),
        property_definitions=len(model.property_definitions),
        organizations=model.organization_count(),
        views=len(model.views),
        views_skipped=model.views_skipped,
        vskg=classes,
        warnings=warnings,
    )
    summary.content_triples = len(quads)
    quads.extend(import_provenance(summary, sources, len(quads), started, datetime.now(UTC)))
    summary.triples = len(quads)
    return quads, summary


def build_import(data: bytes, name: str, graph: str | None = None) -> tuple[GraphText, ImportSummary]:
    """Everything an import of one file (any of the formats `read_model` knows) would write."""
    started = datetime.now(UTC)
    with paused_gc():
        return build_model_import(read_model(data, name), [SourceFile.of(name, data)], graph, started)


def import_bytes(store, data: bytes, name: str, graph: str | None = None) -> ImportSummary:
    """Read, map and write one model into its graph (replaced atomically); InputError leaves the store alone."""
    quads, summary = build_import(data, name, graph)
    write_import(store, quads, summary)
    return summary


def build_path_import(path: Path, graph: str | None = None) -> tuple[GraphText, ImportSummary]:
    """An import of a model file, or of an Archi CSV export given as its folder, file prefix or elements file."""
    path = Path(path)
    if csv_tables.is_location(path):
        started = datetime.now(UTC)
        model, sources = csv_tables.read_location(path)
        with paused_gc():
            return build_model_import(model, sources, graph, started)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(path, err.strerror or str(err)) from None
    return build_import(data, str(path), graph)


def import_file(store, path: Path, graph: str | None = None) -> ImportSummary:
    quads, summary = build_path_import(path, graph)
    write_import(store, quads, summary)
    return summary
