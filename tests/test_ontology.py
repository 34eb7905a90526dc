"""The ontology file is self-describing: metadata, and a label, definition and source on every term."""

from __future__ import annotations

import pytest
import rdflib

from vskg.rdfio import load_graph
from vskg.resources import locate

VSKG = "https://w3id.org/vskg/ontology#"
ONTOLOGY = rdflib.URIRef("https://w3id.org/vskg/ontology")


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return load_graph([locate().ontology])


def test_ontology_header(ontology: rdflib.Graph) -> None:
    rows = ontology.query(
        """
        SELECT ?version ?info ?title ?description ?license ?created WHERE {
          ?o a owl:Ontology ; owl:versionIRI ?version ; owl:versionInfo ?info ; dcterms:title ?title ;
             dcterms:description ?description ; dcterms:license ?license ; dcterms:created ?created .
        }""",
        initNs={"owl": rdflib.OWL, "dcterms": rdflib.DCTERMS},
        initBindings={"o": ONTOLOGY},
    )
    (row,) = list(rows)
    assert str(row.version) == "https://w3id.org/vskg/ontology/0.1.0"
    assert str(row.info) == "0.1.0"
    assert str(row.license) == "https://www.apache.org/licenses/LICENSE-2.0"
    assert row.created.datatype == rdflib.XSD.date


def test_every_vskg_term_has_label_definition_and_source(ontology: rdflib.Graph) -> None:
    missing = ontology.query(
        """
        SELECT ?term ?what WHERE {
          VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:NamedIndividual }
          ?term a ?kind .
          FILTER(STRSTARTS(STR(?term), "https://w3id.org/vskg/ontology#"))
          VALUES (?what ?p) { ("label" rdfs:label) ("definition" skos:definition) ("source" dcterms:source)
                              ("isDefinedBy" rdfs:isDefinedBy) }
          FILTER NOT EXISTS { ?term ?p ?value }
        } ORDER BY ?term ?what""",
        initNs={"owl": rdflib.OWL, "rdfs": rdflib.RDFS, "skos": rdflib.SKOS, "dcterms": rdflib.DCTERMS},
    )
    assert [(str(r.term), str(r.what)) for r in missing] == []


def test_contract_terms_are_declared(ontology: rdflib.Graph) -> None:
    """A sample of the terms every other part relies on, with the OWL kind each must have."""
    expected = {
        "ValueStream": rdflib.OWL.Class,
        "StrategicValueStream": rdflib.OWL.Class,
        "ValueStreamStage": rdflib.OWL.Class,
        "Handoff": rdflib.OWL.Class,
        "MCAAlignment": rdflib.OWL.Class,
        "ValueStreamPortfolio": rdflib.OWL.Class,
        "nextStage": rdflib.OWL.ObjectProperty,
        "precedes": rdflib.OWL.TransitiveProperty,
        "stageOrder": rdflib.OWL.DatatypeProperty,
        "waitTimeHours": rdflib.OWL.DatatypeProperty,
        "supportsStream": rdflib.OWL.ObjectProperty,
    }
    for name, kind in expected.items():
        assert (rdflib.URIRef(VSKG + name), rdflib.RDF.type, kind) in ontology, name


def test_precedes_is_transitive_and_nothing_that_dl_forbids(ontology: rdflib.Graph) -> None:
    precedes = rdflib.URIRef(VSKG + "precedes")
    kinds = set(ontology.objects(precedes, rdflib.RDF.type))
    assert rdflib.OWL.TransitiveProperty in kinds
    forbidden = {
        rdflib.OWL.FunctionalProperty,
        rdflib.OWL.InverseFunctionalProperty,
        rdflib.OWL.IrreflexiveProperty,
        rdflib.OWL.AsymmetricProperty,
    }
    assert kinds & forbidden == set()
    next_stage = rdflib.URIRef(VSKG + "nextStage")
    assert (next_stage, rdflib.RDFS.subPropertyOf, precedes) in ontology
    kinds = set(ontology.objects(next_stage, rdflib.RDF.type))
    assert {rdflib.OWL.IrreflexiveProperty, rdflib.OWL.AsymmetricProperty} <= kinds
    # Parallel stages share a position and each links to the stage after them (a join), so a reasoner must not
    # read two stages with the same next stage as one: nextStage is neither functional nor inverse functional.
    assert kinds & {rdflib.OWL.FunctionalProperty, rdflib.OWL.InverseFunctionalProperty} == set()


def test_mca_dimensions_are_exactly_the_five_of_the_article(ontology: rdflib.Graph) -> None:
    one_of = ontology.query(
        """
        SELECT ?member WHERE {
          vskg:MCADimension owl:equivalentClass/owl:oneOf/rdf:rest*/rdf:first ?member .
        } ORDER BY ?member""",
        initNs={"owl": rdflib.OWL, "rdf": rdflib.RDF, "vskg": rdflib.Namespace(VSKG)},
    )
    assert [str(r.member).rsplit("/", 1)[-1] for r in one_of] == [
        "CultureAndPeople",
        "ExecutionAndWaysOfWorking",
        "Leadership",
        "StrategicArchitecture",
        "Strategy",
    ]
