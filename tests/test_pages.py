"""The web pages over HTTP: the portfolio overview, a stream page, capability and system pages, and their 404s.

Expected numbers are worked out here from the values in data/banking-mortgage-lending.ttl; lists of streams and
dependants are compared with what the analytics return for the same store.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from lxml import html as lxml_html

from tests.server import LiveServer
from tests.test_examples import EXAMPLES
from vskg import __version__
from vskg.analytics import analyse_portfolio, analyse_stream, capability_impact, list_streams, system_impact
from vskg.keys import data_key

BANK = "https://w3id.org/vskg/data/banking/"
MORTGAGE = BANK + "mortgage-lending"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=60, headers=HTML) as http:
        yield http


def page(client: httpx.Client, path: str):
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return lxml_html.fromstring(response.text)


def text(element) -> str:
    return " ".join(element.text_content().split())


# --- overview ----------------------------------------------------------------------------------------------------


def test_overview_lists_every_stream_once_with_a_link_to_its_page(client: httpx.Client, store) -> None:
    streams = list_streams(store)
    doc = page(client, "/")
    rows = doc.xpath("//tr[@data-stream]")
    assert sorted(row.get("data-stream") for row in rows) == sorted(ref.iri for ref in streams)
    assert doc.get_element_by_id("stream-count").text == str(len(streams)) == "12"
    labels = {ref.iri: ref.label for ref in streams}
    for row in rows:
        (link,) = row.xpath(".//td[@class='stream-name']/a")
        assert link.get("href") == "/streams/" + data_key(row.get("data-stream"))
        assert link.text == labels[row.get("data-stream")]


def test_overview_groups_streams_by_industry_then_organisation(client: httpx.Client, store) -> None:
    portfolio = analyse_portfolio(store)
    industry_of = {s.stream.iri: s.industry.iri for s in portfolio.streams if s.industry}
    organisation_of = {s.stream.iri: s.organisation.iri for s in portfolio.streams if s.organisation}
    doc = page(client, "/")
    groups = doc.xpath("//tbody[@data-industry]")
    assert len(groups) == len(set(industry_of.values())) == 7
    assert doc.get_element_by_id("industry-count").text == "7"
    assert doc.get_element_by_id("organisation-count").text == str(len(set(organisation_of.values()))) == "8"
    headings = [text(g.xpath("./tr[@class='industry-row']/th")[0]) for g in groups]
    assert headings == sorted(headings, key=str.lower)
    for group in groups:
        organisation = None
        for row in group.xpath("./tr"):
            if row.get("data-organisation") is not None:
                organisation = row.get("data-organisation")
            elif row.get("data-stream") is not None:
                assert industry_of[row.get("data-stream")] == group.get("data-industry")
                assert organisation_of[row.get("data-stream")] == organisation


def test_overview_shows_the_mortgage_streams_figures(client: httpx.Client) -> None:
    doc = page(client, "/")
    (row,) = doc.xpath(f"//tr[@data-stream='{MORTGAGE}']")
    cells = {td.get("data-figure"): td for td in row.xpath("./td[@data-figure]")}
    assert cells["stages"].text == "8"
    # stage lead times 48+24+36+2+72+72+240+80 = 574; the handoff waits are inside them, not added
    assert cells["lead-time"].text == f"{574} h" == "574 h"
    assert cells["lead-time"].xpath("./span")[0].text == "23.9 d"  # 574 / 24 = 23.92
    # process times 1+2+1.5+0.5+3+2+6+1 = 17 hours of 574
    assert cells["activity-ratio"].text == f"{17 / 574 * 100:.1f} %" == "3.0 %"
    rolled = 0.95 * 0.90 * 0.70 * 0.92 * 0.85 * 0.65 * 0.75 * 0.95
    assert cells["rolled-pca"].text == f"{rolled * 100:.1f} %" == "21.7 %"
    # mortgage advice (stages 1 and 2) and exception underwriting (stage 6) have no system: 5 of 8 covered
    assert cells["coverage"].text == f"{5 / 8 * 100:.1f} %" == "62.5 %"
    badges = [b.text for b in row.xpath(".//span[contains(@class, 'mca')]")]
    assert badges == ["Culture and People", "Execution and Ways of Working", "Strategic Architecture"]


def test_overview_has_the_portfolio_matrix_shared_use_and_maturity(client: httpx.Client, store) -> None:
    portfolio = analyse_portfolio(store)
    doc = page(client, "/")
    assert len(doc.xpath("//div[contains(@class, 'portfolio-map')]/svg")) == 1
    shared = [
        row.get("data-capability") for row in doc.xpath("//section[@id='shared-capabilities']//tr[@data-capability]")
    ]
    assert shared == [use.subject.iri for use in portfolio.shared_capabilities]
    platforms = [row.get("data-platform") for row in doc.xpath("//section[@id='shared-platforms']//tr[@data-platform]")]
    assert platforms == [use.subject.iri for use in portfolio.shared_platforms]
    heat = doc.xpath("//table[@class='heatmap']/tbody/tr")
    assert [row.get("data-capability") for row in heat] == [cell.capability.iri for cell in portfolio.maturity]
    onboarding = doc.xpath(f"//table[@class='heatmap']//tr[@data-capability='{BANK}customer-onboarding']")[0]
    # assessed at level 2 with a target of 4: two levels reached, two to go, gap 2
    levels = [td.get("class") for td in onboarding.xpath("./td[contains(@class, 'level')]")]
    assert levels == ["level have", "level have", "level gap-2", "level gap-2", "level"]
    assert onboarding.xpath("./td[contains(@class, 'gap')]")[-1].text == "2"


def test_root_still_answers_json_clients_with_the_index(client: httpx.Client) -> None:
    response = client.get("/", headers=JSON)
    assert response.status_code == 200
    assert response.headers["vary"] == "Accept"
    assert response.json() == {
        "name": "vskg",
        "version": __version__,
        "endpoints": {
            "sparql": "/sparql",
            "update": "/update",
            "graph store": "/store",
            "catalogue": "/queries",
            "validate": "/validate",
            "docs": "/docs",
            "analytics": "/api/streams",
            "maps": "/portfolio/map.svg",
            "ontology": "/ontology",
            "linked data": "/id/{path}",
            "workbench": "/",
        },
    }


# --- stream ------------------------------------------------------------------------------------------------------


def test_stream_page_has_the_stages_in_the_articles_order(client: httpx.Client) -> None:
    doc = page(client, "/streams/banking/mortgage-lending")
    assert text(doc.xpath("//h1")[0]) == "Mortgage lending"
    rows = doc.xpath("//tr[@class='stage-row']")
    assert [text(r.xpath("./td[@class='stage-label']/a")[0]) for r in rows] == EXAMPLES["Mortgage lending"]
    assert [r.xpath("./td")[0].text for r in rows] == [str(n) for n in range(1, 9)]
    legal = [text(td) for td in rows[6].xpath("./td")]
    # legal completion: process 6 h, lead 240 h (ten days), so 240 - 6 = 234 h of waiting inside the stage
    assert legal[:6] == ["7", "Legal completion", "6 h", "240 h (10.0 d)", "234 h (9.8 d)", "75 %"]
    capability = rows[6].xpath("./td[7]/a")[0]
    assert (capability.get("href"), capability.text) == (
        "/capabilities/banking/conveyancing-coordination",
        "Conveyancing coordination",
    )
    systems = [(a.get("href"), a.text) for a in rows[6].xpath("./td[8]/a")]
    assert systems == [
        ("/systems/banking/conveyancer-portal", "Conveyancer portal"),
        ("/systems/banking/mortgage-origination-system", "Mortgage origination system"),
    ]


def test_stream_page_shows_the_figures_and_what_they_came_from(client: httpx.Client) -> None:
    doc = page(client, "/streams/banking/mortgage-lending")
    cards = {c.get("data-figure"): c for c in doc.xpath("//div[@data-figure]")}
    values = {name: card.xpath("./div[@class='value']")[0].text for name, card in cards.items()}
    assert values == {
        "lead-time": "574 h",
        "process-time": "17 h",
        "activity-ratio": "3.0 %",
        "rolled-pca": "21.7 %",
        "coverage": "62.5 %",
    }
    assert cards["lead-time"].xpath("./div[@class='sub']")[0].text == "23.9 days, trigger to outcome"
    assert cards["coverage"].xpath("./div[@class='sub']")[0].text == "5 of 8 stages supported"
    inputs = cards["lead-time"].xpath(".//table[@class='inputs']/tbody/tr")
    assert len(inputs) == 8  # every stage's lead time; the handoff waits are inside them
    assert [text(td) for td in inputs[6].xpath("./td")] == ["Legal completion", "lead time (hours)", "240.0"]
    assert inputs[6].xpath("./td/span[@class='term']/@title") == ["vskg:leadTimeHours"]  # the property, on demand
    assert "48 + 24 + 36 + 2 + 72 + 72 + 240 + 80 = 574 hours" in text(cards["lead-time"])


def test_stream_page_inlines_the_map_and_links_to_its_file(client: httpx.Client) -> None:
    doc = page(client, "/streams/banking/mortgage-lending")
    (svg,) = doc.xpath("//div[@class='map']/svg")
    stages = svg.xpath(".//g[contains(concat(' ', @class, ' '), ' stage ')]")
    labels = [text(g.xpath("./text[@class='label']")[0]) for g in stages]
    assert labels == EXAMPLES["Mortgage lending"]
    assert doc.xpath("//a[text()='map.svg']")[0].get("href") == "/streams/banking/mortgage-lending/map.svg"
    response = client.get("/streams/banking/mortgage-lending/map.svg")
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")


def test_stream_page_lists_handoffs_bottlenecks_teams_and_alignment(client: httpx.Client, store) -> None:
    analysis = analyse_stream(store, MORTGAGE)
    doc = page(client, "/streams/banking/mortgage-lending")
    handoffs = doc.xpath("//tr[@class='handoff-row']")
    assert [h.get("data-handoff") for h in handoffs] == [BANK + f"handoff-{n}-{n + 1}" for n in range(1, 8)]
    # the last handoff waits 72 h (three days) with 15 cases queued and 80 % complete and accurate
    assert [text(td) for td in handoffs[6].xpath("./td")][2:5] == ["72 h (3.0 d)", "15", "80 %"]
    bottlenecks = [text(li).split(" How this")[0] for li in doc.xpath("//li[@class='bottleneck']")]
    assert bottlenecks == [
        "stage Legal completion: largest wait, 234 h (9.8 d)",
        "stage Underwriting: lowest %C&A, 65 %",
        "handoff Legal completion to Release of funds: largest wait, 72 h (3.0 d)",
        "handoff Property valuation to Underwriting: lowest %C&A, 70 %",
    ]
    assert [text(li) for li in doc.xpath("//section[@id='teams']//li")] == [t.label for t in analysis.teams]
    dimensions = [dt.get("data-dimension") for dt in doc.xpath("//dl[@class='alignment']/dt")]
    assert dimensions == [a.dimension.iri for a in analysis.alignment]
    rationales = [text(dd) for dd in doc.xpath("//dl[@class='alignment']/dd")]
    assert rationales == [a.rationale for a in analysis.alignment]


def test_stream_page_shows_the_validation_findings_about_the_stream(client: httpx.Client, store) -> None:
    """The SHACL run happens once in the background; the page says so until it is done, then shows the findings."""
    deadline = time.monotonic() + 120
    while True:
        doc = page(client, "/streams/banking/mortgage-lending")
        (section,) = doc.xpath("//section[@id='validation']")
        if section.get("data-state") != "running":
            break
        assert doc.get_element_by_id("validation-running") is not None
        assert time.monotonic() < deadline, "the validation did not finish within two minutes"
        time.sleep(1)
    assert section.get("data-state") == "ready"
    counts = {b.get("data-severity"): b.text for b in section.xpath(".//span[@data-severity]")}
    assert counts == {"Violation": "0 violations", "Warning": "0 warnings", "Info": "2 infos"}
    assert "conforms" in [b.text for b in section.xpath(".//span[contains(@class, 'badge')]")]
    # The only findings are the information that two capabilities have no supporting system: exactly the
    # capabilities the analytics report as unsupported.
    unsupported = {c.iri for stage in analyse_stream(store, MORTGAGE).stages for c in stage.unsupported_capabilities}
    findings = section.xpath(".//tr[@class='finding']")
    assert (
        {f.get("data-focus") for f in findings}
        == unsupported
        == {BANK + "mortgage-advice", BANK + "exception-underwriting"}
    )
    assert {f.get("data-severity") for f in findings} == {"Info"}
    links = {a.get("href") for a in section.xpath(".//tr[@class='finding']/td[2]/a")}
    assert links == {"/capabilities/banking/mortgage-advice", "/capabilities/banking/exception-underwriting"}


# --- capability and system ---------------------------------------------------------------------------------------


def dependants_on_page(doc) -> list[tuple[str, str]]:
    return [
        (row.getparent().get("data-stream"), row.get("data-stage")) for row in doc.xpath("//tr[@class='dependant']")
    ]


@pytest.mark.parametrize(
    "key", ["banking/customer-onboarding", "platform/api-provision", "retail/inventory-management"]
)
def test_capability_page_lists_exactly_the_dependant_stages(client: httpx.Client, store, key: str) -> None:
    impact = capability_impact(store, "https://w3id.org/vskg/data/" + key)
    doc = page(client, "/capabilities/" + key)
    assert text(doc.xpath("//h1")[0]) == impact.subject.label
    assert sorted(dependants_on_page(doc)) == sorted((d.stream.iri, d.stage.iri) for d in impact.dependants)
    assert doc.get_element_by_id("stream-count").text == str(len(impact.streams))
    systems = [li.get("data-system") for li in doc.xpath("//section[@id='related']//li")]
    assert systems == [r.iri for r in impact.related]


def test_capability_page_shows_its_maturity_and_hierarchy(client: httpx.Client) -> None:
    doc = page(client, "/capabilities/banking/customer-onboarding")
    (row,) = doc.xpath("//tr[@class='assessment']")
    # bank:customer-onboarding-assessment: current maturity:Level2, target maturity:Level4, assessed 2026-01-20
    cells = [text(td) for td in row.xpath("./td")]
    assert cells[3:] == ["2", "2026-01-20"]
    assert [a.get("href") for a in row.xpath("./td[2]/a | ./td[3]/a")] == [
        "/id/scheme/maturity/Level2",
        "/id/scheme/maturity/Level4",
    ]
    parents = [a.get("href") for a in doc.xpath("//dl[@class='compact']/dd/a")]
    assert parents == ["/capabilities/banking/customer-management"]


@pytest.mark.parametrize(
    "key", ["banking/cloud-platform", "banking/mortgage-origination-system", "platform/shared-cloud-runtime"]
)
def test_system_page_lists_exactly_the_dependant_stages(client: httpx.Client, store, key: str) -> None:
    impact = system_impact(store, "https://w3id.org/vskg/data/" + key)
    doc = page(client, "/systems/" + key)
    assert text(doc.xpath("//h1")[0]) == impact.subject.label
    assert sorted(dependants_on_page(doc)) == sorted((d.stream.iri, d.stage.iri) for d in impact.dependants)
    capabilities = [li.get("data-capability") for li in doc.xpath("//section[@id='related']//li")]
    assert capabilities == [r.iri for r in impact.related]


def test_system_page_names_the_platform_and_how_stages_depend_on_it(client: httpx.Client) -> None:
    doc = page(client, "/systems/banking/digital-banking-channels")
    runs_on = doc.xpath("//section[@id='platform']//dd/a")
    assert [(a.get("href"), a.text) for a in runs_on] == [("/systems/banking/cloud-platform", "Cloud hosting platform")]
    platform = page(client, "/systems/banking/cloud-platform")
    (row,) = platform.xpath(f"//tr[@class='dependant'][@data-stage='{BANK}explore-mortgage-options'][1]")
    via = row.xpath("./td[@class='via']")[0]
    assert via.xpath("./span[@class='term']")[0].text == "hosts the system"  # the link in words
    assert via.xpath("./span[@class='term']/@title") == ["vskg:runsOn"]  # and the property as a tooltip
    assert via.xpath("./a")[0].get("href") == "/systems/banking/digital-banking-channels"


# --- not found ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/streams/banking/no-such-stream",
        "/streams/banking/customer-onboarding",  # a capability, not a stream
        "/capabilities/banking/mortgage-lending",  # a stream, not a capability
        "/systems/banking/customer-onboarding",
        "/streams/map.svg",
    ],
)
def test_unknown_keys_are_404_as_a_page_or_as_json(client: httpx.Client, path: str) -> None:
    browser = client.get(path)
    assert browser.status_code == 404
    assert browser.headers["content-type"] == "text/html; charset=utf-8"
    doc = lxml_html.fromstring(browser.text)
    assert text(doc.xpath("//h1")[0]) == "Nothing here"
    json_client = client.get(path, headers=JSON)
    assert json_client.status_code == 404
    body = json_client.json()
    assert body["error"]["status"] == 404
    assert body["error"]["message"] == text(doc.get_element_by_id("not-found-message"))


def test_pages_load_nothing_from_elsewhere(client: httpx.Client) -> None:
    for path in ("/", "/streams/banking/mortgage-lending", "/capabilities/banking/customer-onboarding"):
        doc = page(client, path)
        loaded = doc.xpath("//script/@src | //link/@href | //img/@src | //*[local-name()='image']/@href")
        assert loaded and all(url.startswith("/static/") for url in loaded), loaded


def test_an_unknown_address_is_a_page_for_browsers_and_json_for_everyone_else(client: httpx.Client) -> None:
    browser = client.get("/no/such/page", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 404
    assert browser.headers["content-type"] == "text/html; charset=utf-8"
    assert text(lxml_html.fromstring(browser.text).get_element_by_id("not-found-message")) == (
        "There is no page at this address."
    )
    for accept in ("*/*", "application/json"):  # curl, scripts and API clients keep the JSON error
        other = client.get("/no/such/page", headers={"Accept": accept})
        assert other.status_code == 404
        assert other.json()["error"]["message"] == "no such resource; see /docs for the routes this service offers"
