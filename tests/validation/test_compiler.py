"""How the compiler writes a check for a few focus nodes: each node in place, so the store starts from it.

The results are the same either way (tests/validation/test_engine.py compares focus runs with full runs and with
the reference); these tests pin the form, because with ``?this`` bound by VALUES Oxigraph evaluated a SPARQL rule's
whole WHERE over the data for each run (StageOrderContiguousShape: 14 s for one stream at a million triples).
"""

from __future__ import annotations

from vskg.validation.compiler import FEW, compile_constraint
from vskg.validation.shapes import bundled_shapes

VSKGSH = "https://w3id.org/vskg/shapes#"
DATA = "https://w3id.org/vskg/data/banking/"


def constraint(shape: str, component: str):
    top = bundled_shapes().get(VSKGSH + shape)
    return top, next(c for c in top.constraints if c.component == component)


def test_a_sparql_rule_for_a_few_nodes_has_each_node_in_place_of_this() -> None:
    top, rule = constraint("StageOrderContiguousShape", "SPARQLConstraintComponent")
    nodes = [DATA + "mortgage-lending", DATA + "small-business-lending"]
    text = compile_constraint(top, rule, nodes).text
    where = text.split("SELECT DISTINCT", 1)[1]
    assert where.count(" UNION ") >= 1
    assert "$this" not in where and "?this vskg:" not in where
    assert f"?stage vskg:stageOf|^vskg:hasStage <{nodes[0]}>" in where
    assert f"?stage vskg:stageOf|^vskg:hasStage <{nodes[1]}>" in where


def test_a_sparql_rule_for_many_nodes_binds_this_by_values() -> None:
    top, rule = constraint("StageOrderContiguousShape", "SPARQLConstraintComponent")
    nodes = [f"{DATA}stream-{n}" for n in range(FEW + 1)]
    text = compile_constraint(top, rule, nodes).text
    assert "VALUES ?this {" in text and "?stage vskg:stageOf|^vskg:hasStage $this" in text


def test_min_count_over_a_closure_walks_from_a_few_nodes_and_backwards_for_all() -> None:
    top, rule = constraint("CapabilitySupportedShape", "MinCountConstraintComponent")
    assert "MINUS" in compile_constraint(top, rule).text
    few = compile_constraint(top, rule, [DATA + "credit-risk-assessment"]).text
    assert "MINUS" not in few and "FILTER NOT EXISTS" in few
