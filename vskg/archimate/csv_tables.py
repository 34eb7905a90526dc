"""Archi's CSV export (``elements.csv``, ``relations.csv``, ``properties.csv``) read into, and written from, a Model.

The CSV files are one more way a `model.Model` arrives: the reader gives the same object as the exchange and
native readers, so an import goes through the same `importer.build_model_import` (``am:`` description, vskg
mapping, provenance, one graph replaced atomically). The writer takes a Model too, whatever file it came from.

How Archi's CSV maps onto the Model:

- The first data row of ``elements.csv`` has Type ``ArchimateModel``: the model's id, name and purpose (purpose
  becomes the model's documentation). Properties may point at the model id.
- Type names: Archi writes EClass names. Elements are spelt as in the exchange format except ``Junction``, which
  becomes ``AndJunction`` or ``OrJunction`` from its ``Junction_Type`` property (``And`` when absent). Relationship
  types lose the ``Relationship`` suffix (``ServingRelationship`` -> ``Serving``).
- Archi's special property keys become the exchange format's attributes and are written back on export:
  ``Junction_Type`` (the junction's type), ``Access_Type`` (access type), ``Influence_Strength`` (modifier) and
  ``Directed`` (is directed). A second row with the same special key stays a plain property.
- ``Specialization`` is kept as a property whose definition has the identifier ``specialization``, the way Archi
  exports specializations to the exchange format; every other property key gets a definition ``propid-N``
  (numbered in order of first use) of data type ``string``.
- CSV has no languages, so texts are plain strings. On export a text with several languages is written in one of
  them: the plain one, else English, else the first language in sort order.
- Where the files are: a folder holding ``elements.csv`` (``relations.csv`` and ``properties.csv`` if present), a
  file prefix such as ``out/MyModel-`` for ``out/MyModel-elements.csv``, or a zip holding one such set of files
  (in any folder of the zip; members are inflated within the bounds of `archive`).
- Files are UTF-8 (a byte-order mark is accepted) with ``,`` ``;`` or tab as delimiter (read from the header line).
  A cell may be at most ``csv.field_size_limit()`` characters (131,072 unless changed). Exports are UTF-8 with
  ``,``, every field quoted, and CRLF line ends, as Archi writes them; elements and relations in model order,
  properties grouped by ID.
- A cell a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, TAB or CR) is written with
  one apostrophe in front, and an import removes exactly that apostrophe again (``vskg.csvsafe``), so a model whose
  names start with ``=`` survives the round trip unchanged and cannot run anything in Excel on the way.

Anything wrong with the input (missing file, wrong header, unknown type, duplicate ID, a relation whose source or
target is not in the files, a property for an unknown ID, a cell that is too long or a quote never closed) raises
``InputError`` with the file, the line and the reason; nothing is read half-way. Views and organizations (folders)
have no place in Archi's CSV: a CSV import has none, and an export leaves them out.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from vskg.archimate.archive import read_members
from vskg.archimate.model import (
    ACCESS_TYPES,
    RELATIONSHIP_TYPES,
    Concept,
    LangText,
    Model,
    Property,
    PropertyDefinition,
)
from vskg.archimate.model import ELEMENT_TYPES as EXCHANGE_ELEMENT_TYPES
from vskg.csvsafe import escape_row, unescape_row
from vskg.provenance import SourceFile
from vskg.rdfio import InputError

KINDS = ("elements", "relations", "properties")
ELEMENTS_HEADER = ["ID", "Type", "Name", "Documentation", "Specialization"]
RELATIONS_HEADER = ["ID", "Type", "Name", "Documentation", "Source", "Target", "Specialization"]
PROPERTIES_HEADER = ["ID", "Key", "Value"]
HEADERS = {"elements": ELEMENTS_HEADER, "relations": RELATIONS_HEADER, "properties": PROPERTIES_HEADER}
# Archi's exports before October 2021 had no Specialization column; they are still read.
LEGACY_HEADERS = {"elements": ELEMENTS_HEADER[:4], "relations": RELATIONS_HEADER[:6]}

MODEL_TYPE = "ArchimateModel"
JUNCTION = "Junction"
JUNCTION_TYPES = {"And": "AndJunction", "Or": "OrJunction"}
ELEMENT_TYPES = frozenset(t for t in EXCHANGE_ELEMENT_TYPES if t not in JUNCTION_TYPES.values()) | {JUNCTION}
JUNCTION_KEY, ACCESS_KEY, INFLUENCE_KEY, DIRECTED_KEY = "Junction_Type", "Access_Type", "Influence_Strength", "Directed"
SPECIAL_KEYS = {
    JUNCTION: JUNCTION_KEY,
    "AccessRelationship": ACCESS_KEY,
    "InfluenceRelationship": INFLUENCE_KEY,
    "AssociationRelationship": DIRECTED_KEY,
}
SPECIALIZATION_KEY, SPECIALIZATION_ID = "Specialization", "specialization"


class ExportError(ValueError):
    """A model that cannot be written as one Archi CSV export (a relationship whose end is not in the model)."""


@dataclass
class Table:
    """One CSV file as read: where it came from (for messages) and its rows with their line numbers."""

    label: str
    rows: list[tuple[int, dict[str, str]]]


# --- where the files are ------------------------------------------------------------------------------------------


def locate(where: Path) -> dict[str, Path]:
    """The files of one export: ``where`` is a folder, a prefix such as ``out/MyModel-``, or its elements file."""
    if where.is_dir():
        folder, prefix = where, ""
    else:
        folder, prefix = where.parent, where.name.removesuffix("elements.csv")
    names = {kind: folder / f"{prefix}{kind}.csv" for kind in KINDS}
    if not names["elements"].is_file():
        raise InputError(names["elements"], "no such file: an Archi CSV export needs its elements file")
    return {kind: path for kind, path in names.items() if path.is_file()}


def is_location(where: Path) -> bool:
    """Whether ``where`` names an Archi CSV export rather than one model file."""
    if where.is_dir():
        return True
    if where.name.endswith("elements.csv"):
        return True
    return not where.exists() and Path(f"{where}elements.csv").is_file()


def read_location(where: Path) -> tuple[Model, list[SourceFile]]:
    """Read the export at ``where`` (see `locate`); also the files read, for the provenance record."""
    sources = []
    for path in locate(where).values():
        try:
            sources.append(SourceFile.of(str(path), path.read_bytes()))
        except OSError as problem:
            raise InputError(path, f"cannot read the file: {problem.strerror or problem}") from None
    return read_sources(sources), sources


def is_csv_archive(members: list[str]) -> bool:
    """A zip holding an elements file and no model file (an Archi ``.archimate`` zip holds ``model.xml``)."""
    return any(m.endswith("elements.csv") for m in members) and not any(
        m.endswith((".xml", ".archimate")) for m in members
    )


def read_archive(archive: zipfile.ZipFile, name: str) -> Model:
    """Read the export held in a zip (the files in one folder of it, with or without a prefix)."""
    found = [m for m in archive.namelist() if m.endswith("elements.csv") and not m.endswith("/")]
    if len(found) != 1:
        listed = ", ".join(found)
        raise InputError(name, f"the zip holds {len(found)} elements files ({listed}); put one CSV export in a zip")
    prefix = found[0].removesuffix("elements.csv")
    members = [prefix + f"{kind}.csv" for kind in KINDS if prefix + f"{kind}.csv" in archive.namelist()]
    data = read_members(archive, members, name)
    return read_sources([SourceFile(f"{name}/{member}", data[member], "text/csv") for member in members])


def read_sources(sources: list[SourceFile]) -> Model:
    """Read and check the files of one export, given in the order elements, relations, properties."""
    by_kind: dict[str, Table] = {}
    for source in sources:
        kind = next(k for k in KINDS if source.name.endswith(f"{k}.csv"))
        by_kind[kind] = _table(source, kind)
    return _model(by_kind)


# --- reading ------------------------------------------------------------------------------------------------------


def _table(source: SourceFile, kind: str) -> Table:
    label = source.name
    try:
        text = source.data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise InputError(label, f"not UTF-8 text ({problem.reason} at byte {problem.start})", 1) from None
    first = text.split("\n", 1)[0]
    delimiter = next((d for d in (",", ";", "\t") if d in first), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    line = 1  # the line the record being read starts on
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if header is None:
                header = record
                if record != HEADERS[kind] and record != LEGACY_HEADERS.get(kind):
                    want = ",".join(f'"{h}"' for h in HEADERS[kind])
                    raise InputError(label, f"wrong header {record!r}; Archi's {kind}.csv starts with {want}", start)
                continue
            if not any(value.strip() for value in record):
                continue
            if len(record) != len(header):
                raise InputError(label, f"{len(record)} fields where the header has {len(header)}", start)
            rows.append((start, dict(zip(header, unescape_row(record), strict=True))))
    except csv.Error as problem:
        raise InputError(label, _csv_problem(str(problem)), line) from None
    if header is None:
        raise InputError(label, f"empty file; Archi's {kind}.csv has at least a header line", 1)
    return Table(label, rows)


def _csv_problem(message: str) -> str:
    if message.startswith("field larger than field limit"):
        limit = csv.field_size_limit()
        return (
            f"a cell of more than {limit} characters starts in this record (the limit for one cell; a quote that is "
            "never closed also runs on to the end of the file)"
        )
    if "unexpected end of data" in message:
        return "a quoted cell starting in this record is not closed before the end of the file"
    if "expected after" in message:
        return f"not valid CSV: {message} (a quote inside a quoted cell is written twice)"
    return f"not valid CSV: {message}"


def _model(tables: dict[str, Table]) -> Model:
    elements = tables["elements"]
    relations = tables.get("relations", Table("relations.csv", []))
    properties = tables.get("properties", Table("properties.csv", []))
    if not elements.rows or elements.rows[0][1]["Type"] != MODEL_TYPE:
        line = elements.rows[0][0] if elements.rows else 2
        raise InputError(elements.label, f"the first row must describe the model (Type {MODEL_TYPE})", line)
    head_line, head = elements.rows[0]
    model_id = head["ID"].strip()
    if not model_id:
        raise InputError(elements.label, "the model row has no ID", head_line)
    seen: dict[str, tuple[str, int]] = {model_id: (elements.label, head_line)}
    kinds: dict[str, str] = {}  # ID -> Archi type

    def register(table: Table, line: int, row: dict[str, str], what: str) -> str:
        identifier = row["ID"].strip()
        if not identifier:
            raise InputError(table.label, f"{what} without an ID (vskg needs one to keep the concept)", line)
        if identifier in seen:
            first_label, first_line = seen[identifier]
            first = Path(first_label).name
            raise InputError(table.label, f"ID {identifier!r} is used twice (first in {first} line {first_line})", line)
        seen[identifier] = (table.label, line)
        kinds[identifier] = row["Type"]
        return identifier

    for line, row in elements.rows[1:]:
        identifier = register(elements, line, row, "element")
        if row["Type"] == MODEL_TYPE:
            raise InputError(elements.label, "a second ArchimateModel row; one export holds one model", line)
        if row["Type"] not in ELEMENT_TYPES:
            raise InputError(elements.label, f"element {identifier} has an unknown type {row['Type']!r}", line)
    for line, row in relations.rows:
        identifier = register(relations, line, row, "relation")
        kind = row["Type"]
        if not kind.endswith("Relationship") or kind.removesuffix("Relationship") not in RELATIONSHIP_TYPES:
            raise InputError(relations.label, f"relation {identifier} has an unknown type {kind!r}", line)
    for line, row in relations.rows:
        for end in ("Source", "Target"):
            ref = row[end].strip()
            if ref not in kinds:
                raise InputError(
                    relations.label,
                    f"relation {row['ID'].strip()}: {end.lower()} {ref!r} is not an element or relation of the files",
                    line,
                )
    for line, row in properties.rows:
        _check_property(properties.label, line, row, seen, kinds)
    return _build(head, elements, relations, properties, kinds)


def _check_property(label: str, line: int, row: dict[str, str], seen: dict, kinds: dict[str, str]) -> None:
    ref, key, value = row["ID"].strip(), row["Key"], row["Value"]
    if ref not in seen:
        raise InputError(label, f"property {key!r} is for unknown ID {ref!r}", line)
    if not key:
        raise InputError(label, f"property of {ref} without a Key", line)
    kind = kinds.get(ref)
    if key == JUNCTION_KEY and kind == JUNCTION and value not in JUNCTION_TYPES:
        raise InputError(label, f"Junction_Type of {ref} must be And or Or, not {value!r}", line)
    if key == ACCESS_KEY and kind == "AccessRelationship" and value not in ACCESS_TYPES:
        raise InputError(label, f"Access_Type of {ref} must be one of {', '.join(ACCESS_TYPES)}, not {value!r}", line)
    if key == DIRECTED_KEY and kind == "AssociationRelationship" and value.lower() not in ("true", "false"):
        raise InputError(label, f"Directed of {ref} must be true or false, not {value!r}", line)


def _texts(text: str) -> list[LangText]:
    return [(None, text)] if text else []


def _build(head: dict[str, str], elements: Table, relations: Table, properties: Table, kinds: dict) -> Model:
    """The Model of checked tables."""
    model = Model(
        identifier=head["ID"].strip(),
        names=_texts(head["Name"]),
        docs=_texts(head["Documentation"]),
        source_format="csv",
    )
    definitions: dict[str, PropertyDefinition] = {}

    def prop(key: str, value: str) -> Property:
        if key not in definitions:
            numbered = sum(1 for k in definitions if k != SPECIALIZATION_KEY)
            ident = SPECIALIZATION_ID if key == SPECIALIZATION_KEY else f"propid-{numbered + 1}"
            definitions[key] = PropertyDefinition(ident, [(None, key)], "string")
        return Property(definitions[key].identifier, [(None, value)])

    specials: dict[tuple[str, str], str] = {}  # the first row of a special key is the attribute
    plain: list[tuple[str, str, str]] = []
    for _, row in properties.rows:
        ref, key = row["ID"].strip(), row["Key"]
        if SPECIAL_KEYS.get(kinds.get(ref, "")) == key and (ref, key) not in specials:
            specials[(ref, key)] = row["Value"]
        else:
            plain.append((ref, key, row["Value"]))
    concepts: dict[str, Concept] = {}
    for table, kind in ((elements, "element"), (relations, "relationship")):
        for line, row in table.rows[1:] if kind == "element" else table.rows:
            identifier = row["ID"].strip()
            concept = Concept(identifier, kind, row["Type"], _texts(row["Name"]), _texts(row["Documentation"]))
            concept.line = line
            if concept.type == JUNCTION:
                concept.type = JUNCTION_TYPES[specials.get((identifier, JUNCTION_KEY), "And")]
            if kind == "relationship":
                concept.type = concept.type.removesuffix("Relationship")
                concept.source, concept.target = row["Source"].strip(), row["Target"].strip()
                concept.access_type = specials.get((identifier, ACCESS_KEY))
                concept.modifier = specials.get((identifier, INFLUENCE_KEY))
                directed = specials.get((identifier, DIRECTED_KEY))
                concept.is_directed = None if directed is None else directed.lower() == "true"
            if row.get(SPECIALIZATION_KEY):
                concept.properties.append(prop(SPECIALIZATION_KEY, row[SPECIALIZATION_KEY]))
            concepts[identifier] = concept
    for ref, key, value in plain:
        holder = model.properties if ref == model.identifier else concepts[ref].properties
        holder.append(prop(key, value))
    model.concepts = list(concepts.values())
    model.property_definitions = list(definitions.values())
    return model


# --- writing ------------------------------------------------------------------------------------------------------


def pick(texts: list[LangText]) -> str:
    """One text of several languages: the plain one, else English, else the first language in sort order."""
    for wanted in (None, "en"):
        chosen = sorted(text for lang, text in texts if lang == wanted)
        if chosen:
            return chosen[0]
    return min(texts, key=lambda t: (t[0] or "", t[1]))[1] if texts else ""


def tables(model: Model) -> dict[str, list[list[str]]]:
    """The rows (header first) of elements, relations and properties for ``model``."""
    names = {d.identifier: pick(d.names) or d.identifier for d in model.property_definitions}
    known = {c.identifier for c in model.concepts}
    elements = [[model.identifier, MODEL_TYPE, pick(model.names), pick(model.docs), ""]]
    relations: list[list[str]] = []
    properties: list[list[str]] = []

    def props(ident: str, held: list[Property], *, column: bool = True) -> str:
        specialization = ""
        for p in held:
            if column and p.ref == SPECIALIZATION_ID and not specialization:
                specialization = pick(p.values)
                continue
            properties.append([ident, names.get(p.ref, p.ref), pick(p.values)])
        return specialization

    props(model.identifier, model.properties, column=False)
    for c in model.concepts:
        name, doc = pick(c.names), pick(c.docs)
        if c.kind == "relationship":
            for end in ("source", "target"):
                if getattr(c, end) not in known:
                    raise ExportError(f"relationship {c.identifier} has no {end} in the model")
            special = props(c.identifier, c.properties)
            relations.append([c.identifier, c.type + "Relationship", name, doc, c.source, c.target, special])
            if c.access_type is not None:
                properties.append([c.identifier, ACCESS_KEY, c.access_type])
            if c.modifier is not None:
                properties.append([c.identifier, INFLUENCE_KEY, c.modifier])
            if c.is_directed is not None:
                properties.append([c.identifier, DIRECTED_KEY, "true" if c.is_directed else "false"])
        else:
            special = props(c.identifier, c.properties)
            kind = c.type
            if kind in JUNCTION_TYPES.values():
                properties.append([c.identifier, JUNCTION_KEY, kind.removesuffix("Junction")])
                kind = JUNCTION
            elements.append([c.identifier, kind, name, doc, special])
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


def write_tables(model: Model, folder: Path, prefix: str = "") -> list[Path]:
    """Write ``{prefix}elements.csv``, ``{prefix}relations.csv`` and ``{prefix}properties.csv`` into ``folder``.

    Everything is rendered first, so a model that cannot be exported leaves no file behind.
    """
    texts = {kind: render(rows) for kind, rows in tables(model).items()}
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, text in texts.items():
        path = folder / f"{prefix}{kind}.csv"
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    return written
