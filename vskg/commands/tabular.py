"""``vskg import-table``: import CSV or XLSX tables into a named graph through a W3C CSVW mapping."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from urllib.parse import urlparse
from urllib.request import url2pathname

import typer

from vskg.commands.common import EXCHANGE_PANEL, EXIT_INPUT, EXIT_USAGE, StoreOption, fail, open_store, out
from vskg.commands.strict import StrictOption, strict_write


def register(app: typer.Typer) -> None:
    app.command("import-table", rich_help_panel=EXCHANGE_PANEL)(import_table)


def import_table(
    metadata: Annotated[Path, typer.Argument(help="The CSVW metadata file (JSON) describing the table(s).")],
    graph: Annotated[
        str | None, typer.Option("--graph", help="Named graph IRI; default: the metadata file's file: IRI.")
    ] = None,
    store: StoreOption = None,
    strict: StrictOption = False,
) -> None:
    """Convert the tables a CSVW metadata file describes (csv2rdf) and replace the graph with the result.

    The graph also records where it came from (PROV-O: the files used, by content hash, and when).
    """
    from pyoxigraph import NamedNode

    from vskg.provenance import table_import_record
    from vskg.rdfio import InputError
    from vskg.tabular import convert, read_metadata, to_quads

    target = graph or metadata.resolve().as_uri()
    try:
        NamedNode(target)
    except ValueError:
        raise fail(f"--graph must be an absolute IRI, got {graph!r}", EXIT_USAGE) from None
    started = datetime.now(UTC).isoformat()
    try:
        triples = convert(metadata)
        tables = [Path(url2pathname(urlparse(table.url).path)) for table in read_metadata(metadata)]
    except InputError as problem:
        raise fail(f"{problem} (nothing was written)", EXIT_INPUT) from None
    record = table_import_record(target, metadata, tables, len(triples), started, datetime.now(UTC).isoformat())
    db = open_store(store)
    quads = to_quads(triples, target) + record
    try:
        if strict:
            from vskg.analytics.live import Change

            strict_write(db, Change.replaced(target, quads), lambda store: store.replace_graph(target, quads))
        else:
            db.replace_graph(target, quads)
    finally:
        db.close()
    out.print(f"{metadata}: {len(triples)} triples into <{target}>", highlight=False)
