"""The live portfolio (vskg.analytics.live) after any sequence of writes equals a full recompute, to the byte.

Writes are drawn at random from every kind the service makes (INSERT DATA, DELETE DATA, DELETE/INSERT WHERE, DROP,
Graph Store PUT/POST/DELETE of a graph) and touch every part of the analysis: stage and handoff figures, stream
membership, systems and platforms, capabilities and sub-capabilities, maturity assessments, types and labels,
facts stated in two graphs, blank nodes. After each one the live JSON is compared with `analyse_portfolio` on the
same store, on the bundled data and on a synthetic enterprise.
"""

from __future__ import annotations

import gc
import gzip
import json
import random
import zlib

import pyoxigraph
import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from bench.synthetic import generate
from vskg.analytics import analyse_portfolio, facts, to_json
from vskg.analytics.live import Change, LivePortfolio, Segment, data_operations, dumps, gzip_of
from vskg.analytics.portfolio import shared_systems
from vskg.graphs import memory_store
from vskg.vocab import VSKG

V = f"PREFIX vskg: <{VSKG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
V += "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
EX = "https://example.org/live/"
SYNTHETIC_GRAPH = "https://example.org/synthetic-graph"


def full_document(store: pyoxigraph.Store) -> bytes:
    result = analyse_portfolio(store)
    body = {**to_json(result), "shared_systems": to_json(shared_systems(result))}
    return dumps(body).encode("utf-8")


def pick(store: pyoxigraph.Store, text: str) -> list[tuple]:
    return [tuple(row) for row in store.query(V + text, use_default_graph_as_union=True)]


