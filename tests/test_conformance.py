"""What a page shows of the standing report (vskg.web.conformance.status): the findings about its resources, at once,
with the state of the report (no report yet, failed, or a newer one being computed)."""

from __future__ import annotations

from vskg.service.validation import Standing
from vskg.validation.findings import Finding
from vskg.web import conformance

A, B = "https://example.org/a", "https://example.org/b"
VIOLATION = Finding("Violation", A, "urn:shape", "broken")
INFO = Finding("Info", B, "urn:shape", "note")


def test_the_findings_about_the_page_s_resources_and_their_counts() -> None:
    status = conformance.status(Standing((VIOLATION, INFO), 3, 3), [B])
    assert status == conformance.Status(
        "ready", (INFO,), "", {"Violation": 0, "Warning": 0, "Info": 1}, False, 3, 3, reported=True
    )
    assert status.conforms
    assert not conformance.status(Standing((VIOLATION, INFO), 3, 3), [A, B]).conforms


def test_a_newer_report_being_computed_is_marked() -> None:
    status = conformance.status(Standing((VIOLATION,), 3, 5), [A])
    assert (status.state, status.findings, status.checking, status.as_of, status.latest) == (
        "ready",
        (VIOLATION,),
        True,
        3,
        5,
    )


def test_no_report_yet_and_failures() -> None:
    assert conformance.status(Standing(None, None, 0), [A]) == conformance.Status("running", checking=True)
    failed = conformance.status(Standing(None, None, 2, "the engine broke"), [A])
    assert (failed.state, failed.error, failed.reported, failed.checking) == (
        "failed",
        "the engine broke",
        False,
        False,
    )
    kept = conformance.status(Standing((VIOLATION,), 1, 2, "the engine broke"), [A])
    assert (kept.state, kept.error, kept.findings, kept.reported) == ("failed", "the engine broke", (VIOLATION,), True)
