"""The persistent vskg store: a pyoxigraph database on disk, one named graph per loaded source.

Graph IRIs (documented in the README):

- bundled files: ``https://w3id.org/vskg/graph/<kind>/<file stem>``, kind being ontology, schemes, shapes or data;
- files loaded with ``vskg load``: the file's absolute ``file:`` IRI, unless ``--graph`` names another;
- graphs written over the Graph Store Protocol or SPARQL Update: whatever IRI the client names.

A source is replaced atomically: the new content is parsed completely before anything is written, then staged in
a scratch graph and moved over the old graph by one SPARQL ``MOVE``, which Oxigraph applies in a single
transaction. A file that fails to parse therefore leaves the store exactly as it was.

The scratch graphs are named ``urn:vskg:staging:<uuid>``. A load killed half-way leaves its scratch graph behind,
so the store keeps a journal (``vskg-staging.journal`` in the store folder) of the scratch graphs it is writing:
the name is written and fsynced before the first quad is staged and struck out after the MOVE. Opening the store
for writing drops the graphs the journal names, and only those: a client's own graph whose IRI happens to start
with the same prefix is data like any other. A read-only open first has the leftovers dropped (through a brief
writable open), so no reader ever sees an uncommitted load; if the store is being written by another process at
that moment, the open is refused instead.

`GraphStore` is the one interface the CLI and the HTTP service use, so another backend (a remote SPARQL server
reached over the protocol) can slot in by implementing the same methods.
"""

from __future__ import annotations

import fcntl
import gc
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

import pyoxigraph
from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat

from vskg.graphs import bundled_sources
from vskg.rdfio import MEDIA_TYPES as MEDIA_TYPES
from vskg.rdfio import InputError, file_format, parse_quads
from vskg.resources import locate

DEFAULT_STORE = Path(".vskg") / "store"
STAGING_PREFIX = "urn:vskg:staging:"


def store_path(option: Path | None = None) -> Path:
    """The store folder: the command-line option, else $VSKG_STORE, else ./.vskg/store."""
    if option is not None:
        return option
    env = os.environ.get("VSKG_STORE")
    return Path(env) if env else DEFAULT_STORE


@dataclass
class GraphStats:
    graph: str
    triples: int


@dataclass
class StoreStats:
    graphs: list[GraphStats] = field(default_factory=list)
    classes: list[tuple[str, int]] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)


SERVICE_LOCK = "vskg-service.lock"


class StoreInUse(OSError):
    """Another process (a running `vskg serve`) has the store."""


def lock_for_service(path: Path) -> IO[bytes]:
    """Mark the store as owned by a running service; the returned file holds the lock until it is closed.

    The service keeps only read-only handles open between writes, which RocksDB's own lock does not cover, so
    without this a `vskg load` from another process could write under the service's readers.
    """
    Path(path).mkdir(parents=True, exist_ok=True)
    handle = open(Path(path) / SERVICE_LOCK, "wb")  # noqa: SIM115 - held open for the service's lifetime
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise StoreInUse(f"the store {path} is in use by another process") from None
    return handle


def check_not_served(path: Path) -> None:
    """Raise StoreInUse if a service holds the store."""
    lock = Path(path) / SERVICE_LOCK
    if not lock.exists():
        return
    with open(lock, "rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreInUse(f"the store {path} is in use by another process") from None
        fcntl.flock(handle, fcntl.LOCK_UN)


class GraphStore(Protocol):
    """What the CLI and the service need from a store, whatever holds the data."""

    def graphs(self) -> list[str]: ...
    def has_graph(self, graph: str | None) -> bool: ...
    def replace_graph(self, graph: str | None, quads: list[Quad]) -> None: ...
    def add_to_graph(self, graph: str | None, quads: list[Quad]) -> None: ...
    def drop_graph(self, graph: str | None) -> None: ...
    def serialize_graph(self, graph: str | None, fmt: RdfFormat) -> bytes: ...
    def update(self, text: str, base_iri: str | None = None) -> None: ...
    def dump(self, output: IO[bytes] | Path, fmt: RdfFormat = RdfFormat.N_QUADS) -> None: ...
    def stats(self) -> StoreStats: ...


STAGING_JOURNAL = "vskg-staging.journal"


class StagingJournal:
    """The scratch graphs a writer has started to fill and not yet moved into place, one IRI a line, on disk.

    Every change is fsynced (the file, and the folder when the file appears or goes) before the caller goes on,
    so after a crash the journal names every scratch graph that may hold quads.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.file = self.folder / STAGING_JOURNAL

    def entries(self) -> list[str]:
        try:
            text = self.file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return [line for line in text.splitlines() if line.startswith(STAGING_PREFIX)]

    def add(self, iri: str) -> None:
        self._write([*self.entries(), iri])

    def remove(self, iri: str) -> None:
        self._write([entry for entry in self.entries() if entry != iri])

    def clear(self) -> None:
        self._write([])

    def _write(self, entries: list[str]) -> None:
        if not entries:
            if self.file.exists():
                self.file.unlink()
                _fsync_folder(self.folder)
            return
        scratch = self.file.with_suffix(".tmp")
        with open(scratch, "w", encoding="utf-8") as handle:
            handle.write("".join(f"{entry}\n" for entry in entries))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(scratch, self.file)
        _fsync_folder(self.folder)


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


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

    def query(self, text: str, **options):
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

    def replace_graph(self, graph: str | None, quads: list[Quad]) -> None:
        """Make ``graph`` hold exactly ``quads``, in one transaction as far as readers can see."""
        if graph is None:
            self.db.update("DROP SILENT DEFAULT")
            self.db.extend(quads)
            return
        staging = NamedNode(STAGING_PREFIX + uuid.uuid4().hex)
        self.journal.add(staging.value)  # on disk before the first staged quad
        try:
            self.db.extend(Quad(q.subject, q.predicate, q.object, staging) for q in quads)
            self.db.add_graph(staging)
            self.db.update(f"MOVE SILENT GRAPH {staging} TO GRAPH <{graph}>")
        except BaseException:
            self.db.remove_graph(staging)  # if this fails too, the journal keeps the name for the next open
            self.journal.remove(staging.value)
            raise
        self.journal.remove(staging.value)
        if not quads:  # MOVE of an empty graph leaves no trace; an empty graph still exists once written
            self.db.add_graph(NamedNode(graph))

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
        """Replace the file's graph with the file's content; returns the graph IRI and the triple count."""
        path = Path(path)
        fmt = file_format(path)
        target = graph or path.resolve().as_uri()
        try:
            size = path.stat().st_size
            with path.open("rb") as raw:
                reader = _ProgressReader(raw, size, progress) if progress else raw
                quads = parse_quads(reader, fmt, target, name=str(path), base_iri=path.resolve().as_uri())
        except OSError as err:
            raise InputError(path, err.strerror or str(err)) from None
        self.replace_graph(target, quads)
        return target, len(quads)

    def init_bundled(self, progress: Callable[[str], None] | None = None) -> list[tuple[str, int]]:
        """Load the bundled ontology, schemes, shapes and examples, each file into its own graph."""
        loaded = []
        for path, graph in bundled_sources(locate(), with_shapes=True):
            if progress:
                progress(path.name)
            loaded.append(self.load_file(path, graph))
        self.db.flush()
        return loaded


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
