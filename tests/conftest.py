"""Shared fixtures: the bundled model located once, and one in-memory store over it for read-only tests."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from vskg.graphs import memory_store
from vskg.resources import Bundle, locate

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The Oxigraph and Virtuoso servers that the remote-backend tests (tests/store, tests/w3c) run against.
pytest_plugins = ["tests.store.servers"]


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    return locate()


@pytest.fixture(scope="session")
def store() -> pyoxigraph.Store:
    """The vocabulary and every bundled example; tests must not write to it."""
    return memory_store()


@pytest.fixture(scope="session")
def bundled_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled graph in a store folder, built once per test session; servers work on copies."""
    from tests.server import prepare_store

    return prepare_store(tmp_path_factory.mktemp("template") / "store")


@pytest.fixture(scope="module")
def live_server(bundled_store_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """A real `vskg serve` on a free port over a private copy of the bundled store, writes enabled with a token."""
    import shutil

    from tests.server import running_server

    folder = tmp_path_factory.mktemp("live") / "store"
    shutil.copytree(bundled_store_template, folder)
    with running_server(folder) as server:
        yield server
