"""Label columns beside IRI columns (vskg.result_labels): which columns, which label, the queries that fetch them."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode

from vskg.labels import RDFS_LABEL, SKOS_PREF_LABEL
from vskg.result_labels import (
    LABEL_BATCH,
    best_labels,
    distinct_iris,
    iri_columns,
    label_names,
    label_queries,
    with_labels,
)

A, B, C = NamedNode("https://example.org/a"), NamedNode("https://example.org/b"), NamedNode("https://example.org/c")
LABEL, PREF = NamedNode(RDFS_LABEL), NamedNode(SKOS_PREF_LABEL)


def test_iri_columns_are_those_holding_an_iri_somewhere() -> None:
    rows = [(Literal("x"), None, BlankNode("b"), A), (A, None, Literal("y"), None)]
    assert iri_columns(["p", "q", "r", "s"], rows) == [0, 3]
    assert distinct_iris(rows, [0, 3]) == [A]
    assert distinct_iris([(B, A), (A, C), (B, B)], [0, 1]) == [B, A, C]


def test_best_label_prefers_english_rdfs_label_then_pref_label() -> None:
    candidates = [
        (A, PREF, Literal("A preferred", language="en")),
        (A, LABEL, Literal("A deutsch", language="de")),
        (A, LABEL, Literal("A", language="en")),
        (B, PREF, Literal("B plain")),
        (B, PREF, Literal("B", language="en-GB")),
        (B, LABEL, Literal("B français", language="fr")),
        (C, LABEL, Literal("Zed")),
        (C, LABEL, Literal("Ced")),  # among equals the first in alphabetical order
        (BlankNode("n"), LABEL, Literal("not an IRI")),
    ]
    assert best_labels(candidates) == {
        A.value: Literal("A", language="en"),
        B.value: Literal("B", language="en-GB"),
        C.value: Literal("Ced"),
    }


def test_label_columns_follow_their_iri_column() -> None:
    variables = ["x", "n", "y"]
    rows = [(A, Literal("1"), B), (Literal("text"), Literal("2"), C), (None, Literal("3"), A)]
    labels = {A.value: Literal("A", language="en"), B.value: Literal("B")}
    names, out = with_labels(variables, rows, [0, 2], labels)
    assert names == ["x", "x_label", "n", "y", "y_label"]
    assert out == [
        (A, Literal("A", language="en"), Literal("1"), B, Literal("B")),
        (Literal("text"), None, Literal("2"), C, None),
        (None, None, Literal("3"), A, Literal("A", language="en")),
    ]


def test_label_names_never_clash_with_the_result_s_own() -> None:
    assert label_names(["x", "x_label", "x_label_", "y"], [0, 3]) == ["x_label__", "y_label"]


def test_one_query_per_batch_of_iris() -> None:
    iris = [NamedNode(f"https://example.org/r{i}") for i in range(LABEL_BATCH + 1)]
    texts = list(label_queries(iris))
    assert len(texts) == 2
    assert texts[1] == (
        "SELECT ?resource ?predicate ?label WHERE { "
        f"VALUES ?resource {{ <https://example.org/r{LABEL_BATCH}> }} "
        f"VALUES ?predicate {{ <{RDFS_LABEL}> <{SKOS_PREF_LABEL}> }} "
        "?resource ?predicate ?label FILTER(isLiteral(?label)) }"
    )
    assert texts[0].count("<https://example.org/r") == LABEL_BATCH
    assert list(label_queries([])) == []
