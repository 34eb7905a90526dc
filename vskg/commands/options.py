"""Command-line options shared by every vskg command that opens the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="Store folder (default: $VSKG_STORE, else ./.vskg/store).", show_default=False),
]
