"""The ``vskg`` command line: the app, its description, and the command modules registered in panel order.

Every command lives in a module of `vskg.commands` whose ``register(app)`` adds it under a help panel; the order
below is the order of the panels in ``vskg --help`` (store, query, validate, import and export, workbench,
ontology), and `tools/cli_reference.py` writes docs/cli.md from the same app.

Exit codes are part of the interface, so scripts and CI can rely on them:
0 success (or the model conforms), 1 the check ran and found problems (violations, a failed OWL check, a write
refused by --strict), 2 usage error (unknown query, bad parameter, bad option), 3 unreadable input (file, line and
reason are printed) or no store where one must exist.
"""

from __future__ import annotations

from typing import Annotated

import typer

from vskg import __version__
from vskg.commands import (
    analyse,
    archimate,
    archimate_csv,
    check,
    docs,
    link,
    map,
    query,
    remote,
    serve,
    store,
    tabular,
    validate,
)
from vskg.commands.common import out

DESCRIPTION = """vskg: the value stream knowledge graph.

Keep value streams, their stages and handoffs, and the capabilities, systems and teams behind them in a local RDF
store (`vskg init` loads the bundled ontology and examples into ./.vskg/store, or $VSKG_STORE, or --store), query
it with the named catalogue queries, validate models against the SHACL shapes, bring in ArchiMate models and
spreadsheets, and serve the SPARQL endpoint and the architect's workbench. Exit codes: 0 done, 1 problems found,
2 usage error, 3 unreadable input or no store."""

# In the order of the panels of `vskg --help`.
MODULES = (store, query, validate, archimate, archimate_csv, tabular, remote, link, serve, analyse, map, check, docs)

app = typer.Typer(
    help=DESCRIPTION,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


@app.callback(invoke_without_command=True)
def main(version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False) -> None:
    if version:
        out.print(f"vskg {__version__}")
        raise typer.Exit()


for module in MODULES:
    module.register(app)
