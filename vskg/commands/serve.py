"""`vskg serve`: the HTTP service and the workbench over the store, or in front of another SPARQL server.

On a store folder it starts the managed Oxigraph engine on it and owns the folder while it runs (the reading
commands can still open it read-only); with --backend it serves another server's endpoints instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vskg.commands.common import EXIT_USAGE, WORKBENCH_PANEL, StoreOption, err, fail, open_store


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=WORKBENCH_PANEL)(serve)


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    store: StoreOption = None,
    write_token_file: Annotated[
        Path | None, typer.Option("--write-token-file", help="File holding the bearer token that enables writes.")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Query time limit in seconds.")] = 10.0,
    workers: Annotated[
        int,
        typer.Option(
            help="Queries run on the engine at once; others wait their turn (a time limit counts from the start)."
        ),
    ] = 2,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="Public URL of the service (e.g. behind a proxy); new graph IRIs and Location headers use it "
            "(default: $VSKG_BASE_URL; without one, Location headers are relative).",
            show_default=False,
        ),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="A Host header name to answer to, besides the listening interface, 127.0.0.1, localhost and "
            "[::1] (repeat it; also $VSKG_ALLOWED_HOSTS, space-separated; '*' allows any). Others get a 400.",
            show_default=False,
        ),
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option(
            help="A SPARQL server's query endpoint to serve instead of the store folder ($VSKG_BACKEND).",
            show_default=False,
        ),
    ] = None,
    backend_update: Annotated[
        str | None,
        typer.Option(
            help="Its update endpoint (default: the query endpoint; $VSKG_BACKEND_UPDATE).", show_default=False
        ),
    ] = None,
    backend_store: Annotated[
        str | None,
        typer.Option(
            help="Its Graph Store endpoint (default: none, writes go through updates; $VSKG_BACKEND_STORE).",
            show_default=False,
        ),
    ] = None,
    validate_writes: Annotated[
        bool,
        typer.Option(
            "--validate-writes",
            help="Refuse (422, nothing written) any update, Graph Store write or import that would add a SHACL "
            "Violation; Warnings and Infos pass and come back in the response ($VSKG_VALIDATE_WRITES=1).",
        ),
    ] = False,
) -> None:
    """Serve the SPARQL endpoint, the graph store, the catalogue and validation over HTTP."""
    from dataclasses import replace

    from vskg.service.app import create_app
    from vskg.service.serving import serve as serve_app
    from vskg.service.settings import Settings

    try:
        remote = {"backend": backend, "backend_update": backend_update, "backend_store": backend_store}
        remote = {key: value for key, value in remote.items() if value}
        if validate_writes:
            remote["validate_writes"] = True
        settings = Settings.from_env(store, write_token_file, query_timeout=timeout, workers=workers, **remote)
        settings = replace(
            settings,
            base_url=base_url or settings.base_url,
            allowed_hosts=(*settings.allowed_hosts, host, *(allow_host or [])),
        )
    except ValueError as problem:
        raise fail(str(problem), EXIT_USAGE) from None
    if not settings.backend:
        db = open_store(settings.store)  # fail early, with a clear message, if the store is locked or unreadable
        db.close()
    mode = "writes enabled with a token" if settings.write_token else "read-only"
    if settings.write_token and settings.validate_writes:
        mode += ", each checked against the shapes"
    err.print(
        f"vskg serving {settings.backend or settings.store} on http://{host}:{port}/ ({mode}); docs at /docs",
        highlight=False,
    )
    raise typer.Exit(serve_app(create_app(settings), host, port))
