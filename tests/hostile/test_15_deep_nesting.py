"""Found while building the corpus: nesting that makes a parser recurse until the process dies.

- SPARQL: pyoxigraph's parser recurses once per nested group or parenthesis and overflows its stack at a few
  thousand levels. An update runs in the server process, so a 10 KB update of 5,000 nested braces ended the whole
  service with SIGSEGV; a query that deep killed its worker. The SPARQL check now refuses more than 256 levels.
- RDF/XML: pyoxigraph's parser slows down with the square of the element depth (100,000 levels kept it busy for
  minutes). The guarded reader follows the depth with expat and stops at 1,000 levels.
"""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from tests.hostile.conftest import DOCUMENT_PATHS, Survivor
from vskg.safety import MAX_NESTING

DEPTH = 5000
DEEP_UPDATE = "INSERT { <urn:a> <urn:b> <urn:c> } WHERE " + "{" * DEPTH + "}" * DEPTH
DEEP_QUERY = "SELECT * WHERE { FILTER(" + "(" * DEPTH + "1" + ")" * DEPTH + ") }"
DEEP_RDFXML = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="urn:e:">\n'
    + '<rdf:Description rdf:about="urn:s"><e:p>' * 50_000
    + "</e:p></rdf:Description>" * 50_000
    + "</rdf:RDF>\n"
).encode()
NESTED = f"levels deep; this endpoint takes at most {MAX_NESTING}"


def test_the_engine_really_dies_on_such_an_update() -> None:
    """The control: unguarded, pyoxigraph ends the process that parses the update (a stack overflow)."""
    code = f"import pyoxigraph; pyoxigraph.Store().update({DEEP_UPDATE!r})"
    ended = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert ended.returncode == -11  # SIGSEGV


def test_a_deeply_nested_update_is_refused(survivor: Survivor) -> None:
    answer = httpx.post(
        f"{survivor.url}/update",
        content=DEEP_UPDATE.encode(),
        headers={"Content-Type": "application/sparql-update", **survivor.auth()},
        timeout=30,
    )
    survivor.refused(answer, 400, f"the text nests brackets {DEPTH} {NESTED}")


def test_a_deeply_nested_query_is_refused(survivor: Survivor) -> None:
    answer = httpx.post(
        f"{survivor.url}/sparql", content=DEEP_QUERY.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    survivor.refused(answer, 400, f"the text nests brackets {DEPTH + 2} {NESTED}")


def test_a_query_nested_to_the_limit_is_answered(survivor: Survivor) -> None:
    depth = MAX_NESTING - 2  # the WHERE braces and FILTER's own parentheses make two more
    query = "ASK { FILTER(" + "(" * depth + "true" + ")" * depth + ") }"
    answer = httpx.post(
        f"{survivor.url}/sparql",
        content=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["boolean"] is True


@pytest.mark.parametrize("path", DOCUMENT_PATHS)
def test_deeply_nested_rdfxml_is_refused_on_every_way_in(survivor: Survivor, path: str) -> None:
    answer = survivor.send_document(path, DEEP_RDFXML, "application/rdf+xml")
    survivor.refused(answer, 400, "nests elements deeper than 1000 levels")