class Writer:
    """Makes random writes to ``store`` and says what each did, as the service's write routes do."""

    def __init__(self, store: pyoxigraph.Store, seed: int) -> None:
        self.store = store
        self.random = random.Random(seed)
        self.count = 0

    def one(self, rows: list[tuple]) -> tuple:
        return self.random.choice(sorted(rows, key=str))

    def update(self, text: str) -> Change:
        self.store.update(V + text)
        return Change.of_update(V + text)

    def put(self, graph: str, quads: list[Quad], merge: bool = False) -> Change:
        quads = [Quad(q.subject, q.predicate, q.object, NamedNode(graph)) for q in quads]
        if not merge:
            self.store.remove_graph(NamedNode(graph)) if NamedNode(graph) in self.store.named_graphs() else None
        self.store.extend(quads)
        return Change.merged(graph, quads) if merge else Change.replaced(graph, quads)

    def drop(self, graph: str) -> Change:
        if NamedNode(graph) in self.store.named_graphs():
            self.store.remove_graph(NamedNode(graph))
        return Change.dropped(graph)

    def small_stream(self, name: str, lead: float) -> list[Quad]:
        text = f"""@prefix vskg: <{VSKG}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <{EX}{name}> a vskg:OperationalValueStream ; rdfs:label "Stream {name}"@en ;
            vskg:hasStage <{EX}{name}/s1>, <{EX}{name}/s2> ; vskg:hasHandoff <{EX}{name}/h> .
        <{EX}{name}/s1> rdfs:label "First" ; vskg:stageOrder 1 ; vskg:processTimeHours 2 ;
            vskg:leadTimeHours {lead} ; vskg:percentCompleteAccurate 90 ; vskg:enabledBy <{EX}cap> .
        <{EX}{name}/s2> vskg:stageOrder 2 ; vskg:processTimeHours 1 ; vskg:leadTimeHours 3 .
        <{EX}{name}/h> vskg:fromStage <{EX}{name}/s1> ; vskg:toStage <{EX}{name}/s2> ; vskg:waitTimeHours 5.0 .
        <{EX}sys> vskg:supportsCapability <{EX}cap> ; vskg:runsOn <{EX}platform> .
        """
        return list(pyoxigraph.parse(text.encode(), pyoxigraph.RdfFormat.TURTLE))

    def step(self) -> tuple[str, Change]:
        self.count += 1
        n = self.count
        stages = pick(self.store, "SELECT ?g ?s ?v WHERE { GRAPH ?g { ?s vskg:leadTimeHours ?v } }")
        streams = pick(self.store, "SELECT DISTINCT ?g ?s WHERE { GRAPH ?g { ?s vskg:hasStage ?x } }")
        caps = pick(self.store, "SELECT DISTINCT ?c WHERE { ?s vskg:enabledBy ?c }")
        kind = self.random.randrange(17)
        if kind == 0 and stages:  # a stage's lead time, as DELETE DATA + INSERT DATA in one request
            g, s, v = self.one(stages)
            return "lead", self.update(
                f"DELETE DATA {{ GRAPH {g} {{ {s} vskg:leadTimeHours {v} }} }} ; "
                f"INSERT DATA {{ GRAPH {g} {{ {s} vskg:leadTimeHours {self.random.randint(1, 900)}.0 }} }}"
            )
        if kind == 1:  # a handoff's wait, by pattern
            return "wait", self.update(
                "DELETE { GRAPH ?g { ?h vskg:waitTimeHours ?w } } INSERT { GRAPH ?g { ?h vskg:waitTimeHours "
                f"{self.random.randint(0, 50)} }} }} WHERE {{ GRAPH ?g {{ ?h vskg:waitTimeHours ?w }} "
                f"FILTER(STRENDS(STR(?h), '{self.random.randint(0, 9)}')) }}"
            )
        if kind == 2 and streams and stages:  # a stage moves into another stream
            g, stream = self.one(streams)
            return "member", self.update(
                f"INSERT DATA {{ GRAPH {g} {{ {stream} vskg:hasStage {self.one(stages)[1]} }} }}"
            )
        if kind == 3 and streams:  # a stream loses a stage
            g, stream = self.one(streams)
            found = pick(self.store, f"SELECT ?x WHERE {{ GRAPH {g} {{ {stream} vskg:hasStage ?x }} }}")
            return "unmember", self.update(
                f"DELETE DATA {{ GRAPH {g} {{ {stream} vskg:hasStage {self.one(found)[0]} }} }}"
            )
        if kind == 4 and stages:  # a system supports a stage, runs on a platform
            s = self.one(stages)[1]
            return "system", self.update(
                f"INSERT DATA {{ <{EX}sys{n % 3}> vskg:supportsStage {s} ; vskg:runsOn <{EX}platform{n % 2}> ; "
                f'rdfs:label "System {n % 3}" }}'
            )
        if kind == 5 and stages and caps:  # a stage gets an enabling capability, which a system supports
            s, c = self.one(stages)[1], self.one(caps)[0]
            return "capability", self.update(
                f"INSERT DATA {{ GRAPH <{EX}g> {{ {s} vskg:enabledBy <{EX}cap{n % 4}> . <{EX}cap{n % 4}> "
                f"vskg:subCapabilityOf {c} . <{EX}sys{n % 3}> vskg:supportsCapability <{EX}cap{n % 4}> }} }}"
            )
        if kind == 6 and caps:  # a maturity assessment
            c = self.one(caps)[0]
            return "maturity", self.update(
                f"INSERT DATA {{ {c} vskg:hasAssessment <{EX}a{n}> . <{EX}a{n}> vskg:currentLevel <{EX}l{n % 3}> ; "
                f'vskg:targetLevel <{EX}l{(n + 1) % 4}> ; vskg:assessedOn "2030-01-0{n % 9 + 1}" . '
                f'<{EX}l{n % 3}> skos:notation "{n % 3}" . <{EX}l{(n + 1) % 4}> skos:notation "{(n + 1) % 4}" }}'
            )
        if kind == 7 and streams:  # labels: a new preferred one, or all of them gone
            s = self.one(stages or streams)[1]
            if self.random.random() < 0.5:
                return "label", self.update(f'INSERT DATA {{ {s} skos:prefLabel "Renamed {n}"@en }}')
            return "unlabel", self.update(
                f"DELETE {{ GRAPH ?g {{ {s} rdfs:label ?l }} }} WHERE {{ GRAPH ?g {{ {s} rdfs:label ?l }} }}"
            )
        if kind == 8:  # a small stream in a graph of its own, replaced
            return "put", self.put(f"{EX}graph{n % 3}", self.small_stream(f"x{n % 3}", self.random.randint(1, 9)))
        if kind == 9:  # merged into
            return "post", self.put(f"{EX}graph{n % 3}", self.small_stream(f"x{n % 3}", 7), merge=True)
        if kind == 10:
            return "delete", self.drop(f"{EX}graph{n % 3}")
        if kind == 11 and stages:  # the same fact in a second graph, and out of one again
            g, s, v = self.one(stages)
            if self.random.random() < 0.5:
                return "twice", self.update(f"INSERT DATA {{ GRAPH <{EX}copy> {{ {s} vskg:leadTimeHours {v} }} }}")
            return "once", self.update(f"DELETE DATA {{ GRAPH {g} {{ {s} vskg:leadTimeHours {v} }} }}")
        if kind == 12 and stages:  # a blank node (named anew by the store)
            s = self.one(stages)[1]
            return "blank", self.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ _:u vskg:contributesTo {s} }} }}")
        if kind == 13 and streams:  # a stream's type goes
            g, stream = self.one(streams)
            return "untype", self.update(f"DELETE WHERE {{ GRAPH {g} {{ {stream} a ?t }} }}")
        if kind == 14:
            return "drop", self.update(f"DROP SILENT GRAPH <{EX}copy>")
        if kind == 15:  # nothing the analysis reads
            return "other", self.update(f"INSERT DATA {{ <{EX}x{n}> <{EX}p> {n} }}")
        if kind == 16 and stages:  # the default graph counts in the union as well
            s, v = self.one(stages)[1:]
            return "default", self._default(s, v)
        return "nothing", Change()

    def _default(self, s, v) -> Change:
        quad = Quad(s, NamedNode(VSKG + "processTimeHours"), Literal(str(v.value)), DefaultGraph())
        self.store.add(quad)
        return Change.merged(None, [quad])


