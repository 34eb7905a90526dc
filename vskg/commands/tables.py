"""Tables on the terminal that fit its width, and say how to get the same data as CSV or JSON.

Rich cuts a cell that does not fit to ``capa…`` by default, which loses exactly the part of an IRI or a name the
reader needed. Here every column wraps at spaces and folds a long word (an IRI) onto the next line instead, and a
table whose columns cannot all get a readable width (at 80 columns, most query results with IRIs) is printed
record by record, one ``column  value`` line each, so nothing is ever cut. A hint on standard error names the
``--format`` that gives the data to programs, so piping the table is never the only way out.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from vskg.commands.common import err, out

NARROWEST_COLUMN = 14  # below this many characters per column a table is harder to read than records


def table(*headers: str, title: str | None = None) -> Table:
    """A table whose cells wrap or fold rather than being cut; add rows with `add_row`."""
    view = Table(title=title)
    for header in headers:
        view.add_column(header, overflow="fold")
    return view


def add_row(view: Table, *cells: str | Text) -> None:
    """A row whose cells are shown as written: text from the graph is never read as rich markup."""
    view.add_row(*(cell if isinstance(cell, Text) else Text(cell) for cell in cells))


def widths(view: Table, width: int) -> list[int] | None:
    """Column widths that fit ``width``: each column gets its longest word (or an even share, if the words cannot
    all fit), and the room left goes to the columns in proportion to how much longer their longest cell is. None
    when the table fits as it is; an empty list when the columns cannot get a readable width (print records)."""
    count = max(len(view.columns), 1)
    room = width - (3 * count + 1)  # a space either side of each cell, a rule between and around the columns
    cells = [[_plain(cell) for cell in (column.header, *column.cells)] for column in view.columns]
    # a header wraps at its spaces ("process h"), so it asks for its longest word only
    longest = [
        max([_longest_word(column[0]), *(len(line) for text in column[1:] for line in text.splitlines())])
        for column in cells
    ]
    if sum(longest) <= room:
        return None
    words = [max((len(word) for text in column for word in text.split()), default=0) for column in cells]
    if sum(words) > room:
        if room // count < NARROWEST_COLUMN:
            return []
        words = [min(word, room // count) for word in words]
    return share(room, longest, words)


def share(room: int, longest: list[int], words: list[int]) -> list[int]:
    """Split ``room`` between columns: those whose longest cell fits an even share get all of it (repeatedly, as
    the share grows), the others their longest word plus the rest in proportion to how much more they hold."""
    given: dict[int, int] = {}
    while True:
        rest = [i for i in range(len(longest)) if i not in given]
        left = room - sum(given.values())
        small = [i for i in rest if longest[i] <= left // max(len(rest), 1)]
        if not small:
            break
        given.update((i, longest[i]) for i in small)
    rest = [i for i in range(len(longest)) if i not in given]
    left = room - sum(given.values())
    fair = left // max(len(rest), 1)
    fits_words = sum(words[i] for i in rest) <= left
    base = {i: words[i] if fits_words else min(words[i], fair) for i in rest}
    spare = left - sum(base.values())
    wanted = {i: longest[i] - base[i] for i in rest}
    total = sum(wanted.values()) or 1
    given.update((i, base[i] + spare * wanted[i] // total) for i in rest)
    return [given[i] for i in range(len(longest))]


def show(view: Table, *, hint: str | None = None, console: Console = out) -> None:
    """Print ``view`` as a table if it fits the terminal, else record by record; then the hint, if any."""
    fitted = widths(view, console.width)
    for column, width in zip(view.columns, fitted or [], strict=False):
        column.width = width
    for column in view.columns:
        column.overflow = "fold"
        column.no_wrap = False
    if fitted == []:
        if view.title:
            console.print(Text(_plain(view.title), style="bold"))
        console.print(records(view))
    else:
        console.print(view)
    if hint:
        err.print(hint, highlight=False, markup=False, style="dim")


def records(view: Table) -> Table:
    """The rows of ``view`` one below the other: a heading per row, then one line per column."""
    headers = [_plain(column.header) for column in view.columns]
    cells = [list(column.cells) for column in view.columns]
    listing = Table.grid(padding=(0, 2))
    listing.add_column(style="bold", no_wrap=True)
    listing.add_column(overflow="fold")
    count = max((len(column) for column in cells), default=0)
    for index in range(count):
        listing.add_row(Text(f"-- {index + 1} of {count} --", style="dim"), "")
        for header, column in zip(headers, cells, strict=True):
            value = column[index] if index < len(column) else ""
            listing.add_row(header, value)
    return listing


def hint_for(formats: Iterable[str], rows: int | None = None) -> str:
    """The footer that names the machine-readable formats: '3 rows; --format csv or --format json for ...'."""
    named = " or ".join(f"--format {name}" for name in formats)
    counted = "" if rows is None else f"{rows} row(s); "
    return f"{counted}{named} gives the same data for a spreadsheet or a program"


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _plain(value: object) -> str:
    return value.plain if isinstance(value, Text) else str(value)
