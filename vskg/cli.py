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
from rich.table import Table as RichTable

from vskg import __version__
from vskg.catalogue import CatalogueError, ParameterError, catalogue, resolve, run
from vskg.commands.common import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    BackendOption,
    BackendStoreOption,
    BackendUpdateOption,
    StoreOption,
    err,
    fail,
    open_store,
    out,
)
from vskg.commands.strict import StrictOption
from vskg.rdfio import InputError
from vskg.results import collect, display, serialize

app = typer.Typer(
    help="vskg: the value stream knowledge graph. Validate models, query the catalogue, check the ontology.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    turtle = "turtle"


class ResultFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


@app.callback(invoke_without_command=True)
def main(version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False) -> None:
    if version:
        out.print(f"vskg {__version__}")
        raise typer.Exit()


class Engine(StrEnum):
    sparql = "sparql"
    pyshacl = "pyshacl"


@app.command()
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
    try:
        with err.status("validating", spinner="dots"):
            report = _validated(files or [], store, engine)
    except InputError as problem:
        raise fail(str(problem), EXIT_INPUT) from None
    if fmt is ReportFormat.json:
        out.print_json(json.dumps(report.as_dict()))
    elif fmt is ReportFormat.turtle:
        assert report.graph is not None
        out.print(report.graph.serialize(format="turtle"), markup=False, highlight=False)
    else:
        _print_report(report)
    raise typer.Exit(EXIT_OK if report.conforms else EXIT_PROBLEMS)


def _validated(files: list[Path], store: Path | None, engine: Engine):
    if engine is Engine.pyshacl:
        from vskg.validate import validate_files as reference

        return reference(files)
    from vskg.validation.engine import validate_files
    from vskg.validation.fullrun import validate_store

    if store is None:
        return validate_files(files)
    from vskg.store import store_path

    if not store_path(store).exists():
        raise fail(f"there is no store at {store_path(store)}; give the folder of an existing store", EXIT_INPUT)
    db = open_store(store, read_only=True)
    try:
        return validate_store(db)
    finally:
        db.close()


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
            raise fail(f"--param expects key=value, got {pair!r}", EXIT_USAGE)
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
        raise fail(f"no catalogue query named {name!r}; `vskg queries` lists them", EXIT_USAGE) from None
    except CatalogueError as problem:
        raise fail(str(problem), EXIT_INPUT) from None
    params = _parse_params(param)
    try:
        store = memory_store(data, with_bundled_data=not data)
        result = run(store, chosen, params)
    except ParameterError as problem:
        raise fail(str(problem), EXIT_USAGE) from None
    except (InputError, CatalogueError) as problem:
        raise fail(str(problem), EXIT_INPUT) from None
    except SyntaxError as problem:
        raise fail(f"{chosen.path}: the query is not valid SPARQL: {problem.msg}", EXIT_INPUT) from None
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


# --- the persistent store and the service ---------------------------------------------------------------------


@app.command()
def init(
    store: StoreOption = None,
    backend: BackendOption = None,
    backend_update: BackendUpdateOption = None,
    backend_store: BackendStoreOption = None,
) -> None:
    """Load the bundled ontology, schemes, shapes and examples into the store, one named graph per file."""
    from rich.progress import Progress

    from vskg.store.bundled import init_bundled

    db = open_store(store, backend=backend, backend_update=backend_update, backend_store=backend_store)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("loading", total=None)
        loaded = init_bundled(db, progress=lambda name: progress.update(task, description=f"loading {name}"))
    db.close()
    where = backend or db.path
    out.print(f"loaded {len(loaded)} graphs, {sum(n for _, n in loaded)} triples into {where}", highlight=False)


@app.command()
def load(
    files: Annotated[
        list[Path],
        typer.Argument(help="RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) or link reviews (.csv)."),
    ],
    graph: Annotated[
        str | None, typer.Option("--graph", help="Named graph IRI (one file only); default: the file's file: IRI.")
    ] = None,
    store: StoreOption = None,
    backend: BackendOption = None,
    backend_update: BackendUpdateOption = None,
    backend_store: BackendStoreOption = None,
    strict: StrictOption = False,
) -> None:
    """Load files into the store; a file replaces its graph atomically, a bad file changes nothing.

    A .csv file is a link review written by `vskg link`: its accepted rows are added to the links graph. With
    --strict, a file whose graph would add a SHACL Violation is not loaded (exit 1, the findings printed).
    """
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    from vskg.link import LINKS_GRAPH, load_links

    if graph is not None and len(files) > 1:
        raise fail("--graph names one graph, so give one file with it", EXIT_USAGE)
    if strict and any(path.suffix.lower() == ".csv" for path in files):
        raise fail("--strict checks RDF files; load link reviews (.csv) without it", EXIT_USAGE)
    db = open_store(store, backend=backend, backend_update=backend_update, backend_store=backend_store)
    try:
        if strict:
            _load_strictly(db, files, graph)
            return
        with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), console=err) as progress:
            for path in files:
                if path.suffix.lower() == ".csv":
                    added = load_links(db, path)
                    out.print(f"{path}: {added} new link(s) into <{LINKS_GRAPH}>", highlight=False)
                    continue
                task = progress.add_task(f"loading {path.name}", total=None)
                iri, count = db.load_file(
                    path, graph, progress=lambda done, total, t=task: progress.update(t, completed=done, total=total)
                )
                out.print(f"{path}: {count} triples into <{iri}>", highlight=False)
    except InputError as problem:
        raise fail(f"{problem} (the store is unchanged for this file)", EXIT_INPUT) from None
    finally:
        db.close()


