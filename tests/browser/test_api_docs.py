"""/docs (Swagger UI) and /redoc in Chromium: both render the whole API, and no request leaves 127.0.0.1.

The expected operations come from the server's own /openapi.json (read with httpx, not through the page). Every
request the page makes is read from Chromium's network log: each must go to the test server (or be a `data:` or
`blob:` address, which never leave the browser). A request the Content-Security-Policy refuses would be a console
error, which the `browser` fixture fails the test on.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import httpx
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import Browser

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def documented_operations(base: str) -> list[tuple[str, str, str]]:
    """(METHOD, path, summary) of each operation the server's OpenAPI description lists."""
    described = httpx.get(f"{base}/openapi.json", timeout=30).json()
    return sorted(
        (method.upper(), path, operation["summary"])
        for path, item in described["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    )


def requests_made(browser: Browser) -> tuple[list[str], list[str]]:
    """The addresses the tab asked for since the last call, and the requests that failed or got 400 or more.

    Reading the network log empties it, so the failures the `browser` fixture would look for are returned here.
    """
    addresses, failures = [], []
    for entry in browser.driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            addresses.append(params["request"]["url"])
        elif message["method"] == "Network.loadingFailed" and not params.get("canceled"):
            failures.append(f"request failed: {params.get('errorText')} ({params.get('blockedReason')})")
        elif message["method"] == "Network.responseReceived" and params["response"]["status"] >= 400:
            failures.append(f"HTTP {params['response']['status']} for {params['response']['url']}")
    return addresses, failures


def assert_stayed_local(browser: Browser, expected: set[str]) -> None:
    """Every request went to the test server; the paths asked for are ``expected`` (the favicon aside: Chromium
    asks for it once per session, so whether a page asks depends on which test ran first)."""
    addresses, failures = requests_made(browser)
    here = urlsplit(browser.base).netloc
    assert here.startswith("127.0.0.1:")
    outside = [a for a in addresses if urlsplit(a).scheme not in ("data", "blob") and urlsplit(a).netloc != here]
    assert outside == []
    assert failures == []
    local = {urlsplit(a).path for a in addresses if urlsplit(a).netloc == here}
    assert local - {"/static/favicon.svg"} == expected


def test_swagger_ui_lists_every_operation_offline(browser: Browser) -> None:
    operations = documented_operations(browser.base)
    # 42, and the capability map as SVG (GET /capability-map/{key}.svg)
    assert len(operations) == 43 and ("POST", "/sparql", "SPARQL query by POST") in operations
    browser.open("/docs")
    browser.wait_for("#swagger-ui .opblock")
    WebDriverWait(browser.driver, 15).until(lambda d: len(browser.all("#swagger-ui .opblock")) >= len(operations))
    shown = sorted(
        (
            block.find_element(By.CSS_SELECTOR, ".opblock-summary-method").text,
            block.find_element(By.CSS_SELECTOR, ".opblock-summary-path").get_attribute("data-path"),
            block.find_element(By.CSS_SELECTOR, ".opblock-summary-description").text,
        )
        for block in browser.all("#swagger-ui .opblock")
    )
    assert shown == operations
    assert browser.one("#swagger-ui .info .title").text.startswith("vskg")
    assert_stayed_local(
        browser,
        {
            "/docs",
            "/static/vendor/swagger-ui/swagger-ui.css",
            "/static/vendor/swagger-ui/swagger-ui-bundle.js",
            "/openapi.json",
        },
    )


def test_redoc_lists_every_operation_offline(browser: Browser) -> None:
    operations = documented_operations(browser.base)
    browser.open("/redoc")
    # Tags start folded in the menu, so its entries are in the DOM but not visible: wait for their number.
    menu = "redoc .menu-content li[data-item-id*='/operation/']"
    WebDriverWait(browser.driver, 30).until(lambda d: len(browser.all(menu)) >= len(operations))
    entries = browser.all(menu)
    shown = sorted(
        (
            entry.find_element(By.CSS_SELECTOR, ".operation-type").get_attribute("type"),
            entry.get_attribute("aria-label"),
        )
        for entry in entries
    )
    assert shown == sorted((method.lower(), summary) for method, _, summary in operations)
    # The middle column documents each operation (a heading per operation, by the same anchor as the menu).
    headings = browser.all("redoc .api-content h2 > a[href*='/operation/']")
    assert len(headings) == len(operations)
    # The menu's footer shows ReDoc's logo, from this server (the vendored script was changed to ask here).
    logo = "return document.querySelector('redoc img[alt=\"redocly logo\"]')?.complete === true"
    WebDriverWait(browser.driver, 15).until(lambda d: d.execute_script(logo))
    assert_stayed_local(
        browser,
        {
            "/redoc",
            "/static/vendor/redoc/redoc.standalone.js",
            "/static/vendor/redoc/logo-mini.svg",
            "/openapi.json",
        },
    )
