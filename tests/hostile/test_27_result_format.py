"""Case 27: ``format`` and ``labels`` values that are too long, try to inject, are unknown or repeated, and label
lookups over large or strange results.

The two parameters choose how an answer is written (`vskg.service.answers`), so a bad value must be refused before
any query runs, with a message that repeats at most a short escaped excerpt of it and never reaches a response
header; the file name of a download is the catalogue query's name or ``results``, never anything the client sent.
``labels=1`` turns the IRIs of a result into the text of extra queries: each IRI is written as one IRI term, so
no value in a result can change those queries, and a result at the row limit is labelled within the memory
ceiling. Nothing is written: after each request the store is unchanged and the server up.
"""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
import pytest

from tests.hostile.conftest import Survivor

FORMATS = "csv, tsv, json, xml, xlsx, ttl, nt, jsonld, rdfxml"
FORM = "application/x-www-form-urlencoded"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def refused_format(value: str) -> str:
    shown = repr(value[:40]) + (f" (cut at 40 of {len(value)} characters)" if len(value) > 40 else "")
    return f"format must be one of {FORMATS}; got {shown}"


@pytest.mark.parametrize(
    "value",
    [
        "x" * 200_000,
        "csv\r\nSet-Cookie: stolen=1",
        "csv\x00",
        "csv ",
        "csv;q=1",
        "../../../../etc/passwd",
        '<script>alert("x")</script>',
        "xlsx%0d%0aX-Injected: 1",
        "\u202ecsv",
        "",
    ],
)
def test_format_values_are_refused_with_a_short_excerpt(survivor: Survivor, value: str) -> None:
    for answer in (
        httpx.post(f"{survivor.url}/sparql", data={"query": "SELECT * {}", "format": value}, timeout=30),
        httpx.post(f"{survivor.url}/sparql", data={"query": "ASK {}", "format": value}, timeout=30),
        httpx.get(f"{survivor.url}/queries/stream-flow-metrics", params={"format": value[:20_000]}, timeout=30),
    ):
        message = survivor.refused(answer, 400)
        assert message in (refused_format(value), refused_format(value[:20_000]))
        assert len(message) < 200
        assert "set-cookie" not in answer.headers and "x-injected" not in answer.headers
        assert "content-disposition" not in answer.headers


@pytest.mark.parametrize("value", ["1 } ; DROP ALL #", "1" * 100_000, "1\r\nX-Injected: 1", "on", "-1"])
def test_labels_values_are_refused(survivor: Survivor, value: str) -> None:
    answer = httpx.post(f"{survivor.url}/sparql", data={"query": "SELECT * {}", "labels": value}, timeout=30)
    message = survivor.refused(answer, 400)
    shown = repr(value[:40]) + (f" (cut at 40 of {len(value)} characters)" if len(value) > 40 else "")
    assert message == f"labels must be 1 or 0 (or true or false); got {shown}"
    assert "x-injected" not in answer.headers


@pytest.mark.parametrize("name", ["format", "labels"])
def test_repeated_parameters_are_refused(survivor: Survivor, name: str) -> None:
    value = "1" if name == "labels" else "csv"
    form = urlencode([("query", "SELECT * {}")] + [(name, value)] * 5_000)
    answer = httpx.post(f"{survivor.url}/sparql", content=form, headers={"Content-Type": FORM}, timeout=30)
    survivor.refused(answer, 400, f"5000 '{name}' parameters")
    both = httpx.post(f"{survivor.url}/sparql", params={name: value}, data={"query": "SELECT * {}", name: value})
    survivor.refused(both, 400, f"2 '{name}' parameters; send exactly one")
    catalogue = httpx.get(f"{survivor.url}/queries/stream-flow-metrics", params=[(name, "csv")] * 2, timeout=30)
    survivor.refused(catalogue, 400, f"2 '{name}' parameters; send exactly one")


def test_a_query_in_a_format_parameter_is_not_run(survivor: Survivor) -> None:
    value = "csv&query=DELETE WHERE { ?s ?p ?o }"
    answer = httpx.get(f"{survivor.url}/sparql", params={"query": "SELECT * {}", "format": value}, timeout=30)
    survivor.refused(answer, 400, "format must be one of")
    update = httpx.post(
        f"{survivor.url}/sparql", data={"query": "SELECT * {}", "format": "csv", "update": "DROP ALL"}, timeout=30
    )
    survivor.refused(update, 400, "this is the query endpoint; send SPARQL updates to /update")


def test_strange_iris_in_a_labelled_result_stay_iris(survivor: Survivor) -> None:
    """IRIs holding quotes, parentheses, semicolons and escaped brackets go into the label query as IRI terms: the
    lookup runs, finds no label, and changes nothing."""
    strange = [
        "http://example.org/a'b)",
        "urn:x:);DELETE%20WHERE%7B?s?p?o%7D#",
        "http://example.org/%3E%20%7D%20DROP%20ALL",
        "http://example.org/s#x(y)*z'",
    ]
    values = " ".join(f"(<{iri}>)" for iri in strange)
    query = f"SELECT ?x ?text WHERE {{ VALUES (?x) {{ {values} }} BIND(STR(?x) AS ?text) }}"
    answer = httpx.post(f"{survivor.url}/sparql", data={"query": query, "labels": "1", "format": "csv"}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.text == "x,x_label,text\r\n" + "".join(f"{iri},,{iri}\r\n" for iri in strange)
    survivor.check()


def test_labels_on_a_result_at_the_row_limit(survivor: Survivor) -> None:
    """Every triple of the store, cut at the row limit, with a label column for each of its three IRI columns, as
    a workbook: within the memory ceiling, and nothing written."""
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    answer = httpx.post(f"{survivor.url}/sparql", data={"query": query, "labels": "1", "format": "xlsx"}, timeout=120)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == XLSX
    assert answer.headers["vskg-result-truncated"] == "10000"
    assert answer.headers["content-disposition"] == 'attachment; filename="results.xlsx"'
    survivor.check()
