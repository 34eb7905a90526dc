"""Portfolio analytics (vskg.analytics.analyse_portfolio) on the bundled examples, worked out from data/*.ttl."""

from __future__ import annotations

import pyoxigraph
import pytest

from vskg.analytics import PortfolioNotFound, analyse_portfolio, analyse_stream, shared_systems
from vskg.analytics.model import MaturityCell, PortfolioAnalysis, Ref

DATA = "https://w3id.org/vskg/data/"
MCA = "https://w3id.org/vskg/scheme/mca/"
PLATFORM = DATA + "platform/"
RETAIL = DATA + "retail/"
DIMENSIONS = [
    Ref(MCA + "Strategy", "Strategy"),  # MCA-1
    Ref(MCA + "Leadership", "Leadership"),  # MCA-2
    Ref(MCA + "CultureAndPeople", "Culture and People"),  # MCA-3
    Ref(MCA + "ExecutionAndWaysOfWorking", "Execution and Ways of Working"),  # MCA-4
    Ref(MCA + "StrategicArchitecture", "Strategic Architecture"),  # MCA-5
]


@pytest.fixture(scope="module")
def everything(store: pyoxigraph.Store) -> PortfolioAnalysis:
    return analyse_portfolio(store)


@pytest.fixture(scope="module")
def platform(store: pyoxigraph.Store) -> PortfolioAnalysis:
    return analyse_portfolio(store, PLATFORM + "portfolio")


def keys(refs: tuple[Ref, ...]) -> list[str]:
    return [r.iri.removeprefix(DATA) for r in refs]


def test_every_stream_ordered_by_organisation_then_stream(everything: PortfolioAnalysis) -> None:
    assert [(s.organisation.label, s.stream.label) for s in everything.streams] == [
        ("Full-service airline", "Passenger journey"),
        ("Global software platform company", "Product lifecycle"),
        ("Global technology platform company", "Developer ecosystem growth"),
        ("Global technology platform company", "Enterprise integration"),
        ("Global technology platform company", "Platform reliability"),
        ("Global technology platform company", "Product innovation"),
        ("Integrated oil and gas company", "Exploration to export"),
        ("Large omnichannel retailer", "Product discovery to delivery"),
        ("Large omnichannel retailer", "Product returns and exchanges"),
        ("National government", "Citizen service delivery"),
        ("Retail bank", "Mortgage lending"),
        ("Telecommunications provider", "Digital connectivity"),
    ]


def test_each_stream_is_the_stream_analysis(store: pyoxigraph.Store, everything: PortfolioAnalysis) -> None:
    for stream in everything.streams:
        assert stream == analyse_stream(store, stream.stream.iri)


def test_dimensions_are_the_mca_scheme_in_order(everything: PortfolioAnalysis) -> None:
    assert list(everything.dimensions) == DIMENSIONS


def test_alignment_matrix_rows(everything: PortfolioAnalysis) -> None:
    rows = {s.stream.iri.removeprefix(DATA): row for s, row in zip(everything.streams, everything.matrix, strict=True)}
    assert len(rows) == 12 and all(len(row) == 5 for row in rows.values())
    # Columns: Strategy, Leadership, Culture and People, Execution and Ways of Working, Strategic Architecture.
    assert rows["banking/mortgage-lending"] == (False, False, True, True, True)
    assert rows["retail/product-returns-and-exchanges"] == (True, False, True, False, False)
    assert rows["retail/product-discovery-to-delivery"] == (True, False, False, True, True)
    assert rows["platform/developer-ecosystem-growth"] == (True, True, False, False, False)


def test_shared_capabilities_over_every_stream(everything: PortfolioAnalysis) -> None:
    shared = [(u.subject.iri.removeprefix(DATA), keys(u.streams)) for u in everything.shared_capabilities]
    # Only the retailer and the platform company run more than one stream, so only they can share. The stages
    # (vskg:enabledBy): product analytics enables learn and grow adoption; monitoring enables detect and operate;
    # API provision enables build first integration and integrate; integration certification enables publish
    # integration and certify; inventory management enables fulfilment and restock or disposal.
    assert shared == [
        ("platform/api-provision", ["platform/developer-ecosystem-growth", "platform/enterprise-integration"]),
        (
            "platform/integration-certification",
            ["platform/developer-ecosystem-growth", "platform/enterprise-integration"],
        ),
        (
            "retail/inventory-management",
            ["retail/product-discovery-to-delivery", "retail/product-returns-and-exchanges"],
        ),
        (
            "platform/monitoring-and-event-management",
            ["platform/enterprise-integration", "platform/platform-reliability"],
        ),
        ("platform/product-analytics", ["platform/developer-ecosystem-growth", "platform/product-innovation"]),
    ]


