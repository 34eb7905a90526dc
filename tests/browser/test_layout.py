"""The capability map, print and phone layouts in Chromium.

The capability map must show a box for every capability of an organisation's map, assessed ones coloured, as many
as SPARQL counts in the session's store. Printing is emulated with the DevTools protocol
(``Emulation.setEmulatedMedia``) at the width of an A4 page at 96 dpi (794 px): the mortgage stream's map must fit
that width with all eight stages, and the toggles must be gone. A phone is emulated at 375 px: no page may be wider
than the screen, and every link of the navigation must be on it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph
import pytest

from tests.test_examples import EXAMPLES
from vskg.results import collect

DATA = "https://w3id.org/vskg/data/"
A4_PX = 794  # 210 mm at 96 px to the inch
PHONE_PX = 375
PREFIXES = """PREFIX vskg: <https://w3id.org/vskg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def count(store: pyoxigraph.Store, query: str) -> int:
    (row,) = collect(store.query(PREFIXES + query, use_default_graph_as_union=True)).values()
    return int(row["n"])


@pytest.fixture
def printed(browser) -> Iterator:
    browser.driver.set_window_size(A4_PX, 1100)
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        yield browser
    finally:
        browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        browser.driver.set_window_size(1400, 1000)


@pytest.fixture
def phone(browser) -> Iterator:
    metrics = {"width": PHONE_PX, "height": 800, "deviceScaleFactor": 1, "mobile": True}
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        yield browser
    finally:
        browser.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("key", ["banking/retail-bank", "platform/platform-company"])
def test_the_capability_map_shows_every_assessed_capability(browser, store: pyoxigraph.Store, key: str) -> None:
    organisation = f"<{DATA}{key}>"
    members = count(
        store, f"SELECT (COUNT(DISTINCT ?c) AS ?n) {{ {organisation} vskg:hasCapabilityMap ?m . ?c skos:inScheme ?m }}"
    )
    assessed = count(
        store,
        f"""SELECT (COUNT(DISTINCT ?c) AS ?n) {{ {organisation} vskg:hasCapabilityMap ?m . ?c skos:inScheme ?m ;
              vskg:hasAssessment [ vskg:currentLevel ?current ; vskg:targetLevel ?target ] }}""",
    )
    browser.open(f"/capability-map/{key}")
    browser.wait_for("div.capability-map svg g.capability")
    boxes = browser.all("div.capability-map svg a > g.capability")
    coloured = [box for box in boxes if box.get_attribute("data-bucket") != "unassessed"]
    assert (len(boxes), len(coloured)) == (members, assessed)
    assert assessed > 0 and all(box.is_displayed() for box in boxes)
    # A box leads to its capability's page.
    first = coloured[0]
    iri = first.get_attribute("data-iri")
    first.click()
    browser.wait_for("div.page-head[data-capability]")
    assert browser.one("div.page-head").get_attribute("data-capability") == iri
    assert browser.driver.current_url.endswith("/capabilities/" + iri.removeprefix(DATA))


def test_printing_a_stream_keeps_every_stage_on_the_page(printed) -> None:
    printed.open("/streams/banking/mortgage-lending")
    printed.wait_for("div.map svg g.stage")
    width = printed.driver.execute_script("return document.documentElement.clientWidth")
    assert width <= A4_PX
    stages = printed.driver.execute_script(
        "return [...document.querySelectorAll('div.map svg g.stage')].map(g => {"
        " const r = g.getBoundingClientRect(); return [g.querySelector('text.label').textContent, r.left, r.right]; })"
    )
    assert [" ".join(label.split()) for label, _, _ in stages] == EXAMPLES["Mortgage lending"]
    outside = [(label, left, right) for label, left, right in stages if left < 0 or right > width]
    assert outside == [], f"stages outside the {width} px page"
    assert printed.driver.execute_script("return document.documentElement.scrollWidth") <= width
    hidden = "return [...document.querySelectorAll(arguments[0])].every(e => getComputedStyle(e).display === 'none')"
    for toggles in ("details.workings", "header.site", "form.site-search", "button"):
        assert printed.driver.execute_script(hidden, toggles), toggles


@pytest.mark.parametrize(
    "path", ["/", "/streams/banking/mortgage-lending", "/capability-map/banking/retail-bank", "/ontology"]
)
def test_a_phone_shows_the_whole_navigation_without_sideways_scrolling(phone, path: str) -> None:
    phone.open(path)
    phone.wait_for("header.site nav")
    assert phone.driver.execute_script("return document.documentElement.scrollWidth") <= PHONE_PX
    links = phone.driver.execute_script(
        "return [...document.querySelectorAll('header.site nav a, header.site .brand, header.site button')]"
        ".map(a => { const r = a.getBoundingClientRect(); return [a.textContent.trim(), r.left, r.right]; })"
    )
    assert len(links) == 13  # the brand, eleven links and the search button
    assert [name for name, left, right in links if left < 0 or right > PHONE_PX] == []
