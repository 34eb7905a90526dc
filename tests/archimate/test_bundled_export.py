"""The article's examples (native vskg data) export to exchange XML that validates and re-imports to the same counts."""

from __future__ import annotations

import pytest

from tests.archimate.conftest import counts, validate
from vskg.archimate.importer import build_import
from vskg.archimate.writer import ExportError, export_store
from vskg.resources import locate
from vskg.store import LocalStore

VSKG = "PREFIX vskg: <https://w3id.org/vskg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
EXAMPLES = [p.stem for p in locate().data if p.stem != "sources"]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    db = LocalStore(tmp_path_factory.mktemp("bundled") / "store")
    db.init_bundled()
    yield db
    db.close()


def _count(db: LocalStore, classes: str, graph: str | None) -> int:
    scope = f"GRAPH <{graph}>" if graph else "GRAPH ?g"
    rows = db.query(
        f"{VSKG} SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {scope} {{ ?s a ?c }} VALUES ?c {{ {classes} }} }}"
    )
    return int(next(iter(rows))["n"].value)


ELEMENT_CLASSES = (
    "vskg:ValueStream vskg:OperationalValueStream vskg:DevelopmentValueStream vskg:StrategicValueStream "
    "vskg:ServiceValueStream vskg:ValueStreamStage vskg:Capability vskg:ApplicationSystem "
    "vskg:TechnologyPlatform vskg:OrganisationUnit vskg:Team vskg:AgileReleaseTrain "
    "vskg:GovernanceBody vskg:Outcome"
)


def _orders(db: LocalStore, graph: str | None) -> set[tuple[str, str]]:
    scope = f"GRAPH <{graph}>" if graph else "GRAPH ?g"
    rows = db.query(f"{VSKG} SELECT ?l ?o WHERE {{ {scope} {{ ?s vskg:stageOrder ?o ; rdfs:label ?l }} }}")
    return {(r["l"].value, r["o"].value) for r in rows}


def test_all_examples_export_validate_and_reimport(bundled, model_schema, tmp_path):
    xml = export_store(bundled)
    assert validate(model_schema, xml) == []
    found = counts(xml)
    stages = _count(bundled, "vskg:ValueStreamStage", None)
    assert found["elements"] == _count(bundled, ELEMENT_CLASSES, None)
    flows = int(
        next(iter(bundled.query(f"{VSKG} SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?a vskg:nextStage ?b }} }}")))[
            "n"
        ].value
    )
    _, summary = build_import(xml, "examples.xml")
    assert summary.element_count == found["elements"]
    assert summary.relationship_count == found["relationships"]
    assert summary.properties == found["properties"]
    assert summary.relationships["Flow"] == flows
    assert summary.vskg["ValueStreamStage"] == stages
    assert summary.warnings == []
    # the stage order read back from the Flow chain is the order the examples state
    db = LocalStore(tmp_path / "store")
    try:
        db.replace_graph(summary.graph, build_import(xml, "examples.xml")[0])
        assert _orders(db, summary.graph) == _orders(bundled, None)
        # and the round trip of the export itself is exact
        again = export_store(db, summary.graph)
        assert counts(again) == found
    finally:
        db.close()


@pytest.mark.parametrize("example", EXAMPLES)
def test_each_example_exports_on_its_own(bundled, model_schema, example):
    graph = f"https://w3id.org/vskg/graph/data/{example}"
    xml = export_store(bundled, graph)
    assert validate(model_schema, xml) == []
    found = counts(xml)
    assert found["elements"] == _count(bundled, ELEMENT_CLASSES, graph)
    _, summary = build_import(xml, f"{example}.xml")
    assert (summary.element_count, summary.relationship_count, summary.properties) == (
        found["elements"],
        found["relationships"],
        found["properties"],
    )
    assert summary.vskg["ValueStreamStage"] == _count(bundled, "vskg:ValueStreamStage", graph)
    assert summary.warnings == []


def test_stage_attributes_become_properties(bundled):
    xml = export_store(bundled, "https://w3id.org/vskg/graph/data/banking-mortgage-lending").decode()
    assert '<propertyDefinition identifier="vskg-mca-dimension" type="string">' in xml
    assert '<propertyDefinition identifier="vskg-current-maturity" type="string">' in xml
    assert '<propertyDefinition identifier="vskg-stage-order" type="number">' in xml
    assert "<value>StrategicArchitecture</value>" in xml
    assert "<value>Level3</value>" in xml


def test_graph_without_vskg_data_is_refused(bundled):
    with pytest.raises(ExportError) as caught:
        export_store(bundled, "https://w3id.org/vskg/graph/data/sources")
    assert str(caught.value) == (
        "graph <https://w3id.org/vskg/graph/data/sources> holds no ArchiMate model and no vskg streams, stages, "
        "capabilities or systems"
    )
    with pytest.raises(ExportError):
        export_store(bundled, "https://example.org/no-such-graph")


def test_exported_examples_use_only_relationships_archimate_allows(bundled):
    """Archi's relationship table (as the shapes in shapes/archimate-relationships.ttl) finds nothing to refuse."""
    import rdflib

    from vskg.validate import validate_graph

    quads, _ = build_import(export_store(bundled), "examples.xml")
    graph = rdflib.Graph()
    graph.parse(data="\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads), format="nt")
    report = validate_graph(graph)
    archimate_findings = [f for f in report.findings if "ArchiMate" in f.source_shape]
    assert archimate_findings == []
    assert (
        sum(1 for _ in graph.subjects(rdflib.RDF.type, rdflib.URIRef("https://w3id.org/vskg/archimate#Relationship")))
        > 700
    )
