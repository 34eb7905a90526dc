"""Importing spreadsheets (CSV, XLSX) with a declarative W3C CSVW mapping.

Why CSVW: application inventories, capability maps and CMDB extracts are single tables whose rows each describe
one thing, which is exactly what the W3C *Metadata Vocabulary for Tabular Data* describes and what *Generating
RDF from Tabular Data on the Web* (csv2rdf) turns into triples. The mapping is one JSON file next to the data,
readable by any CSVW tool, and needs no code per source. RML/YARRRML would also fit, but the only Python engine
(morph-kgc) pins versions of rdflib and pyoxigraph older than ours, and the ``csvw`` package validates tables but
does not generate RDF. So vskg implements the part of csv2rdf (minimal mode) that spreadsheets need:

- a table description, or a table group (``tables``), each with ``url`` (relative to the metadata file) and a
  ``tableSchema`` with ``columns``; ``dialect`` ``delimiter``, ``header`` (one header row) and ``encoding``;
- per column: ``name``, ``titles`` (checked against the header cell), ``virtual``, ``suppressOutput``,
  ``required``, ``null``, ``default``, ``separator``, ``lang``, ``datatype`` (a built-in name or an object with
  ``base``, ``format`` for booleans and dates, and ``minimum``/``maximum`` (``minInclusive`` ...)),
  ``aboutUrl``, ``propertyUrl`` and ``valueUrl``, inherited from the schema, table and group as in CSVW;
- URI templates (RFC 6570 ``{var}``, ``{+var}``, ``{#var}``) over the column names and ``_row``,
  ``_sourceRow``, ``_name``, ``_column``; prefixed names of the CSVW context (``rdf:``, ``rdfs:``, ``skos:``,
  ``schema:``, ``dcterms:``, ``prov:``, ``org:``, ``xsd:`` ...) are expanded, other IRIs are written in full;
- no ``aboutUrl``: each row is a blank node; no ``propertyUrl``: ``{table url}#{column name}``.

Two deliberate differences from csv2rdf, both so that spreadsheets with references work: a ``valueUrl`` on a
column with a ``separator`` is expanded once per list item (csv2rdf would expand the whole list into one IRI),
and a template that refers to a column whose cell is empty produces no triple (csv2rdf would expand the
variable to the empty string and mint an IRI such as ``.../unit/``).

XLSX: a table whose ``url`` ends in ``.xlsx`` or ``.xlsm`` is read with openpyxl (cached values, not
formulas); the sheet is named by the table's common property ``https://w3id.org/vskg/tabular#sheet`` (first
sheet if absent). Dates and numbers typed in the workbook are turned into their canonical text first.

Input is checked completely before anything is returned: a missing or misnamed column, a row with the wrong
number of cells, a value that does not fit its datatype or range, or a required value that is absent raises
`TableError` with the file, the line (CSV) or row (XLSX) and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote, urljoin

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from vskg.rdfio import InputError

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SHEET = "https://w3id.org/vskg/tabular#sheet"

# Prefixes of the CSVW context (the RDFa initial context) that matter for enterprise data.
PREFIXES = {
    "as": "https://www.w3.org/ns/activitystreams#",
    "csvw": "http://www.w3.org/ns/csvw#",
    "dc": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "http://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "void": "http://rdfs.org/ns/void#",
    "xsd": XSD,
}

# CSVW built-in datatype names -> XSD datatype (the ones a spreadsheet holds).
DATATYPES = {
    "string": "string",
    "anyAtomicType": "anyAtomicType",
    "integer": "integer",
    "int": "int",
    "long": "long",
    "nonNegativeInteger": "nonNegativeInteger",
    "positiveInteger": "positiveInteger",
    "decimal": "decimal",
    "number": "double",
    "double": "double",
    "float": "float",
    "boolean": "boolean",
    "date": "date",
    "dateTime": "dateTime",
    "gYear": "gYear",
    "anyURI": "anyURI",
}
_INHERITED = ("aboutUrl", "propertyUrl", "valueUrl", "datatype", "null", "default", "separator", "lang", "required")
_DATE_FORMATS = {
    "yyyy-MM-dd": "%Y-%m-%d",
    "yyyyMMdd": "%Y%m%d",
    "dd-MM-yyyy": "%d-%m-%Y",
    "d-M-yyyy": "%d-%m-%Y",
    "MM-dd-yyyy": "%m-%d-%Y",
    "dd/MM/yyyy": "%d/%m/%Y",
    "d/M/yyyy": "%d/%m/%Y",
    "MM/dd/yyyy": "%m/%d/%Y",
    "M/d/yyyy": "%m/%d/%Y",
    "dd.MM.yyyy": "%d.%m.%Y",
    "d.M.yyyy": "%d.%m.%Y",
}


class TableError(InputError):
    """A table or mapping that cannot be imported; names the file, the line (or sheet row) and the column."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None, column: str | None = None) -> None:
        self.column = column
        if column is not None:
            reason = f"column {column!r}: {reason}"
        super().__init__(path, reason, line)


