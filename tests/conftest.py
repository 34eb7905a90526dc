"""Shared fixtures: the bundled model located once, and one in-memory store over it for read-only tests."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from vskg.graphs import memory_store
from vskg.resources import Bundle, locate

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    return locate()


@pytest.fixture(scope="session")
def store() -> pyoxigraph.Store:
    """The vocabulary and every bundled example; tests must not write to it."""
    return memory_store()
