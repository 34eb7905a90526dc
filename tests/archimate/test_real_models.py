"""Real public models (Archi's Archisurance sample in Archi's format and in the exchange format, Archi's attachment
test file) import, export XSD-valid against the Diagram schema, and come back equal by identifier: elements,
relationships, properties, organization items, views, view nodes and connections."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.archimate.conftest import EXTERNAL, validate
from vskg.archimate.exchange import read_exchange
from vskg.archimate.importer import import_file, read_model
from vskg.archimate.model import Color, Model
from vskg.archimate.writer import export_store
from vskg.rdfio import InputError
from vskg.store import LocalStore

ARCHI4 = EXTERNAL / "archisurance-archi4.archimate"
ARCHI4_XML = EXTERNAL / "archisurance-archi4.xml"
ARCHI5 = EXTERNAL / "archisurance-archi5.archimate"
ATTACHMENTS = EXTERNAL / "archi-attachments.xml"
REAL = [ARCHI4, ARCHI4_XML, ARCHI5, ATTACHMENTS]
# (elements, relationships, property values, organization items, views, nodes, connections, bendpoints)
SIZES = {
    ARCHI4: (120, 178, 5, 26 + 298 + 17, 17, 249, 199, 38),  # folders, element/relationship items, view items
    ARCHI4_XML: (120, 178, 5, 338, 17, 249, 199, 38),
    ARCHI5: (122, 177, 7, 26 + 299 + 18, 18, 256, 206, 38),
    ATTACHMENTS: (2, 2, 0, 0, 1, 2, 2, 0),
}


@pytest.fixture(scope="module")
def diagram_schema() -> etree.XMLSchema:
    """The Diagram schema with Dublin Core beside it: Archi writes its metadata as dc: elements."""
    xsd = EXTERNAL / "xsd"
    diagram, dc = xsd / "archimate3_Diagram.xsd", xsd / "dc.xsd"
    wrapper = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="http://www.opengroup.org/xsd/archimate/3.0/" schemaLocation="{diagram}"/>
      <xs:import namespace="http://purl.org/dc/elements/1.1/" schemaLocation="{dc}"/>
    </xs:schema>"""

    class LocalXml(etree.Resolver):
        def resolve(self, url, pubid, context):
            if url and url.endswith("xml.xsd"):
                return self.resolve_filename(str(xsd / "xml.xsd"), context)
            return None

    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(LocalXml())
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), parser, base_url=str(xsd) + "/"))


def test_the_vendored_exchange_files_are_valid(diagram_schema):
    for path in (ARCHI4_XML, ATTACHMENTS):
        assert validate(diagram_schema, path.read_bytes()) == []


@pytest.fixture
def db(tmp_path: Path):
    store = LocalStore(tmp_path / "store")
    yield store
    store.close()


def _concepts(model: Model) -> dict:
    return {
        c.identifier: (c.kind, c.type, sorted(c.names), sorted(c.docs), c.source, c.target, c.access_type,
                       c.is_directed, c.modifier, [(p.ref, sorted(p.values)) for p in c.properties])
        for c in model.concepts
    }  # fmt: skip


def _organization_items(model: Model) -> set:
    out = set()

    def walk(parent, items) -> None:
        for org in items:
            key = (org.identifier, org.ref, tuple(sorted(org.labels)), tuple(sorted(org.docs)))
            out.add((parent, key))
            walk(key, org.children)

    walk(None, model.organizations)
    return out


def _views(model: Model) -> dict:
    return {
        v.identifier: (v.type, sorted(v.names), sorted(v.docs), v.viewpoint, v.viewpoint_ref,
                       [(p.ref, sorted(p.values)) for p in v.properties], [n.identifier for n in v.nodes])
        for v in model.views
    }  # fmt: skip


def _nodes(model: Model) -> dict:
    return {
        n.identifier: (v.identifier, n.type, (n.x, n.y, n.w, n.h), n.element_ref, sorted(n.labels), sorted(n.docs),
                       n.style, [c.identifier for c in n.children], sorted(n.view_refs), n.concept_ref, n.xpath_part)
        for v in model.views
        for n in v.all_nodes()
    }  # fmt: skip


