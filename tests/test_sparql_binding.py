"""Values written into SPARQL text (vskg.sparql_binding): the constants, where they go, and values that fight back."""

from __future__ import annotations

import pyoxigraph
import pytest
from pyoxigraph import Literal, NamedNode

from vskg.sparql_binding import BindingError, UnsafeTerm, bind, term_text
from vskg.sparql_lexer import STRING, tokenize

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "https://example.org/"


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(
        b"@prefix ex: <https://example.org/> .\n"
        b'ex:a ex:label "a" ; ex:size 1 ; ex:next ex:b .\nex:b ex:label "b" ; ex:size 2 ; ex:next ex:c .\n'
        b'ex:c ex:label "c" ; ex:size 3 .\n',
        format=pyoxigraph.RdfFormat.TURTLE,
    )
    return store


def rows(store: pyoxigraph.Store, text: str, **options) -> tuple[list[str], list[tuple]]:
    result = store.query(text, **options)
    names = [v.value for v in result.variables]
    return names, [tuple(None if row[n] is None else str(row[n]) for n in names) for row in result]


# --- the constants -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "text"),
    [
        (NamedNode(EX + "a?b=c#d"), "<https://example.org/a?b=c#d>"),
        (Literal("plain"), '"plain"'),
        (Literal('say "hi"\\ \n\r\tnow'), '"say \\"hi\\"\\\\ \\n\\r\\tnow"'),
        (Literal("\\u0022 }"), '"\\\\u0022 }"'),
        (Literal("bonjour", language="fr-ca"), '"bonjour"@fr-ca'),
        (Literal("7", datatype=NamedNode(XSD + "integer")), f'"7"^^<{XSD}integer>'),
        (Literal("2026-01-01", datatype=NamedNode(XSD + "date")), f'"2026-01-01"^^<{XSD}date>'),
    ],
)
def test_terms_are_written_in_n_triples_form(term, text: str) -> None:
    assert term_text(term) == text


@pytest.mark.parametrize("value", ["a\x00b", "bell\x07", "esc\x1b[0m", "del\x7f"])
def test_text_that_cannot_travel_is_refused(value: str) -> None:
    with pytest.raises(UnsafeTerm):
        term_text(Literal(value))


def test_every_term_reads_back_as_itself(store: pyoxigraph.Store) -> None:
    terms = [
        NamedNode(EX + "x"),
        Literal('q"uo\\te\n{ } > SERVICE <http://127.0.0.1/> #'),
        Literal("\\u0022) } UNION { ?s ?p ?o } #"),
        Literal("x", language="en"),
        Literal("1.5", datatype=NamedNode(XSD + "decimal")),
        Literal("true", datatype=NamedNode(XSD + "boolean")),
    ]
    for term in terms:
        result = list(store.query(f"SELECT ?v WHERE {{ BIND({term_text(term)} AS ?v) }}"))
        assert result[0]["v"] == term


# --- where they go -------------------------------------------------------------------------------------------


def test_top_level_projection_keeps_the_column(store: pyoxigraph.Store) -> None:
    text = "PREFIX ex: <https://example.org/> SELECT ?s ?o WHERE { ?s ex:next ?o } ORDER BY ?s"
    bound = bind(text, {"o": NamedNode(EX + "c")})
    assert rows(store, bound) == (["s", "o"], [(f"<{EX}b>", f"<{EX}c>")])
    assert "?o" not in bound.split("WHERE")[1]  # the engine sees the IRI in the pattern


def test_a_sub_select_sharing_the_variable_is_bound_inside() -> None:
    text = "SELECT ?s ?o WHERE { { SELECT ?s ?o WHERE { ?s ?p ?o } } } ORDER BY ?o"
    bound = bind(text, {"o": NamedNode(EX + "c")})
    tokens = [t.text for t in tokenize(bound).tokens]
    assert tokens == [
        "SELECT", "?s", "(", f"<{EX}c>", "AS", "?o", ")", "WHERE", "{", "{", "SELECT", "?s", "WHERE", "{", "?s",
        "?p", f"<{EX}c>", "}", "}", "}", "ORDER", "BY", "(", f"<{EX}c>", ")",
    ]  # fmt: skip


def test_a_sub_select_of_its_own_keeps_its_variable(store: pyoxigraph.Store) -> None:
    """As pyoxigraph's substitution: a sub-select that does not project ?o has a ?o of its own."""
    text = (
        "PREFIX ex: <https://example.org/> SELECT ?o ?n WHERE { { SELECT (COUNT(?o) AS ?n) WHERE { ?s ex:next ?o } } }"
    )
    values = {"o": NamedNode(EX + "c")}
    assert rows(store, bind(text, values)) == rows(store, text, substitutions={pyoxigraph.Variable("o"): values["o"]})
    assert rows(store, bind(text, values))[1] == [(f"<{EX}c>", f'"2"^^<{XSD}integer>')]


