"""The capability map pages over HTTP: the list of organisations, one organisation's map (page and SVG), the links
to it from the overview and the capability pages, and the answers to keys that name no organisation."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pyoxigraph
import pytest
from lxml import html as lxml_html

from tests.server import LiveServer
from vskg.results import collect

DATA = "https://w3id.org/vskg/data/"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ORGANISATIONS = """PREFIX vskg: <https://w3id.org/vskg/ontology#>
SELECT DISTINCT ?org WHERE { { ?org vskg:hasCapabilityMap ?m } UNION { ?s vskg:operatedBy ?org } }"""


@pytest.fixture(scope="module")
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=60, headers=HTML) as http:
        yield http


def page(client: httpx.Client, path: str):
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return lxml_html.fromstring(response.text)


def organisations(store: pyoxigraph.Store) -> list[str]:
    rows = collect(store.query(ORGANISATIONS, use_default_graph_as_union=True)).values()
    return sorted(row["org"] for row in rows)


def test_the_list_links_every_organisations_map(client: httpx.Client, store: pyoxigraph.Store) -> None:
    doc = page(client, "/capability-map")
    items = doc.xpath("//ul[@id='capability-maps']/li")
    assert sorted(li.get("data-organisation") for li in items) == organisations(store)
    assert len(items) == 8
    bank = doc.xpath(f"//li[@data-organisation='{DATA}banking/retail-bank']//a/@href")
    assert bank == ["/capability-map/banking/retail-bank", "/capability-map/banking/retail-bank.svg"]
    assert doc.xpath("//header[@class='site']//a[@aria-current='page']/text()") == ["Capability maps"]


def test_an_organisations_page_inlines_its_map_and_counts_the_gaps(client: httpx.Client) -> None:
    doc = page(client, "/capability-map/banking/retail-bank")
    assert doc.xpath("//h1/text()") == ["Capability map: Retail bank"]
    boxes = doc.xpath("//div[contains(@class, 'capability-map')]/svg//a/g[contains(@class, 'capability')]")
    assert len(boxes) == 15
    counts = {
        tr.get("data-bucket"): tr.xpath("./td[3]/text()")[0]
        for tr in doc.xpath("//table[@class='gap-counts']/tbody/tr")
    }
    # Retail bank: four capabilities at target, six one level below, two (onboarding, income analysis) two below.
    assert counts == {"gap-0": "4", "gap-1": "6", "gap-2": "2", "gap-3": "0", "unassessed": "3"}
    assert doc.xpath("//table[@class='gap-counts']/tfoot//th[@class='num']/text()") == ["15"]
    others = doc.xpath("//nav[contains(@class, 'other-maps')]//a/@href")
    assert len(others) == 7 and "/capability-map/banking/retail-bank" not in others


def test_the_svg_stands_alone(client: httpx.Client) -> None:
    response = client.get("/capability-map/banking/retail-bank.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert response.text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    assert response.text.count('<a href="/capabilities/banking/') == 15
    by_iri = client.get("/capability-map/https%3A%2F%2Fw3id.org%2Fvskg%2Fdata%2Fbanking%2Fretail-bank.svg")
    assert by_iri.status_code == 200 and by_iri.text == response.text


def test_a_key_that_names_no_organisation_is_a_404(client: httpx.Client) -> None:
    message = (
        "no organisation has the key {}: none by that name runs a value stream or has a capability map; "
        "/capability-map lists them"
    )
    svg = client.get("/capability-map/banking/mortgage-lending.svg")
    assert svg.status_code == 404
    assert svg.json() == {"error": {"status": 404, "message": message.format("'banking/mortgage-lending'")}}
    html = client.get("/capability-map/no such thing")
    assert html.status_code == 404 and "no organisation has the key &#39;no such thing&#39;" in html.text
    long = client.get("/capability-map/" + "x" * 3000 + ".svg")
    assert long.status_code == 404
    assert long.json()["error"]["message"] == message.format(repr("x" * 80 + "..."))


def test_the_overview_and_a_capability_page_lead_to_the_map(client: httpx.Client, store: pyoxigraph.Store) -> None:
    overview = page(client, "/")
    links = overview.xpath("//p[@id='capability-map-links']/a/@href")
    assert sorted(links) == sorted("/capability-map/" + org.removeprefix(DATA) for org in organisations(store))
    capability = page(client, "/capabilities/banking/customer-onboarding")
    assert capability.xpath("//p[@id='on-capability-maps']/a/@href") == ["/capability-map/banking/retail-bank"]
    assert capability.xpath("//p[@id='on-capability-maps']/a/text()") == ["Retail bank"]


def test_a_findings_property_path_reads_in_words_with_the_path_on_demand(client: httpx.Client) -> None:
    deadline = time.monotonic() + 120
    while True:  # the store's SHACL report is made in the background after the server starts
        doc = page(client, "/streams/banking/mortgage-lending")
        if doc.xpath("//section[@id='validation']")[0].get("data-state") != "running":
            break
        assert time.monotonic() < deadline, "the validation did not finish within two minutes"
        time.sleep(1)
    paths = doc.xpath("//section[@id='validation']//details[contains(@class, 'result-path')]")
    assert paths
    words = {" ".join(p.xpath("./summary/span[@class='path-words']")[0].text_content().split()) for p in paths}
    technical = {p.xpath("./code[@class='technical']")[0].text for p in paths}
    v = "https://w3id.org/vskg/ontology#"
    assert f"(^<{v}subCapabilityOf>)*/^<{v}supportsCapability>" in technical
    assert (
        "sub-capability of, read backwards (any number of times, or none), then supports capability, read backwards"
        in words
    )
    assert not any("https://" in text for text in words)
