"""The synthetic enterprise of bench/synthetic.py: it conforms to the shapes, is repeatable, and the analytics on it
agree with the figures the generator says it wrote."""

from __future__ import annotations

import math
from pathlib import Path

import pyoxigraph
import pytest

from bench.synthetic import Summary, generate, main
from vskg.analytics import analyse_portfolio, analyse_stream
from vskg.graphs import memory_store
from vskg.validate import validate_files

STREAMS, SEED = 6, 42


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Summary]:
    text, summary = generate(STREAMS, SEED)
    path = tmp_path_factory.mktemp("synthetic") / "enterprise.ttl"
    path.write_text(text, encoding="utf-8")
    return path, text, summary


@pytest.fixture(scope="module")
def synthetic_store(generated: tuple[Path, str, Summary]) -> pyoxigraph.Store:
    """The vocabulary and the synthetic model only, so nothing bundled can make a figure come out right."""
    return memory_store([generated[0]], with_bundled_data=False)


def test_the_model_conforms_with_one_info_per_deliberate_gap(generated: tuple[Path, str, Summary]) -> None:
    path, _, summary = generated
    report = validate_files([path])
    assert report.count("Violation") == 0
    assert report.count("Warning") == 0
    # The only infos are the capabilities left without a supporting system on purpose (like the banking example's
    # exception underwriting): SHACL's gap rule must find exactly those.
    assert len(summary.unsupported_capabilities) == 1
    infos = [(f.focus_node, f.source_shape) for f in report.findings if f.severity == "Info"]
    gap = summary.unsupported_capabilities[0]
    assert infos == [(gap, "https://w3id.org/vskg/shapes#CapabilitySupportedShape")]


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(generated: tuple[Path, str, Summary]) -> None:
    _, text, summary = generated
    again, again_summary = generate(STREAMS, SEED)
    assert again.encode() == text.encode()
    assert again_summary == summary
    other, _ = generate(STREAMS, SEED + 1)
    assert other != text


