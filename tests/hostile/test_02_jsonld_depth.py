"""Issue 9, case 2: JSON-LD nested 4,000 levels deep (170 KB) crashed the server with SIGSEGV.

The guarded reader counts the nesting outside strings while the parser reads, and stops at 100 levels.
"""

from __future__ import annotations

import httpx
import pytest

from tests.hostile.conftest import DOCUMENT_PATHS, Survivor

DEPTH = 4000
DEEP = ('{"@id": "http://example.org/a", "http://example.org/p": ' * DEPTH + '"x"' + "}" * DEPTH).encode()
JSONLD = {"Content-Type": "application/ld+json"}
REFUSED = "nests arrays and objects deeper than 100 levels"


def test_the_document_is_what_the_issue_describes() -> None:
    assert 150_000 < len(DEEP) < 250_000


@pytest.mark.parametrize("path", DOCUMENT_PATHS)
def test_every_way_in_refuses_it(survivor: Survivor, path: str) -> None:
    survivor.refused(survivor.send_document(path, DEEP, JSONLD["Content-Type"]), 400, REFUSED)


def test_brackets_inside_strings_do_not_count(survivor: Survivor) -> None:
    text = ('{"@id": "http://example.org/a", "http://example.org/p": "' + "[{" * DEPTH + '\\" ]"}').encode()
    answer = httpx.post(f"{survivor.url}/validate", content=text, headers=JSONLD, timeout=60)
    assert answer.status_code == 200, answer.text
    assert answer.json()["conforms"] is True
    survivor.check()
