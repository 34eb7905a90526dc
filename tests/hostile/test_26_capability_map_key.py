"""Case 26: the organisation key of ``/capability-map/{key}`` (page and ``.svg``) only ever names an IRI.

The key becomes an IRI (below the data namespace, or as given when it is a whole IRI), which pyoxigraph's
`NamedNode` checks before it is written into the map's queries; keys over 2,000 characters are refused before any
query. So a key that tries to close the IRI and add SPARQL, to reach a file, or to be too long is a 404 naming the
key (cut at 80 characters), the SVG route answers no SVG for it, the store is unchanged and the server stays up.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from tests.hostile.conftest import Survivor

TAIL = "none by that name runs a value stream or has a capability map; /capability-map lists them"


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("banking/retail-bank> } ; DROP ALL ; SELECT * { <x", "'banking/retail-bank> } ; DROP ALL ; SELECT * { <x'"),
        ("https://x/> } } INSERT DATA { <a> <b> <c> } #", "'https://x/> } } INSERT DATA { <a> <b> <c> } #'"),
        ("../../../../etc/passwd", "'../../../../etc/passwd'"),
        ("file:///etc/passwd", "'file:///etc/passwd'"),
        ("banking/retail-bank\u0000", "'banking/retail-bank\\x00'"),
        ("b" * 3_000, "'" + "b" * 80 + "...'"),
    ],
)
def test_keys_that_are_no_organisation_are_a_404_naming_them(survivor: Survivor, key: str, shown: str) -> None:
    for suffix in ("", ".svg"):
        # percent-encoded whole (slashes too), so that neither the client nor the router resolves ../ or drops #...
        url = f"{survivor.url}/capability-map/{quote(key, safe='')}{suffix}"
        answer = httpx.get(url, headers={"Accept": "application/json"}, timeout=30)
        assert answer.status_code == 404, answer.text
        assert "svg" not in answer.headers.get("content-type", "")
        assert answer.json()["error"]["message"] == f"no organisation has the key {shown}: {TAIL}"
        survivor.check()


def test_a_real_key_still_draws_after_the_hostile_ones(survivor: Survivor) -> None:
    answer = httpx.get(f"{survivor.url}/capability-map/banking/retail-bank.svg", timeout=30)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("image/svg+xml")
    assert answer.text.count("<a ") == 15  # the bank's 15 capabilities, each a link to its page
    survivor.check()
