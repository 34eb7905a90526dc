"""The browser fixture really sees what it is meant to fail on: console errors, failed and refused requests."""

from __future__ import annotations

from tests.browser.conftest import Browser


def test_console_errors_and_error_responses_are_reported(browser: Browser) -> None:
    browser.open("/query")
    browser.wait_for("#catalogue-select")
    browser.driver.execute_script("console.error('deliberate failure for the harness test')")
    # WebDriver waits for a promise the script returns, so the response is in the log when this returns.
    assert browser.driver.execute_script("return fetch('/static/no-such-file.js').then(r => r.status)") == 404
    problems = browser.problems()
    assert any("deliberate failure for the harness test" in p for p in problems), problems
    assert any(p.startswith("HTTP 404 for ") and p.endswith("/static/no-such-file.js") for p in problems), problems
    browser.allow("no-such-file")  # the teardown check must not trip over what this test provoked


def test_a_request_that_leaves_the_machine_is_reported(browser: Browser) -> None:
    browser.open("/validation")
    browser.wait_for("#validation-form")
    browser.driver.execute_script("return fetch('http://example.invalid/x').catch(() => 'refused')")
    problems = browser.problems()
    assert any("request failed" in p for p in problems), problems
    browser.allow("request failed")
    browser.allow("example.invalid")
