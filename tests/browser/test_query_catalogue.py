"""The /query page's everyday use in Chromium: a picker for a capability, labels beside IRIs, the bookmark a run
leaves in the address bar, and saved queries that survive a reload.

Expected values come from the session's in-memory store (the same bundled data the server holds) or from the
article's stage lists in tests/test_examples.py, never from the page itself.
"""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
import pyoxigraph
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.test_examples import EXAMPLES
from vskg.catalogue import catalogue, run

CAPABILITY = "https://w3id.org/vskg/data/platform/customer-integration"
DEFAULT_CAPABILITY = "https://w3id.org/vskg/data/banking/risk-and-compliance-management"
JOURNEY = "https://w3id.org/vskg/data/airline/passenger-journey"
SAVED_KEY = "vskg.saved-queries"

CAPABILITIES = """PREFIX vskg: <https://w3id.org/vskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?c ?label WHERE {
  ?c a/rdfs:subClassOf* vskg:Capability . OPTIONAL { ?c rdfs:label|skos:prefLabel ?label }
}"""


def _table(browser) -> list[list[str]]:
    rows = browser.all("#catalogue-results tbody tr")
    return [[cell.text for cell in row.find_elements(By.CSS_SELECTOR, "td")] for row in rows]


def _wait_for_rows(browser, count: int) -> None:
    noun = "row" if count == 1 else "rows"
    browser.wait_for_text("#catalogue-count", f"{count} {noun}")


def _open_form(browser, name: str) -> None:
    Select(browser.wait_for("#catalogue-select:enabled")).select_by_value(name)
    browser.wait_for(f'form#catalogue-form[data-query="{name}"]')


def test_a_capability_picker_runs_and_its_bookmark_reopens_the_result(browser, store: pyoxigraph.Store) -> None:
    browser.open("/query")
    _open_form(browser, "capability-impact")
    capabilities = {row["c"].value: row["label"] for row in store.query(CAPABILITIES, use_default_graph_as_union=True)}

    # Before any search the picker offers every capability of the store, the declared default chosen.
    choice = Select(browser.one("#param-capability"))
    assert {option.get_attribute("value") for option in choice.options} == set(capabilities)
    assert choice.first_selected_option.get_attribute("value") == DEFAULT_CAPABILITY
    assert browser.one("#param-capability-status").text == f"{len(capabilities)} capabilities in the store"

    # Typing narrows the choice to the capabilities whose name (or IRI) holds the text, asked of the store.
    browser.one("#param-capability-search").send_keys("Customer")
    browser.wait_for_text("#param-capability-status", "matching “Customer”")
    matching = {
        iri for iri, label in capabilities.items() if "customer" in iri or (label and "customer" in label.value.lower())
    }
    offered = {option.get_attribute("value") for option in Select(browser.one("#param-capability")).options}
    assert offered == matching and CAPABILITY in matching and DEFAULT_CAPABILITY not in matching
    Select(browser.one("#param-capability")).select_by_value(CAPABILITY)
    browser.one("#catalogue-run").click()

    expected = list(run(store, catalogue()["capability-impact"], {"capability": CAPABILITY}))
    assert len(expected) == 8
    _wait_for_rows(browser, len(expected))
    shown = _table(browser)
    variables = [th.text for th in browser.all("#catalogue-results thead th")]
    stage_labels = [row[variables.index("stageLabel")] for row in shown]
    assert stage_labels == [row["stageLabel"].value for row in expected]
    # An IRI shows its label with the IRI beside it, compact, linking to the resource's page.
    stream_cell = browser.one('#catalogue-results tbody tr:first-child td[data-var="stream"]')
    stream = expected[0]["stream"].value
    assert (
        stream_cell.text
        == f"{expected[0]['streamLabel'].value}\ndata:{stream.removeprefix('https://w3id.org/vskg/data/')}"
    )
    assert stream_cell.find_element(By.CSS_SELECTOR, "a").get_attribute("pathname") == "/id/" + stream.removeprefix(
        "https://w3id.org/vskg/"
    )

    # The run is in the address bar: opening that address again runs the same query with the same value.
    bookmark = "/query?" + urlencode({"catalogue": "capability-impact", "capability": CAPABILITY})
    assert browser.driver.current_url == browser.base + bookmark
    browser.driver.get("about:blank")
    browser.open(bookmark)
    _wait_for_rows(browser, len(expected))
    assert _table(browser) == shown
    assert Select(browser.one("#param-capability")).first_selected_option.get_attribute("value") == CAPABILITY
    assert browser.one('form#catalogue-form[data-query="capability-impact"]').is_displayed()
    assert Select(browser.one("#catalogue-select")).first_selected_option.get_attribute("value") == "capability-impact"


