"""``vskg import archimate-csv`` / ``vskg export archimate-csv``: Archi's CSV export files in and out of the store.

Archi writes a model as elements.csv, relations.csv and properties.csv; these commands read such a set into a named
graph and write one imported model back as such a set (``vskg import archimate`` reads them too).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vskg.commands.archimate import EXPORT_HELP, IMPORT_HELP
from vskg.commands.common import (
    EXCHANGE_PANEL,
    EXIT_INPUT,
    EXIT_USAGE,
    BackendOption,
    BackendStoreOption,
    BackendUpdateOption,
    StoreOption,
    existing_store,
    fail,
    open_store,
    out,
    subgroup,
)
from vskg.commands.strict import StrictOption, strict_write


def register(app: typer.Typer) -> None:
    subgroup(app, "import", IMPORT_HELP, EXCHANGE_PANEL).command("archimate-csv")(import_csv)
    subgroup(app, "export", EXPORT_HELP, EXCHANGE_PANEL).command("archimate-csv")(export_csv)


def _check_iri(graph: str | None) -> None:
    from pyoxigraph import NamedNode

    if graph is None:
        return
    try:
        NamedNode(graph)
    except ValueError:
        raise fail(f"--graph must be an absolute IRI, got {graph!r}", EXIT_USAGE) from None


def import_csv(
    location: Annotated[
        Path,
        typer.Argument(
            help="A folder holding elements.csv (relations.csv and properties.csv if present), or a file prefix "
            "such as exports/MyModel- for exports/MyModel-elements.csv ..."
        ),
    ],
    graph: Annotated[
        str | None,
        typer.Option(
            "--graph",
            help="Named graph to replace; default https://w3id.org/vskg/graph/archimate/{model ID}.",
            show_default=False,
        ),
    ] = None,
    store: StoreOption = None,
    backend: BackendOption = None,
    backend_update: BackendUpdateOption = None,
    backend_store: BackendStoreOption = None,
    strict: StrictOption = False,
) -> None:
    """Read an Archi CSV export into its own named graph (all or nothing: bad input changes nothing)."""
    from datetime import UTC, datetime

    from vskg.archimate.csv_tables import read_location
    from vskg.archimate.importer import build_model_import, write_import
    from vskg.rdfio import InputError

    _check_iri(graph)
    started = datetime.now(UTC)
    try:
        model, sources = read_location(location)
        quads, summary = build_model_import(model, sources, graph, started)
    except InputError as problem:
        raise fail(f"{problem} (nothing was imported)", EXIT_INPUT) from None
    db = open_store(store, backend=backend, backend_update=backend_update, backend_store=backend_store)
    try:
        if strict:
            from vskg.analytics.live import Change

            change = Change.replaced(summary.graph, quads)
            strict_write(db, change, lambda store: write_import(store, quads, summary))
        else:
            write_import(db, quads, summary)
    finally:
        db.close()
    for line in summary.lines():
        out.print(line, highlight=False, markup=False)


def export_csv(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the three CSV files into.")],
    prefix: Annotated[str, typer.Option("--prefix", help="File name prefix, e.g. 'MyModel-'.")] = "",
    graph: Annotated[
        str | None,
        typer.Option("--graph", help="Named graph holding the model; needed when several graphs hold one."),
    ] = None,
    model: Annotated[str | None, typer.Option("--model", help="Model ID, when the graph holds several models.")] = None,
    store: StoreOption = None,
) -> None:
    """Write one ArchiMate model of the store as Archi's elements.csv, relations.csv and properties.csv."""
    from vskg.archimate.csv_tables import ExportError, write_tables
    from vskg.archimate.writer import model_graphs, stored_models

    _check_iri(graph)
    if "/" in prefix or "\\" in prefix:
        raise fail("--prefix is a file name prefix and cannot hold a folder separator", EXIT_USAGE)
    db = existing_store(store)
    try:
        if graph is None:
            graphs = model_graphs(db)
            if len(graphs) != 1:
                listed = ", ".join(f"<{g}>" for g in graphs) or "none"
                raise fail(f"choose the graph with --graph; graphs holding an ArchiMate model: {listed}", EXIT_USAGE)
            graph = graphs[0]
        elif not db.has_graph(graph):
            raise fail(f"the store has no graph <{graph}>", EXIT_INPUT)
        models = stored_models(db, graph)
    finally:
        db.close()
    if model is not None:
        models = [m for m in models if m.identifier == model]
    if len(models) != 1:
        found = f" with ID {model!r}" if model else ""
        reason = (
            f"the graph holds several ArchiMate models ({', '.join(m.identifier for m in models)}); choose one with "
            "--model"
            if models
            else f"no ArchiMate model (am:Model) in the graph{found}"
        )
        raise fail(f"<{graph}>: {reason} (nothing was written)", EXIT_INPUT)
    try:
        written = write_tables(models[0], output, prefix)
    except ExportError as problem:
        raise fail(f"<{graph}>: {problem} (nothing was written)", EXIT_INPUT) from None
    for path in written:
        out.print(f"wrote {path}", highlight=False, markup=False)
