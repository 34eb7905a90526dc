"""The query catalogue (``queries/*.rq``).

Three kinds of test: every query file has a complete header and runs; parameters are checked and bound by
type; and every query returns exactly the rows the bundled examples imply. The exact rows were worked out
from the example data and cross-checked against an independent recomputation in plain Python over rdflib, so
a query that joins, filters, groups or sorts wrongly fails here. When the example data changes on purpose,
regenerate the expectations and review every changed row against the data before accepting it.

IRIs in the expected rows are shortened with the prefixes in ``PREFIXES``; unbound cells are ``None``.
"""

from __future__ import annotations

import itertools
import re
import shlex
from pathlib import Path

import pyoxigraph
import pytest

from vskg.catalogue import CatalogueQuery, ParameterError, catalogue, read_query, run
from vskg.resources import locate
from vskg.results import collect

QUERY_FILES = locate().queries

# The queries the project promises; other queries may be added freely.
REQUIRED_QUERIES = {
    "value-streams",
    "stream-stages",
    "capability-impact",
    "system-impact",
    "unsupported-capabilities",
    "stages-without-capability",
    "mca-coverage",
    "objective-traceability",
    "cross-boundary-handoffs",
    "stream-flow-metrics",
    "shared-platforms",
    "itil-value-chain-mapping",
    "safe-classification",
    "portfolio-streams",
    "capability-maturity-gaps",
    "handoff-bottlenecks",
    "stream-stakeholders",
    "porter-activity-stages",
    "interventions",
}

# Queries whose example legitimately finds nothing in the bundled data (it reports gaps, and there are none).
EMPTY_ON_BUNDLED_DATA = {"stages-without-capability"}

PREFIXES = {
    "https://w3id.org/vskg/data/banking/": "bank:",
    "https://w3id.org/vskg/data/government/": "gov:",
    "https://w3id.org/vskg/data/retail/": "retail:",
    "https://w3id.org/vskg/data/oil-and-gas/": "energy:",
    "https://w3id.org/vskg/data/airline/": "air:",
    "https://w3id.org/vskg/data/telecom/": "telco:",
    "https://w3id.org/vskg/data/technology/": "tech:",
    "https://w3id.org/vskg/data/platform/": "platform:",
    "https://w3id.org/vskg/ontology#": "vskg:",
    "https://w3id.org/vskg/scheme/mca/": "mca:",
    "https://w3id.org/vskg/scheme/itil4/": "itil4:",
    "https://w3id.org/vskg/scheme/porter/": "porter:",
    "https://w3id.org/vskg/scheme/safe/": "safe:",
    "https://w3id.org/vskg/scheme/maturity/": "maturity:",
    "https://w3id.org/vskg/scheme/industry/": "industry:",
    "https://w3id.org/vskg/scheme/lean/": "lean:",
    "https://w3id.org/vskg/scheme/flow/": "flow:",
    "https://w3id.org/vskg/scheme/dora/": "dora:",
}

# A value of each parameter type, to check that every declared parameter can be bound.
SAMPLE_VALUES = {
    "iri": "https://example.org/nothing",
    "string": "anything",
    "integer": "1",
    "decimal": "1.5",
    "boolean": "true",
    "date": "2026-01-01",
}

Row = tuple[str | None, ...]


def short(value: str | None) -> str | None:
    if value is None:
        return None
    for namespace, prefix in PREFIXES.items():
        if value.startswith(namespace):
            return prefix + value[len(namespace) :]
    return value


def table(store: pyoxigraph.Store, name: str, params: dict[str, str]) -> tuple[list[str], list[Row]]:
    """Run a catalogue query; return its column names and its rows as tuples in column order."""
    result = collect(run(store, catalogue()[name], params))
    rows = [tuple(short(row.get(column)) for column in result.variables) for row in result.values()]
    return result.variables, rows


def project(columns: list[str], rows: list[Row], names: list[str]) -> list[Row]:
    positions = [columns.index(name) for name in names]
    return [tuple(row[i] for i in positions) for row in rows]


def example_params(query: CatalogueQuery) -> dict[str, str]:
    words = shlex.split(query.example)
    params = {}
    for flag, value in itertools.pairwise(words):
        if flag == "--param":
            name, _, text = value.partition("=")
            params[name] = text
    return params


def body(query: CatalogueQuery) -> str:
    """The query text without comment lines (the header included)."""
    return "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#"))


# --- the catalogue as a whole -------------------------------------------------------------------------------


def test_catalogue_has_the_promised_queries() -> None:
    names = {path.stem for path in QUERY_FILES}
    assert names >= REQUIRED_QUERIES, sorted(REQUIRED_QUERIES - names)
    assert len(names) >= 17


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_header_is_complete(path: Path) -> None:
    query = read_query(path)
    assert query.title and query.description and query.example
    assert query.example.startswith(f"vskg query {query.name}")
    assert set(example_params(query)) <= {p.name for p in query.parameters}
    text = body(query)
    for param in query.parameters:
        assert param.description, param.name
        # Each parameter is a variable of the query, and a projected one: pyoxigraph substitutes only the
        # variables that the top-level SELECT returns.
        assert re.search(rf"\?{param.name}\b", text), param.name
        select = re.search(r"^SELECT\b(.*?)\bWHERE\b", text, re.MULTILINE | re.DOTALL)
        assert select and re.search(rf"\?{param.name}\b", select.group(1)), param.name
        if param.default is not None:
            param.convert(param.default)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_is_a_sorted_select(path: Path) -> None:
    text = body(read_query(path))
    assert re.search(r"^SELECT\b", text, re.MULTILINE)
    assert re.search(r"^ORDER BY\b", text, re.MULTILINE), "rows must come in a fixed order"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_example_runs_and_finds_rows(store: pyoxigraph.Store, path: Path) -> None:
    query = read_query(path)
    rows = collect(run(store, query, example_params(query))).values()
    assert rows or query.name in EMPTY_ON_BUNDLED_DATA


# Queries whose every parameter is optional or has a default; the others must refuse to run without a value,
# which test_missing_required_parameter_is_refused checks.
RUNS_WITH_DEFAULTS = [p for p in QUERY_FILES if not any(param.required for param in read_query(p).parameters)]


@pytest.mark.parametrize("path", RUNS_WITH_DEFAULTS, ids=lambda p: p.stem)
def test_defaults_run(store: pyoxigraph.Store, path: Path) -> None:
    query = read_query(path)
    rows = collect(run(store, query)).values()
    assert rows or query.name in EMPTY_ON_BUNDLED_DATA


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_parameter_can_be_bound(store: pyoxigraph.Store, path: Path) -> None:
    query = read_query(path)
    params = {p.name: SAMPLE_VALUES[p.type] for p in query.parameters}
    collect(run(store, query, params))


# --- parameter handling -------------------------------------------------------------------------------------


def test_wrong_typed_integer_is_refused(store: pyoxigraph.Store) -> None:
    with pytest.raises(ParameterError, match="'limit'") as error:
        run(store, catalogue()["handoff-bottlenecks"], {"limit": "abc"})
    assert error.value.parameter == "limit"


def test_wrong_typed_iri_is_refused(store: pyoxigraph.Store) -> None:
    with pytest.raises(ParameterError, match="'stream'") as error:
        run(store, catalogue()["stream-stages"], {"stream": "mortgage lending"})
    assert error.value.parameter == "stream"


def test_iri_cannot_change_the_query(store: pyoxigraph.Store) -> None:
    sneaky = "https://w3id.org/vskg/data/banking/mortgage-lending> } UNION { ?stream ?p ?o"
    with pytest.raises(ParameterError, match="'stream'"):
        run(store, catalogue()["stream-stages"], {"stream": sneaky})


def test_unknown_parameter_is_refused(store: pyoxigraph.Store) -> None:
    with pytest.raises(ParameterError, match="'colour'") as error:
        run(store, catalogue()["value-streams"], {"colour": "blue"})
    assert error.value.parameter == "colour"


def test_missing_required_parameter_is_refused(store: pyoxigraph.Store) -> None:
    with pytest.raises(ParameterError, match="'system'") as error:
        run(store, catalogue()["system-impact"], {})
    assert error.value.parameter == "system"


def test_value_streams_lists_every_stream_once(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "value-streams", {})
    streams = [row[columns.index("stream")] for row in rows]
    assert len(streams) == len(set(streams)) == 12


# --- the gap-finding queries on a small model with known gaps -----------------------------------------------

GAPS = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix vskg: <https://w3id.org/vskg/ontology#> .
@prefix safe: <https://w3id.org/vskg/scheme/safe/> .
@prefix ex: <https://example.org/> .

vskg:OperationalValueStream rdfs:subClassOf vskg:ValueStream .
vskg:Team rdfs:subClassOf vskg:OrganisationUnit .
vskg:ApplicationSystem rdfs:subClassOf vskg:System .

ex:stream a vskg:OperationalValueStream ; rdfs:label "Stream" ; vskg:operatedBy ex:org ;
    vskg:hasStage ex:a, ex:b, ex:c, ex:d ; vskg:hasHandoff ex:a-b, ex:b-c, ex:c-d ;
    vskg:realisesObjective ex:objective ; vskg:classifiedAs safe:OperationalValueStream ;
    vskg:usesSolution ex:product .
ex:objective a vskg:StrategicObjective ; rdfs:label "Objective" .
ex:dev a vskg:DevelopmentValueStream ; rdfs:label "Dev" ; vskg:classifiedAs safe:DevelopmentValueStream ;
    vskg:buildsSolution ex:product .
ex:product a vskg:Solution ; rdfs:label "Product" .
ex:a a vskg:ValueStreamStage ; rdfs:label "A" ; vskg:stageOf ex:stream ; vskg:stageOrder 1 ;
    vskg:enabledBy ex:child .
ex:b a vskg:ValueStreamStage ; rdfs:label "B" ; vskg:stageOf ex:stream ; vskg:stageOrder 2 .
ex:c a vskg:ValueStreamStage ; rdfs:label "C" ; vskg:stageOf ex:stream ; vskg:stageOrder 3 ;
    vskg:enabledBy ex:supported-child .
ex:d a vskg:ValueStreamStage ; rdfs:label "D" ; vskg:stageOf ex:stream ; vskg:stageOrder 4 ;
    vskg:enabledBy ex:supported-child .
ex:a-b a vskg:Handoff ; rdfs:label "A to B" ; vskg:fromStage ex:a ; vskg:toStage ex:b ;
    vskg:waitTimeHours 5.0 ; vskg:queueLength 3 .
ex:b-c a vskg:Handoff ; rdfs:label "B to C" ; vskg:fromStage ex:b ; vskg:toStage ex:c ;
    vskg:waitTimeHours 1.0 ; vskg:queueLength 0 .
ex:c-d a vskg:Handoff ; rdfs:label "C to D" ; vskg:fromStage ex:c ; vskg:toStage ex:d ;
    vskg:waitTimeHours 9.0 ; vskg:queueLength 1 .
ex:team-1 a vskg:Team ; rdfs:label "Team 1" ; vskg:contributesTo ex:a .
ex:team-2 a vskg:Team ; rdfs:label "Team 2" ; vskg:contributesTo ex:b, ex:c .
ex:dept-x a vskg:OrganisationUnit ; rdfs:label "Dept X" ; vskg:contributesTo ex:a .
ex:dept-y a vskg:OrganisationUnit ; rdfs:label "Dept Y" ; vskg:contributesTo ex:b .
ex:dept-z a vskg:OrganisationUnit ; rdfs:label "Dept Z" ; vskg:contributesTo ex:c .
ex:parent a vskg:Capability ; rdfs:label "Parent" ; vskg:capabilityLevel 1 .
ex:child a vskg:Capability ; rdfs:label "Child" ; vskg:capabilityLevel 2 ; vskg:subCapabilityOf ex:parent .
ex:supported-parent a vskg:Capability ; rdfs:label "Supported parent" ; vskg:capabilityLevel 1 .
ex:supported-child a vskg:Capability ; rdfs:label "Supported child" ; vskg:capabilityLevel 2 ;
    vskg:subCapabilityOf ex:supported-parent .
