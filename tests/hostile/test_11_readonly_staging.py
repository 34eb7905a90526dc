"""Hostile case 11: after a crashed load, read-only commands (`vskg analyse`, `vskg map`, `vskg export archimate`)
saw the load's uncommitted scratch graph: `analyse` listed 1,000 streams that were never committed.

The crash is reproduced exactly: a process replaces a graph with a synthetic enterprise's streams and is killed
with SIGKILL once they are written but before they are committed: for an existing graph, staged beside it just
before the DROP+ADD that would put them in place; for a new graph, filled in place just before the journal lets it
go. The store then holds the uncommitted graph and the journal that names it. A read-only command tidies it away
first (no service holds the store), so `vskg analyse --portfolio` lists only the committed streams, and the store
keeps no trace of the load."""

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
from vskg.store.journal import StagingJournal

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

        def add_graph(self, graph):  # called once the quads are in, before the commit
            os.kill(os.getpid(), signal.SIGKILL)

    text, _ = generate(12, 7)
    quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in pyoxigraph.parse(text.encode(), "text/turtle")]
    store = LocalStore(sys.argv[1])
    if sys.argv[3] == "existing":  # a graph without streams, replaced by the enterprise
        store.replace_graph(sys.argv[2], [pyoxigraph.Quad(*(pyoxigraph.NamedNode(f"urn:{x}") for x in "spo"))])
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


def journal_graphs(folder: Path) -> list[str]:
    return StagingJournal(folder).entries()


@pytest.fixture(params=["existing", "new"])
def crashed(request: pytest.FixtureRequest, bundled_store_template: Path, tmp_path: Path) -> Path:
    """A copy of the bundled store in which a load was killed between writing and committing its graph."""
    folder = tmp_path / "store"
    shutil.copytree(bundled_store_template, folder)
    command = [sys.executable, "-c", CRASHING_LOAD, str(folder), STAGED_GRAPH, request.param]
    load = subprocess.run(command, cwd=REPO, timeout=300)
    assert load.returncode == -signal.SIGKILL
    (pending,) = journal_graphs(folder)  # the uncommitted streams are in the database, named by the journal
    assert pending.startswith(STAGING_PREFIX) if request.param == "existing" else pending == STAGED_GRAPH
    db = pyoxigraph.Store.read_only(str(folder))
    try:
        assert sum(1 for _ in db.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(pending))) > 1_000
    finally:
        del db
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
