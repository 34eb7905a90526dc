"""The download links of query results in Chromium: the CSV and XLSX links of a catalogue result, and of the SPARQL
editor's query, are the same request with ?format=csv|xlsx, and what the browser saves is the server's answer.

These links rely on the `format` URL parameter of /queries/{name} and /sparql (issue 14, built in another branch):
the CSV the browser saves must equal both the ?format=csv body and the body the server gives for Accept: text/csv.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from tests.browser.downloads import only_download, save_downloads_in


def _request(href: str) -> tuple[str, list[tuple[str, str]]]:
    """A link's path and its URL parameters, decoded (browsers and Python escape a few characters differently)."""
    parts = urlsplit(href)
    return parts.path, parse_qsl(parts.query)


JOURNEY = "https://w3id.org/vskg/data/airline/passenger-journey"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_csv_download_of_a_result_equals_the_format_csv_body(browser, tmp_path: Path) -> None:
    browser.open("/query?" + urlencode({"catalogue": "stream-stages", "stream": JOURNEY}))
    link = browser.wait_for("#catalogue-downloads #catalogue-csv")
    request = "/queries/stream-stages?" + urlencode({"stream": JOURNEY})
    assert link.get_attribute("href") == browser.base + request + "&format=csv"
    assert browser.one("#catalogue-xlsx").get_attribute("href") == browser.base + request + "&format=xlsx"

    save_downloads_in(browser.driver, tmp_path / "csv")
    link.click()
    saved = only_download(browser.driver, tmp_path / "csv").read_bytes()
    by_format = httpx.get(browser.base + request + "&format=csv")
    by_accept = httpx.get(browser.base + request, headers={"Accept": "text/csv"})
    assert by_format.status_code == by_accept.status_code == 200
    assert saved == by_format.content == by_accept.content
    assert saved.startswith(b"stream,order,stage,stageLabel,capabilities,systems\r\n")

    save_downloads_in(browser.driver, tmp_path / "xlsx")
    browser.one("#catalogue-xlsx").click()
    saved = only_download(browser.driver, tmp_path / "xlsx").read_bytes()
    answer = httpx.get(browser.base + request + "&format=xlsx")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(XLSX)
    # two XLSX files of the same rows differ in the zip entries' times (2 s resolution): compare what they hold
    assert saved.startswith(b"PK\x03\x04") and cells(saved) == cells(answer.content)
    assert cells(saved)[0] == ("stream", "order", "stage", "stageLabel", "capabilities", "systems")


def cells(workbook: bytes) -> list[tuple]:
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_editor_links_its_query_as_csv(browser, tmp_path: Path) -> None:
    browser.open("/query")
    browser.wait_for("#yasgui .yasqe .CodeMirror")
    query = (
        "SELECT ?stream WHERE { ?stream a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
        "<https://w3id.org/vskg/ontology#ValueStream> } ORDER BY ?stream"
    )
    browser.driver.execute_script("vskgYasgui.getTab().getYasqe().setValue(arguments[0])", query)
    save_downloads_in(browser.driver, tmp_path)
    browser.one("#editor-csv").click()
    request = "/sparql?" + urlencode({"query": query})
    assert _request(browser.one("#editor-csv").get_attribute("href")) == (
        "/sparql",
        [("query", query), ("format", "csv")],
    )
    saved = only_download(browser.driver, tmp_path).read_bytes()
    by_accept = httpx.get(browser.base + request, headers={"Accept": "text/csv"})
    assert by_accept.status_code == 200
    assert saved == httpx.get(browser.base + request + "&format=csv").content == by_accept.content
    lines = saved.decode("utf-8").split("\r\n")
    assert lines[0] == "stream" and "https://w3id.org/vskg/data/banking/mortgage-lending" in lines
