"""Real-browser tests: Debian's Chromium, headless, driven by Selenium through Debian's chromedriver.

Every test gets a `browser` on a live `vskg serve`. After the test, the browser's console and network log are
read: any console error, any request that failed and any response of status 400 or more fails the test, unless
the test declared it with `browser.allow(...)`. Nothing is downloaded: the driver and the browser come from
Debian (`.ci/run` installs them), and Chromium's own background traffic is switched off.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--window-size=1400,1000",
)


@pytest.fixture(scope="module")
def chrome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@dataclass
class Browser:
    """A Chromium tab on the test server, and the problems it has seen since the test began."""

    driver: WebDriver
    base: str
    allowed: list[str] = field(default_factory=list)

    def open(self, path: str) -> WebDriver:
        self.driver.get(self.base + path)
        return self.driver

    def allow(self, fragment: str) -> None:
        """Accept console or network problems whose text contains ``fragment`` (a failure the test provokes)."""
        self.allowed.append(fragment)

    def wait_for(self, css: str, timeout: float = 15) -> WebElement:
        return WebDriverWait(self.driver, timeout).until(
            expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, css))
        )

    def wait_for_text(self, css: str, text: str, timeout: float = 15) -> WebElement:
        WebDriverWait(self.driver, timeout).until(
            expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, css), text)
        )
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def one(self, css: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def problems(self) -> list[str]:
        """Console errors and warnings, failed requests and responses of 400 or more, not yet reported."""
        found = [
            f"console {entry['level']}: {entry['message']}"
            for entry in self.driver.get_log("browser")
            if entry["level"] in ("SEVERE", "WARNING")
        ]
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            params = message.get("params", {})
            if message["method"] == "Network.loadingFailed" and not params.get("canceled"):
                found.append(f"request failed: {params.get('errorText')} ({params.get('type')})")
            elif message["method"] == "Network.responseReceived" and params["response"]["status"] >= 400:
                response = params["response"]
                found.append(f"HTTP {response['status']} for {response['url']}")
        return [problem for problem in found if not any(fragment in problem for fragment in self.allowed)]


@pytest.fixture
def browser(chrome: WebDriver, live_server) -> Iterator[Browser]:
    chrome.get("about:blank")
    chrome.get_log("browser")  # start each test with empty logs
    chrome.get_log("performance")
    tab = Browser(chrome, live_server.url.rstrip("/"))
    yield tab
    problems = tab.problems()
    assert problems == [], "the browser reported problems:\n" + "\n".join(problems)
