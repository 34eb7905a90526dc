"""The catalogue's bound text answers exactly as pyoxigraph's substitution did, and rewritten queries as before.

Every query runs two ways over the bundled graph: the old path (the file's text with ``substitutions``) and the
new one (the values written into the text by `CatalogueQuery.render`, no substitutions). The columns and every
row must be the same, for the example's parameters, the defaults and a sample value of each type. Queries whose
text was rewritten for speed are also compared with the text they had before, kept in
tests/fixtures/catalogue-before/: on the bundled graph, and on a synthetic enterprise of 20 streams
(bench/synthetic.py) with links in both directions and two stages no capability enables, so that every rewritten
query has rows to compare there.
"""

from __future__ import annotations

import itertools
import os
import shlex
from pathlib import Path

import pyoxigraph
import pytest

from vskg import catalogue as catalogue_module
from vskg.catalogue import CatalogueQuery, ParameterError, cached_query, catalogue, read_query
from vskg.graphs import memory_store

BEFORE = Path(__file__).parent / "fixtures" / "catalogue-before"
QUERIES = catalogue()
SAMPLES = {"iri": "https://example.org/nothing", "integer": "1", "boolean": "true"}


def example(query: CatalogueQuery) -> dict[str, str]:
    words = shlex.split(query.example)
    return dict(value.partition("=")[::2] for flag, value in itertools.pairwise(words) if flag == "--param")


def answer(result) -> tuple[list[str], list[tuple]]:
    names = [v.value for v in result.variables]
    return names, [tuple(row[n] for n in names) for row in result]


# Columns that join labels with GROUP_CONCAT. They now concatenate STR(label) everywhere, the SPARQL 1.1 meaning,
# so that every engine gives the same plain string: Oxigraph alone kept the language tag the labels share (a
# SPARQL 1.2-style extension) and Virtuoso 7 gives a simple literal. Against the text kept from before, these
# columns are compared by their lexical form (and must now be plain strings); every other column stays exact.
LEXICAL_COLUMNS = {
    "cross-boundary-handoffs": {"fromUnits", "toUnits"},
    "interventions": {"kind", "streams", "objectives", "dimensions"},
    "linked-elements": {"streams"},
    "mca-coverage": {"streams"},
    "objective-traceability": {"goalLabel", "capabilities", "systems", "units"},
    "safe-classification": {"solutionsBuilt", "solutionsUsed", "supportsStreams", "supportedBy"},
    "shared-platforms": {"streams", "systemKind"},
    "strategy-cascade": {"streams", "interventions"},
    "stream-stages": {"capabilities", "systems"},
    "system-impact": {"throughCapabilities"},
    "unit-involvement": {"unitKind"},
    "value-streams": {"kinds"},
}
XSD_STRING = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#string")


def lexical(name: str, result: tuple[list[str], list[tuple]], *, new: bool) -> tuple[list[str], list[tuple]]:
    """The answer with the concatenated columns of ``name`` as their lexical form (checked to be plain strings in
    the ``new`` answer)."""
    names, rows = result
    columns = [i for i, column in enumerate(names) if column in LEXICAL_COLUMNS.get(name, ())]
    assert len(columns) == len(LEXICAL_COLUMNS.get(name, ())), (name, names)
    if new:
        for row in rows:
            for i in columns:
                assert row[i] is None or (row[i].datatype == XSD_STRING and row[i].language is None), (name, row[i])
    return names, [tuple(v.value if i in columns and v is not None else v for i, v in enumerate(row)) for row in rows]


def substituted(store: pyoxigraph.Store, query: CatalogueQuery, params: dict[str, str]):
    return answer(store.query(query.text, use_default_graph_as_union=True, substitutions=query.bind(params)))


def rendered(store: pyoxigraph.Store, query: CatalogueQuery, params: dict[str, str]):
    return answer(store.query(query.render(params), use_default_graph_as_union=True))


def cases() -> list[tuple[str, dict[str, str]]]:
    found = []
    for name, query in sorted(QUERIES.items()):
        found.append((name, example(query)))
        if not any(p.required for p in query.parameters):
            found.append((name, {}))
        for param in query.parameters:
            if param.type in SAMPLES:
                found.append((name, {**example(query), param.name: SAMPLES[param.type]}))
    return found


@pytest.mark.parametrize(("name", "params"), cases(), ids=lambda value: str(value))
def test_bound_text_gives_the_rows_of_substitution(store: pyoxigraph.Store, name: str, params) -> None:
    query = QUERIES[name]
    # A rewritten query is held to the rows its old text gave by substitution (a MINUS in the new text has its own
    # scope, which pyoxigraph's substitution does not enter, while the written-in constant is seen there).
    kept = BEFORE / query.path.name
    old = substituted(store, read_query(kept) if kept.exists() else query, params)
    if kept.exists():
        assert lexical(name, rendered(store, query, params), new=True) == lexical(name, old, new=False)
    else:
        assert rendered(store, query, params) == old
    assert old[1] or name == "stages-without-capability" or params != example(query)


