"""``vskg pull``: mirror a remote SPARQL CONSTRUCT into a named graph of the store, with provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vskg.commands.common import EXCHANGE_PANEL, EXIT_INPUT, EXIT_USAGE, StoreOption, fail, open_store, out


def register(app: typer.Typer) -> None:
    app.command("pull", rich_help_panel=EXCHANGE_PANEL)(pull)


def pull(
    endpoint: Annotated[str, typer.Argument(help="The remote SPARQL query endpoint (http or https URL).")],
    query: Annotated[Path, typer.Option("--query", "-q", help="A .rq file holding a CONSTRUCT or DESCRIBE query.")],
    graph: Annotated[str, typer.Option("--graph", help="The named graph to replace with the answer.")],
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for the endpoint.")] = 30.0,
    store: StoreOption = None,
) -> None:
    """Run a CONSTRUCT query on another endpoint and replace GRAPH with its answer (all or nothing)."""
    from pyoxigraph import NamedNode

    from vskg.pull import PullError
    from vskg.pull import pull as run_pull

    try:
        NamedNode(graph)
    except ValueError:
        raise fail(f"--graph must be an absolute IRI, got {graph!r}", EXIT_USAGE) from None
    try:
        text = query.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise fail(f"{query}: cannot read the query: {problem}", EXIT_INPUT) from None
    db = open_store(store)
    try:
        result = run_pull(db, endpoint, text, graph, timeout=timeout)
    except PullError as problem:
        raise fail(f"{problem} (the store is unchanged)", EXIT_INPUT) from None
    finally:
        db.close()
    summary = f"{result.triples} triples from <{endpoint}> into <{graph}> (activity <{result.activity}>)"
    out.print(summary, highlight=False)
