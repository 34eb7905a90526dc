"""Case 22: Archi CSV models that do not hold together, or are not CSV at all, sent to the live server and the CLI.

A zip of an Archi CSV export is posted to ``/import/archimate`` (the same route as every ArchiMate file): a relation
whose target is no element of the files, an element ID used twice, a 10 MB cell, a quote that is never closed
(small, and with 9 MB after it). Each is refused with 400 naming the file in the zip, the line and the reason;
the server stays up and its store unchanged. The same files as a folder given to ``vskg import archimate-csv``
exit with 3, the same message, and leave the store byte for byte as it was.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from tests.hostile.conftest import Survivor
from vskg.cli import app
from vskg.store import LocalStore

ELEMENTS = '"ID","Type","Name","Documentation","Specialization"\r\n"m","ArchimateModel","Hostile","",""\r\n'
RELATIONS = '"ID","Type","Name","Documentation","Source","Target","Specialization"\r\n'
TEN_MB = 10 * 1024 * 1024
NOT_CLOSED = "a quoted cell starting in this record is not closed before the end of the file"
TOO_LONG = (
    "a cell of more than 131072 characters starts in this record (the limit for one cell; a quote that is never "
    "closed also runs on to the end of the file)"
)

CASES: dict[str, tuple[dict[str, str], str, int, str]] = {
    "unknown-element": (
        {
            "elements.csv": ELEMENTS + '"e1","Capability","Sell","",""\r\n',
            "relations.csv": RELATIONS + '"r1","ServingRelationship","","","e1","e1",""\r\n'
            '"r2","ServingRelationship","","","e1","ghost",""\r\n',
        },
        "relations.csv",
        3,
        "relation r2: target 'ghost' is not an element or relation of the files",
    ),
    "repeated-id": (
        {"elements.csv": ELEMENTS + '"e1","Capability","Sell","",""\r\n"e1","ValueStream","Buy","",""\r\n'},
        "elements.csv",
        4,
        "ID 'e1' is used twice (first in Hostile-elements.csv line 3)",
    ),
    "ten-megabyte-cell": (
        {"elements.csv": ELEMENTS + '"e1","Capability","' + "x" * TEN_MB + '","",""\r\n'},
        "elements.csv",
        3,
        TOO_LONG,
    ),
    "quote-never-closed": (
        {"elements.csv": ELEMENTS + '"e1","Capability","Sell","",""\r\n"e2","Capability","Never closed,"",""\r\n'},
        "elements.csv",
        4,
        NOT_CLOSED,
    ),
    "quote-never-closed-before-9-mb": (
        {"elements.csv": ELEMENTS + '"e1","Capability","Never closed\r\n' + "more\r\n" * (9 * 1024 * 1024 // 6)},
        "elements.csv",
        3,
        TOO_LONG,
    ),
    "stray-quote": (
        {"elements.csv": ELEMENTS + '"e1","Capability","Half "quoted" name","",""\r\n'},
        "elements.csv",
        3,
        "not valid CSV: ',' expected after '\"' (a quote inside a quoted cell is written twice)",
    ),
}


def _zip(files: dict[str, str]) -> bytes:
    """Stored, not deflated: the 10 MB cell must reach the CSV reader, not stop at the zip's ratio bound."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, text in files.items():
            archive.writestr(f"export/Hostile-{name}", text.encode("utf-8"))
    return buffer.getvalue()


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_csv_model_is_refused_over_http(survivor: Survivor, case: str) -> None:
    files, file, line, reason = CASES[case]
    body = _zip(files)
    assert len(body) < 12 * 1024 * 1024  # under the service's 16 MB body limit: the CSV reader has to refuse it
    response = httpx.post(
        f"{survivor.url}/import/archimate",
        params={"name": "model.zip"},
        content=body,
        headers={"Content-Type": "application/zip", **survivor.auth()},
        timeout=60,
    )
    survivor.refused(response, 400)
    assert response.json()["error"]["message"] == (
        f"model.zip/export/Hostile-{file}, line {line}: {reason} (nothing was written)"
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_csv_model_is_refused_by_the_cli(tmp_path: Path, case: str) -> None:
    files, file, line, reason = CASES[case]
    store = tmp_path / "store"
    lending = Path(__file__).resolve().parents[1] / "fixtures" / "archimate-csv" / "lending"
    runner = CliRunner()
    assert runner.invoke(app, ["import", "archimate-csv", str(lending), "--store", str(store)]).exit_code == 0

    def dump() -> list[str]:
        db = LocalStore(store, read_only=True)
        try:
            return sorted(str(q) for graph in db.graphs() for q in db.quads(graph))
        finally:
            db.close()

    before = dump()
    folder = tmp_path / "export"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"Hostile-{name}").write_bytes(text.encode("utf-8"))
    result = runner.invoke(app, ["import", "archimate-csv", str(folder / "Hostile-"), "--store", str(store)])
    assert result.exit_code == 3
    assert " ".join(result.output.split()) == " ".join(
        f"error: {folder / f'Hostile-{file}'}, line {line}: {reason} (nothing was imported)".split()
    )
    assert "Traceback" not in result.output
    assert dump() == before
