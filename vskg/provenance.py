"""Where a graph's content came from: the PROV-O record an import writes into the graph it fills.

Every import (`vskg pull` from an endpoint, `vskg import-table` from spreadsheets, `vskg import archimate` and
`vskg import archimate-csv`, the HTTP import) builds its record here, so they all say it the same way: the graph
``prov:wasGeneratedBy`` an activity and holds ``void:triples`` triples of content (the record itself not counted);
the activity has a label, a start and an end (``xsd:dateTime``, UTC) and ``prov:used`` what it read. Files are
identified by content: a ``prov:Entity`` named by its SHA-256 (``urn:sha256:...``) with its file name
(``dcterms:title``) and media type (``dcterms:format``), since a file is often exported again and again under the
same name. What is particular to one kind of import (the endpoint of a pull, the tallies of an ArchiMate import)
is added by its caller to the activity this module returns.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
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
    ".xml": "application/xml",
    ".archimate": "application/xml",
    ".zip": "application/zip",
}
ZIP_MEDIA_TYPE = "application/zip"

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


@dataclass(frozen=True)
class SourceFile:
    """A file an import read: its name (as given), its bytes and its media type."""

    name: str
    data: bytes
    media_type: str

    @classmethod
    def of(cls, name: str, data: bytes) -> SourceFile:
        """The media type from the name's suffix, or ``application/zip`` for a zip not named as a workbook."""
        media = MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
        if data[:4] == b"PK\x03\x04" and not media.startswith("application/vnd."):
            media = ZIP_MEDIA_TYPE
        return cls(name, data, media)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def source_entity(source: SourceFile) -> tuple[NamedNode, list[Triple]]:
    """A file as a PROV entity named by its content, with its name (without folders) and media type."""
    entity = NamedNode(f"urn:sha256:{source.sha256}")
    return entity, [
        (entity, RDF_TYPE, NamedNode(PROV + "Entity")),
        (entity, NamedNode(DCTERMS + "title"), Literal(Path(source.name).name)),
        (entity, NamedNode(DCTERMS + "format"), Literal(source.media_type)),
    ]


def files_import_record(
    graph: str, label: str, sources: list[SourceFile], count: int, started: str, ended: str
) -> tuple[NamedNode, list[Triple]]:
    """The record of an import that read files: the core record plus one entity per distinct file content."""
    entities = [source_entity(source) for source in sources]
    activity, triples = activity_record(
        graph, label, count, started, ended, list(dict.fromkeys(entity for entity, _ in entities))
    )
    return activity, triples + [t for _, description in entities for t in description]


def in_graph(graph: str, triples: list[Triple]) -> list[Quad]:
    g = NamedNode(graph)
    return [Quad(s, p, o, g) for s, p, o in dict.fromkeys(triples)]


def table_import_record(
    graph: str, metadata: Path, tables: list[Path], count: int, started: str, ended: str
) -> list[Quad]:
    """The record of one table import: the metadata file and every table file used (a workbook once)."""
    sources = [SourceFile.of(path.name, path.read_bytes()) for path in dict.fromkeys([metadata, *tables])]
    _, triples = files_import_record(graph, f"Table import of {metadata.name}", sources, count, started, ended)
    return in_graph(graph, triples)
