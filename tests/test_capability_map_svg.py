"""The capability map as SVG: one box per capability of the organisation, nested by level, coloured by maturity gap.

Expected boxes, levels and gaps are read here by SPARQL of our own from the same bundled store (the organisation's
SKOS capability map and the latest assessment of each capability), never from the drawing code; synthetic trees
check the colour steps, the escaping of labels and a loop of parents.
"""

from __future__ import annotations

import pyoxigraph
import pytest
from lxml import etree

from vskg.analytics.model import Ref
from vskg.maps import render_capability_map
from vskg.maps.capability_map import BUCKETS, UNASSESSED, bucket_of
from vskg.maps.capability_tree import CapabilityNode, CapabilityTree, Maturity, NoOrganisation, read_tree
from vskg.results import collect

SVG = "{http://www.w3.org/2000/svg}"
DATA = "https://w3id.org/vskg/data/"
BANK = DATA + "banking/retail-bank"
PREFIXES = """
PREFIX vskg: <https://w3id.org/vskg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
FILLS = {
    "gap-0": "#cfe8cf",
    "gap-1": "#fff0b3",
    "gap-2": "#fbcf9b",
    "gap-3": "#f0a39b",
    "unassessed": "#ececec",
}


def select(store: pyoxigraph.Store, query: str) -> list[dict[str, str]]:
    return list(collect(store.query(PREFIXES + query, use_default_graph_as_union=True)).values())


def expected(store: pyoxigraph.Store, organisation: str) -> dict[str, tuple[int, str | None]]:
    """Capability -> (level, gap of its latest assessment) for the organisation's capability map."""
    rows = select(
        store,
        f"""SELECT ?c (COUNT(DISTINCT ?up) + 1 AS ?level) WHERE {{
              <{organisation}> vskg:hasCapabilityMap ?map . ?c skos:inScheme ?map .
              OPTIONAL {{ ?c skos:broader+ ?up }} }} GROUP BY ?c""",
    )
    levels = {row["c"]: int(row["level"]) for row in rows}
    gaps = select(
        store,
        f"""SELECT ?c ?gap WHERE {{
              <{organisation}> vskg:hasCapabilityMap ?map . ?c skos:inScheme ?map ; vskg:hasAssessment ?a .
              ?a vskg:currentLevel/skos:notation ?cn ; vskg:targetLevel/skos:notation ?tn .
              OPTIONAL {{ ?a vskg:assessedOn ?on }}
              FILTER NOT EXISTS {{ ?c vskg:hasAssessment/vskg:assessedOn ?later . FILTER(?later > ?on) }}
              BIND(xsd:integer(STR(?tn)) - xsd:integer(STR(?cn)) AS ?gap) }}""",
    )
    found = {row["c"]: int(row["gap"]) for row in gaps}
    return {c: (level, found.get(c)) for c, level in levels.items()}


def boxes(text: str) -> list[etree._Element]:
    root = etree.fromstring(text.encode("utf-8"))
    return root.findall(f".//{SVG}a/{SVG}g")


def rect(box: etree._Element) -> tuple[float, float, float, float]:
    r = box.find(f"{SVG}rect")
    return float(r.get("x")), float(r.get("y")), float(r.get("width")), float(r.get("height"))


@pytest.fixture(scope="module")
def bank_svg(store: pyoxigraph.Store) -> str:
    return render_capability_map(read_tree(store, BANK))


def test_one_box_per_capability_of_the_map_at_its_level(store: pyoxigraph.Store, bank_svg: str) -> None:
    wanted = expected(store, BANK)
    drawn = boxes(bank_svg)
    assert len(drawn) == len(wanted) == 15
    assert {box.get("data-iri"): int(box.get("data-level")) for box in drawn} == {
        c: level for c, (level, _) in wanted.items()
    }
    assessed = [box for box in drawn if box.get("data-bucket") != "unassessed"]
    assert len(assessed) == sum(1 for _, gap in wanted.values() if gap is not None) == 12


def test_each_box_is_coloured_by_its_gap_and_says_it(store: pyoxigraph.Store, bank_svg: str) -> None:
    wanted = expected(store, BANK)
    for box in boxes(bank_svg):
        _, gap = wanted[box.get("data-iri")]
        bucket = "unassessed" if gap is None else f"gap-{min(max(gap, 0), 3)}"
        assert box.get("data-bucket") == bucket, box.get("data-iri")
        assert box.find(f"{SVG}rect").get("fill") == FILLS[bucket]
        reading = "".join(box.find(f"{SVG}text[@class='maturity']").itertext())
        assert reading.endswith("not assessed" if gap is None else f", gap {gap}")
    onboarding = [b for b in boxes(bank_svg) if b.get("data-iri") == DATA + "banking/customer-onboarding"]
    assert "".join(onboarding[0].find(f"{SVG}text[@class='maturity']").itertext()) == "2 \u2192 4, gap 2"


