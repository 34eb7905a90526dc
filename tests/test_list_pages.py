"""The list, search and folder pages over HTTP (vskg/web/lists.py, search.py, models.py), on the bundled data and an
imported model: what each table holds, where its links go, the header search box, and the short keys in links.

Rows are compared with their JSON twins, which tests/api/test_lists_api.py checks against the data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from lxml import html as lxml_html

from tests.server import LiveServer

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "archimate" / "value-streams.xml"
M = "https://w3id.org/vskg/archimate/model/id-fixture-model"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=60, headers=HTML) as http:
        answer = http.post(
            "/import/archimate?name=value-streams.xml", content=FIXTURE.read_bytes(), headers=live_server.auth()
        )
        assert answer.status_code == 200, answer.text
        yield http


def page(client: httpx.Client, path: str, status: int = 200):
    response = client.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return lxml_html.fromstring(response.text)


def api_rows(client: httpx.Client, path: str) -> list[dict]:
    return client.get(path, headers={"Accept": "application/json"}).json()["rows"]


@pytest.mark.parametrize("kind", ["capabilities", "systems"])
def test_a_list_page_shows_the_rows_of_its_json_twin(client: httpx.Client, kind: str) -> None:
    doc = page(client, f"/{kind}?limit=1000")
    expected = api_rows(client, f"/api/{kind}?limit=1000")
    rows = doc.xpath("//table[@id='listing']/tbody/tr")
    assert [(row.get("data-key"), row.xpath("./td[1]/a")[0].text, row.xpath("./td[1]/a/@href")[0]) for row in rows] == [
        (r["key"], r["label"], r["href"]) for r in expected
    ]
    assert doc.xpath("//table[@id='listing']/@class") == ["listing sortable"]
    assert doc.xpath("//script/@src")[-1] == "/static/tables.js"


def test_the_streams_list_holds_every_stream(client: httpx.Client) -> None:
    keys = [row.get("data-key") for row in page(client, "/streams").xpath("//table[@id='listing']/tbody/tr")]
    analysed = {s["key"] for s in client.get("/api/streams", headers={"Accept": "application/json"}).json()}
    imported = {f"archimate/id-fixture-model/id-{n}" for n in ("stream", "broken", "ambiguous")}
    assert len(keys) == len(set(keys)) == 15 and set(keys) >= analysed | imported


def test_the_streams_list_as_json(client: httpx.Client) -> None:
    body = client.get("/streams?limit=1000", headers={"Accept": "application/json"}).json()
    assert client.get("/streams?limit=1000&format=json").json() == body
    (mortgage,) = [r for r in body["rows"] if r["key"] == "banking/mortgage-lending"]
    assert (mortgage["label"], mortgage["stages"], [o["label"] for o in mortgage["organisation"]]) == (
        "Mortgage lending",
        8,
        ["Retail bank"],
    )
    assert [o["key"] for o in mortgage["owner"]] == ["banking/mortgage-lending-owner"]
    (imported,) = [r for r in body["rows"] if r["key"] == "archimate/id-fixture-model/id-stream"]
    assert imported["href"] == "/streams/archimate/id-fixture-model/id-stream"
    bad = client.get("/streams?offset=-1", headers={"Accept": "application/json"})
    assert bad.status_code == 400
    assert bad.json()["error"]["message"] == "offset must be a whole number from 0 to 1000000, got '-1'"


def test_the_streams_list_has_stages_and_owner(client: httpx.Client) -> None:
    doc = page(client, "/streams")
    headings = [th.text_content() for th in doc.xpath("//table[@id='listing']/thead//th")]
    assert headings == ["Name", "Type", "Stages", "Owner", "Organisation"]
    (mortgage,) = doc.xpath("//tr[@data-key='banking/mortgage-lending']")
    cells = [" ".join(td.text_content().split()) for td in mortgage.xpath("./td")]
    assert cells == [
        "Mortgage lending",
        "vskg:ValueStream",
        "8",
        "Mortgage lending Value Stream Owner",
        "Retail bank",
    ]
    (imported,) = doc.xpath(f"//tr[@data-iri='{M}/id-stream']")
    assert imported.get("data-key") == "archimate/id-fixture-model/id-stream"
    assert imported.xpath("./td[1]/a/@href") == ["/streams/archimate/id-fixture-model/id-stream"]


def test_an_imported_capability_row_and_its_page(client: httpx.Client) -> None:
    doc = page(client, "/capabilities?limit=1000")
    (row,) = doc.xpath("//tr[@data-key='archimate/id-fixture-model/id-cap-scoring']")
    assert [" ".join(td.text_content().split()) for td in row.xpath("./td")] == [
        "Credit scoring",
        "vskg:Capability",
        "n/a",
        "Risk management",
        "n/a",
    ]
    assert row.xpath("./td[4]/a/@href") == ["/capabilities/archimate/id-fixture-model/id-cap-risk"]
    capability = page(client, "/capabilities/archimate/id-fixture-model/id-cap-scoring")
    assert capability.xpath("//h1")[0].text == "Credit scoring"
    # a link made with the full IRI as key still opens the page
    old = page(client, "/capabilities/" + quote(M + "/id-cap-scoring", safe="/"))
    assert old.xpath("//h1")[0].text == "Credit scoring"


def test_paging_links_and_a_bad_limit(client: httpx.Client) -> None:
    doc = page(client, "/systems?limit=2&offset=2")
    assert doc.xpath("//nav[@class='pager']/a/@href") == ["/systems?limit=2&offset=0", "/systems?limit=2&offset=4"]
    bad = page(client, "/systems?limit=5000", status=400)
    assert bad.xpath("//p[@id='problem-message']")[0].text == "limit must be a whole number from 1 to 1000, got 5000"
    assert client.get("/capabilities/", follow_redirects=False).headers["location"] == "/capabilities"


def test_types_and_the_elements_of_one(client: httpx.Client) -> None:
    types = page(client, "/elements")
    counts = {
        a.text: a.getparent().getparent().xpath("./td[2]")[0].text for a in types.xpath("//table[@id='types']//a")
    }
    assert (counts["am:BusinessActor"], counts["am:ValueStream"], counts["am:Model"]) == ("1", "12", "1")
    assert types.xpath("//a[text()='am:BusinessActor']/@href") == ["/elements?type=am%3ABusinessActor"]
    actors = page(client, "/elements?type=am%3ABusinessActor")
    assert [(a.text, a.get("href")) for a in actors.xpath("//table[@id='listing']/tbody/tr/td[1]/a")] == [
        ("Lending operations", "/id/archimate/model/id-fixture-model/id-actor")
    ]
    bad = page(client, "/elements?type=nope", status=400)
    assert "is neither a prefixed name" in bad.xpath("//p[@id='problem-message']")[0].text


def test_search_page_finds_an_imported_capability(client: httpx.Client) -> None:
    doc = page(client, "/search?q=credit+scoring")
    assert [(a.text, a.get("href")) for a in doc.xpath("//table[@id='search-results']//td[1]/a")] == [
        ("Credit scoring", "/capabilities/archimate/id-fixture-model/id-cap-scoring")
    ]
    assert " ".join(doc.xpath("//p[@id='search-summary']")[0].text_content().split()).startswith(
        "1 result for “credit scoring”"
    )
    empty = page(client, "/search")
    assert empty.xpath("//table") == [] and empty.xpath("//input[@id='search-q']/@value") == [""]
    too_long = page(client, "/search?q=" + "x" * 201, status=400)
    assert too_long.xpath("//p[@id='search-error']")[0].text == "q is 201 characters long; at most 200 are accepted"


@pytest.mark.parametrize("path", ["/", "/streams/banking/mortgage-lending", "/capabilities", "/models", "/query"])
def test_every_page_has_the_search_box_in_its_header(client: httpx.Client, path: str) -> None:
    doc = page(client, path)
    (form,) = doc.xpath("//header[@class='site']/form[@role='search']")
    assert (form.get("action"), form.get("method")) == ("/search", "get")
    assert form.xpath(".//input/@name") == ["q"] and form.xpath(".//input/@aria-label") == ["Search names and labels"]


def test_models_and_the_folder_tree(client: httpx.Client) -> None:
    models = page(client, "/models")
    assert [(a.text, a.get("href")) for a in models.xpath("//table[@id='models']//td[1]/a")] == [
        ("Lending model", "/models/archimate/id-fixture-model")
    ]
    doc = page(client, "/models/archimate/id-fixture-model")
    top = doc.xpath("//section[@id='folders']/ul/li[@class='folder']/details")
    assert [d.xpath("./summary")[0].text.strip() for d in top] == ["Strategy", "Relations"]
    assert [d.get("open") for d in top] == ["", ""]
    (streams,) = top[0].xpath("./ul/li[@class='folder']/details")
    assert streams.get("open") is None
    assert [(a.text, a.get("href")) for a in streams.xpath(".//li[@class='item']/a")] == [
        ("Broken stream", "/streams/archimate/id-fixture-model/id-broken"),
        ("Mortgage lending", "/streams/archimate/id-fixture-model/id-stream"),
    ]
    assert [(a.text, a.get("href")) for a in top[0].xpath("./ul/li[@class='item']/a")] == [
        ("Risk management", "/capabilities/archimate/id-fixture-model/id-cap-risk")
    ]
    assert top[1].xpath(".//li[@class='item']/a/@href") == ["/id/archimate/model/id-fixture-model/id-r-flow1"]
    missing = page(client, "/models/archimate/nothing", status=404)
    assert "no imported ArchiMate model has the key 'archimate/nothing'" in missing.xpath("//p")[1].text


def test_an_imported_streams_page_links_with_short_keys(client: httpx.Client) -> None:
    doc = page(client, "/streams/archimate/id-fixture-model/id-stream")
    hrefs = [h for h in doc.xpath("//main//a/@href") if "id-fixture-model" in h]
    assert hrefs and all("https%3A" not in h and "w3id.org" not in h for h in hrefs)
