"""The catalogue's header format and typed parameters, independent of the bundled queries."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from vskg.catalogue import CatalogueError, ParameterError, read_query, resolve, run
from vskg.results import collect

QUERY = '''#+ title = "Streams by label"
#+ description = """
#+ Finds things by label."""
#+ example = "vskg query sample --param label=x"
#+
#+ [[param]]
#+ name = "label"
#+ type = "string"
#+ description = "Label to match; all when absent."
#+
#+ [[param]]
#+ name = "minimum"
#+ type = "integer"
#+ default = 2
#+ description = "Smallest size."
#+
#+ [[param]]
#+ name = "thing"
#+ type = "iri"
#+ required = true
#+ description = "A thing."
PREFIX ex: <https://example.org/>
SELECT ?s ?label ?minimum ?thing WHERE {
  ?s ex:label ?label ; ex:size ?size . FILTER(?size >= ?minimum)
} ORDER BY ?s
'''


@pytest.fixture()
def sample(tmp_path: Path):
    path = tmp_path / "sample.rq"
    path.write_text(QUERY, encoding="utf-8")
    return read_query(path)


@pytest.fixture()
def tiny_store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(
        b"@prefix ex: <https://example.org/> .\n"
        b'ex:a ex:label "a" ; ex:size 1 .\nex:b ex:label "b" ; ex:size 2 .\nex:c ex:label "c" ; ex:size 3 .\n',
        format=pyoxigraph.RdfFormat.TURTLE,
        to_graph=pyoxigraph.NamedNode("https://example.org/g"),
    )
    return store


def test_header_is_read_as_metadata(sample) -> None:
    assert sample.name == "sample"
    assert sample.title == "Streams by label"
    assert sample.description == "Finds things by label."
    assert [(p.name, p.type, p.default, p.required) for p in sample.parameters] == [
        ("label", "string", None, False),
        ("minimum", "integer", "2", False),
        ("thing", "iri", None, True),
    ]


def test_parameters_are_substituted_as_typed_terms(sample, tiny_store) -> None:
    rows = collect(run(tiny_store, sample, {"thing": "https://example.org/t"})).values()
    common = {"minimum": "2", "thing": "https://example.org/t"}
    assert rows == [
        {"s": "https://example.org/b", "label": "b", **common},
        {"s": "https://example.org/c", "label": "c", **common},
    ]
    rows = collect(run(tiny_store, sample, {"thing": "https://example.org/t", "minimum": "1", "label": "a"})).values()
    assert rows == [{"s": "https://example.org/a", "label": "a", "minimum": "1", "thing": "https://example.org/t"}]


def test_a_string_parameter_cannot_inject_sparql(sample, tiny_store) -> None:
    evil = '" } UNION { ?s ?p ?o } #'
    rows = collect(run(tiny_store, sample, {"thing": "https://example.org/t", "label": evil})).values()
    assert rows == []


@pytest.mark.parametrize(
    ("given", "parameter", "reason"),
    [
        ({}, "thing", "is required and has no default"),
        ({"thing": "not an iri"}, "thing", "is not a valid iri"),
        ({"thing": "https://e.org/x", "minimum": "two"}, "minimum", "'two' is not a valid integer"),
        ({"thing": "https://e.org/x", "colour": "red"}, "colour", "not a parameter of sample"),
    ],
)
def test_bad_parameters_name_the_parameter(sample, given, parameter, reason) -> None:
    with pytest.raises(ParameterError) as caught:
        sample.bind(given)
    assert caught.value.parameter == parameter
    assert reason in str(caught.value)


def test_broken_header_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "broken.rq"
    path.write_text('#+ title = "unclosed\nSELECT * {}\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"broken\.rq: the '#\+' header is not valid TOML"):
        read_query(path)
    path.write_text('#+ description = "no title"\nSELECT * {}\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match="needs a 'title' string"):
        read_query(path)


def test_a_plain_rq_file_without_header_runs(tmp_path: Path, tiny_store) -> None:
    path = tmp_path / "plain.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", encoding="utf-8")
    query = resolve(str(path))
    assert collect(run(tiny_store, query)).values() == [{"n": "6"}]


def test_a_parameter_need_not_be_projected(tmp_path: Path, tiny_store) -> None:
    """Written into the text, a value needs no column (pyoxigraph's substitution refused such a query)."""
    path = tmp_path / "hidden.rq"
    path.write_text(
        '#+ title = "t"\n#+ description = "d"\n#+ [[param]]\n#+ name = "m"\n#+ type = "integer"\n#+ default = 1\n'
        "SELECT ?s WHERE { ?s ?p ?o FILTER(?o >= ?m) } ORDER BY ?s\n",
        encoding="utf-8",
    )
    query = read_query(path)
    assert collect(run(tiny_store, query)).values() == [{"s": f"https://example.org/{s}"} for s in "abc"]
    assert collect(run(tiny_store, query, {"m": "3"})).values() == [{"s": "https://example.org/c"}]


def test_unknown_name_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        resolve("no-such-query")
