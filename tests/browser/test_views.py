"""ArchiMate views in Chromium: from /views a view opens, its SVG shows every node and connection of the view (as
counted in the exchange file itself), and an element in the picture leads to the element's page."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from lxml import etree

from tests.server import LiveServer

ARCHIMATE = Path(__file__).resolve().parents[1] / "fixtures" / "archimate"
FILES = [ARCHIMATE / "views.xml", ARCHIMATE / "external" / "aoeff31-visual-paradigm.xml"]
A = "{http://www.opengroup.org/xsd/archimate/3.0/}"
RELATIONSHIPS_VIEW = "id-9a578be1-0cde-4e09-91e6-f0742708a0da"  # 'Relationships' in the Visual Paradigm file


def counted(path: Path, identifier: str) -> tuple[int, int]:
    (view,) = [v for v in etree.parse(str(path)).iter(f"{A}view") if v.get("identifier") == identifier]
    return len(view.findall(f".//{A}node")), len(view.findall(f"{A}connection"))


@pytest.fixture(scope="module", autouse=True)
def imported(live_server: LiveServer) -> None:
    for path in FILES:
        answer = httpx.post(
            f"{live_server.url}/import/archimate",
            params={"name": path.name},
            content=path.read_bytes(),
            headers=live_server.auth(),
            timeout=60,
        )
        assert answer.status_code == 200, answer.text


def test_a_view_opens_from_the_list_and_shows_its_nodes(browser) -> None:
    browser.open("/")
    browser.wait_for('header nav a[href="/views"]').click()
    browser.wait_for("#views")
    assert browser.one("#view-count").text == "6"
    assert browser.one("title").get_attribute("textContent") == "ArchiMate views · vskg"
    row = browser.one(f'tr.view-row[data-key="Id-nVnkOI6GAqACmCbt/{RELATIONSHIPS_VIEW}"]')
    row.find_element("css selector", "a.view-link").click()
    browser.wait_for("figure.archimate-view svg g.node")
    assert browser.one("h1").text == "Relationships"
    nodes = browser.all("figure.archimate-view svg g.node")
    lines = browser.all("figure.archimate-view svg g.connection path.line")
    assert (len(nodes), len(lines)) == counted(FILES[1], RELATIONSHIPS_VIEW) == (24, 27)
    shown = {" ".join((n.get_attribute("textContent") or "").split()) for n in nodes}
    assert "Business Actor2 (BusinessActor)Business Actor2" in shown  # the tooltip, then the name


def test_an_element_of_the_picture_leads_to_its_page(browser) -> None:
    browser.open("/views/id-views-model/id-v-support")
    box = browser.wait_for('figure.archimate-view svg g.node[data-identifier="id-n2-cap"]')
    assert len(browser.all("figure.archimate-view svg g.node")) == 2
    assert box.find_element("xpath", "..").get_dom_attribute("href") == "/id/archimate/model/id-views-model/id-e-cap"
    box.click()
    browser.wait_for_text("h1", "Credit scoring")
    # the /id/ page sends a browser on to the page of its kind: the import made the element a vskg capability
    assert browser.driver.current_url.startswith(browser.base + "/capabilities/")
