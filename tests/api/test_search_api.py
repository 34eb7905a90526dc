"""/api/search over the bundled data plus an imported model: which names match, in which order, and what is refused.

The module's server holds the bundled store and tests/fixtures/archimate/value-streams.xml, imported over HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.server import LiveServer, assert_error

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "archimate" / "value-streams.xml"
M = "https://w3id.org/vskg/archimate/model/id-fixture-model"
DATA = "https://w3id.org/vskg/data/"


@pytest.fixture(scope="module")
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=60) as http:
        answer = http.post(
            "/import/archimate?name=value-streams.xml", content=FIXTURE.read_bytes(), headers=live_server.auth()
        )
        assert answer.status_code == 200, answer.text
        yield http


def search(client: httpx.Client, q: str, **params: str) -> dict:
    answer = client.get("/api/search", params={"q": q, **params})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_an_imported_capability_is_found_by_part_of_its_name(client: httpx.Client) -> None:
    assert search(client, "credit SCOR") == {
        "q": "credit SCOR",
        "truncated": False,
        "results": [
            {
                "iri": M + "/id-cap-scoring",
                "key": "archimate/id-fixture-model/id-cap-scoring",
                "label": "Credit scoring",
                "type": "vskg:Capability",
                "href": "/capabilities/archimate/id-fixture-model/id-cap-scoring",
                "matched": "Credit scoring",
            }
        ],
    }


def test_names_in_other_languages_and_folder_labels_are_searched(client: httpx.Client) -> None:
    (model,) = search(client, "kreditmodell")["results"]  # the model's German am:name
    assert (model["key"], model["label"], model["type"], model["matched"]) == (
        "archimate/id-fixture-model",
        "Lending model",
        "am:Model",
        "Kreditmodell",
    )
    folders = [
        r for r in search(client, "streams")["results"] if r["key"] == "archimate/id-fixture-model/id-folder-streams"
    ]
    assert [(r["label"], r["type"], r["href"]) for r in folders] == [
        ("Streams", "am:Organization", "/id/archimate/model/id-fixture-model/id-folder-streams")
    ]
    assert search(client, "Every value stream.")["results"] == []  # a folder's documentation is no name


def test_alternative_labels_are_searched(client: httpx.Client) -> None:
    found = search(client, "level 3")["results"]
    assert [(r["label"], r["matched"]) for r in found] == [("Defined", "Level 3")]
    assert found[0]["type"] == "vskg:MaturityLevel"


def test_exact_and_leading_matches_come_first(client: httpx.Client) -> None:
    found = search(client, "lending")["results"]
    leading = [(r["label"], r["key"]) for r in found[:5]]
    assert leading == [
        ("Lending capital", "archimate/id-fixture-model/id-resource"),
        ("Lending fulfilment", "banking/lending-fulfilment"),
        ("Lending model", "archimate/id-fixture-model"),
        ("Lending operations", "archimate/id-fixture-model/id-actor"),
        ("Lending operations", "banking/lending-operations"),
    ]
    assert all("lending" in r["matched"].lower() and not r["matched"].lower().startswith("lending") for r in found[5:])
    assert {r["href"] for r in found} >= {
        "/streams/banking/mortgage-lending",
        "/streams/archimate/id-fixture-model/id-stream",
    }


def test_results_are_capped(client: httpx.Client) -> None:
    capped = search(client, "lending", limit="3")
    assert ([r["label"] for r in capped["results"]], capped["truncated"]) == (
        ["Lending capital", "Lending fulfilment", "Lending model"],
        True,
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "q is required: the text to look for in names and labels"),
        ({"q": "   "}, "q is required: the text to look for in names and labels"),
        ({"q": "x" * 201}, "q is 201 characters long; at most 200 are accepted"),
        ({"q": "a\tb"}, "q must not contain control characters"),
        ({"q": "risk", "limit": "0"}, "limit must be a whole number from 1 to 100, got '0'"),
        ({"q": "risk", "limit": "101"}, "limit must be a whole number from 1 to 100, got '101'"),
    ],
)
def test_bad_searches_are_a_400(client: httpx.Client, params: dict, message: str) -> None:
    assert_error(client.get("/api/search", params=params), 400, message)
