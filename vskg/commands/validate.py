"""`vskg validate`: SHACL validation of data files, or of a store, against the bundled ontology and shapes.

Exit 0 when the data conforms, 1 when it does not (the findings are the report), 2 for a usage error and 3 for
input that cannot be read (file, line and reason) or a store that does not exist (it is never created).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from vskg.commands.common import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    VALIDATE_PANEL,
    err,
    existing_store,
    fail,
    out,
)
from vskg.rdfio import InputError


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=VALIDATE_PANEL)(validate)


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    turtle = "turtle"


class Engine(StrEnum):
    sparql = "sparql"
    pyshacl = "pyshacl"


def validate(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Turtle, N-Triples, RDF/XML, TriG or JSON-LD files.", show_default=False)
    ] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.text,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store", help="Validate this store's data instead of files (it must exist).", show_default=False
        ),
    ] = None,
    engine: Annotated[
        Engine, typer.Option("--engine", help="sparql (shapes run as queries) or pyshacl (the reference).")
    ] = Engine.sparql,
) -> None:
    """Validate data files together, or a store, against the bundled ontology and SHACL shapes."""
    if bool(files) == (store is not None):
        raise fail("give the files to validate, or --store with the store folder, not both", EXIT_USAGE)
    if store is not None and engine is Engine.pyshacl:
        raise fail("--engine pyshacl validates files only; validate a store with the sparql engine", EXIT_USAGE)
    db = existing_store(store) if store is not None else None
    try:
        with err.status("validating", spinner="dots"):
            report = _validated(files or [], db, engine)
    except InputError as problem:
        raise fail(str(problem), EXIT_INPUT) from None
    finally:
        if db is not None:
            db.close()
    if fmt is ReportFormat.json:
        out.print_json(json.dumps(report.as_dict()))
    elif fmt is ReportFormat.turtle:
        assert report.graph is not None
        out.print(report.graph.serialize(format="turtle"), markup=False, highlight=False)
    else:
        _print_report(report)
    raise typer.Exit(EXIT_OK if report.conforms else EXIT_PROBLEMS)


def _validated(files: list[Path], db, engine: Engine):
    if engine is Engine.pyshacl:
        from vskg.validate import validate_files as reference

        return reference(files)
    from vskg.validation.engine import validate_files
    from vskg.validation.fullrun import validate_store

    return validate_files(files) if db is None else validate_store(db)


def _print_report(report) -> None:
    styles = {"Violation": "bold red", "Warning": "yellow", "Info": "cyan"}
    for finding in report.findings:
        out.print(
            f"[{styles.get(finding.severity, '')}]{finding.severity}[/] {finding.focus_node}\n"
            f"  {finding.message}\n  shape: {finding.source_shape}",
            highlight=False,
        )
    verdict = "[green]conforms[/]" if report.conforms else "[bold red]does not conform[/]"
    counts = ", ".join(f"{report.count(s)} {s.lower()}(s)" for s in ("Violation", "Warning", "Info"))
    out.print(f"{verdict}: {counts}", highlight=False)
