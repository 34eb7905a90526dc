"""The dependency analysis of shapes (vskg.validation.dependencies): which predicates each top shape reads, and the
walk from a changed triple back to the focus nodes, written as SPARQL property paths."""

from __future__ import annotations

from vskg.validation.dependencies import (
    EMPTY,
    UNBOUNDED,
    Read,
    bundled,
    inverse,
    occurrences,
    sparql_path,
    sparql_reads,
)

V = "https://w3id.org/vskg/ontology#"
SH = "https://w3id.org/vskg/shapes#"
P, Q = ("p", "urn:p"), ("p", "urn:q")


def _reads(shape: str) -> set[tuple[str, str, str | None]]:
    return {
        (
            (r.predicate or "*").removeprefix(V),
            r.start,
            None if r.back is None else sparql_path(r.back).replace(V, ""),
        )
        for r in bundled().shapes[SH + shape].reads
    }


def test_occurrences_and_inverse_of_paths() -> None:
    path = ("seq", (P, ("star", ("inv", Q))))
    assert list(occurrences(path, "urn:q")) == [
        (("seq", (P, ("star", ("inv", Q)))), True, ("star", ("inv", Q))),
    ]
    assert list(occurrences(path, "urn:p")) == [(EMPTY, False, ("star", ("inv", Q)))]
    assert inverse(path) == ("seq", (("star", Q), ("inv", P)))
    assert sparql_path(inverse(path)) == "((<urn:q>)*/^<urn:p>)"


def test_stage_order_unique_reads_through_the_stream() -> None:
    reads = _reads("StageOrderUniqueShape")
    assert ("stageOrder", "s", "()") in reads
    assert ("stageOrder", "s", "((<stageOf>|^<hasStage>)/(^<stageOf>|<hasStage>))") in reads
    assert ("hasStage", "s", "(^<stageOf>|<hasStage>)") in reads
    assert all(b is not None for _, _, b in reads)


def test_cycles_walk_to_the_ancestors() -> None:
    assert ("subCapabilityOf", "o", "(<subCapabilityOf>)*") in _reads("CapabilityCycleShape")
    assert ("subCapabilityOf", "s", "()") in _reads("CapabilityCycleShape")  # its sh:targetSubjectsOf
    assert ("subCapabilityOf", "o", "(<subCapabilityOf>)*") in _reads("CapabilitySupportedShape")


def test_range_shapes_read_the_type_of_the_value() -> None:
    rdf, rdfs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#"
    assert _reads("OperatedByRangeShape") == {
        ("operatedBy", "s", "()"),
        (rdf + "type", "s", "^<operatedBy>"),
        (rdfs + "subClassOf", "s", f"((^<{rdfs}subClassOf>)*/^<{rdf}type>/^<operatedBy>)"),
    }


def test_union_branches_do_not_borrow_each_others_patterns() -> None:
    query = """SELECT $this WHERE {
        { $this <urn:a> ?x . ?x <urn:b> ?y } UNION { ?y <urn:c> ?z }
    }"""
    reads = sparql_reads(query, EMPTY)
    assert Read("urn:b", "s", ("inv", ("p", "urn:a"))) in reads
    assert Read("urn:c", "s", None) in reads  # ?y of the other branch is not joined to $this


def test_not_exists_sees_the_outer_group_and_unknown_constructs_are_unbounded() -> None:
    query = "SELECT $this WHERE { $this <urn:a> ?x FILTER NOT EXISTS { ?x <urn:b> ?y } }"
    assert Read("urn:b", "s", ("inv", ("p", "urn:a"))) in sparql_reads(query, EMPTY)
    assert sparql_reads("SELECT $this WHERE { GRAPH ?g { $this <urn:a> ?x } }", EMPTY) == {UNBOUNDED}
    assert UNBOUNDED in sparql_reads("SELECT $this WHERE { $this !<urn:a> ?x }", EMPTY)


def test_top_shapes_and_components() -> None:
    deps = bundled()
    assert SH + "OperatedByRangeShape" in deps.shapes  # a property shape with its own target is a top shape
    assert SH + "LabelShape" not in deps.shapes
    assert SH + "StageShape" in deps.components[SH + "ValueStreamShape"]  # both reach LabelShape
    assert deps.components[SH + "CapabilityCycleShape"] == {SH + "CapabilityCycleShape"}
    assert not any(r.back is None for top in deps.shapes.values() for r in top.reads), "every bundled shape is bounded"
    assert "http://example.org/unread" not in deps.by_predicate
