"""The CLI reference (docs/cli.md) and the README's command table are what the generator makes from the commands."""

from __future__ import annotations

import re

import typer
from typer.testing import CliRunner

from tools import cli_reference
from vskg.cli import app
from vskg.commands.common import PANELS


def test_the_committed_reference_is_current() -> None:
    for path, text in cli_reference.outputs().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is out of date: run `{cli_reference.COMMAND}` and commit the result"
        )


def test_the_reference_names_every_command_and_option() -> None:
    text = cli_reference.reference()
    entries = cli_reference.entries()
    assert [e.path for e in entries][:3] == ["init", "load", "dump"]
    assert len(entries) == 20
    for entry in entries:
        assert f"### `vskg {entry.path}`" in text
        for param in entry.command.params:
            if param.name != "help":
                assert cli_reference.names(param) in text
    assert "| `--format`, `-f` | table \\| csv \\| tsv \\| json | `table` | Output format. |" in text
    assert "| `--threshold` | number (0-100) | `80.0` | Lowest label similarity (0-100) proposed. |" in text


def test_help_groups_every_command_in_the_panels_in_order() -> None:
    result = CliRunner().invoke(app, ["--help"], terminal_width=100)
    assert result.exit_code == 0
    titles = re.findall(r"╭─ ([^─]+?) ─", result.output)
    assert titles == ["Options", *PANELS]
    assert "Keep value streams, their stages and handoffs" in result.output
    top = typer.main.get_command(app).commands.values()
    assert {command.rich_help_panel for command in top} == set(PANELS)


def test_the_generator_check_mode_reports_a_stale_file(tmp_path, monkeypatch) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text("# old\n", encoding="utf-8")
    monkeypatch.setattr(cli_reference, "REFERENCE", stale)
    monkeypatch.setattr(cli_reference, "REPO", tmp_path)
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{cli_reference.START}\nold\n{cli_reference.END}\nrest\n", encoding="utf-8")
    monkeypatch.setattr(cli_reference, "README", readme)
    assert cli_reference.main(["--check"]) == 1
    assert stale.read_text(encoding="utf-8") == "# old\n"
    assert cli_reference.main([]) == 0
    assert cli_reference.main(["--check"]) == 0
    assert readme.read_text(encoding="utf-8").startswith(f"intro\n{cli_reference.START}\n\n| panel | command |")
    assert readme.read_text(encoding="utf-8").endswith(f"{cli_reference.END}\nrest\n")
