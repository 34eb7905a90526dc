"""``vskg docs``: write the HTML documentation of the ontology and the concept schemes to a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vskg.commands.common import EXIT_INPUT, EXIT_USAGE, ONTOLOGY_PANEL, err, fail, out


def register(app: typer.Typer) -> None:
    app.command("docs", rich_help_panel=ONTOLOGY_PANEL)(docs)


def docs(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write index.html, ontology.html and schemes/*.html to.")
    ],
) -> None:
    """Write HTML documentation (pyLODE) of the ontology and every concept scheme, with an index page."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from vskg.docs import FILES, DocsError, Site
    from vskg.resources import locate

    site = Site(locate(), FILES)
    pages = site.pages()
    _writable(output)  # before seconds of rendering, not after
    written: list[Path] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err) as progress:
        task = progress.add_task("rendering", total=len(pages))
        for page in pages:
            progress.update(task, description=f"rendering {page.label}")
            try:
                text = page.render()
            except DocsError as problem:
                raise fail(str(problem), EXIT_INPUT) from None
            target = output / page.path
            _write(target, text)
            written.append(target)
            progress.advance(task)
    for target in written:
        out.print(f"wrote {target}", highlight=False)
    out.print(f"{len(written)} pages in {output}; open {output / FILES.index}", highlight=False)


def _writable(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise fail(f"{folder} exists and is not a folder; give a folder to write the pages to", EXIT_USAGE)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        raise fail(f"cannot create the folder {folder}: {problem.strerror or problem}", EXIT_USAGE) from None


def _write(target: Path, text: str) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as problem:
        raise fail(f"cannot write {target}: {problem.strerror or problem}", EXIT_USAGE) from None