def _connections(model: Model) -> dict:
    return {
        c.identifier: (v.identifier, c.type, c.relationship_ref, c.source, c.target, c.bendpoints, c.style,
                       sorted(c.labels), sorted(c.docs), sorted(c.view_refs), c.source_attachment, c.target_attachment)
        for v in model.views
        for c in v.connections
    }  # fmt: skip


def _sizes(model: Model) -> tuple:
    return (
        len(model.elements),
        len(model.relationships),
        model.property_count(),
        sum(1 for root in model.organizations for _ in root.walk()),
        len(model.views),
        sum(1 for v in model.views for _ in v.all_nodes()),
        sum(len(v.connections) for v in model.views),
        sum(len(c.bendpoints) for v in model.views for c in v.connections),
    )


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_model_round_trip_by_identifier(db, diagram_schema, path):
    before = read_model(path.read_bytes(), path.name)
    summary = import_file(db, path)
    xml = export_store(db, summary.graph)
    assert validate(diagram_schema, xml) == []
    after = read_exchange(xml, "export.xml")
    assert _sizes(before) == _sizes(after) == SIZES[path]
    assert _concepts(after) == _concepts(before)
    assert sorted((d.identifier, sorted(d.names), d.data_type) for d in after.property_definitions) == sorted(
        (d.identifier, sorted(d.names), d.data_type) for d in before.property_definitions
    )
    assert [(p.ref, p.values) for p in after.properties] == [(p.ref, p.values) for p in before.properties]
    assert _organization_items(after) == _organization_items(before)
    assert _views(after) == _views(before)
    assert _nodes(after) == _nodes(before)
    assert _connections(after) == _connections(before)
    assert summary.views == SIZES[path][4]


def _archi_id(identifier: str | None) -> str | None:
    """Archi's 2019 exporter put 'id-' before every identifier; today's only before those starting with a digit."""
    return identifier if identifier is None or identifier.startswith("id-") else "id-" + identifier


def test_archi_diagrams_read_as_archi_exports_them():
    """Nested bounds made absolute and bendpoints made absolute give exactly what Archi's own exporter wrote."""
    ours = read_model(ARCHI4.read_bytes(), ARCHI4.name)
    archi = read_exchange(ARCHI4_XML.read_bytes(), ARCHI4_XML.name)

    def geometry(model: Model) -> tuple[dict, dict]:
        nodes = {
            _archi_id(n.identifier): (_archi_id(v.identifier), n.type, (n.x, n.y, n.w, n.h), _archi_id(n.element_ref),
                                      [_archi_id(c.identifier) for c in n.children],
                                      [_archi_id(r) for r in n.view_refs], [t for _, t in n.labels])
            for v in model.views
            for n in v.all_nodes()
        }  # fmt: skip
        connections = {
            _archi_id(c.identifier): (_archi_id(v.identifier), c.type, _archi_id(c.source), _archi_id(c.target),
                                      _archi_id(c.relationship_ref), c.bendpoints)
            for v in model.views
            for c in v.connections
        }  # fmt: skip
        return nodes, connections

    assert geometry(ours) == geometry(archi)
    assert [[t for _, t in v.names] for v in ours.views] == [[t for _, t in v.names] for v in archi.views]
    assert {_archi_id(c.identifier) for c in ours.concepts} == {c.identifier for c in archi.concepts}


