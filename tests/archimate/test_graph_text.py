"""The N-Triples text an import builds spells every term as pyoxigraph does, so the store compares it line by line."""

from __future__ import annotations

import pyoxigraph
import pytest
from pyoxigraph import Literal, NamedNode, Quad

from vskg.archimate.graph_text import GraphText, boolean, integer, literal, typed

XSD = "http://www.w3.org/2001/XMLSchema#"
AWKWARD = "".join(chr(c) for c in range(0x80)) + "é\u2028\U0001f600\ufeff"


def test_literals_are_written_as_pyoxigraph_writes_them():
    assert literal(AWKWARD) == str(Literal(AWKWARD))
    assert literal(AWKWARD, "EN-gb") == str(Literal(AWKWARD, language="EN-gb")) == literal(AWKWARD, "en-GB")
    assert integer(-12) == str(Literal("-12", datatype=NamedNode(XSD + "integer")))
    assert boolean(True) == str(Literal(True)) and boolean(False) == str(Literal(False))
    assert typed('9.5"', XSD + "decimal") == str(Literal('9.5"', datatype=NamedNode(XSD + "decimal")))


def test_a_bad_language_tag_is_refused_as_pyoxigraph_refuses_it():
    with pytest.raises(ValueError):
        literal("x", "not a tag")


def test_the_text_reads_back_as_the_same_quads_and_round_trips_the_store():
    text = GraphText("https://example.org/g")
    text.add("<https://example.org/s>", "<https://example.org/p>", literal(AWKWARD, "de"))
    text.add("<https://example.org/s>", "<https://example.org/q>", integer(7))
    g = NamedNode("https://example.org/g")
    s = NamedNode("https://example.org/s")
    assert list(text) == [
        Quad(s, NamedNode("https://example.org/p"), Literal(AWKWARD, language="de"), g),
        Quad(s, NamedNode("https://example.org/q"), Literal("7", datatype=NamedNode(XSD + "integer")), g),
    ]
    store = pyoxigraph.Store()
    store.load(text.ntriples(), format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=g)
    dumped = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=g)
    assert sorted(dumped.splitlines()) == sorted(text.ntriples().splitlines())
