"""Hostile case 6a: `GET /export/archimate?graph=foo` answered 500 (a graph that is not an absolute IRI reached the
store). A relative graph is a 400 now, and an absolute one the store does not hold a 404."""

from __future__ import annotations

import httpx

from tests.hostile.conftest import Survivor


def test_a_graph_that_is_not_an_iri_is_400(survivor: Survivor) -> None:
    answer = httpx.get(f"{survivor.url}/export/archimate", params={"graph": "foo"})
    message = survivor.refused(answer, 400)
    assert message == (
        "invalid request: the query parameter 'graph': 'foo' is not an absolute IRI "
        "(No scheme found in an absolute IRI)"
    )


def test_a_graph_the_store_does_not_hold_is_404(survivor: Survivor) -> None:
    answer = httpx.get(f"{survivor.url}/export/archimate", params={"graph": "urn:vskg:test:nothing-here"})
    assert survivor.refused(answer, 404) == "the store has no graph <urn:vskg:test:nothing-here>"
