"""Downloads in the browser tests: Chromium saves them into a folder of the test's own, where the test reads them."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait


def save_downloads_in(driver: WebDriver, folder: Path) -> Path:
    """From now on this browser saves every download into ``folder``, without asking."""
    folder.mkdir(parents=True, exist_ok=True)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    return folder


def _complete(folder: Path) -> list[Path]:
    files = list(folder.iterdir())
    return [] if any(p.suffix == ".crdownload" for p in files) else files


def downloaded(driver: WebDriver, folder: Path, name: str, timeout: float = 20) -> bytes:
    """The bytes of the file ``name`` once Chromium has finished writing it into ``folder``."""
    WebDriverWait(driver, timeout).until(lambda _: folder / name in _complete(folder))
    return (folder / name).read_bytes()


def only_download(driver: WebDriver, folder: Path, timeout: float = 20) -> Path:
    """The one file Chromium saved into the (otherwise empty) ``folder``, whatever the server named it."""
    WebDriverWait(driver, timeout).until(lambda _: len(_complete(folder)) == 1)
    return _complete(folder)[0]
