"""Case 9: 40 KB of quote characters to /update is a 400, and the event loop keeps answering meanwhile."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.hostile.conftest import Survivor


@pytest.mark.parametrize("quote", ['"', "'"])
def test_quote_flood_is_refused_without_blocking(survivor: Survivor, quote: str) -> None:
    answers: list[httpx.Response] = []

    def send() -> None:
        answers.append(
            httpx.post(
                f"{survivor.url}/update",
                content=(quote * 40_000).encode(),
                headers={"Content-Type": "application/sparql-update", **survivor.auth()},
                timeout=60,
            )
        )

    sender = threading.Thread(target=send)
    sender.start()
    started = time.monotonic()
    health = httpx.get(f"{survivor.url}/health", timeout=5)
    assert health.status_code == 200
    assert time.monotonic() - started < 1.0
    sender.join(60)
    survivor.refused(answers[0], 400, "malformed update")