def test_archi_file_styles_and_references():
    model = read_model(ARCHI4.read_bytes(), ARCHI4.name)
    nodes = {n.identifier: n for v in model.views for n in v.all_nodes()}
    organisation = nodes["id-3707"].style  # font="1|Arial|14.0|0|WINDOWS|..." fillColor="#ffff80"
    assert (organisation.font_name, organisation.font_size, organisation.font_style) == ("Arial", "14", None)
    assert (organisation.fill.r, organisation.fill.g, organisation.fill.b, organisation.fill.a) == (255, 255, 128, None)
    reference = nodes["id-3657"]  # a diagram reference: a label with the referred view's name and a viewRef
    assert (reference.type, reference.labels, reference.view_refs) == (
        "Label",
        [(None, "Application Structure View")],
        ["id-3944"],
    )
    group = nodes["ecc8b6ec"]
    assert (group.type, group.labels) == ("Container", [(None, "Products & Services Goals")])
    assert (group.x, group.y) == (36, 12)
    assert (nodes["id-859942c2"].x, nodes["id-859942c2"].y) == (36 + 24, 12 + 72)  # relative to the group
    views = {v.identifier: v for v in model.views}
    assert {v.viewpoint for v in views.values()} == {None}  # Archi 2's numbered viewpoints: named in a warning
    assert model.left_out["Archi viewpoints the exchange format does not name"] == 16
    newer = {v.identifier: v.viewpoint for v in read_model(ARCHI5.read_bytes(), ARCHI5.name).views}
    assert (newer["id-16fe3cf9"], newer["id-3698"], newer["id-3641"]) == ("Goal Realization", "Organization", None)
    folder = next(o for o in model.organizations if o.labels == [(None, "Views")])
    assert len([o for o in folder.walk() if o.ref in views]) == 17


def test_archi5_sketch_and_canvas_are_named_in_a_warning(db):
    summary = import_file(db, ARCHI5)
    assert (summary.views, summary.views_skipped) == (18, 2)
    assert summary.warnings == [
        "2 Archi sketch or canvas view(s) not imported (the exchange format has no place for them): "
        "sketch view 'New Sketch'; canvas view 'New Canvas'",
        "views: 17 Archi diagram text alignment settings not kept (left out of the import)",
        "views: 66 Archi diagram figure type settings not kept (left out of the import)",
        "views: 2 properties of Archi diagram objects not kept (left out of the import)",
        "views: 2 Archi diagram features not kept (left out of the import)",
    ]
    model = read_model(ARCHI5.read_bytes(), ARCHI5.name)
    nodes = {n.identifier: n for v in model.views for n in v.all_nodes()}
    assert nodes["id-1f1e1d12-f53a-4be5-bf16-07103923aa77"].style.line_width == 2
    coloured = nodes["e5a21845-8bbe-4cdb-a3f1-b75fe7b6eb2f"].style  # fontColor, lineColor, fillColor
    assert (coloured.font_color, coloured.line, coloured.fill) == (
        Color(0xD7, 0x60, 0x57),
        Color(0xC5, 0xC1, 0x4E),
        Color(0xBA, 0xF1, 0x9D),
    )


def test_attachments_are_kept(db):
    summary = import_file(db, ATTACHMENTS)
    after = read_exchange(export_store(db, summary.graph), "out.xml")
    assert [(c.source_attachment, c.target_attachment) for c in after.views[0].connections] == [
        ((35, 138), (35, 70)),
        ((160, 70), (160, 138)),
    ]


def test_a_diagram_object_without_id_is_refused():
    text = ARCHI4.read_text(encoding="utf-8")
    old = '<child xsi:type="archimate:DiagramObject" id="859942c2" archimateElement="f5674126">'
    assert text.count(old) == 1
    bad = text.replace(old, '<child xsi:type="archimate:DiagramObject" archimateElement="f5674126">')
    with pytest.raises(InputError) as caught:
        read_model(bad.encode(), "bad.archimate")
    assert (caught.value.reason, caught.value.line) == (
        "a diagram object has no id",
        text[: text.index(old)].count("\n") + 1,
    )


def test_a_diagram_reference_to_no_diagram_is_refused():
    text = ARCHI4.read_text(encoding="utf-8")
    old = '<child xsi:type="archimate:DiagramModelReference" id="3657" fillColor="#80ffff" model="3944">'
    assert text.count(old) == 1
    with pytest.raises(InputError) as caught:
        read_model(text.replace(old, old.replace('model="3944"', 'model="nowhere"')).encode(), "bad.archimate")
    assert caught.value.reason == "node id-3657 of view id-3641 has a viewRef 'nowhere' that is no view"
    assert caught.value.line == text[: text.index(old)].count("\n") + 1
