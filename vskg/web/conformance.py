"""What a page shows of the store's validation: the findings of the standing report about the page's resources.

The report is the service's (`vskg.service.validation`), kept current after every write in the background, so a page
never waits for a validation: it shows the last report at once, says so when a newer one is being computed ("checking
the latest change"), and says why when the last run failed. Validating only the graph that holds a stream would be
wrong anyway: a stream's file refers to sources, platforms and portfolios stated in other files, and SHACL's class
checks need them; the report is of all the store's data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vskg.service.validation import SEVERITIES, Standing

if TYPE_CHECKING:
    from vskg.validation.findings import Finding


@dataclass(frozen=True)
class Status:
    """What a page shows: 'running' (no report yet), 'ready' with the findings about its resources, or 'failed' with
    why; ``checking`` when a newer report than the one shown is being computed."""

    state: str
    findings: tuple[Finding, ...] = ()
    error: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    checking: bool = False
    as_of: int | None = None
    latest: int = 0
    reported: bool = False  # there is a report to show (also when the last step failed)

    @property
    def conforms(self) -> bool:
        return self.reported and not any(f.severity == "Violation" for f in self.findings)


def status(standing: Standing, focus: Iterable[str]) -> Status:
    """The findings of the standing report whose focus node is one of ``focus``, at once."""
    common = {"checking": standing.checking, "as_of": standing.as_of, "latest": standing.latest}
    if standing.findings is None:
        return Status("failed" if standing.error else "running", error=standing.error, **common)
    wanted = set(focus)
    found = tuple(f for f in standing.findings if f.focus_node in wanted)
    counts = {name: sum(1 for f in found if f.severity == name) for name in SEVERITIES}
    state = "failed" if standing.error else "ready"
    return Status(state, found, standing.error, counts, reported=True, **common)
