"""The embedded store: a pyoxigraph (Oxigraph, RocksDB) database in a local folder, one named graph per source.

Graph IRIs (documented in the README):

- bundled files: ``https://w3id.org/vskg/graph/<kind>/<file stem>``, kind being ontology, schemes, shapes or data;
- files loaded with ``vskg load``: the file's absolute ``file:`` IRI, unless ``--graph`` names another;
- graphs written over the Graph Store Protocol or SPARQL Update: whatever IRI the client names.

A file is loaded at the speed of Oxigraph's bulk loader, streamed from disk through the guarded reader: into the
graph itself when the graph is new, or into a scratch graph that one ``DROP``+``ADD`` puts in place when it
replaces an existing graph. Either way the graph being filled is named in the staging journal first, so an
interrupted load is undone at the next writable open, and a file that fails to parse is dropped again: the store
ends in its before or its after state.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pyoxigraph
from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat

from vskg.rdfio import InputError, bulk_load, file_format
from vskg.store.base import GraphStats, StoreStats
from vskg.store.difference import difference_of_lines, difference_update
from vskg.store.journal import STAGING_PREFIX, StagingJournal
from vskg.store.locks import StoreInUse, check_not_served


def tidy_interrupted_load(path: Path) -> None:
    """Drop the scratch graphs an interrupted load left in the store at ``path``, if its journal names any.

    Raises StoreInUse if another process has the store (a running service, or a writer at work right now).
    """
    if not StagingJournal(path).entries():
        return
    busy = StoreInUse(
        f"the store {path} is being written by another process (a load or a write through the "
        "service is under way); try again when it has finished"
    )
    try:
        check_not_served(path)
        LocalStore(path).close()  # opening for writing drops them
    except StoreInUse:
        raise busy from None
    except OSError as problem:
        if "lock" in str(problem).lower():
            raise busy from None
        raise


class LocalStore:
    """The embedded pyoxigraph database (see the module docstring for the graph IRI scheme)."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.journal = StagingJournal(self.path)
        if read_only:
            tidy_interrupted_load(self.path)
            self.db = pyoxigraph.Store.read_only(str(self.path))
            return
        self.path.mkdir(parents=True, exist_ok=True)
        self.db = pyoxigraph.Store(str(self.path))
        self._drop_leftover_staging()

    @classmethod
    def in_memory(cls) -> LocalStore:
        """A store held in memory only (validating files, tests): the same interface, gone once closed."""
        store = cls.__new__(cls)
        store.path = None
        store.read_only = False
        store.journal = _MemoryJournal()
        store.db = pyoxigraph.Store()
        return store

    def close(self) -> None:
        """Flush (when writable) and release the database, so another handle can be opened safely; idempotent."""
        if not hasattr(self, "db"):
            return
        if not self.read_only:
            self._drop_leftover_staging()  # normally none: each replace_graph strikes out its own
            self.db.flush()
        del self.db
        gc.collect()

    def _drop_leftover_staging(self) -> None:
        """Drop the scratch graphs the journal names (an interrupted load's), and nothing else."""
        leftovers = self.journal.entries()
        if not leftovers:
            return
        for iri in leftovers:
            self.db.remove_graph(NamedNode(iri))
        self.db.flush()  # the drops are on disk before the journal forgets them
        self.journal.clear()

    # --- reading -------------------------------------------------------------------------------------------

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.db.named_graphs() if isinstance(g, NamedNode))

    def has_graph(self, graph: str | None) -> bool:
        return graph is None or self.db.contains_named_graph(NamedNode(graph))

    def serialize_graph(self, graph: str | None, fmt: RdfFormat) -> bytes:
        source = NamedNode(graph) if graph else DefaultGraph()
        return self.db.dump(format=fmt, from_graph=source)

    def quads(self, graph: str | None) -> Iterator[Quad]:
        """The quads of one graph (``None``: the default graph), streamed from the database."""
        return self.db.quads_for_pattern(None, None, None, NamedNode(graph) if graph else DefaultGraph())

    def query(self, text: str, *, timeout: float | None = None, **options):
        """Run a query in this process; ``timeout`` is accepted for the interface's sake (pyoxigraph cannot stop a
        query, so the service never sends untrusted queries here)."""
        del timeout
        return self.db.query(text, **options)

    def stats(self) -> StoreStats:
        per_graph = self.db.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        graphs = [GraphStats(row["g"].value, int(row["n"].value)) for row in per_graph]
        default = len(list(self.db.quads_for_pattern(None, None, None, DefaultGraph())))
        if default:
            graphs.insert(0, GraphStats("(default graph)", default))
        classes = self.db.query(
            "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class",
            use_default_graph_as_union=True,
        )
        return StoreStats(graphs, [(row["class"].value, int(row["n"].value)) for row in classes])

    def dump(self, output: IO[bytes] | Path, fmt: RdfFormat = RdfFormat.N_QUADS) -> None:
        target = str(output) if isinstance(output, Path) else output
        if fmt.supports_datasets:
            self.db.dump(target, format=fmt)
        else:
            self.db.dump(target, format=fmt, from_graph=DefaultGraph())

    def backup(self, target: Path) -> None:
        if target.exists() and any(target.iterdir()):
            raise FileExistsError(f"{target} is not empty; give a new folder for the backup")
        if target.exists():
            target.rmdir()
        self.db.flush()
        self.db.backup(str(target))

    # --- writing -------------------------------------------------------------------------------------------

    def replace_graph(self, graph: str | None, quads: list[Quad] | bytes) -> None:
        """Make ``graph`` hold exactly ``quads``, as one change for readers and for a crash.

        ``quads`` is a list of quads, or the graph's triples as an N-Triples document (what an ArchiMate import
        builds: no Python object per quad). As in `load_file`: a new graph is filled in place with the bulk loader
        (the journal names it until it is complete, so a crash leaves no half graph behind). An existing graph
        that mostly stays is changed by one update holding the difference (`vskg.store.difference`: a re-import;
        none at all when nothing differs); otherwise it is filled beside it, then dropped and replaced by ADD in
        one transaction. ADD and a plain DROP cost a fraction of MOVE, which deletes quad by quad inside the
        transaction (15 s against 1.7 s for 100,000 quads).
        """
        text = quads if isinstance(quads, bytes) else None
        if graph is None:
            self.db.update("DROP SILENT DEFAULT")
            if text is not None:
                self.db.load(text, format=RdfFormat.N_TRIPLES, to_graph=DefaultGraph())
            else:
                self.db.extend(quads)
            return
        target = NamedNode(graph)
        fresh = not self.db.contains_named_graph(target)
        if not fresh:
            change = self._difference(target, quads)
            if change is not None:  # most of the graph stays: write only what differs, in one transaction
                if change:
                    self.db.update(change)
                return
        scratch = target if fresh else NamedNode(STAGING_PREFIX + uuid.uuid4().hex)
        self.journal.add(scratch.value)  # on disk before the first quad
        try:
            if text is not None:
                self.db.bulk_load(text, format=RdfFormat.N_TRIPLES, to_graph=scratch)
            elif fresh and all(q.graph_name == target for q in quads):  # no copy of each quad
                self.db.bulk_extend(quads)
            else:
                self.db.bulk_extend(Quad(q.subject, q.predicate, q.object, scratch) for q in quads)
            self.db.add_graph(scratch)
            if not fresh:
                self.db.update(f"DROP SILENT GRAPH {target} ; ADD SILENT GRAPH {scratch} TO GRAPH {target}")
                self.db.remove_graph(scratch)
            self.db.flush()
        except BaseException:
            self._forget(scratch)
            raise
        self.journal.remove(scratch.value)

    def _difference(self, target: NamedNode, quads: list[Quad] | bytes) -> str | None:
        """The update from the stored graph to ``quads`` (None: too large, replace whole), compared as N-Triples
        lines when neither side holds a blank node, else quad by quad."""
        if isinstance(quads, bytes):
            old = self.db.dump(format=RdfFormat.N_TRIPLES, from_graph=target)
            if b"_:" not in old and b"_:" not in quads:
                return difference_of_lines(target, old, quads, quads.count(b"\n"))
            quads = [
                Quad(t.subject, t.predicate, t.object, target)
                for t in pyoxigraph.parse(quads, format=RdfFormat.N_TRIPLES)
            ]
        if all(q.graph_name == target for q in quads):
            old = self.db.dump(format=RdfFormat.N_TRIPLES, from_graph=target)
            suffix = f" {target} .\n".encode()
            new = pyoxigraph.serialize(quads, format=RdfFormat.N_QUADS).replace(suffix, b" .\n")
            if b"_:" not in old and b"_:" not in new:  # a literal holding "_:" only sends it the slower way
                return difference_of_lines(target, old, new, len(quads))
        return difference_update(target, self.db.quads_for_pattern(None, None, None, target), quads)

    def add_to_graph(self, graph: str | None, quads: list[Quad]) -> None:
        self.db.extend(quads)
        if graph is not None:
            self.db.add_graph(NamedNode(graph))

    def drop_graph(self, graph: str | None) -> None:
        if graph is None:
            self.db.update("DROP SILENT DEFAULT")
        else:
            self.db.remove_graph(NamedNode(graph))

    def update(self, text: str, base_iri: str | None = None) -> None:
        """Run a SPARQL update in one transaction; relative IRIs resolve against ``base_iri`` when given."""
        self.db.update(text, base_iri=base_iri)

    def load_file(
        self, path: Path, graph: str | None = None, progress: Callable[[int, int], None] | None = None
    ) -> tuple[str, int]:
        """Replace the file's graph with the file's content; returns the graph IRI and the triple count.

        The file is streamed through the guarded reader into Oxigraph's bulk loader: no list of quads is built.
        A new graph is filled in place; an existing one is filled beside it and moved over it in one transaction.
        """
        path = Path(path)
        fmt = file_format(path)
        target = graph or path.resolve().as_uri()
        fresh = not self.db.contains_named_graph(NamedNode(target))
        scratch = NamedNode(target if fresh else STAGING_PREFIX + uuid.uuid4().hex)
        self.journal.add(scratch.value)  # on disk before the first quad
        try:
            size = path.stat().st_size
            with path.open("rb") as raw:
                reader = _ProgressReader(raw, size, progress) if progress else raw
                bulk_load(self.db, reader, fmt, scratch, name=str(path), base_iri=path.resolve().as_uri())
            self.db.add_graph(scratch)
            if not fresh:
                self.db.update(f"DROP SILENT GRAPH <{target}> ; ADD SILENT GRAPH {scratch} TO GRAPH <{target}>")
                self.db.remove_graph(scratch)
            self.db.flush()
        except OSError as err:
            self._forget(scratch)
            raise InputError(path, err.strerror or str(err)) from None
        except BaseException:
            self._forget(scratch)
            raise
        self.journal.remove(scratch.value)
        count = self.db.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}")
        return target, int(next(iter(count))["n"].value)

    def _forget(self, scratch: NamedNode) -> None:
        """Drop what an unfinished load wrote (if this fails too, the journal keeps the name for the next open)."""
        self.db.remove_graph(scratch)
        self.journal.remove(scratch.value)

    def init_bundled(self, progress: Callable[[str], None] | None = None) -> list[tuple[str, int]]:
        """Load the bundled ontology, schemes, shapes and examples (see `vskg.store.bundled`)."""
        from vskg.store.bundled import init_bundled

        loaded = init_bundled(self, progress)
        self.db.flush()
        return loaded


class _MemoryJournal:
    """The staging journal of an in-memory store: nothing survives a crash, so nothing is written down."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def entries(self) -> list[str]:
        return list(self.names)

    def add(self, iri: str) -> None:
        self.names.append(iri)

    def remove(self, iri: str) -> None:
        self.names = [name for name in self.names if name != iri]

    def clear(self) -> None:
        self.names = []


class _ProgressReader:
    """A read-only file wrapper that reports how many bytes have been consumed, for progress bars."""

    def __init__(self, raw: IO[bytes], total: int, report: Callable[[int, int], None]) -> None:
        self.raw, self.total, self.report = raw, total, report

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.report(self.raw.tell(), self.total)
        return chunk

    def peek(self, size: int = 0) -> bytes:
        position = self.raw.tell()
        head = self.raw.read(size)
        self.raw.seek(position)
        return head

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.raw)
