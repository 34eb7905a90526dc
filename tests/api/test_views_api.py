"""GET /api/views and /views/{key}.svg on a real server after importing the views fixture over HTTP."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from lxml import etree

from tests.server import LiveServer, assert_error

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "archimate" / "views.xml"
SVG_NS = "http://www.w3.org/2000/svg"
GRAPH = "https://w3id.org/vskg/graph/archimate/id-views-model"


@pytest.fixture(scope="module")
def imported(client: httpx.Client, live_server: LiveServer) -> httpx.Client:
    answer = client.post(
        "/import/archimate", params={"name": "views.xml"}, content=FIXTURE.read_bytes(), headers=live_server.auth()
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["views"] == 2
    return client


def test_api_views_lists_one_object_per_view(imported: httpx.Client) -> None:
    answer = imported.get("/api/views")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == [
        {
            "key": "id-views-model/id-v-stream",
            "identifier": "id-v-stream",
            "name": "Acquire home stream",
            "model": "id-views-model",
            "model_name": "Views model",
            "model_iri": "https://w3id.org/vskg/archimate/model/id-views-model",
            "graph": GRAPH,
            "nodes": 7,
            "connections": 3,
            "page": "/views/id-views-model/id-v-stream",
            "svg": "/views/id-views-model/id-v-stream.svg",
        },
        {
            "key": "id-views-model/id-v-support",
            "identifier": "id-v-support",
            "name": "Support",
            "model": "id-views-model",
            "model_name": "Views model",
            "model_iri": "https://w3id.org/vskg/archimate/model/id-views-model",
            "graph": GRAPH,
            "nodes": 2,
            "connections": 1,
            "page": "/views/id-views-model/id-v-support",
            "svg": "/views/id-views-model/id-v-support.svg",
        },
    ]


def test_the_svg_url_of_each_view_answers_its_picture(imported: httpx.Client) -> None:
    for view in imported.get("/api/views").json():
        answer = imported.get(view["svg"])
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "image/svg+xml"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'"
        assert answer.text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
        root = etree.fromstring(answer.content)
        assert root.get("data-view") == view["identifier"]
        nodes = root.xpath("//s:g[@class='node']", namespaces={"s": SVG_NS})
        lines = root.xpath("//s:g[@class='connection']/s:path[@class='line']", namespaces={"s": SVG_NS})
        assert (len(nodes), len(lines)) == (view["nodes"], view["connections"])


def test_elements_link_to_their_pages(imported: httpx.Client) -> None:
    root = etree.fromstring(imported.get("/views/id-views-model/id-v-support.svg").content)
    links = root.xpath("//s:a/@href", namespaces={"s": SVG_NS})
    assert links == [
        "/id/archimate/model/id-views-model/id-e-app",
        "/id/archimate/model/id-views-model/id-e-cap",
        "/id/archimate/model/id-views-model/id-r-real",
    ]
    assert imported.get(links[0], headers={"Accept": "text/turtle"}).status_code == 200


def test_an_unknown_view_is_404(imported: httpx.Client) -> None:
    assert_error(
        imported.get("/views/id-views-model/id-nowhere.svg"),
        404,
        "no ArchiMate view has the key 'id-views-model/id-nowhere'; /api/views lists the views",
    )
    assert_error(imported.get("/views/no-model/id-v-stream.svg"), 404)


def test_the_view_page_is_html_and_unknown_pages_are_404(imported: httpx.Client) -> None:
    answer = imported.get("/views/id-views-model/id-v-stream", headers={"Accept": "text/html"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in answer.text
    assert "<?xml" not in answer.text
    missing = imported.get("/views/id-views-model/id-nowhere", headers={"Accept": "text/html"})
    assert missing.status_code == 404
    assert "no ArchiMate view has the key &#39;id-views-model/id-nowhere&#39;" in missing.text
    listing = imported.get("/views", headers={"Accept": "text/html"})
    assert listing.status_code == 200
    assert listing.text.count('class="view-row"') == 2
