"""Value stream maps and the portfolio view: SVG structure checked against the graph, read independently by SPARQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from lxml import etree
from typer.testing import CliRunner

from tests.test_examples import EXAMPLES
from vskg.analytics import analyse_portfolio, analyse_stream, list_streams
from vskg.analytics.model import (
    HOURS,
    PERCENT,
    RATIO,
    Bottleneck,
    Coverage,
    Figure,
    HandoffFigures,
    Ref,
    StageFigures,
    StreamAnalysis,
)
from vskg.cli import app
from vskg.maps import render_portfolio_map, render_stream_map
from vskg.maps import svg as drawing
from vskg.maps.stream_map import NOTCH, STAGE_W
from vskg.results import collect

SVG = "http://www.w3.org/2000/svg"
MORTGAGE = "https://w3id.org/vskg/data/banking/mortgage-lending"
TECH = "https://w3id.org/vskg/data/technology/"
PREFIXES = """
PREFIX vskg: <https://w3id.org/vskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# Hours summed over a stream's stages or handoffs (each counted once, though the store's graphs may repeat it).
TOTAL = "SELECT (SUM(?h) AS ?t) {{ SELECT DISTINCT ?x ?h {{ ?stream {link} ?x . ?x {hours} ?h }} }}"


def rows(store: pyoxigraph.Store, query: str, stream: str | None = None) -> list[dict[str, str]]:
    """Answers to ``query``; with ``stream``, about that stream (``?stream`` stands for its IRI)."""
    if stream is not None:
        query = query.replace("?stream", str(pyoxigraph.NamedNode(stream)))
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    return list(collect(result).values())


def parse(text: str) -> etree._Element:
    return etree.fromstring(text.encode("utf-8"))


