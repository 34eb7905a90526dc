"""SELECT results as an Excel workbook (.xlsx), for the people who take a result straight into a spreadsheet.

One sheet: a header row with the variables' names, then one row per solution. IRIs, blank nodes and text go in as
text; numbers (xsd:integer, decimal, double, float and their kin) and booleans as numbers and booleans, so that a
sheet can sum and sort them. Text is guarded as vskg's other spreadsheet files are (`vskg.csvsafe`): a cell that
a spreadsheet could run as a formula (starting with = + - @) gets an apostrophe in front, characters XML 1.0
cannot carry become U+FFFD, and a text longer than Excel's cell limit is cut at that limit.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from vskg import csvsafe
from vskg.sparql_results import Term

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "nonPositiveInteger",
        "positiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
_FLOATS = {XSD + "double", XSD + "float"}
CELL_LIMIT = 32_767  # characters Excel keeps in one cell
EXACT_DIGITS = 15  # Excel holds numbers as doubles: longer integers stay text, so no digit is lost
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SHEET_TITLE_LIMIT = 31
_NOT_IN_TITLE = re.compile(r"[\[\]:*?/\\]")


def text_cell(text: str) -> str:
    """Text as it goes into a cell: storable in the file, no longer than a cell holds, never a formula."""
    return csvsafe.escape(_NOT_IN_XML.sub("\ufffd", text)[:CELL_LIMIT])


def cell(term: Term) -> str | int | float | Decimal | bool | None:
    """The value of one cell for an RDF term (None: an empty cell)."""
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return text_cell(term.value)
    if isinstance(term, BlankNode):
        return text_cell(f"_:{term.value}")
    if isinstance(term, Triple):
        return text_cell(str(term))
    return _literal(term)


def _literal(term: Literal) -> str | int | float | Decimal | bool:
    datatype, value = term.datatype.value, term.value
    try:
        if datatype in _INTEGERS and len(value.strip().lstrip("+-")) <= EXACT_DIGITS:
            return int(value)
        if datatype == XSD + "decimal":
            number = Decimal(value)
            if number.is_finite():
                return number
        if datatype in _FLOATS:
            number = float(value)
            if math.isfinite(number):
                return number
    except (ValueError, InvalidOperation):
        pass  # an ill-typed literal stays the text it is
    if datatype == XSD + "boolean" and value in ("true", "false", "1", "0"):
        return value in ("true", "1")
    return text_cell(value)


def sheet_title(name: str) -> str:
    return _NOT_IN_TITLE.sub("-", name)[:SHEET_TITLE_LIMIT] or "results"


def select_xlsx(variables: Sequence[str], rows: Sequence[Sequence[Term]], title: str = "results") -> bytes:
    """The workbook of a SELECT result, as the bytes of an .xlsx file."""
    from openpyxl import Workbook  # imported here: only a spreadsheet download needs it

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(title))
    sheet.freeze_panes = "A2"
    sheet.append([text_cell(name) for name in variables])
    for row in rows:
        sheet.append([cell(term) for term in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
