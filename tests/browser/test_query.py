"""The /query page in Chromium: a catalogue query run through its form, and SPARQL run through YASGUI.

Expected values come from the session's in-memory store (the same bundled data the server holds) or from the
article's stage list in tests/test_examples.py, never from the page itself.
"""

from __future__ import annotations

import pyoxigraph
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.test_examples import EXAMPLES
from vskg.catalogue import catalogue, run

MORTGAGE = "https://w3id.org/vskg/data/banking/mortgage-lending"
JOURNEY = "https://w3id.org/vskg/data/airline/passenger-journey"

STAGE_COUNTS = """PREFIX vskg: <https://w3id.org/vskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?name (COUNT(DISTINCT ?stage) AS ?stages)
WHERE {
  ?stream a/rdfs:subClassOf* vskg:ValueStream ; rdfs:label ?label ; vskg:hasStage ?stage .
  BIND(STR(?label) AS ?name)
}
GROUP BY ?name
ORDER BY ?name
"""


def _stage_labels(browser) -> list[str]:
    return [cell.text for cell in browser.all('#catalogue-results td[data-var="stageLabel"]')]


def _run_stream_stages(browser, stream: str, first_stage: str) -> None:
    Select(browser.one("#param-stream")).select_by_value(stream)
    browser.one("#catalogue-run").click()
    browser.wait_for_text('#catalogue-results tbody tr:first-child td[data-var="stageLabel"]', first_stage)


def test_catalogue_form_runs_stream_stages_for_the_chosen_stream(browser, store: pyoxigraph.Store) -> None:
    browser.open("/query")
    Select(browser.wait_for("#catalogue-select:enabled")).select_by_value("stream-stages")
    browser.wait_for('form#catalogue-form[data-query="stream-stages"]')

    # The stream parameter is a choice of every stream the catalogue's value-streams query finds in the data.
    streams = {str(row["stream"].value) for row in run(store, catalogue()["value-streams"])}
    options = {option.get_attribute("value") for option in Select(browser.one("#param-stream")).options}
    assert options == streams
    assert Select(browser.one("#param-stream")).first_selected_option.get_attribute("value") == MORTGAGE

    # Another stream first, so the mortgage answer below is known to follow the choice, not the default.
    _run_stream_stages(browser, JOURNEY, EXAMPLES["Passenger journey"][0])
    assert _stage_labels(browser) == EXAMPLES["Passenger journey"]

    mortgage = EXAMPLES["Mortgage lending"]
    _run_stream_stages(browser, MORTGAGE, mortgage[0])
    assert _stage_labels(browser) == mortgage
    assert browser.one("#catalogue-count").text == f"{len(mortgage)} rows"
    streams_column = browser.all('#catalogue-results td[data-var="stream"] a')
    assert [link.get_attribute("pathname") for link in streams_column] == ["/id/data/banking/mortgage-lending"] * 8
    assert browser.one("#catalogue-error").is_displayed() is False


def test_sparql_editor_runs_a_query_against_this_server(browser, store: pyoxigraph.Store) -> None:
    browser.open("/query")
    browser.wait_for("#yasgui .yasqe .CodeMirror")
    driver = browser.driver
    assert driver.execute_script("return vskgYasgui.getTab().getEndpoint()") == browser.base + "/sparql"

    # Ask for completions where LOV's class completer would fetch from lov.linkeddata.es: with only the offline
    # completers enabled nothing leaves the page (the fixture fails the test on any failed request).
    driver.execute_script(
        "const yasqe = vskgYasgui.getTab().getYasqe();"
        "yasqe.setValue('PREFIX vskg: <https://w3id.org/vskg/ontology#>\\nSELECT * WHERE { ?s a vskg:Val');"
        "yasqe.setCursor(yasqe.lastLine(), 1000); yasqe.autocomplete();"
    )
    assert driver.execute_script("return vskgYasgui.getTab().getYasqe().config.autocompleters") == [
        "variables",
        "prefixes",
    ]

    driver.execute_script("vskgYasgui.getTab().getYasqe().setValue(arguments[0])", STAGE_COUNTS)
    browser.one("#yasgui .yasqe_queryButton").click()
    WebDriverWait(driver, 15).until(lambda d: len(d.find_elements("css selector", ".yasr_results tbody tr")) > 1)

    expected = [
        [row["name"].value, f'"{row["stages"].value}"^^xsd:integer']
        for row in store.query(STAGE_COUNTS, use_default_graph_as_union=True)
    ]
    assert len(expected) == len(EXAMPLES)  # one row per value stream of the article
    shown = [
        [cell.text for cell in row.find_elements("css selector", "td")[1:]]
        for row in browser.all(".yasr_results tbody tr")
    ]
    assert shown == expected
    mortgage = next(row for row in shown if row[0] == "Mortgage lending")
    assert mortgage[1] == f'"{len(EXAMPLES["Mortgage lending"])}"^^xsd:integer'


