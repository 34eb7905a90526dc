"""/query and /validation over HTTP: the pages, their hooks, and the vendored YASGUI they load from this server."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from tests.server import LiveServer
from vskg.catalogue import catalogue
from vskg.web.templating import STATIC

YASGUI = STATIC / "vendor" / "yasgui"


@pytest.fixture(scope="module")
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        yield http


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.tags if attrs.get("id")}

    def scripts(self) -> list[str | None]:
        return [attrs.get("src") for tag, attrs in self.tags if tag == "script"]

    def stylesheets(self) -> list[str | None]:
        return [attrs.get("href") for tag, attrs in self.tags if tag == "link" and attrs.get("rel") == "stylesheet"]

    def fetched(self) -> list[str]:
        """Every URL the browser loads on its own when it renders the page (not links a person follows)."""
        urls = [attrs.get("src") for _, attrs in self.tags if attrs.get("src")]
        urls += [attrs.get("href") for tag, attrs in self.tags if tag == "link" and attrs.get("href")]
        return [url for url in urls if url]


def _page(client: httpx.Client, path: str) -> Elements:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return Elements(response.text)


def test_query_page_offers_the_catalogue_and_the_editor(client: httpx.Client) -> None:
    page = _page(client, "/query")
    assert {"catalogue-select", "catalogue-form", "catalogue-results", "catalogue-count", "catalogue-error"} <= (
        page.ids()
    )
    assert {"catalogue-csv", "catalogue-xlsx", "editor-csv", "editor-xlsx", "save-form", "saved-list"} <= page.ids()
    assert "yasgui" in page.ids()
    assert page.scripts() == ["/static/vendor/yasgui/yasgui.min.js", "/static/query.js"]
    assert page.stylesheets() == [
        "/static/vskg.css",
        "/static/responsive.css",
        "/static/vendor/yasgui/yasgui.min.css",
        "/static/workbench-query.css",
    ]
    assert ("a", {"href": "/query", "aria-current": "page"}) in page.tags


def test_validation_page_offers_an_upload_form(client: httpx.Client) -> None:
    page = _page(client, "/validation")
    assert {"validation-form", "validation-file", "validation-text", "validation-format", "validation-report"} <= (
        page.ids()
    )
    (upload,) = [attrs for tag, attrs in page.tags if tag == "input" and attrs.get("type") == "file"]
    assert upload["accept"] == ".ttl,.rdf,.owl,.jsonld,.nt,.nq,.trig,.xml"
    assert page.scripts() == ["/static/validation.js"]
    assert ("a", {"href": "/validation", "aria-current": "page"}) in page.tags


@pytest.mark.parametrize("path", ["/query", "/validation"])
def test_pages_load_nothing_from_other_origins(client: httpx.Client, path: str) -> None:
    fetched = _page(client, path).fetched()
    assert fetched, "the page loads its scripts and styles"
    assert [url for url in fetched if not url.startswith("/") or url.startswith("//")] == []


@pytest.mark.parametrize(
    ("url", "file", "media"),
    [
        ("/static/vendor/yasgui/yasgui.min.js", YASGUI / "yasgui.min.js", "text/javascript; charset=utf-8"),
        ("/static/vendor/yasgui/yasgui.min.css", YASGUI / "yasgui.min.css", "text/css; charset=utf-8"),
        ("/static/query.js", STATIC / "query.js", "text/javascript; charset=utf-8"),
        ("/static/query-picker.js", STATIC / "query-picker.js", "text/javascript; charset=utf-8"),
        ("/static/query-results.js", STATIC / "query-results.js", "text/javascript; charset=utf-8"),
        ("/static/query-saved.js", STATIC / "query-saved.js", "text/javascript; charset=utf-8"),
        ("/static/workbench-api.js", STATIC / "workbench-api.js", "text/javascript; charset=utf-8"),
        ("/static/table-export.js", STATIC / "table-export.js", "text/javascript; charset=utf-8"),
        ("/static/workbench-query.css", STATIC / "workbench-query.css", "text/css; charset=utf-8"),
        ("/static/validation.js", STATIC / "validation.js", "text/javascript; charset=utf-8"),
    ],
)
def test_front_end_files_are_served_from_the_package(client: httpx.Client, url: str, file: Path, media: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    assert response.content == file.read_bytes()


def test_vendored_yasgui_names_no_missing_source_map() -> None:
    for name in ("yasgui.min.js", "yasgui.min.css"):
        assert b"sourceMappingURL" not in (YASGUI / name).read_bytes(), name
    assert sorted(p.name for p in YASGUI.iterdir()) == ["LICENSE", "README.md", "yasgui.min.css", "yasgui.min.js"]
    licence = (YASGUI / "LICENSE").read_text(encoding="utf-8")
    assert "@zazuko/yasgui 4.6.2" in licence and "License: MIT" in licence and "Triply" in licence


def test_catalogue_query_text_for_the_editor(client: httpx.Client) -> None:
    response = client.get("/query/stream-stages.rq")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-query; charset=utf-8"
    assert response.text == catalogue()["stream-stages"].text


def test_unknown_catalogue_query_text_is_a_404(client: httpx.Client) -> None:
    response = client.get("/query/no-such-query.rq")
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "status": 404,
            "message": "there is no catalogue query named 'no-such-query'; GET /queries lists them",
        }
    }
