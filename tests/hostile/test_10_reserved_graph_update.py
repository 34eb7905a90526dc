"""Case 10: an update naming a graph in the reserved staging namespace is refused, however it spells the name."""

from __future__ import annotations

import httpx
import pytest

from tests.hostile.conftest import Survivor


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { GRAPH <urn:vskg:staging:x> { <urn:a> <urn:b> <urn:c> } }",
        "PREFIX s: <urn:vskg:staging:> INSERT DATA { GRAPH s:x { <urn:a> <urn:b> <urn:c> } }",
        "BASE <urn:vskg:staging:a/> INSERT DATA { GRAPH <x> { <urn:a> <urn:b> <urn:c> } }",
        "INSERT DATA { GRAPH <urn:vskg:st\\u0061ging:x> { <urn:a> <urn:b> <urn:c> } }",
        "CREATE GRAPH <urn:vskg:staging:y>",
    ],
)
def test_reserved_graph_is_refused_and_nothing_is_written(survivor: Survivor, update: str) -> None:
    answer = httpx.post(
        f"{survivor.url}/update",
        content=update.encode(),
        headers={"Content-Type": "application/sparql-update", **survivor.auth()},
        timeout=30,
    )
    survivor.refused(answer, 400, "is a reserved graph")
