"""Impact analytics (capability_impact, system_impact) on the bundled banking example, worked out by hand."""

from __future__ import annotations

import pyoxigraph
import pytest

from vskg.analytics import CapabilityNotFound, SystemNotFound, capability_impact, system_impact
from vskg.analytics.model import Impact, Ref

BANK = "https://w3id.org/vskg/data/banking/"
RETAIL = "https://w3id.org/vskg/data/retail/"
MORTGAGE = Ref(BANK + "mortgage-lending", "Mortgage lending")


def rows(impact: Impact, prefix: str = BANK) -> list[tuple[str, str, str]]:
    return [
        (d.stream.iri.removeprefix(prefix), d.stage.iri.removeprefix(prefix), d.via.replace(prefix, ""))
        for d in impact.dependants
    ]


def test_capability_with_a_direct_dependant(store: pyoxigraph.Store) -> None:
    impact = capability_impact(store, BANK + "collateral-valuation")
    assert impact.subject == Ref(BANK + "collateral-valuation", "Collateral valuation")
    assert impact.kind == "capability"
    assert rows(impact) == [("mortgage-lending", "property-valuation", "vskg:enabledBy")]
    # vskg:supportsCapability bank:collateral-valuation: the automated valuation model and the valuer panel portal.
    assert impact.related == (
        Ref(BANK + "automated-valuation-model", "Automated valuation model"),
        Ref(BANK + "valuer-panel-portal", "Valuer panel portal"),
    )
    assert impact.streams == (MORTGAGE,)


def test_capability_reaches_stages_through_its_sub_capabilities(store: pyoxigraph.Store) -> None:
    impact = capability_impact(store, BANK + "risk-and-compliance-management")
    # Its five sub-capabilities (vskg:subCapabilityOf) enable stages 2, 3, 4 and 6 (two of them underwriting).
    assert rows(impact) == [
        ("mortgage-lending", "application-submission", "vskg:subCapabilityOf <financial-crime-checks>"),
        ("mortgage-lending", "affordability-assessment", "vskg:subCapabilityOf <affordability-analysis>"),
        ("mortgage-lending", "credit-checks", "vskg:subCapabilityOf <credit-risk-assessment>"),
        ("mortgage-lending", "underwriting", "vskg:subCapabilityOf <credit-decisioning>"),
        ("mortgage-lending", "underwriting", "vskg:subCapabilityOf <exception-underwriting>"),
    ]
    assert impact.related == ()  # systems support the children, none the parent itself


def test_capability_shared_by_two_streams(store: pyoxigraph.Store) -> None:
    impact = capability_impact(store, RETAIL + "inventory-management")
    # Stream labels sort "Product discovery to delivery" before "Product returns and exchanges".
    assert rows(impact, RETAIL) == [
        ("product-discovery-to-delivery", "fulfilment", "vskg:enabledBy"),
        ("product-returns-and-exchanges", "restock-or-disposal", "vskg:enabledBy"),
    ]
    assert [r.iri for r in impact.related] == [RETAIL + "inventory-management-system"]


def test_application_system_supports_stages_directly_and_through_capabilities(store: pyoxigraph.Store) -> None:
    impact = system_impact(store, BANK + "core-banking-system")
    assert impact.kind == "system"
    # supportsStage release of funds; supportsCapability funds disbursement and loan account set-up, which both
    # enable release of funds.
    assert rows(impact) == [
        ("mortgage-lending", "release-of-funds", "vskg:supportsCapability <funds-disbursement>"),
        ("mortgage-lending", "release-of-funds", "vskg:supportsCapability <loan-account-setup>"),
        ("mortgage-lending", "release-of-funds", "vskg:supportsStage"),
    ]
    assert impact.related == (
        Ref(BANK + "funds-disbursement", "Funds disbursement"),
        Ref(BANK + "loan-account-setup", "Loan account set-up"),
    )


def test_platform_reaches_stages_through_the_systems_on_it(store: pyoxigraph.Store) -> None:
    impact = system_impact(store, BANK + "core-platform")
    # The core banking system and the payments gateway run on the core platform; both support release of funds.
    assert rows(impact) == [
        ("mortgage-lending", "release-of-funds", "vskg:runsOn <core-banking-system>"),
        ("mortgage-lending", "release-of-funds", "vskg:runsOn <payments-gateway>"),
    ]
    assert [r.iri for r in impact.related] == [BANK + "funds-disbursement", BANK + "loan-account-setup"]


def test_integration_platform_stage_set(store: pyoxigraph.Store) -> None:
    impact = system_impact(store, BANK + "integration-platform")
    # Runs the identity verification service (submission), the credit bureau gateway (credit checks), the valuer
    # panel portal (valuation) and the conveyancer portal (legal completion, release of funds).
    assert [d.stage.iri.removeprefix(BANK) for d in impact.dependants] == [
        "application-submission",
        "credit-checks",
        "property-valuation",
        "legal-completion",
        "release-of-funds",
    ]


def test_not_a_capability_or_system(store: pyoxigraph.Store) -> None:
    with pytest.raises(CapabilityNotFound, match=r"^<https://w3id.org/vskg/data/banking/underwriting> is not a"):
        capability_impact(store, BANK + "underwriting")
    with pytest.raises(SystemNotFound, match=r"is not a system \(vskg:ApplicationSystem or vskg:TechnologyPlatform\)"):
        system_impact(store, BANK + "credit-decisioning")
    with pytest.raises(LookupError, match="is not a valid IRI"):
        system_impact(store, "a b")