def run(store: pyoxigraph.Store, seed: int, steps: int) -> None:
    live, writer = LivePortfolio(), Writer(store, seed)
    assert live.document(store) == full_document(store)
    for _ in range(steps):
        what, change = writer.step()
        live.written(change)
        assert live.document(store) == full_document(store), (seed, writer.count, what)


@pytest.mark.parametrize("seed", range(4))
def test_bundled_data_after_random_writes(seed: int) -> None:
    run(memory_store(), seed, 40)


@pytest.mark.parametrize("scan", [False, True])
def test_synthetic_enterprise_after_random_writes(scan: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if scan:  # the full recompute reads by scanning whole properties, as it does on a large graph
        monkeypatch.setattr(facts, "SCAN_FROM", 0)
    text, _ = generate(12, seed=5)
    store = memory_store(with_bundled_data=False)
    store.load(text.encode(), format=pyoxigraph.RdfFormat.TURTLE, to_graph=NamedNode(SYNTHETIC_GRAPH))
    run(store, 7, 40)


def test_a_lead_time_rebuilds_only_its_stream() -> None:
    store = memory_store()
    live = LivePortfolio()
    before = live.analysis(store)
    assert live.rebuilt == len(before.streams)
    stage, lead = pick(store, "SELECT ?s ?v WHERE { ?s vskg:leadTimeHours ?v } ORDER BY ?s LIMIT 1")[0]
    graph = pick(store, f"SELECT ?g WHERE {{ GRAPH ?g {{ {stage} vskg:leadTimeHours {lead} }} }}")[0][0]
    text = V + (
        f"DELETE DATA {{ GRAPH {graph} {{ {stage} vskg:leadTimeHours {lead} }} }} ; "
        f"INSERT DATA {{ GRAPH {graph} {{ {stage} vskg:leadTimeHours 777 }} }}"
    )
    store.update(text)
    live.written(Change.of_update(text))
    after = live.analysis(store)
    assert live.rebuilt == 1
    changed = [s for s in after.streams if any(st.lead_hours == 777 for st in s.stages)]
    assert len(changed) == 1
    assert live.document(store) == full_document(store)


def test_the_kept_analysis_is_left_out_of_later_garbage_collections() -> None:
    """Its objects are frozen, so a full collection set off by a later request does not walk them all."""
    store = memory_store()
    live = LivePortfolio()
    gc.unfreeze()
    live.analysis(store)
    kept = gc.get_freeze_count()
    assert kept > 10_000  # the streams' results, among what else was alive
    gc.unfreeze()
    assert gc.isenabled()


def test_data_operations_are_read_with_their_prologue() -> None:
    text = (
        "PREFIX ex: <https://example.org/> INSERT DATA { ex:a ex:b 1 } ; BASE <https://example.org/base/> "
        "DELETE DATA { GRAPH ex:g { <r> ex:b 'x' } } ;"
    )
    steps = data_operations(text, None)
    assert [(op, [str(q) for q in quads]) for op, _, quads in steps] == [
        ("insert", ['<https://example.org/a> <https://example.org/b> "1"^^<http://www.w3.org/2001/XMLSchema#integer>']),
        (
            "delete",
            [
                '<https://example.org/base/r> <https://example.org/b> "x" <https://example.org/g>',
            ],
        ),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "DELETE WHERE { ?s ?p ?o }",
        "INSERT { ?s ?p 1 } WHERE { ?s ?p 2 }",
        "INSERT DATA { <a:b> <a:c> 1 } ; CLEAR ALL",
        "DROP GRAPH <a:g>",
        "INSERT DATA { <a:b> <a:c> 1 ",
    ],
)
def test_any_other_update_is_not_read_as_quads(text: str) -> None:
    assert data_operations(text, None) is None
    assert Change.of_update(text).everything


