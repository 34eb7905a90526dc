"""`vskg check`: the OWL side of the model, which SHACL does not cover: is it OWL 2 DL, and is it consistent?

Runs the OWL API's profile checker and HermiT (both on Java) over the bundled ontology, schemes and data, or over
the files given. Exit 0 when every check passes, 1 when one fails, 2 without Java, 3 for unreadable input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vskg.commands.common import EXIT_INPUT, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, ONTOLOGY_PANEL, err, fail, out
from vskg.rdfio import InputError


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=ONTOLOGY_PANEL)(check)


def check(
    files: Annotated[
        list[Path], typer.Argument(help="Ontology and data files; the bundled ontology, schemes and data if none.")
    ] = [],  # noqa: B006
) -> None:
    """Check that the ontology, schemes and data are OWL 2 DL (OWL API) and consistent (HermiT)."""
    from vskg.check import JavaMissing
    from vskg.check import run as run_checks

    try:
        with err.status("reasoning", spinner="dots"):
            outcome = run_checks(files or None)
    except InputError as problem:
        raise fail(str(problem), EXIT_INPUT) from None
    except JavaMissing as problem:
        raise fail(str(problem), EXIT_USAGE) from None
    for line in outcome.summary():
        out.print(line, markup=False, highlight=False)
    results = outcome.results
    for result in results:
        mark = "[green]pass[/]" if result.passed else "[bold red]FAIL[/]"
        out.print(f"{mark} {result.name}", highlight=False)
        for detail in result.details:
            out.print(f"  {detail}", markup=False, highlight=False)
    raise typer.Exit(EXIT_OK if all(r.passed for r in results) else EXIT_PROBLEMS)
