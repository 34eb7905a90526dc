"""A validation's findings, as every engine reports them and every caller reads them.

Kept apart from the engines so that the service, the pages and the command line can hold and print findings without
importing pyshacl or rdflib (the reference engine, `vskg.validate`, needs both; the compiled one,
`vskg.validation.engine`, only rdflib and only to write a report graph).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import rdflib

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True, order=True)
class Finding:
    """One result of the SHACL report, reduced to what an architect reads."""

    severity: str
    focus_node: str
    source_shape: str
    message: str
    path: str | None = None
    value: str | None = None
    constraint: str | None = None


def finding_order(finding: Finding) -> tuple:
    """The order of `sorted(findings)`, with a missing path or value first instead of a TypeError."""
    return tuple((value is not None, value or "") for value in vars(finding).values())


@dataclass
class Report:
    conforms: bool
    findings: list[Finding] = field(default_factory=list)
    graph: rdflib.Graph | None = None

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    def as_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "counts": {name: self.count(name) for name in SEVERITY_ORDER},
            "results": [asdict(f) for f in self.findings],
        }
