"""Archi's CSV format (``elements.csv``, ``relations.csv``, ``properties.csv``) to and from vskg's ArchiMate RDF.

The RDF is the shared ``am:`` form of an imported ArchiMate model (see ``docs`` and ``ontology/archimate.ttl``):
a model node, one node per element and relationship with ``am:identifier``, ``am:type`` in exchange-format
spelling, ``am:name`` / ``am:documentation``, ``am:source`` / ``am:target``, and ``am:hasProperty`` nodes pointing
at property definitions.

How Archi's CSV maps onto it:

- The first data row of ``elements.csv`` has Type ``ArchimateModel``: the model's id, name and purpose (purpose
  becomes ``am:documentation``). Properties may point at the model id.
- Type names: Archi writes EClass names. Elements are spelt as in the exchange format except ``Junction``, which
  becomes ``AndJunction`` or ``OrJunction`` from its ``Junction_Type`` property (``And`` when absent). Relationship
  types lose the ``Relationship`` suffix (``ServingRelationship`` -> ``Serving``).
- Archi's special property keys become the contract's attributes and are written back on export: ``Junction_Type``
  (the junction's type), ``Access_Type`` -> ``am:accessType``, ``Influence_Strength`` -> ``am:modifier``,
  ``Directed`` -> ``am:isDirected``.
- ``Specialization`` is kept as a property whose definition has the identifier ``specialization``, the way Archi
  exports specializations to the exchange format; every other property key gets a definition ``propid-N``
  (numbered in order of first use) of data type ``string``.
- CSV has no languages, so texts are plain strings. On export a text with several languages is written in one of
  them: the plain one, else English, else the first language in sort order.
- Files are UTF-8 (a byte-order mark is accepted) with ``,`` ``;`` or tab as delimiter (read from the header line).
  Exports are UTF-8 with ``,``, every field quoted, and CRLF line ends, as Archi writes them.
- A cell a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, TAB or CR) is written with
  one apostrophe in front, and an import removes exactly that apostrophe again (``vskg.csvsafe``), so a model whose
  names start with ``=`` survives the round trip unchanged and cannot run anything in Excel on the way.

Anything wrong with the input (missing file, wrong header, unknown type, duplicate id, a relation whose source
or target is not in the files, a property for an unknown id) raises ``InputError`` with the file, the line and the
reason; nothing is read half-way.

``build_import`` / ``import_csv`` add what an import into the store needs on top of ``read_csv``: the vskg mapping
(``vskg.archimate.mapping.map_model``, the same as for the exchange format, asserted on the same nodes) and the
PROV record and summary of ``vskg.archimate.importer``. ``write_csv`` exports any graph holding one ``am:Model``
(an exchange-format import as well as a CSV one); views, organizations (folders) and languages other than the
chosen one have no place in Archi's CSV and are not written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from vskg.csvsafe import escape_row, unescape_row
from vskg.rdfio import InputError

AM = rdflib.Namespace("https://w3id.org/vskg/archimate#")
MODEL_BASE = "https://w3id.org/vskg/archimate/model/"

ELEMENTS_HEADER = ["ID", "Type", "Name", "Documentation", "Specialization"]
RELATIONS_HEADER = ["ID", "Type", "Name", "Documentation", "Source", "Target", "Specialization"]
PROPERTIES_HEADER = ["ID", "Key", "Value"]
# Archi's exports before October 2021 had no Specialization column; they are still read.
LEGACY_HEADERS = {"elements": ELEMENTS_HEADER[:4], "relations": RELATIONS_HEADER[:6]}
HEADERS = {"elements": ELEMENTS_HEADER, "relations": RELATIONS_HEADER, "properties": PROPERTIES_HEADER}

MODEL_TYPE = "ArchimateModel"
ELEMENT_TYPES = frozenset(
    [
        "BusinessActor",
        "BusinessRole",
        "BusinessCollaboration",
        "BusinessInterface",
        "BusinessProcess",
        "BusinessFunction",
        "BusinessInteraction",
        "BusinessEvent",
        "BusinessService",
        "BusinessObject",
        "Contract",
        "Representation",
        "Product",
        "ApplicationComponent",
        "ApplicationCollaboration",
        "ApplicationInterface",
        "ApplicationFunction",
        "ApplicationInteraction",
        "ApplicationProcess",
        "ApplicationEvent",
        "ApplicationService",
        "DataObject",
        "Node",
        "Device",
        "SystemSoftware",
        "TechnologyCollaboration",
        "TechnologyInterface",
        "Path",
        "CommunicationNetwork",
        "TechnologyFunction",
        "TechnologyProcess",
        "TechnologyInteraction",
        "TechnologyEvent",
        "TechnologyService",
        "Artifact",
        "Equipment",
        "Facility",
        "DistributionNetwork",
        "Material",
        "Stakeholder",
        "Driver",
        "Assessment",
        "Goal",
        "Outcome",
        "Principle",
        "Requirement",
        "Constraint",
        "Meaning",
        "Value",
        "Resource",
        "Capability",
        "CourseOfAction",
        "ValueStream",
        "WorkPackage",
        "Deliverable",
        "ImplementationEvent",
        "Plateau",
        "Gap",
        "Grouping",
        "Location",
    ]
)
JUNCTION = "Junction"
JUNCTION_TYPES = {"And": "AndJunction", "Or": "OrJunction"}
RELATIONSHIP_TYPES = frozenset(
    [
        "Composition",
        "Aggregation",
        "Assignment",
        "Realization",
        "Serving",
        "Access",
        "Influence",
        "Triggering",
        "Flow",
        "Specialization",
        "Association",
    ]
)
ACCESS_TYPES = ("Access", "Read", "Write", "ReadWrite")

JUNCTION_KEY, ACCESS_KEY, INFLUENCE_KEY, DIRECTED_KEY = "Junction_Type", "Access_Type", "Influence_Strength", "Directed"
SPECIALIZATION_ID = "specialization"


@dataclass
class Row:
    line: int
    values: dict[str, str]


@dataclass
class CsvFiles:
    """Where the three files of one export are (a file that is absent is None)."""

    elements: Path
    relations: Path | None
    properties: Path | None


@dataclass
class CsvModel:
    """What the CSV files say, checked: model row, concept rows, property rows."""

    model_id: str
    model_name: str
    model_purpose: str
    elements: list[Row] = field(default_factory=list)
    relations: list[Row] = field(default_factory=list)
    properties: list[Row] = field(default_factory=list)


def locate(where: Path) -> CsvFiles:
    """The files for ``where``: a folder holding ``elements.csv`` etc., or a prefix such as ``out/MyModel-``."""
    if where.is_dir():
        folder, prefix = where, ""
    else:
        folder, prefix = where.parent, where.name
    names = {kind: folder / f"{prefix}{kind}.csv" for kind in HEADERS}
    if not names["elements"].is_file():
        raise InputError(names["elements"], "no such file: an Archi CSV export needs its elements file")
    return CsvFiles(
        elements=names["elements"],
        relations=names["relations"] if names["relations"].is_file() else None,
        properties=names["properties"] if names["properties"].is_file() else None,
    )


def _rows(path: Path, kind: str) -> list[Row]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as problem:
        raise InputError(path, f"cannot read the file: {problem.strerror or problem}") from None
    except UnicodeDecodeError as problem:
        raise InputError(path, f"not UTF-8 text ({problem.reason} at byte {problem.start})", 1) from None
    first = text.split("\n", 1)[0]
    delimiter = next((d for d in (",", ";", "\t") if d in first), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    header: list[str] | None = None
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if header is None:
                header = record
                expected = HEADERS[kind]
                if record != expected and record != LEGACY_HEADERS.get(kind):
                    want = ",".join(f'"{h}"' for h in expected)
                    raise InputError(path, f"wrong header {record!r}; Archi's {kind}.csv starts with {want}", start)
                continue
            if not any(value.strip() for value in record):
                continue
            if len(record) != len(header):
                raise InputError(path, f"{len(record)} fields where the header has {len(header)}", start)
            rows.append(Row(start, dict(zip(header, unescape_row(record), strict=True))))
    except csv.Error as problem:
        raise InputError(path, f"not valid CSV: {problem}", reader.line_num) from None
    if header is None:
        raise InputError(path, f"empty file; Archi's {kind}.csv has at least a header line", 1)
    return rows


def read_files(files: CsvFiles) -> CsvModel:
    """Read and check the files of one export (raises InputError naming file, line and reason)."""
    elements = _rows(files.elements, "elements")
    relations = _rows(files.relations, "relations") if files.relations else []
    properties = _rows(files.properties, "properties") if files.properties else []
    if not elements or elements[0].values["Type"] != MODEL_TYPE:
        line = elements[0].line if elements else 2
        raise InputError(files.elements, f"the first row must describe the model (Type {MODEL_TYPE})", line)
    head = elements.pop(0)
    model = CsvModel(head.values["ID"].strip(), head.values["Name"], head.values["Documentation"])
    if not model.model_id:
        raise InputError(files.elements, "the model row has no ID", head.line)
    seen: dict[str, tuple[Path, int]] = {model.model_id: (files.elements, head.line)}

    def register(path: Path, row: Row, kind: str) -> None:
        identifier = row.values["ID"].strip()
        if not identifier:
            raise InputError(path, f"{kind} without an ID (vskg needs one to keep the concept)", row.line)
        if identifier in seen:
            first_path, first_line = seen[identifier]
            raise InputError(path, f"ID {identifier!r} is used twice (first in {first_path.name} line {first_line})",
                             row.line)  # fmt: skip
        seen[identifier] = (path, row.line)

    for row in elements:
        register(files.elements, row, "element")
        kind = row.values["Type"]
        if kind == MODEL_TYPE:
            raise InputError(files.elements, "a second ArchimateModel row; one export holds one model", row.line)
        if kind not in ELEMENT_TYPES and kind != JUNCTION:
            raise InputError(files.elements, f"element {row.values['ID']} has an unknown type {kind!r}", row.line)
    assert files.relations is not None or not relations
    for row in relations:
        register(files.relations, row, "relation")
        kind = row.values["Type"]
        if not kind.endswith("Relationship") or kind.removesuffix("Relationship") not in RELATIONSHIP_TYPES:
            raise InputError(files.relations, f"relation {row.values['ID']} has an unknown type {kind!r}", row.line)
    for row in relations:
        for end in ("Source", "Target"):
            ref = row.values[end].strip()
            if ref not in seen or ref == model.model_id:
                raise InputError(
                    files.relations,
                    f"relation {row.values['ID']}: {end.lower()} {ref!r} is not an element or relation of the files",
                    row.line,
                )
    types = {r.values["ID"].strip(): r.values["Type"] for r in elements + relations}
    for row in properties:
        ref = row.values["ID"].strip()
        if ref not in seen:
            raise InputError(files.properties, f"property {row.values['Key']!r} is for unknown ID {ref!r}", row.line)
        key, value = row.values["Key"], row.values["Value"]
        if not key:
            raise InputError(files.properties, f"property of {ref} without a Key", row.line)
        kind = types.get(ref)
        if key == JUNCTION_KEY and kind == JUNCTION and value not in JUNCTION_TYPES:
            raise InputError(files.properties, f"Junction_Type of {ref} must be And or Or, not {value!r}", row.line)
        if key == ACCESS_KEY and kind == "AccessRelationship" and value not in ACCESS_TYPES:
            raise InputError(
                files.properties, f"Access_Type of {ref} must be one of {', '.join(ACCESS_TYPES)}, not {value!r}",
                row.line,
            )  # fmt: skip
        if key == DIRECTED_KEY and kind == "AssociationRelationship" and value.lower() not in ("true", "false"):
            raise InputError(files.properties, f"Directed of {ref} must be true or false, not {value!r}", row.line)
    model.elements, model.relations, model.properties = elements, relations, properties
    return model


def _special(kind: str | None, key: str) -> bool:
    return (
        (kind == JUNCTION and key == JUNCTION_KEY)
        or (kind == "AccessRelationship" and key == ACCESS_KEY)
        or (kind == "InfluenceRelationship" and key == INFLUENCE_KEY)
        or (kind == "AssociationRelationship" and key == DIRECTED_KEY)
    )


def model_iri(model_id: str) -> URIRef:
    return URIRef(MODEL_BASE + quote(model_id, safe="-._~"))


def to_graph(model: CsvModel) -> rdflib.Graph:
    """The ``am:`` RDF of a checked CSV model."""
    g = rdflib.Graph()
    g.bind("am", AM)
    m = model_iri(model.model_id)

    def node(identifier: str) -> URIRef:
        return URIRef(f"{m}/{quote(identifier, safe='-._~')}")

    g.add((m, RDF.type, AM.Model))
    g.add((m, AM.identifier, Literal(model.model_id)))
    if model.model_name:
        g.add((m, AM.name, Literal(model.model_name)))
        if model.model_name.strip():
            g.add((m, RDFS.label, Literal(model.model_name.strip())))
    if model.model_purpose:
        g.add((m, AM.documentation, Literal(model.model_purpose)))

    definitions: dict[str, URIRef] = {}

    def definition(key: str) -> URIRef:
        if key not in definitions:
            numbered = sum(1 for k in definitions if k != "Specialization")
            ident = SPECIALIZATION_ID if key == "Specialization" else f"propid-{numbered + 1}"
            d = node(ident)
            definitions[key] = d
            g.add((d, RDF.type, AM.PropertyDefinition))
            g.add((d, AM.identifier, Literal(ident)))
            g.add((d, AM.inModel, m))
            g.add((d, AM.name, Literal(key)))
            g.add((d, RDFS.label, Literal(key)))
            g.add((d, AM.dataType, Literal("string")))
        return definitions[key]

    def prop(subject: URIRef, key: str, value: str) -> None:
        p = BNode()
        g.add((subject, AM.hasProperty, p))
        g.add((p, RDF.type, AM.Property))
        g.add((p, AM.propertyDefinition, definition(key)))
        g.add((p, AM.value, Literal(value)))

    specials: dict[tuple[str, str], str] = {}
    csv_types = {r.values["ID"].strip(): r.values["Type"] for r in model.elements + model.relations}
    for row in model.properties:
        ref, key = row.values["ID"].strip(), row.values["Key"]
        if _special(csv_types.get(ref), key) and (ref, key) not in specials:
            specials[(ref, key)] = row.values["Value"]

    for row, is_relation in [(r, False) for r in model.elements] + [(r, True) for r in model.relations]:
        v = row.values
        ident = v["ID"].strip()
        s = node(ident)
        kind = v["Type"]
        if kind == JUNCTION:
            kind = JUNCTION_TYPES[specials.get((ident, JUNCTION_KEY), "And")]
        elif is_relation:
            kind = kind.removesuffix("Relationship")
        g.add((s, RDF.type, AM.Relationship if is_relation else AM.Element))
        g.add((s, AM.identifier, Literal(ident)))
        g.add((s, AM.inModel, m))
        g.add((s, AM.type, Literal(kind)))
        if v["Name"]:
            g.add((s, AM.name, Literal(v["Name"])))
            if v["Name"].strip():
                g.add((s, RDFS.label, Literal(v["Name"].strip())))
        if v["Documentation"]:
            g.add((s, AM.documentation, Literal(v["Documentation"])))
        if is_relation:
            g.add((s, AM.source, node(v["Source"].strip())))
            g.add((s, AM.target, node(v["Target"].strip())))
            if (ident, ACCESS_KEY) in specials:
                g.add((s, AM.accessType, Literal(specials[(ident, ACCESS_KEY)])))
            if (ident, INFLUENCE_KEY) in specials:
                g.add((s, AM.modifier, Literal(specials[(ident, INFLUENCE_KEY)])))
            if (ident, DIRECTED_KEY) in specials:
                directed = specials[(ident, DIRECTED_KEY)].lower() == "true"
                g.add((s, AM.isDirected, Literal(directed, datatype=XSD.boolean)))
        if v.get("Specialization"):
            prop(s, "Specialization", v["Specialization"])
    seen_special: set[tuple[str, str]] = set()
    for row in model.properties:
        ref, key = row.values["ID"].strip(), row.values["Key"]
        if _special(csv_types.get(ref), key) and (ref, key) not in seen_special:
            seen_special.add((ref, key))  # the first one is the attribute; a repeat stays a plain property
            continue
        prop(m if ref == model.model_id else node(ref), key, row.values["Value"])
    return g


def add_vskg_mapping(g: rdflib.Graph) -> tuple[list[str], dict[str, int]]:
    """Add the vskg reading of each ArchiMate model in ``g`` (stages, enabling capabilities, ...) on the same nodes.

    The mapping itself belongs to ``vskg.archimate.mapping.map_model``, shared with the exchange-format import;
    this only hands it the concepts found in the ``am:`` graph. Returns the mapping's warnings and how many nodes
    got each vskg class.
    """
    from collections import Counter

    from vskg.archimate.mapping import Iri, Text, map_model
    from vskg.archimate.model import Concept, Model

    def texts(subject, predicate) -> list[tuple[str | None, str]]:
        values = sorted((v for v in g.objects(subject, predicate) if isinstance(v, Literal)), key=str)
        return [(v.language, str(v)) for v in values]

    warnings: list[str] = []
    classes: Counter = Counter()
    for m in sorted(g.subjects(RDF.type, AM.Model), key=str):
        nodes: dict[str, URIRef] = {}
        concepts = []
        for c in sorted(set(g.subjects(AM.inModel, m)), key=str):
            if (c, RDF.type, AM.PropertyDefinition) in g:
                continue
            ident = _identifier(g, c)
            nodes[ident] = c
            is_relation = (c, RDF.type, AM.Relationship) in g
            source, target = g.value(c, AM.source), g.value(c, AM.target)
            concepts.append(
                Concept(
                    identifier=ident,
                    kind="relationship" if is_relation else "element",
                    type=str(g.value(c, AM.type) or ""),
                    names=texts(c, AM.name),
                    docs=texts(c, AM.documentation),
                    source=_identifier(g, source) if source is not None else None,
                    target=_identifier(g, target) if target is not None else None,
                )
            )
        model = Model(identifier=_identifier(g, m), names=texts(m, AM.name), concepts=concepts, source_format="csv")
        statements, found, tally = map_model(model)
        warnings.extend(found)
        classes.update(tally)
        base = str(m) + "/"
        blanks: dict[str, BNode] = {}
        for s, p, o in statements:
            if s.startswith("_:"):
                subject = blanks.setdefault(s, BNode())
            else:
                subject = nodes.get(s) or URIRef(base + quote(s, safe="-._~"))
            if isinstance(o, int):
                obj = Literal(o, datatype=XSD.integer)
            elif isinstance(o, Text):
                obj = Literal(str(o))
            elif p == "rdf:type" or isinstance(o, Iri):
                obj = URIRef(str(o))
            else:
                obj = nodes.get(str(o)) or URIRef(base + quote(str(o), safe="-._~"))
            g.add((subject, RDF.type if p == "rdf:type" else URIRef(p), obj))
    return warnings, dict(sorted(classes.items()))


GRAPH_BASE = "https://w3id.org/vskg/graph/archimate/"


def build_import(where: Path, graph: str | None = None):
    """Everything an import of the CSV files at ``where`` writes, computed without a store: quads and summary.

    The RDF is the ``am:`` form plus the vskg mapping, plus the same PROV record and summary as the exchange-format
    import (``vskg.archimate.importer``): the file names, the SHA-256 of the files read (elements, relations,
    properties, concatenated in that order), the time, and the counts per type.
    """
    import hashlib
    from collections import Counter
    from datetime import UTC, datetime

    from pyoxigraph import NamedNode, Quad

    from vskg.archimate.importer import ImportSummary, _prov
    from vskg.rdfio import from_rdflib

    started = datetime.now(UTC)
    files = locate(where)
    model = read_files(files)
    data = to_graph(model)
    warnings, classes = add_vskg_mapping(data)
    target = graph or GRAPH_BASE + quote(model.model_id, safe="-._~")
    paths = [p for p in (files.elements, files.relations, files.properties) if p is not None]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in paths)).hexdigest()
    types = {str(c): str(data.value(c, AM.type)) for c in data.subjects(AM.inModel, model_iri(model.model_id))}
    elements = Counter(types[str(node)] for node in data.subjects(RDF.type, AM.Element))
    relationships = Counter(types[str(node)] for node in data.subjects(RDF.type, AM.Relationship))
    summary = ImportSummary(
        graph=target,
        model=str(model_iri(model.model_id)),
        file=", ".join(p.name for p in paths),
        sha256=digest,
        format="Archi CSV",
        elements=dict(sorted(elements.items())),
        relationships=dict(sorted(relationships.items())),
        element_count=sum(elements.values()),
        relationship_count=sum(relationships.values()),
        properties=sum(1 for _ in data.subjects(RDF.type, AM.Property)),
        property_definitions=sum(1 for _ in data.subjects(RDF.type, AM.PropertyDefinition)),
        vskg=classes,
        warnings=warnings,
    )
    quads = [Quad(s, p, o, NamedNode(target)) for s, p, o in from_rdflib(data)]
    quads += _prov(summary, target, started, datetime.now(UTC))
    summary.triples = len(quads)
    return quads, summary


def import_csv(store, where: Path, graph: str | None = None):
    """Read, map and write one CSV export into its graph (replaced atomically); InputError leaves the store alone."""
    quads, summary = build_import(where, graph)
    store.replace_graph(summary.graph, quads)
    return summary


def read_csv(where: Path) -> rdflib.Graph:
    """Read an Archi CSV export (folder or file prefix) into ``am:`` RDF (raises InputError on bad input)."""
    return to_graph(read_files(locate(where)))


# --- export ------------------------------------------------------------------------------------------------------


def _text(g: rdflib.Graph, subject, predicate) -> str:
    values = [v for v in g.objects(subject, predicate) if isinstance(v, Literal)]
    if not values:
        return ""
    for wanted in (None, "en"):
        for v in sorted(values, key=str):
            if v.language == wanted:
                return str(v)
    return str(min(values, key=lambda v: (v.language or "", str(v))))


def _identifier(g: rdflib.Graph, node) -> str:
    ident = g.value(node, AM.identifier)
    return str(ident) if ident is not None else str(node).rsplit("/", 1)[-1]


class ExportError(ValueError):
    """The graph cannot be written as one Archi CSV export (no model, several models, a dangling end)."""


def from_graph(g: rdflib.Graph, model_id: str | None = None) -> dict[str, list[list[str]]]:
    """The rows (header first) of elements, relations and properties for the model in ``g``."""
    models = sorted(g.subjects(RDF.type, AM.Model), key=str)
    if model_id is not None:
        models = [m for m in models if _identifier(g, m) == model_id]
    if not models:
        raise ExportError("no ArchiMate model (am:Model) in the graph" + (f" with ID {model_id!r}" if model_id else ""))
    if len(models) > 1:
        ids = ", ".join(_identifier(g, m) for m in models)
        raise ExportError(f"the graph holds several ArchiMate models ({ids}); choose one")
    m = models[0]
    mid = _identifier(g, m)
    elements = [[mid, MODEL_TYPE, _text(g, m, AM.name), _text(g, m, AM.documentation), ""]]
    relations: list[list[str]] = []
    properties: list[list[str]] = []

    def props(subject, ident: str, *, specialization_column: bool = True) -> str:
        specialization = ""
        rows = []
        for p in g.objects(subject, AM.hasProperty):
            d = g.value(p, AM.propertyDefinition)
            key = _text(g, d, AM.name) if d is not None else ""
            key = key or (_identifier(g, d) if d is not None else "")
            value = _text(g, p, AM.value)
            is_specialization = d is not None and _identifier(g, d) == SPECIALIZATION_ID
            if specialization_column and is_specialization and not specialization:
                specialization = value
                continue
            rows.append([ident, key, value])
        properties.extend(sorted(rows))
        return specialization

    props(m, mid, specialization_column=False)
    concepts = [c for c in g.subjects(AM.inModel, m) if (c, RDF.type, AM.PropertyDefinition) not in g]
    concepts = sorted(set(concepts), key=lambda c: _identifier(g, c))
    for c in concepts:
        ident = _identifier(g, c)
        kind = str(g.value(c, AM.type) or "")
        name, doc = _text(g, c, AM.name), _text(g, c, AM.documentation)
        if (c, RDF.type, AM.Relationship) in g:
            ends = []
            for end in (AM.source, AM.target):
                other = g.value(c, end)
                if other is None or (other, AM.inModel, m) not in g:
                    raise ExportError(f"relationship {ident} has no {end.split('#')[1]} in the model")
                ends.append(_identifier(g, other))
            special = props(c, ident)
            relations.append([ident, kind + "Relationship", name, doc, *ends, special])
            for predicate, key in ((AM.accessType, ACCESS_KEY), (AM.modifier, INFLUENCE_KEY)):
                value = g.value(c, predicate)
                if value is not None:
                    properties.append([ident, key, str(value)])
            directed = g.value(c, AM.isDirected)
            if directed is not None:
                properties.append([ident, DIRECTED_KEY, "true" if directed.toPython() is True else "false"])
        elif (c, RDF.type, AM.Element) in g:
            special = props(c, ident)
            if kind in JUNCTION_TYPES.values():
                junction = next(k for k, v in JUNCTION_TYPES.items() if v == kind)
                properties.append([ident, JUNCTION_KEY, junction])
                kind = JUNCTION
            elements.append([ident, kind, name, doc, special])
    return {
        "elements": [ELEMENTS_HEADER, *elements],
        "relations": [RELATIONS_HEADER, *relations],
        "properties": [PROPERTIES_HEADER, *sorted(properties, key=lambda r: r[0])],
    }


def render(rows: list[list[str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerows(escape_row(row) for row in rows)
    return buffer.getvalue()


def write_csv(g: rdflib.Graph, folder: Path, prefix: str = "", model_id: str | None = None) -> list[Path]:
    """Write ``{prefix}elements.csv``, ``{prefix}relations.csv`` and ``{prefix}properties.csv`` into ``folder``.

    Everything is rendered first, so a graph that cannot be exported leaves no file behind.
    """
    tables = from_graph(g, model_id)
    texts = {kind: render(rows) for kind, rows in tables.items()}
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, text in texts.items():
        path = folder / f"{prefix}{kind}.csv"
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    return written