def test_a_required_picker_without_default_asks_for_a_choice(browser) -> None:
    browser.open("/query")
    _open_form(browser, "system-impact")
    choice = Select(browser.one("#param-system"))
    assert choice.first_selected_option.text == "Choose…"
    assert choice.first_selected_option.get_attribute("value") == ""
    assert browser.one("#param-system").get_attribute("required") == "true"


def test_saved_queries_survive_a_reload(browser) -> None:
    browser.open("/query")
    browser.driver.execute_script("window.localStorage.removeItem(arguments[0])", SAVED_KEY)
    browser.driver.refresh()
    _open_form(browser, "stream-stages")
    assert browser.one("#saved-empty").is_displayed()

    Select(browser.one("#param-stream")).select_by_value(JOURNEY)
    browser.one("#save-name").send_keys("Journey stages")
    browser.one("#save-catalogue").click()
    browser.wait_for_text("#saved-message", "Saved “Journey stages”.")
    sparql = "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"
    browser.driver.execute_script("vskgYasgui.getTab().getYasqe().setValue(arguments[0])", sparql)
    browser.one("#save-name").send_keys("Triple count")
    browser.one("#save-editor").click()
    browser.wait_for_text("#saved-message", "Saved “Triple count”.")

    browser.driver.refresh()
    browser.wait_for("#catalogue-select:enabled")
    entries = browser.all("#saved-list li")
    assert [entry.get_attribute("data-name") for entry in entries] == ["Journey stages", "Triple count"]
    assert [entry.find_element(By.CSS_SELECTOR, ".muted").text for entry in entries] == [
        f"stream-stages (stream={JOURNEY})",
        f"SPARQL: {sparql}",
    ]
    assert not browser.one("#saved-empty").is_displayed()

    # Loading the catalogue entry fills in its form, runs it and puts it in the address bar.
    browser.one('#saved-list li[data-name="Journey stages"] .saved-load').click()
    journey = EXAMPLES["Passenger journey"]
    _wait_for_rows(browser, len(journey))
    assert [cell.text for cell in browser.all('#catalogue-results td[data-var="stageLabel"]')] == journey
    assert browser.driver.current_url == browser.base + "/query?" + urlencode(
        {"catalogue": "stream-stages", "stream": JOURNEY}
    )
    # Loading the SPARQL entry puts its text in the editor.
    browser.one('#saved-list li[data-name="Triple count"] .saved-load').click()
    assert browser.driver.execute_script("return vskgYasgui.getTab().getYasqe().getValue()") == sparql

    # Deleting one leaves the other, also after a reload.
    browser.one('#saved-list li[data-name="Journey stages"] .saved-delete').click()
    browser.wait_for_text("#saved-message", "Deleted “Journey stages”.")
    browser.driver.refresh()
    browser.wait_for("#catalogue-select:enabled")
    assert [entry.get_attribute("data-name") for entry in browser.all("#saved-list li")] == ["Triple count"]


def test_search_text_reaches_the_store_as_a_string_whatever_it_holds(browser) -> None:
    browser.open("/query")
    _open_form(browser, "capability-impact")
    hostile = 'x" ) } } SELECT * WHERE { ?s ?p ?o } #\\'
    browser.one("#param-capability-search").send_keys(hostile)
    status = browser.wait_for_text("#param-capability-status", "matching")
    assert status.text == f"0 matching “{hostile}”"
    # nothing matched, so the choice is the one made before the search (the harness fails on any 400 answer)
    assert Select(browser.one("#param-capability")).first_selected_option.get_attribute("value") == DEFAULT_CAPABILITY


def test_a_parameter_without_a_class_searches_every_name(browser) -> None:
    browser.open("/query")
    _open_form(browser, "linked-elements")
    choice = Select(browser.one("#param-element"))
    assert [option.text for option in choice.options] == ["Any resource"]
    browser.one("#param-element-search").send_keys("Mortgage lending")
    browser.wait_for_text("#param-element-status", "matching “Mortgage lending”")
    hits = httpx.get(browser.base + "/api/search", params={"q": "Mortgage lending", "limit": "100"}).json()["results"]
    offered = [option.get_attribute("value") for option in Select(browser.one("#param-element")).options]
    assert offered == ["", *[hit["iri"] for hit in hits]]
    assert Select(browser.one("#param-element")).first_selected_option.get_attribute("value") == hits[0]["iri"]
    # a full IRI pasted into the box is offered and chosen as it is
    search = browser.one("#param-element-search")
    search.clear()
    search.send_keys("https://example.org/not-in-the-store")
    browser.wait_for_text("#param-element-status", "matching “https://example.org/not-in-the-store”")
    chosen = Select(browser.one("#param-element")).first_selected_option
    assert chosen.get_attribute("value") == "https://example.org/not-in-the-store"
