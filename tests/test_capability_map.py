"""Each organisation's capabilities form one SKOS capability map that repeats the capability hierarchy.

The map is a vskg:CapabilityMap (a skos:ConceptScheme) linked from its organisation by vskg:hasCapabilityMap; the
level-1 capabilities are its top concepts and skos:broader repeats vskg:subCapabilityOf, so that SKOS tools draw
the same tree the analytics read. The capability-map query returns the map row by row.
"""

from __future__ import annotations

import pyoxigraph
import pytest
import rdflib
from rdflib import RDF

from vskg.catalogue import catalogue, run
from vskg.rdfio import load_graph
from vskg.resources import locate
from vskg.results import collect

VSKG = rdflib.Namespace("https://w3id.org/vskg/ontology#")
SKOS = rdflib.SKOS
BANK = "https://w3id.org/vskg/data/banking/"


@pytest.fixture(scope="module")
def data() -> rdflib.Graph:
    return load_graph(locate().data)


def test_every_organisation_has_one_map_holding_all_its_capabilities(data: rdflib.Graph) -> None:
    organisations = set(data.subjects(RDF.type, VSKG.Organisation))
    assert len(organisations) == 8
    capabilities = set(data.subjects(RDF.type, VSKG.Capability))
    in_maps = []
    for organisation in organisations:
        (cmap,) = data.objects(organisation, VSKG.hasCapabilityMap)
        assert (cmap, RDF.type, SKOS.ConceptScheme) in data and (cmap, RDF.type, VSKG.CapabilityMap) in data
        members = set(data.subjects(SKOS.inScheme, cmap))
        in_maps += members
        # The map holds exactly the capabilities that enable the organisation's stages, and their parents.
        enabling = set(
            data.query(
                "SELECT ?c WHERE { ?stage vskg:stageOf/vskg:operatedBy ?o ; vskg:enabledBy/vskg:subCapabilityOf* ?c }",
                initNs={"vskg": VSKG},
                initBindings={"o": organisation},
            )
        )
        assert members == {row[0] for row in enabling}, organisation
        assert set(data.objects(cmap, SKOS.hasTopConcept)) == set(data.subjects(SKOS.topConceptOf, cmap))
    assert sorted(in_maps) == sorted(capabilities)  # each of the 109 capabilities in exactly one map
    assert len(in_maps) == 109


def test_the_map_repeats_the_hierarchy_and_its_levels(data: rdflib.Graph) -> None:
    for capability in data.subjects(RDF.type, VSKG.Capability):
        assert (capability, RDF.type, SKOS.Concept) in data
        assert set(data.objects(capability, SKOS.broader)) == set(data.objects(capability, VSKG.subCapabilityOf))
        (level,) = data.objects(capability, VSKG.capabilityLevel)
        (cmap,) = data.objects(capability, SKOS.inScheme)
        is_top = (capability, SKOS.topConceptOf, cmap) in data
        assert is_top == (level.toPython() == 1), capability
        assert len(list(data.objects(capability, SKOS.prefLabel))) == 1


def test_capability_map_query_returns_the_banks_map(store: pyoxigraph.Store) -> None:
    result = collect(run(store, catalogue()["capability-map"], {"organisation": BANK + "retail-bank"}))
    assert result.variables == ["organisation", "map", "level", "parent", "capability", "label"]
    rows = [
        (row["level"], (row.get("parent") or "").removeprefix(BANK), row["capability"].removeprefix(BANK), row["label"])
        for row in result.values()
    ]
    assert {(row["organisation"], row["map"]) for row in result.values()} == {
        (BANK + "retail-bank", BANK + "capability-map")
    }
    assert rows == [
        ("1", "", "customer-management", "Customer management"),
        ("1", "", "lending-fulfilment", "Lending fulfilment"),
        ("1", "", "risk-and-compliance-management", "Risk and compliance management"),
        ("2", "customer-management", "customer-onboarding", "Customer onboarding"),
        ("2", "customer-management", "mortgage-advice", "Mortgage advice"),
        ("2", "customer-management", "mortgage-product-marketing", "Mortgage product marketing"),
        ("2", "lending-fulfilment", "collateral-valuation", "Collateral valuation"),
        ("2", "lending-fulfilment", "conveyancing-coordination", "Conveyancing coordination"),
        ("2", "lending-fulfilment", "funds-disbursement", "Funds disbursement"),
        ("2", "lending-fulfilment", "loan-account-setup", "Loan account set-up"),
        ("2", "risk-and-compliance-management", "credit-decisioning", "Credit decisioning"),
        ("2", "risk-and-compliance-management", "credit-risk-assessment", "Credit risk assessment"),
        ("2", "risk-and-compliance-management", "exception-underwriting", "Exception underwriting"),
        ("2", "risk-and-compliance-management", "financial-crime-checks", "Identity and financial crime checks"),
        ("2", "risk-and-compliance-management", "affordability-analysis", "Income and expenditure analysis"),
    ]


def test_capability_map_query_covers_every_organisation(store: pyoxigraph.Store) -> None:
    rows = collect(run(store, catalogue()["capability-map"], {})).values()
    assert len(rows) == 109
    assert sum(1 for row in rows if row["level"] == "1") == 23
