"""Take the README's screenshots of the web UI: the portfolio overview, the mortgage lending stream page and its map.

Run from the repository root with the venv's Python (Debian's chromium and chromedriver must be installed):

    .venv/bin/python docs/screenshots/make_screenshots.py

A `vskg serve` is started on a free port over a temporary store holding the bundled data, so the pictures show
exactly what a fresh installation shows. The stream page is taken once the background validation has finished,
so its validation section shows the findings rather than "still checking".
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from xml.etree import ElementTree

import httpx
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from tests.server import prepare_store, running_server  # noqa: E402 - needs the repository on the path

WIDTH, HEIGHT = 1400, 1000
# name -> (path, window width, window height); the map is taken at its own size (the SVG's width and height).
CAPABILITY = "https%3A%2F%2Fw3id.org%2Fvskg%2Fdata%2Fplatform%2Fincident-management"
SHOTS = {
    "overview.png": ("/", WIDTH, HEIGHT),
    "stream.png": ("/streams/banking/mortgage-lending", WIDTH, HEIGHT),
    "map.png": ("/streams/banking/mortgage-lending/map.svg", None, None),
    "capability-map.png": ("/capability-map/banking/retail-bank", WIDTH, HEIGHT),
    # a bookmarked catalogue run: the page fills in the form from the address and runs it (labels beside IRIs)
    "query.png": (f"/query?catalogue=capability-impact&capability={CAPABILITY}", WIDTH, HEIGHT),
}
# Pages that finish drawing in the browser after they load (the query page runs its query, then fetches labels).
SETTLE = {"query.png": 3.0}


def wait_for_validation(base: str, path: str, timeout: float = 180) -> None:
    """The service validates its store when it starts; poll the stream page until it shows the report."""
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=base, timeout=60, headers={"Accept": "text/html"}) as client:
        client.get("/")
        while 'data-state="running"' in client.get(path).text:
            if time.monotonic() > deadline:
                raise SystemExit("the background validation did not finish in time")
            time.sleep(1)


def svg_size(url: str) -> tuple[int, int]:
    root = ElementTree.fromstring(httpx.get(url, timeout=30).content)
    return int(float(root.get("width", WIDTH))), int(float(root.get("height", HEIGHT)))


def browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={WIDTH},{HEIGHT}",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        store = prepare_store(Path(scratch) / "store")
        with running_server(store, token=None) as server:
            wait_for_validation(server.url, SHOTS["stream.png"][0])
            driver = browser()
            try:
                for name, (path, width, height) in SHOTS.items():
                    if width is None:
                        width, height = svg_size(server.url + path)
                    driver.get(server.url + path)
                    driver.set_window_size(width, height)
                    # The window includes the browser's frame; fix the page area itself to the wanted size.
                    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
                    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
                    time.sleep(SETTLE.get(name, 0.5))
                    driver.save_screenshot(str(HERE / name))
                    print(f"wrote {HERE / name}")
            finally:
                driver.quit()


if __name__ == "__main__":
    main()
