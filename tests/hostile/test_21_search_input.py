"""Case 21: search text and type names that try to become SPARQL, or to be too much, are refused or match nothing.

/api/search and /search bind the text as one escaped string literal matched with CONTAINS (no regular
expression); /api/elements takes ``type`` only as a prefixed name or an IRI checked before it reaches the query.
So a quote-and-brace text is an exact empty result, regex metacharacters mean themselves, control characters and
overlong text are a 400, and nothing is written: the store is unchanged and the server up after each request.
"""

from __future__ import annotations

import http.client
from urllib.parse import urlparse

import httpx
import pytest

from tests.hostile.conftest import Survivor

TEXTS_THAT_MATCH_NOTHING = [
    '"} ; DROP ALL #',
    '") } } DROP ALL ; SELECT * WHERE { ?s ?p ?o FILTER("',
    "'} DELETE WHERE { ?s ?p ?o } #",
    "\\u0022) || true || (\\u0022",
    ".*.*.*.*.*.*.*.*.*.*(a+)+$",
    "[^]*\\",
    "<https://w3id.org/vskg/data/banking/mortgage-lending>",
]


@pytest.mark.parametrize("text", TEXTS_THAT_MATCH_NOTHING)
def test_query_like_text_is_an_empty_result(survivor: Survivor, text: str) -> None:
    answer = httpx.get(f"{survivor.url}/api/search", params={"q": text}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"q": text.strip(), "truncated": False, "results": []}
    page = httpx.get(f"{survivor.url}/search", params={"q": text}, headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200
    assert "0 results for" in page.text
    survivor.check()


def test_regex_metacharacters_mean_themselves(survivor: Survivor) -> None:
    # "(the)" would match every label with "the" as a regular expression; as text it matches only a literal "(the)"
    answer = httpx.get(f"{survivor.url}/api/search", params={"q": "(the)"}, timeout=30)
    assert answer.json()["results"] == []
    dotted = httpx.get(f"{survivor.url}/api/search", params={"q": "c.edit"}, timeout=30)
    assert dotted.json()["results"] == []
    survivor.check()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("\u0000", "q must not contain control characters"),
        ("risk\u0000management", "q must not contain control characters"),
        ("risk\nmanagement", "q must not contain control characters"),
        ("x" * 30_000, "q is 30000 characters long; at most 200 are accepted"),
    ],
)
def test_control_characters_and_huge_text_are_refused(survivor: Survivor, text: str, message: str) -> None:
    answer = httpx.get(f"{survivor.url}/api/search", params={"q": text}, timeout=30)
    survivor.refused(answer, 400, message)
    page = httpx.get(f"{survivor.url}/search", params={"q": text}, headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 400
    assert message in page.text and "Traceback" not in page.text
    survivor.check()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("vskg:Capability } ; DROP ALL #", "is neither a prefixed name (such as vskg:Capability) nor an IRI"),
        ("https://w3id.org/vskg/ontology#Capability> } DROP ALL { <x", "is not an IRI"),
        ('am:BusinessProcess" } DROP ALL #', "is neither a prefixed name"),
        ('https://x/" . ?s ?p ?o', "is not an IRI"),
        ("vskg:Capability\u0000", "is neither a prefixed name"),
        ("vskg:" + "A" * 30_000, "type is 30005 characters long; at most 300 are accepted"),
    ],
)
def test_type_values_that_try_injection_are_refused(survivor: Survivor, value: str, message: str) -> None:
    answer = httpx.get(f"{survivor.url}/api/elements", params={"type": value}, timeout=30)
    survivor.refused(answer, 400, message)
    page = httpx.get(f"{survivor.url}/elements", params={"type": value}, headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 400 and "Traceback" not in page.text
    survivor.check()


def test_an_archimate_type_is_one_literal(survivor: Survivor) -> None:
    answer = httpx.get(f"{survivor.url}/api/elements", params={"type": "am:DROP"}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"type": "am:DROP", "limit": 100, "offset": 0, "next_offset": None, "rows": []}
    survivor.check()


@pytest.mark.parametrize("path", ["/api/search?q=", "/search?q=", "/api/elements?type=vskg:"])
def test_a_100000_character_parameter_is_refused_before_any_route(survivor: Survivor, path: str) -> None:
    """Longer than the request line the server reads (32 KiB): 414 with the reason, from the HTTP layer."""
    address = urlparse(survivor.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.request("GET", path + "x" * 100_000, headers={"Accept": "text/html"})
        answer = connection.getresponse()
        body = answer.read()
    finally:
        connection.close()
    assert answer.status == 414
    assert body == (
        b'{"error":{"status":414,"message":"the request line is longer than 32768 bytes; send a long query in a '
        b'POST body instead"}}'
    )
    survivor.check()
