"""The framework schemes follow the frameworks as they stand, and keep their earlier names queryable.

DORA's five current metrics, ITIL's change control renamed change enablement, the Poppendiecks' two lists of
software wastes and Ohno's manufacturing wastes, and ISIC Rev.4's own sections. A renamed term keeps its old name
as a skos:altLabel and as a SKOS-XL label carrying the year and the source of that name and the label that replaced
it, so "what was this called in 2018, and where?" is one SPARQL query.
"""

from __future__ import annotations

import re

import pytest
import rdflib
from rdflib import SKOS, URIRef

from vskg.rdfio import load_graph
from vskg.resources import locate

SKOSXL = rdflib.Namespace("http://www.w3.org/2008/05/skos-xl#")
SCHEME = "https://w3id.org/vskg/scheme/"
SRC = "https://w3id.org/vskg/source/"
NS = {
    "skos": SKOS,
    "skosxl": SKOSXL,
    "dcterms": rdflib.DCTERMS,
    "rdfs": rdflib.RDFS,
    "vskg": rdflib.Namespace("https://w3id.org/vskg/ontology#"),
}


@pytest.fixture(scope="module")
def schemes() -> rdflib.Graph:
    return load_graph(locate().schemes)


def rows(graph: rdflib.Graph, query: str, **bindings: str) -> list[tuple[str | None, ...]]:
    found = graph.query(query, initNs=NS, initBindings={k: URIRef(v) for k, v in bindings.items()})
    return [tuple(None if cell is None else str(cell) for cell in row) for row in found]


def pref_labels(graph: rdflib.Graph, concepts: object) -> list[str]:
    return sorted(str(graph.value(c, SKOS.prefLabel)) for c in concepts)  # type: ignore[attr-defined]


def members(graph: rdflib.Graph, collection: str) -> set[URIRef]:
    return set(graph.objects(URIRef(SCHEME + collection), SKOS.member))  # type: ignore[arg-type]


RENAMES = """
SELECT ?current ?old ?oldYear ?oldSource ?newYear WHERE {
  ?concept skos:inScheme ?scheme ; skosxl:altLabel ?label .
  ?label skosxl:literalForm ?old ; dcterms:date ?oldYear ; dcterms:source ?oldSource ; dcterms:isReplacedBy ?new .
  ?new skosxl:literalForm ?current ; dcterms:date ?newYear .
  ?concept skosxl:prefLabel ?new .
} ORDER BY ?current ?oldYear
"""

# ------------------------------------------------------------------------------------------------------- DORA


def test_dora_has_the_five_current_metrics_grouped_as_throughput_and_instability(schemes: rdflib.Graph) -> None:
    metrics = rows(
        schemes,
        "SELECT ?label WHERE { ?m skos:inScheme ?s ; skos:topConceptOf ?s ; a vskg:Metric ; skos:prefLabel ?label }"
        " ORDER BY ?label",
        s=SCHEME + "dora",
    )
    assert [m[0] for m in metrics] == [
        "Change fail rate",
        "Change lead time",
        "Deployment frequency",
        "Deployment rework rate",
        "Failed deployment recovery time",
    ]
    assert pref_labels(schemes, members(schemes, "dora/SoftwareDeliveryThroughput")) == [
        "Change lead time",
        "Deployment frequency",
        "Failed deployment recovery time",
    ]
    assert pref_labels(schemes, members(schemes, "dora/SoftwareDeliveryInstability")) == [
        "Change fail rate",
        "Deployment rework rate",
    ]
    rework = URIRef(SCHEME + "dora/DeploymentReworkRate")
    assert {str(s) for s in schemes.objects(rework, rdflib.DCTERMS.source)} == {
        SRC + "dora-state-of-devops-2024",
        SRC + "dora-metrics-guide",
        SRC + "dora-metrics-history",
    }


def test_dora_old_names_with_their_years_sources_and_the_names_that_replaced_them(schemes: rdflib.Graph) -> None:
    assert rows(schemes, RENAMES, scheme=SCHEME + "dora") == [
        ("Change lead time", "Lead time for changes", "2014", SRC + "dora-metrics-history", "2024"),
        ("Change lead time", "Deployment lead time", "2015", SRC + "dora-metrics-history", "2024"),
        ("Failed deployment recovery time", "Mean time to recover", "2014", SRC + "dora-metrics-history", "2023"),
        ("Failed deployment recovery time", "Time to restore service", "2018", SRC + "dora-accelerate-2018", "2023"),
    ]


