"""The store's scratch graphs: only those the store created (named in its journal) are ever dropped, and a
read-only open tidies an interrupted load away first, or is refused while the store is being written."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad

from vskg.store import STAGING_JOURNAL, STAGING_PREFIX, LocalStore, StagingJournal, StoreInUse, lock_for_service

CLIENT = f"{STAGING_PREFIX}client"


def quad(graph: str, n: int = 0) -> Quad:
    return Quad(
        NamedNode(f"urn:vskg:test:s{n}"), NamedNode("urn:vskg:test:p"), NamedNode("urn:vskg:test:o"), NamedNode(graph)
    )


def interrupted_load(folder: Path) -> str:
    """What a load killed between staging and MOVE leaves: a scratch graph with quads, named in the journal."""
    scratch = f"{STAGING_PREFIX}0123456789abcdef"
    store = LocalStore(folder)
    StagingJournal(folder).add(scratch)
    store.db.extend([quad(scratch, n) for n in range(3)])
    store.db.flush()
    del store.db
    return scratch


def graphs(folder: Path) -> list[str]:
    store = LocalStore(folder, read_only=True)
    try:
        return store.graphs()
    finally:
        store.close()


def test_a_client_graph_under_the_prefix_survives_writes_and_reopening(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.add_to_graph(CLIENT, [quad(CLIENT)])
    store.replace_graph("urn:vskg:test:other", [quad("urn:vskg:test:other")])
    store.close()
    LocalStore(tmp_path).close()
    assert graphs(tmp_path) == [CLIENT, "urn:vskg:test:other"]
    assert not (tmp_path / STAGING_JOURNAL).exists()


def test_a_writable_open_drops_the_journaled_scratch_graph_only(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.add_to_graph(CLIENT, [quad(CLIENT)])
    store.close()
    interrupted_load(tmp_path)
    LocalStore(tmp_path).close()
    assert graphs(tmp_path) == [CLIENT]
    assert StagingJournal(tmp_path).entries() == []


def test_a_read_only_open_tidies_an_interrupted_load_first(tmp_path: Path) -> None:
    interrupted_load(tmp_path)
    assert graphs(tmp_path) == []
    assert not (tmp_path / STAGING_JOURNAL).exists()


def test_a_read_only_open_is_refused_while_another_handle_writes(tmp_path: Path) -> None:
    interrupted_load(tmp_path)
    writer = LocalStore(tmp_path)  # opening for writing tidies; a new load then stages again
    StagingJournal(tmp_path).add(f"{STAGING_PREFIX}in-progress")
    with pytest.raises(StoreInUse, match="is being written by another process"):
        LocalStore(tmp_path, read_only=True)
    writer.close()
    assert graphs(tmp_path) == []


def test_a_read_only_open_is_refused_while_a_service_writes(tmp_path: Path) -> None:
    LocalStore(tmp_path).close()
    lock = lock_for_service(tmp_path)
    try:
        StagingJournal(tmp_path).add(f"{STAGING_PREFIX}in-progress")
        with pytest.raises(StoreInUse, match="is being written by another process"):
            LocalStore(tmp_path, read_only=True)
    finally:
        lock.close()


def test_a_failed_replace_strikes_out_its_scratch_graph(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)

    def quads_then_failure():
        yield quad("urn:vskg:test:g")
        raise RuntimeError("the source broke off")

    with pytest.raises(RuntimeError):
        store.replace_graph("urn:vskg:test:g", quads_then_failure())  # type: ignore[arg-type]
    assert StagingJournal(tmp_path).entries() == []
    assert store.graphs() == []
    store.close()
