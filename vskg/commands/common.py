"""What every vskg command shares: the --store option, the consoles, exit codes, the help panels and opening
the store.

Every command module of ``vskg.commands`` reports errors and opens the store through these, so a locked store, a
missing store or a bad file reads the same whichever command met it, and registers its commands with
``register(app)`` under one of the panels below, so ``vskg --help`` shows them grouped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3

# The panels of `vskg --help`, in the order they are shown (the order `vskg.cli` registers the modules in).
STORE_PANEL = "Store"
QUERY_PANEL = "Query"
VALIDATE_PANEL = "Validate"
EXCHANGE_PANEL = "Import and export"
WORKBENCH_PANEL = "Workbench"
ONTOLOGY_PANEL = "Ontology"
PANELS = (STORE_PANEL, QUERY_PANEL, VALIDATE_PANEL, EXCHANGE_PANEL, WORKBENCH_PANEL, ONTOLOGY_PANEL)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="Store folder (default: $VSKG_STORE, else ./.vskg/store).", show_default=False),
]


BackendOption = Annotated[
    str | None,
    typer.Option(
        "--backend",
        envvar="VSKG_BACKEND",
        help="A SPARQL server's query endpoint to work on instead of the store folder ($VSKG_BACKEND).",
        show_default=False,
    ),
]
BackendUpdateOption = Annotated[
    str | None,
    typer.Option(
        "--backend-update",
        envvar="VSKG_BACKEND_UPDATE",
        help="Its update endpoint, if not the query endpoint ($VSKG_BACKEND_UPDATE).",
        show_default=False,
    ),
]
BackendStoreOption = Annotated[
    str | None,
    typer.Option(
        "--backend-store",
        envvar="VSKG_BACKEND_STORE",
        help="Its Graph Store Protocol endpoint, if it has one ($VSKG_BACKEND_STORE).",
        show_default=False,
    ),
]


def subgroup(app: typer.Typer, name: str, help: str, panel: str) -> typer.Typer:
    """The command group ``name`` of ``app`` (``vskg import``, ``vskg export``), made on first use, so that
    several modules can add their commands to it."""
    for info in app.registered_groups:
        if info.name == name and info.typer_instance is not None:
            return info.typer_instance
    group = typer.Typer(help=help, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
    app.add_typer(group, name=name, rich_help_panel=panel)
    return group


def fail(message: str, code: int) -> typer.Exit:
    """Print an error for a person and return the exit to raise."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def existing_store(
    location: Path | None,
    *,
    writable: bool = False,
    backend: str | None = None,
    backend_update: str | None = None,
    backend_store: str | None = None,
):
    """Open a store that must exist already, or exit 3: commands that read a store never create one.

    Opened read-only unless ``writable`` (a backup flushes it first), so it can be read while `vskg serve` runs.
    """
    from vskg.store import store_path

    if not backend:
        path = store_path(location)
        if not (path / "CURRENT").is_file():
            where = "no such folder" if not path.exists() else "the folder holds no store"
            raise fail(
                f"there is no store at {path} ({where}); give the folder of an existing store with --store, or "
                "run `vskg init` to make one there",
                EXIT_INPUT,
            )
    return open_store(
        location,
        read_only=not writable,
        backend=backend,
        backend_update=backend_update,
        backend_store=backend_store,
    )


def open_store(
    location: Path | None,
    *,
    read_only: bool = False,
    backend: str | None = None,
    backend_update: str | None = None,
    backend_store: str | None = None,
):
    """Open the store a command works on, or exit 3 saying why (most often: `vskg serve` owns it).

    With ``backend`` (a SPARQL query endpoint), the command works on that server instead of the folder.
    """
    from vskg.store import LocalStore, StoreInUse, check_not_served, store_path

    if backend:
        from vskg.store.opening import remote_store

        return remote_store(backend, backend_update, backend_store)

    path = store_path(location)
    try:
        if not read_only:
            check_not_served(path)
        return LocalStore(path, read_only=read_only)
    except OSError as problem:
        if read_only and isinstance(problem, StoreInUse):
            raise fail(str(problem), EXIT_INPUT) from None  # a write is under way: its data is not readable yet
        if isinstance(problem, StoreInUse) or "lock" in str(problem).lower():
            raise fail(
                f"the store {path} is in use by another process (is `vskg serve` running?); stop it, or load "
                "through the running server's HTTP endpoints (/store, /import/archimate)",
                EXIT_INPUT,
            ) from None
        raise fail(f"cannot open the store {path}: {problem}", EXIT_INPUT) from None


def iri_from_user(text: str) -> str:
    """The IRI a user means: a full IRI (with or without <>), a prefixed name as the tables print them
    (data:banking/mortgage-lending, vskg:Capability), or a short key of `vskg.keys` (banking/mortgage-lending)."""
    from vskg.keys import data_iri
    from vskg.results import DISPLAY_PREFIXES

    text = text.strip().removeprefix("<").removesuffix(">")
    prefix, colon, rest = text.partition(":")
    if colon and not rest.startswith("//") and prefix in DISPLAY_PREFIXES:
        return DISPLAY_PREFIXES[prefix] + rest
    return text if colon else data_iri(text)