def test_the_document_is_the_api_json_as_one_gzip_member() -> None:
    store = memory_store()
    live = LivePortfolio()
    body = live.gzipped(store)
    assert gzip.decompress(body) == full_document(store)
    assert zlib.decompress(body, 31) == full_document(store)  # one member, checked against its CRC and length
    assert body[:4] == b"\x1f\x8b\x08\x00"  # gzip, deflate, no flags (no name, no extra field)
    assert (
        json.loads(gzip.decompress(body))["streams"][0]["stream"]["iri"]
        == analyse_portfolio(store).streams[0].stream.iri
    )


def test_segments_laid_end_to_end_make_one_gzip_member() -> None:
    texts = [b"", "\u00e9t\u00e9 ".encode() * 300, bytes(range(256)) * 70, b"x"]
    pieces = [Segment.of(texts[0]), texts[1], Segment.of(texts[2]), Segment.of(texts[3]), b""]
    body = gzip_of(pieces)
    assert zlib.decompress(body, 31) == b"".join(texts)
    assert [Segment.of(t).text() for t in texts] == texts
    assert gzip_of([]) == b"\x1f\x8b\x08\x00" + bytes(5) + b"\xff" + b"\x03\x00" + bytes(8)
    assert gzip.decompress(gzip_of([])) == b""


def test_an_unchanged_portfolio_keeps_its_cross_stream_parts() -> None:
    """A write to a stage's lead time changes no cross-stream part: they are not worked out again (nor their JSON),
    and the document still equals a full recompute; a label write works them out again."""
    store = memory_store()
    live = LivePortfolio()
    live.document(store)
    first = live.analysis(store)
    graph, stage, _ = first_stage(store)
    live.written(update(store, f"INSERT DATA {{ GRAPH {graph} {{ {stage} vskg:leadTimeHours 4321 }} }}"))
    assert live.document(store) == full_document(store)
    again = live.analysis(store)
    assert live.rebuilt == 0
    assert (again.maturity, again.shared_platforms, again.dimensions) == (
        first.maturity,
        first.shared_platforms,
        first.dimensions,
    )
    assert again.maturity is first.maturity and again.streams is not first.streams
    live.written(update(store, f'INSERT DATA {{ GRAPH {graph} {{ {stage} rdfs:label "Renamed stage" }} }}'))
    assert live.document(store) == full_document(store)
    assert live.analysis(store).maturity is not first.maturity


