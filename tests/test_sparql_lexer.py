"""The SPARQL tokenizer reads the tricky terminals the way pyoxigraph does, and the checks built on it hold."""

from __future__ import annotations

import contextlib
import time

import pytest

from vskg.safety import MAX_NESTING, Refused, check_query, check_update, keywords, mentions, nesting, service_endpoints
from vskg.sparql_lexer import (
    CACHED_TEXT,
    IRI,
    LANG,
    NUMBER,
    PNAME,
    STRING,
    VAR,
    WORD,
    decode_codepoints,
    hits,
    resolve,
    tokenize,
)

P = "PREFIX ex: <http://example.org/> "


def kinds(text: str) -> list[tuple[str, str]]:
    tokens = tokenize(text)
    assert tokens.complete, tokens.problem
    return [(t.kind, t.text) for t in tokens.tokens]


@pytest.mark.parametrize("escape", list("_~.-!$&'()*+,;=/?#@"))
def test_every_pn_local_escape_stays_inside_the_prefixed_name(escape: str) -> None:
    assert kinds(P + f"ex:a\\{escape}b .SERVICE")[-3:] == [
        (PNAME, f"ex:a\\{escape}b"),
        ("punct", "."),
        (WORD, "SERVICE"),
    ]


def test_an_escaped_percent_makes_an_invalid_iri_which_the_engine_reads_again() -> None:
    assert not tokenize(P + "ex:a\\%b .SERVICE").complete  # ex:a%b is no IRI: the engine backtracks


def test_local_names_follow_pyoxigraph_one_dotted_run_and_no_final_dot() -> None:
    assert kinds(P + "ex:a.b.c")[-3:] == [(PNAME, "ex:a.b"), ("punct", "."), (WORD, "c")]
    assert kinds(P + "ex:a.")[-2:] == [(PNAME, "ex:a"), ("punct", ".")]
    assert kinds(P + "ex:a%41:b")[-1] == (PNAME, "ex:a%41:b")


def test_numbers_strings_tags_and_variables() -> None:
    assert kinds("1. 1.e3 .5 1E-2 7") == [
        (NUMBER, "1"),
        ("punct", "."),
        (NUMBER, "1.e3"),
        (NUMBER, ".5"),
        (NUMBER, "1E-2"),
        (NUMBER, "7"),
    ]
    assert kinds("'''a''b''' \"\"\"x\"\"\"\"y\" 'a\\'#' \"\\u0022\"@en--ltr") == [
        (STRING, "'''a''b'''"),
        (STRING, '"""x"""'),
        (STRING, '"y"'),
        (STRING, "'a\\'#'"),
        (STRING, '"\\u0022"'),
        (LANG, "@en--ltr"),
    ]
    assert kinds("?a $b ?_1 _:x.y") == [(VAR, "?a"), (VAR, "$b"), (VAR, "?_1"), ("bnode", "_:x.y")]


def test_comments_and_iris_hide_nothing_they_do_not_hold() -> None:
    assert kinds("<a#b>SERVICE #x SERVICE\nLOAD") == [(IRI, "<a#b>"), (WORD, "SERVICE"), (WORD, "LOAD")]


def test_unterminated_or_invalid_text_is_incomplete() -> None:
    for text in ["'abc", '"""abc""', "<abc", "'\\q'", "'\\uD800'", "{ ( }", "ex:a", "SELECT \\u0053"]:
        assert not tokenize(text).complete, text


def test_less_than_in_an_expression_is_read_both_ways() -> None:
    assert kinds("FILTER(?a<?b&&?c>?d)")[-3:] == [(IRI, "<?b&&?c>"), (VAR, "?d"), ("punct", ")")]
    assert not tokenize("FILTER(?a<?b)SERVICE#>\n<x>{}").complete
    assert kinds("FILTER(?a < 2)")[3:5] == [("punct", "<"), (NUMBER, "2")]