@dataclass
class Column:
    number: int  # 1-based
    name: str
    titles: list[str]
    virtual: bool
    suppress: bool
    props: dict = field(default_factory=dict)  # the inherited properties, resolved

    @property
    def label(self) -> str:
        return self.titles[0] if self.titles else self.name


@dataclass
class Table:
    url: str  # absolute IRI of the table (file: IRI for local files)
    path: Path
    sheet: str | None
    header: bool
    delimiter: str
    encoding: str
    columns: list[Column]


# --- metadata -------------------------------------------------------------------------------------------------


def _titles(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, dict):
        out: list[str] = []
        for v in value.values():
            out += _titles(v)
        return out
    return [str(value)]


def _inherit(*levels: dict) -> dict:
    props: dict = {}
    for level in levels:
        for key in _INHERITED:
            if key in level:
                props[key] = level[key]
    return props


def read_metadata(path: Path) -> list[Table]:
    """Read a CSVW metadata file (a table or a table group) into the tables it describes."""
    path = Path(path)
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise TableError(path, f"cannot read the metadata: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise TableError(path, "the metadata is not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise TableError(path, f"not JSON: {err.msg}", err.lineno) from None
    if not isinstance(meta, dict):
        raise TableError(path, "the metadata must be a JSON object (a CSVW table or table group)")
    context = meta.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if "http://www.w3.org/ns/csvw" not in contexts:
        raise TableError(path, 'the metadata must declare "@context": "http://www.w3.org/ns/csvw"')
    group = {k: v for k, v in meta.items() if k != "tables"}
    descriptions = meta.get("tables", [meta])
    if not isinstance(descriptions, list) or not descriptions:
        raise TableError(path, '"tables" must be a non-empty list')
    return [_table(path, group if "tables" in meta else {}, t, i) for i, t in enumerate(descriptions, 1)]


def _table(path: Path, group: dict, desc: dict, index: int) -> Table:
    where = f"table {index}"
    if not isinstance(desc, dict) or not isinstance(desc.get("url"), str):
        raise TableError(path, f'{where} needs a "url" naming the CSV or XLSX file')
    schema = desc.get("tableSchema", group.get("tableSchema"))
    if not isinstance(schema, dict) or not isinstance(schema.get("columns"), list) or not schema["columns"]:
        raise TableError(path, f'{where} ({desc["url"]}) needs a "tableSchema" with "columns"')
    dialect = {**(group.get("dialect") or {}), **(desc.get("dialect") or {})}
    file = (path.parent / desc["url"]).resolve()
    columns: list[Column] = []
    seen_virtual = False
    for number, col in enumerate(schema["columns"], 1):
        if not isinstance(col, dict):
            raise TableError(path, f"{where}: column {number} must be a JSON object")
        virtual = bool(col.get("virtual", False))
        if seen_virtual and not virtual:
            raise TableError(path, f"{where}: column {number} is not virtual but follows a virtual column")
        seen_virtual = seen_virtual or virtual
        name = col.get("name") or (_titles(col.get("titles"))[:1] or [f"_col.{number}"])[0]
        props = _inherit(group, desc, schema, col)
        _check_datatype(path, props.get("datatype"), where, name)
        columns.append(
            Column(number, str(name), _titles(col.get("titles")), virtual, bool(col.get("suppressOutput")), props)
        )
    names = [c.name for c in columns]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise TableError(path, f"{where}: column names must be unique, repeated: {', '.join(duplicates)}")
    header = dialect.get("header", True)
    header_rows = dialect.get("headerRowCount", 1 if header else 0)
    if header_rows not in (0, 1):
        raise TableError(path, f"{where}: only one header row (or none) is supported")
    return Table(
        url=file.as_uri(),
        path=file,
        sheet=desc.get(SHEET),
        header=bool(header_rows),
        delimiter=dialect.get("delimiter", ","),
        encoding=dialect.get("encoding", "utf-8"),
        columns=columns,
    )


def _base(datatype) -> str:
    if datatype is None:
        return "string"
    if isinstance(datatype, str):
        return datatype
    return datatype.get("base", "string")


def _check_datatype(path: Path, datatype, where: str, column: str) -> None:
    base = _base(datatype)
    if base not in DATATYPES:
        raise TableError(path, f"{where}: datatype {base!r} is not supported ({', '.join(DATATYPES)})", column=column)


# --- reading cells ---------------------------------------------------------------------------------------------


def _cell_text(value) -> str:
    """The text of an XLSX cell as a CSV would hold it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(table: Table, meta_path: Path) -> tuple[int, list[str] | None, list[tuple[int, list[str]]]]:
    """(header line, header cells, [(line or sheet row, cells)]) of a table."""
    if not table.path.is_file():
        raise TableError(meta_path, f"the table {table.path} does not exist")
    if table.path.suffix.lower() in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(table)
    else:
        try:
            text = table.path.read_text(encoding=table.encoding)
        except (UnicodeDecodeError, LookupError) as err:
            raise TableError(table.path, f"cannot decode the file as {table.encoding}: {err}") from None
        if text.startswith("\ufeff"):
            text = text[1:]
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=table.delimiter)
        rows = []
        start = 1
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]  # blank lines are skipped
    if table.header:
        if not rows:
            raise TableError(table.path, "the table is empty: no header row")
        return rows[0][0], rows[0][1], rows[1:]
    return 0, None, rows


def _xlsx_rows(table: Table) -> list[tuple[int, list[str]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(table.path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds (zip, XML, key errors) for a file that is not a workbook
        raise TableError(table.path, f"not a readable XLSX workbook: {err}") from None
    try:
        if table.sheet is None:
            sheet = book.worksheets[0]
        elif table.sheet in book.sheetnames:
            sheet = book[table.sheet]
        else:
            raise TableError(table.path, f"no sheet {table.sheet!r}; the workbook has {', '.join(book.sheetnames)}")
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            cells = [_cell_text(v) for v in values]
            while cells and cells[-1] == "":
                cells.pop()
            rows.append((number, cells))
        return rows
    finally:
        book.close()


# --- values ----------------------------------------------------------------------------------------------------


def _parse(text: str, props: dict) -> tuple[str, str]:
    """(canonical lexical form, XSD local name) of one non-null value, or ValueError with the reason."""
    datatype = props.get("datatype")
    base = _base(datatype)
    spec = datatype if isinstance(datatype, dict) else {}
    xsd = DATATYPES[base]
    fmt = spec.get("format")
    value: object
    if xsd in ("string", "anyAtomicType", "anyURI"):
        lexical = text
        value = None
    elif xsd in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError(f"{text!r} is not a whole number")
        value = int(text)
        if (xsd == "nonNegativeInteger" and value < 0) or (xsd == "positiveInteger" and value < 1):
            raise ValueError(f"{text!r} is not a {xsd}")
        lexical = str(value)
    elif xsd in ("decimal", "double", "float"):
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{text!r} is not a number") from None
        if not value.is_finite() and xsd == "decimal":
            raise ValueError(f"{text!r} is not a decimal number")
        lexical = str(value) if xsd == "decimal" else repr(float(value))
    elif xsd == "boolean":
        true, false = fmt.split("|", 1) if fmt else ("true|1", "false|0")
        if text in true.split("|") or (not fmt and text == "true"):
            lexical = "true"
        elif text in false.split("|") or (not fmt and text == "false"):
            lexical = "false"
        else:
            raise ValueError(f"{text!r} is not a boolean ({fmt or 'true, false, 1 or 0'})")
        value = None
    elif xsd == "date":
        pattern = _DATE_FORMATS.get(fmt or "yyyy-MM-dd")
        if pattern is None:
            raise ValueError(f"date format {fmt!r} is not supported ({', '.join(_DATE_FORMATS)})")
        try:
            value = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            raise ValueError(f"{text!r} is not a date in the form {fmt or 'yyyy-MM-dd'}") from None
        lexical = value.isoformat()
    elif xsd == "dateTime":
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a date and time (ISO 8601)") from None
        lexical = value.isoformat()
    elif xsd == "gYear":
        if not re.fullmatch(r"-?\d{4,}", text):
            raise ValueError(f"{text!r} is not a year")
        value = int(text)
        lexical = text
    else:  # pragma: no cover - DATATYPES and this function move together
        raise ValueError(f"datatype {base!r} is not supported")
    _check_range(value, spec, props)
    return lexical, xsd


def _check_range(value, spec: dict, props: dict) -> None:
    if value is None:
        return
    bounds = {
        "minimum": (lambda v, b: v >= b, "at least"),
        "minInclusive": (lambda v, b: v >= b, "at least"),
        "maximum": (lambda v, b: v <= b, "at most"),
        "maxInclusive": (lambda v, b: v <= b, "at most"),
        "minExclusive": (lambda v, b: v > b, "more than"),
        "maxExclusive": (lambda v, b: v < b, "less than"),
    }
    for key, (ok, words) in bounds.items():
        if key not in spec:
            continue
        bound_text = str(spec[key])
        if isinstance(value, dt.date):
            bound = dt.date.fromisoformat(bound_text)
        elif isinstance(value, Decimal | float):
            bound = Decimal(bound_text)
        else:
            bound = int(bound_text)
        if not ok(value, bound):
            raise ValueError(f"{value} is not {words} {bound_text}")


def _cell_values(text: str, props: dict) -> list[tuple[str, str]] | None:
    """None for a null cell, else the parsed values (one, or several with a separator)."""
    nulls = props.get("null", "")
    nulls = nulls if isinstance(nulls, list) else [nulls]
    text = text.strip()
    if text == "" and "default" in props:
        text = str(props["default"])
    if text in nulls:
        return None
    separator = props.get("separator")
    items = [i.strip() for i in text.split(separator)] if separator else [text]
    return [_parse(item, props) for item in items if item not in nulls]


# --- URI templates -------------------------------------------------------------------------------------------

_TEMPLATE = re.compile(r"\{([+#]?)([A-Za-z0-9_.%]+(?:,[A-Za-z0-9_.%]+)*)\}")
_UNRESERVED = "-._~"
_RESERVED = ":/?#[]@!$&'()*+,;=" + _UNRESERVED


class _Missing(Exception):
    """A template variable whose cell is empty: the template makes no IRI."""


def expand(template: str, variables: dict[str, str | None]) -> str:
    """Expand an RFC 6570 template (simple, reserved and fragment expansion), as CSVW uses them."""

    def one(match: re.Match) -> str:
        operator, names = match.group(1), match.group(2).split(",")
        parts = []
        for name in names:
            if name not in variables:
                raise KeyError(name)
            value = variables[name]
            if value is None:
                raise _Missing(name)
            parts.append(quote(value, safe=_RESERVED if operator else _UNRESERVED))
        return ("#" if operator == "#" else "") + ",".join(parts)

    return _TEMPLATE.sub(one, template)


def _expand_iri(template: str, variables: dict, base: str) -> str:
    text = expand(template, variables)
    prefix, colon, rest = text.partition(":")
    if colon and prefix in PREFIXES and not rest.startswith("//"):
        return PREFIXES[prefix] + rest
    return urljoin(base, text)


# --- conversion ------------------------------------------------------------------------------------------------


def convert(metadata: Path) -> list[tuple]:
    """The triples (pyoxigraph terms) that csv2rdf in minimal mode makes of the tables; TableError if any is bad."""
    metadata = Path(metadata)
    triples: list[tuple] = []
    for table in read_metadata(metadata):
        triples += _convert_table(table, metadata)
    return list(dict.fromkeys(triples))


def _where(table: Table) -> str:
    return f"{table.path} (sheet {table.sheet!r})" if table.sheet else str(table.path)


def _convert_table(table: Table, metadata: Path) -> list[tuple]:
    header_line, header, rows = read_rows(table, metadata)
    real = [c for c in table.columns if not c.virtual]
    source = _where(table)
    if header is not None:
        for column in real:
            if column.number > len(header):
                raise TableError(source, "missing from the header", header_line, column.label)
            title = header[column.number - 1].strip()
            present = [h.strip() for h in header]
            if column.titles and not set(column.titles) & set(present):
                raise TableError(source, f"missing from the header ({', '.join(present)})", header_line, column.label)
            if column.titles and title not in column.titles:
                raise TableError(
                    source,
                    f"the header says {title!r} where {column.titles[0]!r} is expected",
                    header_line,
                    column.label,
                )
        if len(header) > len(real):
            extra = header[len(real)].strip()
            raise TableError(source, f"the header has a column {extra!r} the mapping does not describe", header_line)
    triples: list[tuple] = []
    for row_number, (line, cells) in enumerate(rows, 1):
        if len(cells) > len(real):
            raise TableError(source, f"the row has {len(cells)} cells, the table {len(real)} columns", line)
        cells = cells + [""] * (len(real) - len(cells))
        values: dict[str, list[tuple[str, str]] | None] = {}
        for column in real:
            try:
                parsed = _cell_values(cells[column.number - 1], column.props)
            except ValueError as err:
                raise TableError(source, str(err), line, column.label) from None
            if parsed is None and column.props.get("required"):
                raise TableError(source, "a value is required", line, column.label)
            values[column.name] = parsed
        variables: dict[str, str | None] = {
            name: (None if v is None or not v else ",".join(lex for lex, _ in v)) for name, v in values.items()
        }
        variables.update({"_row": str(row_number), "_sourceRow": str(line)})
        default_subject = BlankNode()
        for column in table.columns:
            if column.suppress:
                continue
            triples += _cell_triples(table, column, values.get(column.name), variables, default_subject, line)
    return triples


def _cell_triples(table: Table, column: Column, parsed, variables: dict, default_subject, line: int) -> list:
    props = column.props
    scope = {**variables, "_name": column.name, "_column": str(column.number)}
    where = _where(table)
    try:
        subject = (
            NamedNode(_expand_iri(props["aboutUrl"], scope, table.url)) if props.get("aboutUrl") else default_subject
        )
        if props.get("propertyUrl"):
            predicate = NamedNode(_expand_iri(props["propertyUrl"], scope, table.url))
        else:
            predicate = NamedNode(f"{table.url}#{quote(column.name, safe=_UNRESERVED)}")
        if props.get("valueUrl"):
            if column.virtual:
                return [(subject, predicate, NamedNode(_expand_iri(props["valueUrl"], scope, table.url)))]
            if not parsed:
                return []
            objects = []
            for lexical, _ in parsed:  # one IRI per list item (see the module docstring)
                item_scope = {**scope, column.name: lexical}
                objects.append(NamedNode(_expand_iri(props["valueUrl"], item_scope, table.url)))
            return [(subject, predicate, o) for o in objects]
    except _Missing:
        return []
    except KeyError as err:
        raise TableError(
            where, f"a URI template refers to {err.args[0]!r}, which is not a column name", line, column.label
        ) from None
    except ValueError as err:
        raise TableError(where, f"the URI template gives an invalid IRI: {err}", line, column.label) from None
    if column.virtual or not parsed:
        return []
    lang = props.get("lang")
    out = []
    for lexical, xsd in parsed:
        if xsd in ("string", "anyAtomicType") and lang and lang != "und":
            literal = Literal(lexical, language=lang)
        elif xsd == "string":
            literal = Literal(lexical)
        else:
            literal = Literal(lexical, datatype=NamedNode(XSD + xsd))
        out.append((subject, predicate, literal))
    return out


def to_quads(triples: list[tuple], graph: str) -> list[Quad]:
    target = NamedNode(graph)
    return [Quad(s, p, o, target) for s, p, o in triples]


def to_rdflib(triples: list[tuple]):
    """The triples as an rdflib graph (for SHACL validation)."""
    from vskg.rdfio import to_rdflib as convert

    return convert(triples)
