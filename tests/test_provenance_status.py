"""Every resource of the bundled examples says whether the article names it or the modeller added it.

A resource named by the article carries vskg:provenanceStatus vskg:NamedByArticle, the heading of the article
section that names it and the article's exact words; those words are checked against the sentences of the article
kept in tests/fixtures/article/ (the tests do not read the article itself). Every other resource is
vskg:AddedByModeller and derived from src:vskg, never from the article. Every figure the article does not give
(times, queues, percentages, targets, dates, amounts, maturity levels; the objectives' targets in their labels) sits
on a resource marked vskg:illustrative true. The counts are exact: a resource added to data/ must be classified.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, URIRef

from vskg.rdfio import load_graph
from vskg.resources import locate

VSKG = rdflib.Namespace("https://w3id.org/vskg/ontology#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
DCTERMS = rdflib.DCTERMS
SRC = rdflib.Namespace("https://w3id.org/vskg/source/")
ARTICLE = SRC["value-streams-explained"]
PHRASES = Path(__file__).parent / "fixtures" / "article" / "value-streams-explained-phrases.txt"

# Properties whose values are figures: none of them comes from the article.
FIGURES = [
    VSKG.processTimeHours, VSKG.leadTimeHours, VSKG.waitTimeHours, VSKG.queueLength, VSKG.percentCompleteAccurate,
    VSKG.targetValue, VSKG.numericValue, VSKG.measuredOn, VSKG.amount, VSKG.periodStart, VSKG.periodEnd,
    VSKG.assessedOn, VSKG.currentLevel, VSKG.targetLevel,
]  # fmt: skip
# Resources whose label or comment holds a number that is not a figure of the model.
NUMBERS_NOT_FIGURES = {"https://w3id.org/vskg/data/platform/platform-reliability"}  # "ITIL 4"


@pytest.fixture(scope="module")
def data() -> rdflib.Graph:
    return load_graph(locate().data)


def article_sections() -> dict[str, str]:
    """The kept sentences of the article, by section heading."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in PHRASES.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:]
            sections[current] = []
        elif line and not line.startswith("#"):
            assert current is not None, line
            sections[current].append(line)
    return {heading: "\n".join(lines) for heading, lines in sections.items()}


def resources(data: rdflib.Graph) -> set[URIRef]:
    return {s for s in data.subjects(RDF.type, None) if isinstance(s, URIRef)}


def status(data: rdflib.Graph, node: URIRef) -> str:
    values = list(data.objects(node, VSKG.provenanceStatus))
    assert len(values) == 1, (node, values)
    return str(values[0]).rsplit("#", 1)[1]


def test_every_resource_is_named_by_the_article_or_added(data: rdflib.Graph) -> None:
    counts = Counter(status(data, node) for node in resources(data))
    assert counts == {"NamedByArticle": 129, "AddedByModeller": 766}
    # Everything that has a provenance statement is a typed resource of the examples.
    assert set(data.subjects(VSKG.provenanceStatus, None)) == resources(data)


@pytest.mark.parametrize(
    ("kind", "named", "added"),
    [
        ("StrategicValueStream", 12, 0),
        ("ValueStreamStage", 36, 28),
        ("Capability", 4, 105),
        ("ApplicationSystem", 15, 60),
        ("StrategicObjective", 0, 16),
        ("Handoff", 0, 52),
        ("IndustryExample", 8, 0),
        ("SourceDocument", 7, 17),
        # The article's concepts (issue 13): named where the article says them, the modeller's readings added.
        ("Decision", 2, 2),
        ("CoordinationFailure", 0, 4),
        ("StreamDependency", 0, 3),
        ("OrganisationalCycle", 3, 0),
        ("ValueStreamOperatingModel", 2, 0),
        ("Mission", 1, 0),
        ("Influencer", 1, 0),
        ("Assessment", 1, 0),
    ],
)
def test_counts_by_kind(data: rdflib.Graph, kind: str, named: int, added: int) -> None:
    found = Counter(status(data, node) for node in data.subjects(RDF.type, VSKG[kind]))
    assert (found["NamedByArticle"], found["AddedByModeller"]) == (named, added)


def test_named_resources_quote_the_article_where_it_names_them(data: rdflib.Graph) -> None:
    sections = article_sections()
    references = set(data.objects(ARTICLE, DCTERMS.references))
    wrong = []
    for node in sorted(resources(data)):
        if status(data, node) != "NamedByArticle":
            continue
        (section,) = data.objects(node, VSKG.articleSection)
        phrases = list(data.objects(node, VSKG.articlePhrase))
        if not phrases or str(section) not in sections:
            wrong.append((str(node), "no phrase or unknown section", str(section)))
        wrong += [(str(node), str(section), str(p)) for p in phrases if str(p) not in sections.get(str(section), "")]
        if (node, RDF.type, VSKG.SourceDocument) in data:
            # A source record is named by the article when the article cites it (or is the article itself).
            if node != ARTICLE and node not in references:
                wrong.append((str(node), "named but not cited by the article", ""))
        elif (node, PROV.wasDerivedFrom, ARTICLE) not in data:
            wrong.append((str(node), "named but not derived from the article", ""))
    assert wrong == []


def test_added_resources_claim_nothing_from_the_article(data: rdflib.Graph) -> None:
    wrong = []
    for node in sorted(resources(data)):
        if status(data, node) != "AddedByModeller" or (node, RDF.type, VSKG.SourceDocument) in data:
            continue
        if set(data.objects(node, PROV.wasDerivedFrom)) != {SRC.vskg}:
            wrong.append((str(node), "prov:wasDerivedFrom"))
        if (node, DCTERMS.source, ARTICLE) in data:
            wrong.append((str(node), "dcterms:source"))
        if (node, VSKG.articlePhrase, None) in data or (node, VSKG.articleSection, None) in data:
            wrong.append((str(node), "article locator"))
    assert wrong == []


def test_stages_added_to_complete_a_flow_are_added_by_the_modeller(data: rdflib.Graph) -> None:
    flagged = set(data.subjects(VSKG.addedToCompleteFlow, Literal(True)))
    assert len(flagged) == 28
    assert {status(data, stage) for stage in flagged} == {"AddedByModeller"}


def test_every_invented_figure_is_flagged_illustrative(data: rdflib.Graph) -> None:
    with_figures = {node for prop in FIGURES for node in data.subjects(prop, None)}
    with_numbers = {
        node
        for node in resources(data)
        for prop in (RDFS.label, RDFS.comment)
        for text in data.objects(node, prop)
        if re.search(r"\d", str(text))
        and str(node) not in NUMBERS_NOT_FIGURES
        and (node, RDF.type, VSKG.SourceDocument) not in data  # years of publication are bibliographic facts
    }
    flagged = set(data.subjects(VSKG.illustrative, Literal(True)))
    assert sorted(map(str, (with_figures | with_numbers) - flagged)) == []
    assert len(with_figures) == 274
    assert len(with_numbers - with_figures) == 16  # the strategic objectives: targets and dates in their text
    assert set(data.subjects(RDF.type, VSKG.StrategicObjective)) <= flagged
    assert len(flagged) == 290


def test_the_kept_article_sentences_name_their_source() -> None:
    text = PHRASES.read_text(encoding="utf-8")
    assert "https://www.strategicvaluestreams.com/value-streams-explained" in text
    assert len(article_sections()) == 12