def _load_strictly(db, files: list[Path], graph: str | None) -> None:
    """Each file replaces its graph through the write gate (`vskg.commands.strict`); a refused one exits 1."""
    from vskg.analytics.live import Change
    from vskg.commands.strict import strict_write
    from vskg.rdfio import parse_file

    for path in files:
        iri = graph or path.resolve().as_uri()
        quads = parse_file(path, iri)
        strict_write(db, Change.replaced(iri, quads), lambda store, q=quads, g=iri: store.replace_graph(g, q))
        out.print(f"{path}: {len(quads)} triples into <{iri}>", highlight=False)


class DumpFormat(StrEnum):
    nquads = "nquads"
    trig = "trig"


@app.command()
def dump(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write; standard output if absent.")
    ] = None,
    fmt: Annotated[DumpFormat, typer.Option("--format", "-f", help="Dataset format.")] = DumpFormat.nquads,
    store: StoreOption = None,
    backend: BackendOption = None,
    backend_update: BackendUpdateOption = None,
    backend_store: BackendStoreOption = None,
) -> None:
    """Write every graph of the store as N-Quads or TriG."""
    import sys

    from pyoxigraph import RdfFormat

    db = open_store(store, backend=backend, backend_update=backend_update, backend_store=backend_store)
    rdf = RdfFormat.N_QUADS if fmt is DumpFormat.nquads else RdfFormat.TRIG
    try:
        if output is None:
            db.dump(sys.stdout.buffer, rdf)
            sys.stdout.flush()
        else:
            db.dump(output, rdf)
            err.print(f"wrote {output}")
    finally:
        db.close()


@app.command()
def backup(
    target: Annotated[Path, typer.Argument(help="A new (or empty) folder for the copy.")], store: StoreOption = None
) -> None:
    """Copy the store to a folder, usable later as a store itself (--store TARGET)."""
    db = open_store(store)
    try:
        db.backup(target)
    except FileExistsError as problem:
        raise fail(str(problem), EXIT_USAGE) from None
    finally:
        db.close()
    out.print(f"backed up {db.path} to {target}", highlight=False)


