"""Issue 9, case 2: JSON-LD nested 4,000 levels deep (170 KB) crashed the server with SIGSEGV.

The guarded reader counts the nesting outside strings while the parser reads, and stops at 100 levels.
"""

from __future__ import annotations

import httpx

from tests.hostile.conftest import Survivor

DEPTH = 4000
DEEP = ('{"@id": "http://example.org/a", "http://example.org/p": ' * DEPTH + '"x"' + "}" * DEPTH).encode()
JSONLD = {"Content-Type": "application/ld+json"}
REFUSED = "nests arrays and objects deeper than 100 levels"


def test_the_document_is_what_the_issue_describes() -> None:
    assert 150_000 < len(DEEP) < 250_000


def test_validate_refuses_it(survivor: Survivor) -> None:
    answer = httpx.post(f"{survivor.url}/validate", content=DEEP, headers=JSONLD, timeout=30)
    survivor.refused(answer, 400, REFUSED)


def test_put_store_refuses_it(survivor: Survivor) -> None:
    answer = httpx.put(
        f"{survivor.url}/store",
        params={"graph": "urn:hostile:deep"},
        content=DEEP,
        headers={**JSONLD, **survivor.auth()},
        timeout=30,
    )
    survivor.refused(answer, 400, REFUSED)


def test_post_store_refuses_it(survivor: Survivor) -> None:
    answer = httpx.post(f"{survivor.url}/store", content=DEEP, headers={**JSONLD, **survivor.auth()}, timeout=30)
    survivor.refused(answer, 400, REFUSED)


def test_brackets_inside_strings_do_not_count(survivor: Survivor) -> None:
    text = ('{"@id": "http://example.org/a", "http://example.org/p": "' + "[{" * DEPTH + '\\" ]"}').encode()
    answer = httpx.post(f"{survivor.url}/validate", content=text, headers=JSONLD, timeout=60)
    assert answer.status_code == 200, answer.text
    assert answer.json()["conforms"] is True
    survivor.check()