def test_a_sub_select_projecting_only_the_parameter_stays_valid(store: pyoxigraph.Store) -> None:
    text = "SELECT ?o (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?o WHERE { ?s ?p ?o } } } GROUP BY ?o"
    values = {"o": NamedNode(EX + "c")}
    assert rows(store, bind(text, values)) == rows(store, text, substitutions={pyoxigraph.Variable("o"): values["o"]})


def test_bound_becomes_true(store: pyoxigraph.Store) -> None:
    text = 'SELECT ?x ?y WHERE { BIND(IF(BOUND(?x), "given", "absent") AS ?y) }'
    assert rows(store, bind(text, {"x": Literal("v")})) == (["x", "y"], [('"v"', '"given"')])
    assert rows(store, bind(text, {})) == (["x", "y"], [(None, '"absent"')])


def test_limit_takes_the_number(store: pyoxigraph.Store) -> None:
    text = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 2"
    assert len(rows(store, bind(text, {}, {2: 1}))[1]) == 1
    assert len(rows(store, bind(text, {}, {2: -5}))[1]) == 0
    assert bind(text, {}, {3: 1}) == text  # not the number the file holds: left alone


def test_the_variable_is_found_as_a_token_not_as_text(store: pyoxigraph.Store) -> None:
    text = 'SELECT ?x ?note WHERE { BIND("?x stays" AS ?note) } # ?x in a comment'
    bound = bind(text, {"x": Literal("v")})
    assert bound.endswith('BIND("?x stays" AS ?note) } # ?x in a comment')
    assert rows(store, bound) == (["x", "note"], [('"v"', '"?x stays"')])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("SELECT * WHERE { ?s ?p ?x }", "instead of SELECT *"),
        ("SELECT ?x WHERE { BIND(1 AS ?x) }", "computed by the query"),
        ("SELECT ?x WHERE { { SELECT (1 AS ?x) WHERE {} } }", "computed by a sub-select"),
        ("SELECT ?x WHERE { VALUES ?x { 1 } }", "VALUES header"),
        ("SELECT ?x WHERE { VALUES (?y ?x) { (1 2) } }", "VALUES header"),
        ('SELECT ?x WHERE { "unterminated }', "cannot be read"),
    ],
)
def test_texts_that_cannot_take_a_value_are_refused(text: str, problem: str) -> None:
    with pytest.raises(BindingError, match=problem):
        bind(text, {"x": Literal("v")})


# --- values that try to become query text ---------------------------------------------------------------------

HOSTILE_STRINGS = [
    '" } UNION { ?s ?p ?o } #',
    "' } UNION { ?s ?p ?o } #",
    '"""',
    '\\" } UNION { ?s ?p ?o } #',
    "\\u0022 } UNION { ?s ?p ?o } #",
    "\\U00000022) } #",
    'a"\n} SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #',
    "> } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o",
    "\r\n}\r\n",
    "\\",
]


@pytest.mark.parametrize("value", HOSTILE_STRINGS)
def test_a_hostile_string_is_one_string_token(store: pyoxigraph.Store, value: str) -> None:
    text = "PREFIX ex: <https://example.org/> SELECT ?s ?label WHERE { ?s ex:label ?label } ORDER BY ?s"
    bound = bind(text, {"label": Literal(value)})
    before, after = tokenize(text).tokens, tokenize(bound).tokens
    assert tokenize(bound).complete
    strings = [t for t in after if t.kind == STRING]
    assert len(strings) == 2 and len(after) == len(before) + 4  # '(' value AS ')' around the column
    assert rows(store, bound) == (["s", "label"], [])  # matches nothing, reaches nothing
    assert next(iter(store.query(f"SELECT ?v WHERE {{ BIND({strings[0].text} AS ?v) }}")))["v"] == Literal(value)


@pytest.mark.parametrize(
    "value",
    [EX + "a> } UNION { ?s ?p ?o", EX + "a\n", EX + 'a"', EX + "a{", EX + "a\\u003E", EX + "a b", "", EX + "\x00"],
)
def test_an_iri_that_would_end_early_is_refused(value: str) -> None:
    with pytest.raises((UnsafeTerm, ValueError)):
        term_text(NamedNode(value))