def test_catalogue_query_opens_in_the_editor(browser) -> None:
    browser.open("/query")
    Select(browser.wait_for("#catalogue-select:enabled")).select_by_value("stream-stages")
    browser.wait_for('form#catalogue-form[data-query="stream-stages"]')
    browser.one("#catalogue-edit").click()
    text = catalogue()["stream-stages"].text
    WebDriverWait(browser.driver, 10).until(
        lambda d: d.execute_script("return vskgYasgui.getTab().getYasqe().getValue()").endswith(text)
    )
    value = browser.driver.execute_script("return vskgYasgui.getTab().getYasqe().getValue()")
    assert value.startswith("# In the editor the catalogue parameters are free variables")
    assert f"#   ?stream = {MORTGAGE}\n" in value


def test_a_value_the_api_refuses_is_shown_as_its_error(browser) -> None:
    browser.allow("/queries/handoff-bottlenecks")  # the 400 answer is what this test provokes
    browser.open("/query")
    Select(browser.wait_for("#catalogue-select:enabled")).select_by_value("handoff-bottlenecks")
    browser.wait_for('form#catalogue-form[data-query="handoff-bottlenecks"]')
    limit = browser.one("#param-limit")
    limit.clear()
    limit.send_keys("1e3")  # a number the browser accepts, but not an integer as the catalogue reads one
    browser.one("#catalogue-run").click()
    error = browser.wait_for("#catalogue-error")
    assert error.text == "parameter 'limit': '1e3' is not a valid integer (expected integer)"
    assert browser.one("#catalogue-results").is_displayed() is False


def test_the_editor_shows_a_label_beside_each_iri_column(browser) -> None:
    browser.open("/query")
    browser.wait_for("#yasgui .yasqe .CodeMirror")
    driver = browser.driver
    query = (
        "PREFIX vskg: <https://w3id.org/vskg/ontology#> SELECT ?stage WHERE { "
        "<https://w3id.org/vskg/data/banking/mortgage-lending> vskg:hasStage ?stage } ORDER BY ?stage LIMIT 2"
    )
    driver.execute_script("vskgYasgui.getTab().getYasqe().setValue(arguments[0])", query)
    browser.one("#yasgui .yasqe_queryButton").click()
    WebDriverWait(driver, 15).until(lambda d: len(d.find_elements("css selector", ".yasr_results tbody tr")) == 2)
    headers = [cell.text for cell in browser.all(".yasr_results thead th")][1:]
    assert headers == ["stage", "stage_label"]
    rows = browser.all(".yasr_results tbody tr")
    assert [row.find_elements("css selector", "td")[2].text for row in rows] == [
        '"Affordability assessment"@en',
        '"Application submission"@en',
    ]
    # an ASK is sent without the option (the service refuses labels for it) and still answers
    driver.execute_script("vskgYasgui.getTab().getYasqe().setValue('ASK { ?s ?p ?o }')")
    browser.one("#yasgui .yasqe_queryButton").click()
    WebDriverWait(driver, 15).until(lambda d: "true" in d.find_element("css selector", ".yasr_results").text.lower())
