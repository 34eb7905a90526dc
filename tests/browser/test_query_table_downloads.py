"""The list tables' downloads in Chromium: the CSV and XLSX files hold the rows the table shows, in its order, with
each row's IRI, and a CSV cell a spreadsheet would run as a formula is neutralised as vskg/csvsafe.py does it.

The files are really downloaded (into the test's folder) and read with Python's csv module and openpyxl; the
expected rows are what Selenium reads from the rendered table.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from selenium.webdriver.common.by import By

from tests.browser.downloads import downloaded, save_downloads_in
from vskg.csvsafe import escape


def _shown(browser) -> list[list[str]]:
    head = [th.text for th in browser.all("#listing thead th")] + ["IRI"]
    rows = [
        [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "td")] + [row.get_attribute("data-iri")]
        for row in browser.all("#listing tbody tr")
        if row.is_displayed()
    ]
    return [head, *rows]


def test_a_list_table_downloads_as_xlsx_and_its_filtered_rows_as_csv(browser, tmp_path: Path) -> None:
    folder = save_downloads_in(browser.driver, tmp_path / "downloads")
    browser.open("/capabilities?limit=1000")
    browser.wait_for(".table-downloads button[data-format=xlsx]").click()
    everything = _shown(browser)
    assert len(everything) > 100  # every capability of the bundled data, and the heading
    book = openpyxl.load_workbook(io.BytesIO(downloaded(browser.driver, folder, "capabilities.xlsx")))
    sheet = book.active
    assert sheet.title == "capabilities"
    cells = [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]
    assert [[str(value) for value in row] for row in cells] == everything
    level = everything[0].index("Level")
    assert {type(row[level]) for row in cells[1:]} == {int}  # a number column arrives as numbers
    assert sheet["A1"].font.b is True

    browser.one("label.table-filter input").send_keys("risk")
    filtered = _shown(browser)
    assert 1 < len(filtered) < len(everything)
    browser.one(".table-downloads button[data-format=csv]").click()
    body = downloaded(browser.driver, folder, "capabilities.csv")
    assert body.startswith(b"\xef\xbb\xbf") and body.endswith(b"\r\n")
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))) == filtered


def test_csv_cells_are_neutralised_as_csvsafe_does(browser) -> None:
    browser.open("/systems")
    browser.wait_for(".table-downloads")
    cells = ["=1+1", "+cmd", "-5", "--", "-x", "@SUM(A1)", "'=x", "''+y", "\tTab", "plain", "a,b", 'say "hi"', ""]
    text = browser.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "import('/static/table-export.js').then((m) => done(m.csvText([arguments[0]])));",
        cells,
    )
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))) == [[escape(c) for c in cells]]
    assert [escape(c) for c in cells][:6] == ["'=1+1", "'+cmd", "-5", "--", "'-x", "'@SUM(A1)"]
