"""Bad input must fail with the file, the line and the reason, and must not leak into the graph."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple

from vskg.rdfio import (
    InputError,
    Limits,
    from_rdflib,
    from_rdflib_term,
    load_graph,
    parse_into,
    parse_quads,
    to_rdflib,
    to_rdflib_term,
)


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


# --- the guards of the one way in ----------------------------------------------------------------------------

XSD_INTEGER = rdflib.URIRef("http://www.w3.org/2001/XMLSchema#integer")
XSD_STRING = rdflib.URIRef("http://www.w3.org/2001/XMLSchema#string")
XML_HEAD = b'<?xml version="1.0"?>\n'
RDF_XML = (
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e.org/">\n'
    b'<rdf:Description rdf:about="http://e.org/a"><ex:p>v</ex:p></rdf:Description>\n</rdf:RDF>\n'
)
DOCTYPE = b'<!DOCTYPE rdf:RDF [<!ENTITY e "boom">]>\n'


class Trickle(io.RawIOBase):
    """A stream that hands out a few bytes per read, so a DOCTYPE can straddle the chunks the guard sees."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step, self.position = data, step, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.data[self.position : self.position + self.step]
        self.position += len(chunk)
        return chunk


def test_a_doctype_far_into_the_document_is_refused_with_its_line() -> None:
    text = XML_HEAD + b"<!--" + b"x\n" * 40_000 + b"-->\n" + DOCTYPE + RDF_XML
    with pytest.raises(InputError) as caught:
        parse_quads(text, RdfFormat.RDF_XML, None, name="body")
    assert (caught.value.line, caught.value.reason) == (
        40_003,
        "RDF/XML with a DOCTYPE is refused (entity expansion is unsafe); remove it",
    )


@pytest.mark.parametrize("step", [1, 3, 5, 7, 1000])
def test_a_doctype_split_across_reads_is_still_found(step: int) -> None:
    text = XML_HEAD + b"<!--" + b"y" * 70_001 + b"-->" + DOCTYPE + RDF_XML
    with pytest.raises(InputError, match="DOCTYPE is refused") as caught:
        parse_quads(Trickle(text, step), RdfFormat.RDF_XML, None, name="stream")
    assert caught.value.line == 2


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff<?xml version='1.0'?><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/>".encode(
            "utf-16"
        ),
        b"<?xml version='1.0'?>\x00<rdf:RDF/>",
    ],
)
def test_xml_that_is_not_utf8_is_refused(text: bytes) -> None:
    with pytest.raises(InputError, match="not UTF-8"):
        parse_quads(text, RdfFormat.RDF_XML, None, name="body")


def test_plain_rdfxml_still_reads() -> None:
    (quad,) = parse_quads(XML_HEAD + RDF_XML, RdfFormat.RDF_XML, "urn:g", name="body")
    assert quad == Quad(NamedNode("http://e.org/a"), NamedNode("http://e.org/p"), Literal("v"), NamedNode("urn:g"))


def test_the_size_limit_is_enforced_while_reading() -> None:
    text = b"<urn:a> <urn:b> <urn:c> .\n" * 1000
    assert len(parse_quads(text, RdfFormat.N_TRIPLES, None, name="x", limits=Limits(max_bytes=len(text)))) == 1000
    with pytest.raises(InputError) as caught:
        parse_quads(text, RdfFormat.N_TRIPLES, None, name="x", limits=Limits(max_bytes=len(text) - 1))
    assert caught.value.reason == (
        f"the document is larger than the limit of {len(text) - 1} bytes (set VSKG_MAX_RDF_BYTES to change it)"
    )


def nested(depth: int) -> bytes:
    return ('{"@id": "http://e.org/a", "http://e.org/p": ' * depth + '"x"' + "}" * depth).encode()


def test_jsonld_nesting_is_bounded() -> None:
    assert len(parse_quads(nested(100), RdfFormat.JSON_LD, None, name="x")) == 100
    with pytest.raises(InputError) as caught:
        parse_quads(nested(101), RdfFormat.JSON_LD, None, name="x")
    assert caught.value.reason == (
        "the JSON-LD document nests arrays and objects deeper than 100 levels (set VSKG_MAX_JSONLD_DEPTH to change it)"
    )
    with pytest.raises(InputError, match="deeper than 3 levels"):
        parse_quads(nested(4), RdfFormat.JSON_LD, None, name="x", limits=Limits(max_json_depth=3))