@pytest.mark.parametrize("scheme", ["dora", "itil4", "lean"])
def test_plain_skos_labels_and_skosxl_labels_agree(schemes: rdflib.Graph, scheme: str) -> None:
    """A plain SKOS client sees the same names; every SKOS-XL label has a source."""
    iri = URIRef(SCHEME + scheme)
    for concept in schemes.subjects(SKOS.inScheme, iri):
        xl_pref = [schemes.value(label, SKOSXL.literalForm) for label in schemes.objects(concept, SKOSXL.prefLabel)]
        assert xl_pref in ([], [schemes.value(concept, SKOS.prefLabel)]), concept
        xl_alt = {schemes.value(label, SKOSXL.literalForm) for label in schemes.objects(concept, SKOSXL.altLabel)}
        assert xl_alt <= set(schemes.objects(concept, SKOS.altLabel)), concept
        for label in [*schemes.objects(concept, SKOSXL.prefLabel), *schemes.objects(concept, SKOSXL.altLabel)]:
            assert schemes.value(label, rdflib.DCTERMS.source) is not None, label
    dora_alt = rows(
        schemes,
        "SELECT ?c ?alt WHERE { ?c skos:inScheme ?s ; skos:altLabel ?alt"
        " FILTER NOT EXISTS { ?c skosxl:altLabel/skosxl:literalForm ?alt } }",
        s=SCHEME + "dora",
    )
    assert dora_alt == []  # every earlier DORA name carries its year and source


# ------------------------------------------------------------------------------------------------------- ITIL 4


def test_change_enablement_was_change_control_in_the_2019_foundation_text(schemes: rdflib.Graph) -> None:
    assert rows(schemes, RENAMES, scheme=SCHEME + "itil4") == [
        ("Change enablement", "Change control", "2019", SRC + "itil4-2019", "2020"),
    ]
    change = URIRef(SCHEME + "itil4/ChangeEnablement")
    assert sorted(str(a) for a in schemes.objects(change, SKOS.altLabel)) == ["Change control"]
    assert schemes.value(URIRef(SCHEME + "itil4/label-change-enablement"), rdflib.DCTERMS.source) == URIRef(
        SRC + "itil4-change-enablement-2020"
    )


def test_the_continual_improvement_practice_has_the_practice_name(schemes: rdflib.Graph) -> None:
    found = rows(
        schemes,
        "SELECT ?c ?parent WHERE { ?c skos:prefLabel 'Continual improvement'@en ; skos:broader ?parent } ORDER BY ?c",
    )
    assert found == [
        (SCHEME + "itil4/ContinualImprovement", SCHEME + "itil4/ServiceValueSystem"),
        (SCHEME + "itil4/ContinualImprovementPractice", SCHEME + "itil4/Practices"),
    ]
    assert URIRef(SCHEME + "itil4/ContinualImprovementPractice") in members(schemes, "itil4/GeneralManagementPractices")


# British -ise words without an -ize spelling.
ISE_ONLY = {"enterprise", "expertise", "exercise", "premise", "promise", "advise", "supervise", "compromise", "raise"}
ISE = re.compile(r"\b\w+?is(?:e|es|ed|ing|ation|ations|ational)\b", re.IGNORECASE)


def test_every_ise_label_has_an_ize_alternative_label(schemes: rdflib.Graph) -> None:
    pairs = set()
    missing = []
    for concept in set(schemes.subjects(rdflib.RDF.type, SKOS.Concept)):
        labels = {str(x) for p in (SKOS.prefLabel, rdflib.RDFS.label) for x in schemes.objects(concept, p)}
        alternatives = {str(x) for x in schemes.objects(concept, SKOS.altLabel)}
        for label in labels:
            words = [w for w in ISE.findall(label) if w.lower() not in ISE_ONLY]
            if not words:
                continue
            ize = label
            for word in words:
                ize = ize.replace(word, re.sub(r"is(?=(e|es|ed|ing|ation|ations|ational)\b)", "iz", word))
            pairs.add((str(concept).removeprefix(SCHEME), label, ize))
            if ize not in alternatives:
                missing.append((str(concept), label, ize))
    assert missing == []
    assert pairs == {
        ("itil4/OptimiseAndAutomate", "Optimise and automate", "Optimize and automate"),
        ("itil4/OrganisationsAndPeople", "Organisations and people", "Organizations and people"),
        (
            "itil4/OrganisationalChangeManagement",
            "Organisational change management",
            "Organizational change management",
        ),
        ("archimate/RealizationRelationship", "Realisation relationship", "Realization relationship"),
        ("archimate/SpecializationRelationship", "Specialisation relationship", "Specialization relationship"),
        ("maturity/Level5", "Optimising", "Optimizing"),
        ("lean/StructureAffectsFlow", "Organisational structure affects flow", "Organizational structure affects flow"),
    }