# --- the compact form loses nothing: each case fails if a fact, a label or a graph's nodes were forgotten ---------


def first_stage(store: pyoxigraph.Store) -> tuple:
    """The first stage with a lead time, with that value and the graph stating it."""
    return pick(store, "SELECT ?g ?s ?v WHERE { GRAPH ?g { ?s vskg:leadTimeHours ?v } } ORDER BY ?s LIMIT 1")[0]


def live_after(store: pyoxigraph.Store, writes: list) -> LivePortfolio:
    """A live portfolio that saw ``store`` before the ``writes`` (each makes its write and returns its Change)."""
    live = LivePortfolio()
    live.analysis(store)
    for write in writes:
        live.written(write())
        assert live.document(store) == full_document(store)
    return live


def update(store: pyoxigraph.Store, text: str, known: bool = True) -> Change:
    store.update(V + text)
    return Change.of_update(V + text) if known else Change.unknown()


def test_a_fact_in_two_graphs_removed_from_one_still_counts() -> None:
    store = memory_store()
    g, s, v = first_stage(store)
    lead = f"{s} vskg:leadTimeHours {v}"
    live_after(store, [
        lambda: update(store, f"INSERT DATA {{ GRAPH <{EX}copy> {{ {lead} }} }}"),
        lambda: update(store, f"DELETE DATA {{ GRAPH {g} {{ {lead} }} }}"),
        lambda: Writer(store, 0).drop(f"{EX}copy"),
    ])  # fmt: skip


def test_a_pattern_update_that_undoes_a_known_write_is_seen() -> None:
    store = memory_store()
    g, s, v = first_stage(store)
    live = live_after(store, [
        lambda: update(store, f"DELETE DATA {{ GRAPH {g} {{ {s} vskg:leadTimeHours {v} }} }} ; "
                              f"INSERT DATA {{ GRAPH {g} {{ {s} vskg:leadTimeHours 4321 }} }}"),
        lambda: update(store, f"DELETE {{ GRAPH ?g {{ ?s vskg:leadTimeHours 4321 }} }} INSERT {{ GRAPH ?g {{ ?s "
                              f"vskg:leadTimeHours {v} }} }} WHERE {{ GRAPH ?g {{ ?s vskg:leadTimeHours 4321 }} }}"),
    ])  # fmt: skip
    assert live.rebuilt == 1


def test_a_language_tagged_label_and_a_plain_one_are_two_facts() -> None:
    store = memory_store()
    _, s, _ = first_stage(store)
    live_after(store, [
        lambda: update(store, f'INSERT DATA {{ {s} skos:prefLabel "Same" }}'),
        lambda: update(store, f'INSERT DATA {{ GRAPH <{EX}g> {{ {s} skos:prefLabel "Same"@en }} }}'),
        lambda: update(store, f'DELETE DATA {{ GRAPH <{EX}g> {{ {s} skos:prefLabel "Same"@en }} }}'),
        lambda: update(store, f'DELETE DATA {{ {s} skos:prefLabel "Same" }}'),
        lambda: update(store, f'INSERT DATA {{ {s} skos:prefLabel "Other"@en }}', known=False),
    ])  # fmt: skip


