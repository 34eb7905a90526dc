"""What every vskg command shares: the --store option, the consoles, exit codes and opening the store.

The commands of ``vskg.cli`` and of the ``vskg.commands`` modules all report errors and open the store the same
way, so a locked store or a bad file reads the same whichever command met it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3

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


def fail(message: str, code: int) -> typer.Exit:
    """Print an error for a person and return the exit to raise."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


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