ex:system a vskg:ApplicationSystem ; rdfs:label "System" ; vskg:supportsCapability ex:supported-child .
"""


@pytest.fixture(scope="module")
def gaps() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(input=GAPS, format=pyoxigraph.RdfFormat.TURTLE)
    return store


def gap_rows(store: pyoxigraph.Store, name: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:
    return collect(run(store, catalogue()[name], params)).values()


def test_stages_without_capability_finds_the_gap(gaps: pyoxigraph.Store) -> None:
    assert gap_rows(gaps, "stages-without-capability") == [
        {
            "stream": "https://example.org/stream",
            "streamLabel": "Stream",
            "order": "2",
            "stage": "https://example.org/b",
            "stageLabel": "B",
        }
    ]


def test_unsupported_capabilities_follow_the_hierarchy(gaps: pyoxigraph.Store) -> None:
    # The supported parent counts as supported through its child; the unsupported child leaves its parent
    # unsupported too.
    rows = gap_rows(gaps, "unsupported-capabilities")
    assert [(row["capabilityLabel"], row["level"], row.get("parentLabel"), row["stages"]) for row in rows] == [
        ("Child", "2", "Parent", "Stream: A"),
        ("Parent", "1", None, "Stream: A"),
    ]


def test_cross_boundary_handoffs_need_a_shared_unit(gaps: pyoxigraph.Store) -> None:
    # Team 2 works on both B and C, so only A to B crosses a boundary; D has no contributor, so C to D shows
    # no boundary at all.
    rows = gap_rows(gaps, "cross-boundary-handoffs")
    assert [(r["handoffLabel"], r["fromUnits"], r["toUnits"], r["waitTimeHours"], r["queueLength"]) for r in rows] == [
        ("A to B", "Dept X; Team 1", "Dept Y; Team 2", "5", "3"),
    ]


def test_cross_boundary_handoffs_between_functions(gaps: pyoxigraph.Store) -> None:
    # Counting functional units only, Team 2 no longer bridges B and C.
    rows = gap_rows(gaps, "cross-boundary-handoffs", {"functionsOnly": "true"})
    assert [(r["handoffLabel"], r["fromUnits"], r["toUnits"], r["functionsOnly"]) for r in rows] == [
        ("A to B", "Dept X", "Dept Y", "true"),
        ("B to C", "Dept Y", "Dept Z", "true"),
    ]


def test_objective_traceability_reaches_systems_through_capabilities(gaps: pyoxigraph.Store) -> None:
    # The system supports no stage directly, only the capability that enables C and D.
    rows = gap_rows(gaps, "objective-traceability")
    assert [(r["stageLabel"], r.get("capabilities"), r.get("systems"), r.get("units")) for r in rows] == [
        ("A", "Child", None, "Dept X; Team 1"),
        ("B", None, None, "Dept Y; Team 2"),
        ("C", "Supported child", "System", "Dept Z; Team 2"),
        ("D", "Supported child", "System", None),
    ]


def test_safe_support_is_derived_from_solutions(gaps: pyoxigraph.Store) -> None:
    # No vskg:supportsStream is stated: Dev builds the product that Stream uses.
    rows = gap_rows(gaps, "safe-classification")
    assert [
        (
            r["streamLabel"],
            r.get("solutionsBuilt"),
            r.get("solutionsUsed"),
            r.get("supportsStreams"),
            r.get("supportedBy"),
        )
        for r in rows
    ] == [
        ("Dev", "Product", None, "Stream", None),
        ("Stream", None, "Product", None, "Dev"),
    ]


# --- exact rows on the bundled examples ---------------------------------------------------------------------


def test_value_streams(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "value-streams", {})
    assert columns == ["stream", "streamLabel", "organisation", "organisationLabel", "kinds", "industries", "industry"]
    assert rows == [
        (
            "air:passenger-journey",
            "Passenger journey",
            "air:airline",
            "Full-service airline",
            "Operational value stream, Strategic value stream",
            ("5110 Passenger air transport; 5223 Service activities incidental to air transportation"),
            None,
        ),
        (
            "tech:product-lifecycle",
            "Product lifecycle",
            "tech:software-company",
            "Global software platform company",
            "Development value stream, Strategic value stream",
            "5820 Software publishing; 6201 Computer programming activities",
            None,
        ),
        (
            "platform:developer-ecosystem-growth",
            "Developer ecosystem growth",
            "platform:platform-company",
            "Global technology platform company",
            "Operational value stream, Strategic value stream",
            ("6201 Computer programming activities; 6311 Data processing, hosting and related activities"),
            None,
        ),
        (
            "platform:enterprise-integration",
            "Enterprise integration",
            "platform:platform-company",
            "Global technology platform company",
            "Operational value stream, Strategic value stream",
            ("6201 Computer programming activities; 6311 Data processing, hosting and related activities"),
            None,
        ),
        (
            "platform:platform-reliability",
            "Platform reliability",
            "platform:platform-company",
            "Global technology platform company",
            "Operational value stream, Service value stream, Strategic value stream",
            ("6201 Computer programming activities; 6311 Data processing, hosting and related activities"),
            None,
        ),
        (
            "platform:product-innovation",
            "Product innovation",
            "platform:platform-company",
            "Global technology platform company",
            "Development value stream, Strategic value stream",
            ("6201 Computer programming activities; 6311 Data processing, hosting and related activities"),
            None,
        ),
        (
            "energy:exploration-to-export",
            "Exploration to export",
            "energy:energy-company",
            "Integrated oil and gas company",
            "Operational value stream, Strategic value stream",
            (
                "0610 Extraction of crude petroleum; 0620 Extraction of natural gas; 4930 "
                "Transport via pipeline; 5012 Sea and coastal freight water transport"
            ),
            None,
        ),
        (
            "retail:product-discovery-to-delivery",
            "Product discovery to delivery",
            "retail:omnichannel-retailer",
            "Large omnichannel retailer",
            "Operational value stream, Strategic value stream",
            (
                "4711 Retail sale in non-specialized stores with food, beverages or tobacco "
                "predominating; 4791 Retail sale via mail order houses or via Internet"
            ),
            None,
        ),
        (
            "retail:product-returns-and-exchanges",
            "Product returns and exchanges",
            "retail:omnichannel-retailer",
            "Large omnichannel retailer",
            "Operational value stream, Strategic value stream",
            (
                "4711 Retail sale in non-specialized stores with food, beverages or tobacco "
                "predominating; 4791 Retail sale via mail order houses or via Internet"
            ),
            None,
        ),
        (
            "gov:citizen-service-delivery",
            "Citizen service delivery",
            "gov:national-government",
            "National government",
            "Operational value stream, Service value stream, Strategic value stream",
            ("8411 General public administration activities; 8430 Compulsory social security activities"),
            None,
        ),
        (
            "bank:mortgage-lending",
            "Mortgage lending",
            "bank:retail-bank",
            "Retail bank",
            "Operational value stream, Strategic value stream",
            "6419 Other monetary intermediation",
            None,
        ),
        (
            "telco:digital-connectivity",
            "Digital connectivity",
            "telco:provider",
            "Telecommunications provider",
            "Operational value stream, Service value stream, Strategic value stream",
            ("6110 Wired telecommunications activities; 6120 Wireless telecommunications activities"),
            None,
        ),
    ]


def test_value_streams_by_industry_sector(store: pyoxigraph.Store) -> None:
    # An ISIC section: the streams of organisations in any class below it (section K holds class 6419).
    columns, rows = table(store, "value-streams", {"industry": "https://w3id.org/vskg/scheme/industry/isic-K"})
    assert columns == ["stream", "streamLabel", "organisation", "organisationLabel", "kinds", "industries", "industry"]
    assert rows == [
        (
            "bank:mortgage-lending",
            "Mortgage lending",
            "bank:retail-bank",
            "Retail bank",
            "Operational value stream, Strategic value stream",
            "6419 Other monetary intermediation",
            "industry:isic-K",
        ),
    ]


def test_value_streams_in_section_h_include_the_pipeline_and_shipping_classes_of_oil_and_gas(
    store: pyoxigraph.Store,
) -> None:
    # ISIC puts pipelines (4930) and sea freight (5012) in section H, transportation and storage, with the airline.
    columns, rows = table(store, "value-streams", {"industry": "https://w3id.org/vskg/scheme/industry/isic-H"})
    assert project(columns, rows, ["stream", "organisation", "industries", "industry"]) == [
        (
            "air:passenger-journey",
            "air:airline",
            "5110 Passenger air transport; 5223 Service activities incidental to air transportation",
            "industry:isic-H",
        ),
        (
            "energy:exploration-to-export",
            "energy:energy-company",
            (
                "0610 Extraction of crude petroleum; 0620 Extraction of natural gas; 4930 Transport via pipeline; "
                "5012 Sea and coastal freight water transport"
            ),
            "industry:isic-H",
        ),
    ]


def test_value_streams_by_industry_class(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "value-streams", {"industry": "https://w3id.org/vskg/scheme/industry/isic-6201"})
    assert columns == ["stream", "streamLabel", "organisation", "organisationLabel", "kinds", "industries", "industry"]
    assert rows == [
        (
            "tech:product-lifecycle",
            "Product lifecycle",
            "tech:software-company",
            "Global software platform company",
            "Development value stream, Strategic value stream",
            "5820 Software publishing; 6201 Computer programming activities",
            "industry:isic-6201",
        ),
        (
            "platform:developer-ecosystem-growth",
            "Developer ecosystem growth",
            "platform:platform-company",
            "Global technology platform company",
            "Operational value stream, Strategic value stream",
            ("6201 Computer programming activities; 6311 Data processing, hosting and related activities"),
            "industry:isic-6201",
        ),
        (
            "platform:enterprise-integration",
            "Enterprise integration",
            "platform:platform-company",
            "Global technology platform company",
            "Operational value stream, Strategic value stream",
            ("6201 Computer programming activities; 6311 Data processing, hosting and related activities"),
            "industry:isic-6201",
        ),
        (
            "platform:platform-reliability",
            "Platform reliability",
            "platform:platform-company",
            "Global technology platform company",
            "Operational value stream, Service value stream, Strategic value stream",
            ("6201 Computer programming activities; 6311 Data processing, hosting and related activities"),
            "industry:isic-6201",
        ),
        (
            "platform:product-innovation",
            "Product innovation",
            "platform:platform-company",
            "Global technology platform company",
            "Development value stream, Strategic value stream",
            ("6201 Computer programming activities; 6311 Data processing, hosting and related activities"),
            "industry:isic-6201",
        ),
    ]


def test_value_streams_by_organisation(store: pyoxigraph.Store) -> None:
    columns, rows = table(
        store, "value-streams", {"organisation": "https://w3id.org/vskg/data/retail/omnichannel-retailer"}
    )
    assert columns == ["stream", "streamLabel", "organisation", "organisationLabel", "kinds", "industries", "industry"]
    assert rows == [
        (
            "retail:product-discovery-to-delivery",
            "Product discovery to delivery",
            "retail:omnichannel-retailer",
            "Large omnichannel retailer",
            "Operational value stream, Strategic value stream",
            (
                "4711 Retail sale in non-specialized stores with food, beverages or tobacco "
                "predominating; 4791 Retail sale via mail order houses or via Internet"
            ),
            None,
        ),
        (
            "retail:product-returns-and-exchanges",
            "Product returns and exchanges",
            "retail:omnichannel-retailer",
            "Large omnichannel retailer",
            "Operational value stream, Strategic value stream",
            (
                "4711 Retail sale in non-specialized stores with food, beverages or tobacco "
                "predominating; 4791 Retail sale via mail order houses or via Internet"
            ),
            None,
        ),
    ]


def test_value_streams_unknown_organisation(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "value-streams", {"organisation": "https://example.org/nobody"})
    assert columns == ["stream", "streamLabel", "organisation", "organisationLabel", "kinds", "industries", "industry"]
    assert rows == []


def test_stream_stages(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "stream-stages", {})
    assert columns == ["stream", "order", "stage", "stageLabel", "capabilities", "systems"]
    assert rows == [
        (
            "bank:mortgage-lending",
            "1",
            "bank:explore-mortgage-options",
            "Explore mortgage options",
            "Mortgage advice; Mortgage product marketing",
            "Digital banking channels; Marketing automation system",
        ),
        (
            "bank:mortgage-lending",
            "2",
            "bank:application-submission",
            "Application submission",
            "Customer onboarding; Identity and financial crime checks; Mortgage advice",
            ("Digital banking channels; Identity verification service; Mortgage origination system"),
        ),
        (
            "bank:mortgage-lending",
            "3",
            "bank:affordability-assessment",
            "Affordability assessment",
            "Income and expenditure analysis",
            "Affordability decision engine; Mortgage origination system",
        ),
        (
            "bank:mortgage-lending",
            "4",
            "bank:credit-checks",
            "Credit checks",
            "Credit risk assessment",
            "Credit bureau gateway; Credit risk scoring models; Mortgage origination system",
        ),
        (
            "bank:mortgage-lending",
            "5",
            "bank:property-valuation",
            "Property valuation",
            "Collateral valuation",
            "Automated valuation model; Mortgage origination system; Valuer panel portal",
        ),
        (
            "bank:mortgage-lending",
            "6",
            "bank:underwriting",
            "Underwriting",
            "Credit decisioning; Exception underwriting",
            ("Credit risk scoring models; Mortgage origination system; Underwriting workbench"),
        ),
        (
            "bank:mortgage-lending",
            "7",
            "bank:legal-completion",
            "Legal completion",
            "Conveyancing coordination",
            "Conveyancer portal; Mortgage origination system",
        ),
        (
            "bank:mortgage-lending",
            "8",
            "bank:release-of-funds",
            "Release of funds",
            "Funds disbursement; Loan account set-up",
            "Conveyancer portal; Core banking system; Payments gateway",
        ),
    ]


def test_stream_stages_platform(store: pyoxigraph.Store) -> None:
    columns, rows = table(
        store, "stream-stages", {"stream": "https://w3id.org/vskg/data/platform/platform-reliability"}
    )
    assert columns == ["stream", "order", "stage", "stageLabel", "capabilities", "systems"]
    assert rows == [
        (
            "platform:platform-reliability",
            "1",
            "platform:detect",
            "Detect",
            "Monitoring and event management",
            "Observability and monitoring system; Shared data and analytics platform",
        ),
        (
            "platform:platform-reliability",
            "2",
            "platform:respond",
            "Respond",
            "Incident management",
            "Incident and problem management system",
        ),
        (
            "platform:platform-reliability",
            "3",
            "platform:restore",
            "Restore",
            "Incident management; Resilience engineering",
            ("API gateway and management; Incident and problem management system; Shared cloud runtime platform"),
        ),
        (
            "platform:platform-reliability",
            "4",
            "platform:learn-from-incident",
            "Learn from incident",
            "Problem management",
            "Incident and problem management system; Shared data and analytics platform",
        ),
        (
            "platform:platform-reliability",
            "5",
            "platform:harden",
            "Harden",
            "Problem management; Resilience engineering",
            ("Continuous delivery pipeline; Incident and problem management system; Shared cloud runtime platform"),
        ),
    ]


def test_capability_impact(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "capability-impact", {})
    assert columns == [
        "capability",
        "capabilityLabel",
        "stream",
        "streamLabel",
        "order",
        "stage",
        "stageLabel",
        "enabledBy",
        "enabledByLabel",
        "dependency",
    ]
    assert rows == [
        (
            "bank:risk-and-compliance-management",
            "Risk and compliance management",
            "bank:mortgage-lending",
            "Mortgage lending",
            "2",
            "bank:application-submission",
            "Application submission",
            "bank:financial-crime-checks",
            "Identity and financial crime checks",
            "through a sub-capability",
        ),
        (
            "bank:risk-and-compliance-management",
            "Risk and compliance management",
            "bank:mortgage-lending",
            "Mortgage lending",
            "3",
            "bank:affordability-assessment",
            "Affordability assessment",
            "bank:affordability-analysis",
            "Income and expenditure analysis",
            "through a sub-capability",
        ),
        (
            "bank:risk-and-compliance-management",
            "Risk and compliance management",
            "bank:mortgage-lending",
            "Mortgage lending",
            "4",
            "bank:credit-checks",
            "Credit checks",
            "bank:credit-risk-assessment",
            "Credit risk assessment",
            "through a sub-capability",
        ),
        (
            "bank:risk-and-compliance-management",
            "Risk and compliance management",
            "bank:mortgage-lending",
            "Mortgage lending",
            "6",
            "bank:underwriting",
            "Underwriting",
            "bank:credit-decisioning",
            "Credit decisioning",
            "through a sub-capability",
        ),
        (
            "bank:risk-and-compliance-management",
            "Risk and compliance management",
            "bank:mortgage-lending",
            "Mortgage lending",
            "6",
            "bank:underwriting",
            "Underwriting",
            "bank:exception-underwriting",
            "Exception underwriting",
            "through a sub-capability",
        ),
    ]


def test_capability_impact_direct(store: pyoxigraph.Store) -> None:
    columns, rows = table(
        store, "capability-impact", {"capability": "https://w3id.org/vskg/data/banking/credit-decisioning"}
    )
    assert columns == [
        "capability",
        "capabilityLabel",
        "stream",
        "streamLabel",
        "order",
        "stage",
        "stageLabel",
        "enabledBy",
        "enabledByLabel",
        "dependency",
    ]
    assert rows == [
        (
            "bank:credit-decisioning",
            "Credit decisioning",
            "bank:mortgage-lending",
            "Mortgage lending",
            "6",
            "bank:underwriting",
            "Underwriting",
            "bank:credit-decisioning",
            "Credit decisioning",
            "direct",
        ),
    ]


def test_system_impact(store: pyoxigraph.Store) -> None:
    columns, rows = table(
        store, "system-impact", {"system": "https://w3id.org/vskg/data/banking/mortgage-origination-system"}
    )
    assert columns == [
        "system",
        "systemLabel",
        "stream",
        "streamLabel",
        "order",
        "stage",
        "stageLabel",
        "via",
        "viaLabel",
        "supportsStage",
        "throughCapabilities",
    ]
    assert rows == [
        (
            "bank:mortgage-origination-system",
            "Mortgage origination system",
            "bank:mortgage-lending",
            "Mortgage lending",
            "2",
            "bank:application-submission",
            "Application submission",
            "bank:mortgage-origination-system",
            "Mortgage origination system",
            "true",
            "Customer onboarding",
        ),
        (
            "bank:mortgage-origination-system",
            "Mortgage origination system",
            "bank:mortgage-lending",
            "Mortgage lending",
            "3",
            "bank:affordability-assessment",
            "Affordability assessment",
            "bank:mortgage-origination-system",
            "Mortgage origination system",
            "true",
            None,
        ),
        (
            "bank:mortgage-origination-system",
            "Mortgage origination system",
            "bank:mortgage-lending",
            "Mortgage lending",
            "4",
            "bank:credit-checks",
            "Credit checks",
            "bank:mortgage-origination-system",
            "Mortgage origination system",
            "true",
            None,
        ),
        (
            "bank:mortgage-origination-system",
            "Mortgage origination system",
            "bank:mortgage-lending",
            "Mortgage lending",
            "5",
            "bank:property-valuation",
            "Property valuation",
            "bank:mortgage-origination-system",
            "Mortgage origination system",
            "true",
            None,
        ),
        (
            "bank:mortgage-origination-system",
            "Mortgage origination system",
            "bank:mortgage-lending",
            "Mortgage lending",
            "6",
            "bank:underwriting",
            "Underwriting",
            "bank:mortgage-origination-system",
            "Mortgage origination system",
            "true",
            "Credit decisioning",
        ),
        (
            "bank:mortgage-origination-system",
            "Mortgage origination system",
            "bank:mortgage-lending",
            "Mortgage lending",
            "7",
            "bank:legal-completion",
            "Legal completion",
            "bank:mortgage-origination-system",
            "Mortgage origination system",
            "true",
            "Conveyancing coordination",
        ),
    ]


def test_system_impact_platform(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "system-impact", {"system": "https://w3id.org/vskg/data/banking/core-platform"})
    assert columns == [
        "system",
        "systemLabel",
        "stream",
        "streamLabel",
        "order",
        "stage",
        "stageLabel",
        "via",
        "viaLabel",
        "supportsStage",
        "throughCapabilities",
    ]
    assert rows == [
        (
            "bank:core-platform",
            "Core banking hosting platform",
            "bank:mortgage-lending",
            "Mortgage lending",
            "8",
            "bank:release-of-funds",
            "Release of funds",
            "bank:core-banking-system",
            "Core banking system",
            "true",
            "Funds disbursement; Loan account set-up",
        ),
        (
            "bank:core-platform",
            "Core banking hosting platform",
            "bank:mortgage-lending",
            "Mortgage lending",
            "8",
            "bank:release-of-funds",
            "Release of funds",
            "bank:payments-gateway",
            "Payments gateway",
            "true",
            "Funds disbursement",
        ),
    ]


def test_unsupported_capabilities(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "unsupported-capabilities", {})
    assert columns == ["capability", "capabilityLabel", "level", "parentLabel", "organisationLabel", "stages"]
    assert rows == [
        (
            "air:passenger-assistance",
            "Passenger assistance",
            "2",
            "Customer engagement",
            "Full-service airline",
            ("Passenger journey: Airport operations; Passenger journey: Boarding; Passenger journey: Arrival services"),
        ),
        (
            "tech:product-trade-off-decisions",
            "Product trade-off decisions",
            "2",
            "Product development",
            "Global software platform company",
            "Product lifecycle: Product management",
        ),
        (
            "platform:enterprise-solution-advice",
            "Enterprise solution advice",
            "2",
            "Customer integration",
            "Global technology platform company",
            "Enterprise integration: Scope",
        ),
        (
            "platform:partner-relationship-management",
            "Partner relationship management",
            "2",
            "Product and ecosystem management",
            "Global technology platform company",
            "Developer ecosystem growth: Grow adoption",
        ),
        (
            "energy:cargo-sales-negotiation",
            "Cargo sales negotiation",
            "2",
            "Midstream and marketing",
            "Integrated oil and gas company",
            "Exploration to export: Shipping logistics",
        ),
        (
            "energy:joint-venture-alignment",
            "Joint venture partner alignment",
            "2",
            "Subsurface and wells",
            "Integrated oil and gas company",
            "Exploration to export: Geological analysis",
        ),
        (
            "retail:styling-advice",
            "In-store styling and product advice",
            "2",
            "Customer engagement and sales",
            "Large omnichannel retailer",
            "Product discovery to delivery: Product discovery",
        ),
        (
            "gov:assisted-digital-support",
            "Assisted digital support",
            "2",
            "Citizen engagement",
            "National government",
            "Citizen service delivery: Claim submission",
        ),
        (
            "gov:casework-decision-making",
            "Casework decision-making",
            "2",
            "Entitlement management",
            "National government",
            "Citizen service delivery: Case management",
        ),
        (
            "bank:exception-underwriting",
            "Exception underwriting",
            "2",
            "Risk and compliance management",
            "Retail bank",
            "Mortgage lending: Underwriting",
        ),
        (
            "bank:mortgage-advice",
            "Mortgage advice",
            "2",
            "Customer management",
            "Retail bank",
            ("Mortgage lending: Explore mortgage options; Mortgage lending: Application submission"),
        ),
        (
            "telco:solution-advice",
            "Connectivity solution advice",
            "2",
            "Customer and order management",
            "Telecommunications provider",
            "Digital connectivity: Order capture",
        ),
    ]


def test_stages_without_capability(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "stages-without-capability", {})
    assert columns == ["stream", "streamLabel", "order", "stage", "stageLabel"]
    assert rows == []


def test_mca_coverage(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "mca-coverage", {})
    assert columns == ["notation", "dimension", "dimensionLabel", "organisation", "streamCount", "streams"]
    assert rows == [
        (
            "MCA-1",
            "mca:Strategy",
            "Strategy",
            None,
            "6",
            (
                "Developer ecosystem growth; Exploration to export; Product discovery to "
                "delivery; Product innovation; Product lifecycle; Product returns and "
                "exchanges"
            ),
        ),
        (
            "MCA-2",
            "mca:Leadership",
            "Leadership",
            None,
            "3",
            "Citizen service delivery; Developer ecosystem growth; Digital connectivity",
        ),
        (
            "MCA-3",
            "mca:CultureAndPeople",
            "Culture and People",
            None,
            "5",
            (
                "Mortgage lending; Passenger journey; Product innovation; Product "
                "lifecycle; Product returns and exchanges"
            ),
        ),
        (
            "MCA-4",
            "mca:ExecutionAndWaysOfWorking",
            "Execution and Ways of Working",
            None,
            "9",
            (
                "Citizen service delivery; Digital connectivity; Enterprise integration; "
                "Exploration to export; Mortgage lending; Passenger journey; Platform "
                "reliability; Product discovery to delivery; Product lifecycle"
            ),
        ),
        (
            "MCA-5",
            "mca:StrategicArchitecture",
            "Strategic Architecture",
            None,
            "8",
            (
                "Citizen service delivery; Digital connectivity; Enterprise integration; "
                "Exploration to export; Mortgage lending; Passenger journey; Platform "
                "reliability; Product discovery to delivery"
            ),
        ),
    ]


def test_mca_coverage_organisation(store: pyoxigraph.Store) -> None:
    columns, rows = table(
        store, "mca-coverage", {"organisation": "https://w3id.org/vskg/data/platform/platform-company"}
    )
    assert columns == ["notation", "dimension", "dimensionLabel", "organisation", "streamCount", "streams"]
    assert rows == [
        (
            "MCA-1",
            "mca:Strategy",
            "Strategy",
            "platform:platform-company",
            "2",
            "Developer ecosystem growth; Product innovation",
        ),
        (
            "MCA-2",
            "mca:Leadership",
            "Leadership",
            "platform:platform-company",
            "1",
            "Developer ecosystem growth",
        ),
        (
            "MCA-3",
            "mca:CultureAndPeople",
            "Culture and People",
            "platform:platform-company",
            "1",
            "Product innovation",
        ),
        (
            "MCA-4",
            "mca:ExecutionAndWaysOfWorking",
            "Execution and Ways of Working",
            "platform:platform-company",
            "2",
            "Enterprise integration; Platform reliability",
        ),
        (
            "MCA-5",
            "mca:StrategicArchitecture",
            "Strategic Architecture",
            "platform:platform-company",
            "2",
            "Enterprise integration; Platform reliability",
        ),
    ]


def test_mca_coverage_unknown_organisation(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "mca-coverage", {"organisation": "https://example.org/nobody"})
    assert columns == ["notation", "dimension", "dimensionLabel", "organisation", "streamCount", "streams"]
    assert rows == [
        ("MCA-1", "mca:Strategy", "Strategy", "https://example.org/nobody", "0", ""),
        ("MCA-2", "mca:Leadership", "Leadership", "https://example.org/nobody", "0", ""),
        (
            "MCA-3",
            "mca:CultureAndPeople",
            "Culture and People",
            "https://example.org/nobody",
            "0",
            "",
        ),
        (
            "MCA-4",
            "mca:ExecutionAndWaysOfWorking",
            "Execution and Ways of Working",
            "https://example.org/nobody",
            "0",
            "",
        ),
        (
            "MCA-5",
            "mca:StrategicArchitecture",
            "Strategic Architecture",
            "https://example.org/nobody",
            "0",
            "",
        ),
    ]


def test_objective_traceability_one(store: pyoxigraph.Store) -> None:
    columns, rows = table(
        store, "objective-traceability", {"objective": "https://w3id.org/vskg/data/banking/objective-lead-time-18-days"}
    )
    assert columns == [
        "objective",
        "objectiveLabel",
        "goalLabel",
        "stream",
        "streamLabel",
        "order",
        "stage",
        "stageLabel",
        "capabilities",
        "systems",
        "units",
    ]
    assert rows == [
        (
            "bank:objective-lead-time-18-days",
            "Median enquiry-to-funds lead time of 18 days by 31 March 2028",
            "Faster, more certain home finance",
            "bank:mortgage-lending",
            "Mortgage lending",
            "1",
            "bank:explore-mortgage-options",
            "Explore mortgage options",
            "Mortgage advice; Mortgage product marketing",
            "Digital banking channels; Marketing automation system",
            "Digital channels team; Mortgage marketing",
        ),
        (
            "bank:objective-lead-time-18-days",
            "Median enquiry-to-funds lead time of 18 days by 31 March 2028",
            "Faster, more certain home finance",
            "bank:mortgage-lending",
            "Mortgage lending",
            "2",
            "bank:application-submission",
            "Application submission",
            "Customer onboarding; Identity and financial crime checks; Mortgage advice",
            ("Digital banking channels; Identity verification service; Mortgage origination system"),
            "Compliance; Digital channels team; Lending operations; Mortgage flow team",
        ),
        (
            "bank:objective-lead-time-18-days",
            "Median enquiry-to-funds lead time of 18 days by 31 March 2028",
            "Faster, more certain home finance",
            "bank:mortgage-lending",
            "Mortgage lending",
            "3",
            "bank:affordability-assessment",
            "Affordability assessment",
            "Income and expenditure analysis",
            "Affordability decision engine; Mortgage origination system",
            "Compliance; Credit risk; Mortgage flow team",
        ),
        (
            "bank:objective-lead-time-18-days",
            "Median enquiry-to-funds lead time of 18 days by 31 March 2028",
            "Faster, more certain home finance",
            "bank:mortgage-lending",
            "Mortgage lending",
            "4",
            "bank:credit-checks",
            "Credit checks",
            "Credit risk assessment",
            "Credit bureau gateway; Credit risk scoring models; Mortgage origination system",
            "Credit risk; Mortgage flow team",
        ),
        (
            "bank:objective-lead-time-18-days",
            "Median enquiry-to-funds lead time of 18 days by 31 March 2028",
            "Faster, more certain home finance",
            "bank:mortgage-lending",
            "Mortgage lending",
            "5",
            "bank:property-valuation",
            "Property valuation",
            "Collateral valuation",
            "Automated valuation model; Mortgage origination system; Valuer panel portal",
            "Lending operations; Mortgage flow team",
        ),
        (
            "bank:objective-lead-time-18-days",
            "Median enquiry-to-funds lead time of 18 days by 31 March 2028",
            "Faster, more certain home finance",
            "bank:mortgage-lending",
            "Mortgage lending",
            "6",
            "bank:underwriting",
            "Underwriting",
            "Credit decisioning; Exception underwriting",
            ("Credit risk scoring models; Mortgage origination system; Underwriting workbench"),
            "Credit risk; Lending operations; Mortgage flow team",
        ),
        (
            "bank:objective-lead-time-18-days",
            "Median enquiry-to-funds lead time of 18 days by 31 March 2028",
            "Faster, more certain home finance",
            "bank:mortgage-lending",
            "Mortgage lending",
            "7",
            "bank:legal-completion",
            "Legal completion",
            "Conveyancing coordination",
            "Conveyancer portal; Mortgage origination system",
            "Compliance; Lending operations",
        ),
        (
            "bank:objective-lead-time-18-days",
            "Median enquiry-to-funds lead time of 18 days by 31 March 2028",
            "Faster, more certain home finance",
            "bank:mortgage-lending",
            "Mortgage lending",
            "8",
            "bank:release-of-funds",
            "Release of funds",
            "Funds disbursement; Loan account set-up",
            "Conveyancer portal; Core banking system; Payments gateway",
            "Lending operations; Payments operations",
        ),
    ]


def test_objective_traceability_all(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "objective-traceability", {})
    assert columns == [
        "objective",
        "objectiveLabel",
        "goalLabel",
        "stream",
        "streamLabel",
        "order",
        "stage",
        "stageLabel",
        "capabilities",
        "systems",
        "units",
    ]
    assert len(rows) == 100
    assert project(columns, rows, ["objective", "stream", "order", "stageLabel"]) == [
        (
            "retail:objective-refund-within-3-days",
            "retail:product-returns-and-exchanges",
            "1",
            "Return initiation",
        ),
        (
            "retail:objective-refund-within-3-days",
            "retail:product-returns-and-exchanges",
            "2",
            "Return receipt and inspection",
        ),
        (
            "retail:objective-refund-within-3-days",
            "retail:product-returns-and-exchanges",
            "3",
            "Refund or exchange",
        ),
        (
            "retail:objective-refund-within-3-days",
            "retail:product-returns-and-exchanges",
            "4",
            "Restock or disposal",
        ),
        (
            "gov:objective-pay-within-10-days",
            "gov:citizen-service-delivery",
            "1",
            "Claim submission",
        ),
        (
            "gov:objective-pay-within-10-days",
            "gov:citizen-service-delivery",
            "2",
            "Identity verification",
        ),
        (
            "gov:objective-pay-within-10-days",
            "gov:citizen-service-delivery",
            "3",
            "Eligibility assessment",
        ),
        ("gov:objective-pay-within-10-days", "gov:citizen-service-delivery", "4", "Case management"),
        ("gov:objective-pay-within-10-days", "gov:citizen-service-delivery", "5", "Payment"),
        (
            "retail:objective-deliver-within-48-hours",
            "retail:product-discovery-to-delivery",
            "1",
            "Product discovery",
        ),
        (
            "retail:objective-deliver-within-48-hours",
            "retail:product-discovery-to-delivery",
            "2",
            "Purchase",
        ),
        (
            "retail:objective-deliver-within-48-hours",
            "retail:product-discovery-to-delivery",
            "3",
            "Fulfilment",
        ),
        (
            "retail:objective-deliver-within-48-hours",
            "retail:product-discovery-to-delivery",
            "4",
            "Delivery",
        ),
        ("air:objective-airport-lead-time", "air:passenger-journey", "1", "Flight search"),
        ("air:objective-airport-lead-time", "air:passenger-journey", "2", "Booking"),
        ("air:objective-airport-lead-time", "air:passenger-journey", "3", "Ticketing"),
        ("air:objective-airport-lead-time", "air:passenger-journey", "4", "Airport operations"),
        ("air:objective-airport-lead-time", "air:passenger-journey", "5", "Baggage handling"),
        ("air:objective-airport-lead-time", "air:passenger-journey", "6", "Boarding"),
        ("air:objective-airport-lead-time", "air:passenger-journey", "7", "Flight operations"),
        ("air:objective-airport-lead-time", "air:passenger-journey", "8", "Arrival services"),
        ("tech:objective-idea-to-launch", "tech:product-lifecycle", "1", "Infrastructure capacity planning"),
        ("tech:objective-idea-to-launch", "tech:product-lifecycle", "1", "Marketing planning"),
        ("tech:objective-idea-to-launch", "tech:product-lifecycle", "1", "Product management"),
        ("tech:objective-idea-to-launch", "tech:product-lifecycle", "2", "Development and deployment"),
        ("tech:objective-idea-to-launch", "tech:product-lifecycle", "3", "Product launch"),
        ("telco:objective-order-to-activate", "telco:digital-connectivity", "1", "Order capture"),
        (
            "telco:objective-order-to-activate",
            "telco:digital-connectivity",
            "2",
            "Network engineering",
        ),
        (
            "telco:objective-order-to-activate",
            "telco:digital-connectivity",
            "3",
            "Customer provisioning",
        ),
        ("telco:objective-order-to-activate", "telco:digital-connectivity", "4", "Billing"),
        (
            "telco:objective-order-to-activate",
            "telco:digital-connectivity",
            "5",
            "Service assurance",
        ),
        (
            "platform:objective-active-integrations",
            "platform:developer-ecosystem-growth",
            "1",
            "Discover platform",
        ),
        (
            "platform:objective-active-integrations",
            "platform:developer-ecosystem-growth",
            "2",
            "Onboard developer",
        ),
        (
            "platform:objective-active-integrations",
            "platform:developer-ecosystem-growth",
            "3",
            "Build first integration",
        ),
        (
            "platform:objective-active-integrations",
            "platform:developer-ecosystem-growth",
            "4",
            "Publish integration",
        ),
        (
            "platform:objective-active-integrations",
            "platform:developer-ecosystem-growth",
            "5",
            "Grow adoption",
        ),
        ("platform:objective-active-integrations", "platform:enterprise-integration", "1", "Scope"),
        ("platform:objective-active-integrations", "platform:enterprise-integration", "2", "Design"),
        (
            "platform:objective-active-integrations",
            "platform:enterprise-integration",
            "3",
            "Integrate",
        ),
        (
            "platform:objective-active-integrations",
            "platform:enterprise-integration",
            "4",
            "Certify",
        ),
        (
            "platform:objective-active-integrations",
            "platform:enterprise-integration",
            "5",
            "Operate",
        ),
        ("platform:objective-active-integrations", "platform:product-innovation", "1", "Discover"),
        ("platform:objective-active-integrations", "platform:product-innovation", "2", "Validate"),
        ("platform:objective-active-integrations", "platform:product-innovation", "3", "Build"),
        ("platform:objective-active-integrations", "platform:product-innovation", "4", "Release"),
        ("platform:objective-active-integrations", "platform:product-innovation", "5", "Learn"),
        (
            "bank:objective-right-first-time-50",
            "bank:mortgage-lending",
            "1",
            "Explore mortgage options",
        ),
        (
            "bank:objective-right-first-time-50",
            "bank:mortgage-lending",
            "2",
            "Application submission",
        ),
        (
            "bank:objective-right-first-time-50",
            "bank:mortgage-lending",
            "3",
            "Affordability assessment",
        ),
        ("bank:objective-right-first-time-50", "bank:mortgage-lending", "4", "Credit checks"),
        ("bank:objective-right-first-time-50", "bank:mortgage-lending", "5", "Property valuation"),
        ("bank:objective-right-first-time-50", "bank:mortgage-lending", "6", "Underwriting"),
        ("bank:objective-right-first-time-50", "bank:mortgage-lending", "7", "Legal completion"),
        ("bank:objective-right-first-time-50", "bank:mortgage-lending", "8", "Release of funds"),
        ("platform:objective-availability", "platform:platform-reliability", "1", "Detect"),
        ("platform:objective-availability", "platform:platform-reliability", "2", "Respond"),
        ("platform:objective-availability", "platform:platform-reliability", "3", "Restore"),
        (
            "platform:objective-availability",
            "platform:platform-reliability",
            "4",
            "Learn from incident",
        ),
        ("platform:objective-availability", "platform:platform-reliability", "5", "Harden"),
        ("gov:objective-verify-once", "gov:citizen-service-delivery", "1", "Claim submission"),
        ("gov:objective-verify-once", "gov:citizen-service-delivery", "2", "Identity verification"),
        ("gov:objective-verify-once", "gov:citizen-service-delivery", "3", "Eligibility assessment"),
        ("gov:objective-verify-once", "gov:citizen-service-delivery", "4", "Case management"),
        ("gov:objective-verify-once", "gov:citizen-service-delivery", "5", "Payment"),
        ("tech:objective-launch-predictability", "tech:product-lifecycle", "1", "Infrastructure capacity planning"),
        ("tech:objective-launch-predictability", "tech:product-lifecycle", "1", "Marketing planning"),
        ("tech:objective-launch-predictability", "tech:product-lifecycle", "1", "Product management"),
        ("tech:objective-launch-predictability", "tech:product-lifecycle", "2", "Development and deployment"),
        ("tech:objective-launch-predictability", "tech:product-lifecycle", "3", "Product launch"),
        ("air:objective-bags-on-flight", "air:passenger-journey", "1", "Flight search"),
        ("air:objective-bags-on-flight", "air:passenger-journey", "2", "Booking"),
        ("air:objective-bags-on-flight", "air:passenger-journey", "3", "Ticketing"),
        ("air:objective-bags-on-flight", "air:passenger-journey", "4", "Airport operations"),
        ("air:objective-bags-on-flight", "air:passenger-journey", "5", "Baggage handling"),
        ("air:objective-bags-on-flight", "air:passenger-journey", "6", "Boarding"),
        ("air:objective-bags-on-flight", "air:passenger-journey", "7", "Flight operations"),
        ("air:objective-bags-on-flight", "air:passenger-journey", "8", "Arrival services"),
        (
            "bank:objective-lead-time-18-days",
            "bank:mortgage-lending",
            "1",
            "Explore mortgage options",
        ),
        ("bank:objective-lead-time-18-days", "bank:mortgage-lending", "2", "Application submission"),
        (
            "bank:objective-lead-time-18-days",
            "bank:mortgage-lending",
            "3",
            "Affordability assessment",
        ),
        ("bank:objective-lead-time-18-days", "bank:mortgage-lending", "4", "Credit checks"),
        ("bank:objective-lead-time-18-days", "bank:mortgage-lending", "5", "Property valuation"),
        ("bank:objective-lead-time-18-days", "bank:mortgage-lending", "6", "Underwriting"),
        ("bank:objective-lead-time-18-days", "bank:mortgage-lending", "7", "Legal completion"),
        ("bank:objective-lead-time-18-days", "bank:mortgage-lending", "8", "Release of funds"),
        (
            "energy:objective-production-efficiency-88",
            "energy:exploration-to-export",
            "1",
            "Geological analysis",
        ),
        (
            "energy:objective-production-efficiency-88",
            "energy:exploration-to-export",
            "2",
            "Drilling operations",
        ),
        (
            "energy:objective-production-efficiency-88",
            "energy:exploration-to-export",
            "3",
            "Reservoir management",
        ),
        (
            "energy:objective-production-efficiency-88",
            "energy:exploration-to-export",
            "4",
            "Pipeline infrastructure",
        ),
        (
            "energy:objective-production-efficiency-88",
            "energy:exploration-to-export",
            "5",
            "Shipping logistics",
        ),
        ("telco:objective-first-time-right", "telco:digital-connectivity", "1", "Order capture"),
        (
            "telco:objective-first-time-right",
            "telco:digital-connectivity",
            "2",
            "Network engineering",
        ),
        (
            "telco:objective-first-time-right",
            "telco:digital-connectivity",
            "3",
            "Customer provisioning",
        ),
        ("telco:objective-first-time-right", "telco:digital-connectivity", "4", "Billing"),
        ("telco:objective-first-time-right", "telco:digital-connectivity", "5", "Service assurance"),
        (
            "energy:objective-target-to-export-150-days",
            "energy:exploration-to-export",
            "1",
            "Geological analysis",
        ),
        (
            "energy:objective-target-to-export-150-days",
            "energy:exploration-to-export",
            "2",
            "Drilling operations",
        ),
        (
            "energy:objective-target-to-export-150-days",
            "energy:exploration-to-export",
            "3",
            "Reservoir management",
        ),
        (
            "energy:objective-target-to-export-150-days",
            "energy:exploration-to-export",
            "4",
            "Pipeline infrastructure",
        ),
        (
            "energy:objective-target-to-export-150-days",
            "energy:exploration-to-export",
            "5",
            "Shipping logistics",
        ),
    ]
    assert rows[0] == (
        "retail:objective-refund-within-3-days",
        ("90 per cent of returns refunded or exchanged within 3 days of receipt by 31 January 2028"),
        "Effortless returns that recover value",
        "retail:product-returns-and-exchanges",
        "Product returns and exchanges",
        "1",
        "retail:return-initiation",
        "Return initiation",
        "Returns authorisation",
        "Online returns portal; Order management system",
        (
            "Customer service; Digital commerce agile release train; E-commerce; "
            "Returns flow team; Transport and logistics"
        ),
    )
    assert rows[-1] == (
        "energy:objective-target-to-export-150-days",
        "Well target to first export cargo in 150 days by 31 December 2028",
        "Higher production efficiency from reservoir to cargo",
        "energy:exploration-to-export",
        "Exploration to export",
        "5",
        "energy:shipping-logistics",
        "Shipping logistics",
        ("Cargo sales negotiation; Terminal and cargo scheduling; Trade and risk management"),
        (
            "Commodity trading and risk management system; Integrated operational "
            "planning system; Terminal and cargo scheduling system"
        ),
        ("Commercial and trading; Health, safety and environment; Integrated activity planning team; Marine logistics"),
    )


def test_cross_boundary_handoffs(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "cross-boundary-handoffs", {})
    assert columns == [
        "stream",
        "streamLabel",
        "handoff",
        "handoffLabel",
        "fromStageLabel",
        "toStageLabel",
        "fromUnits",
        "toUnits",
        "waitTimeHours",
        "queueLength",
        "functionsOnly",
    ]
    assert rows == [
        (
            "platform:platform-reliability",
            "Platform reliability",
            "platform:platform-reliability-handoff-4-5",
            "Learn from incident to Harden",
            "Learn from incident",
            "Harden",
            "Site reliability engineering",
            "Infrastructure operations; Product engineering release train",
            "336",
            "30",
            "false",
        ),
        (
            "tech:product-lifecycle",
            "Product lifecycle",
            "tech:handoff-4-5",
            "Development and deployment to Product launch",
            "Development and deployment",
            "Product launch",
            "Delivery platform team; Product engineering release train; Product management",
            "Customer success; Product marketing",
            "240",
            "12",
            "false",
        ),
        (
            "platform:enterprise-integration",
            "Enterprise integration",
            "platform:enterprise-integration-handoff-2-3",
            "Design to Integrate",
            "Design",
            "Integrate",
            "Solutions engineering",
            "Enterprise integration team",
            "160",
            "14",
            "false",
        ),
        (
            "platform:product-innovation",
            "Product innovation",
            "platform:product-innovation-handoff-2-3",
            "Validate to Build",
            "Validate",
            "Build",
            "Product management",
            "Product engineering release train",
            "120",
            "15",
            "false",
        ),
        (
            "platform:developer-ecosystem-growth",
            "Developer ecosystem growth",
            "platform:developer-ecosystem-growth-handoff-3-4",
            "Build first integration to Publish integration",
            "Build first integration",
            "Publish integration",
            "Developer relations",
            "Partner management",
            "96",
            "60",
            "false",
        ),
        (
            "telco:digital-connectivity",
            "Digital connectivity",
            "telco:handoff-2-3",
            "Network engineering to Customer provisioning",
            "Network engineering",
            "Customer provisioning",
            "Network engineering",
            "Provisioning operations",
            "72",
            "45",
            "false",
        ),
        (
            "platform:product-innovation",
            "Product innovation",
            "platform:product-innovation-handoff-4-5",
            "Release to Learn",
            "Release",
            "Learn",
            "Infrastructure operations; Product engineering release train",
            "Product management",
            "72",
            "10",
            "false",
        ),
        (
            "telco:digital-connectivity",
            "Digital connectivity",
            "telco:handoff-1-2",
            "Order capture to Network engineering",
            "Order capture",
            "Network engineering",
            "Sales and digital channels",
            "Network engineering",
            "48",
            "60",
            "false",
        ),
        (
            "tech:product-lifecycle",
            "Product lifecycle",
            "tech:handoff-marketing-to-development",
            "Marketing planning to Development and deployment",
            "Marketing planning",
            "Development and deployment",
            "Product marketing",
            "Delivery platform team; Product engineering release train; Product management",
            "48",
            "18",
            "false",
        ),
        (
            "telco:digital-connectivity",
            "Digital connectivity",
            "telco:handoff-3-4",
            "Customer provisioning to Billing",
            "Customer provisioning",
            "Billing",
            "Provisioning operations",
            "Billing operations",
            "24",
            "30",
            "false",
        ),
        (
            "retail:product-discovery-to-delivery",
            "Product discovery to delivery",
            "retail:product-discovery-to-delivery-handoff-3-4",
            "Fulfilment to Delivery",
            "Fulfilment",
            "Delivery",
            "Digital commerce agile release train; Distribution centres; Store operations",
            "Transport and logistics",
            "18",
            "800",
            "false",
        ),
        (
            "telco:digital-connectivity",
            "Digital connectivity",
            "telco:handoff-4-5",
            "Billing to Service assurance",
            "Billing",
            "Service assurance",
            "Billing operations",
            "Service assurance operations",
            "1",
            "5",
            "false",
        ),
        (
            "air:passenger-journey",
            "Passenger journey",
            "air:handoff-4-5",
            "Airport operations to Baggage handling",
            "Airport operations",
            "Baggage handling",
            "Airport services",
            "Ground handling",
            "1",
            "40",
            "false",
        ),
        (
            "air:passenger-journey",
            "Passenger journey",
            "air:handoff-5-6",
            "Baggage handling to Boarding",
            "Baggage handling",
            "Boarding",
            "Ground handling",
            "Airport services; Flight operations",
            "0.75",
            "12",
            "false",
        ),
        (
            "air:passenger-journey",
            "Passenger journey",
            "air:handoff-7-8",
            "Flight operations to Arrival services",
            "Flight operations",
            "Arrival services",
            "Flight operations",
            "Airport services; Customer care; Ground handling",
            "0.6",
            "25",
            "false",
        ),
        (
            "air:passenger-journey",
            "Passenger journey",
            "air:handoff-3-4",
            "Ticketing to Airport operations",
            "Ticketing",
            "Airport operations",
            "Commercial and digital; Revenue accounting",
            "Airport services",
            "0",
            "0",
            "false",
        ),
    ]


def test_cross_boundary_handoffs_functions(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "cross-boundary-handoffs", {"functionsOnly": "true"})
    assert columns == [
        "stream",
        "streamLabel",
        "handoff",
        "handoffLabel",
        "fromStageLabel",
        "toStageLabel",
        "fromUnits",
        "toUnits",
        "waitTimeHours",
        "queueLength",
        "functionsOnly",
    ]
    assert rows == [
        (
            "energy:exploration-to-export",
            "Exploration to export",
            "energy:handoff-1-2",
            "Geological analysis to Drilling operations",
            "Geological analysis",
            "Drilling operations",
            "Geoscience and subsurface",
            "Drilling and wells; Health, safety and environment",
            "2160",
            "6",
            "true",
        ),
        (
            "energy:exploration-to-export",
            "Exploration to export",
            "energy:handoff-2-3",
            "Drilling operations to Reservoir management",
            "Drilling operations",
            "Reservoir management",
            "Drilling and wells; Health, safety and environment",
            "Geoscience and subsurface; Reservoir and production engineering",
            "336",
            "3",
            "true",
        ),
        (
            "tech:product-lifecycle",
            "Product lifecycle",
            "tech:handoff-4-5",
            "Development and deployment to Product launch",
            "Development and deployment",
            "Product launch",
            "Product management",
            "Customer success; Product marketing",
            "240",
            "12",
            "true",
        ),
        (
            "gov:citizen-service-delivery",
            "Citizen service delivery",
            "gov:handoff-4-5",
            "Case management to Payment",
            "Case management",
            "Payment",
            "Benefits department",
            "Public payments agency",
            "120",
            "260",
            "true",
        ),
        (
            "gov:citizen-service-delivery",
            "Citizen service delivery",
            "gov:handoff-2-3",
            "Identity verification to Eligibility assessment",
            "Identity verification",
            "Eligibility assessment",
            "Identity agency",
            "Benefits department; Revenue and tax agency",
            "96",
            "420",
            "true",
        ),
        (
            "retail:product-returns-and-exchanges",
            "Product returns and exchanges",
            "retail:product-returns-and-exchanges-handoff-1-2",
            "Return initiation to Return receipt and inspection",
            "Return initiation",
            "Return receipt and inspection",
            "Customer service; E-commerce; Transport and logistics",
            "Distribution centres; Store operations",
            "96",
            "2500",
            "true",
        ),
        (
            "telco:digital-connectivity",
            "Digital connectivity",
            "telco:handoff-2-3",
            "Network engineering to Customer provisioning",
            "Network engineering",
            "Customer provisioning",
            "Network engineering",
            "Provisioning operations",
            "72",
            "45",
            "true",
        ),
        (
            "platform:product-innovation",
            "Product innovation",
            "platform:product-innovation-handoff-4-5",
            "Release to Learn",
            "Release",
            "Learn",
            "Infrastructure operations",
            "Product management",
            "72",
            "10",
            "true",
        ),
        (
            "bank:mortgage-lending",
            "Mortgage lending",
            "bank:handoff-4-5",
            "Credit checks to Property valuation",
            "Credit checks",
            "Property valuation",
            "Credit risk",
            "Lending operations",
            "60",
            "35",
            "true",
        ),
        (
            "telco:digital-connectivity",
            "Digital connectivity",
            "telco:handoff-1-2",
            "Order capture to Network engineering",
            "Order capture",
            "Network engineering",
            "Sales and digital channels",
            "Network engineering",
            "48",
            "60",
            "true",
        ),
        (
            "tech:product-lifecycle",
            "Product lifecycle",
            "tech:handoff-3-4",
            "Infrastructure capacity planning to Development and deployment",
            "Infrastructure capacity planning",
            "Development and deployment",
            "Infrastructure and capacity planning",
            "Product management",
            "48",
            "10",
            "true",
        ),
        (
            "tech:product-lifecycle",
            "Product lifecycle",
            "tech:handoff-marketing-to-development",
            "Marketing planning to Development and deployment",
            "Marketing planning",
            "Development and deployment",
            "Product marketing",
            "Product management",
            "48",
            "18",
            "true",
        ),
        (
            "telco:digital-connectivity",
            "Digital connectivity",
            "telco:handoff-3-4",
            "Customer provisioning to Billing",
            "Customer provisioning",
            "Billing",
            "Provisioning operations",
            "Billing operations",
            "24",
            "30",
            "true",
        ),
        (
            "energy:exploration-to-export",
            "Exploration to export",
            "energy:handoff-3-4",
            "Reservoir management to Pipeline infrastructure",
            "Reservoir management",
            "Pipeline infrastructure",
            "Geoscience and subsurface; Reservoir and production engineering",
            "Health, safety and environment; Pipeline operations",
            "24",
            "1",
            "true",
        ),
        (
            "retail:product-discovery-to-delivery",
            "Product discovery to delivery",
            "retail:product-discovery-to-delivery-handoff-3-4",
            "Fulfilment to Delivery",
            "Fulfilment",
            "Delivery",
            "Distribution centres; Store operations",
            "Transport and logistics",
            "18",
            "800",
            "true",
        ),
        (
            "bank:mortgage-lending",
            "Mortgage lending",
            "bank:handoff-1-2",
            "Explore mortgage options to Application submission",
            "Explore mortgage options",
            "Application submission",
            "Mortgage marketing",
            "Compliance; Lending operations",
            "12",
            "30",
            "true",
        ),
        (
            "gov:citizen-service-delivery",
            "Citizen service delivery",
            "gov:handoff-1-2",
            "Claim submission to Identity verification",
            "Claim submission",
            "Identity verification",
            "Central digital office",
            "Identity agency",
            "2",
            "150",
            "true",
        ),
        (
            "telco:digital-connectivity",
            "Digital connectivity",
            "telco:handoff-4-5",
            "Billing to Service assurance",
            "Billing",
            "Service assurance",
            "Billing operations",
            "Service assurance operations",
            "1",
            "5",
            "true",
        ),
        (
            "air:passenger-journey",
            "Passenger journey",
            "air:handoff-4-5",
            "Airport operations to Baggage handling",
            "Airport operations",
            "Baggage handling",
            "Airport services",
            "Ground handling",
            "1",
            "40",
            "true",
        ),
        (
            "air:passenger-journey",
            "Passenger journey",
            "air:handoff-5-6",
            "Baggage handling to Boarding",
            "Baggage handling",
            "Boarding",
            "Ground handling",
            "Airport services; Flight operations",
            "0.75",
            "12",
            "true",
        ),
        (
            "air:passenger-journey",
            "Passenger journey",
            "air:handoff-7-8",
            "Flight operations to Arrival services",
            "Flight operations",
            "Arrival services",
            "Flight operations",
            "Airport services; Customer care; Ground handling",
            "0.6",
            "25",
            "true",
        ),
        (
            "air:passenger-journey",
            "Passenger journey",
            "air:handoff-3-4",
            "Ticketing to Airport operations",
            "Ticketing",
            "Airport operations",
            "Commercial and digital; Revenue accounting",
            "Airport services",
            "0",
            "0",
            "true",
        ),
    ]


def test_stream_flow_metrics(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "stream-flow-metrics", {})
    assert columns == [
        "stream",
        "streamLabel",
        "stageCount",
        "handoffCount",
        "processTimeHours",
        "leadTimeHours",
        "handoffWaitHours",
        "activityRatio",
    ]
    # leadTimeHours is the sum of the stage lead times only: each holds the wait at the handoff in front of its stage,
    # and handoffWaitHours shows that part. Mortgage lending: 48 + 24 + 36 + 2 + 72 + 72 + 240 + 80 = 574 h, of which
    # 12 + 20 + 1 + 60 + 48 + 16 + 72 = 229 h wait at handoffs; 17 / 574 = 0.0296. Every stream is worked out by
    # hand in tests/api/test_flow_figures.py.
    assert rows == [
        (
            "retail:product-returns-and-exchanges",
            "Product returns and exchanges",
            "4",
            "3",
            "1.2",
            "266",
            "132",
            "0.0045",
        ),
        ("gov:citizen-service-delivery", "Citizen service delivery", "5", "4", "9", "488", "242", "0.0184"),
        (
            "retail:product-discovery-to-delivery",
            "Product discovery to delivery",
            "4",
            "3",
            "2.2",
            "75",
            "22.5",
            "0.0293",
        ),
        ("bank:mortgage-lending", "Mortgage lending", "8", "7", "17", "574", "229", "0.0296"),
        ("platform:developer-ecosystem-growth", "Developer ecosystem growth", "5", "4", "72", "1200", "200", "0.06"),
        ("platform:platform-reliability", "Platform reliability", "5", "4", "49.35", "650.25", "384.3", "0.0759"),
        ("telco:digital-connectivity", "Digital connectivity", "5", "4", "25", "320", "145", "0.0781"),
        ("air:passenger-journey", "Passenger journey", "8", "7", "5.7", "58.7", "3.05", "0.0971"),
        ("tech:product-lifecycle", "Product lifecycle", "5", "4", "360", "1464", "288", "0.2459"),
        ("platform:enterprise-integration", "Enterprise integration", "5", "4", "216", "864", "352", "0.25"),
        ("energy:exploration-to-export", "Exploration to export", "5", "4", "2484", "6840", "2688", "0.3632"),
        ("platform:product-innovation", "Product innovation", "5", "4", "360", "984", "240", "0.3659"),
    ]


def test_shared_platforms(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "shared-platforms", {})
    assert columns == ["system", "systemLabel", "systemKind", "streamCount", "streams"]
    assert rows == [
        (
            "platform:shared-cloud-runtime",
            "Shared cloud runtime platform",
            "Technology platform",
            "4",
            ("Developer ecosystem growth; Enterprise integration; Platform reliability; Product innovation"),
        ),
        (
            "platform:shared-data-platform",
            "Shared data and analytics platform",
            "Technology platform",
            "4",
            ("Developer ecosystem growth; Enterprise integration; Platform reliability; Product innovation"),
        ),
        (
            "platform:api-gateway",
            "API gateway and management",
            "Application system",
            "3",
            "Developer ecosystem growth; Enterprise integration; Platform reliability",
        ),
        (
            "platform:observability-system",
            "Observability and monitoring system",
            "Application system",
            "3",
            "Enterprise integration; Platform reliability; Product innovation",
        ),
        (
            "retail:commerce-cloud",
            "Commerce cloud platform",
            "Technology platform",
            "2",
            "Product discovery to delivery; Product returns and exchanges",
        ),
        (
            "platform:delivery-pipeline",
            "Continuous delivery pipeline",
            "Application system",
            "2",
            "Platform reliability; Product innovation",
        ),
        (
            "platform:certification-harness",
            "Integration test and certification harness",
            "Application system",
            "2",
            "Developer ecosystem growth; Enterprise integration",
        ),
        (
            "retail:inventory-management-system",
            "Inventory management system",
            "Application system",
            "2",
            "Product discovery to delivery; Product returns and exchanges",
        ),
        (
            "retail:order-management-system",
            "Order management system",
            "Application system",
            "2",
            "Product discovery to delivery; Product returns and exchanges",
        ),
        (
            "retail:payment-gateway",
            "Payment gateway",
            "Application system",
            "2",
            "Product discovery to delivery; Product returns and exchanges",
        ),
        (
            "platform:product-analytics-system",
            "Product analytics system",
            "Application system",
            "2",
            "Developer ecosystem growth; Product innovation",
        ),
        (
            "retail:store-and-warehouse-infrastructure",
            "Store and warehouse infrastructure",
            "Technology platform",
            "2",
            "Product discovery to delivery; Product returns and exchanges",
        ),
        (
            "retail:point-of-sale",
            "Store point-of-sale system",
            "Application system",
            "2",
            "Product discovery to delivery; Product returns and exchanges",
        ),
        (
            "retail:transport-management-system",
            "Transport management system",
            "Application system",
            "2",
            "Product discovery to delivery; Product returns and exchanges",
        ),
        (
            "retail:warehouse-management-system",
            "Warehouse management system",
            "Application system",
            "2",
            "Product discovery to delivery; Product returns and exchanges",
        ),
    ]


def test_itil_value_chain_mapping(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "itil-value-chain-mapping", {})
    assert columns == ["activity", "activityLabel", "stream", "streamLabel", "order", "stage", "stageLabel"]
    assert len(rows) == 45
    assert project(columns, rows, ["activity", "stream", "order", "stageLabel"]) == [
        ("itil4:Plan", "platform:product-innovation", "2", "Validate"),
        ("itil4:Plan", "tech:product-lifecycle", "1", "Marketing planning"),
        ("itil4:Plan", "tech:product-lifecycle", "1", "Product management"),
        ("itil4:Improve", "platform:developer-ecosystem-growth", "5", "Grow adoption"),
        ("itil4:Improve", "platform:platform-reliability", "4", "Learn from incident"),
        ("itil4:Improve", "platform:product-innovation", "5", "Learn"),
        ("itil4:Engage", "gov:citizen-service-delivery", "1", "Claim submission"),
        ("itil4:Engage", "platform:developer-ecosystem-growth", "1", "Discover platform"),
        ("itil4:Engage", "platform:developer-ecosystem-growth", "2", "Onboard developer"),
        ("itil4:Engage", "telco:digital-connectivity", "1", "Order capture"),
        ("itil4:Engage", "platform:enterprise-integration", "1", "Scope"),
        ("itil4:Engage", "bank:mortgage-lending", "1", "Explore mortgage options"),
        ("itil4:Engage", "bank:mortgage-lending", "2", "Application submission"),
        ("itil4:Engage", "air:passenger-journey", "1", "Flight search"),
        ("itil4:Engage", "air:passenger-journey", "2", "Booking"),
        ("itil4:Engage", "platform:product-innovation", "1", "Discover"),
        ("itil4:Engage", "tech:product-lifecycle", "3", "Product launch"),
        (
            "itil4:DesignAndTransition",
            "platform:developer-ecosystem-growth",
            "4",
            "Publish integration",
        ),
        ("itil4:DesignAndTransition", "telco:digital-connectivity", "2", "Network engineering"),
        ("itil4:DesignAndTransition", "platform:enterprise-integration", "2", "Design"),
        ("itil4:DesignAndTransition", "platform:enterprise-integration", "4", "Certify"),
        ("itil4:DesignAndTransition", "platform:product-innovation", "4", "Release"),
        ("itil4:DesignAndTransition", "tech:product-lifecycle", "1", "Infrastructure capacity planning"),
        ("itil4:ObtainBuild", "platform:developer-ecosystem-growth", "3", "Build first integration"),
        ("itil4:ObtainBuild", "telco:digital-connectivity", "3", "Customer provisioning"),
        ("itil4:ObtainBuild", "platform:enterprise-integration", "3", "Integrate"),
        ("itil4:ObtainBuild", "platform:platform-reliability", "5", "Harden"),
        ("itil4:ObtainBuild", "platform:product-innovation", "3", "Build"),
        ("itil4:ObtainBuild", "tech:product-lifecycle", "2", "Development and deployment"),
        ("itil4:DeliverAndSupport", "gov:citizen-service-delivery", "2", "Identity verification"),
        ("itil4:DeliverAndSupport", "gov:citizen-service-delivery", "3", "Eligibility assessment"),
        ("itil4:DeliverAndSupport", "gov:citizen-service-delivery", "4", "Case management"),
        ("itil4:DeliverAndSupport", "gov:citizen-service-delivery", "5", "Payment"),
        ("itil4:DeliverAndSupport", "telco:digital-connectivity", "4", "Billing"),
        ("itil4:DeliverAndSupport", "telco:digital-connectivity", "5", "Service assurance"),
        ("itil4:DeliverAndSupport", "platform:enterprise-integration", "5", "Operate"),
        ("itil4:DeliverAndSupport", "bank:mortgage-lending", "8", "Release of funds"),
        ("itil4:DeliverAndSupport", "air:passenger-journey", "4", "Airport operations"),
        ("itil4:DeliverAndSupport", "air:passenger-journey", "5", "Baggage handling"),
        ("itil4:DeliverAndSupport", "air:passenger-journey", "6", "Boarding"),
        ("itil4:DeliverAndSupport", "air:passenger-journey", "7", "Flight operations"),
        ("itil4:DeliverAndSupport", "air:passenger-journey", "8", "Arrival services"),
        ("itil4:DeliverAndSupport", "platform:platform-reliability", "1", "Detect"),
        ("itil4:DeliverAndSupport", "platform:platform-reliability", "2", "Respond"),
        ("itil4:DeliverAndSupport", "platform:platform-reliability", "3", "Restore"),
    ]
    assert rows[0] == (
        "itil4:Plan",
        "Plan",
        "platform:product-innovation",
        "Product innovation",
        "2",
        "platform:validate",
        "Validate",
    )
    assert rows[-1] == (
        "itil4:DeliverAndSupport",
        "Deliver and support",
        "platform:platform-reliability",
        "Platform reliability",
        "3",
        "platform:restore",
        "Restore",
    )


def test_safe_classification(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "safe-classification", {})
    assert columns == [
        "kind",
        "kindLabel",
        "stream",
        "streamLabel",
        "solutionsBuilt",
        "solutionsUsed",
        "supportsStreams",
        "supportedBy",
    ]
    assert rows == [
        (
            "safe:DevelopmentValueStream",
            "Development value stream",
            "platform:product-innovation",
            "Product innovation",
            "Core platform services and APIs",
            None,
            "Developer ecosystem growth; Enterprise integration",
            None,
        ),
        (
            "safe:DevelopmentValueStream",
            "Development value stream",
            "tech:product-lifecycle",
            "Product lifecycle",
            "Cloud software product",
            None,
            None,
            None,
        ),
        (
            "safe:OperationalValueStream",
            "Operational value stream",
            "gov:citizen-service-delivery",
            "Citizen service delivery",
            None,
            None,
            None,
            None,
        ),
        (
            "safe:OperationalValueStream",
            "Operational value stream",
            "platform:developer-ecosystem-growth",
            "Developer ecosystem growth",
            None,
            "Core platform services and APIs",
            None,
            "Product innovation",
        ),
        (
            "safe:OperationalValueStream",
            "Operational value stream",
            "telco:digital-connectivity",
            "Digital connectivity",
            None,
            None,
            None,
            None,
        ),
        (
            "safe:OperationalValueStream",
            "Operational value stream",
            "platform:enterprise-integration",
            "Enterprise integration",
            None,
            "Core platform services and APIs",
            None,
            "Product innovation",
        ),
        (
            "safe:OperationalValueStream",
            "Operational value stream",
            "energy:exploration-to-export",
            "Exploration to export",
            None,
            None,
            None,
            None,
        ),
        (
            "safe:OperationalValueStream",
            "Operational value stream",
            "bank:mortgage-lending",
            "Mortgage lending",
            None,
            None,
            None,
            None,
        ),
        (
            "safe:OperationalValueStream",
            "Operational value stream",
            "air:passenger-journey",
            "Passenger journey",
            None,
            None,
            None,
            None,
        ),
        (
            "safe:OperationalValueStream",
            "Operational value stream",
            "platform:platform-reliability",
            "Platform reliability",
            None,
            None,
            None,
            None,
        ),
        (
            "safe:OperationalValueStream",
            "Operational value stream",
            "retail:product-discovery-to-delivery",
            "Product discovery to delivery",
            None,
            None,
            None,
            None,
        ),
        (
            "safe:OperationalValueStream",
            "Operational value stream",
            "retail:product-returns-and-exchanges",
            "Product returns and exchanges",
            None,
            None,
            None,
            None,
        ),
    ]


def test_portfolio_streams(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "portfolio-streams", {})
    assert columns == [
        "portfolio",
        "portfolioLabel",
        "stream",
        "streamLabel",
        "owner",
        "ownerLabel",
        "budget",
        "amount",
        "currency",
        "periodStart",
        "periodEnd",
        "governanceBody",
        "governanceBodyLabel",
    ]
    assert rows == [
        (
            "platform:portfolio",
            "Strategic value stream portfolio",
            "platform:developer-ecosystem-growth",
            "Developer ecosystem growth",
            "platform:developer-ecosystem-growth-owner",
            "Developer ecosystem growth Value Stream Owner",
            "platform:developer-ecosystem-growth-budget",
            "23000000",
            "USD",
            "2026-01-01",
            "2026-12-31",
            "platform:lean-portfolio-council",
            "Lean portfolio council",
        ),
        (
            "platform:portfolio",
            "Strategic value stream portfolio",
            "platform:enterprise-integration",
            "Enterprise integration",
            "platform:enterprise-integration-owner",
            "Enterprise integration Value Stream Owner",
            "platform:enterprise-integration-budget",
            "31000000",
            "USD",
            "2026-01-01",
            "2026-12-31",
            "platform:lean-portfolio-council",
            "Lean portfolio council",
        ),
        (
            "platform:portfolio",
            "Strategic value stream portfolio",
            "platform:platform-reliability",
            "Platform reliability",
            "platform:platform-reliability-owner",
            "Platform reliability Value Stream Owner",
            "platform:platform-reliability-budget",
            "41000000",
            "USD",
            "2026-01-01",
            "2026-12-31",
            "platform:lean-portfolio-council",
            "Lean portfolio council",
        ),
        (
            "platform:portfolio",
            "Strategic value stream portfolio",
            "platform:product-innovation",
            "Product innovation",
            "platform:product-innovation-owner",
            "Product innovation Value Stream Owner",
            "platform:product-innovation-budget",
            "72000000",
            "USD",
            "2026-01-01",
            "2026-12-31",
            "platform:lean-portfolio-council",
            "Lean portfolio council",
        ),
    ]


def test_capability_maturity_gaps(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "capability-maturity-gaps", {})
    assert columns == [
        "organisation",
        "organisationLabel",
        "capability",
        "capabilityLabel",
        "currentLevel",
        "current",
        "targetLevel",
        "target",
        "gap",
        "assessedOn",
    ]
    assert len(rows) == 86
    assert project(columns, rows, ["organisation", "capability", "current", "target", "gap"]) == [
        ("air:airline", "air:baggage-management", "2", "4", "2"),
        ("air:airline", "air:departure-control", "2", "4", "2"),
        ("air:airline", "air:offer-management", "2", "4", "2"),
        ("tech:software-company", "tech:capacity-and-performance-management", "2", "4", "2"),
        ("tech:software-company", "tech:go-to-market-planning", "2", "4", "2"),
        ("tech:software-company", "tech:launch-management", "1", "3", "2"),
        ("platform:platform-company", "platform:developer-onboarding", "2", "4", "2"),
        ("platform:platform-company", "platform:experimentation", "2", "4", "2"),
        ("platform:platform-company", "platform:integration-architecture", "2", "4", "2"),
        ("platform:platform-company", "platform:opportunity-discovery", "2", "4", "2"),
        ("platform:platform-company", "platform:problem-management", "2", "4", "2"),
        ("platform:platform-company", "platform:resilience-engineering", "2", "4", "2"),
        ("energy:energy-company", "energy:integrated-activity-planning", "1", "3", "2"),
        ("energy:energy-company", "energy:production-optimisation", "2", "4", "2"),
        ("retail:omnichannel-retailer", "retail:inventory-management", "2", "4", "2"),
        ("retail:omnichannel-retailer", "retail:product-search-and-recommendation", "2", "4", "2"),
        ("retail:omnichannel-retailer", "retail:refund-and-exchange-processing", "2", "4", "2"),
        ("retail:omnichannel-retailer", "retail:returns-authorisation", "2", "4", "2"),
        ("retail:omnichannel-retailer", "retail:returns-inspection", "1", "3", "2"),
        ("retail:omnichannel-retailer", "retail:stock-disposition", "1", "3", "2"),
        ("gov:national-government", "gov:cross-agency-data-sharing", "1", "3", "2"),
        ("gov:national-government", "gov:eligibility-determination", "2", "4", "2"),
        ("bank:retail-bank", "bank:customer-onboarding", "2", "4", "2"),
        ("bank:retail-bank", "bank:affordability-analysis", "2", "4", "2"),
        ("telco:provider", "telco:order-management", "2", "4", "2"),
        ("telco:provider", "telco:service-provisioning-and-activation", "2", "4", "2"),
        ("air:airline", "air:crew-and-aircraft-scheduling", "3", "4", "1"),
        ("air:airline", "air:flight-planning-and-dispatch", "3", "4", "1"),
        ("air:airline", "air:gate-management", "3", "4", "1"),
        ("air:airline", "air:passenger-assistance", "2", "3", "1"),
        ("air:airline", "air:reservation-management", "3", "4", "1"),
        ("air:airline", "air:revenue-management", "3", "4", "1"),
        ("tech:software-company", "tech:continuous-delivery", "4", "5", "1"),
        ("tech:software-company", "tech:customer-enablement", "2", "3", "1"),
        ("tech:software-company", "tech:market-analysis", "2", "3", "1"),
        ("tech:software-company", "tech:product-trade-off-decisions", "2", "3", "1"),
        ("tech:software-company", "tech:roadmap-management", "3", "4", "1"),
        ("platform:platform-company", "platform:api-provision", "3", "4", "1"),
        ("platform:platform-company", "platform:developer-marketing", "2", "3", "1"),
        ("platform:platform-company", "platform:enterprise-solution-advice", "3", "4", "1"),
        ("platform:platform-company", "platform:incident-management", "3", "4", "1"),
        ("platform:platform-company", "platform:integration-certification", "2", "3", "1"),
        ("platform:platform-company", "platform:integration-delivery", "2", "3", "1"),
        ("platform:platform-company", "platform:monitoring-and-event-management", "3", "4", "1"),
        ("platform:platform-company", "platform:product-analytics", "3", "4", "1"),
        ("platform:platform-company", "platform:release-management", "3", "4", "1"),
        ("energy:energy-company", "energy:cargo-sales-negotiation", "3", "4", "1"),
        ("energy:energy-company", "energy:joint-venture-alignment", "2", "3", "1"),
        ("energy:energy-company", "energy:pipeline-operations-and-integrity", "3", "4", "1"),
        ("energy:energy-company", "energy:reservoir-simulation", "3", "4", "1"),
        ("energy:energy-company", "energy:seismic-interpretation", "3", "4", "1"),
        ("energy:energy-company", "energy:cargo-scheduling", "2", "3", "1"),
        ("energy:energy-company", "energy:well-construction", "3", "4", "1"),
        ("retail:omnichannel-retailer", "retail:last-mile-delivery", "2", "3", "1"),
        ("retail:omnichannel-retailer", "retail:merchandising-and-marketing", "3", "4", "1"),
        ("retail:omnichannel-retailer", "retail:order-orchestration", "2", "3", "1"),
        ("retail:omnichannel-retailer", "retail:picking-and-packing", "3", "4", "1"),
        ("gov:national-government", "gov:assisted-digital-support", "2", "3", "1"),
        ("gov:national-government", "gov:case-management-capability", "2", "3", "1"),
        ("gov:national-government", "gov:claim-intake", "3", "4", "1"),
        ("gov:national-government", "gov:fraud-and-error-control", "2", "3", "1"),
        ("gov:national-government", "gov:identity-assurance", "3", "4", "1"),
        ("gov:national-government", "gov:payment-scheduling", "3", "4", "1"),
        ("bank:retail-bank", "bank:collateral-valuation", "2", "3", "1"),
        ("bank:retail-bank", "bank:conveyancing-coordination", "2", "3", "1"),
        ("bank:retail-bank", "bank:credit-decisioning", "3", "4", "1"),
        ("bank:retail-bank", "bank:funds-disbursement", "3", "4", "1"),
        ("bank:retail-bank", "bank:financial-crime-checks", "3", "4", "1"),
        ("bank:retail-bank", "bank:mortgage-advice", "3", "4", "1"),
        ("telco:provider", "telco:fault-and-performance-management", "3", "4", "1"),
        ("telco:provider", "telco:network-planning-and-engineering", "3", "4", "1"),
        ("telco:provider", "telco:product-catalogue-management", "2", "3", "1"),
        ("telco:provider", "telco:rating-charging-and-invoicing", "3", "4", "1"),
        ("air:airline", "air:ticketing-and-payment", "3", "3", "0"),
        ("tech:software-company", "tech:software-development", "4", "4", "0"),
        ("platform:platform-company", "platform:partner-relationship-management", "3", "3", "0"),
        ("platform:platform-company", "platform:software-engineering", "4", "4", "0"),
        ("energy:energy-company", "energy:trade-and-risk-management", "3", "3", "0"),
        ("retail:omnichannel-retailer", "retail:styling-advice", "3", "3", "0"),
        ("retail:omnichannel-retailer", "retail:order-capture-and-payment", "4", "4", "0"),
        ("gov:national-government", "gov:casework-decision-making", "3", "3", "0"),
        ("bank:retail-bank", "bank:credit-risk-assessment", "4", "4", "0"),
        ("bank:retail-bank", "bank:exception-underwriting", "3", "3", "0"),
        ("bank:retail-bank", "bank:loan-account-setup", "4", "4", "0"),
        ("bank:retail-bank", "bank:mortgage-product-marketing", "3", "3", "0"),
        ("telco:provider", "telco:solution-advice", "3", "3", "0"),
    ]
    assert rows[0] == (
        "air:airline",
        "Full-service airline",
        "air:baggage-management",
        "Baggage management",
        "maturity:Level2",
        "2",
        "maturity:Level4",
        "4",
        "2",
        "2025-11-14",
    )
    assert rows[-1] == (
        "telco:provider",
        "Telecommunications provider",
        "telco:solution-advice",
        "Connectivity solution advice",
        "maturity:Level3",
        "3",
        "maturity:Level3",
        "3",
        "0",
        "2025-11-14",
    )


def test_capability_maturity_gaps_organisation(store: pyoxigraph.Store) -> None:
    columns, rows = table(
        store, "capability-maturity-gaps", {"organisation": "https://w3id.org/vskg/data/banking/retail-bank"}
    )
    assert columns == [
        "organisation",
        "organisationLabel",
        "capability",
        "capabilityLabel",
        "currentLevel",
        "current",
        "targetLevel",
        "target",
        "gap",
        "assessedOn",
    ]
    assert rows == [
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:customer-onboarding",
            "Customer onboarding",
            "maturity:Level2",
            "2",
            "maturity:Level4",
            "4",
            "2",
            "2026-01-20",
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:affordability-analysis",
            "Income and expenditure analysis",
            "maturity:Level2",
            "2",
            "maturity:Level4",
            "4",
            "2",
            "2026-01-20",
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:collateral-valuation",
            "Collateral valuation",
            "maturity:Level2",
            "2",
            "maturity:Level3",
            "3",
            "1",
            "2026-01-20",
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:conveyancing-coordination",
            "Conveyancing coordination",
            "maturity:Level2",
            "2",
            "maturity:Level3",
            "3",
            "1",
            "2026-01-20",
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:credit-decisioning",
            "Credit decisioning",
            "maturity:Level3",
            "3",
            "maturity:Level4",
            "4",
            "1",
            "2026-01-20",
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:funds-disbursement",
            "Funds disbursement",
            "maturity:Level3",
            "3",
            "maturity:Level4",
            "4",
            "1",
            "2026-01-20",
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:financial-crime-checks",
            "Identity and financial crime checks",
            "maturity:Level3",
            "3",
            "maturity:Level4",
            "4",
            "1",
            "2026-01-20",
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:mortgage-advice",
            "Mortgage advice",
            "maturity:Level3",
            "3",
            "maturity:Level4",
            "4",
            "1",
            "2026-01-20",
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:credit-risk-assessment",
            "Credit risk assessment",
            "maturity:Level4",
            "4",
            "maturity:Level4",
            "4",
            "0",
            "2026-01-20",
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:exception-underwriting",
            "Exception underwriting",
            "maturity:Level3",
            "3",
            "maturity:Level3",
            "3",
            "0",
            "2026-01-20",
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:loan-account-setup",
            "Loan account set-up",
            "maturity:Level4",
            "4",
            "maturity:Level4",
            "4",
            "0",
            "2026-01-20",
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:mortgage-product-marketing",
            "Mortgage product marketing",
            "maturity:Level3",
            "3",
            "maturity:Level3",
            "3",
            "0",
            "2026-01-20",
        ),
    ]


def test_handoff_bottlenecks(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "handoff-bottlenecks", {})
    assert columns == [
        "rank",
        "limit",
        "stream",
        "streamLabel",
        "handoff",
        "handoffLabel",
        "fromStageLabel",
        "toStageLabel",
        "waitTimeHours",
        "queueLength",
        "delay",
    ]
    assert rows == [
        (
            "1",
            "10",
            "energy:exploration-to-export",
            "Exploration to export",
            "energy:handoff-1-2",
            "Geological analysis to Drilling operations",
            "Geological analysis",
            "Drilling operations",
            "2160",
            "6",
            "true",
        ),
        (
            "2",
            "10",
            "energy:exploration-to-export",
            "Exploration to export",
            "energy:handoff-2-3",
            "Drilling operations to Reservoir management",
            "Drilling operations",
            "Reservoir management",
            "336",
            "3",
            "true",
        ),
        (
            "3",
            "10",
            "platform:platform-reliability",
            "Platform reliability",
            "platform:platform-reliability-handoff-4-5",
            "Learn from incident to Harden",
            "Learn from incident",
            "Harden",
            "336",
            "30",
            "true",
        ),
        (
            "4",
            "10",
            "tech:product-lifecycle",
            "Product lifecycle",
            "tech:handoff-4-5",
            "Development and deployment to Product launch",
            "Development and deployment",
            "Product launch",
            "240",
            "12",
            "true",
        ),
        (
            "5",
            "10",
            "energy:exploration-to-export",
            "Exploration to export",
            "energy:handoff-4-5",
            "Pipeline infrastructure to Shipping logistics",
            "Pipeline infrastructure",
            "Shipping logistics",
            "168",
            "2",
            "true",
        ),
        (
            "6",
            "10",
            "platform:enterprise-integration",
            "Enterprise integration",
            "platform:enterprise-integration-handoff-2-3",
            "Design to Integrate",
            "Design",
            "Integrate",
            "160",
            "14",
            "true",
        ),
        (
            "7",
            "10",
            "gov:citizen-service-delivery",
            "Citizen service delivery",
            "gov:handoff-4-5",
            "Case management to Payment",
            "Case management",
            "Payment",
            "120",
            "260",
            "true",
        ),
        (
            "8",
            "10",
            "platform:product-innovation",
            "Product innovation",
            "platform:product-innovation-handoff-2-3",
            "Validate to Build",
            "Validate",
            "Build",
            "120",
            "15",
            "true",
        ),
        (
            "9",
            "10",
            "gov:citizen-service-delivery",
            "Citizen service delivery",
            "gov:handoff-2-3",
            "Identity verification to Eligibility assessment",
            "Identity verification",
            "Eligibility assessment",
            "96",
            "420",
            "true",
        ),
        (
            "10",
            "10",
            "platform:developer-ecosystem-growth",
            "Developer ecosystem growth",
            "platform:developer-ecosystem-growth-handoff-3-4",
            "Build first integration to Publish integration",
            "Build first integration",
            "Publish integration",
            "96",
            "60",
            "true",
        ),
    ]


def test_handoff_bottlenecks_limit(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "handoff-bottlenecks", {"limit": "3"})
    assert columns == [
        "rank",
        "limit",
        "stream",
        "streamLabel",
        "handoff",
        "handoffLabel",
        "fromStageLabel",
        "toStageLabel",
        "waitTimeHours",
        "queueLength",
        "delay",
    ]
    assert rows == [
        (
            "1",
            "3",
            "energy:exploration-to-export",
            "Exploration to export",
            "energy:handoff-1-2",
            "Geological analysis to Drilling operations",
            "Geological analysis",
            "Drilling operations",
            "2160",
            "6",
            "true",
        ),
        (
            "2",
            "3",
            "energy:exploration-to-export",
            "Exploration to export",
            "energy:handoff-2-3",
            "Drilling operations to Reservoir management",
            "Drilling operations",
            "Reservoir management",
            "336",
            "3",
            "true",
        ),
        (
            "3",
            "3",
            "platform:platform-reliability",
            "Platform reliability",
            "platform:platform-reliability-handoff-4-5",
            "Learn from incident to Harden",
            "Learn from incident",
            "Harden",
            "336",
            "30",
            "true",
        ),
    ]


def test_stream_stakeholders(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "stream-stakeholders", {})
    assert columns == ["stream", "streamLabel", "role", "item", "itemLabel", "detail"]
    assert rows == [
        (
            "bank:mortgage-lending",
            "Mortgage lending",
            "trigger",
            "bank:mortgage-lending-trigger",
            "Home buyer seeks a mortgage",
            "kind: Demand",
        ),
        (
            "bank:mortgage-lending",
            "Mortgage lending",
            "triggering stakeholder",
            "bank:home-buyer",
            "Home buyer",
            None,
        ),
        (
            "bank:mortgage-lending",
            "Mortgage lending",
            "participating stakeholder",
            "bank:conveyancer",
            "Conveyancing solicitor",
            "stages: Legal completion; Release of funds",
        ),
        (
            "bank:mortgage-lending",
            "Mortgage lending",
            "participating stakeholder",
            "bank:credit-reference-agency",
            "Credit reference agency",
            "stages: Credit checks",
        ),
        (
            "bank:mortgage-lending",
            "Mortgage lending",
            "participating stakeholder",
            "bank:home-buyer",
            "Home buyer",
            (
                "stages: Explore mortgage options; Application submission; Affordability "
                "assessment; Underwriting; Legal completion; Release of funds"
            ),
        ),
        (
            "bank:mortgage-lending",
            "Mortgage lending",
            "participating stakeholder",
            "bank:mortgage-broker",
            "Mortgage broker",
            "stages: Explore mortgage options; Application submission; Underwriting",
        ),
        (
            "bank:mortgage-lending",
            "Mortgage lending",
            "participating stakeholder",
            "bank:property-valuer",
            "Property valuer",
            "stages: Property valuation",
        ),
        (
            "bank:mortgage-lending",
            "Mortgage lending",
            "outcome",
            "bank:mortgage-lending-outcome",
            "Mortgage funds released and loan on the bank's book",
            "of value to: Home buyer; Mortgage broker",
        ),
    ]


def test_porter_activity_stages(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "porter-activity-stages", {})
    assert columns == ["notation", "activity", "activityLabel", "categoryLabel", "stageCount", "stages"]
    assert rows == [
        (
            "P1",
            "porter:InboundLogistics",
            "Inbound logistics",
            "Primary activity",
            "1",
            "Product returns and exchanges: Return receipt and inspection",
        ),
        (
            "P2",
            "porter:Operations",
            "Operations",
            "Primary activity",
            "14",
            (
                "Digital connectivity: Network engineering; Digital connectivity: Customer "
                "provisioning; Enterprise integration: Certify; Exploration to export: "
                "Drilling operations; Exploration to export: Reservoir management; Mortgage "
                "lending: Affordability assessment; Mortgage lending: Credit checks; "
                "Mortgage lending: Underwriting; Mortgage lending: Legal completion; "
                "Passenger journey: Airport operations; Passenger journey: Baggage "
                "handling; Passenger journey: Boarding; Passenger journey: Flight "
                "operations; Product returns and exchanges: Restock or disposal"
            ),
        ),
        (
            "P3",
            "porter:OutboundLogistics",
            "Outbound logistics",
            "Primary activity",
            "6",
            (
                "Citizen service delivery: Payment; Exploration to export: Pipeline "
                "infrastructure; Exploration to export: Shipping logistics; Mortgage "
                "lending: Release of funds; Product discovery to delivery: Fulfilment; "
                "Product discovery to delivery: Delivery"
            ),
        ),
        (
            "P4",
            "porter:MarketingAndSales",
            "Marketing and sales",
            "Primary activity",
            "14",
            (
                "Developer ecosystem growth: Discover platform; Developer ecosystem growth: "
                "Publish integration; Developer ecosystem growth: Grow adoption; Digital "
                "connectivity: Order capture; Enterprise integration: Scope; Mortgage "
                "lending: Explore mortgage options; Mortgage lending: Application "
                "submission; Passenger journey: Flight search; Passenger journey: Booking; "
                "Passenger journey: Ticketing; Product discovery to delivery: Product "
                "discovery; Product discovery to delivery: Purchase; Product lifecycle: "
                "Marketing planning; Product lifecycle: Product launch"
            ),
        ),
        (
            "P5",
            "porter:Service",
            "Service",
            "Primary activity",
            "7",
            (
                "Developer ecosystem growth: Onboard developer; Developer ecosystem growth: "
                "Build first integration; Digital connectivity: Service assurance; "
                "Enterprise integration: Operate; Passenger journey: Arrival services; "
                "Product returns and exchanges: Return initiation; Product returns and "
                "exchanges: Refund or exchange"
            ),
        ),
        (
            "S1",
            "porter:Procurement",
            "Procurement",
            "Support activity",
            "1",
            "Mortgage lending: Property valuation",
        ),
        (
            "S2",
            "porter:HumanResourceManagement",
            "Human resource management",
            "Support activity",
            "0",
            "",
        ),
        (
            "S3",
            "porter:TechnologyDevelopment",
            "Technology development",
            "Support activity",
            "11",
            (
                "Enterprise integration: Design; Enterprise integration: Integrate; "
                "Exploration to export: Geological analysis; Product innovation: Discover; "
                "Product innovation: Validate; Product innovation: Build; Product "
                "innovation: Release; Product innovation: Learn; Product lifecycle: Infrastructure "
                "capacity planning; Product lifecycle: Product management; Product "
                "lifecycle: Development and deployment"
            ),
        ),
        ("S4", "porter:FirmInfrastructure", "Firm infrastructure", "Support activity", "0", ""),
    ]


def test_interventions(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "interventions", {})
    assert columns == [
        "intervention",
        "interventionLabel",
        "kind",
        "streams",
        "objectives",
        "dimensions",
        "amount",
        "currency",
        "periodStart",
        "periodEnd",
    ]
    assert rows == [
        (
            "tech:devops-acceleration",
            "DevOps acceleration",
            "Programme",
            "Product lifecycle",
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "telco:order-to-activate-programme",
            "Order-to-activate automation programme",
            "Programme",
            "Digital connectivity",
            (
                "Cut order-to-activation lead time for business fibre to 10 days by 31 "
                "March 2027; Reach 98 per cent first-time-right activations by 31 December "
                "2026"
            ),
            "Strategic Architecture",
            "12500000",
            "EUR",
            "2026-01-01",
            "2027-06-30",
        ),
        (
            "retail:single-view-of-stock-project",
            "Single view of stock and orders project",
            "Project",
            "Product discovery to delivery; Product returns and exchanges",
            (
                "90 per cent of returns refunded or exchanged within 3 days of receipt by "
                "31 January 2028; 95 per cent of online orders delivered within 48 hours of "
                "purchase by 31 January 2028"
            ),
            "Strategic Architecture",
            "6800000",
            "EUR",
            "2026-03-01",
            "2027-08-31",
        ),
        (
            "gov:public-services-digitisation-programme",
            "Public services digitisation programme",
            "Programme",
            "Citizen service delivery",
            (
                "90 per cent of straightforward claims paid within 10 working days by 31 "
                "March 2028; Identity verified once and reused by every agency by 31 "
                "December 2027"
            ),
            "Strategic Architecture",
            "240000000",
            "GBP",
            "2026-04-01",
            "2029-03-31",
        ),
        (
            "bank:mortgage-flow-programme",
            "Mortgage flow programme",
            "Programme",
            "Mortgage lending",
            (
                "Half of mortgage cases right first time by 31 March 2028; Median "
                "enquiry-to-funds lead time of 18 days by 31 March 2028"
            ),
            "Strategic Architecture",
            "9200000",
            "GBP",
            "2026-04-01",
            "2028-03-31",
        ),
        (
            "energy:integrated-operations-programme",
            "Integrated operations programme",
            "Programme",
            "Exploration to export",
            (
                "Production efficiency of 88 per cent by 31 December 2028; Well target to "
                "first export cargo in 150 days by 31 December 2028"
            ),
            "Execution and Ways of Working",
            "85000000",
            "USD",
            "2026-01-01",
            "2028-12-31",
        ),
        (
            "air:connected-turnaround-programme",
            "Connected turnaround programme",
            "Programme",
            "Passenger journey",
            (
                "Cut airport arrival to boarding lead time to 60 minutes by 30 June 2026; "
                "Load 99.5 per cent of checked bags on their passenger's flight by 31 "
                "December 2026"
            ),
            "Execution and Ways of Working",
            "9500000",
            "USD",
            "2026-01-01",
            "2027-12-31",
        ),
        (
            "platform:self-service-integration-epic",
            "Self-service integration epic",
            "Epic",
            "Developer ecosystem growth; Enterprise integration",
            ("Double active third-party and enterprise integrations to 4,000 by 31 December 2027"),
            "Strategic Architecture",
            "6500000",
            "USD",
            "2026-01-01",
            "2026-12-31",
        ),
        (
            "tech:integrated-launch-planning-epic",
            "Integrated launch planning epic",
            "Epic",
            "Product lifecycle",
            ("Launch 90 per cent of planned releases within two weeks of the committed date by 31 December 2026"),
            "Execution and Ways of Working",
            "1800000",
            "USD",
            "2026-01-01",
            "2026-09-30",
        ),
    ]


def test_stream_kpis(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "stream-kpis", {})
    assert columns == [
        "stream",
        "streamLabel",
        "stageLabel",
        "kpi",
        "kpiLabel",
        "metric",
        "metricLabel",
        "targetValue",
        "unitLabel",
        "measuredValue",
        "measuredOn",
    ]
    assert len(rows) == 27
    assert project(columns, rows, ["stream", "stageLabel", "kpi", "metric", "targetValue", "measuredValue"]) == [
        (
            "gov:citizen-service-delivery",
            None,
            "gov:citizen-service-delivery-rolled-pca-kpi",
            "lean:RolledPercentCompleteAccurate",
            "60",
            "25.1",
        ),
        (
            "gov:citizen-service-delivery",
            None,
            "gov:citizen-service-delivery-lead-time-kpi",
            "lean:LeadTime",
            "14",
            "20.3",
        ),
        (
            "platform:developer-ecosystem-growth",
            None,
            "platform:developer-ecosystem-growth-kpi-signup-to-publish",
            "lean:LeadTime",
            "14",
            "31",
        ),
        (
            "telco:digital-connectivity",
            None,
            "telco:digital-connectivity-kpi-first-time-right",
            "lean:PercentCompleteAccurate",
            "98",
            "91",
        ),
        (
            "telco:digital-connectivity",
            None,
            "telco:digital-connectivity-kpi-order-to-activate",
            "lean:LeadTime",
            "10",
            "17.5",
        ),
        (
            "platform:enterprise-integration",
            None,
            "platform:enterprise-integration-kpi-scope-to-operate",
            "lean:LeadTime",
            "45",
            "72",
        ),
        (
            "energy:exploration-to-export",
            None,
            "energy:exploration-to-export-rolled-pca-kpi",
            "lean:RolledPercentCompleteAccurate",
            "60",
            "37.7",
        ),
        (
            "energy:exploration-to-export",
            None,
            "energy:exploration-to-export-throughput-kpi",
            "lean:Throughput",
            None,
            None,
        ),
        (
            "energy:exploration-to-export",
            None,
            "energy:exploration-to-export-lead-time-kpi",
            "lean:LeadTime",
            "150",
            "285",
        ),
        (
            "bank:mortgage-lending",
            None,
            "bank:mortgage-lending-lead-time-kpi",
            "lean:LeadTime",
            "18",
            "23.9",
        ),
        (
            "bank:mortgage-lending",
            None,
            "bank:mortgage-lending-rolled-pca-kpi",
            "lean:RolledPercentCompleteAccurate",
            "50",
            "21.7",
        ),
        (
            "air:passenger-journey",
            None,
            "air:passenger-journey-kpi-airport-lead-time",
            "lean:LeadTime",
            "1",
            "2.4",
        ),
        (
            "air:passenger-journey",
            None,
            "air:passenger-journey-kpi-bags-reconciled",
            "lean:PercentCompleteAccurate",
            "99.5",
            "98.1",
        ),
        (
            "platform:platform-reliability",
            None,
            "platform:platform-reliability-kpi-repeat-incidents",
            "lean:PercentCompleteAccurate",
            "95",
            "82",
        ),
        (
            "platform:platform-reliability",
            None,
            "platform:platform-reliability-kpi-time-to-restore",
            "lean:LeadTime",
            "1",
            "1.7",
        ),
        (
            "retail:product-discovery-to-delivery",
            None,
            "retail:product-discovery-to-delivery-lead-time-kpi",
            "lean:LeadTime",
            "60",
            "75",
        ),
        (
            "retail:product-discovery-to-delivery",
            None,
            "retail:product-discovery-to-delivery-rolled-pca-kpi",
            "lean:RolledPercentCompleteAccurate",
            "85",
            "70.7",
        ),
        (
            "platform:product-innovation",
            None,
            "platform:product-innovation-kpi-hypothesis-to-release",
            "flow:FlowTime",
            "30",
            "46",
        ),
        (
            "platform:product-innovation",
            "Release",
            "platform:release-kpi-deployment-frequency",
            "dora:DeploymentFrequency",
            "10",
            "8",
        ),
        (
            "tech:product-lifecycle",
            None,
            "tech:product-lifecycle-kpi-idea-to-launch",
            "flow:FlowTime",
            "90",
            "142",
        ),
        (
            "tech:product-lifecycle",
            None,
            "tech:product-lifecycle-kpi-launch-predictability",
            "safe:FlowPredictability",
            "90",
            "55",
        ),
        (
            "tech:product-lifecycle",
            "Development and deployment",
            "tech:development-and-deployment-kpi-change-failure-rate",
            "dora:ChangeFailureRate",
            "10",
            "8",
        ),
        (
            "tech:product-lifecycle",
            "Development and deployment",
            "tech:development-and-deployment-kpi-deployment-frequency",
            "dora:DeploymentFrequency",
            "5",
            "7",
        ),
        (
            "tech:product-lifecycle",
            "Development and deployment",
            "tech:development-and-deployment-kpi-failed-deployment-recovery-time",
            "dora:FailedDeploymentRecoveryTime",
            "1",
            "0.8",
        ),
        (
            "tech:product-lifecycle",
            "Development and deployment",
            "tech:development-and-deployment-kpi-lead-time-for-changes",
            "dora:LeadTimeForChanges",
            "24",
            "18",
        ),
        (
            "retail:product-returns-and-exchanges",
            None,
            "retail:product-returns-and-exchanges-lead-time-kpi",
            "lean:LeadTime",
            "7",
            "11.1",
        ),
        (
            "retail:product-returns-and-exchanges",
            None,
            "retail:product-returns-and-exchanges-rolled-pca-kpi",
            "lean:RolledPercentCompleteAccurate",
            "75",
            "45.9",
        ),
    ]
    assert rows[0] == (
        "gov:citizen-service-delivery",
        "Citizen service delivery",
        None,
        "gov:citizen-service-delivery-rolled-pca-kpi",
        "Citizen claims rolled percent complete and accurate",
        "lean:RolledPercentCompleteAccurate",
        "Rolled percent complete and accurate",
        "60",
        "percent",
        "25.1",
        "2026-02-28",
    )
    assert rows[-1] == (
        "retail:product-returns-and-exchanges",
        "Product returns and exchanges",
        None,
        "retail:product-returns-and-exchanges-rolled-pca-kpi",
        "Returns rolled percent complete and accurate",
        "lean:RolledPercentCompleteAccurate",
        "Rolled percent complete and accurate",
        "75",
        "percent",
        "45.9",
        "2026-02-28",
    )


def test_stream_kpis_stream(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "stream-kpis", {"stream": "https://w3id.org/vskg/data/technology/product-lifecycle"})
    assert columns == [
        "stream",
        "streamLabel",
        "stageLabel",
        "kpi",
        "kpiLabel",
        "metric",
        "metricLabel",
        "targetValue",
        "unitLabel",
        "measuredValue",
        "measuredOn",
    ]
    assert rows == [
        (
            "tech:product-lifecycle",
            "Product lifecycle",
            None,
            "tech:product-lifecycle-kpi-idea-to-launch",
            "Idea-to-launch flow time",
            "flow:FlowTime",
            "Flow time",
            "90",
            "day",
            "142",
            "2025-12-31",
        ),
        (
            "tech:product-lifecycle",
            "Product lifecycle",
            None,
            "tech:product-lifecycle-kpi-launch-predictability",
            "Launch predictability",
            "safe:FlowPredictability",
            "Flow predictability",
            "90",
            "percent",
            "55",
            "2025-12-31",
        ),
        (
            "tech:product-lifecycle",
            "Product lifecycle",
            "Development and deployment",
            "tech:development-and-deployment-kpi-change-failure-rate",
            "Change failure rate",
            "dora:ChangeFailureRate",
            "Change fail rate",
            "10",
            "percent",
            "8",
            "2025-12-31",
        ),
        (
            "tech:product-lifecycle",
            "Product lifecycle",
            "Development and deployment",
            "tech:development-and-deployment-kpi-deployment-frequency",
            "Deployment frequency",
            "dora:DeploymentFrequency",
            "Deployment frequency",
            "5",
            "number",
            "7",
            "2025-12-31",
        ),
        (
            "tech:product-lifecycle",
            "Product lifecycle",
            "Development and deployment",
            "tech:development-and-deployment-kpi-failed-deployment-recovery-time",
            "Failed deployment recovery time",
            "dora:FailedDeploymentRecoveryTime",
            "Failed deployment recovery time",
            "1",
            "hour",
            "0.8",
            "2025-12-31",
        ),
        (
            "tech:product-lifecycle",
            "Product lifecycle",
            "Development and deployment",
            "tech:development-and-deployment-kpi-lead-time-for-changes",
            "Lead time for changes",
            "dora:LeadTimeForChanges",
            "Change lead time",
            "24",
            "hour",
            "18",
            "2025-12-31",
        ),
    ]


def test_strategy_cascade(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "strategy-cascade", {})
    assert columns == [
        "organisation",
        "organisationLabel",
        "visionLabel",
        "goal",
        "goalLabel",
        "objective",
        "objectiveLabel",
        "streams",
        "interventions",
    ]
    assert rows == [
        (
            "air:airline",
            "Full-service airline",
            "Air travel that feels like one smooth journey",
            "air:goal-dependable-journey",
            "Run a dependable door-to-gate-to-door journey",
            "air:objective-airport-lead-time",
            "Cut airport arrival to boarding lead time to 60 minutes by 30 June 2026",
            "Passenger journey",
            "Connected turnaround programme",
        ),
        (
            "air:airline",
            "Full-service airline",
            "Air travel that feels like one smooth journey",
            "air:goal-dependable-journey",
            "Run a dependable door-to-gate-to-door journey",
            "air:objective-bags-on-flight",
            ("Load 99.5 per cent of checked bags on their passenger's flight by 31 December 2026"),
            "Passenger journey",
            "Connected turnaround programme",
        ),
        (
            "tech:software-company",
            "Global software platform company",
            "Software that reaches customers when the market needs it",
            "tech:goal-predictable-launches",
            "Make product launches predictable",
            "tech:objective-idea-to-launch",
            "Cut idea-to-launch flow time for major features to 90 days by 30 June 2027",
            "Product lifecycle",
            None,
        ),
        (
            "tech:software-company",
            "Global software platform company",
            "Software that reaches customers when the market needs it",
            "tech:goal-predictable-launches",
            "Make product launches predictable",
            "tech:objective-launch-predictability",
            ("Launch 90 per cent of planned releases within two weeks of the committed date by 31 December 2026"),
            "Product lifecycle",
            "Integrated launch planning epic",
        ),
        (
            "platform:platform-company",
            "Global technology platform company",
            "The dependable platform others build their business on",
            "platform:goal-dependable-platform",
            "Be the most dependable platform in the market",
            "platform:objective-availability",
            ("Hold platform availability at 99.95 per cent or better in every quarter of 2026"),
            "Platform reliability",
            None,
        ),
        (
            "platform:platform-company",
            "Global technology platform company",
            "The dependable platform others build their business on",
            "platform:goal-thriving-ecosystem",
            "Grow a thriving ecosystem on the platform",
            "platform:objective-active-integrations",
            ("Double active third-party and enterprise integrations to 4,000 by 31 December 2027"),
            "Developer ecosystem growth; Enterprise integration; Product innovation",
            "Self-service integration epic",
        ),
        (
            "energy:energy-company",
            "Integrated oil and gas company",
            "Safe, reliable energy at the lowest cost per barrel in our basins",
            "energy:goal-production-efficiency",
            "Higher production efficiency from reservoir to cargo",
            "energy:objective-production-efficiency-88",
            "Production efficiency of 88 per cent by 31 December 2028",
            "Exploration to export",
            "Integrated operations programme",
        ),
        (
            "energy:energy-company",
            "Integrated oil and gas company",
            "Safe, reliable energy at the lowest cost per barrel in our basins",
            "energy:goal-production-efficiency",
            "Higher production efficiency from reservoir to cargo",
            "energy:objective-target-to-export-150-days",
            "Well target to first export cargo in 150 days by 31 December 2028",
            "Exploration to export",
            "Integrated operations programme",
        ),
        (
            "retail:omnichannel-retailer",
            "Large omnichannel retailer",
            "Shop with us however you like and get what you want, when you want it",
            "retail:goal-effortless-returns",
            "Effortless returns that recover value",
            "retail:objective-refund-within-3-days",
            ("90 per cent of returns refunded or exchanged within 3 days of receipt by 31 January 2028"),
            "Product returns and exchanges",
            "Single view of stock and orders project",
        ),
        (
            "retail:omnichannel-retailer",
            "Large omnichannel retailer",
            "Shop with us however you like and get what you want, when you want it",
            "retail:goal-one-shop",
            "Every channel works as one shop",
            "retail:objective-deliver-within-48-hours",
            ("95 per cent of online orders delivered within 48 hours of purchase by 31 January 2028"),
            "Product discovery to delivery",
            "Single view of stock and orders project",
        ),
        (
            "gov:national-government",
            "National government",
            "Public services that work as one government for the citizen",
            "gov:goal-joined-up-support",
            "Joined-up support without repeated requests",
            "gov:objective-pay-within-10-days",
            ("90 per cent of straightforward claims paid within 10 working days by 31 March 2028"),
            "Citizen service delivery",
            "Public services digitisation programme",
        ),
        (
            "gov:national-government",
            "National government",
            "Public services that work as one government for the citizen",
            "gov:goal-joined-up-support",
            "Joined-up support without repeated requests",
            "gov:objective-verify-once",
            "Identity verified once and reused by every agency by 31 December 2027",
            "Citizen service delivery",
            "Public services digitisation programme",
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "The simplest and surest way to finance a home",
            "bank:goal-faster-certain-home-finance",
            "Faster, more certain home finance",
            "bank:objective-right-first-time-50",
            "Half of mortgage cases right first time by 31 March 2028",
            "Mortgage lending",
            "Mortgage flow programme",
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "The simplest and surest way to finance a home",
            "bank:goal-faster-certain-home-finance",
            "Faster, more certain home finance",
            "bank:objective-lead-time-18-days",
            "Median enquiry-to-funds lead time of 18 days by 31 March 2028",
            "Mortgage lending",
            "Mortgage flow programme",
        ),
        (
            "telco:provider",
            "Telecommunications provider",
            "Connectivity that simply works for every customer",
            "telco:goal-fast-reliable-connectivity",
            "Launch and run new digital connectivity services quickly and reliably",
            "telco:objective-order-to-activate",
            ("Cut order-to-activation lead time for business fibre to 10 days by 31 March 2027"),
            "Digital connectivity",
            "Order-to-activate automation programme",
        ),
        (
            "telco:provider",
            "Telecommunications provider",
            "Connectivity that simply works for every customer",
            "telco:goal-fast-reliable-connectivity",
            "Launch and run new digital connectivity services quickly and reliably",
            "telco:objective-first-time-right",
            "Reach 98 per cent first-time-right activations by 31 December 2026",
            "Digital connectivity",
            "Order-to-activate automation programme",
        ),
    ]


def test_unit_involvement(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "unit-involvement", {})
    assert columns == [
        "organisation",
        "organisationLabel",
        "unit",
        "unitLabel",
        "unitKind",
        "stageCount",
        "streamCount",
        "stages",
    ]
    assert len(rows) == 68
    assert project(columns, rows, ["organisation", "unit", "stageCount", "streamCount"]) == [
        ("air:airline", "air:airport-services", "3", "1"),
        ("air:airline", "air:commercial-and-digital", "3", "1"),
        ("air:airline", "air:flight-operations-unit", "2", "1"),
        ("air:airline", "air:ground-handling", "2", "1"),
        ("air:airline", "air:customer-care", "1", "1"),
        ("air:airline", "air:revenue-accounting", "1", "1"),
        ("air:airline", "air:journey-council", "0", "0"),
        ("air:airline", "air:journey-flow-team", "0", "0"),
        ("tech:software-company", "tech:delivery-platform-team", "2", "1"),
        ("tech:software-company", "tech:product-management-unit", "2", "1"),
        ("tech:software-company", "tech:product-marketing", "2", "1"),
        ("tech:software-company", "tech:customer-success", "1", "1"),
        ("tech:software-company", "tech:infrastructure-planning", "1", "1"),
        ("tech:software-company", "tech:product-engineering-train", "1", "1"),
        ("tech:software-company", "tech:portfolio-board", "0", "0"),
        ("platform:platform-company", "platform:infrastructure-operations", "5", "3"),
        ("platform:platform-company", "platform:developer-relations", "4", "1"),
        ("platform:platform-company", "platform:product-management-unit", "4", "2"),
        ("platform:platform-company", "platform:site-reliability-engineering", "4", "1"),
        ("platform:platform-company", "platform:enterprise-integration-team", "3", "1"),
        ("platform:platform-company", "platform:partner-management", "3", "2"),
        ("platform:platform-company", "platform:product-engineering-train", "3", "2"),
        ("platform:platform-company", "platform:solutions-engineering", "2", "1"),
        ("platform:platform-company", "platform:lean-portfolio-council", "0", "0"),
        ("energy:energy-company", "energy:integrated-planning-team", "5", "1"),
        ("energy:energy-company", "energy:asset-engineering-team", "3", "1"),
        ("energy:energy-company", "energy:health-safety-environment", "3", "1"),
        ("energy:energy-company", "energy:geoscience", "2", "1"),
        ("energy:energy-company", "energy:commercial-and-trading", "1", "1"),
        ("energy:energy-company", "energy:drilling-and-wells", "1", "1"),
        ("energy:energy-company", "energy:marine-logistics", "1", "1"),
        ("energy:energy-company", "energy:pipeline-operations", "1", "1"),
        ("energy:energy-company", "energy:reservoir-and-production-engineering", "1", "1"),
        ("energy:energy-company", "energy:asset-board", "0", "0"),
        ("retail:omnichannel-retailer", "retail:digital-commerce-art", "5", "2"),
        ("retail:omnichannel-retailer", "retail:returns-flow-team", "4", "1"),
        ("retail:omnichannel-retailer", "retail:store-operations", "4", "2"),
        ("retail:omnichannel-retailer", "retail:distribution-centres", "3", "2"),
        ("retail:omnichannel-retailer", "retail:ecommerce", "3", "2"),
        ("retail:omnichannel-retailer", "retail:customer-service", "2", "1"),
        ("retail:omnichannel-retailer", "retail:finance", "2", "1"),
        ("retail:omnichannel-retailer", "retail:merchandising", "2", "2"),
        ("retail:omnichannel-retailer", "retail:transport-and-logistics", "2", "2"),
        ("retail:omnichannel-retailer", "retail:marketing", "1", "1"),
        ("retail:omnichannel-retailer", "retail:omnichannel-board", "0", "0"),
        ("gov:national-government", "gov:citizen-service-team", "5", "1"),
        ("gov:national-government", "gov:benefits-department", "2", "1"),
        ("gov:national-government", "gov:casework-team", "1", "1"),
        ("gov:national-government", "gov:central-digital-office", "1", "1"),
        ("gov:national-government", "gov:identity-agency", "1", "1"),
        ("gov:national-government", "gov:payments-agency", "1", "1"),
        ("gov:national-government", "gov:revenue-agency", "1", "1"),
        ("gov:national-government", "gov:citizen-services-board", "0", "0"),
        ("bank:retail-bank", "bank:lending-operations", "5", "1"),
        ("bank:retail-bank", "bank:mortgage-flow-team", "5", "1"),
        ("bank:retail-bank", "bank:compliance", "3", "1"),
        ("bank:retail-bank", "bank:credit-risk", "3", "1"),
        ("bank:retail-bank", "bank:digital-channels-team", "2", "1"),
        ("bank:retail-bank", "bank:marketing", "1", "1"),
        ("bank:retail-bank", "bank:payments-operations", "1", "1"),
        ("bank:retail-bank", "bank:mortgage-stream-board", "0", "0"),
        ("telco:provider", "telco:billing-operations", "1", "1"),
        ("telco:provider", "telco:network-engineering-unit", "1", "1"),
        ("telco:provider", "telco:provisioning-operations", "1", "1"),
        ("telco:provider", "telco:sales-and-digital-channels", "1", "1"),
        ("telco:provider", "telco:service-assurance-operations", "1", "1"),
        ("telco:provider", "telco:connectivity-release-train", "0", "0"),
        ("telco:provider", "telco:connectivity-service-board", "0", "0"),
    ]
    assert rows[0] == (
        "air:airline",
        "Full-service airline",
        "air:airport-services",
        "Airport services",
        "Organisation unit",
        "3",
        "1",
        ("Passenger journey: Airport operations; Passenger journey: Boarding; Passenger journey: Arrival services"),
    )
    assert rows[-1] == (
        "telco:provider",
        "Telecommunications provider",
        "telco:connectivity-service-board",
        "Connectivity service board",
        "Governance body",
        "0",
        "0",
        "",
    )


def test_unit_involvement_organisation(store: pyoxigraph.Store) -> None:
    columns, rows = table(store, "unit-involvement", {"organisation": "https://w3id.org/vskg/data/banking/retail-bank"})
    assert columns == [
        "organisation",
        "organisationLabel",
        "unit",
        "unitLabel",
        "unitKind",
        "stageCount",
        "streamCount",
        "stages",
    ]
    assert rows == [
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:lending-operations",
            "Lending operations",
            "Organisation unit",
            "5",
            "1",
            (
                "Mortgage lending: Application submission; Mortgage lending: Property "
                "valuation; Mortgage lending: Underwriting; Mortgage lending: Legal "
                "completion; Mortgage lending: Release of funds"
            ),
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:mortgage-flow-team",
            "Mortgage flow team",
            "Team",
            "5",
            "1",
            (
                "Mortgage lending: Application submission; Mortgage lending: Affordability "
                "assessment; Mortgage lending: Credit checks; Mortgage lending: Property "
                "valuation; Mortgage lending: Underwriting"
            ),
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:compliance",
            "Compliance",
            "Organisation unit",
            "3",
            "1",
            (
                "Mortgage lending: Application submission; Mortgage lending: Affordability "
                "assessment; Mortgage lending: Legal completion"
            ),
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:credit-risk",
            "Credit risk",
            "Organisation unit",
            "3",
            "1",
            (
                "Mortgage lending: Affordability assessment; Mortgage lending: Credit "
                "checks; Mortgage lending: Underwriting"
            ),
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:digital-channels-team",
            "Digital channels team",
            "Team",
            "2",
            "1",
            ("Mortgage lending: Explore mortgage options; Mortgage lending: Application submission"),
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:marketing",
            "Mortgage marketing",
            "Organisation unit",
            "1",
            "1",
            "Mortgage lending: Explore mortgage options",
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:payments-operations",
            "Payments operations",
            "Organisation unit",
            "1",
            "1",
            "Mortgage lending: Release of funds",
        ),
        (
            "bank:retail-bank",
            "Retail bank",
            "bank:mortgage-stream-board",
            "Mortgage value stream board",
            "Governance body",
            "0",
            "0",
            "",
        ),
    ]
