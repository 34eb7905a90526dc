"""Bad input must fail with the file, the line and the reason, and must not leak into the graph."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from vskg.rdfio import InputError, load_graph, parse_into


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_turtle_error_names_file_line_and_reason(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.ttl", '@prefix ex: <http://e.org/> .\nex:a ex:b ex:c .\nex:d ex:e "open .\n')
    with pytest.raises(InputError) as caught:
        load_graph([bad])
    assert caught.value.line == 3
    assert caught.value.reason == "Unexpected end of file"
    assert str(caught.value) == f"{bad}, line 3: Unexpected end of file"


def test_ntriples_error_is_located_even_when_rdflib_gives_no_line(tmp_path: Path) -> None:
    bad = write(
        tmp_path,
        "bad.nt",
        "<http://e.org/a> <http://e.org/b> <http://e.org/c> .\n<http://e.org/d> <http://e.org/e> .\n",
    )
    with pytest.raises(InputError) as caught:
        load_graph([bad])
    assert caught.value.line == 2


def test_rdfxml_error_has_line(tmp_path: Path) -> None:
    bad = write(
        tmp_path,
        "bad.rdf",
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="http://e.org/a">\n<x>\n</rdf:RDF>\n',
    )
    with pytest.raises(InputError) as caught:
        load_graph([bad])
    assert (caught.value.line, caught.value.reason) == (5, "mismatched tag")


def test_rdfxml_with_doctype_is_refused_before_parsing(tmp_path: Path) -> None:
    bad = write(
        tmp_path,
        "entities.rdf",
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY e "boom">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
    )
    with pytest.raises(InputError, match="DOCTYPE is refused"):
        load_graph([bad])


def test_unknown_suffix_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unknown RDF file type .\.csv."):
        load_graph([write(tmp_path, "x.csv", "a,b\n")])
    with pytest.raises(InputError, match="No such file"):
        load_graph([tmp_path / "absent.ttl"])


def test_failed_file_leaves_the_graph_as_it_was(tmp_path: Path) -> None:
    graph = rdflib.Graph()
    parse_into(graph, write(tmp_path, "good.ttl", "<http://e.org/a> <http://e.org/b> <http://e.org/c> .\n"))
    half = write(tmp_path, "half.ttl", "<http://e.org/x> <http://e.org/y> <http://e.org/z> .\n<http://e.org/q> .\n")
    with pytest.raises(InputError) as caught:
        parse_into(graph, half)
    assert caught.value.line == 2
    assert set(graph) == {
        (rdflib.URIRef("http://e.org/a"), rdflib.URIRef("http://e.org/b"), rdflib.URIRef("http://e.org/c"))
    }