@pytest.mark.parametrize("step", [1, 2, 1000])
def test_brackets_and_escaped_quotes_inside_json_strings_do_not_count(step: int) -> None:
    text = b'{"@id": "http://e.org/a", "http://e.org/p": "[[{{\\"\\\\\\" ]]' + b"[" * 500 + b'"}'
    (quad,) = parse_quads(Trickle(text, step), RdfFormat.JSON_LD, None, name="x", limits=Limits(max_json_depth=2))
    assert quad.object == Literal('[[{{"\\" ]]' + "[" * 500)


def deep_rdfxml(pairs: int) -> bytes:
    """RDF/XML whose elements nest 1 + 2 * ``pairs`` deep (rdf:RDF, then description and property in turn)."""
    return (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="urn:e:">\n'
        + '<rdf:Description rdf:about="urn:s"><e:p>' * pairs
        + "</e:p></rdf:Description>" * pairs
        + "</rdf:RDF>"
    ).encode()


@pytest.mark.parametrize("step", [1, 7, 65536])
def test_rdfxml_nesting_is_bounded_however_the_bytes_arrive(step: int) -> None:
    assert len(parse_quads(Trickle(deep_rdfxml(20), step), RdfFormat.RDF_XML, None, name="x")) == 20
    with pytest.raises(InputError) as caught:
        parse_quads(Trickle(deep_rdfxml(20), step), RdfFormat.RDF_XML, None, name="x", limits=Limits(max_xml_depth=40))
    assert (caught.value.line, caught.value.reason) == (
        2,
        "the RDF/XML document nests elements deeper than 40 levels (set VSKG_MAX_XML_DEPTH to change it)",
    )


def test_rdfxml_with_a_syntax_error_is_still_reported_by_the_parser() -> None:
    with pytest.raises(InputError) as caught:
        parse_quads(
            deep_rdfxml(3).replace(b"</e:p></rdf:Description></rdf:RDF>", b"</rdf:RDF>"),
            RdfFormat.RDF_XML,
            None,
            name="x",
        )
    assert "nests elements" not in caught.value.reason


@pytest.mark.parametrize("context", ["http://127.0.0.1:9/context.jsonld", "file:///etc/hostname"])
def test_jsonld_contexts_are_never_loaded(context: str) -> None:
    text = f'{{"@context": "{context}", "@id": "http://e.org/a", "name": "A"}}'.encode()
    with pytest.raises(InputError) as caught:
        parse_quads(text, RdfFormat.JSON_LD, None, name="x")
    assert caught.value.reason.startswith("the JSON-LD document refers to a remote or file @context")


def test_a_15_mb_literal_parses_and_converts() -> None:
    value = "x" * (15 * 1024 * 1024)
    (quad,) = parse_quads(f'<urn:a> <urn:b> "{value}" .\n'.encode(), RdfFormat.N_TRIPLES, None, name="x")
    graph = to_rdflib([quad])
    assert [str(o) for o in graph.objects()] == [value]


# --- pyoxigraph <-> rdflib -----------------------------------------------------------------------------------

TERMS = [
    NamedNode("http://e.org/a?b=c#d"),
    BlankNode("b0"),
    Literal("plain"),
    Literal('ünïcode "quoted"\nline'),
    Literal("chat", language="fr"),
    Literal("Hello", language="en-GB"),
    Literal("01", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    Literal("2.50", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
    Literal("not a number", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    Literal("2024-01-31", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#date")),
    Literal("x", datatype=NamedNode("http://e.org/custom")),
]


@pytest.mark.parametrize("term", TERMS, ids=str)
def test_every_term_kind_round_trips_exactly(term) -> None:
    there = to_rdflib_term(term)
    assert from_rdflib_term(there) == term
    assert str(there) == (term.value)


def test_conversion_maps_kinds_datatypes_and_languages() -> None:
    assert to_rdflib_term(NamedNode("http://e.org/a")) == rdflib.URIRef("http://e.org/a")
    assert to_rdflib_term(BlankNode("b1")) == rdflib.BNode("b1")
    french = to_rdflib_term(Literal("chat", language="fr"))
    assert (french.language, french.datatype) == ("fr", None)
    number = to_rdflib_term(Literal("01", datatype=NamedNode(str(XSD_INTEGER))))
    assert (str(number), number.datatype) == ("01", XSD_INTEGER)
    assert to_rdflib_term(Literal("s")).datatype is None
    assert from_rdflib_term(rdflib.Literal("s", datatype=XSD_STRING)) == Literal("s")


def test_graphs_convert_both_ways() -> None:
    triples = [Triple(NamedNode("http://e.org/s"), NamedNode("http://e.org/p"), term) for term in TERMS]
    graph = to_rdflib(triples)
    assert len(graph) == len(TERMS)
    assert sorted(map(str, from_rdflib(graph))) == sorted(map(str, triples))
