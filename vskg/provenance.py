"""Where a graph's content came from: the PROV-O record an import writes into the graph it fills.

Every import (`vskg pull` from an endpoint, `vskg import-table` from spreadsheets) records the same core: the
graph ``prov:wasGeneratedBy`` an activity and holds ``void:triples`` triples of content (the record itself not
counted); the activity has a label, a start and an end (``xsd:dateTime``, UTC) and ``prov:used`` what it read.
Files are identified by content: a ``prov:Entity`` named by its SHA-256 (``urn:sha256:...``) with its file name
and media type, since a spreadsheet is often exported again and again under the same name.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")

MEDIA_TYPES = {
    ".json": "application/csvm+json",
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
}

Triple = tuple[NamedNode | BlankNode, NamedNode, NamedNode | BlankNode | Literal]


def activity_record(
    graph: str, label: str, count: int, started: str, ended: str, used: list[NamedNode | BlankNode]
) -> tuple[NamedNode, list[Triple]]:
    """The core record of one import into ``graph``; returns the activity too, for what the caller adds."""
    g = NamedNode(graph)
    activity = NamedNode(f"urn:uuid:{uuid.uuid4()}")
    stamp = NamedNode(XSD + "dateTime")
    triples: list[Triple] = [
        (g, NamedNode(PROV + "wasGeneratedBy"), activity),
        (g, NamedNode(VOID + "triples"), Literal(str(count), datatype=NamedNode(XSD + "integer"))),
        (activity, RDF_TYPE, NamedNode(PROV + "Activity")),
        (activity, RDFS_LABEL, Literal(label)),
        *((activity, NamedNode(PROV + "used"), thing) for thing in used),
        (activity, NamedNode(PROV + "startedAtTime"), Literal(started, datatype=stamp)),
        (activity, NamedNode(PROV + "endedAtTime"), Literal(ended, datatype=stamp)),
    ]
    return activity, triples


def file_entity(path: Path) -> tuple[NamedNode, list[Triple]]:
    """A file as a PROV entity named by its content, with its name and media type."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    entity = NamedNode(f"urn:sha256:{digest}")
    media = MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return entity, [
        (entity, RDF_TYPE, NamedNode(PROV + "Entity")),
        (entity, NamedNode(DCTERMS + "title"), Literal(path.name)),
        (entity, NamedNode(DCTERMS + "format"), Literal(media)),
    ]


def in_graph(graph: str, triples: list[Triple]) -> list[Quad]:
    g = NamedNode(graph)
    return [Quad(s, p, o, g) for s, p, o in dict.fromkeys(triples)]


def table_import_record(
    graph: str, metadata: Path, tables: list[Path], count: int, started: str, ended: str
) -> list[Quad]:
    """The record of one table import: the metadata file and every table file used (a workbook once)."""
    entities = [file_entity(path) for path in dict.fromkeys([metadata, *tables])]
    _, triples = activity_record(
        graph, f"Table import of {metadata.name}", count, started, ended, [entity for entity, _ in entities]
    )
    return in_graph(graph, triples + [t for _, description in entities for t in description])
