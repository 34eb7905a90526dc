"""The SHACL run of /validate happens in a child process that has a deadline and dies with the service (issue 9)."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import httpx

from tests.conftest import FIXTURES
from tests.hostile.conftest import pid_alive
from tests.server import assert_error, running_server

MINIMAL = (FIXTURES / "valid" / "minimal.ttl").read_bytes()
TURTLE = {"Content-Type": "text/turtle"}


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def settled(url: str) -> None:
    """Wait until the store's own background validation has finished, so its child process is no longer there."""
    deadline = time.monotonic() + 300
    while httpx.get(f"{url}/validate", timeout=30).status_code == 503:
        assert time.monotonic() < deadline, "the store's validation did not finish"
        time.sleep(0.2)


def copy_store(template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    shutil.copytree(template, folder)
    return folder


def test_a_run_past_the_deadline_is_stopped_with_503(bundled_store_template: Path, tmp_path: Path) -> None:
    folder = copy_store(bundled_store_template, tmp_path)
    with running_server(folder, extra_env={"VSKG_VALIDATE_TIMEOUT": "0.05"}) as server:
        settled(server.url)
        before = set(_children(server.process.pid))
        answer = httpx.post(f"{server.url}/validate", content=MINIMAL, headers=TURTLE, timeout=60)
        message = assert_error(answer, 503)
        assert message == (
            "the validation took longer than 0.05 s and was stopped (the limit is set by VSKG_VALIDATE_TIMEOUT)"
        )
        assert set(_children(server.process.pid)) == before  # the validation process was killed and reaped
        assert httpx.get(f"{server.url}/health", timeout=5).status_code == 200


def test_the_validation_process_dies_with_the_server(bundled_store_template: Path, tmp_path: Path) -> None:
    folder = copy_store(bundled_store_template, tmp_path)
    with running_server(folder) as server:
        settled(server.url)
        before = set(_children(server.process.pid))
        answer = httpx.post(f"{server.url}/validate", content=MINIMAL, headers=TURTLE, timeout=60)
        assert answer.status_code == 200
        (validator,) = set(_children(server.process.pid)) - before
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(10)
        for _ in range(100):
            if not pid_alive(validator):
                break
            time.sleep(0.1)
        assert not pid_alive(validator)