def having(root: etree._Element, css: str) -> list[etree._Element]:
    """Elements whose class attribute has the token ``css``."""
    return root.xpath(f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {css} ')]")


def content(element: etree._Element) -> str:
    return "".join(element.itertext())


def first_text(group: etree._Element) -> etree._Element:
    return group.find(f"{{{SVG}}}text")


@pytest.fixture(scope="module")
def maps(store: pyoxigraph.Store) -> dict[str, tuple[StreamAnalysis, etree._Element]]:
    drawn = {}
    for ref in list_streams(store):
        analysis = analyse_stream(store, ref.iri)
        drawn[ref.iri] = (analysis, parse(render_stream_map(analysis)))
    return drawn


# --- every bundled stream --------------------------------------------------------------------------------------


def test_every_bundled_stream_is_drawn(store: pyoxigraph.Store, maps: dict) -> None:
    streams = {row["stream"] for row in rows(store, "SELECT DISTINCT ?stream WHERE { ?stream vskg:hasStage ?s }")}
    assert len(streams) == 12
    assert set(maps) == streams
    for iri, (_, root) in maps.items():
        assert root.tag == f"{{{SVG}}}svg"
        assert root.get("class") == "vskg-map"
        assert root.get("data-stream") == iri
        assert root.get("version") == "1.1"
        assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
        assert [child.tag for child in root[:2]] == [f"{{{SVG}}}title", f"{{{SVG}}}desc"]


def test_stages_are_the_streams_stages_in_order(store: pyoxigraph.Store, maps: dict) -> None:
    for iri, (_, root) in maps.items():
        (count,) = rows(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?stream vskg:hasStage ?s }", iri)
        expected = rows(
            store,
            "SELECT DISTINCT ?s ?order ?label WHERE { ?stream vskg:hasStage ?s . ?s vskg:stageOrder ?order ; "
            "rdfs:label ?label } ORDER BY ?order ?label",  # stages running in parallel share an order
            iri,
        )
        stages = having(root, "stage")
        assert len(stages) == int(count["n"]), iri
        assert [g.get("data-iri") for g in stages] == [row["s"] for row in expected], iri
        assert [g.get("data-order") for g in stages] == [row["order"] for row in expected], iri
        assert [g.findtext(f"{{{SVG}}}title") for g in stages] == [row["label"] for row in expected], iri
        assert [content(first_text(g)) for g in stages] == [row["label"] for row in expected], iri


def test_mortgage_lending_has_the_articles_eight_stages(maps: dict) -> None:
    _, root = maps[MORTGAGE]
    labels = [content(first_text(g)) for g in having(root, "stage")]
    assert labels == EXAMPLES["Mortgage lending"]
    assert len(labels) == 8


def test_trigger_and_outcome_frame_the_stages(store: pyoxigraph.Store, maps: dict) -> None:
    for iri, (_, root) in maps.items():
        (row,) = rows(
            store,
            "SELECT DISTINCT ?trigger ?outcome WHERE { ?stream vskg:hasTrigger/rdfs:label ?trigger ; "
            "vskg:deliversOutcome/rdfs:label ?outcome }",
            iri,
        )
        for kind in ("trigger", "outcome"):
            (group,) = having(root, kind)
            assert group.findtext(f"{{{SVG}}}title") == row[kind], iri
            assert content(group.xpath("*[@class='label']")[0]) == row[kind], iri
        trigger_x = float(having(root, "trigger")[0].find(f"{{{SVG}}}rect").get("x"))
        outcome_x = float(having(root, "outcome")[0].find(f"{{{SVG}}}rect").get("x"))
        xs = [float(g.find(f"{{{SVG}}}polygon").get("points").split(",")[0]) for g in having(root, "stage")]
        assert trigger_x < xs[0] and xs == sorted(xs) and xs[-1] < outcome_x, iri


def test_handoffs_sit_between_their_stages(store: pyoxigraph.Store, maps: dict) -> None:
    for iri, (_, root) in maps.items():
        expected = rows(
            store,
            "SELECT DISTINCT ?h ?from ?to ?wait WHERE { ?stream vskg:hasHandoff ?h . ?h vskg:fromStage ?from ; "
            "vskg:toStage ?to ; vskg:waitTimeHours ?wait }",
            iri,
        )
        handoffs = having(root, "handoff")
        assert len(handoffs) == len(expected), iri
        drawn = {(g.get("data-iri"), g.get("data-from"), g.get("data-to")) for g in handoffs}
        assert drawn == {(r["h"], r["from"], r["to"]) for r in expected}, iri


def test_mortgage_handoff_waits_and_bottlenecks(maps: dict) -> None:
    _, root = maps[MORTGAGE]
    waits = [content(g.xpath(".//*[@class='wait']")[0]) for g in having(root, "handoff")]
    assert waits == ["12 h", "20 h", "1 h", "60 h", "48 h", "16 h", "72 h"]
    marked = {g.get("data-iri").rsplit("/", 1)[1]: g.get("data-bottleneck") for g in having(root, "bottleneck")}
    # Inside a stage the item waits lead - process: legal completion 240 - 6 = 234 h is the largest of the eight
    # (48 - 1, 24 - 2, 16 - 1.5, 2 - 0.5, 72 - 3, 24 - 2, 240 - 6, 8 - 1); underwriting's 65% the lowest %C&A;
    # handoff 7-8 waits longest (72 h) and handoff 5-6 has the lowest %C&A (70%).
    assert marked == {
        "legal-completion": "largest wait",
        "underwriting": "lowest %C&A",
        "handoff-7-8": "largest wait",
        "handoff-5-6": "lowest %C&A",
    }
    (legal,) = [g for g in having(root, "stage") if g.get("data-iri").endswith("legal-completion")]
    assert "bottleneck largest wait 234 h" in " ".join(content(t) for t in legal.iter(f"{{{SVG}}}text"))
    outline = legal.xpath("*[@class='bottleneck-outline']")[0]
    assert outline.get("stroke-dasharray") and float(outline.get("stroke-width")) >= 3
    (underwriting,) = [g for g in having(root, "stage") if g.get("data-iri").endswith("underwriting")]
    (frame,) = underwriting.xpath("*[@class='bottleneck-outline']")  # a second, different mark: a dotted frame
    assert (frame.tag, frame.get("stroke-dasharray")) == (f"{{{SVG}}}rect", "2 2.5")
    assert frame.get("stroke") != outline.get("stroke")


def test_every_map_marks_its_bottlenecks(maps: dict) -> None:
    for iri, (analysis, root) in maps.items():
        marked = having(root, "bottleneck")
        assert marked, iri
        assert {g.get("data-iri") for g in marked} == {b.subject.iri for b in analysis.bottlenecks}, iri
        assert all(g.xpath(".//*[@class='bottleneck-label']") for g in marked), iri


def test_summary_states_the_lead_time(store: pyoxigraph.Store, maps: dict) -> None:
    for iri, (_, root) in maps.items():
        if iri == TECH + "product-lifecycle":
            continue  # its stages do not all follow one another: see the test below
        (stages,) = rows(store, TOTAL.format(link="vskg:hasStage", hours="vskg:leadTimeHours"), iri)
        (waits,) = rows(store, TOTAL.format(link="vskg:hasHandoff", hours="vskg:waitTimeHours"), iri)
        lead, waiting = float(stages["t"]), float(waits["t"])  # the waits are part of the stage lead times
        (summary,) = having(root, "summary")
        assert f"Lead time {lead:,g} h" in content(summary), iri
        assert f"{waiting:,g} h of it waiting at handoffs ·" in content(summary), iri
    (summary,) = having(maps[MORTGAGE][1], "summary")
    stage_leads = 48 + 24 + 36 + 2 + 72 + 72 + 240 + 80
    handoff_waits = 12 + 20 + 1 + 60 + 48 + 16 + 72
    assert (stage_leads, handoff_waits) == (574, 229)
    assert content(summary).startswith(
        "Lead time 574 h (23.9 days), 229 h of it waiting at handoffs · process time 17 h · activity ratio 3.0%"
    )


def test_maps_are_self_contained_and_script_free(maps: dict) -> None:
    for iri, (_, root) in maps.items():
        tags = {etree.QName(e).localname for e in root.iter() if isinstance(e.tag, str)}
        assert not tags & {"script", "foreignObject", "image", "use", "a", "style", "iframe"}, iri
        for element in root.iter():
            for name, value in element.attrib.items():
                assert "href" not in name and not name.startswith("on"), (iri, name)
                assert not value.startswith(("http:", "https:")) or name.startswith("data-"), (iri, name)


def test_labels_fit_inside_their_chevrons(maps: dict) -> None:
    for iri, (_, root) in maps.items():
        for group in having(root, "stage"):
            label = first_text(group)
            size, bold = float(label.get("font-size")), label.get("font-weight") == "bold"
            for span in label:
                assert drawing.text_width(span.text.strip(), size, bold) <= STAGE_W - 2 * NOTCH - 8, (iri, span.text)


def test_width_grows_with_the_stage_count(maps: dict) -> None:
    # The width follows the positions (parallel stages share a column), not the stages.
    widths = {len({s.order for s in a.stages}): float(root.get("width")) for a, root in maps.values()}
    assert widths[3] < widths[4] < widths[5] < widths[8]


def test_portfolio_rows_and_alignment_marks(store: pyoxigraph.Store) -> None:
    root = parse(render_portfolio_map(analyse_portfolio(store)))
    assert root.get("class") == "vskg-portfolio"
    streams = rows(store, "SELECT DISTINCT ?stream ?org WHERE { ?stream vskg:hasStage ?s ; vskg:operatedBy ?org }")
    pairs = rows(
        store,
        "SELECT DISTINCT ?stream ?d WHERE { ?stream vskg:hasStage ?s ; vskg:hasMCAAlignment/vskg:alignedDimension ?d }",
    )
    dimensions = rows(
        store,
        "SELECT DISTINCT ?d ?label WHERE { ?d a vskg:MCADimension ; skos:notation ?n ; skos:prefLabel ?label } "
        "ORDER BY ?n",
    )
    assert len(dimensions) == 5
    assert [g.findtext(f"{{{SVG}}}title") for g in having(root, "dimension")] == [d["label"] for d in dimensions]
    row_groups = having(root, "row")
    assert len(row_groups) == len(streams) == 12
    owner = {s["stream"]: s["org"] for s in streams}
    assert all(owner[g.get("data-stream")] == g.getparent().get("data-iri") for g in row_groups)
    marks = having(root, "aligned")
    assert len(marks) == len(pairs) == 31
    drawn = {(m.getparent().get("data-stream"), m.get("data-dimension")) for m in marks}
    assert drawn == {(p["stream"], p["d"]) for p in pairs}


def test_portfolio_of_the_platform_company(store: pyoxigraph.Store) -> None:
    portfolio = "https://w3id.org/vskg/data/platform/portfolio"
    root = parse(render_portfolio_map(analyse_portfolio(store, portfolio)))
    included = rows(store, f"SELECT DISTINCT ?stream WHERE {{ <{portfolio}> vskg:includesStream ?stream }}")
    assert {g.get("data-stream") for g in having(root, "row")} == {r["stream"] for r in included}
    assert len(included) == 4


# --- hand-built analyses: what the graph does not show -------------------------------------------------------


def ref(name: str, label: str | None = None) -> Ref:
    return Ref(f"urn:x:{name}", label if label is not None else name)


def stage(name: str, order: int | None, label: str | None = None, **figures) -> StageFigures:
    values = {"process_hours": 1.0, "lead_hours": 5.0, "wait_hours": 4.0, "pca_percent": 90.0}
    values |= figures
    return StageFigures(
        ref(name, label),
        order,
        added_to_complete_flow=False,
        capabilities=(),
        systems=(),
        units=(),
        unsupported_capabilities=(),
        **values,
    )


def analysis(stages: list[StageFigures], handoffs: tuple[HandoffFigures, ...] = (), **changes) -> StreamAnalysis:
    nothing = Figure(None, HOURS, "missing")
    values = {
        "stream": ref("stream", "Test stream"),
        "organisation": None,
        "industry": None,
        "trigger": ref("trigger", "Start"),
        "outcome": ref("outcome", "Done"),
        "stages": tuple(stages),
        "handoffs": tuple(handoffs),
        "teams": (),
        "process_time": nothing,
        "lead_time": nothing,
        "activity_ratio": Figure(None, RATIO, "missing"),
        "rolled_pca": Figure(None, PERCENT, "missing"),
        "bottlenecks": (),
        "coverage": Coverage((), tuple(s.stage for s in stages), Figure(0.0, PERCENT, "none covered")),
        "alignment": (),
    }
    return StreamAnalysis(**(values | changes))


def test_labels_from_the_graph_are_escaped_and_cleaned() -> None:
    nasty = 'Checks <b>&amp; "quotes"\x0b</b>'
    text = render_stream_map(analysis([stage("s1", 1, nasty)], trigger=ref("t", "</svg><script>x</script>")))
    root = parse(text)
    (group,) = having(root, "stage")
    assert group.findtext(f"{{{SVG}}}title") == 'Checks <b>&amp; "quotes"</b>'
    assert content(first_text(group)) == 'Checks <b>&amp; "quotes"</b>'
    assert not root.xpath("//*[local-name()='script']")
    assert having(root, "trigger")[0].findtext(f"{{{SVG}}}title") == "</svg><script>x</script>"


def test_long_labels_wrap_into_tspans_that_join_back_to_the_label() -> None:
    label = "Reconcile the interplanetary settlement ledgers with counterparty confirmations"
    word = "Supercalifragilisticexpialidocious"
    root = parse(render_stream_map(analysis([stage("s1", 1, label), stage("s2", 2, word)])))
    long, single = (first_text(g) for g in having(root, "stage"))
    assert len(long) > 3  # too long for three lines at the largest size: smaller font, more lines
    assert float(long.get("font-size")) == 11
    assert content(long) == label
    assert len(single) >= 2 and content(single) == word  # one overlong word is broken, not clipped


def test_missing_figures_and_stages_without_order() -> None:
    lone = stage("s1", None, "Only stage", process_hours=None, lead_hours=None, wait_hours=None, pca_percent=None)
    root = parse(render_stream_map(analysis([lone], trigger=None, outcome=None)))
    (group,) = having(root, "stage")
    assert group.get("data-order") == "1"
    assert [span.text for span in group.xpath("*[@class='times']")[0]] == ["process \u2013", "lead \u2013"]
    assert content(group.xpath("*[@class='pca']")[0]) == "%C&A \u2013"
    assert having(root, "trigger")[0].findtext(f"{{{SVG}}}title") == "(not modelled)"
    assert "Lead time \u2013" in content(having(root, "summary")[0])


def test_long_lists_under_a_stage_end_in_a_count_of_the_rest() -> None:
    capabilities = tuple(ref(f"c{n}", f"Capability {n}") for n in range(1, 7))
    systems = (ref("s1", "Ledger"),)
    full = StageFigures(ref("s"), 1, 1.0, 2.0, 1.0, 90.0, False, capabilities, systems, (), capabilities[1:2])
    root = parse(render_stream_map(analysis([full])))
    listed = having(root, "capability")
    assert [g.findtext(f"{{{SVG}}}title") for g in listed] == ["Capability 1", "Capability 2", "Capability 3"]
    (more,) = having(root, "more")
    assert content(first_text(more)) == "+3 more"
    assert more.findtext(f"{{{SVG}}}title") == "Capability 4, Capability 5, Capability 6"
    assert [g.find(f"{{{SVG}}}circle").get("fill") for g in listed] == ["#34556f", "#ffffff", "#34556f"]
    assert [content(first_text(g)) for g in having(root, "system")] == ["Ledger"]


def test_a_stream_without_stages_still_draws_trigger_and_outcome() -> None:
    root = parse(render_stream_map(analysis([])))
    assert having(root, "stage") == [] and having(root, "handoff") == []
    assert len(having(root, "trigger")) == len(having(root, "outcome")) == 1


def test_handoffs_that_skip_a_stage_and_share_a_gap() -> None:
    stages = [stage("a", 1), stage("b", 2), stage("c", 3)]
    a, b, c = (s.stage for s in stages)
    hand = [
        HandoffFigures(ref("h1"), a, c, 8.0, None, 99.0, (), ()),
        HandoffFigures(ref("h2"), a, b, 2.0, 4, None, (ref("u1"),), (ref("u2"),)),
    ]
    marks = (Bottleneck("handoff", ref("h1"), "largest wait", Figure(8.0, HOURS, "largest")),)
    root = parse(render_stream_map(analysis(stages, hand, bottlenecks=marks)))
    groups = having(root, "handoff")
    assert [g.get("data-iri") for g in groups] == ["urn:x:h1", "urn:x:h2"]
    assert "1 → 3" in content(groups[0]) and "wait 8 h" in content(groups[0])
    assert (
        "queue 4" in content(groups[1]) and "cross-unit" in content(groups[1]) and "%C&A \u2013" in content(groups[1])
    )
    assert [g.get("data-iri") for g in having(root, "bottleneck")] == ["urn:x:h1"]


def test_inline_and_standalone_forms() -> None:
    one = analysis([stage("s1", 1)])
    assert render_stream_map(one).startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    inline = render_stream_map(one, standalone=False)
    assert inline.startswith("<svg ") and "<?xml" not in inline
    assert parse(inline).get("class") == "vskg-map"


# --- the command ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store_folder(tmp_path_factory: pytest.TempPathFactory, bundled_store_template: Path) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("maps") / "store"
    shutil.copytree(bundled_store_template, folder)
    yield folder


def test_map_command_writes_the_svg(store_folder: Path, tmp_path: Path, store: pyoxigraph.Store) -> None:
    target = tmp_path / "map.svg"
    result = CliRunner().invoke(
        app, ["map", "banking/mortgage-lending", "-o", str(target), "--store", str(store_folder)]
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {target}" in result.output
    assert target.read_text(encoding="utf-8") == render_stream_map(analyse_stream(store, MORTGAGE))


def test_map_command_to_standard_output_and_portfolio(store_folder: Path) -> None:
    full_iri = CliRunner().invoke(app, ["map", MORTGAGE, "--store", str(store_folder)])
    assert full_iri.exit_code == 0
    assert parse(full_iri.stdout).get("data-stream") == MORTGAGE
    portfolio = CliRunner().invoke(app, ["map", "--portfolio", "platform/portfolio", "--store", str(store_folder)])
    assert portfolio.exit_code == 0
    assert len(having(parse(portfolio.stdout), "row")) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["banking/no-such-stream"], "<https://w3id.org/vskg/data/banking/no-such-stream> is not a value stream"),
        ([], "name the value stream to draw"),
        (["--portfolio", "banking/mortgage-lending"], "is not a value stream portfolio"),
    ],
)
def test_map_command_refuses_what_it_cannot_draw(store_folder: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["map", *args, "--store", str(store_folder)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_map_command_without_a_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["map", "banking/mortgage-lending", "--store", str(tmp_path / "none")])
    assert result.exit_code == 3
    assert "there is no store at" in result.output


def test_parallel_stages_are_stacked_in_one_column_each_with_its_own_arrow(maps: dict) -> None:
    """The technology example's three planning stages run in parallel at position 1: one column of three chevrons,
    a fork from the trigger to each, and each hands over to development on its own arrow, its wait beside it."""
    _, root = maps[TECH + "product-lifecycle"]
    stages = having(root, "stage")
    shapes = {g.get("data-iri")[len(TECH) :]: g.find(f"{{{SVG}}}polygon").get("points") for g in stages}
    xs = {name: sorted({float(p.split(",")[0]) for p in points.split()}) for name, points in shapes.items()}
    ys = {name: sorted({float(p.split(",")[1]) for p in points.split()}) for name, points in shapes.items()}
    planning = ["infrastructure-capacity-planning", "marketing-planning", "product-management"]
    assert len({tuple(xs[n]) for n in planning}) == 1  # one column
    assert ys[planning[0]][-1] < ys[planning[1]][0] and ys[planning[1]][-1] < ys[planning[2]][0]  # stacked
    assert xs["development-and-deployment"][0] > xs[planning[0]][-1]
    assert [g.get("data-order") for g in stages] == ["1", "1", "1", "2", "3"]
    assert stages[1].get("data-parallel-with") == f"{TECH}infrastructure-capacity-planning {TECH}product-management"
    handoffs = having(root, "handoff")
    into_development = [h for h in handoffs if h.get("data-to") == TECH + "development-and-deployment"]
    assert len(into_development) == 3
    for handoff, name in zip(into_development, planning, strict=True):
        assert handoff.get("data-from") == TECH + name
        (arrow,) = [a for a in handoff.iter(f"{{{SVG}}}g") if a.get("class") == "arrow"]
        assert first_y(arrow) == pytest.approx((ys[name][0] + ys[name][-1]) / 2, abs=0.1)  # its chevron's point
        assert "48 h" in content(handoff)
    # The trigger forks into the three planning stages: three arrows outside any handoff.
    arrows = [a for a in root.iter(f"{{{SVG}}}g") if a.get("class") == "arrow"]
    loose = [a for a in arrows if "handoff" not in (a.getparent().get("class") or "")]
    assert len(arrows) - len(loose) == 3 + 1  # the three into development, and development to launch
    assert sorted(first_y(a) for a in loose)[:3] == [first_y(loose[0])] * 3  # from the trigger's middle...
    assert len(loose) == 3 + 1  # ...to each planning stage, and from the launch to the outcome
    (summary,) = having(root, "summary")
    assert content(summary).startswith(
        "Lead time 1,464 h (61.0 days), 288 h of it waiting at handoffs on the critical path · process time 360 h · "
        "activity ratio 24.6%"
    )
    assert (max(480, 360, 576) + 480 + 408, 48 + 240) == (1464, 288)


def first_y(arrow: etree._Element) -> float:
    """Where an arrow starts, up or down: a straight one is a line, a bent one a polyline."""
    line = arrow.find(f"{{{SVG}}}polyline")
    if line is not None:
        return float(line.get("points").split()[0].split(",")[1])
    return float(arrow.find(f"{{{SVG}}}line").get("y1"))
