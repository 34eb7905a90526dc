"""Every owl:inverseOf pair of the ontology reads the same whichever direction the data states it in.

vskg runs no reasoner over the store and does not write the inverse of what is loaded (it could not keep that
exact: delete one direction of a fact stated both ways, and the stored inverse would either outlive it or take the
other statement with it). Instead every catalogue query and every analytic reads each such property in both
directions. Here the bundled graph is rewritten so that each pair is stated in one direction only, then in the
other, and every query that uses either property, and the analytics, must give exactly the rows they give on the
bundled graph as it is (which states some pairs one way, some the other, some both).
"""

from __future__ import annotations

import re
from functools import cache

import pyoxigraph
import pytest
import rdflib
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from vskg.analytics import analyse_portfolio, capability_impact, system_impact, to_json
from vskg.analytics.facts import INVERSES
from vskg.browse.common import Paging
from vskg.browse.lists import streams
from vskg.catalogue import catalogue, run
from vskg.graphs import memory_store
from vskg.resources import locate
from vskg.results import collect
from vskg.store import LocalStore
from vskg.vocab import VSKG

from .test_analytics_live import EX, live_after, pick, update
from .test_queries import body, example_params


def _ontology_pairs() -> set[frozenset[str]]:
    graph = rdflib.Graph().parse(locate().ontology, format="turtle")
    return {
        frozenset({str(p), str(q)})
        for p, q in graph.subject_objects(rdflib.OWL.inverseOf)
        if isinstance(p, rdflib.URIRef) and isinstance(q, rdflib.URIRef)
    }


PAIRS = sorted(tuple(sorted(pair)) for pair in _ontology_pairs())
SHORT = {iri: "vskg:" + iri.removeprefix(VSKG) for pair in PAIRS for iri in pair}


def _symmetric() -> set[frozenset[str]]:
    """A symmetric property is its own inverse: the analytics read it both ways as well (one-member "pairs")."""
    graph = rdflib.Graph().parse(locate().ontology, format="turtle")
    return {frozenset({str(p)}) for p in graph.subjects(rdflib.RDF.type, rdflib.OWL.SymmetricProperty)}


def test_the_pairs_are_those_the_analytics_know() -> None:
    known = {frozenset({VSKG + a[5:], VSKG + b[5:]}) for a, b in INVERSES.items()}
    assert known == _ontology_pairs() | _symmetric()
    assert _symmetric() == {frozenset({VSKG + "runsInParallelWith"})}
    assert [tuple(SHORT[i] for i in pair) for pair in PAIRS] == [
        ("vskg:contributesTo", "vskg:hasContributor"),
        ("vskg:enabledBy", "vskg:enables"),
        ("vskg:hasStage", "vskg:stageOf"),
        ("vskg:inPortfolio", "vskg:includesStream"),
    ]


# --- no query reads an inverse-declared property one way only ---------------------------------------------------

_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def one_way_uses(text: str) -> list[str]:
    """The uses of an inverse-declared property not paired with its inverse as ``p|^q`` or ``^p|q`` (either order)."""
    inverse = {SHORT[a]: SHORT[b] for a, b in PAIRS} | {SHORT[b]: SHORT[a] for a, b in PAIRS}
    names = "|".join(re.escape(n.removeprefix("vskg:")) for n in inverse)
    found = []
    for match in re.finditer(rf"(\^?)(vskg:(?:{names}))(?![\w-])", text):
        hat, name = match.groups()
        partner = ("" if hat else "^") + inverse[name]
        before, after = text[: match.start()], text[match.end() :]
        paired_after = after.startswith("|" + partner)
        paired_before = before.endswith(partner + "|") and not (hat == "^" and before.endswith("^" + partner + "|"))
        if not (paired_after or paired_before):
            found.append(f"{hat}{name} at offset {match.start()}")
    return found


def test_the_check_sees_a_one_way_use() -> None:
    assert one_way_uses("?s vskg:enabledBy ?o") == ["vskg:enabledBy at offset 3"]
    assert one_way_uses("?s ^vskg:enabledBy|^vskg:enables ?o") == [
        "^vskg:enabledBy at offset 3",
        "^vskg:enables at offset 19",
    ]
    assert one_way_uses("?s (vskg:enabledBy|^vskg:enables)/vskg:x ?o . ?a ^vskg:stageOf|vskg:hasStage ?b") == []


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_no_query_uses_an_inverse_declared_property_one_way(name: str) -> None:
    text = _STRING.sub('""', body(catalogue()[name]))
    assert one_way_uses(text) == []


# --- the same rows whichever direction the data takes -----------------------------------------------------------


@cache
def bundled() -> pyoxigraph.Store:
    return memory_store()


@cache
def one_way(pair: tuple[str, str], keep: str) -> pyoxigraph.Store:
    """The bundled store with every statement of ``pair`` written with ``keep`` (subject and object swapped for
    the other), in the graph it came from; a fact stated both ways in a graph is then held once there."""
    first, second = pair
    other = second if keep == first else first
    store = pyoxigraph.Store()
    quads = []
    for quad in bundled().quads_for_pattern(None, None, None, None):
        if quad.predicate.value == other and not isinstance(quad.object, Literal):
            quad = Quad(quad.object, NamedNode(keep), quad.subject, quad.graph_name)
        quads.append(quad)
    store.extend(quads)
    assert not list(store.quads_for_pattern(None, NamedNode(other), None, None))
    return store


