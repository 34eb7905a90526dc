"""Hostile case 18: ArchiMate views are a new part of the import (nodes nest, and point at elements).

- A view whose nodes nest 5,000 levels deep: the reader and the writer walk nodes recursively. The XML parser
  refuses anything deeper than 256 levels (no huge trees), so the import is refused with the line and the reason,
  and nothing is written.
- A node that points at an identifier the model does not define, and a connection between nodes of another view:
  refused with the line, nothing written, the server unharmed.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.hostile.conftest import Survivor

MODEL = (Path(__file__).resolve().parents[1] / "fixtures" / "archimate" / "views.xml").read_text(encoding="utf-8")
DEPTH = 5000


def post(survivor: Survivor, body: str) -> httpx.Response:
    return httpx.post(
        f"{survivor.url}/import/archimate",
        params={"name": "views.xml"},
        content=body.encode(),
        headers={"Content-Type": "application/xml", **survivor.auth()},
        timeout=60,
    )


def with_view(inner: str) -> str:
    view = f'<view identifier="id-hostile-view" xsi:type="Diagram"><name>Hostile</name>{inner}</view>'
    assert "</diagrams>" in MODEL
    return MODEL.replace("</diagrams>", view + "</diagrams>", 1)


def test_nodes_nested_thousands_deep_are_refused(survivor: Survivor) -> None:
    node = '<node identifier="id-deep-%d" xsi:type="Container" x="0" y="0" w="10" h="10">'
    body = with_view("".join(node % i for i in range(DEPTH)) + "</node>" * DEPTH)
    survivor.refused(post(survivor, body), 400, "Excessive depth in document: 256")


def test_a_node_for_an_unknown_element_is_refused(survivor: Survivor) -> None:
    body = with_view('<node identifier="id-ghost" xsi:type="Element" elementRef="id-nowhere" x="0" y="0" w="9" h="9"/>')
    message = survivor.refused(post(survivor, body), 400, "refers to 'id-nowhere', which is no element")
    assert "line 109" in message


def test_a_connection_to_a_node_of_another_view_is_refused(survivor: Survivor) -> None:
    body = with_view(
        '<node identifier="id-alone" xsi:type="Label" x="0" y="0" w="9" h="9"><label>a</label></node>'
        '<connection identifier="id-stray" xsi:type="Line" source="id-alone" target="id-n-stream"/>'
    )
    message = survivor.refused(
        post(survivor, body), 400, "has a target 'id-n-stream' that is no node or connection of that view"
    )
    assert "line 109" in message
