"""Where a table import came from: the PROV-O record `vskg import-table` writes into the graph it fills.

A spreadsheet is often exported again and again under the same name, so the files are identified by content:
each file used is a ``prov:Entity`` named by its SHA-256 (``urn:sha256:...``) with its file name and media type.
The graph says which activity generated it and how many triples the tables gave (``void:triples``, the PROV
statements not counted), the same shape of record `vskg pull` writes for a remote endpoint.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

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


def file_entity(path: Path) -> tuple[NamedNode, list[tuple]]:
    """A file as a PROV entity named by its content, with its name and media type."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    entity = NamedNode(f"urn:sha256:{digest}")
    media = MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return entity, [
        (entity, RDF_TYPE, NamedNode(PROV + "Entity")),
        (entity, NamedNode(DCTERMS + "title"), Literal(path.name)),
        (entity, NamedNode(DCTERMS + "format"), Literal(media)),
    ]


def table_import_record(
    graph: str, metadata: Path, tables: list[Path], count: int, started: str, ended: str
) -> list[Quad]:
    """The PROV statements of one table import into ``graph``: the metadata file and every table file used."""
    g = NamedNode(graph)
    activity = NamedNode(f"urn:uuid:{uuid.uuid4()}")
    stamp = NamedNode(XSD + "dateTime")
    triples: list[tuple] = [
        (g, NamedNode(PROV + "wasGeneratedBy"), activity),
        (g, NamedNode(VOID + "triples"), Literal(str(count), datatype=NamedNode(XSD + "integer"))),
        (activity, RDF_TYPE, NamedNode(PROV + "Activity")),
        (activity, RDFS_LABEL, Literal(f"Table import of {metadata.name}")),
        (activity, NamedNode(PROV + "startedAtTime"), Literal(started, datatype=stamp)),
        (activity, NamedNode(PROV + "endedAtTime"), Literal(ended, datatype=stamp)),
    ]
    for path in dict.fromkeys([metadata, *tables]):  # a workbook read for several sheets is used once
        entity, description = file_entity(path)
        triples += [(activity, NamedNode(PROV + "used"), entity), *description]
    return [Quad(s, p, o, g) for s, p, o in dict.fromkeys(triples)]
