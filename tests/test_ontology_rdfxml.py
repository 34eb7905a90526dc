"""ontology/vskg.owl is the Turtle ontology as RDF/XML: the same graph, up to date, and readable by owlready2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import owlready2
import rdflib
from rdflib.compare import isomorphic

from tools.ontology_rdfxml import COMMAND, render
from vskg.resources import locate

REPO = Path(__file__).resolve().parent.parent
TURTLE = REPO / "ontology" / "vskg.ttl"
RDFXML = REPO / "ontology" / "vskg.owl"


def _graph(path: Path, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format=fmt)


def test_the_bundle_names_the_rdfxml_twin() -> None:
    assert locate().ontology_rdfxml == RDFXML
    assert RDFXML.is_file()


def test_rdfxml_holds_the_same_graph_as_the_turtle() -> None:
    turtle, rdfxml = _graph(TURTLE, "turtle"), _graph(RDFXML, "xml")
    assert len(rdfxml) == len(turtle)
    assert isomorphic(turtle, rdfxml)


def test_committed_rdfxml_is_what_the_generator_writes_now() -> None:
    assert RDFXML.read_bytes() == render(TURTLE), (
        f"ontology/vskg.owl is out of date with ontology/vskg.ttl; regenerate it from the repository root with "
        f"`{COMMAND}` (python tools/ontology_rdfxml.py) and commit it"
    )
    assert COMMAND == "make owl"
    assert "\nowl: $(STAMP)\n\t$(BIN)/python tools/ontology_rdfxml.py\n" in (REPO / "Makefile").read_text()


def test_generator_output_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Blank nodes and triple order are canonical: another process with another hash seed writes the same bytes."""
    out = tmp_path / "again.owl"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, str(REPO / "tools" / "ontology_rdfxml.py"), str(TURTLE), "-o", str(out)],
        check=True,
        capture_output=True,
        env=env,
    )
    assert out.read_bytes() == RDFXML.read_bytes()


def _named(graph: rdflib.Graph, kind: str) -> set[str]:
    return {str(s) for s in graph.subjects(rdflib.RDF.type, rdflib.OWL[kind]) if isinstance(s, rdflib.URIRef)}


def test_owlready2_loads_the_shipped_ontology() -> None:
    turtle = _graph(TURTLE, "turtle")
    world = owlready2.World()
    try:
        onto = world.get_ontology(RDFXML.as_uri()).load()
        assert onto.base_iri == "https://w3id.org/vskg/ontology#"
        assert {c.iri for c in onto.classes()} == _named(turtle, "Class")
        assert {p.iri for p in onto.object_properties()} == _named(turtle, "ObjectProperty")
        assert {p.iri for p in onto.data_properties()} == _named(turtle, "DatatypeProperty")
        inverses = {(p.name, p.inverse_property.name) for p in onto.object_properties() if p.inverse_property}
        assert inverses >= {("enables", "enabledBy"), ("contributesTo", "hasContributor")}
    finally:
        world.close()