def test_glued_keywords_count() -> None:
    assert hits(tokenize("SERVICESILENT <x> {}"), "SERVICE") == [0]
    assert hits(tokenize("?s ?p trueSERVICE <x> {}"), "SERVICE") == [2]
    assert hits(tokenize("PREFIX aSERVICE: <a:> ?s ?p aSERVICE:x"), "SERVICE") == [1, 5]
    assert hits(tokenize(P + "?s ?p ex:ServiceDesk"), "SERVICE") == []


def test_codepoint_escapes_and_iri_resolution() -> None:
    assert decode_codepoints("\\u0053ERVICE \\U0000004cOAD \\uD800") == "SERVICE LOAD \\uD800"
    assert resolve("../x", "urn:vskg:staging:a/b/") == "urn:vskg:staging:a/x"
    assert resolve("x", "http://e/a/sparql") == "http://e/a/x"
    assert resolve("#f", "http://e/s?q") == "http://e/s?q#f"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { BIND(1 AS ?k) .SERVICE <http://x/> { ?x ?y ?z } }",
        P + "SELECT * { BIND(ex:x\\#y AS ?k) SERVICE <http://x/> {} }",
        P + "SELECT * { BIND(ex:x\\'y AS ?k) SERVICE <http://x/> {} }",
        P + "SELECT * { ?s ?p ex:a.b.SERVICE <http://x/> {} }",
        "SELECT * { ?s ?p trueSERVICE <http://x/> {} }",
        "SELECT * { SERVICESILENT <http://x/> {} }",
        "SELECT * { \\u0053ERVICE <http://x/> {} }",
        "SELECT * { FILTER(?a<?b)SERVICE#>\n<http://x/> {} }",
        "PREFIX : <http://x/> SELECT * { ?s ?p trueSERVICE:x {} }",
    ],
)
def test_hidden_service_is_refused(query: str) -> None:
    with pytest.raises(Refused, match="SERVICE \\(federated query\\) is disabled"):
        check_query(query)


def test_allow_list_needs_the_plain_keyword_and_a_full_iri() -> None:
    check_query("SELECT * { SERVICE SILENT <http://a/> {} }", ["http://a/"])
    assert service_endpoints("SELECT * { SERVICESILENT <http://a/> {} }") == [None]
    with pytest.raises(Refused, match="full IRI"):
        check_query("SELECT * { SERVICESILENT <http://a/> {} }", ["http://a/"])


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <a:a> <a:b> 'x' };LOAD <http://x/>",
        P + "INSERT DATA { ex:a\\#b <a:b> 'x' } ; LOAD <http://x/>",
        "LOADSILENT <http://x/>",
        "\\u004cOAD <http://x/>",
    ],
)
def test_hidden_load_is_refused(update: str) -> None:
    with pytest.raises(Refused, match=r"^LOAD is disabled"):
        check_update(update)


def test_service_in_an_update_where_is_refused() -> None:
    with pytest.raises(Refused, match="SERVICE \\(federated query\\) is disabled"):
        check_update("INSERT { <a:a> <a:b> ?z } WHERE { SERVICE <http://x/> { ?x ?y ?z } }")


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { GRAPH <urn:vskg:staging:x> { <a:a> <a:b> <a:c> } }",
        "PREFIX s: <urn:vskg:staging:> INSERT DATA { GRAPH s:x { <a:a> <a:b> <a:c> } }",
        "BASE <urn:vskg:staging:a/> INSERT DATA { GRAPH <x> { <a:a> <a:b> <a:c> } }",
        "DROP GRAPH <urn:vskg:st\\u0061ging:x>",
    ],
)
def test_reserved_graphs_are_refused(update: str) -> None:
    with pytest.raises(Refused, match="reserved graph"):
        check_update(update)


def test_relative_iris_resolve_against_the_endpoint() -> None:
    with pytest.raises(Refused, match="<urn:vskg:staging:q/x> is a reserved graph"):
        check_update("CLEAR GRAPH <x>", base_iri="urn:vskg:staging:q/sparql")
    check_update("CLEAR GRAPH <x>", base_iri="http://127.0.0.1/update")


