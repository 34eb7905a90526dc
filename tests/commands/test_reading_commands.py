"""Commands that read a store never create one: a missing store is exit 3 with one clear message, and no folder."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import FIXTURES
from vskg.cli import app

# Each reading command, with what it needs besides --store (a file it would write goes to OUT).
READING = {
    "stats": [],
    "dump": [],
    "backup": ["{out}/copy"],
    "query": ["value-streams"],
    "analyse": ["banking/mortgage-lending"],
    "map": ["banking/mortgage-lending", "-o", "{out}/map.svg"],
    "export archimate": ["-o", "{out}/model.xml"],
    "export archimate-csv": ["-o", "{out}/csv"],
    "link": ["--graph", "https://w3id.org/vskg/graph/archimate/x"],
    "validate": [],  # with --store
}
# Commands that write, and so make the store when it is missing (link --load writes too).
WRITING = {"init", "load", "import archimate", "import archimate-csv", "import-table", "pull", "serve"}
# Commands that do not touch a store.
NO_STORE = {"queries", "check", "docs"}


def command_paths(command, prefix: str = "") -> set[str]:
    if hasattr(command, "commands"):  # a group
        return {path for name, sub in command.commands.items() for path in command_paths(sub, f"{prefix}{name} ")}
    return {prefix.strip()}


def test_every_command_is_classified() -> None:
    """A new command must say here whether it reads a store (and then gets the checks below)."""
    paths = command_paths(typer.main.get_command(app))
    assert paths == set(READING) | WRITING | NO_STORE


def invoke(name: str, store: Path, out: Path):
    args = [*name.split(), *(arg.format(out=out) for arg in READING[name]), "--store", str(store)]
    return CliRunner().invoke(app, args)


@pytest.mark.parametrize("name", sorted(READING))
def test_a_missing_store_is_an_error_and_is_not_created(name: str, tmp_path: Path) -> None:
    absent = tmp_path / "nonexistent"
    result = invoke(name, absent, tmp_path)
    assert result.exit_code == 3, result.output
    assert result.stderr == (
        f"error: there is no store at {absent} (no such folder); give the folder of an existing store with "
        "--store, or run `vskg init` to make one there\n"
    )
    assert result.stdout == ""
    assert not absent.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", sorted(READING))
def test_a_folder_that_holds_no_store_stays_as_it_was(name: str, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "readme.txt").write_text("not a store\n", encoding="utf-8")
    result = invoke(name, folder, tmp_path)
    assert result.exit_code == 3, result.output
    assert f"error: there is no store at {folder} (the folder holds no store)" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["readme.txt"]


def test_the_default_store_is_not_created_either(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["stats"], env={"VSKG_STORE": ""})
    assert result.exit_code == 3
    assert "error: there is no store at .vskg/store (no such folder)" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_validating_files_needs_no_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate", str(FIXTURES / "valid" / "minimal.ttl")])
    assert result.exit_code == 0, result.output
    assert list(tmp_path.iterdir()) == []


def test_reading_commands_work_beside_a_running_server(live_server) -> None:
    """`make serve` owns the store, yet the README's reading commands run in another terminal."""
    store = str(live_server.store_path)
    stats = CliRunner().invoke(app, ["stats", "--format", "json", "--store", store])
    assert stats.exit_code == 0, stats.output
    assert '"https://w3id.org/vskg/ontology#StrategicValueStream": 12' in stats.stdout
    query = CliRunner().invoke(app, ["query", "value-streams", "-f", "csv", "--store", store])
    assert query.exit_code == 0, query.output
    assert len(query.stdout.splitlines()) == 13
    writing = CliRunner().invoke(app, ["load", str(FIXTURES / "valid" / "minimal.ttl"), "--store", store])
    assert writing.exit_code == 3
    assert "is in use by another process (is `vskg serve` running?)" in writing.stderr
