"""An imported ArchiMate value stream in Chromium: its stream page shows the stages in flow order, the handoffs built
from its Flow and Triggering relationships, and the systems found by the derivation rules (none of them drawn
straight to a stage or capability in the file).

The model is tests/fixtures/archimate/derivation.xml, imported over HTTP into the module's server first.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "archimate" / "derivation.xml"
STREAM = "/streams/archimate/id-derivation-model/id-s"


@pytest.fixture(scope="module", autouse=True)
def imported(live_server) -> None:
    answer = httpx.post(
        f"{live_server.url}/import/archimate?name=derivation.xml",
        content=FIXTURE.read_bytes(),
        headers=live_server.auth(),
        timeout=60,
    )
    assert answer.status_code == 200, answer.text


def cells(row, column: int) -> list[str]:
    return [a.text for a in row.find_elements("css selector", f"td:nth-child({column}) a")]


def test_the_stream_page_of_an_imported_stream_shows_stages_handoffs_and_derived_systems(browser) -> None:
    browser.open(STREAM)
    browser.wait_for_text("h1", "Claim handling")
    rows = browser.all("#stages tr.stage-row")
    assert [(r.find_element("css selector", "td.num").text, r.find_element("css selector", "td.stage-label").text)
            for r in rows] == [("1", "Register"), ("2", "Assess"), ("3", "Pay")]  # fmt: skip
    assert [(cells(r, 7), cells(r, 8)) for r in rows] == [
        (["Claim intake"], ["CRM"]),
        (["Damage assessment"], ["Claims system", "Loop app"]),
        (["Payment"], ["Payments engine"]),
    ]
    handoffs = browser.all("#handoffs tr.handoff-row")
    assert [[td.text for td in h.find_elements("css selector", "td")][:2] for h in handoffs] == [
        ["Register", "Assess"],
        ["Assess", "Pay"],
    ]
    # a derived system opens its own page by its short key
    browser.one("#stages tr.stage-row:first-child td:nth-child(8) a").click()
    browser.wait_for_text("h1", "CRM")
    assert "/systems/archimate/id-derivation-model/" in browser.driver.current_url