def test_shared_platforms_over_every_stream(everything: PortfolioAnalysis) -> None:
    shared = {u.subject.iri.removeprefix(DATA): keys(u.streams) for u in everything.shared_platforms}
    platform_streams = [
        "platform/developer-ecosystem-growth",
        "platform/enterprise-integration",
        "platform/platform-reliability",
        "platform/product-innovation",
    ]
    retail_streams = ["retail/product-discovery-to-delivery", "retail/product-returns-and-exchanges"]
    # The cloud runtime hosts the experimentation service (validate, product innovation), the developer portal
    # (developer ecosystem), the API gateway (integrate, enterprise integration; restore, platform reliability).
    # The data platform hosts product analytics (learn, product innovation; grow adoption, developer ecosystem)
    # and observability (detect, platform reliability; operate, enterprise integration). The retailer's commerce
    # cloud hosts the returns portal and the storefront; the store infrastructure the point of sale (purchase;
    # refund or exchange) and the warehouse system.
    assert shared == {
        "platform/shared-cloud-runtime": platform_streams,
        "platform/shared-data-platform": platform_streams,
        "retail/commerce-cloud": retail_streams,
        "retail/store-and-warehouse-infrastructure": retail_streams,
    }


def test_shared_systems_count_support_through_capabilities(platform: PortfolioAnalysis) -> None:
    shared = {u.subject.iri.removeprefix(PLATFORM): len(u.streams) for u in shared_systems(platform)}
    # The partner platform exchange supports publish integration and grow adoption (developer ecosystem) directly,
    # and API provision and integration certification, which enable integrate and certify (enterprise
    # integration): shared although it supports no enterprise integration stage directly.
    assert shared["partner-platform-exchange"] == 2
    assert shared == {
        "shared-cloud-runtime": 4,
        "shared-data-platform": 4,
        "api-gateway": 3,
        "observability-system": 3,
        "delivery-pipeline": 2,
        "certification-harness": 2,
        "partner-platform-exchange": 2,
        "product-analytics-system": 2,
    }


def test_maturity_heat_map_cells(everything: PortfolioAnalysis) -> None:
    cells = {c.capability.iri.removeprefix(DATA): c for c in everything.maturity}
    # One cell per assessed capability of the data files: 10 + 12 + 9 + 10 + 12 + 17 + 9 + 7 assessments.
    assert len(cells) == 10 + 12 + 9 + 10 + 12 + 17 + 9 + 7
    assert cells["banking/customer-onboarding"] == MaturityCell(
        Ref(DATA + "banking/customer-onboarding", "Customer onboarding"),
        current=2,  # maturity:Level2
        target=4,  # maturity:Level4
        streams=(Ref(DATA + "banking/mortgage-lending", "Mortgage lending"),),
    )
    assert cells["banking/customer-onboarding"].gap == 4 - 2
    inventory = cells["retail/inventory-management"]
    assert (inventory.current, inventory.target, inventory.gap) == (2, 4, 4 - 2)
    assert keys(inventory.streams) == ["retail/product-discovery-to-delivery", "retail/product-returns-and-exchanges"]
    api = cells["platform/api-provision"]
    assert (api.current, api.target, api.gap) == (3, 4, 1)
    assert "banking/risk-and-compliance-management" not in cells  # a level-1 parent without an assessment
    gaps = [c.gap for c in everything.maturity]
    assert gaps == sorted(gaps, reverse=True)


def test_a_named_portfolio_has_its_streams_only(platform: PortfolioAnalysis) -> None:
    assert keys(tuple(s.stream for s in platform.streams)) == [
        "platform/developer-ecosystem-growth",
        "platform/enterprise-integration",
        "platform/platform-reliability",
        "platform/product-innovation",
    ]
    assert list(platform.dimensions) == DIMENSIONS
    assert [row for row in platform.matrix] == [
        (True, True, False, False, False),
        (False, False, False, True, True),
        (False, False, False, True, True),
        (True, False, True, False, False),
    ]
    assert [u.subject.iri for u in platform.shared_platforms] == [
        PLATFORM + "shared-cloud-runtime",
        PLATFORM + "shared-data-platform",
    ]
    assert len(platform.shared_capabilities) == 4  # the four platform rows of the portfolio over every stream
    assert len(platform.maturity) == 17  # the platform file's assessed capabilities
    assert all(c.capability.iri.startswith(PLATFORM) for c in platform.maturity)


def test_unknown_portfolio(store: pyoxigraph.Store) -> None:
    with pytest.raises(PortfolioNotFound, match=r"^<https://w3id.org/vskg/data/retail/nope> is not a value stream"):
        analyse_portfolio(store, RETAIL + "nope")
    with pytest.raises(LookupError):
        analyse_portfolio(store, RETAIL + "product-returns-and-exchanges")  # a stream, not a portfolio
