"""The bundled examples, validated together, have no violation and no warning; the Infos left are deliberate."""

from __future__ import annotations

import pytest

from vskg.resources import locate
from vskg.validate import validate_files
from vskg.validation.findings import Report

DATA = "https://w3id.org/vskg/data/"

# Capabilities that are human work by design (advice, judgement, negotiation): no system supports them, each says
# why in its rdfs:comment, and the shapes report them as Info so an architect sees them without being blocked.
HUMAN_ONLY_CAPABILITIES = [
    "airline/passenger-assistance",
    "banking/exception-underwriting",
    "banking/mortgage-advice",
    "government/assisted-digital-support",
    "government/casework-decision-making",
    "oil-and-gas/cargo-sales-negotiation",
    "oil-and-gas/joint-venture-alignment",
    "platform/enterprise-solution-advice",
    "platform/partner-relationship-management",
    "retail/styling-advice",
    "technology/product-trade-off-decisions",
    "telecom/solution-advice",
]


@pytest.fixture(scope="module")
def report() -> Report:
    return validate_files(locate().data)


def test_bundled_data_conforms_with_zero_violations_and_warnings(report: Report) -> None:
    assert report.conforms
    assert report.count("Violation") == 0
    assert report.count("Warning") == 0


def test_only_the_deliberate_infos_remain(report: Report) -> None:
    infos = sorted((f.focus_node, f.source_shape) for f in report.findings if f.severity == "Info")
    assert infos == [
        (DATA + name, "https://w3id.org/vskg/shapes#CapabilitySupportedShape") for name in HUMAN_ONLY_CAPABILITIES
    ]
    assert len(report.findings) == len(HUMAN_ONLY_CAPABILITIES)
