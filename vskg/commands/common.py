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


def fail(message: str, code: int) -> typer.Exit:
    """Print an error for a person and return the exit to raise."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def open_store(location: Path | None, *, read_only: bool = False):
    """Open the store a command works on, or exit 3 saying why (most often: `vskg serve` owns it)."""
    from vskg.store import LocalStore, StoreInUse, check_not_served, store_path

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
