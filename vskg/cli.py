"""The ``vskg`` command line: validate, query, queries, check.

Exit codes are part of the interface, so scripts and CI can rely on them:
0 success (or the model conforms), 1 the check ran and found problems (violations, a failed OWL check),
2 usage error (unknown query, bad parameter, bad option), 3 unreadable input (file, line and reason are printed).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pyoxigraph
import typer
from rich.console import Console
from rich.table import Table as RichTable

from vskg import __version__
from vskg.catalogue import CatalogueError, ParameterError, catalogue, resolve, run
from vskg.rdfio import InputError
from vskg.results import collect, display, serialize

app = typer.Typer(
    help="vskg: the value stream knowledge graph. Validate models, query the catalogue, check the ontology.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    turtle = "turtle"


class ResultFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


def _fail(message: str, code: int) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


@app.callback(invoke_without_command=True)
def main(version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False) -> None:
    if version:
        out.print(f"vskg {__version__}")
        raise typer.Exit()


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Turtle, N-Triples, RDF/XML, TriG or JSON-LD files.")],
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.text,
) -> None:
    """Validate data files, together, against the bundled ontology and SHACL shapes."""
    from vskg.validate import validate_files

    try:
        with err.status("validating", spinner="dots"):
            report = validate_files(files)
    except InputError as problem:
        raise _fail(str(problem), EXIT_INPUT) from None
    if fmt is ReportFormat.json:
        out.print_json(json.dumps(report.as_dict()))
    elif fmt is ReportFormat.turtle:
        assert report.graph is not None
        out.print(report.graph.serialize(format="turtle"), markup=False, highlight=False)
    else:
        _print_report(report)
    raise typer.Exit(EXIT_OK if report.conforms else EXIT_PROBLEMS)


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


def _parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise _fail(f"--param expects key=value, got {pair!r}", EXIT_USAGE)
        params[key.strip()] = value
    return params


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A catalogue query name (see `vskg queries`) or a .rq file.")],
    param: Annotated[list[str], typer.Option("--param", "-p", help="Parameter as key=value; repeatable.")] = [],  # noqa: B006
    fmt: Annotated[ResultFormat, typer.Option("--format", "-f", help="Output format.")] = ResultFormat.table,
    data: Annotated[
        list[Path], typer.Option("--data", "-d", help="Query these files instead of the bundled examples.")
    ] = [],  # noqa: B006
) -> None:
    """Run a catalogue query (or your own .rq file) over the bundled graph."""
    from vskg.graphs import memory_store

    try:
        chosen = resolve(name)
    except KeyError:
        raise _fail(f"no catalogue query named {name!r}; `vskg queries` lists them", EXIT_USAGE) from None
    except CatalogueError as problem:
        raise _fail(str(problem), EXIT_INPUT) from None
    params = _parse_params(param)
    try:
        store = memory_store(data, with_bundled_data=not data)
        result = run(store, chosen, params)
    except ParameterError as problem:
        raise _fail(str(problem), EXIT_USAGE) from None
    except (InputError, CatalogueError) as problem:
        raise _fail(str(problem), EXIT_INPUT) from None
    except SyntaxError as problem:
        raise _fail(f"{chosen.path}: the query is not valid SPARQL: {problem.msg}", EXIT_INPUT) from None
    if isinstance(result, pyoxigraph.QueryBoolean):
        out.print("true" if bool(result) else "false")
        return
    if isinstance(result, pyoxigraph.QueryTriples):  # CONSTRUCT and DESCRIBE answer with a graph
        typer.echo(serialize(result, "turtle").decode(), nl=False)
        return
    if fmt is ResultFormat.table:
        table = collect(result)
        view = RichTable(*table.variables, title=chosen.title)
        for row in table.rows:
            view.add_row(*(display(term) for term in row))
        out.print(view)
        err.print(f"{len(table.rows)} row(s)")
        return
    typer.echo(serialize(result, fmt.value).decode(), nl=False)


@app.command()
def queries(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """List the query catalogue with each query's parameters."""
    entries = catalogue()
    if fmt == "json":
        out.print_json(json.dumps([q.metadata() for q in entries.values()]))
        return
    view = RichTable("name", "title", "parameters")
    for entry in entries.values():
        params = ", ".join(f"{p.name}:{p.type}" + ("*" if p.required else "") for p in entry.parameters)
        view.add_row(entry.name, entry.title, params)
    out.print(view)


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="Ontology files; the bundled ontology if none.")] = [],  # noqa: B006
) -> None:
    """Check that the ontology and schemes are OWL 2 DL (OWL API) and consistent (HermiT)."""
    from vskg.check import JavaMissing
    from vskg.check import check as run_checks

    try:
        with err.status("reasoning", spinner="dots"):
            results = run_checks(files or None)
    except InputError as problem:
        raise _fail(str(problem), EXIT_INPUT) from None
    except JavaMissing as problem:
        raise _fail(str(problem), EXIT_USAGE) from None
    for result in results:
        mark = "[green]pass[/]" if result.passed else "[bold red]FAIL[/]"
        out.print(f"{mark} {result.name}", highlight=False)
        for detail in result.details:
            out.print(f"  {detail}", markup=False, highlight=False)
    raise typer.Exit(EXIT_OK if all(r.passed for r in results) else EXIT_PROBLEMS)
