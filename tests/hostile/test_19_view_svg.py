"""Hostile case 19: ArchiMate views drawn as SVG from what an import (or a raw graph write) put in the store.

- A model imported over HTTP whose names, documentation, labels, element identifiers and font fields try to inject
  markup or script (``</text><script>``, ``]]>``, ``<foreignObject>``, ``javascript:`` as an identifier and in
  text, CSS in the font name and style) and whose bounds are absurd (plus and minus 10^12, a negative height): the
  SVG is well-formed, holds no script, style, foreign or embedded element, every link stays inside the workbench
  (/id/...), the hostile text is text, and the picture is clamped to at most `MAX_CANVAS` pixels a side.
- A graph written by hand over the Graph Store protocol whose colour fields hold CSS instead of numbers: the view
  is listed, and drawing it is refused with a JSON error (500) that names the problem, as is the HTML page (an
  error page, escaped); the server survives.
"""

from __future__ import annotations

import httpx
import pytest
from lxml import etree

from tests.hostile.conftest import Survivor, fingerprint
from vskg.maps.archimate_view import MAX_CANVAS

MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       identifier="id-hostile-19">
  <name>&lt;/title&gt;&lt;script&gt;alert('model')&lt;/script&gt;</name>
  <elements>
    <element identifier="javascript:alert(1)" xsi:type="BusinessActor">
      <name>&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;</name>
      <documentation>&lt;a href="javascript:alert(2)"&gt;click&lt;/a&gt;</documentation>
    </element>
    <element identifier="id-b" xsi:type="BusinessRole">
      <name>]]&gt;&lt;foreignObject&gt;&lt;iframe src="javascript:alert(3)"/&gt;</name>
    </element>
  </elements>
  <relationships>
    <relationship identifier="id-r" xsi:type="Assignment" source="javascript:alert(1)" target="id-b">
      <name>&lt;/text&gt;&lt;script&gt;x()&lt;/script&gt;</name>
    </relationship>
  </relationships>
  <views><diagrams>
    <view identifier="id-v" xsi:type="Diagram">
      <name>&lt;/title&gt;&lt;script&gt;alert('view')&lt;/script&gt;</name>
      <documentation>javascript:alert(4)</documentation>
      <node identifier="id-n1" xsi:type="Element" elementRef="javascript:alert(1)" x="-1000000000000"
            y="-1000000000000" w="1000000000000" h="1000000000000">
        <style lineWidth="1000000000000">
          <fillColor r="255" g="0" b="0" a="100"/>
          <font name="Arial;} svg { background: url(javascript:alert(5)) } x{" size="1e400"
                style="bold;}&lt;/style&gt;&lt;script&gt;alert(6)&lt;/script&gt;"><color r="0" g="0" b="0"/></font>
        </style>
      </node>
      <node identifier="id-n2" xsi:type="Element" elementRef="id-b" x="1000000000000" y="1000000000000"
            w="1000000000000" h="-1000000000000"/>
      <node identifier="id-n3" xsi:type="Label" x="0" y="0" w="100" h="40">
        <label>&lt;/text&gt;&lt;script&gt;alert(7)&lt;/script&gt;</label>
      </node>
      <connection identifier="id-c" xsi:type="Relationship" relationshipRef="id-r" source="id-n1" target="id-n2">
        <label>&lt;/text&gt;&lt;script&gt;alert(8)&lt;/script&gt;</label>
        <bendpoint x="-1000000000000" y="1000000000000"/>
      </connection>
    </view>
  </diagrams></views>
</model>
"""

# Written by hand, not by an import: a colour whose channels are CSS, not numbers.
CSS_GRAPH = "urn:hostile:css-colours"
CSS_MODEL = """
@prefix am: <https://w3id.org/vskg/archimate#> .
@prefix m: <https://w3id.org/vskg/archimate/model/css/> .
<https://w3id.org/vskg/archimate/model/css> a am:Model ; am:identifier "css" .
m:v a am:View ; am:identifier "v" ; am:inModel <https://w3id.org/vskg/archimate/model/css> ; am:node m:n .
m:n a am:ViewNode ; am:identifier "n" ; am:type "Label" ; am:x 0 ; am:y 0 ; am:width 10 ; am:height 10 ;
  am:style [ a am:Style ; am:fillColor [ a am:Color ; am:red "255;} svg{fill:url(javascript:alert(9))}" ;
    am:green 0 ; am:blue 0 ] ] .
