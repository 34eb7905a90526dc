"""Hostile case 11: after a crashed load, read-only commands (`vskg analyse`, `vskg map`, `vskg export archimate`)
saw the load's uncommitted scratch graph: `analyse` listed 1,000 streams that were never committed.

The crash is reproduced exactly: a process replaces a graph with a synthetic enterprise's streams and is killed
with SIGKILL after staging them, just before the MOVE that would commit them. The store then holds the scratch
graph and the journal that names it. A read-only command tidies it away first (no service holds the store), so
`vskg analyse --portfolio` lists only the committed streams, and the store keeps no trace of the load."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph
import pytest

from bench.synthetic import NAMESPACE
from vskg.store import STAGING_JOURNAL, STAGING_PREFIX

REPO = Path(__file__).resolve().parents[2]
STAGED_GRAPH = "urn:vskg:test:synthetic-enterprise"

CRASHING_LOAD = textwrap.dedent(
    """
    import os, signal, sys
    import pyoxigraph
    from bench.synthetic import generate
    from vskg.store import LocalStore

    class DiesBeforeCommit:
        '''The store's database, except that the process is killed when the staged graph is about to be moved.'''

        def __init__(self, db):
            self.db = db

        def __getattr__(self, name):
            return getattr(self.db, name)

        def update(self, text, **options):
            if text.startswith("MOVE"):
                os.kill(os.getpid(), signal.SIGKILL)
            return self.db.update(text, **options)

    text, _ = generate(12, 7)
    quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in pyoxigraph.parse(text.encode(), "text/turtle")]
    store = LocalStore(sys.argv[1])
    store.db = DiesBeforeCommit(store.db)
    store.replace_graph(sys.argv[2], quads)
    """
)


def vskg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vskg", *args], capture_output=True, text=True, cwd=REPO, timeout=300)


def staging_graphs(folder: Path) -> list[str]:
    db = pyoxigraph.Store.read_only(str(folder))
    try:
        return [g.value for g in db.named_graphs() if g.value.startswith(STAGING_PREFIX)]
    finally:
        del db


@pytest.fixture()
def crashed(bundled_store_template: Path, tmp_path: Path) -> Path:
    """A copy of the bundled store in which a load was killed between staging and committing its graph."""
    folder = tmp_path / "store"
    shutil.copytree(bundled_store_template, folder)
    load = subprocess.run([sys.executable, "-c", CRASHING_LOAD, str(folder), STAGED_GRAPH], cwd=REPO, timeout=300)
    assert load.returncode == -signal.SIGKILL
    assert len(staging_graphs(folder)) == 1  # the uncommitted streams are in the database
    assert (folder / STAGING_JOURNAL).exists()
    return folder


def portfolio_streams(folder: Path) -> list[str]:
    result = vskg("analyse", "--portfolio", "--format", "json", "--store", str(folder))
    assert result.returncode == 0, result.stderr
    return [stream["stream"]["iri"] for stream in json.loads(result.stdout)["streams"]]


def test_a_read_only_command_never_sees_a_crashed_load(crashed: Path, bundled_store_template: Path) -> None:
    streams = portfolio_streams(crashed)
    assert streams == portfolio_streams(bundled_store_template)
    assert not [iri for iri in streams if iri.startswith(NAMESPACE)]
    assert staging_graphs(crashed) == []
    assert not (crashed / STAGING_JOURNAL).exists()


def test_other_read_only_commands_tidy_first_too(crashed: Path, tmp_path: Path) -> None:
    exported = tmp_path / "all.xml"
    result = vskg("export", "archimate", "-o", str(exported), "--store", str(crashed))
    assert result.returncode == 0, result.stderr
    assert NAMESPACE not in exported.read_text(encoding="utf-8")
    assert staging_graphs(crashed) == []
