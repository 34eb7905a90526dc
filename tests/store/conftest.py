"""The `backend` fixture: the same contract tests on the embedded store and on each real SPARQL server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from vskg.store import LocalStore
from vskg.store.base import Backend

BACKENDS = ["local", "oxigraph", "virtuoso"]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path) -> Iterator[Backend]:
    """An empty store of each kind: a LocalStore in a fresh folder, or a RemoteStore on a cleared server."""
    if request.param == "local":
        store = LocalStore(tmp_path / "store")
        yield store
        store.close()
        return
    server = request.getfixturevalue(f"{request.param}_server")
    server.clear()
    store = server.store()
    yield store
    store.close()


@pytest.fixture(params=BACKENDS[1:])
def remote_backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """A RemoteStore on each cleared server."""
    server = request.getfixturevalue(f"{request.param}_server")
    server.clear()
    store = server.store()
    yield store
    store.close()