# ------------------------------------------------------------------------------------------------------- Lean

POPPENDIECK_2003 = [
    "Defects",
    "Delays",  # named waiting in 2003
    "Extra features",
    "Extra processes",
    "Motion",
    "Partially done work",
    "Task switching",
]
POPPENDIECK_2006 = [
    "Defects",
    "Delays",
    "Extra features",
    "Handoffs",
    "Partially done work",
    "Relearning",
    "Task switching",
]


def test_each_software_waste_cites_the_lists_that_name_it(schemes: rdflib.Graph) -> None:
    list_2003 = members(schemes, "lean/PoppendieckWastes2003")
    list_2006 = members(schemes, "lean/PoppendieckWastes2006")
    assert pref_labels(schemes, list_2003) == POPPENDIECK_2003
    assert pref_labels(schemes, list_2006) == POPPENDIECK_2006
    wastes = set(schemes.subjects(SKOS.broader, URIRef(SCHEME + "lean/SoftwareDevelopmentWaste")))
    assert wastes == list_2003 | list_2006 and len(wastes) == 9
    for waste in wastes:
        expected = {SRC + "poppendieck-2003"} if waste in list_2003 else set()
        expected |= {SRC + "poppendieck-2006"} if waste in list_2006 else set()
        assert {str(s) for s in schemes.objects(waste, rdflib.DCTERMS.source)} == expected, waste
    assert rows(schemes, RENAMES, scheme=SCHEME + "lean") == [
        ("Delays", "Waiting", "2003", SRC + "poppendieck-2003", "2006"),
    ]


def test_ohnos_seven_wastes_and_the_eighth_with_their_sources(schemes: rdflib.Graph) -> None:
    seven = members(schemes, "lean/OhnosSevenWastes")
    assert pref_labels(schemes, seven) == [
        "Defects",
        "Inventory",
        "Motion",
        "Over-processing",
        "Overproduction",
        "Transportation",
        "Waiting",
    ]
    for waste in seven:
        assert list(schemes.objects(waste, rdflib.DCTERMS.source)) == [URIRef(SRC + "ohno-1988")], waste
    everything = set(schemes.subjects(SKOS.broader, URIRef(SCHEME + "lean/ManufacturingWaste")))
    (eighth,) = everything - seven
    assert eighth == URIRef(SCHEME + "lean/UnusedTalent")
    assert str(schemes.value(eighth, SKOS.prefLabel)) == "Unused talent"
    assert "Unused employee creativity" in {str(a) for a in schemes.objects(eighth, SKOS.altLabel)}
    assert list(schemes.objects(eighth, rdflib.DCTERMS.source)) == [URIRef(SRC + "liker-2004")]


def test_manufacturing_wastes_relate_to_the_software_wastes_the_poppendiecks_match_them_with(
    schemes: rdflib.Graph,
) -> None:
    found = rows(
        schemes,
        """SELECT ?m ?s WHERE {
             ?mc skos:broader ?manufacturing ; skos:related ?sc ; skos:prefLabel ?m .
             ?sc skos:broader ?software ; skos:related ?mc ; skos:prefLabel ?s .
           } ORDER BY ?m ?s""",
        manufacturing=SCHEME + "lean/ManufacturingWaste",
        software=SCHEME + "lean/SoftwareDevelopmentWaste",
    )
    assert found == [
        ("Defects", "Defects"),  # 2003 and 2006
        ("Inventory", "Partially done work"),  # 2003 and 2006
        ("Motion", "Motion"),  # 2003
        ("Motion", "Task switching"),  # 2006
        ("Over-processing", "Extra processes"),  # 2003
        ("Over-processing", "Relearning"),  # 2006
        ("Overproduction", "Extra features"),  # 2003 and 2006
        ("Transportation", "Handoffs"),  # 2006
        ("Transportation", "Task switching"),  # 2003
        ("Waiting", "Delays"),  # 2003 (as waiting) and 2006
    ]


# ------------------------------------------------------------------------------------------------------- ISIC