def test_blank_nodes_named_anew_by_the_store_go_with_their_graph() -> None:
    store = memory_store()
    _, s, _ = first_stage(store)
    stream = pick(store, f"SELECT ?r WHERE {{ ?r vskg:hasStage {s} }}")[0][0]
    writer = Writer(store, 0)
    live_after(store, [
        lambda: update(store, f'INSERT DATA {{ GRAPH <{EX}b> {{ _:u vskg:contributesTo {s} ; rdfs:label "Unit" }} }}'),
        lambda: update(store, f'INSERT DATA {{ GRAPH <{EX}c> {{ _:w vskg:contributesTo {s} }} }}'),
        # a blank stage whose figures are in another graph than the link to it: only the store knows its name
        lambda: update(store, f"INSERT DATA {{ GRAPH <{EX}c> {{ {stream} vskg:hasStage _:st }} "
                              f"GRAPH <{EX}e> {{ _:st vskg:leadTimeHours 5 ; vskg:processTimeHours 1 }} }}"),
        lambda: writer.drop(f"{EX}e"),
        lambda: writer.drop(f"{EX}b"),
        lambda: writer.put(f"{EX}c", []),
    ])  # fmt: skip


def test_a_graph_replaced_takes_its_old_facts_and_labels_along() -> None:
    store = memory_store()
    writer = Writer(store, 0)
    live_after(store, [
        lambda: writer.put(f"{EX}graph1", writer.small_stream("y", 3)),
        lambda: writer.put(f"{EX}graph1", writer.small_stream("z", 4)),
        lambda: writer.put(f"{EX}graph1", []),
    ])  # fmt: skip


def test_a_dimension_renumbered_in_a_graph_without_streams_is_seen() -> None:
    """With no stream, the cross-stream parts still read the MCA dimensions' notations themselves (no table does):
    a known write of a notation must not leave the former order in place."""
    store = pyoxigraph.Store()
    store.update(
        V + f"INSERT DATA {{ <{EX}d1> a vskg:MCADimension ; skos:notation 'a' ; rdfs:label 'One' . "
        f"<{EX}d2> a vskg:MCADimension ; skos:notation 'b' ; rdfs:label 'Two' . }}"
    )
    live = LivePortfolio()
    assert [d["label"] for d in json.loads(live.document(store))["dimensions"]] == ["One", "Two"]
    live.written(
        update(store, f"DELETE DATA {{ <{EX}d1> skos:notation 'a' }} ; INSERT DATA {{ <{EX}d1> skos:notation 'c' }}")
    )
    assert [d["label"] for d in json.loads(live.document(store))["dimensions"]] == ["Two", "One"]
    assert live.document(store) == full_document(store)


def test_a_parallel_link_stated_both_ways_counts_until_both_are_gone() -> None:
    """vskg:runsInParallelWith is read both ways: taking one direction away changes nothing, taking the other
    breaks the technology example's planning block, whose stages then add up one after another."""
    store = memory_store()
    tech = "https://w3id.org/vskg/data/technology/"
    graph = pick(store, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{tech}product-lifecycle> ?p ?o }} }}")[0][0]
    one = f"<{tech}marketing-planning> vskg:runsInParallelWith <{tech}product-management>"
    other = f"<{tech}product-management> vskg:runsInParallelWith <{tech}marketing-planning>"
    live = live_after(store, [
        lambda: update(store, f"DELETE DATA {{ GRAPH {graph} {{ {one} }} }}"),
        lambda: update(store, f"DELETE DATA {{ GRAPH {graph} {{ {other} }} }}"),
    ])  # fmt: skip
    stream = next(s for s in live.analysis(store).streams if s.stream.iri == tech + "product-lifecycle")
    # Marketing and product management still run in parallel with capacity planning: one block, still 1464 h.
    assert stream.lead_time.value == 576 + 480 + 408
    live = live_after(store, [
        lambda: update(store, "DELETE WHERE { GRAPH ?g { ?s vskg:runsInParallelWith ?o } }", known=False),
    ])  # fmt: skip
    stream = next(s for s in live.analysis(store).streams if s.stream.iri == tech + "product-lifecycle")
    assert stream.lead_time.value == 576 + 480 + 360 + 480 + 408
