"""``--strict`` for the commands that write (`vskg load`, `vskg import ...`): writes that keep the model valid.

The same gate as `vskg serve --validate-writes` (`vskg.validation.gate.guarded`), on the store the command opens:
the write is measured before it runs, applied, and checked; if it adds a SHACL Violation it is undone, the findings
it would have added are printed (text, or JSON with ``--json``) and the command exits 1 with the store unchanged.
Warnings and Infos the write added are printed and the command goes on (exit 0).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from vskg.commands.common import EXIT_PROBLEMS, err, fail, out

if TYPE_CHECKING:  # the gate (and pyshacl under it) is imported when a strict write runs, not at every command
    from vskg.analytics.live import Change
    from vskg.store import Backend

StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Refuse a write that would add a SHACL Violation: print what it would add and exit 1, the store "
        "unchanged. Warnings and Infos it adds are printed.",
    ),
]

STYLES = {"Violation": "bold red", "Warning": "yellow", "Info": "cyan"}


def print_findings(findings: list, *, as_json: bool = False, refused: bool = False) -> None:
    """The findings a write added, as `vskg validate` prints a report (JSON: the report object)."""
    from vskg.validation.gate import report_of

    report = report_of(findings)
    if as_json:
        out.print_json(json.dumps(report))
        return
    for finding in report["results"]:
        out.print(
            f"[{STYLES.get(finding['severity'], '')}]{finding['severity']}[/] {finding['focus_node']}\n"
            f"  {finding['message']}\n  shape: {finding['source_shape']}",
            highlight=False,
        )
    counts = ", ".join(f"{n} {s.lower()}(s)" for s, n in report["counts"].items())
    verdict = "[bold red]refused, nothing was written[/]" if refused else "written"
    out.print(f"{verdict}: the write adds {counts}", highlight=False)


def strict_write(
    db: Backend, change: Change, action: Callable[..., Any], *args: Any, as_json: bool = False
) -> tuple[Any, list]:
    """``action(db, *args)`` checked as described in the module: its result and the findings it added (printed
    unless ``as_json``, where the caller puts them in its JSON); exits 1 when refused."""
    from vskg.validation.delta import measure
    from vskg.validation.gate import Unmeasurable, WriteRefused, guarded

    try:
        with err.status("writing and checking against the shapes", spinner="dots"):
            outcome = guarded(db, lambda store: measure(store, change), action, *args)
    except WriteRefused as refused:
        print_findings(refused.findings, as_json=as_json, refused=True)
        raise typer.Exit(EXIT_PROBLEMS) from None
    except Unmeasurable as problem:
        raise fail(str(problem), EXIT_PROBLEMS) from None
    if outcome.findings and not as_json:
        print_findings(outcome.findings)
    return outcome.result, outcome.findings
