"""ArchiMate views drawn as SVG: structure checked against the exchange files themselves (read with lxml, not with
vskg's reader), styles, notation per relationship type, escaping and clamping."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from vskg.archimate.importer import import_file
from vskg.archimate.model import Color, Concept, Connection, Style, View, ViewNode
from vskg.archimate.view_index import draw_view, list_views
from vskg.maps.archimate_view import LIMIT, MAX_CANVAS, MAX_PARTS, ViewTooLarge, render_view
from vskg.store.embedded import LocalStore

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "archimate"
# Every fixture model that is valid and has views: the hand-written one and real exports.
MODELS = [
    "views.xml",
    "value-streams.xml",
    "external/aoeff31-visual-paradigm.xml",
    "external/archisurance-archi4.xml",
    "external/archi-attachments.xml",
]
# Archi's own format: views are ArchimateDiagramModel elements, their nodes `child`, their lines `sourceConnection`.
NATIVE_MODELS = ["external/archisurance-archi4.archimate", "external/archisurance-archi5.archimate"]
A = "{http://www.opengroup.org/xsd/archimate/3.0/}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
S = {"s": "http://www.w3.org/2000/svg"}


def parse(text: str) -> etree._Element:
    return etree.fromstring(text.encode("utf-8"))


def nodes_of(root: etree._Element) -> list[etree._Element]:
    return root.xpath("//s:g[@class='node']", namespaces=S)


def node(root: etree._Element, identifier: str) -> etree._Element:
    (found,) = root.xpath(f"//s:g[@class='node'][@data-identifier='{identifier}']", namespaces=S)
    return found


def connection(root: etree._Element, identifier: str) -> etree._Element:
    (found,) = root.xpath(f"//s:g[@class='connection'][@data-identifier='{identifier}']", namespaces=S)
    return found


def shape(group: etree._Element) -> etree._Element:
    (found,) = group.xpath("./*[@class='shape']")
    return found


def words(element: etree._Element) -> str:
    return "".join(element.itertext())


def exchange_counts(path: Path) -> dict[str, tuple[int, int, int]]:
    """Per view identifier: nodes, connections and nodes that draw an element, as the exchange file states them."""
    return {
        view.get("identifier"): (
            len(view.findall(f".//{A}node")),
            len(view.findall(f"{A}connection")),
            len(view.findall(f".//{A}node[@elementRef]")),
        )
        for view in etree.parse(str(path)).iter(f"{A}view")
    }


def native_counts(path: Path) -> dict[str, tuple[int, int, int]]:
    """The same counts read from an Archi file (identifiers starting with a digit get Archi's `id-` prefix)."""
    found = {}
    for view in etree.parse(str(path)).iter("element"):
        if view.get(XSI_TYPE) != "archimate:ArchimateDiagramModel":
            continue
        identifier = view.get("id")
        children = view.findall(".//child")
        found["id-" + identifier if identifier[0].isdigit() else identifier] = (
            len(children),
            len(view.findall(".//sourceConnection")),
            len([c for c in children if c.get("archimateElement")]),
        )
    return found


@pytest.mark.parametrize("name", MODELS + NATIVE_MODELS)
def test_every_view_has_as_many_nodes_and_connections_as_the_file(name: str, tmp_path: Path) -> None:
    path = FIXTURES / name
    expected = native_counts(path) if path.suffix == ".archimate" else exchange_counts(path)
    assert expected
    store = LocalStore(tmp_path / "store")
    try:
        import_file(store, FIXTURES / name)
        entries = list_views(store)
        assert {e.identifier: (e.nodes, e.connections) for e in entries} == {k: v[:2] for k, v in expected.items()}
        for entry in entries:
            root = parse(draw_view(store, entry))
            nodes = nodes_of(root)
            lines = root.xpath("//s:g[@class='connection']/s:path[@class='line']", namespaces=S)
            elements = [n for n in nodes if n.get("data-kind") == "Element"]
            assert (len(nodes), len(lines), len(elements)) == expected[entry.identifier]
            # every element node links to the page of its element
            assert all(n.getparent().tag == "{http://www.w3.org/2000/svg}a" for n in elements)
            assert not root.xpath("//s:script | //s:foreignObject | //s:style | //s:image", namespaces=S)
    finally:
        store.close()


def stream_view(tmp_path: Path) -> etree._Element:
    store = LocalStore(tmp_path / "store")
    try:
        import_file(store, FIXTURES / "views.xml")
        (entry,) = [e for e in list_views(store) if e.identifier == "id-v-stream"]
        return parse(draw_view(store, entry))
    finally:
        store.close()


def test_styles_of_the_view_win_over_the_layer_colours(tmp_path: Path) -> None:
    root = stream_view(tmp_path)
    stream = node(root, "id-n-stream")
    box = shape(stream)
    assert (box.get("fill"), box.get("stroke"), box.get("stroke-width")) == ("#f5deaa", "#5c5c5c", "2")
    (name,) = stream.xpath("./s:text", namespaces=S)
    assert (name.get("font-family"), name.get("font-size"), name.get("fill")) == ("Segoe UI", "14", "#000080")
    assert (name.get("font-weight"), name.get("font-style")) == ("bold", "italic")
    assert words(name) == "Acquire home"
    first = shape(node(root, "id-n-stage-1"))  # fill 255,255,181 at 80 per cent
    assert (first.get("fill"), first.get("fill-opacity")) == ("#ffffb5", "0.8")
    second = shape(node(root, "id-n-stage-2"))  # no style: the strategy layer's colour, rounded corners
    assert (second.get("fill"), second.get("rx"), second.get("fill-opacity")) == ("#f5deaa", "10", None)
    flow = connection(root, "id-c-flow")
    (line,) = flow.xpath("./s:path", namespaces=S)
    assert (line.get("stroke"), line.get("stroke-width"), line.get("stroke-dasharray")) == ("#c80000", "3", "6 4")
    # through both bendpoints, from the right edge of 'Apply' region to the top of 'Approve'
    assert line.get("d").split(" L")[1:3] == ["250 40", "260 45"]
    assert [words(t) for t in flow.xpath("./s:text", namespaces=S)] == ["hand-over"]


def test_labels_containers_and_lines(tmp_path: Path) -> None:
    root = stream_view(tmp_path)
    note = node(root, "id-n-free")
    assert (note.get("data-kind"), shape(note).tag.rpartition("}")[2], shape(note).get("fill")) == (
        "Label",
        "polygon",
        "#ffffff",
    )
    assert words(note.xpath("./s:text", namespaces=S)[0]) == "Reviewed 2026"
    group = node(root, "id-n-group")
    assert (shape(group).get("data-outline"), shape(group).get("fill")) == ("container", "#d2d7d7")
    assert group.xpath("./s:title", namespaces=S)[0].text == "Support \u2014 A plain box that only groups."
    line = connection(root, "id-c-line")  # a Line from a note to the middle of another connection
    assert line.get("data-kind") == "Line"
    assert not line.xpath("./*[@class='end']")
    assert line.getparent().tag != "{http://www.w3.org/2000/svg}a"


def element(identifier: str, kind: str, name: str = "") -> Concept:
    return Concept(identifier, "element", kind, names=[("en", name or kind)])


def relationship(identifier: str, kind: str, **extra) -> Concept:
    return Concept(identifier, "relationship", kind, source="a", target="b", **extra)


CASES = [  # relationship, dash, the marks at (source, target)
    (relationship("r", "Composition"), None, ("diamond-filled", None)),
    (relationship("r", "Aggregation"), None, ("diamond-hollow", None)),
    (relationship("r", "Assignment"), None, ("dot", "arrow-filled")),
    (relationship("r", "Realization"), "6 4", (None, "triangle-hollow")),
    (relationship("r", "Serving"), None, (None, "arrow-open")),
    (relationship("r", "Access"), "2 3", (None, "arrow-small")),
    (relationship("r", "Access", access_type="Read"), "2 3", ("arrow-small", None)),
    (relationship("r", "Access", access_type="ReadWrite"), "2 3", ("arrow-small", "arrow-small")),
    (relationship("r", "Access", access_type="Access"), "2 3", (None, None)),
    (relationship("r", "Influence", modifier="+"), "6 4", (None, "arrow-open")),
    (relationship("r", "Triggering"), None, (None, "arrow-filled")),
    (relationship("r", "Flow"), "6 4", (None, "arrow-filled")),
    (relationship("r", "Specialization"), None, (None, "triangle-hollow")),
    (relationship("r", "Association"), None, (None, None)),
    (relationship("r", "Association", is_directed=True), None, (None, "half-arrow")),
]


def two_boxes(rel: Concept, source_type: str = "BusinessProcess", target_type: str = "BusinessObject") -> View:
    return View(
        "v",
        names=[("en", "two boxes")],
        nodes=[
            ViewNode("na", "Element", 0, 0, 120, 60, element_ref="a"),
            ViewNode("nb", "Element", 300, 0, 120, 60, element_ref="b"),
        ],
        connections=[Connection("c", "Relationship", source="na", target="nb", relationship_ref=rel.identifier)],
    )


@pytest.mark.parametrize(("rel", "dash", "marks"), CASES, ids=lambda case: getattr(case, "type", None))
def test_line_style_and_arrowheads_per_relationship_type(rel: Concept, dash: str | None, marks: tuple) -> None:
    concepts = {"a": element("a", "BusinessProcess"), "b": element("b", "BusinessObject"), "r": rel}
    root = parse(render_view(two_boxes(rel), concepts))
    group = connection(root, "c")
    assert group.get("data-type") == rel.type
    (line,) = group.xpath("./s:path", namespaces=S)
    assert line.get("stroke-dasharray") == dash
    assert line.get("d") == "M120 30 L300 30"  # cut at the facing edges of the two boxes
    found = {end.get("data-end"): end.get("data-mark") for end in group.xpath("./*[@class='end']")}
    assert (found.get("source"), found.get("target")) == marks
    if rel.modifier:
        assert [words(t) for t in group.xpath("./s:text", namespaces=S)] == ["+"]


def test_outlines_and_layer_colours_per_element_type() -> None:
    kinds = ["BusinessActor", "BusinessService", "ApplicationProcess", "Node", "Goal", "Grouping", "AndJunction",
             "OrJunction", "WorkPackage", "Plateau", "Location", "Equipment"]  # fmt: skip
    concepts = {k: element(k, k) for k in kinds}
    view = View("v", nodes=[ViewNode(f"n-{k}", "Element", 0, 80 * i, 120, 60, element_ref=k) for i, k in
                            enumerate(kinds)])  # fmt: skip
    root = parse(render_view(view, concepts))
    seen = {
        k: (shape(node(root, f"n-{k}")).get("data-outline"), shape(node(root, f"n-{k}")).get("fill")) for k in kinds
    }
    assert seen == {
        "BusinessActor": ("box", "#ffffb5"),
        "BusinessService": ("service", "#ffffb5"),
        "ApplicationProcess": ("rounded", "#b5ffff"),
        "Node": ("box", "#c9e7b7"),
        "Goal": ("cut", "#ccccff"),
        "Grouping": ("grouping", "none"),
        "AndJunction": ("junction", "#000000"),
        "OrJunction": ("junction", "#ffffff"),
        "WorkPackage": ("rounded", "#ffe0e0"),
        "Plateau": ("box", "#e0ffe0"),
        "Location": ("box", "#fbb875"),
        "Equipment": ("box", "#c9e7b7"),
    }
    assert shape(node(root, "n-BusinessService")).get("rx") == "30"  # a stadium: half the height
    assert shape(node(root, "n-Grouping")).get("stroke-dasharray") == "6 3"
    icons = {n.get("data-type"): n.xpath("./s:path[@class='icon']/@data-icon", namespaces=S) for n in nodes_of(root)}
    assert icons["BusinessActor"] == ["actor"] and icons["ApplicationProcess"] == ["process"]
    assert icons["AndJunction"] == [] and icons["Grouping"] == []


def test_names_are_escaped_and_wrapped_text() -> None:
    name = '</text><script>alert(1)</script> & "quoted" <a href="javascript:x">'
    concepts = {"a": element("a", "BusinessActor", name), "r": relationship("r", "Serving", names=[(None, name)])}
    concepts["b"] = element("b", "BusinessRole")
    view = two_boxes(concepts["r"])
    small = words(parse(render_view(view, concepts)).xpath("//s:g[@data-identifier='na']/s:text", namespaces=S)[0])
    assert small == "</text><script>alert(1)</script> &\u2026"  # three lines fit a box 60 high: cut, with an ellipsis
    view.nodes[0].w, view.nodes[0].h = 240, 200
    view.names = [("en", name)]
    text = render_view(view, concepts, lambda identifier: f"/id/x/{identifier}")
    root = parse(text)
    assert not root.xpath("//s:script | //*[local-name()='script']", namespaces=S)
    assert words(node(root, "na").xpath("./s:text", namespaces=S)[0]) == name  # wrapped, but all of it, as text
    assert root.xpath("//s:a/@href", namespaces=S) == ["/id/x/a", "/id/x/b", "/id/x/r"]
    assert root.find("{http://www.w3.org/2000/svg}title").text == name
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_absurd_bounds_are_clamped_and_bad_style_values_ignored() -> None:
    huge = 10**12
    style = Style(fill=Color("red;}", 0, 0), line=Color(999, -5, 0, 250), font_name="x;} body{}", font_size="1e9",
                  font_style="bold; color:red", line_width=10**9)  # fmt: skip
    view = View(
        "v",
        nodes=[
            ViewNode("n1", "Element", -huge, -huge, huge, huge, element_ref="a", style=style),
            ViewNode("n2", "Element", huge, huge, huge, huge, element_ref="b"),
        ],
        connections=[Connection("c", "Relationship", "n1", "n2", "r", bendpoints=[(huge, -huge)])],
    )
    concepts = {"a": element("a", "Node"), "b": element("b", "Node"), "r": relationship("r", "Serving")}
    root = parse(render_view(view, concepts))
    assert float(root.get("width")) <= MAX_CANVAS and float(root.get("height")) <= MAX_CANVAS
    assert root.get("width") == str(2 * LIMIT + 40)
    box = shape(node(root, "n1"))
    assert (box.get("fill"), box.get("stroke"), box.get("stroke-width")) == ("#c9e7b7", "#ff0000", "6")
    assert float(box.get("width")) == 2 * LIMIT
    (name,) = node(root, "n1").xpath("./s:text", namespaces=S)
    assert (name.get("font-family"), name.get("font-size"), name.get("font-weight")) == (None, "48", None)


def test_a_view_with_too_many_parts_is_refused() -> None:
    view = View("v", nodes=[ViewNode(f"n{i}", "Label", 0, 0, 1, 1) for i in range(MAX_PARTS + 1)])
    with pytest.raises(ViewTooLarge, match=f"the view has {MAX_PARTS + 1} nodes and 0 connections"):
        render_view(view, {})
