"""`vskg.validation.delta`: the exact change of the data view for a write, read before it; and its undo.

Also `vskg.validation.where` (the effect of one DELETE/INSERT ... WHERE operation) and `guarded`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, Triple

from vskg.analytics.live import Change
from vskg.store import LocalStore
from vskg.validation.delta import Delta, delta_of, measure, undo
from vskg.validation.findings import Finding
from vskg.validation.gate import Unmeasurable, WriteRefused, guarded
from vskg.validation.view import SHAPES_GRAPH
from vskg.validation.where import where_change

P = NamedNode("urn:p")
XSD_DECIMAL = NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


def t(s: str, o: str | Literal) -> Triple:
    return Triple(NamedNode(f"urn:{s}"), P, o if isinstance(o, Literal) else NamedNode(f"urn:{o}"))


def q(s: str, o: str | Literal, graph: str | None) -> Quad:
    triple = t(s, o)
    return Quad(triple.subject, triple.predicate, triple.object, NamedNode(graph) if graph else DefaultGraph())


@pytest.fixture()
def store(tmp_path: Path) -> LocalStore:
    db = LocalStore(tmp_path / "store")
    db.update(
        "INSERT DATA { GRAPH <urn:h> { <urn:a> <urn:p> <urn:b> . <urn:c> <urn:p> 2.5 } "
        "GRAPH <urn:g> { <urn:a> <urn:p> <urn:b> . <urn:x> <urn:p> <urn:y> } "
        f"GRAPH <{SHAPES_GRAPH}core> {{ <urn:s> <urn:p> <urn:t> }} }}"
    )
    yield db
    db.close()


def dumped(db: LocalStore) -> bytes:
    buffer = io.BytesIO()
    db.dump(buffer)
    return buffer.getvalue()


def test_a_triple_another_graph_holds_is_not_added(store: LocalStore) -> None:
    change = Change.of_update("INSERT DATA { GRAPH <urn:k> { <urn:x> <urn:p> <urn:y> . <urn:n> <urn:p> <urn:m> } }")
    assert delta_of(store, change) == Delta(frozenset({t("n", "m")}), frozenset())


def test_a_literal_is_compared_in_the_form_the_store_keeps(store: LocalStore) -> None:
    change = Change.of_update(
        'INSERT DATA { GRAPH <urn:k> { <urn:c> <urn:p> "2.50"^^<http://www.w3.org/2001/XMLSchema#decimal> } }'
    )
    assert delta_of(store, change) == Delta()


def test_delete_data_of_absent_quads_removes_nothing(store: LocalStore) -> None:
    change = Change.of_update(
        "DELETE DATA { GRAPH <urn:g> { <urn:n> <urn:p> <urn:m> } GRAPH <urn:k> { <urn:a> <urn:p> <urn:b> } }"
    )
    assert delta_of(store, change) == Delta()


def test_removing_from_one_graph_what_another_keeps_is_no_removal(store: LocalStore) -> None:
    change = Change.of_update("DELETE DATA { GRAPH <urn:g> { <urn:a> <urn:p> <urn:b> . <urn:x> <urn:p> <urn:y> } }")
    assert delta_of(store, change) == Delta(frozenset(), frozenset({t("x", "y")}))


def test_a_put_removes_the_old_content_and_adds_the_new(store: LocalStore) -> None:
    change = Change.replaced("urn:g", [q("x", "y", "urn:g"), q("n", "m", "urn:g")])
    assert delta_of(store, change) == Delta(frozenset({t("n", "m")}), frozenset())
    emptied = Change.replaced("urn:g", [])
    assert delta_of(store, emptied) == Delta(frozenset(), frozenset({t("x", "y")}))  # a-p-b stays in urn:h


def test_a_drop_removes_what_no_other_graph_holds(store: LocalStore) -> None:
    assert delta_of(store, Change.dropped("urn:h")) == Delta(
        frozenset(), frozenset({t("c", Literal("2.5", datatype=XSD_DECIMAL))})
    )
    assert delta_of(store, Change.dropped("urn:nothing")) == Delta()


def test_steps_apply_in_order(store: LocalStore) -> None:
    change = Change([("drop", "urn:g", []), ("add", "urn:g", [q("x", "y", "urn:g")])])
    assert delta_of(store, change) == Delta()


def test_the_shapes_graph_is_not_part_of_the_data_view(store: LocalStore) -> None:
    change = Change.of_update(f"INSERT DATA {{ GRAPH <{SHAPES_GRAPH}core> {{ <urn:n> <urn:p> <urn:m> }} }}")
    assert delta_of(store, change) == Delta()
    assert delta_of(store, Change.dropped(f"{SHAPES_GRAPH}core")) == Delta()


def test_an_unknown_change_has_an_unknown_delta(store: LocalStore) -> None:
    delta = delta_of(store, Change.unknown())
    assert delta == Delta.unknown() and not delta.known and bool(delta)


INSERT = "INSERT DATA { GRAPH <urn:k> { <urn:n> <urn:p> <urn:m> } GRAPH <urn:g> { <urn:c> <urn:p> 1 } }"
DELETE = "DELETE DATA { GRAPH <urn:g> { <urn:a> <urn:p> <urn:b> } GRAPH <urn:h> { <urn:c> <urn:p> 2.5 } }"
WRITES = {
    "insert": (lambda db: db.update(INSERT), Change.of_update(INSERT)),
    "delete": (lambda db: db.update(DELETE), Change.of_update(DELETE)),
    "put": (
        lambda db: db.replace_graph("urn:g", [q("n", "m", "urn:g")]),
        Change.replaced("urn:g", [q("n", "m", "urn:g")]),
    ),
    "put-new": (
        lambda db: db.replace_graph("urn:new", [q("n", "m", "urn:new")]),
        Change.replaced("urn:new", [q("n", "m", "urn:new")]),
    ),
    "drop": (lambda db: db.drop_graph("urn:h"), Change.dropped("urn:h")),
}


@pytest.mark.parametrize("name", WRITES)
def test_undo_puts_the_store_back_byte_for_byte(store: LocalStore, name: str) -> None:
    write, change = WRITES[name]
    before, graphs = dumped(store), store.graphs()
    measured = measure(store, change)
    write(store)
    assert dumped(store) != before
    assert undo(store, measured.effects) is True
    assert (dumped(store), store.graphs()) == (before, graphs)


def test_where_change_evaluates_the_where_clause_once_for_both_templates(store: LocalStore) -> None:
    text = (
        "DELETE { GRAPH ?g { ?s <urn:p> ?o } } INSERT { GRAPH <urn:k> { ?s <urn:q> ?o } } "
        "USING NAMED <urn:g> WHERE { GRAPH ?g { ?s <urn:p> ?o } }"
    )
    change = where_change(store, text)
    assert change is not None
    deleted, inserted = change.steps[0][2], change.steps[1][2]
    assert sorted(map(str, deleted)) == sorted(map(str, [q("a", "b", "urn:g"), q("x", "y", "urn:g")]))
    assert sorted(str(x.triple) for x in inserted) == ["<urn:a> <urn:q> <urn:b>", "<urn:x> <urn:q> <urn:y>"]
    delta = delta_of(store, change)
    q_triples = {
        Triple(NamedNode("urn:a"), NamedNode("urn:q"), NamedNode("urn:b")),
        Triple(NamedNode("urn:x"), NamedNode("urn:q"), NamedNode("urn:y")),
    }
    assert delta == Delta(frozenset(q_triples), frozenset({t("x", "y")}))  # a-p-b stays in urn:h


def test_where_change_with_with_and_the_short_form(store: LocalStore) -> None:
    change = where_change(store, "WITH <urn:h> DELETE { ?s <urn:p> ?o } WHERE { ?s <urn:p> ?o FILTER isLiteral(?o) }")
    assert change is not None
    assert delta_of(store, change) == Delta(frozenset(), frozenset({t("c", Literal("2.5", datatype=XSD_DECIMAL))}))
    short = where_change(store, "DELETE WHERE { GRAPH <urn:g> { ?s <urn:p> ?o } }")
    assert short is not None and delta_of(store, short) == Delta(frozenset(), frozenset({t("x", "y")}))


@pytest.mark.parametrize(
    "text",
    [
        "CLEAR GRAPH <urn:g>",
        "DROP GRAPH <urn:g>",
        "DELETE WHERE { ?s ?p ?o } ; DELETE WHERE { ?s ?p ?o }",
        "INSERT DATA { <urn:a> <urn:p> 1 } ; DELETE WHERE { ?s ?p ?o }",
        "INSERT DATA { <urn:a> <urn:p> 1 }",
    ],
)
def test_where_change_leaves_other_updates_unmeasured(store: LocalStore, text: str) -> None:
    assert where_change(store, text) is None


F1 = Finding("Violation", "urn:a", "urn:shape", "broken")
F2 = Finding("Warning", "urn:b", "urn:shape", "odd", path="urn:p")


class Saying:
    """A check that says the write added ``findings``, and records the deltas it was shown."""

    def __init__(self, *findings: Finding) -> None:
        self.findings = list(findings)
        self.shown: list[Delta] = []

    def before(self, store, delta: Delta) -> None:
        self.shown.append(delta)

    def after(self, store, probe) -> list[Finding]:
        return self.findings


def test_guarded_undoes_a_write_that_adds_a_violation(store: LocalStore) -> None:
    before = dumped(store)
    change = Change.of_update(INSERT)
    with pytest.raises(WriteRefused) as refused:
        guarded(store, lambda db: measure(db, change), lambda db: db.update(INSERT), check=Saying(F2, F1))
    assert refused.value.findings == [F2, F1] and refused.value.exact
    assert dumped(store) == before
    check = Saying(F2)
    passed = guarded(store, lambda db: measure(db, change), lambda db: db.update(INSERT) or "done", check=check)
    assert (passed.result, passed.findings) == ("done", [F2])
    assert check.shown == [passed.delta] and passed.delta.added and not passed.delta.removed
    assert dumped(store) != before


def test_guarded_does_not_run_a_write_it_cannot_measure(store: LocalStore) -> None:
    before = dumped(store)
    with pytest.raises(Unmeasurable):
        guarded(store, lambda db: measure(db, Change.unknown()), lambda db: db.drop_graph("urn:g"))
    assert dumped(store) == before
