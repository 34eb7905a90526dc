"""SELECT and ASK answers handed on from the managed engine (vskg.engine.execute with RemoteStore.query_document):
the same bytes vskg's writers give, cut at the row limit exactly as before, and the usual path for everything else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import BaseDirection, Literal, NamedNode

from vskg.sparql_results import boolean_json, select_json
from vskg.store import engine as engine_module
from vskg.store.engine import QueryFailed, QueryJob, counted_rows, execute
from vskg.store.engine_process import EngineProcess

JSON = "application/sparql-results+json"
XSD = "http://www.w3.org/2001/XMLSchema#"
ROWS = (
    '(1 "a\\"b\\n}},{\\"x"@en-GB) ("é" <http://x/a?b=1&c=>) (true UNDEF) (UNDEF "s"@en--ltr) (2.5 "d"^^<http://ex/dt>)'
)
QUERY = f"SELECT ?x ?y WHERE {{ VALUES (?x ?y) {{ {ROWS} }} }}"
EXPECTED = [
    (Literal("1", datatype=NamedNode(XSD + "integer")), Literal('a"b\n}},{"x', language="en-gb")),
    (Literal("é"), NamedNode("http://x/a?b=1&c=")),
    (Literal("true", datatype=NamedNode(XSD + "boolean")), None),
    (None, Literal("s", language="en", direction=BaseDirection.LTR)),
    (Literal("2.5", datatype=NamedNode(XSD + "decimal")), Literal("d", datatype=NamedNode("http://ex/dt"))),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineProcess]:
    running = EngineProcess(Path(tmp_path_factory.mktemp("handed-on")), timeout=10)
    running.start()
    yield running
    running.close()


def never(*args, **kwargs):
    raise AssertionError("the answer was parsed and written again instead of handed on")


def test_the_engines_document_is_handed_on_byte_for_byte(engine: EngineProcess, monkeypatch) -> None:
    raw = engine.store.client.post(f"{engine.url}/query", data={"query": QUERY}, headers={"Accept": JSON}).content
    monkeypatch.setattr(engine.store, "query", never)
    answer = execute(engine.store, QueryJob(QUERY, accept=JSON, max_rows=5))
    assert answer.body == raw
    assert answer.body == select_json(["x", "y"], EXPECTED)  # what vskg's own writer gives for the same rows
    assert (answer.media_type, answer.kind, answer.rows, answer.truncated) == (JSON, "select", 5, False)


def test_an_answer_over_the_row_limit_is_cut_as_before(engine: EngineProcess) -> None:
    answer = execute(engine.store, QueryJob(QUERY, accept=JSON, max_rows=3))
    assert answer.body == select_json(["x", "y"], EXPECTED[:3])
    assert (answer.kind, answer.rows, answer.truncated) == ("select", 3, True)


def test_ask_is_handed_on(engine: EngineProcess, monkeypatch) -> None:
    monkeypatch.setattr(engine.store, "query", never)
    answer = execute(engine.store, QueryJob("ASK { FILTER(false) }", accept="application/json"))
    assert answer.body == boolean_json(False) == b'{"head":{},"boolean":false}'
    assert (answer.media_type, answer.kind, answer.rows, answer.truncated) == (JSON, "ask", 1, False)


def test_other_formats_and_forms_take_the_usual_path(engine: EngineProcess) -> None:
    xml = execute(engine.store, QueryJob("SELECT ?x WHERE { VALUES ?x { 1 2 } }", accept="text/csv", max_rows=1))
    assert (xml.body, xml.rows, xml.truncated) == (b"x\r\n1\r\n", 1, True)
    graph = execute(engine.store, QueryJob("CONSTRUCT { <http://a> <http://b> 1 } WHERE {}", accept="text/plain"))
    assert graph.body == b'<http://a> <http://b> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    assert graph.media_type == "application/n-triples"


def test_errors_are_the_same_as_before(engine: EngineProcess) -> None:
    with pytest.raises(QueryFailed) as malformed:
        execute(engine.store, QueryJob("SELECT ?x WHERE { ?x ", accept=JSON))
    assert malformed.value.status == 400
    assert malformed.value.message.startswith("malformed query: error at 1:")
    with pytest.raises(QueryFailed) as unacceptable:  # asked for after the query ran, as on the usual path
        execute(engine.store, QueryJob("ASK {}", accept="text/csv"))
    assert unacceptable.value.status == 406


def test_rows_within_the_limit_are_counted_without_reading_the_document(engine: EngineProcess, monkeypatch) -> None:
    # Reading a document of megabytes term by term cost vskg tens of milliseconds per answer; counting its rows in
    # the bytes costs a few.
    raw = engine.store.client.post(f"{engine.url}/query", data={"query": QUERY}, headers={"Accept": JSON}).content
    monkeypatch.setattr(engine_module.pyoxigraph, "parse_query_results", never)
    answer = execute(engine.store, QueryJob(QUERY, accept=JSON, max_rows=5))
    assert (answer.body, answer.rows, answer.truncated) == (raw, 5, False)


def test_a_document_with_an_empty_row_is_read_to_count_it(engine: EngineProcess) -> None:
    query = "SELECT ?x WHERE { VALUES ?x { 1 UNDEF UNDEF } }"
    assert (execute(engine.store, QueryJob(query, accept=JSON, max_rows=3)).rows) == 3
    cut = execute(engine.store, QueryJob(query, accept=JSON, max_rows=2))
    one = b'{"x":{"type":"literal","value":"1","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}'
    assert (cut.body, cut.rows, cut.truncated) == (
        b'{"head":{"vars":["x"]},"results":{"bindings":[' + one + b",{}]}}",
        2,
        True,
    )


HEAD = b'{"head":{"vars":["x"]},"results":{"bindings":['
ROW = b'{"x":{"type":"literal","value":"%s"}}'


@pytest.mark.parametrize(
    ("body", "rows"),
    [
        (HEAD + b"]}}", 0),
        (HEAD + ROW % b"a" + b"]}}", 1),
        (HEAD + b",".join(ROW % v for v in (b'},{\\"', b'[{\\"x\\":1}]', b",{")) + b"]}}", 3),
        (HEAD + b'{"x":{"type":"literal","value":"a,{","datatype":"http://d"}},' + ROW % b",{" + b"]}}", 2),
        (HEAD + ROW % b"a" + b",{}]}}", None),  # an empty row: read instead
        (HEAD + ROW % b"{}" + b"]}}", None),  # "{}" in a string: read instead, to be safe
        (HEAD + ROW % b"a", None),  # cut off
        (b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "bnode", "value": "b"}}]}}', None),
        (b'{"head":{"vars":["x"],"link":["http://l"]},"results":{"bindings":[]}}', None),
        (b'{"head":{},"boolean":true}', None),
    ],
)
def test_counted_rows(body: bytes, rows: int | None) -> None:
    assert counted_rows(body) == rows
