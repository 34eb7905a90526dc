"""`vskg analyse`: flow figures of a value stream, a portfolio, or the impact of a capability or system.

Reads the local store (the one `vskg init` fills and `vskg serve` serves), so the numbers are those of the data
the architect has loaded, not only the bundled examples. Text output shows every number with its unit; JSON is
the same document the HTTP API returns.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from vskg.analytics.model import (
    Figure,
    Impact,
    PortfolioAnalysis,
    Ref,
    SharedUse,
    StreamAnalysis,
    to_json,
)
from vskg.commands.common import EXIT_USAGE, WORKBENCH_PANEL, StoreOption, err, existing_store, fail, iri_from_user, out
from vskg.commands.tables import hint_for, show
from vskg.keys import data_key


def register(app: typer.Typer) -> None:
    app.command("analyse", rich_help_panel=WORKBENCH_PANEL)(analyse)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def analyse(
    target: Annotated[
        str | None,
        typer.Argument(
            help="The value stream, as an IRI or a key such as banking/mortgage-lending; with --portfolio, the "
            "portfolio (default: every stream). Leave out to list the streams.",
            show_default=False,
        ),
    ] = None,
    portfolio: Annotated[
        bool, typer.Option("--portfolio", help="Analyse a portfolio: TARGET's streams, or every stream.")
    ] = False,
    capability: Annotated[
        str | None, typer.Option("--capability", help="Impact of a capability (IRI or key).", show_default=False)
    ] = None,
    system: Annotated[
        str | None,
        typer.Option("--system", help="Impact of an application system or platform (IRI or key).", show_default=False),
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.text,
    store: StoreOption = None,
) -> None:
    """Flow analytics over the store: lead and process time, activity ratio, rolled %C&A, bottlenecks, coverage.

    `vskg analyse STREAM` analyses one value stream, `vskg analyse --portfolio [PORTFOLIO]` the streams of a
    portfolio side by side, `--capability X` and `--system X` list every stream and stage that depends on X.
    """
    from vskg import analytics

    options = (("--portfolio", portfolio), ("--capability", capability), ("--system", system))
    chosen = [name for name, given in options if given]
    if len(chosen) > 1:
        raise fail(f"{' and '.join(chosen)} cannot be combined; give one", EXIT_USAGE)
    if (capability or system) and target:
        raise fail(f"give either a stream or {chosen[0]}, not both", EXIT_USAGE)
    db = existing_store(store)
    try:
        if portfolio:
            result = analytics.analyse_portfolio(db, _iri(target) if target else None)
        elif capability:
            result = analytics.capability_impact(db, _iri(capability))
        elif system:
            result = analytics.system_impact(db, _iri(system))
        elif target:
            result = analytics.analyse_stream(db, _iri(target))
        else:
            result = analytics.list_streams(db)
    except analytics.NotFound as problem:
        hint = _hint(db, problem)
        raise fail(f"{problem}{hint}", EXIT_USAGE) from None
    finally:
        db.close()
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(_json(result), indent=2, ensure_ascii=False))
    elif isinstance(result, StreamAnalysis):
        print_stream(result)
    elif isinstance(result, PortfolioAnalysis):
        print_portfolio(result)
    elif isinstance(result, Impact):
        print_impact(result)
    else:
        print_streams(result)
    if fmt is OutputFormat.text:
        err.print(hint_for(["json"]), highlight=False, markup=False, style="dim")


def _iri(text: str) -> str:
    """An IRI from what the user typed: an IRI (with or without <>), a prefixed name, or a key."""
    return iri_from_user(text)


def _hint(db, problem: Exception) -> str:
    from vskg.analytics import StreamNotFound, list_streams

    if not list_streams(db):
        return "; the store holds no value streams: run `vskg init` to load the bundled examples"
    if isinstance(problem, StreamNotFound):
        return "; `vskg analyse` without arguments lists the streams"
    return ""


def _json(result):
    from vskg.analytics import shared_systems

    if isinstance(result, tuple):
        return [{"key": data_key(r.iri), **to_json(r)} for r in result]
    body = to_json(result)
    if isinstance(result, PortfolioAnalysis):
        body["shared_systems"] = to_json(shared_systems(result))
    return body


# --- text output -------------------------------------------------------------------------------------------------


def add_row(table: Table, *cells: str) -> None:
    """Add a row whose cells are shown as written: labels from the graph are not rich markup."""
    table.add_row(*(Text(cell) for cell in cells))


def number(value: float | None, digits: int = 1) -> str:
    """A number for a table cell: thousands separated, at most ``digits`` decimals, no trailing zeros."""
    if value is None:
        return "-"
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def figure(fig: Figure) -> str:
    """A figure for a table cell, with its unit; unknown figures read 'unknown'."""
    if fig.value is None:
        return "unknown"
    if fig.unit == "ratio":
        return f"{fig.value:.4f} ({fig.value * 100:.1f}%)"
    if fig.unit == "percent":
        return f"{fig.value:.1f}%"
    return f"{number(fig.value, 2)} {fig.unit}"


def labels(refs: tuple[Ref, ...] | list[Ref]) -> str:
    return ", ".join(r.label for r in refs)


def print_streams(streams: tuple[Ref, ...]) -> None:
    table = Table("key", "value stream", title=f"{len(streams)} value streams")
    for stream in streams:
        add_row(table, data_key(stream.iri), stream.label)
    show(table)


def print_stream(result: StreamAnalysis) -> None:
    where = [r.label for r in (result.organisation, result.industry) if r is not None]
    out.print(
        f"[bold]{escape(result.stream.label)}[/] ({escape('; '.join(where)) or 'no organisation'})", highlight=False
    )
    if result.trigger or result.outcome:
        trigger = result.trigger.label if result.trigger else "?"
        outcome = result.outcome.label if result.outcome else "?"
        out.print(f"{trigger} -> {outcome}", highlight=False, markup=False)
    if result.teams:
        out.print(f"served by {labels(result.teams)}", highlight=False, markup=False)
    totals = Table("figure", "value", "how", title="flow", show_lines=False)
    for name, fig in (
        ("process time", result.process_time),
        ("lead time", result.lead_time),
        ("activity ratio", result.activity_ratio),
        ("rolled %C&A", result.rolled_pca),
        ("capability coverage", result.coverage.figure),
    ):
        add_row(totals, name, figure(fig), fig.method)
    show(totals)
    stages = Table("#", "stage", "process h", "lead h", "wait h", "%C&A", "covered", title="stages")
    support = Table("stage", "capabilities", "systems", "units", title="who and what each stage relies on")
    for stage in result.stages:
        add_row(
            stages,
            "" if stage.order is None else str(stage.order),
            stage.stage.label,
            number(stage.process_hours, 2),
            number(stage.lead_hours, 2),
            number(stage.wait_hours, 2),
            number(stage.pca_percent),
            "yes" if stage.covered else f"no ({labels(stage.unsupported_capabilities) or 'no capability'})",
        )
        add_row(support, stage.stage.label, labels(stage.capabilities), labels(stage.systems), labels(stage.units))
    show(stages)
    show(support)
    handoffs = Table("handoff", "wait h", "queue", "%C&A", "crosses units", title="handoffs")
    for handoff in result.handoffs:
        crossing = f"yes: {labels(handoff.from_units)} -> {labels(handoff.to_units)}" if handoff.crosses_units else "no"
        add_row(
            handoffs,
            handoff.handoff.label,
            number(handoff.wait_hours, 2),
            "-" if handoff.queue_length is None else str(handoff.queue_length),
            number(handoff.pca_percent),
            crossing,
        )
    show(handoffs)
    bottlenecks = Table("kind", "where", "why", "value", title="bottlenecks")
    for found in result.bottlenecks:
        add_row(bottlenecks, found.kind, found.subject.label, found.reason, figure(found.figure))
    show(bottlenecks)
    alignment = Table("MCA dimension", "rationale", title="MCA alignment")
    for aligned in result.alignment:
        add_row(alignment, aligned.dimension.label, aligned.rationale or "")
    show(alignment)


def print_portfolio(result: PortfolioAnalysis) -> None:
    from vskg.analytics import shared_systems

    streams = Table("value stream", title="streams (grouped by organisation)")
    for header in ("process h", "lead h", "ratio", "%C&A", "covered %"):
        streams.add_column(header, justify="right", no_wrap=True)
    for index, stream in enumerate(result.streams):
        if index == 0 or stream.organisation != result.streams[index - 1].organisation:
            if index:
                streams.add_section()
            organisation = stream.organisation.label if stream.organisation else "(no organisation)"
            streams.add_row(Text(organisation, style="bold"))
        ratio = stream.activity_ratio.value
        add_row(
            streams,
            f"  {stream.stream.label}",
            number(stream.process_time.value, 2),
            number(stream.lead_time.value, 2),
            "-" if ratio is None else f"{ratio:.4f}",
            number(stream.rolled_pca.value),
            number(stream.coverage.figure.value),
        )
    show(streams)
    matrix = Table("value stream", *(d.label for d in result.dimensions), title="MCA alignment")
    for stream, row in zip(result.streams, result.matrix, strict=True):
        add_row(matrix, stream.stream.label, *("x" if cell else "" for cell in row))
    show(matrix)
    for title, uses in (
        ("shared capabilities", result.shared_capabilities),
        ("shared platforms", result.shared_platforms),
        ("shared systems", shared_systems(result)),
    ):
        _print_shared(title, uses)
    heat = Table("capability", "current", "target", "gap", "streams", title="capability maturity (levels 1-5)")
    for cell in result.maturity:
        add_row(
            heat,
            cell.capability.label,
            *("-" if v is None else str(v) for v in (cell.current, cell.target, cell.gap)),
            labels(cell.streams),
        )
    show(heat)


def _print_shared(title: str, uses: tuple[SharedUse, ...]) -> None:
    table = Table("", "streams", "count", title=title)
    for use in uses:
        add_row(table, use.subject.label, labels(use.streams), str(len(use.streams)))
    show(table)


def print_impact(result: Impact) -> None:
    table = Table(
        "value stream", "stage", "via", title=f"what depends on {escape(result.subject.label)} ({result.kind})"
    )
    for row in result.dependants:
        add_row(table, row.stream.label, row.stage.label, re.sub(r"<([^>]+)>", lambda m: data_key(m.group(1)), row.via))
    show(table)
    related = "systems supporting it" if result.kind == "capability" else "capabilities it supports"
    out.print(
        f"{len(result.streams)} stream(s), {len(result.dependants)} dependant stage link(s); "
        f"{related}: {labels(result.related) or 'none'}",
        highlight=False,
        markup=False,
    )