def test_each_box_links_to_its_capability_page_and_sits_inside_its_parent(bank_svg: str) -> None:
    root = etree.fromstring(bank_svg.encode("utf-8"))
    links = root.findall(f".//{SVG}a")
    assert len(links) == 15
    for link in links:
        (box,) = link.findall(f"{SVG}g")
        assert link.get("href") == "/capabilities/" + box.get("data-iri").removeprefix(DATA)
    columns = root.findall(f"{SVG}g[@class='column']")
    assert [c.get("data-iri").removeprefix(DATA) for c in columns] == [
        "banking/customer-management",
        "banking/lending-fulfilment",
        "banking/risk-and-compliance-management",
    ]
    for column in columns:
        parent, *children = [a.find(f"{SVG}g") for a in column.findall(f"{SVG}a")]
        px, py, pw, ph = rect(parent)
        assert children and all(child.get("data-level") == "2" for child in children)
        for child in children:
            x, y, w, h = rect(child)
            assert px < x and x + w < px + pw and py < y and y + h < py + ph


def test_the_legend_has_the_five_steps(bank_svg: str) -> None:
    root = etree.fromstring(bank_svg.encode("utf-8"))
    entries = root.findall(f".//{SVG}g[@class='legend']/{SVG}g")
    assert [e.get("data-bucket") for e in entries] == list(FILLS)
    assert ["".join(e.itertext()) for e in entries] == [
        "at or above target",
        "1 level below target",
        "2 levels below target",
        "3 or more levels below target",
        "not assessed",
    ]


def node(label: str, maturity: Maturity | None, *children: CapabilityNode, level: int = 2) -> CapabilityNode:
    return CapabilityNode(Ref(f"urn:x:{label.split()[0]}", label), level, maturity, tuple(children))


def test_gap_steps_and_escaped_labels() -> None:
    assert [bucket_of(Maturity(c, t)).name for c, t in [(4, 2), (3, 3), (2, 3), (1, 3), (1, 4), (1, 5)]] == [
        "gap-0",
        "gap-0",
        "gap-1",
        "gap-2",
        "gap-3",
        "gap-3",
    ]
    assert bucket_of(None) is UNASSESSED and bucket_of(Maturity(None, 3)) is UNASSESSED
    assert [b.name for b in BUCKETS] == list(FILLS)
    hostile = 'R&D <script>alert("x")</script>'
    tree = CapabilityTree(
        Ref("urn:x:org", "Org & <Co>"),
        None,
        (node("top", None, node(hostile, Maturity(1, 5)), node("deep", Maturity(2, 2), level=2), level=1),),
    )
    text = render_capability_map(tree)
    assert "<script>" not in text and "R&amp;D &lt;script&gt;" in text
    drawn = boxes(text)
    assert len(drawn) == 3
    assert ["".join(b.find(f"{SVG}text[@class='label']").itertext()) for b in drawn] == ["top", hostile, "deep"]
    assert [b.get("data-bucket") for b in drawn] == ["unassessed", "gap-3", "gap-0"]
    assert drawn[0].find(f"{SVG}rect").get("stroke-dasharray") == "4 3"  # not assessed: dashed as well as grey


LOOP = """
@prefix vskg: <https://w3id.org/vskg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<urn:x:org> a vskg:Organisation ; rdfs:label "Loop Ltd" .
<urn:x:stream> vskg:operatedBy <urn:x:org> ; vskg:hasStage <urn:x:stage> .
<urn:x:stage> vskg:stageOf <urn:x:stream> ; vskg:enabledBy <urn:x:a> .
<urn:x:a> rdfs:label "Alpha" ; vskg:subCapabilityOf <urn:x:b> .
<urn:x:b> rdfs:label "Beta" ; vskg:subCapabilityOf <urn:x:a> .
<urn:x:c> rdfs:label "Gamma" ; vskg:subCapabilityOf <urn:x:b> .
<urn:x:stage> vskg:enabledBy <urn:x:c> .
"""


def test_a_loop_of_parents_draws_every_capability_once() -> None:
    store = pyoxigraph.Store()
    store.load(LOOP.encode("utf-8"), pyoxigraph.RdfFormat.TURTLE)
    tree = read_tree(store, "urn:x:org")
    assert tree.organisation == Ref("urn:x:org", "Loop Ltd")
    shown = [(n.capability.label, n.level) for n in tree.nodes()]
    assert shown == [("Alpha", 1), ("Beta", 2), ("Gamma", 3)]
    assert len(boxes(render_capability_map(tree))) == 3
    with pytest.raises(NoOrganisation):
        read_tree(store, "urn:x:nobody")
