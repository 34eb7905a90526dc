"""Hostile case 4 (process side): SIGTERM left a server that no longer listened but did not exit while a long
request ran, and the page-validation child process outlived its server's SIGKILL (parent pid 1) and ran for 48
minutes.

Now `vskg serve` gives requests a few seconds after SIGTERM, then kills its children and exits; the page
validation child dies with the server whatever the way it ends (the kernel kills it when its parent goes); and a
page validation that runs past its time limit (VSKG_PAGE_VALIDATION_TIMEOUT) is stopped and reported as failed.
Each case runs its own server, since each ends it."""

from __future__ import annotations

import contextlib
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph
import pytest

from bench.synthetic import generate
from tests.hostile.conftest import pid_alive
from tests.server import TOKEN, LiveServer, assert_error, running_server
from vskg.store import LocalStore

# A cross product of the store with itself, three times: it never finishes within the test's lifetime.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HTML = {"Accept": "text/html"}
PAGE_LIMIT = 0.25  # seconds the store's validation may take here; validating the store below takes longer


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
        if parent == pid:
            found.append(int(entry.name))
    return found


def gone(pids: list[int], within: float) -> bool:
    """Whether every one of ``pids`` has exited (a zombie awaiting its reaper counts as exited) within ``within`` s."""
    until = time.monotonic() + within
    while time.monotonic() < until:
        if not [pid for pid in pids if pid_alive(pid) and _state(pid) != "Z"]:
            return True
        time.sleep(0.05)
    return False


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


@pytest.fixture()
def store_copy(bundled_store_template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    shutil.copytree(bundled_store_template, folder)
    return folder


def test_sigterm_during_a_long_request_stops_the_server_within_seconds(store_copy: Path) -> None:
    with running_server(store_copy, timeout=300) as server:
        children = children_of(server.process.pid)
        assert len(children) >= 2  # the query engine and multiprocessing's resource tracker
        answers: list[object] = []

        def ask() -> None:
            try:
                answers.append(httpx.get(f"{server.url}/sparql", params={"query": ENDLESS}, timeout=120))
            except httpx.HTTPError as failure:
                answers.append(failure)

        long_request = threading.Thread(target=ask)
        long_request.start()
        time.sleep(1)  # the query is running in the engine by now
        assert not answers
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=10)  # without the fix it waits for the query: 300 s
        long_request.join(10)
        assert len(answers) == 1
        cut_off = isinstance(answers[0], httpx.RemoteProtocolError)
        assert cut_off or assert_error(answers[0], 503) == "the service is shutting down; try again when it is back"
        assert gone(children, within=2), "the query engine outlived the server"


@pytest.fixture()
def slow_to_validate(store_copy: Path) -> Iterator[LiveServer]:
    """A server whose store takes several seconds to validate (sixty synthetic streams), with a short page limit."""
    text, _ = generate(60, 5)
    store = LocalStore(store_copy)
    store.replace_graph("urn:vskg:test:synthetic", list(pyoxigraph.parse(text.encode(), pyoxigraph.RdfFormat.TURTLE)))
    store.close()
    with running_server(store_copy, extra_env={"VSKG_PAGE_VALIDATION_TIMEOUT": str(PAGE_LIMIT)}) as server:
        yield server


def test_store_validation_has_a_time_limit_and_nothing_outlives_the_server(slow_to_validate: LiveServer) -> None:
    server = slow_to_validate
    url = f"{server.url}/streams/banking/mortgage-lending"
    failed = f"The validation could not run: the validation took longer than {PAGE_LIMIT:g} s and was stopped"
    until = time.monotonic() + 60
    while failed not in (page := httpx.get(url, headers=HTML, timeout=30)).text:
        assert page.status_code == 200
        assert "could not run" not in page.text, page.text
        assert time.monotonic() < until, "the page never reported the stopped validation"
        time.sleep(0.5)
    report = httpx.get(f"{server.url}/validate", timeout=30)
    assert report.status_code == 503 and "took longer than" in report.json()["error"]["message"]

    # A write moves the store on and starts a new step; the service keeps answering meanwhile.
    put = httpx.put(
        f"{server.url}/store",
        params={"graph": "urn:vskg:test:one-more"},
        content=b"<urn:vskg:test:a> <urn:vskg:test:b> <urn:vskg:test:c> .",
        headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {TOKEN}"},
        timeout=60,
    )
    assert put.status_code == 201
    assert httpx.get(url, headers=HTML, timeout=30).status_code == 200
    everything = children_of(server.process.pid)
    assert everything, "the store's engine runs as a child of the server"
    server.process.kill()
    server.process.wait(5)
    assert gone(everything, within=2), "a child process outlived the server's SIGKILL"


def test_a_query_worker_busy_with_a_runaway_query_dies_with_a_killed_server(store_copy: Path) -> None:
    with running_server(store_copy, timeout=300) as server:
        workers = children_of(server.process.pid)
        assert len(workers) >= 2

        def ask() -> None:
            with contextlib.suppress(httpx.HTTPError):  # the server is killed under it
                httpx.get(f"{server.url}/sparql", params={"query": ENDLESS}, timeout=30)

        threading.Thread(target=ask, daemon=True).start()
        time.sleep(1)  # a worker is deep in the cross product: it reads no pipe, so only the kernel can stop it
        server.process.kill()
        server.process.wait(5)
        assert gone(workers, within=2), "a busy query worker outlived the server's SIGKILL"