"""
FORBIDDEN = ("script", "foreignObject", "style", "iframe", "image", "use", "object", "embed", "animate", "set")


@pytest.fixture(scope="module")
def imported(survivor: Survivor) -> Survivor:
    answer = httpx.post(
        f"{survivor.url}/import/archimate",
        params={"name": "hostile-19.xml"},
        content=MODEL.encode(),
        headers={"Content-Type": "application/xml", **survivor.auth()},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    put = httpx.put(
        f"{survivor.url}/store",
        params={"graph": CSS_GRAPH},
        content=CSS_MODEL.encode(),
        headers={"Content-Type": "text/turtle", **survivor.auth()},
        timeout=60,
    )
    assert put.status_code == 201, put.text
    survivor.check(unchanged=False)
    survivor.before = fingerprint(survivor.server)  # from here on, nothing may change
    return survivor


def test_markup_in_names_and_styles_stays_text_and_bounds_are_clamped(imported: Survivor) -> None:
    listed = httpx.get(f"{imported.url}/api/views", timeout=30).json()
    (view,) = [v for v in listed if v["model"] == "id-hostile-19"]
    assert (view["key"], view["name"], view["nodes"], view["connections"]) == (
        "id-hostile-19/id-v",
        "</title><script>alert('view')</script>",
        3,
        1,
    )
    answer = httpx.get(imported.url + view["svg"], timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "image/svg+xml"
    root = etree.fromstring(answer.content)  # well-formed
    names = {etree.QName(element).localname for element in root.iter(etree.Element)}
    assert names & set(FORBIDDEN) == set()
    assert names <= {"svg", "title", "desc", "rect", "g", "a", "path", "text", "tspan", "polygon", "polyline", "circle"}
    links = [element.get("href") for element in root.iter("{http://www.w3.org/2000/svg}a")]
    assert links == [
        "/id/archimate/model/id-hostile-19/javascript%253Aalert%25281%2529",
        "/id/archimate/model/id-hostile-19/id-b",
        "/id/archimate/model/id-hostile-19/id-r",
    ]
    for element in root.iter(etree.Element):
        for name, value in element.attrib.items():
            assert "javascript" not in value.lower() or name == "href", (name, value)
            assert not name.startswith("on"), name
    assert float(root.get("width")) <= MAX_CANVAS and float(root.get("height")) <= MAX_CANVAS
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts[0] == "</text><script>alert(1)</script>"
    assert "</text><script>alert(8)</script>" in texts
    (styled,) = root.xpath("//*[@data-identifier='id-n1']/*[local-name()='text']")
    assert (styled.get("font-family"), styled.get("font-weight"), styled.get("font-size")) == (None, None, "48")
    assert b"<script" not in answer.content
    imported.check()


def test_the_view_page_inlines_the_picture_without_script(imported: Survivor) -> None:
    page = httpx.get(f"{imported.url}/views/id-hostile-19/id-v", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200
    figure = page.text.split('<figure class="archimate-view"', 1)[1].split("</figure>", 1)[0]
    assert "<script" not in figure and "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in figure
    assert "<h1>&lt;/title&gt;&lt;script&gt;alert(&#39;view&#39;)&lt;/script&gt;</h1>" in page.text
    listing = httpx.get(f"{imported.url}/views", headers={"Accept": "text/html"}, timeout=30)
    assert listing.status_code == 200 and "alert(&#39;view&#39;)" in listing.text
    imported.check()


def test_css_in_colour_fields_is_refused_with_a_message(imported: Survivor) -> None:
    listed = httpx.get(f"{imported.url}/api/views", timeout=30).json()
    assert [v["key"] for v in listed if v["graph"] == CSS_GRAPH] == ["css/v"]
    message = imported.refused(httpx.get(f"{imported.url}/views/css/v.svg", timeout=30), 500)
    assert message.startswith(f"the description of the model in graph <{CSS_GRAPH}> cannot be read back (")
    page = httpx.get(f"{imported.url}/views/css/v", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 500
    assert 'id="view-problem"' in page.text and "<svg" not in page.text
    imported.check()
