"""``vskg link``: propose links between an imported graph and the rest of the store, and load reviewed links."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from vskg.commands.common import (
    EXCHANGE_PANEL,
    EXIT_INPUT,
    EXIT_USAGE,
    StoreOption,
    err,
    existing_store,
    fail,
    open_store,
    out,
)


def register(app: typer.Typer) -> None:
    app.command("link", rich_help_panel=EXCHANGE_PANEL)(link)


def link(
    graph: Annotated[
        str | None, typer.Option("--graph", help="The imported graph whose elements are to be linked.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Review file to write (CSV); standard output if absent.")
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", min=0, max=100, help="Lowest label similarity (0-100) proposed.")
    ] = 80.0,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Candidates proposed per element at most.")] = 3,
    load: Annotated[
        Path | None,
        typer.Option("--load", help="Load a reviewed file: rows marked yes go to the links graph."),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Propose links for the elements of --graph (to review), or --load the reviewed file into the links graph."""
    from vskg.link import LINKS_GRAPH, load_links, propose, write_proposals
    from vskg.rdfio import InputError

    if (graph is None) == (load is None):
        raise fail("give either --graph (to propose links) or --load FILE (to load reviewed links)", EXIT_USAGE)
    db = open_store(store) if load is not None else existing_store(store)  # proposing only reads
    try:
        if load is not None:
            try:
                added = load_links(db, load)
            except InputError as problem:
                raise fail(f"{problem} (nothing was loaded)", EXIT_INPUT) from None
            out.print(f"{added} new links into <{LINKS_GRAPH}>", highlight=False)
            return
        assert graph is not None
        try:
            proposals = propose(db, graph, threshold=threshold, limit=limit)
        except LookupError as problem:
            raise fail(str(problem), EXIT_USAGE) from None
    finally:
        db.close()
    write_proposals(proposals, output if output is not None else sys.stdout)
    err.print(f"{len(proposals)} proposed links" + (f" written to {output}" if output else ""), highlight=False)
