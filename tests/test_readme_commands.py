"""Every shell command of the README runs as written on a fresh clone, and succeeds.

The README's ```sh, ```bash and ```console blocks are cut into commands (a command goes on while a quote or a
trailing backslash is open) and each is run with bash, in README order, from a folder that looks like a checkout:
the repository's files linked in, and ``.venv/bin/vskg`` a two-line script that runs this checkout's vskg with the
test's Python. ``curl`` gets ``--fail`` so that a 4xx or 5xx fails the command like a non-zero exit.

The HTTP examples go to a real `vskg serve` on a free port (``127.0.0.1:8000`` in the README is replaced by its
address) over a copy of the bundled store, started with the write token the README uses. The command-line examples
work on a second copy of the bundled store ($VSKG_STORE): they import and load, which a store owned by a running
server refuses (as the README says), while `tests/commands/test_reading_commands.py` checks that reading a served
store works. A command whose line holds ``readme-test: skip (why)`` is left out; the test checks that there are
few, that each says why, and that no example calls a bare ``vskg`` that a fresh shell would not find.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.server import running_server

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
BLOCK = re.compile(r"^```(?:sh|bash|console)\n(.*?)^```", re.MULTILINE | re.DOTALL)
SKIP = re.compile(r"readme-test: skip \(([^)]+)\)")
TOKEN = "s3cret"  # the token of the README's write examples
DEFAULT_ADDRESS = "127.0.0.1:8000"


@dataclass(frozen=True)
class Command:
    text: str  # as written, with its continuation lines
    line: int  # where it starts in the README
    skipped: str | None  # the reason given, if marked

    def run_text(self, address: str) -> str:
        text = self.text.replace(DEFAULT_ADDRESS, address)
        return re.sub(r"^curl ", "curl --silent --show-error --fail ", text)


def complete(text: str) -> bool:
    """Whether ``text`` is a whole command: no quote left open and no trailing backslash."""
    if text.rstrip().endswith("\\"):
        return False
    try:
        shlex.split(text, comments=True)
    except ValueError:
        return False
    return True


def commands(readme: str) -> list[Command]:
    found: list[Command] = []
    for block in BLOCK.finditer(readme):
        first_line = readme.count("\n", 0, block.start(1)) + 1
        pending: list[str] = []
        start = first_line
        for offset, line in enumerate(block.group(1).splitlines()):
            if not pending:
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                start = first_line + offset
            pending.append(line)
            text = "\n".join(pending)
            if complete(text):
                skip = SKIP.search(text)
                found.append(Command(text, start, skip.group(1) if skip else None))
                pending = []
        assert not pending, f"README line {start}: a command is not closed (quote or backslash)"
    return found


README_COMMANDS = commands(README.read_text(encoding="utf-8"))


def test_the_readme_has_examples_and_few_exceptions() -> None:
    skipped = [c for c in README_COMMANDS if c.skipped]
    assert len(README_COMMANDS) >= 30
    assert [c.skipped for c in skipped] == [
        "runs until Ctrl-C; the README test starts a server of its own",
        "the test suite, which runs this README's commands",
        "the test's server has this token",
        "needs that server",
        "needs a Virtuoso",
    ]


def test_every_vskg_command_is_written_so_a_fresh_shell_finds_it() -> None:
    """`vskg` alone is not on a fresh clone's PATH; the examples call .venv/bin/vskg."""
    bare = [c.text for c in README_COMMANDS if re.match(r"(\w+=\S+ )*vskg ", c.text)]
    assert bare == []
    assert sum(".venv/bin/vskg " in c.text for c in README_COMMANDS) >= 15


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder that looks like a fresh clone after `make install`: the repository's files and .venv/bin/vskg."""
    folder = tmp_path_factory.mktemp("clone")
    for entry in REPO.iterdir():
        if entry.name not in (".venv", ".vskg", ".git"):
            (folder / entry.name).symlink_to(entry)
    script = folder / ".venv" / "bin" / "vskg"
    script.parent.mkdir(parents=True)
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m vskg "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return folder


@pytest.fixture(scope="module")
def server(bundled_store_template: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("readme-served") / "store"
    shutil.copytree(bundled_store_template, folder)
    with running_server(folder, token=TOKEN) as live:
        yield live


@pytest.fixture(scope="module")
def environment(bundled_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    store = tmp_path_factory.mktemp("readme-cli") / "store"
    shutil.copytree(bundled_store_template, store)
    env = {k: v for k, v in os.environ.items() if not k.startswith("VSKG_")}
    return env | {"VSKG_STORE": str(store), "PYTHONPATH": str(REPO), "COLUMNS": "80"}


def test_every_readme_command_succeeds(checkout: Path, server, environment: dict[str, str]) -> None:
    address = server.url.removeprefix("http://")
    failures = []
    ran = 0
    for command in README_COMMANDS:
        if command.skipped:
            continue
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command.run_text(address)],
            cwd=checkout,
            env=environment,
            capture_output=True,
            timeout=180,
        )
        ran += 1
        if done.returncode != 0:
            failures.append(
                f"README line {command.line}: exit {done.returncode}\n{command.text}\n"
                f"{done.stderr.decode(errors='replace')[-2000:]}"
            )
    assert failures == []
    assert ran == len(README_COMMANDS) - 5
    assert (checkout / "map.svg").read_bytes().startswith(b"<?xml") or b"<svg" in (checkout / "map.svg").read_bytes()
    assert (checkout / "streams.csv").read_text(encoding="utf-8").startswith("stream,")
    assert sorted(p.name for p in (checkout / "out").iterdir()) == [
        "fixture-elements.csv",
        "fixture-properties.csv",
        "fixture-relations.csv",
    ]