def test_keywords_and_mentions() -> None:
    assert {"SELECT", "FROM"} <= keywords("SELECT * FROM <a:g> { ?s ?p 'from' }")
    assert mentions("SELECT * FROM <a:g> {}", "FROM")
    assert not mentions("SELECT * { ?s ?p 'from' }", "FROM")


def test_time_is_linear_in_hostile_input() -> None:
    for text in ['"' * 40_000, "'" * 40_000, "<" * 40_000, "(" * 20_000 + "?a<" * 5_000, "\\" * 40_000]:
        started = time.process_time()
        tokenize(text)
        with contextlib.suppress(Refused):  # refused or not, the answer comes at once
            check_update(text)
        assert time.process_time() - started < 1.0, text[:10]


@pytest.mark.parametrize(
    ("check", "text", "refused"),
    [
        (check_query, "PREFIX itservice: <http://x/> SELECT * WHERE { ?s itservice:p ?o }", False),
        (check_query, "PREFIX selfservice: <http://x/> SELECT * WHERE { ?s a selfservice:Portal }", False),
        (
            check_query,
            "PREFIX : <http://x/> PREFIX trueservice: <http://x/> SELECT * WHERE { ?s ?p trueservice:x }",
            True,
        ),
        (check_query, "PREFIX servicedesk: <http://x/> SELECT * WHERE { ?s servicedesk:p ?o }", True),
        (check_update, "PREFIX workload: <http://x/> INSERT DATA { workload:a workload:b workload:c }", False),
        (check_update, "PREFIX payload: <http://x/> INSERT DATA { payload:a payload:b payload:c }", False),
        (check_update, "PREFIX dataload: <http://x/> INSERT DATA { dataload:a dataload:b dataload:c }", True),
    ],
)
def test_a_prefix_holding_a_refused_keyword_counts_only_after_other_keywords(check, text: str, refused: bool) -> None:
    if refused:
        with pytest.raises(Refused):
            check(text)
    else:
        check(text)


def test_nesting_is_counted_as_the_engine_recurses() -> None:
    def depth(text: str) -> int:
        return nesting(tokenize(text), text)

    assert depth("SELECT * WHERE {}") == 1
    assert depth("SELECT * WHERE { { ?s ?p ?o } UNION { ?s ?p ?o } }") == 2
    assert depth("SELECT * WHERE { FILTER((1)) }") == 3
    assert depth("SELECT * WHERE { << <a:b> <a:c> << <a:d> <a:e> <a:f> >> >> ?p ?o }") == 3
    assert depth('SELECT * WHERE { ?s ?p "{{{{" }') == 1  # brackets in strings do not count
    assert depth('SELECT * WHERE { ?s ?p "unterminated ( [ }') == 3  # unreadable: every opening bracket counts


def test_text_nested_past_the_limit_is_refused() -> None:
    check_query("ASK " + "{" * MAX_NESTING + "}" * MAX_NESTING)
    with pytest.raises(Refused, match=f"nests brackets {MAX_NESTING + 1} levels deep"):
        check_query("ASK " + "{" * (MAX_NESTING + 1) + "}" * (MAX_NESTING + 1))
    hidden = "INSERT DATA { <urn:a> <urn:b> 'x } " + "{" * 300  # unreadable, so the count of brackets decides
    with pytest.raises(Refused, match="could not be read to its end and opens brackets 301 levels deep"):
        check_update(hidden)


def test_a_text_is_read_once_and_a_long_text_each_time() -> None:
    text = "SELECT * WHERE { ?s ?p ?o }"
    assert tokenize(text) is tokenize(text)
    assert tokenize(text, "http://example.org/") is not tokenize(text)
    long = "SELECT * WHERE { ?s ?p ?o }" + " " * CACHED_TEXT
    assert tokenize(long) is not tokenize(long)
    assert tokenize(long).tokens == tokenize(long).tokens