SECTIONS = {
    "A": "Agriculture, forestry and fishing",
    "B": "Mining and quarrying",
    "C": "Manufacturing",
    "D": "Electricity, gas, steam and air conditioning supply",
    "E": "Water supply; sewerage, waste management and remediation activities",
    "F": "Construction",
    "G": "Wholesale and retail trade; repair of motor vehicles and motorcycles",
    "H": "Transportation and storage",
    "I": "Accommodation and food service activities",
    "J": "Information and communication",
    "K": "Financial and insurance activities",
    "L": "Real estate activities",
    "M": "Professional, scientific and technical activities",
    "N": "Administrative and support service activities",
    "O": "Public administration and defence; compulsory social security",
    "P": "Education",
    "Q": "Human health and social work activities",
    "R": "Arts, entertainment and recreation",
    "S": "Other service activities",
    "T": (
        "Activities of households as employers; undifferentiated goods- and services-producing activities of "
        "households for own use"
    ),
    "U": "Activities of extraterritorial organizations and bodies",
}

# ISIC Rev.4: the section of each division (the first two digits of a class code).
DIVISION_RANGES = [
    (1, 3, "A"),
    (5, 9, "B"),
    (10, 33, "C"),
    (35, 35, "D"),
    (36, 39, "E"),
    (41, 43, "F"),
    (45, 47, "G"),
    (49, 53, "H"),
    (55, 56, "I"),
    (58, 63, "J"),
    (64, 66, "K"),
    (68, 68, "L"),
    (69, 75, "M"),
    (77, 82, "N"),
    (84, 84, "O"),
    (85, 85, "P"),
    (86, 88, "Q"),
    (90, 93, "R"),
    (94, 96, "S"),
    (97, 98, "T"),
    (99, 99, "U"),
]


def section_of(code: str) -> str:
    division = int(code[:2])
    (section,) = [s for low, high, s in DIVISION_RANGES if low <= division <= high]
    return section


def test_the_top_level_is_isics_21_sections_with_their_official_titles(schemes: rdflib.Graph) -> None:
    top = rows(
        schemes,
        "SELECT ?n ?label WHERE { ?s ?has ?c . ?c skos:notation ?n ; skos:prefLabel ?label } ORDER BY ?n",
        s=SCHEME + "industry",
        has=str(SKOS.hasTopConcept),
    )
    assert dict(top) == SECTIONS and len(top) == 21


def test_every_isic_class_sits_under_its_official_section(schemes: rdflib.Graph) -> None:
    placed = rows(
        schemes,
        "SELECT ?code ?section WHERE { ?c a vskg:Industry ; vskg:isicCode ?code ; skos:broader ?s ."
        " ?s skos:notation ?section } ORDER BY ?code",
    )
    assert len(placed) == 17
    assert [(code, section) for code, section in placed if section != section_of(code)] == []
    assert ("4930", "H") in placed and ("5012", "H") in placed
    broader = rows(schemes, "SELECT ?c (COUNT(?b) AS ?n) WHERE { ?c a vskg:Industry ; skos:broader ?b } GROUP BY ?c")
    assert {n for _, n in broader} == {"1"}


def test_the_articles_sectors_are_collections_beside_the_hierarchy(schemes: rdflib.Graph) -> None:
    sectors = members(schemes, "industry/ArticleExampleSectors")
    assert len(sectors) == 7
    for sector in sectors:
        assert set(schemes.objects(sector, rdflib.RDF.type)) == {SKOS.Collection}, sector
        assert list(schemes.subjects(SKOS.broader, sector)) == [], sector
    oil_and_gas = sorted(str(schemes.value(m, NS["vskg"].isicCode)) for m in members(schemes, "industry/OilAndGas"))
    assert oil_and_gas == ["0610", "0620", "0910", "4930", "5012"]
    assert {section_of(code) for code in oil_and_gas} == {"B", "H"}


# ------------------------------------------------------------------------------------------------------- sources


def test_every_new_source_is_a_described_source_document() -> None:
    sources = rdflib.Graph().parse(locate().root / "data" / "sources.ttl")
    for name in [
        "dora-metrics-guide",
        "dora-metrics-history",
        "dora-state-of-devops-2023",
        "dora-state-of-devops-2024",
        "itil4-change-enablement-2020",
        "poppendieck-2006",
        "ohno-1988",
        "liker-2004",
    ]:
        source = URIRef(SRC + name)
        assert (source, rdflib.RDF.type, NS["vskg"].SourceDocument) in sources, name
        assert sources.value(source, rdflib.DCTERMS.issued) is not None, name
        assert sources.value(source, rdflib.DCTERMS.bibliographicCitation) is not None, name
