"""Hostile case 20: Archi's own diagrams are read into views now (the `.archimate` twin of case 18).

- A diagram whose children nest 5,000 levels deep: the reader walks children recursively; the XML parser refuses
  anything deeper than 256 levels, so the import is refused with the line and the reason, nothing written.
- A diagram object for an element the model does not define, and a connection to a diagram object of another
  diagram: refused with the line, nothing written, the server unharmed.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.hostile.conftest import Survivor

MODEL = (Path(__file__).resolve().parents[1] / "fixtures" / "archimate" / "value-streams.archimate").read_text(
    encoding="utf-8"
)
DEPTH = 5000
LINE = 41  # the hostile diagram starts on line 41, where the Views folder closed


def post(survivor: Survivor, body: str) -> httpx.Response:
    return httpx.post(
        f"{survivor.url}/import/archimate",
        params={"name": "hostile.archimate"},
        content=body.encode(),
        headers={"Content-Type": "application/xml", **survivor.auth()},
        timeout=60,
    )


def with_diagram(inner: str) -> str:
    diagram = (
        f'<element xsi:type="archimate:ArchimateDiagramModel" name="Hostile" id="id-hostile-view">\n{inner}</element>\n'
    )
    assert MODEL.count("  </folder>\n  <purpose>") == 1
    return MODEL.replace("  </folder>\n  <purpose>", diagram + "  </folder>\n  <purpose>", 1)


def test_children_nested_thousands_deep_are_refused(survivor: Survivor) -> None:
    child = '<child xsi:type="archimate:Group" id="id-deep-%d" name="g"><bounds x="1" y="1" width="9" height="9"/>'
    body = with_diagram("".join(child % i for i in range(DEPTH)) + "</child>" * DEPTH)
    survivor.refused(post(survivor, body), 400, "Excessive depth in document: 256")


def test_a_diagram_object_for_an_unknown_element_is_refused(survivor: Survivor) -> None:
    body = with_diagram('<child xsi:type="archimate:DiagramObject" id="id-ghost" archimateElement="id-nowhere"/>\n')
    message = survivor.refused(
        post(survivor, body), 400, "node id-ghost of view id-hostile-view refers to 'id-nowhere', which is no element"
    )
    assert f"line {LINE + 1}" in message


def test_a_connection_to_an_object_of_another_diagram_is_refused(survivor: Survivor) -> None:
    body = with_diagram(
        '<child xsi:type="archimate:DiagramObject" id="id-here" archimateElement="id-a-app">\n'
        '<sourceConnection xsi:type="archimate:Connection" id="id-stray" source="id-here" target="id-a-dobj" '
        'archimateRelationship="id-a-r7"/>\n'
        "</child>\n"
    )
    message = survivor.refused(
        post(survivor, body),
        400,
        "connection id-stray of view id-hostile-view has a target 'id-a-dobj' that is no node or connection of that "
        "view",
    )
    assert f"line {LINE + 2}" in message