def _mentions(name: str, pair: tuple[str, str]) -> bool:
    text = body(catalogue()[name])
    return any(re.search(rf"{re.escape(SHORT[iri])}(?![\w-])", text) for iri in pair)


def _rows(store: pyoxigraph.Store, name: str) -> list[tuple]:
    query = catalogue()[name]
    result = collect(run(store, query, example_params(query)))
    return [tuple(row.get(column) for column in result.variables) for row in result.values()]


CASES = [(pair, name) for pair in PAIRS for name in sorted(catalogue()) if _mentions(name, pair)]


def test_every_pair_is_read_by_some_query() -> None:
    assert {pair for pair, _ in CASES} == set(PAIRS)


@pytest.mark.parametrize(("pair", "name"), CASES, ids=[f"{SHORT[p[0]]}-{n}" for p, n in CASES])
def test_a_query_gives_the_same_rows_in_either_direction(pair: tuple[str, str], name: str) -> None:
    expected = _rows(bundled(), name)
    for keep in pair:
        assert _rows(one_way(pair, keep), name) == expected, f"{name} with only {SHORT[keep]}"


def _analytics(store: pyoxigraph.Store) -> dict:
    return {
        "portfolio": to_json(analyse_portfolio(store)),
        "capability": to_json(capability_impact(store, "https://w3id.org/vskg/data/banking/customer-onboarding")),
        "system": to_json(system_impact(store, "https://w3id.org/vskg/data/banking/cloud-platform")),
    }


@pytest.mark.parametrize("pair", PAIRS, ids=[SHORT[p[0]] for p in PAIRS])
def test_the_analytics_give_the_same_figures_in_either_direction(pair: tuple[str, str]) -> None:
    expected = _analytics(bundled())
    assert expected["capability"]["streams"] and expected["system"]["streams"]
    for keep in pair:
        assert _analytics(one_way(pair, keep)) == expected, f"only {SHORT[keep]}"


# --- the live analysis follows writes made in either direction --------------------------------------------------


def _stage_and_capability(store: pyoxigraph.Store) -> tuple[str, str, str, str]:
    """A stage with its stream, one capability enabling it, and the graph stating that."""
    (row,) = pick(
        store,
        "SELECT ?g ?stage ?stream ?cap WHERE { GRAPH ?g { ?stage vskg:enabledBy ?cap ; vskg:stageOf ?stream } } "
        "ORDER BY ?stage ?cap LIMIT 1",
    )
    return tuple(str(term) for term in row)


@pytest.mark.parametrize("known", [True, False], ids=["known-writes", "pattern-updates"])
def test_the_live_portfolio_follows_writes_in_either_direction(known: bool) -> None:
    store = memory_store()
    g, stage, stream, cap = _stage_and_capability(store)
    new = f"<{EX}new-capability>"
    other = f"<{EX}other>"
    live_after(store, [
        # a capability stated only from its own side, then taken back
        lambda: update(store, f"INSERT DATA {{ GRAPH {g} {{ {new} a vskg:Capability ; vskg:enables {stage} }} }}",
                       known),
        lambda: update(store, f"DELETE DATA {{ GRAPH {g} {{ {new} vskg:enables {stage} }} }}", known),
        # a link stated both ways: removing one direction keeps it, removing both drops it
        lambda: update(store, f"INSERT DATA {{ GRAPH {g} {{ {cap} vskg:enables {stage} }} }}", known),
        lambda: update(store, f"DELETE DATA {{ GRAPH {g} {{ {stage} vskg:enabledBy {cap} }} }}", known),
        lambda: update(store, f"DELETE DATA {{ GRAPH {g} {{ {cap} vskg:enables {stage} }} }}", known),
        # the stage leaves its stream from one side only, in another graph, and comes back
        lambda: update(store, f"DELETE DATA {{ GRAPH {g} {{ {stage} vskg:stageOf {stream} }} }}", known),
        lambda: update(store, f"DELETE DATA {{ GRAPH {g} {{ {stream} vskg:hasStage {stage} }} }}", known),
        lambda: update(store, f"INSERT DATA {{ GRAPH {other} {{ {stage} vskg:stageOf {stream} }} }}", known),
        lambda: update(store, f"INSERT DATA {{ GRAPH {g} {{ {stream} vskg:hasStage {stage} }} }}", known),
        # a unit that works on the stage, stated from the stage's side
        lambda: update(store, f"INSERT DATA {{ {stage} vskg:hasContributor <{EX}unit> }}", known),
    ])  # fmt: skip


def _stage_counts(store: pyoxigraph.Store) -> list[tuple[str, object]]:
    local = LocalStore.in_memory()
    try:
        by_graph: dict[str | None, list[Quad]] = {}
        for quad in store.quads_for_pattern(None, None, None, None):
            name = None if isinstance(quad.graph_name, DefaultGraph) else quad.graph_name.value
            by_graph.setdefault(name, []).append(Quad(quad.subject, quad.predicate, quad.object))
        for name, quads in by_graph.items():
            local.add_to_graph(name, quads)
        rows = streams(local, Paging(limit=1000)).as_json()["rows"]
    finally:
        local.close()
    return sorted((row["iri"], row["stages"]) for row in rows)


def test_the_stream_list_counts_stages_in_either_direction() -> None:
    pair = (VSKG + "hasStage", VSKG + "stageOf")
    expected = _stage_counts(bundled())
    assert len(expected) == 12 and all(count for _, count in expected)
    for keep in pair:
        assert _stage_counts(one_way(pair, keep)) == expected, f"only {SHORT[keep]}"
