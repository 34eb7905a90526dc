"""The /validation page in Chromium: a broken model uploaded as a file, and a document that cannot be read.

The findings the page must show are worked out in this process with vskg.validate (the library behind
POST /validate) and checked against the fixture expectations of tests/test_shapes.py.
"""

from __future__ import annotations

import httpx

from tests.test_shapes import EX, EXPECTED, FIXTURES, VSKGSH
from vskg.validate import validate_files

FIXTURE = FIXTURES / "invalid" / "negative-wait-time.ttl"


def test_uploaded_model_shows_its_violation_under_its_focus_node(browser) -> None:
    report = validate_files([FIXTURE])
    assert {(f.severity, f.source_shape, f.focus_node) for f in report.findings} == {
        (severity, VSKGSH + shape, EX + focus) for severity, shape, focus in EXPECTED[FIXTURE.stem]
    }
    (violation,) = report.findings

    browser.open("/validation")
    browser.wait_for("#validation-file").send_keys(str(FIXTURE))
    browser.one("#validation-run").click()
    browser.wait_for("#validation-report .focus-node")

    assert browser.one("#validation-conforms").text == "Does not conform"
    counts = {
        f.get_attribute("data-severity"): f.find_element("css selector", ".value").text
        for f in browser.all("#validation-summary .figure[data-severity]")
    }
    assert counts == {"Violation": "1", "Warning": "0", "Info": "0"}

    (group,) = browser.all("#validation-report .focus-node")
    assert group.get_attribute("data-focus") == violation.focus_node == EX + "handoff-1-2"
    assert group.find_element("css selector", "h3").text == violation.focus_node
    (finding,) = group.find_elements("css selector", ".finding")
    assert finding.find_element("css selector", ".badge").text == "Violation"
    assert finding.find_element("css selector", ".message").text == violation.message
    assert violation.message.startswith("vskg:waitTimeHours is one number of hours, 0 or more")
    assert finding.find_element("css selector", "dd.path").text == "vskg:waitTimeHours"
    # The file says -3.0; the report gives the value as the validator's store keeps it, in the canonical form of
    # an xsd:decimal (the same number).
    assert finding.find_element("css selector", "dd.value").text == violation.value == "-3"
    assert finding.find_element("css selector", "dd.shape").text == "vskgsh:WaitTimeShape"
    assert browser.one("#validation-error").is_displayed() is False


def test_pasted_document_with_a_syntax_error_shows_the_line(browser, live_server) -> None:
    browser.allow("/validate")  # the 400 answer is what this test provokes
    broken = "@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e ex:f ex:g .\n"
    answer = httpx.post(
        live_server.url.rstrip("/") + "/validate",
        files={"file": ("pasted.ttl", broken.encode(), "text/turtle")},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 400
    message = answer.json()["error"]["message"]
    assert message.startswith("part pasted.ttl, line 3: ")

    browser.open("/validation")
    browser.wait_for("#validation-text").send_keys(broken)
    browser.one("#validation-run").click()
    error = browser.wait_for("#validation-error")
    assert error.text == message
    assert browser.one("#validation-report").is_displayed() is False