@app.command()
def stats(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    store: StoreOption = None,
    backend: BackendOption = None,
    backend_update: BackendUpdateOption = None,
    backend_store: BackendStoreOption = None,
) -> None:
    """Triples per graph, and instances per class across the store."""
    db = open_store(store, backend=backend, backend_update=backend_update, backend_store=backend_store)
    summary = db.stats()
    db.close()
    if fmt == "json":
        out.print_json(
            json.dumps(
                {
                    "triples": summary.triples,
                    "graphs": {g.graph: g.triples for g in summary.graphs},
                    "classes": dict(summary.classes),
                }
            )
        )
        return
    graphs = RichTable("graph", "triples", title=f"{summary.triples} triples in {len(summary.graphs)} graphs")
    for entry in summary.graphs:
        graphs.add_row(entry.graph, str(entry.triples))
    out.print(graphs)
    classes = RichTable("class", "instances", title="instances per class")
    for name, count in summary.classes:
        classes.add_row(display(pyoxigraph.NamedNode(name)), str(count))
    out.print(classes)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    store: StoreOption = None,
    write_token_file: Annotated[
        Path | None, typer.Option("--write-token-file", help="File holding the bearer token that enables writes.")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Query time limit in seconds.")] = 10.0,
    workers: Annotated[
        int,
        typer.Option(
            help="Queries run on the engine at once; others wait their turn (a time limit counts from the start)."
        ),
    ] = 2,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="Public URL of the service (e.g. behind a proxy); new graph IRIs and Location headers use it "
            "(default: $VSKG_BASE_URL; without one, Location headers are relative).",
            show_default=False,
        ),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="A Host header name to answer to, besides the listening interface, 127.0.0.1, localhost and "
            "[::1] (repeat it; also $VSKG_ALLOWED_HOSTS, space-separated; '*' allows any). Others get a 400.",
            show_default=False,
        ),
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option(
            help="A SPARQL server's query endpoint to serve instead of the store folder ($VSKG_BACKEND).",
            show_default=False,
        ),
    ] = None,
    backend_update: Annotated[
        str | None,
        typer.Option(
            help="Its update endpoint (default: the query endpoint; $VSKG_BACKEND_UPDATE).", show_default=False
        ),
    ] = None,
    backend_store: Annotated[
        str | None,
        typer.Option(
            help="Its Graph Store endpoint (default: none, writes go through updates; $VSKG_BACKEND_STORE).",
            show_default=False,
        ),
    ] = None,
    validate_writes: Annotated[
        bool,
        typer.Option(
            "--validate-writes",
            help="Refuse (422, nothing written) any update, Graph Store write or import that would add a SHACL "
            "Violation; Warnings and Infos pass and come back in the response ($VSKG_VALIDATE_WRITES=1).",
        ),
    ] = False,
) -> None:
    """Serve the SPARQL endpoint, the graph store, the catalogue and validation over HTTP."""
    from dataclasses import replace

    from vskg.service.app import create_app
    from vskg.service.serving import serve as serve_app
    from vskg.service.settings import Settings

    try:
        remote = {"backend": backend, "backend_update": backend_update, "backend_store": backend_store}
        remote = {key: value for key, value in remote.items() if value}
        if validate_writes:
            remote["validate_writes"] = True
        settings = Settings.from_env(store, write_token_file, query_timeout=timeout, workers=workers, **remote)
        settings = replace(
            settings,
            base_url=base_url or settings.base_url,
            allowed_hosts=(*settings.allowed_hosts, host, *(allow_host or [])),
        )
    except ValueError as problem:
        raise fail(str(problem), EXIT_USAGE) from None
    if not settings.backend:
        db = open_store(settings.store)  # fail early, with a clear message, if the store is locked or unreadable
        db.close()
    mode = "writes enabled with a token" if settings.write_token else "read-only"
    if settings.write_token and settings.validate_writes:
        mode += ", each checked against the shapes"
    err.print(
        f"vskg serving {settings.backend or settings.store} on http://{host}:{port}/ ({mode}); docs at /docs",
        highlight=False,
    )
    raise typer.Exit(serve_app(create_app(settings), host, port))


# --- linking to other repositories (their commands live in vskg.commands) -------------------------------------


def _register_linking_commands() -> None:
    from vskg.commands import analyse as analyse_command
    from vskg.commands import docs as docs_command
    from vskg.commands import link as link_command
    from vskg.commands import map as map_command
    from vskg.commands import remote, tabular
    from vskg.commands.archimate import export_app, import_app
    from vskg.commands.archimate_csv import export_csv, import_csv

    import_app.command("archimate-csv")(import_csv)
    export_app.command("archimate-csv")(export_csv)
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")
    app.command("import-table")(tabular.import_table)
    app.command("pull")(remote.pull)
    app.command("link")(link_command.link)
    app.command("docs")(docs_command.docs)
    app.command("analyse")(analyse_command.analyse)
    app.command("map")(map_command.draw_map)


_register_linking_commands()