def test_the_bound_text_needs_no_substitution() -> None:
    text = QUERIES["capability-impact"].render(example(QUERIES["capability-impact"]))
    iri = "<https://w3id.org/vskg/data/banking/risk-and-compliance-management>"
    assert f"({iri} AS ?capability)" in text
    assert f"?enabledBy vskg:subCapabilityOf* {iri}" in " ".join(text.split())
    assert "?capability" not in text.split("WHERE", 1)[1].replace("?capabilityLabel", "")


REWRITTEN = sorted(path.stem for path in BEFORE.glob("*.rq"))
LIMITS = ["0", "1", "3", "5", "10", "30", "1000", "-2"]
SYNTHETIC_STREAMS = 20
# Links between synthetic elements and outside ones, so that linked-elements has every kind of element to follow.
LINKED_KINDS = ["ValueStreamStage", "ApplicationSystem", "Capability", "OrganisationUnit", "Team",
                "OperationalValueStream", "TechnologyPlatform"]  # fmt: skip
# For the synthetic enterprise, each IRI parameter is also set to a synthetic resource of the fitting kind.
SYNTHETIC_VALUES = {
    "organisation": "SELECT ?x WHERE { ?x org:hasUnit|^org:unitOf ?u } ORDER BY ?x LIMIT 1",
    "stream": "SELECT ?x WHERE { ?x vskg:hasHandoff ?h } ORDER BY DESC(?x) LIMIT 1",
    "element": "SELECT ?x WHERE { ?x skos:exactMatch ?y } ORDER BY ?x LIMIT 1",
}
PREFIXES = """PREFIX vskg: <https://w3id.org/vskg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> pyoxigraph.Store:
    """The bundled graph with a synthetic enterprise of a few dozen streams, and links into both."""
    from bench.synthetic import write

    path = tmp_path_factory.mktemp("synthetic") / "enterprise.ttl"
    write(path, SYNTHETIC_STREAMS)
    store = memory_store([path])
    links = pyoxigraph.NamedNode("https://w3id.org/vskg/graph/links")
    for number, kind in enumerate(LINKED_KINDS):
        query = PREFIXES + f"SELECT ?x WHERE {{ ?x a vskg:{kind} }} ORDER BY ?x LIMIT 2"
        for which, row in enumerate(store.query(query, use_default_graph_as_union=True)):
            outside = pyoxigraph.NamedNode(f"https://example.org/tool/{number}-{which}")
            subject, target = (row["x"], outside) if which else (outside, row["x"])  # both directions
            store.add(pyoxigraph.Quad(subject, SKOS_MATCH, target, links))
            store.add(pyoxigraph.Quad(outside, RDFS_LABEL, pyoxigraph.Literal(f"Tool element {number}"), links))
    # Two stages no capability enables: one only typed, one only listed by a stream (with its order and label).
    vskg = "https://w3id.org/vskg/ontology#"
    stream = next(iter(store.query(PREFIXES + SYNTHETIC_VALUES["stream"], use_default_graph_as_union=True)))["x"]
    typed, listed = (pyoxigraph.NamedNode(f"https://example.org/tool/unenabled-{n}") for n in (1, 2))
    for subject, predicate, value in [
        (typed, RDF_TYPE, pyoxigraph.NamedNode(vskg + "ValueStreamStage")),
        (stream, pyoxigraph.NamedNode(vskg + "hasStage"), listed),
        (listed, pyoxigraph.NamedNode(vskg + "stageOf"), stream),
        (listed, pyoxigraph.NamedNode(vskg + "stageOrder"), pyoxigraph.Literal("99", datatype=XSD_INTEGER)),
        (listed, RDFS_LABEL, pyoxigraph.Literal("Unenabled stage", language="en")),
    ]:
        store.add(pyoxigraph.Quad(subject, predicate, value, links))
    return store


RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
SKOS_MATCH = pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch")
RDFS_LABEL = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def before_cases() -> list[tuple[str, dict[str, str]]]:
    found = []
    for name in REWRITTEN:
        query = QUERIES[name]
        found += [(name, example(query)), *([(name, {})] if not any(p.required for p in query.parameters) else [])]
        found += [(name, {p.name: "https://example.org/nothing"}) for p in query.parameters if p.type == "iri"]
        found += [
            (name, {"functionsOnly": flag})
            for p in query.parameters
            if p.type == "boolean"
            for flag in ("true", "false")
        ]
        if name == "handoff-bottlenecks":
            found += [(name, {"limit": limit}) for limit in LIMITS]
    return found


def synthetic_cases() -> list[tuple[str, dict[str, str]]]:
    found = []
    for name in REWRITTEN:
        query = QUERIES[name]
        found += [(name, example(query)), *([(name, {})] if not any(p.required for p in query.parameters) else [])]
        found += [(name, {p.name: "?" + p.name}) for p in query.parameters if p.name in SYNTHETIC_VALUES]
        found += [
            (name, {"functionsOnly": flag})
            for p in query.parameters
            if p.type == "boolean"
            for flag in ("true", "false")
        ]
    return found


def test_the_rewritten_queries_are_kept_for_comparison() -> None:
    assert "handoff-bottlenecks" in REWRITTEN
    for name in REWRITTEN:
        assert read_query(BEFORE / f"{name}.rq").text != QUERIES[name].text, name


@pytest.mark.parametrize(("name", "params"), before_cases(), ids=lambda value: str(value))
def test_a_rewritten_query_answers_as_before(store: pyoxigraph.Store, name: str, params) -> None:
    old = read_query(BEFORE / f"{name}.rq")
    expected = substituted(store, old, params)
    assert lexical(name, rendered(store, QUERIES[name], params), new=True) == lexical(name, expected, new=False)
    assert (
        expected[1]
        or params.get("limit") in ("0", "-2")
        or "https://example.org/nothing" in params.values()
        or (name in EMPTY_ON_BUNDLED)
    )


# Queries that find nothing on the bundled graph alone (every bundled stage has an enabling capability).
EMPTY_ON_BUNDLED = {"stages-without-capability"}


@pytest.mark.parametrize(("name", "params"), synthetic_cases(), ids=lambda value: str(value))
def test_a_rewritten_query_answers_as_before_on_a_synthetic_enterprise(
    synthetic: pyoxigraph.Store, name: str, params
) -> None:
    params = {
        key: str(
            next(iter(synthetic.query(PREFIXES + SYNTHETIC_VALUES[key], use_default_graph_as_union=True)))["x"].value
        )
        if value == "?" + key
        else value
        for key, value in params.items()
    }
    old = read_query(BEFORE / f"{name}.rq")
    expected = substituted(synthetic, old, params)
    assert lexical(name, rendered(synthetic, QUERIES[name], params), new=True) == lexical(name, expected, new=False)
    assert expected[1]


def test_handoff_bottlenecks_sets_its_limit() -> None:
    query = QUERIES["handoff-bottlenecks"]
    assert query.render({"limit": "3"}).count("LIMIT 3") == 4
    assert query.render({"limit": "-4"}).count("LIMIT 0") == 4
    assert query.render({}).count("LIMIT 10") == 4


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("99999999999999999999", "is not a valid integer"),
        ("5 } UNION { ?s ?p ?o }", "is not a valid integer"),
        ("1e3", "is not a valid integer"),
    ],
)
def test_an_integer_out_of_reach_is_refused(value: str, reason: str) -> None:
    with pytest.raises(ParameterError, match=reason):
        QUERIES["handoff-bottlenecks"].render({"limit": value})


def test_a_limit_parameter_needs_its_limit_in_the_text(tmp_path: Path) -> None:
    path = tmp_path / "nolimit.rq"
    header = '#+ title = "t"\n#+ description = "d"\n#+ [[param]]\n#+ name = "n"\n#+ type = "integer"\n#+ limit = true\n'
    path.write_text(header + "#+ default = 4\nSELECT ?s ?n WHERE { ?s ?p ?o } LIMIT 5\n", encoding="utf-8")
    with pytest.raises(catalogue_module.CatalogueError, match="no 'LIMIT 4'"):
        read_query(path)
    path.write_text(header + "SELECT ?s ?n WHERE { ?s ?p ?o } LIMIT 5\n", encoding="utf-8")
    with pytest.raises(catalogue_module.CatalogueError, match="needs an integer default"):
        read_query(path)


def test_parsed_files_are_kept_until_they_change(tmp_path: Path) -> None:
    path = tmp_path / "kept.rq"
    path.write_text('#+ title = "first"\n#+ description = "d"\nSELECT ?s WHERE { ?s ?p ?o }\n', encoding="utf-8")
    first = cached_query(path)
    assert cached_query(path) is first
    path.write_text('#+ title = "second"\n#+ description = "d"\nSELECT ?s WHERE { ?s ?p ?o }\n', encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a new mtime even on a coarse clock
    assert cached_query(path).title == "second"


def test_the_catalogue_is_not_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue()
    monkeypatch.setattr(catalogue_module, "read_query", lambda path: pytest.fail(f"{path} parsed again"))
    assert catalogue().keys() == QUERIES.keys()
