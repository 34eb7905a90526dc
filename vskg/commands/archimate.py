"""`vskg import archimate` and `vskg export archimate`: ArchiMate exchange files (and Archi files) in and out.

``register(app)`` adds ``archimate`` to the ``vskg import`` and ``vskg export`` groups. Exit codes as the main CLI:
0 done, 1 refused by --strict, 2 usage or nothing to export, 3 unreadable input (nothing written) or no store.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

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
from vskg.rdfio import InputError

IMPORT_HELP = "Import models from other tools into the store (ArchiMate exchange, Archi and Archi CSV files)."
EXPORT_HELP = "Export the store's models in other tools' formats (ArchiMate exchange XML, Archi CSV)."


def register(app: typer.Typer) -> None:
    subgroup(app, "import", IMPORT_HELP, EXCHANGE_PANEL).command("archimate")(import_archimate)
    subgroup(app, "export", EXPORT_HELP, EXCHANGE_PANEL).command("archimate")(export_archimate)


GraphOption = Annotated[str | None, typer.Option("--graph", help="Named graph IRI.", show_default=False)]


def import_archimate(
    file: Annotated[
        Path,
        typer.Argument(
            help="An exchange-format .xml file, an Archi .archimate (plain or zip), or an Archi CSV export: its "
            "folder, its file prefix (exports/MyModel-) or a zip of its files."
        ),
    ],
    graph: GraphOption = None,
    store: StoreOption = None,
    backend: BackendOption = None,
    backend_update: BackendUpdateOption = None,
    backend_store: BackendStoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    strict: StrictOption = False,
) -> None:
    """Import an ArchiMate model into its own named graph (default https://w3id.org/vskg/graph/archimate/{modelId})."""
    from vskg.archimate.importer import build_path_import, write_import
    from vskg.store.bundled import ensure_vocabulary

    try:
        quads, summary = build_path_import(file, graph)
    except InputError as problem:
        raise fail(f"{problem} (nothing was written)", EXIT_INPUT) from None
    db = open_store(store, backend=backend, backend_update=backend_update, backend_store=backend_store)
    checked = None
    try:
        if strict:
            from vskg.validation.gate import import_change, report_of

            def write(store) -> list[str]:
                write_import(store, quads, summary)
                return ensure_vocabulary(store)

            change = import_change(db, summary.graph, quads)
            added, findings = strict_write(db, change, write, as_json=as_json)
            checked = report_of(findings)
        else:
            write_import(db, quads, summary)
            added = ensure_vocabulary(db)
    finally:
        db.close()
    if as_json:
        extra = {"validation": checked} if checked is not None else {}
        out.print_json(json.dumps({**summary.as_dict(), "vocabulary_added": added, **extra}))
    else:
        for line in summary.lines():
            out.print(line, highlight=False, markup=False)
        if added:
            out.print(
                f"  added the bundled ontology and schemes the store lacked: {len(added)} graphs", highlight=False
            )


def export_archimate(
    output: Annotated[Path, typer.Option("--output", "-o", help="The exchange .xml file to write.")],
    graph: GraphOption = None,
    store: StoreOption = None,
) -> None:
    """Write an ArchiMate exchange file: an imported model (--graph), or the vskg data of the store or of one graph."""
    from vskg.archimate.writer import ExportError, export_store

    db = existing_store(store)
    try:
        xml = export_store(db, graph)
    except ExportError as problem:
        raise fail(str(problem), EXIT_USAGE) from None
    finally:
        db.close()
    output.write_bytes(xml)
    out.print(f"wrote {output} ({len(xml)} bytes)", highlight=False, markup=False)
