"""Views survive an exchange-format import and export: views, nodes (bounds, refs, styles, nesting), connections
(refs, bendpoints, styles) and the organization items that stand for views, compared by identifier; the export is
valid against the Open Group 3.1 Diagram schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.archimate.conftest import EXTERNAL, FIXTURES, validate
from tests.archimate.test_exchange import count_in_graph
from vskg.archimate.exchange import read_exchange
from vskg.archimate.importer import build_import, import_file
from vskg.archimate.model import Model
from vskg.archimate.writer import export_store
from vskg.rdfio import InputError
from vskg.store import LocalStore

VP = EXTERNAL / "aoeff31-visual-paradigm.xml"
OWN = FIXTURES / "views.xml"


@pytest.fixture
def db(tmp_path: Path):
    store = LocalStore(tmp_path / "store")
    yield store
    store.close()


def _views(model: Model) -> dict:
    return {
        v.identifier: (
            v.type,
            sorted(v.names),
            sorted(v.docs),
            v.viewpoint,
            [(p.ref, sorted(p.values)) for p in v.properties],
            [n.identifier for n in v.nodes],
            [c.identifier for c in v.connections],
        )
        for v in model.views
    }


def _nodes(model: Model) -> dict:
    out = {}
    for view in model.views:
        for node in view.all_nodes():
            out[node.identifier] = (
                view.identifier,
                node.type,
                (node.x, node.y, node.w, node.h),
                node.element_ref,
                sorted(node.labels),
                sorted(node.docs),
                node.style,
                [child.identifier for child in node.children],  # nesting, in order
            )
    return out


def _connections(model: Model) -> dict:
    return {
        c.identifier: (
            view.identifier,
            c.type,
            c.relationship_ref,
            c.source,
            c.target,
            c.bendpoints,
            c.style,
            sorted(c.labels),
            sorted(c.docs),
        )
        for view in model.views
        for c in view.connections
    }


def _organization_items(model: Model) -> set:
    """(parent, item) for every item of the tree; a folder is known by its identifier or labels, an item by its ref."""

    def key(org) -> tuple:
        return (org.identifier, org.ref, tuple(sorted(org.labels)), tuple(sorted(org.docs)))

    out = set()

    def walk(parent, items) -> None:
        for org in items:
            out.add((parent, key(org)))
            walk(key(org), org.children)

    walk(None, model.organizations)
    return out


def _round_trip(db: LocalStore, path: Path, diagram_schema) -> tuple[Model, Model, bytes, object]:
    summary = import_file(db, path)
    xml = export_store(db, summary.graph)
    assert validate(diagram_schema, xml) == []
    return read_exchange(path.read_bytes(), "in"), read_exchange(xml, "out"), xml, summary


@pytest.mark.parametrize("path", [VP, OWN], ids=["visual-paradigm", "own"])
def test_views_round_trip_by_identifier(db, diagram_schema, path):
    before, after, _, summary = _round_trip(db, path, diagram_schema)
    assert (summary.views, summary.views_skipped) == (len(before.views), 0)
    assert not [w for w in summary.warnings if "view" in w]
    assert _views(after) == _views(before)
    assert _nodes(after) == _nodes(before)
    assert _connections(after) == _connections(before)
    assert _organization_items(after) == _organization_items(before)


def test_visual_paradigm_views_are_all_there(db, diagram_schema):
    before, after, _, summary = _round_trip(db, VP, diagram_schema)
    assert summary.views == 4
    assert [(len(list(v.all_nodes())), len(v.connections)) for v in after.views] == [
        (58, 0),
        (24, 27),
        (17, 13),
        (4, 4),
    ]
    assert (
        sum(len(c.bendpoints) for v in after.views for c in v.connections)
        == sum(len(c.bendpoints) for v in before.views for c in v.connections)
        > 0
    )
    assert {n.type for v in after.views for n in v.all_nodes()} == {"Element", "Container", "Label"}
    assert all(n.style is not None for v in after.views for n in v.all_nodes())
    assert sum(len(v.properties) for v in after.views) == 188


def test_own_fixture_keeps_every_detail(db, diagram_schema):
    _, after, xml, summary = _round_trip(db, OWN, diagram_schema)
    assert summary.views == 2
    stream = next(v for v in after.views if v.identifier == "id-v-stream")
    assert (stream.type, stream.viewpoint) == ("Diagram", "Strategy")
    assert sorted(stream.names) == [("de", "Wertstrom Eigenheim"), ("en", "Acquire home stream")]
    assert [(p.ref, p.values) for p in stream.properties] == [("id-p-owner", [("en", "Lending architecture")])]
    nodes = {n.identifier: n for n in stream.all_nodes()}
    assert [c.identifier for c in nodes["id-n-stream"].children] == ["id-n-stage-1", "id-n-stage-2"]
    assert [c.identifier for c in nodes["id-n-stage-1"].children] == ["id-n-note"]
    assert (nodes["id-n-note"].type, sorted(nodes["id-n-note"].labels)) == ("Label", [("de", "erste"), ("en", "first")])
    assert (nodes["id-n-group"].type, nodes["id-n-group"].element_ref) == ("Container", None)
    style = nodes["id-n-stream"].style
    assert (style.line_width, style.font_name, style.font_size, style.font_style) == (
        2,
        "Segoe UI",
        "10.5",
        "bold italic",
    )
    assert (style.fill.r, style.fill.g, style.fill.b, style.fill.a) == (245, 222, 170, None)
    assert (style.line.a, style.font_color.b) == (100, 128)
    assert nodes["id-n-stage-1"].style.fill.a == 80
    assert nodes["id-n-group"].style.has_font and nodes["id-n-group"].style.font_name is None
    connections = {c.identifier: c for c in stream.connections}
    assert connections["id-c-flow"].bendpoints == [(250, 40), (260, 45)]
    assert connections["id-c-flow"].style.line_width == 3
    assert (connections["id-c-line"].type, connections["id-c-line"].target) == ("Line", "id-c-serve")
    views_folder = next(o for o in after.organizations if o.identifier == "id-f-views")
    assert {c.ref for c in views_folder.walk()} - {None} == {"id-v-stream", "id-v-support"}
    assert b"<font/>" in xml


def test_views_in_the_graph(db):
    summary = import_file(db, OWN)
    g = summary.graph
    assert count_in_graph(db, g, "?v a am:View") == 2
    # nodes, connections and bendpoints are typed by the ranges of am:node, am:connection and am:bendpoint
    assert count_in_graph(db, g, "?v a am:View ; am:node+ ?n") == 9
    assert count_in_graph(db, g, "?v am:connection ?c") == 4
    assert count_in_graph(db, g, "?c am:bendpoint ?b") == 3
    assert count_in_graph(db, g, "?n a ?type FILTER(?type IN (am:ViewNode, am:Connection, am:Bendpoint))") == 0
    assert count_in_graph(db, g, '?v am:identifier "id-v-stream" ; am:node/am:node/am:node ?n') == 1
    assert count_in_graph(db, g, "?n am:elementRef ?e . ?e a am:Element") == 6
    assert count_in_graph(db, g, "?c am:relationshipRef ?r . ?r a am:Relationship") == 3
    assert count_in_graph(db, g, '?f am:identifier "id-f-views" ; am:item ?v . ?v a am:View') == 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'elementRef="id-e-cap" x="30"',
            'elementRef="id-r-flow" x="30"',
            "node id-n-cap of view id-v-stream refers to 'id-r-flow', which is no element",
        ),
        (
            'relationshipRef="id-r-serve"',
            'relationshipRef="id-e-cap"',
            "connection id-c-serve of view id-v-stream refers to 'id-e-cap', which is no relationship",
        ),
        (
            'source="id-n2-app"',
            'source="id-n-stage-1"',
            "connection id-c2-real of view id-v-support has a source 'id-n-stage-1' that is no node or connection of "
            "that view",
        ),
        (
            '<item identifierRef="id-v-support"/>',
            '<item identifierRef="id-v-nowhere"/>',
            "organization item refers to 'id-v-nowhere', which is no element, relationship or view",
        ),
        ('identifier="id-n2-cap"', 'identifier="id-n-cap"', "identifier 'id-n-cap' is used twice"),
        ('x="450" y="300"', 'x="left" y="300"', "<node> id-n-free has x='left', which is no whole number"),
    ],
)
def test_inconsistent_views_are_refused_with_their_line(old, new, message):
    text = OWN.read_text()
    assert text.count(old) == 1
    bad = text.replace(old, new)
    with pytest.raises(InputError) as caught:
        read_exchange(bad.encode(), "bad.xml")
    assert caught.value.reason == message
    line = caught.value.line
    assert line is not None and line > 1
    # libxml2 gives the line where the start tag ends; the tag spans at most three lines here
    assert new in "\n".join(bad.splitlines()[max(line - 3, 0) : line])


def test_view_references_attachments_label_expressions_and_viewpoints_are_kept(db, diagram_schema):
    text = OWN.read_text()
    text = text.replace(
        '<style><font name="Arial" size="8"/></style>',
        '<style><font name="Arial" size="8"/></style><viewRef ref="id-v-support"/>',
    )
    text = text.replace('<bendpoint x="380" y="320"/>', '<sourceAttachment x="1" y="2"/><bendpoint x="380" y="320"/>')
    text = text.replace("<diagrams>", VIEWPOINTS + "<diagrams>", 1)
    text = text.replace('<view identifier="id-v-support"', '<view identifier="id-v-support" viewpointRef="id-vp-1"', 1)
    assert validate(diagram_schema, text.encode()) == []
    quads, summary = build_import(text.encode(), "with-extras.xml")
    assert (summary.views, summary.views_skipped, summary.warnings) == (2, 0, [])
    db.replace_graph(summary.graph, quads)
    xml = export_store(db, summary.graph)
    assert validate(diagram_schema, xml) == []
    before, after = read_exchange(text.encode(), "in"), read_exchange(xml, "out")
    assert _nodes(after) == _nodes(before)
    assert [n.view_refs for v in after.views for n in v.all_nodes() if n.view_refs] == [["id-v-support"]]
    assert [(c.source_attachment, c.target_attachment) for v in after.views for c in v.connections
            if c.source_attachment] == [((1, 2), None)]  # fmt: skip
    assert [v.viewpoint_ref for v in after.views] == [None, "id-vp-1"]
    assert after.viewpoint_ids == ["id-vp-1"] and "Lending viewpoint" in (after.viewpoints or "")


VIEWPOINTS = (
    '<viewpoints><viewpoint identifier="id-vp-1"><name xml:lang="en">Lending viewpoint</name>'
    '<allowedElementType type="Capability"/></viewpoint></viewpoints>'
)
