"""Exchange-format import and export with real third-party files (fixtures/archimate/external): counts, XSD validity,
round trip."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.archimate.conftest import EXTERNAL, FIXTURES, counts, validate
from vskg.archimate.exchange import read_exchange
from vskg.archimate.importer import build_import, import_file
from vskg.archimate.writer import export_store
from vskg.rdfio import InputError
from vskg.store import LocalStore

VP = EXTERNAL / "aoeff31-visual-paradigm.xml"
INVALID = EXTERNAL / "aoeff31-INVALID-undeclared-propdefs.xml"
AM = "https://w3id.org/vskg/archimate#"


@pytest.fixture
def db(tmp_path: Path):
    store = LocalStore(tmp_path / "store")
    yield store
    store.close()


def count_in_graph(db: LocalStore, graph: str, pattern: str) -> int:
    rows = list(db.query(f"PREFIX am: <{AM}> SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}"))
    return int(rows[0]["n"].value)


def dump(db: LocalStore) -> bytes:
    out = io.BytesIO()
    db.dump(out)
    return out.getvalue()


def test_shared_file_is_valid_and_counted_independently(diagram_schema):
    xml = VP.read_bytes()
    assert validate(diagram_schema, xml) == []
    assert counts(xml) == {"elements": 97, "relationships": 46, "properties": 3, "property_definitions": 48}


def test_import_keeps_every_element_relationship_and_property(db):
    expected = counts(VP.read_bytes())
    summary = import_file(db, VP)
    graph = "https://w3id.org/vskg/graph/archimate/Id-nVnkOI6GAqACmCbt"
    assert summary.graph == graph
    assert summary.element_count == expected["elements"] == 97
    assert summary.relationship_count == expected["relationships"] == 46
    assert summary.properties == expected["properties"] == 3
    assert summary.property_definitions == expected["property_definitions"] == 48
    assert len(summary.elements) == 62  # every element type of ArchiMate 3.2 occurs in this file
    assert len(summary.relationships) == 11
    assert (summary.views, summary.views_skipped) == (4, 0)
    assert count_in_graph(db, graph, "?s a am:Element") == 97
    assert count_in_graph(db, graph, "?s a am:Relationship") == 46
    # a property is am:Property by the range of am:hasProperty; the graph does not say it twice
    assert count_in_graph(db, graph, "?o am:hasProperty ?s") == 3 + 188  # and 188 property values on the 4 views
    assert count_in_graph(db, graph, "?s a am:Property") == 0
    assert count_in_graph(db, graph, "?s a am:View") == 4
    assert count_in_graph(db, graph, "?s a am:PropertyDefinition") == 48
    # PROV in the same graph: file name, SHA-256, times, what was skipped
    rows = list(
        db.query(f"""PREFIX am: <{AM}> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?name ?file ?format ?start ?end ?views WHERE {{ GRAPH <{graph}> {{
          <{graph}> prov:wasGeneratedBy ?a .
          ?a a prov:Activity ; prov:used ?file ; prov:startedAtTime ?start ; prov:endedAtTime ?end ;
             am:skipped [ am:what "view" ; am:count ?views ] .
          ?file dcterms:title ?name ; dcterms:format ?format }} }}""")
    )
    assert len(rows) == 1
    assert rows[0]["name"].value == "aoeff31-visual-paradigm.xml"
    assert rows[0]["file"].value == "urn:sha256:" + summary.sha256
    assert rows[0]["format"].value == "application/xml"
    assert rows[0]["views"].value == "0"
    tallies = {
        r["t"].value: int(r["n"].value)
        for r in db.query(f"""PREFIX am: <{AM}> SELECT ?t ?n WHERE {{ GRAPH <{graph}> {{
            ?a am:imported [ am:what "element" ; am:type ?t ; am:count ?n ] }} }}""")
    }
    assert tallies == summary.elements


def test_relationship_on_relationship_and_attributes_survive(db):
    import_file(db, VP)
    graph = "https://w3id.org/vskg/graph/archimate/Id-nVnkOI6GAqACmCbt"
    base = "https://w3id.org/vskg/archimate/model/Id-nVnkOI6GAqACmCbt/"
    rows = list(
        db.query(f"""PREFIX am: <{AM}> SELECT ?t WHERE {{ GRAPH <{graph}> {{
        <{base}id-25cfe97b-0b18-4d97-8780-f6ed8f54ecc1> am:target ?t . ?t a am:Relationship ; am:type "Flow" }} }}""")
    )
    assert len(rows) == 1
    assert count_in_graph(db, graph, '?r am:accessType "ReadWrite"') == 1
    assert count_in_graph(db, graph, "?r am:isDirected true") == 1


def test_export_round_trips_and_validates(db, diagram_schema):
    original = VP.read_bytes()
    summary = import_file(db, VP)
    xml = export_store(db, summary.graph)
    assert validate(diagram_schema, xml) == []
    assert counts(xml) == counts(original)
    before, after = read_exchange(original, "in"), read_exchange(xml, "out")
    assert after.identifier == before.identifier
    assert _concepts(after) == _concepts(before)
    assert sorted((d.identifier, d.data_type, tuple(d.names)) for d in after.property_definitions) == sorted(
        (d.identifier, d.data_type, tuple(d.names)) for d in before.property_definitions
    )


def _concepts(model) -> dict:
    return {
        c.identifier: (
            c.kind,
            c.type,
            sorted(c.names),
            sorted(c.docs),
            c.source,
            c.target,
            c.access_type,
            c.is_directed,
            c.modifier,
            sorted((p.ref, tuple(p.values)) for p in c.properties),
        )
        for c in model.concepts
    }


def test_own_fixture_round_trips_names_docs_properties_and_folders(db, diagram_schema):
    path = FIXTURES / "value-streams.xml"
    summary = import_file(db, path)
    xml = export_store(db, summary.graph)
    assert validate(diagram_schema, xml) == []
    before, after = read_exchange(path.read_bytes(), "in"), read_exchange(xml, "out")
    assert _concepts(after) == _concepts(before)
    assert sorted(after.names) == [("de", "Kreditmodell"), ("en", "Lending model")]
    assert after.properties[0].values == [("en", "Architecture team")]
    assert after.version == "1.0"
    assert "<schema>Dublin Core</schema>" in (after.metadata or "")

    def tree(orgs):
        return [(o.identifier, sorted(o.labels), o.docs, o.ref, tree(o.children)) for o in orgs]

    assert tree(after.organizations) == tree(before.organizations)
    assert (
        counts(xml)
        == counts(path.read_bytes())
        == {
            "elements": 22,
            "relationships": 24,
            "properties": 4,
            "property_definitions": 3,
        }
    )


def test_invalid_shared_file_is_refused_naming_the_property_definition(db):
    before = dump(db)
    with pytest.raises(InputError) as caught:
        import_file(db, INVALID)
    assert str(caught.value) == (
        f"{INVALID}, line 10: property definition 'Description' is not declared (no propertyDefinition has that "
        "identifier); it is used by element id-6be02ba1-0489-4ea4-b62b-a22d302cbefe (Capability 'Capability')"
    )
    assert dump(db) == before


def test_failure_half_way_leaves_the_store_unchanged(db):
    import_file(db, FIXTURES / "value-streams.xml")  # the graph the bad file would replace
    before = dump(db)
    with pytest.raises(InputError) as caught:
        import_file(
            db, FIXTURES / "bad-relationship-at-end.xml", graph="https://w3id.org/vskg/graph/archimate/id-fixture-model"
        )
    assert caught.value.line == 86
    assert (
        caught.value.reason
        == "relationship id-r-dangling (Serving) has a target 'id-missing' that is no element or relationship"
    )
    assert dump(db) == before


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (b"this is not XML", 1, "not well-formed XML: Start tag expected, '<' not found"),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE model [<!ENTITY x "y">]>\n<model/>',
            2,
            "a DOCTYPE is refused (entity expansion is unsafe); remove it",
        ),
        (
            b'<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
            b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m">\n<name>m</name><elements>\n'
            b'<element identifier="e1" xsi:type="BusinessWidget"><name>w</name></element></elements></model>',
            3,
            "element e1 has an unknown type 'BusinessWidget'",
        ),
        (
            b'<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
            b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m">\n<name>m</name><elements>\n'
            b'<element identifier="e1" xsi:type="Goal"><name>g</name></element></elements><relationships>\n'
            b'<relationship identifier="r1" xsi:type="Serving" target="e1"/></relationships></model>',
            4,
            "relationship r1 (Serving) has no source",
        ),
        (
            b'<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" identifier="m">\n'
            b'<name xml:lang="not a tag">m</name></model>',
            2,
            "xml:lang 'not a tag' is not a language tag",
        ),
        (
            b"<other/>",
            1,
            "not an ArchiMate exchange file: the root element is 'other' in namespace None, expected "
            "'model' in 'http://www.opengroup.org/xsd/archimate/3.0/'",
        ),
    ],
)
def test_broken_input_is_refused_with_line_and_reason(content, line, reason):
    with pytest.raises(InputError) as caught:
        build_import(content, "bad.xml")
    assert (caught.value.line, caught.value.reason) == (line, reason)
