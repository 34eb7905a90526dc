"""The store commands: `vskg init`, `load`, `dump`, `backup` and `stats`.

They fill the local store (a pyoxigraph folder, or a SPARQL server given with --backend) and look at it. `init` and
`load` make the store if it is missing; `dump`, `backup` and `stats` only read it, so a mistyped --store is an error
(exit 3), never a new empty store.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pyoxigraph
import typer

from vskg.commands.common import (
    EXIT_INPUT,
    EXIT_USAGE,
    STORE_PANEL,
    BackendOption,
    BackendStoreOption,
    BackendUpdateOption,
    StoreOption,
    err,
    existing_store,
    fail,
    open_store,
    out,
)
from vskg.commands.strict import StrictOption
from vskg.commands.tables import add_row, hint_for, show, table
from vskg.rdfio import InputError


def register(app: typer.Typer) -> None:
    for command in (init, load, dump, backup, stats):
        app.command(rich_help_panel=STORE_PANEL)(command)


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

    db = existing_store(store, backend=backend, backend_update=backend_update, backend_store=backend_store)
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


def backup(
    target: Annotated[Path, typer.Argument(help="A new (or empty) folder for the copy.")], store: StoreOption = None
) -> None:
    """Copy the store to a folder, usable later as a store itself (--store TARGET)."""
    db = existing_store(store, writable=True)
    try:
        db.backup(target)
    except FileExistsError as problem:
        raise fail(str(problem), EXIT_USAGE) from None
    finally:
        db.close()
    out.print(f"backed up {db.path} to {target}", highlight=False)


class StatsFormat(StrEnum):
    table = "table"
    json = "json"


def stats(
    fmt: Annotated[StatsFormat, typer.Option("--format", "-f", help="Output format.")] = StatsFormat.table,
    store: StoreOption = None,
    backend: BackendOption = None,
    backend_update: BackendUpdateOption = None,
    backend_store: BackendStoreOption = None,
) -> None:
    """Triples per graph, and instances per class across the store."""
    from vskg.results import display

    db = existing_store(store, backend=backend, backend_update=backend_update, backend_store=backend_store)
    summary = db.stats()
    db.close()
    if fmt is StatsFormat.json:
        document = {
            "triples": summary.triples,
            "graphs": {g.graph: g.triples for g in summary.graphs},
            "classes": dict(summary.classes),
        }
        out.print_json(json.dumps(document))
        return
    graphs = table("graph", "triples", title=f"{summary.triples} triples in {len(summary.graphs)} graphs")
    for entry in summary.graphs:
        add_row(graphs, entry.graph, str(entry.triples))
    show(graphs)
    classes = table("class", "instances", title="instances per class")
    for name, count in summary.classes:
        add_row(classes, display(pyoxigraph.NamedNode(name)), str(count))
    show(classes, hint=hint_for(["json"]))
