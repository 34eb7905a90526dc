"""Which writes keep the portfolio analysis: only those that cannot touch what the analyses read."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from vskg.analytics.reads import quads_may_change_analysis, update_may_change_analysis
from vskg.service.memo import Memo

KEPT = [
    'INSERT DATA { <urn:x> <urn:note> "a" }',
    'INSERT DATA { GRAPH <urn:g> { <https://example.org/s> <http://purl.org/dc/terms/subject> "x" } }',
    'DELETE DATA { <urn:x> <urn:note> "a" }',
    'PREFIX ex: <urn:ex:> INSERT DATA { ex:a ex:b 1, 2 ; ex:c "vskg:leadTimeHours" }',
]
CHANGED = [
    "INSERT DATA { <urn:x> <https://w3id.org/vskg/ontology#leadTimeHours> 3 }",
    "PREFIX vskg: <https://w3id.org/vskg/ontology#> INSERT DATA { <urn:x> vskg:hasStage <urn:y> }",
    "INSERT DATA { <urn:x> a <urn:Thing> }",
    'INSERT DATA { <urn:x> <http://www.w3.org/2000/01/rdf-schema#label> "x" }',
    "DELETE WHERE { <urn:x> ?p ?o }",
    "DROP ALL",
    "CLEAR GRAPH <urn:g>",
    "INSERT DATA { <urn:x> unknown:p 1 }",
    'INSERT DATA { <urn:x> <urn:p> "unterminated }',
    "INSERT DATA { <urn:x> <urn:p> <https://w3id.org/vskg/scheme/mca/Cost> }",
]


@pytest.mark.parametrize("text", KEPT)
def test_a_write_of_other_terms_keeps_the_analysis(text: str) -> None:
    assert update_may_change_analysis(text) is False


@pytest.mark.parametrize("text", CHANGED)
def test_a_write_that_may_touch_what_is_read_drops_it(text: str) -> None:
    assert update_may_change_analysis(text) is True


def test_quads_are_judged_by_their_terms() -> None:
    plain = Quad(NamedNode("urn:x"), NamedNode("urn:note"), Literal("a"), NamedNode("urn:g"))
    typed = Quad(NamedNode("urn:x"), NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), NamedNode("urn:T"))
    assert quads_may_change_analysis([plain]) is False
    assert quads_may_change_analysis([plain, typed]) is True


def test_the_memo_keeps_an_analysis_across_a_write_that_cannot_change_it() -> None:
    memo, calls = Memo(), []
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert memo.analysis("p", compute) == 1
    memo.advance(analysis=False)
    assert memo.analysis("p", compute) == 1
    assert memo.get("page", compute) == 2  # other values are still dropped by every write
    memo.advance()
    assert memo.analysis("p", compute) == 3
