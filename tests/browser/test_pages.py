"""The portfolio, stream and capability pages in Chromium, followed by clicking links as a reader would.

Expected values come from the session's in-memory store (the same bundled data the server holds) or from the
article's stage list in tests/test_examples.py, never from the page itself. The fixture fails a test on any
console error or failed request, so these also prove the pages load cleanly.
"""

from __future__ import annotations

import pyoxigraph

from tests.test_examples import EXAMPLES
from vskg.analytics import capability_impact, list_streams

MORTGAGE = "https://w3id.org/vskg/data/banking/mortgage-lending"
ONBOARDING = "https://w3id.org/vskg/data/banking/customer-onboarding"


def _text(element) -> str:
    return " ".join((element.get_attribute("textContent") or "").split())


def test_overview_lists_every_stream(browser, store: pyoxigraph.Store) -> None:
    browser.open("/")
    count = browser.wait_for("#stream-count")
    streams = list_streams(store)
    assert count.text == str(len(streams))
    rows = browser.all("tr.stream-row[data-stream]")
    assert sorted(row.get_attribute("data-stream") for row in rows) == sorted(ref.iri for ref in streams)
    assert browser.one("title").get_attribute("textContent") == "Portfolio · vskg"


def test_overview_leads_to_the_mortgage_stream_and_its_map(browser) -> None:
    browser.open("/")
    browser.wait_for(f'tr[data-stream="{MORTGAGE}"] td.stream-name a').click()
    browser.wait_for("div.map svg g.stage")
    assert browser.driver.current_url.endswith("/streams/banking/mortgage-lending")
    assert browser.one("h1").text == "Mortgage lending"
    stages = browser.all("div.map svg g.stage")
    assert len(stages) == len(EXAMPLES["Mortgage lending"]) == 8
    labels = [_text(g.find_element("css selector", "text.label")) for g in stages]
    assert labels == EXAMPLES["Mortgage lending"]
    table = [_text(cell) for cell in browser.all("tr.stage-row td.stage-label a")]
    assert table == EXAMPLES["Mortgage lending"]


def test_stream_page_leads_to_a_capability_page(browser, store: pyoxigraph.Store) -> None:
    browser.open("/streams/banking/mortgage-lending")
    row = browser.wait_for('tr.stage-row[data-stage="https://w3id.org/vskg/data/banking/application-submission"]')
    link = row.find_element("css selector", 'a[href="/capabilities/banking/customer-onboarding"]')
    assert link.text == "Customer onboarding"
    link.click()
    browser.wait_for_text("h1", "Customer onboarding")
    impact = capability_impact(store, ONBOARDING)
    dependants = browser.all("tr.dependant")
    assert [(d.get_attribute("data-stage")) for d in dependants] == [d.stage.iri for d in impact.dependants]
    assert browser.one("#stream-count").text == str(len(impact.streams)) == "1"
