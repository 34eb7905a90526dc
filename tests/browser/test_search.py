"""Search and the list tables in Chromium: /search?q= finds a capability, the header box on another page gets there
by keyboard, a list table sorts and filters with the local script, and the folder tree opens.

The module's server also holds tests/fixtures/archimate/value-streams.xml, imported over HTTP first, so the
imported capability "Credit scoring" is found and opened by its short key.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from selenium.webdriver.common.keys import Keys

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "archimate" / "value-streams.xml"
SCORING = "/capabilities/archimate/id-fixture-model/id-cap-scoring"


@pytest.fixture(scope="module", autouse=True)
def imported(live_server) -> None:
    answer = httpx.post(
        f"{live_server.url}/import/archimate?name=value-streams.xml",
        content=FIXTURE.read_bytes(),
        headers=live_server.auth(),
        timeout=60,
    )
    assert answer.status_code == 200, answer.text


def test_search_finds_a_capability_and_opens_it(browser) -> None:
    browser.open("/search?q=credit%20scoring")
    link = browser.wait_for("#search-results tbody td a")
    assert [a.text for a in browser.all("#search-results tbody td:first-child a")] == ["Credit scoring"]
    link.click()
    browser.wait_for_text("h1", "Credit scoring")
    assert browser.driver.current_url.endswith(SCORING)


def test_the_header_search_box_works_from_another_page_by_keyboard(browser) -> None:
    browser.open("/streams/banking/mortgage-lending")
    box = browser.wait_for("header.site form[role=search] input[name=q]")
    box.send_keys("Customer onboarding", Keys.ENTER)
    browser.wait_for("#search-results")
    assert browser.driver.current_url.endswith("/search?q=Customer+onboarding")
    first = browser.one("#search-results tbody tr:first-child td:first-child a")
    assert (first.text, first.get_attribute("href").removeprefix(browser.base)) == (
        "Customer onboarding",
        "/capabilities/banking/customer-onboarding",
    )


def test_a_list_table_sorts_and_filters(browser) -> None:
    browser.open("/systems")
    browser.wait_for("#listing th button.sort")
    names = [td.text for td in browser.all("#listing tbody td:first-child")]
    assert names == sorted(names, key=str.casefold)
    browser.all("#listing th button.sort")[0].click()  # already ascending by name: the first click sorts ascending
    browser.all("#listing th button.sort")[0].click()
    assert [td.text for td in browser.all("#listing tbody td:first-child")] == sorted(names, key=str.casefold)[::-1]
    assert browser.one("#listing th:first-child").get_attribute("aria-sort") == "descending"
    browser.one("label.table-filter input").send_keys("loan origination")
    visible = [row for row in browser.all("#listing tbody tr") if row.is_displayed()]
    assert [row.get_attribute("data-key") for row in visible] == ["archimate/id-fixture-model/id-app"]


def test_the_folder_tree_opens_to_an_element(browser) -> None:
    browser.open("/models/archimate/id-fixture-model")
    summary = browser.wait_for("#folders li.folder li.folder summary")
    assert not browser.one("#folders li.folder li.folder li.item a").is_displayed()
    summary.click()
    link = browser.wait_for("#folders li.folder li.folder li.item a")
    assert link.text == "Broken stream"
    link.click()
    browser.wait_for_text("h1", "Broken stream")
    assert browser.driver.current_url.endswith("/streams/archimate/id-fixture-model/id-broken")
