"""`vskg query` and `vskg queries`: the query catalogue (and your own .rq files) over the store.

`vskg query` reads the store the other commands fill (--store, $VSKG_STORE, else ./.vskg/store), so a model you
imported is in the answer; --data runs it over files instead. An IRI parameter takes what `vskg analyse` and `vskg
map` take: a full IRI, a short key of the bundled data (banking/mortgage-lending), or a prefixed name as the
tables print them (data:banking/mortgage-lending, vskg:Capability).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pyoxigraph
import typer

from vskg.catalogue import CatalogueError, CatalogueQuery, ParameterError, catalogue, resolve, run
from vskg.commands.common import (
    EXIT_INPUT,
    EXIT_USAGE,
    QUERY_PANEL,
    BackendOption,
    StoreOption,
    existing_store,
    fail,
    iri_from_user,
    out,
)
from vskg.commands.tables import add_row, hint_for, show, table
from vskg.rdfio import InputError


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=QUERY_PANEL)(query)
    app.command(rich_help_panel=QUERY_PANEL)(queries)


class ResultFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


def query(
    name: Annotated[str, typer.Argument(help="A catalogue query name (see `vskg queries`) or a .rq file.")],
    param: Annotated[
        list[str],
        typer.Option(
            "--param",
            "-p",
            help="Parameter as key=value; repeatable. An IRI may be given as a key: stream=banking/mortgage-lending.",
        ),
    ] = [],  # noqa: B006
    fmt: Annotated[ResultFormat, typer.Option("--format", "-f", help="Output format.")] = ResultFormat.table,
    store: StoreOption = None,
    backend: BackendOption = None,
    data: Annotated[
        list[Path],
        typer.Option(
            "--data",
            "-d",
            help="Query these files (with the bundled ontology and schemes) instead of the store; repeatable.",
            show_default=False,
        ),
    ] = [],  # noqa: B006
) -> None:
    """Run a catalogue query (or your own .rq file) over the store, or over files given with --data."""
    try:
        chosen = resolve(name)
    except KeyError:
        raise fail(f"no catalogue query named {name!r}; `vskg queries` lists them", EXIT_USAGE) from None
    except CatalogueError as problem:
        raise fail(str(problem), EXIT_INPUT) from None
    if data and (store is not None or backend):
        raise fail("--data queries files instead of a store; leave out --store and --backend with it", EXIT_USAGE)
    params = _parse_params(param, chosen)
    if data:
        from vskg.graphs import memory_store

        try:
            db = memory_store(data, with_bundled_data=False)
        except InputError as problem:
            raise fail(str(problem), EXIT_INPUT) from None
    else:
        db = existing_store(store, backend=backend)
    try:
        result = run(db, chosen, params)
        _print(result, chosen, fmt)
    except ParameterError as problem:
        raise fail(str(problem), EXIT_USAGE) from None
    except (InputError, CatalogueError) as problem:
        raise fail(str(problem), EXIT_INPUT) from None
    except SyntaxError as problem:
        raise fail(f"{chosen.path}: the query is not valid SPARQL: {problem.msg}", EXIT_INPUT) from None
    finally:
        if not data:
            db.close()


def _parse_params(pairs: list[str], chosen: CatalogueQuery) -> dict[str, str]:
    """``key=value`` pairs; the values of IRI parameters expanded from keys and prefixed names."""
    kinds = {p.name: p.type for p in chosen.parameters}
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise fail(f"--param expects key=value, got {pair!r}", EXIT_USAGE)
        key = key.strip()
        params[key] = iri_from_user(value) if kinds.get(key) == "iri" and value.strip() else value
    return params


def _print(result, chosen: CatalogueQuery, fmt: ResultFormat) -> None:
    from vskg.results import collect, display, serialize

    if isinstance(result, pyoxigraph.QueryBoolean):
        out.print("true" if bool(result) else "false")
        return
    if isinstance(result, pyoxigraph.QueryTriples):  # CONSTRUCT and DESCRIBE answer with a graph
        typer.echo(serialize(result, "turtle").decode(), nl=False)
        return
    if fmt is not ResultFormat.table:
        typer.echo(serialize(result, fmt.value).decode(), nl=False)
        return
    rows = collect(result)
    view = table(*rows.variables, title=chosen.title)
    for row in rows.rows:
        add_row(view, *(display(term) for term in row))
    show(view, hint=hint_for(["csv", "json"], len(rows.rows)))


class ListFormat(StrEnum):
    table = "table"
    json = "json"


def queries(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
) -> None:
    """List the query catalogue with each query's parameters (* marks a required one)."""
    entries = catalogue()
    if fmt is ListFormat.json:
        out.print_json(json.dumps([q.metadata() for q in entries.values()]))
        return
    view = table("name", "title", "parameters")
    for entry in entries.values():
        params = ", ".join(f"{p.name}:{p.type}" + ("*" if p.required else "") for p in entry.parameters)
        add_row(view, entry.name, entry.title, params)
    show(view, hint=hint_for(["json"], len(entries)))
