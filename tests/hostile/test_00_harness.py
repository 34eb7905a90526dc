"""The corpus harness itself: a well-behaved request passes its checks, and the checks do catch a change."""

from __future__ import annotations

import httpx
import pytest

from tests.hostile.conftest import Survivor, fingerprint


def test_a_plain_query_passes_every_check(survivor: Survivor) -> None:
    answer = httpx.get(f"{survivor.url}/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert answer.status_code == 200
    survivor.check()
    peak, _ = survivor.memory_mb()
    assert peak > 50  # the high-water mark is read from the right process


def test_a_write_is_seen_by_the_fingerprint(survivor: Survivor) -> None:
    graph = "urn:vskg:test:harness"
    put = httpx.put(
        f"{survivor.url}/store",
        params={"graph": graph},
        content=b"<urn:a> <urn:b> <urn:c> .",
        headers={"Content-Type": "application/n-triples", **survivor.auth()},
    )
    assert put.status_code == 201
    with pytest.raises(AssertionError, match="the store changed"):
        survivor.check()
    assert (graph, 1) in fingerprint(survivor.server)
    gone = httpx.delete(f"{survivor.url}/store", params={"graph": graph}, headers=survivor.auth())
    assert gone.status_code == 204
    survivor.check()
