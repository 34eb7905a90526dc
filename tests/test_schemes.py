"""The SKOS schemes hold exactly what the frameworks define, and every concept describes itself."""

from __future__ import annotations

import pytest
import rdflib

from vskg.rdfio import load_graph
from vskg.resources import locate

NS = {"skos": rdflib.SKOS, "dcterms": rdflib.DCTERMS, "vskg": rdflib.Namespace("https://w3id.org/vskg/ontology#")}
SCHEME = "https://w3id.org/vskg/scheme/"


@pytest.fixture(scope="module")
def schemes() -> rdflib.Graph:
    return load_graph(locate().schemes)


def labels_under(graph: rdflib.Graph, parent: str) -> list[str]:
    rows = graph.query(
        "SELECT ?label WHERE { ?c skos:broader ?parent ; skos:prefLabel ?label } ORDER BY ?label",
        initNs=NS,
        initBindings={"parent": rdflib.URIRef(SCHEME + parent)},
    )
    return [str(r.label) for r in rows]


def members(graph: rdflib.Graph, collection: str) -> int:
    return len(set(graph.objects(rdflib.URIRef(SCHEME + collection), rdflib.SKOS.member)))


def test_every_concept_has_label_definition_scheme_and_source(schemes: rdflib.Graph) -> None:
    rows = schemes.query(
        """
        SELECT ?c ?what WHERE {
          ?c a skos:Concept .
          VALUES (?what ?p) { ("prefLabel" skos:prefLabel) ("definition" skos:definition)
                              ("inScheme" skos:inScheme) ("source" dcterms:source) }
          FILTER NOT EXISTS { ?c ?p ?v }
        }""",
        initNs=NS,
    )
    assert list(rows) == []


def test_mca_uses_the_articles_five_dimensions(schemes: rdflib.Graph) -> None:
    rows = schemes.query(
        "SELECT ?n ?label WHERE { ?d a vskg:MCADimension ; skos:notation ?n ; skos:prefLabel ?label } ORDER BY ?n",
        initNs=NS,
    )
    assert [(str(r.n), str(r.label)) for r in rows] == [
        ("MCA-1", "Strategy"),
        ("MCA-2", "Leadership"),
        ("MCA-3", "Culture and People"),
        ("MCA-4", "Execution and Ways of Working"),
        ("MCA-5", "Strategic Architecture"),
    ]


def test_itil4_has_all_34_practices_in_three_groups(schemes: rdflib.Graph) -> None:
    assert members(schemes, "itil4/GeneralManagementPractices") == 14
    assert members(schemes, "itil4/ServiceManagementPractices") == 17
    assert members(schemes, "itil4/TechnicalManagementPractices") == 3
    assert len(labels_under(schemes, "itil4/Practices")) == 34
    assert labels_under(schemes, "itil4/ServiceValueChain") == [
        "Deliver and support",
        "Design and transition",
        "Engage",
        "Improve",
        "Obtain/build",
        "Plan",
    ]
    assert len(labels_under(schemes, "itil4/GuidingPrinciples")) == 7
    assert len(labels_under(schemes, "itil4/DimensionOfServiceManagement")) == 4
    assert len(labels_under(schemes, "itil4/ServiceValueSystem")) == 5


def test_lean_flow_dora_porter_and_maturity(schemes: rdflib.Graph) -> None:
    assert len(labels_under(schemes, "lean/LeanPrinciple")) == 5
    assert len(labels_under(schemes, "lean/SoftwareDevelopmentWaste")) == 9  # the 2003 and 2006 lists together
    assert len(labels_under(schemes, "lean/ManufacturingWaste")) == 8  # Ohno's seven and unused talent
    assert labels_under(schemes, "flow/FlowItem") == ["Debt", "Defect", "Feature", "Risk"]
    assert len(labels_under(schemes, "flow/FlowMetric")) == 5
    assert len(labels_under(schemes, "safe/FlowMetric")) == 6
    assert len(labels_under(schemes, "porter/PrimaryActivity")) == 5
    assert len(labels_under(schemes, "porter/SupportActivity")) == 4
    dora = schemes.query("SELECT ?c WHERE { ?c skos:inScheme <https://w3id.org/vskg/scheme/dora> }", initNs=NS)
    assert len(list(dora)) == 5
    levels = schemes.query(
        "SELECT ?n ?label WHERE { ?l a vskg:MaturityLevel ; skos:notation ?n ; skos:prefLabel ?label } ORDER BY ?n",
        initNs=NS,
    )
    assert [str(r.n) for r in levels] == ["1", "2", "3", "4", "5"]


def test_industries_carry_their_isic_codes(schemes: rdflib.Graph) -> None:
    rows = schemes.query(
        "SELECT ?c ?code ?notation WHERE { ?c a vskg:Industry ; vskg:isicCode ?code ; skos:notation ?notation }",
        initNs=NS,
    )
    found = {str(r.c).rsplit("/", 1)[-1]: (str(r.code), str(r.notation)) for r in rows}
    assert len(found) == 17
    for name, (code, notation) in found.items():
        assert name == f"isic-{code}" and notation == code and len(code) == 4
