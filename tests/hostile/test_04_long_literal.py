"""Issue 9, case 4: a 15 MB literal to /validate kept a thread busy for more than 13 minutes.

rdflib's N-Triples parser was quadratic in the literal's length; the data now goes from pyoxigraph to the validation
process as N-Triples read back by pyoxigraph (linear), and the run has a deadline in a process of its own.
"""

from __future__ import annotations

import httpx

from tests.hostile.conftest import Survivor

LITERAL = b'<http://example.org/a> <http://example.org/p> "' + b"x" * (15 * 1024 * 1024) + b'" .\n'


def test_a_15_mb_literal_is_validated(survivor: Survivor) -> None:
    answer = httpx.post(
        f"{survivor.url}/validate", content=LITERAL, headers={"Content-Type": "application/n-triples"}, timeout=120
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"conforms": True, "counts": {"Violation": 0, "Warning": 0, "Info": 0}, "results": []}
    survivor.check()