def test_the_command_writes_what_generate_returns(generated: tuple[Path, str, Summary], tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    assert main(["--streams", str(STREAMS), "--seed", str(SEED), "-o", str(target)]) == 0
    assert target.read_bytes() == generated[1].encode()


def test_sizes_follow_the_number_of_streams(generated: tuple[Path, str, Summary]) -> None:
    _, _, summary = generated
    assert [len(s.stages) for s in summary.streams] == [len(s.handoffs) + 1 for s in summary.streams]
    assert all(4 <= len(s.stages) <= 10 for s in summary.streams)
    # 6 streams: 2 organisations (at least two) plus the group; 6 // 10 -> at least 2 level-1 and 19 * 6 // 10 = 11
    # level-2 capabilities; 3 * 6 // 5 = 3 -> at least 4 systems; 6 // 25 -> at least 2 platforms.
    assert summary.counts["organisations"] == 2 + 1
    assert summary.counts["capabilities"] == 2 + 11
    assert summary.counts["systems"] == 4
    assert summary.counts["platforms"] == 2
    assert summary.counts["stages"] == sum(len(s.stages) for s in summary.streams)


def test_the_store_holds_what_the_summary_counts(synthetic_store: pyoxigraph.Store, generated) -> None:
    _, _, summary = generated
    counts = {}
    for name, kind in (("stages", "ValueStreamStage"), ("handoffs", "Handoff"), ("capabilities", "Capability")):
        query = f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ ?x a <https://w3id.org/vskg/ontology#{kind}> }}"
        counts[name] = int(next(iter(synthetic_store.query(query, use_default_graph_as_union=True)))["n"].value)
    assert counts == {k: summary.counts[k] for k in ("stages", "handoffs", "capabilities")}


def test_lead_time_is_the_stage_leads_with_the_waits_inside(synthetic_store: pyoxigraph.Store, generated) -> None:
    _, _, summary = generated
    stream = summary.streams[STREAMS // 2]
    expected_lead = math.fsum(s.lead_hours for s in stream.stages)  # each holds the wait in front of its stage
    # Every generated wait fits in the receiving stage's lead time next to its process time, as the shapes demand.
    fits = [
        h.wait_hours <= after.lead_hours - after.process_hours
        for one in summary.streams
        for h, after in zip(one.handoffs, one.stages[1:], strict=True)
    ]
    assert fits and all(fits)
    assert any(h.wait_hours > 0 for one in summary.streams for h in one.handoffs)
    expected_process = math.fsum(s.process_hours for s in stream.stages)
    expected_rolled = math.prod(s.pca_percent / 100 for s in stream.stages) * 100

    analysis = analyse_stream(synthetic_store, stream.iri)

    assert analysis.lead_time.value == expected_lead
    assert analysis.process_time.value == expected_process
    assert analysis.rolled_pca.value == expected_rolled
    assert [s.stage.iri for s in analysis.stages] == [s.iri for s in stream.stages]
    assert [s.order for s in analysis.stages] == list(range(1, len(stream.stages) + 1))
    assert [h.wait_hours for h in analysis.handoffs] == [h.wait_hours for h in stream.handoffs]
    assert [h.queue_length for h in analysis.handoffs] == [h.queue_length for h in stream.handoffs]
    assert analysis.organisation is not None and analysis.organisation.iri == stream.organisation


def test_the_portfolio_holds_every_stream_and_finds_the_gap(synthetic_store: pyoxigraph.Store, generated) -> None:
    _, _, summary = generated
    portfolio = analyse_portfolio(synthetic_store, summary.portfolio)
    assert sorted(s.stream.iri for s in portfolio.streams) == sorted(s.iri for s in summary.streams)
    gap = summary.unsupported_capabilities[0]
    flagged = {c.iri for s in portfolio.streams for stage in s.stages for c in stage.unsupported_capabilities}
    enabled_by_gap = any(gap in stage.capabilities for s in summary.streams for stage in s.stages)
    assert flagged == ({gap} if enabled_by_gap else set())
    shared, users = summary.most_shared_capability
    assert users >= 2
    assert len(next(u.streams for u in portfolio.shared_capabilities if u.subject.iri == shared)) == users


def test_fewer_than_one_stream_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate(0)


# From 300 streams on, every size with streams // 10 divisible by 30 (300-309, 600-609, ..., 4500, 13500) used to
# fail: the children of a level-1 capability are p, p + areas, p + 2 areas, ..., so they all share one remainder
# modulo 30, and the every-thirtieth gap rule took all of them. 300 streams: 30 areas, gaps 29, 59, ..., 569 (19), but
# area 29 keeps its first child. 609: 60 areas, gaps 59, 89, ..., 1139 (37; the first 57 are group-wide), area 59 keeps
# its first child.
@pytest.mark.parametrize(("streams", "gaps"), [(300, 18), (609, 36)])
def test_sizes_whose_area_count_is_a_multiple_of_thirty_are_generated(streams: int, gaps: int) -> None:
    _, summary = generate(streams, SEED)
    assert summary.counts["capabilities"] == streams // 10 + 19 * streams // 10
    assert len(summary.unsupported_capabilities) == gaps


def test_every_area_keeps_a_supported_child_and_only_the_gaps_are_unsupported(tmp_path: Path) -> None:
    text, summary = generate(300, SEED)
    path = tmp_path / "enterprise.ttl"
    path.write_text(text, encoding="utf-8")
    store = memory_store([path], with_bundled_data=False)
    prefix = "PREFIX vskg: <https://w3id.org/vskg/ontology#>\n"
    bare_areas = (
        prefix
        + """SELECT (COUNT(?area) AS ?n) {
        ?area vskg:capabilityLevel 1 .
        FILTER NOT EXISTS { ?child vskg:subCapabilityOf ?area . ?system vskg:supportsCapability ?child } }"""
    )
    unsupported = (
        prefix
        + """SELECT ?c {
        ?c vskg:capabilityLevel 2 . FILTER NOT EXISTS { ?system vskg:supportsCapability ?c } }"""
    )
    assert int(next(iter(store.query(bare_areas, use_default_graph_as_union=True)))["n"].value) == 0
    found = sorted(row["c"].value for row in store.query(unsupported, use_default_graph_as_union=True))
    assert found == sorted(summary.unsupported_capabilities)
    assert len(found) == 18
