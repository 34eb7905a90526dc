"""``vskg map``: draw a value stream map, or the portfolio's MCA alignment matrix, as an SVG file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from vskg.commands.common import (
    EXIT_INPUT,
    EXIT_USAGE,
    WORKBENCH_PANEL,
    StoreOption,
    err,
    existing_store,
    fail,
    iri_from_user,
)


def register(app: typer.Typer) -> None:
    app.command("map", rich_help_panel=WORKBENCH_PANEL)(draw_map)


def draw_map(
    stream: Annotated[
        str | None,
        typer.Argument(
            help="The value stream: its IRI or its key, e.g. banking/mortgage-lending. With --portfolio: a "
            "vskg:ValueStreamPortfolio (IRI or key, e.g. platform/portfolio); all streams if left out.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The .svg file to write; standard output if absent.")
    ] = None,
    portfolio: Annotated[
        bool, typer.Option("--portfolio", help="Draw the matrix of streams and MCA dimensions instead of one stream.")
    ] = False,
    store: StoreOption = None,
) -> None:
    """Draw a value stream map (stages, handoffs, capabilities, systems, bottlenecks) as a printable SVG."""
    from vskg.analytics import NotFound, analyse_portfolio, analyse_stream
    from vskg.maps import render_portfolio_map, render_stream_map

    if stream is None and not portfolio:
        raise fail(
            "name the value stream to draw (an IRI or a key such as banking/mortgage-lending), or --portfolio",
            EXIT_USAGE,
        )
    db = existing_store(store)
    try:
        if portfolio:
            picture = render_portfolio_map(analyse_portfolio(db, iri_from_user(stream) if stream else None))
        else:
            assert stream is not None
            picture = render_stream_map(analyse_stream(db, iri_from_user(stream)))
    except NotFound as problem:
        hint = "" if portfolio else "; `vskg query value-streams` lists them"
        raise fail(f"{problem}{hint}", EXIT_USAGE) from None
    finally:
        db.close()
    if output is None:
        sys.stdout.write(picture)
        sys.stdout.flush()
        return
    try:
        output.write_text(picture, encoding="utf-8")
    except OSError as problem:
        raise fail(f"cannot write {output}: {problem.strerror or problem}", EXIT_INPUT) from None
    err.print(f"wrote {output}", highlight=False, markup=False)
