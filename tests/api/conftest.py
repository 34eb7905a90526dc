"""What the HTTP tests share: a client on the module's live server."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.server import LiveServer


@pytest.fixture(scope="module")
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        yield http
