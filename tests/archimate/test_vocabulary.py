"""ontology/archimate.ttl declares every am: term an import writes, each with label, definition and source."""

from __future__ import annotations

import rdflib

from tests.archimate.conftest import EXTERNAL, FIXTURES, REPO
from vskg.archimate.importer import build_import
from vskg.check import check

AM = "https://w3id.org/vskg/archimate#"
RDFS = rdflib.RDFS
SKOS = rdflib.SKOS
DCTERMS = rdflib.DCTERMS


def _vocabulary() -> rdflib.Graph:
    return rdflib.Graph().parse(REPO / "ontology" / "archimate.ttl")


def test_every_term_an_import_writes_is_declared():
    declared = {str(s) for s in _vocabulary().subjects() if str(s).startswith(AM)}
    used = set()
    for path in (EXTERNAL / "aoeff31-visual-paradigm.xml", FIXTURES / "value-streams.xml"):
        quads, _ = build_import(path.read_bytes(), path.name)
        for q in quads:
            used |= {t.value for t in (q.predicate, q.object) if getattr(t, "value", "").startswith(AM)}
    assert used - declared == set()
    assert len(declared) == 80  # views, derivations; files are described by vskg.provenance (dcterms), not am:


def test_every_term_is_documented():
    graph = _vocabulary()
    for term in {s for s in graph.subjects() if str(s).startswith(AM)}:
        assert graph.value(term, RDFS.label) is not None, term
        assert graph.value(term, SKOS.definition) is not None, term
        assert graph.value(term, RDFS.isDefinedBy) == rdflib.URIRef("https://w3id.org/vskg/archimate"), term
        assert graph.value(term, DCTERMS.source) == rdflib.URIRef("https://w3id.org/vskg/source/archimate-3.2"), term


def test_vocabulary_is_owl2_dl_and_consistent_with_vskg():
    results = check([REPO / "ontology" / "vskg.ttl", REPO / "ontology" / "archimate.ttl"])
    assert [(r.name, r.passed, r.details) for r in results] == [
        ("OWL 2 DL profile (OWL API)", True, []),
        ("Consistency (HermiT)", True, []),
    ]
