"""The portfolio analysis of every stream, kept up to date across writes instead of recomputed from zero.

At a million triples a full analysis takes tens of seconds, nearly all of it reading about half a million facts and
building the figures (and JSON) of thousands of streams, while a typical write touches one stage. A copy of the facts
would cost hundreds of MB, so `LivePortfolio` keeps only, between writes:

- each stream's analysis, its JSON once asked for (a deflate `Segment`), and the nodes its figures looked up
  (``Facts.seen``), as 64-bit hashes, with the reverse index node -> streams;
- per graph, the hashes of the nodes of its analysed facts (the properties of ``facts.SCANNED`` and the labels);
- per node, a digest (XOR of hashes) of its analysed facts and its label, as of the last full read;
- the graph-wide tables of ``portfolio.Tables``, each with the properties it reads, and the labels the
  cross-stream parts showed (`Glue`);
- the last analysis, and the JSON of its cross-stream parts.

A write reports what it did as a `Change`. Its quads (put in the form Oxigraph stores them in) name the nodes it
touched; a replaced or dropped graph touches every node it held. The streams that looked up a touched node are
analysed again from facts read for them alone (`facts.read_stream_facts`), and only the tables that read a property
the write touched are forgotten. The cross-stream parts (order, MCA matrix, shared capabilities, platforms and
systems, maturity cells) are then combined again from the per-stream results by the same code as a full analysis
(``portfolio.combine``), so the result is that of a full recompute; they are kept as they were when nothing they
read changed: the same streams, each rebuilt one the same in what they read of it (`crossed`), no table, label,
type, notation or replaced graph touched (a lead time, the typical write, changes none of them).

The /api/portfolio document (125 MB of JSON at a million triples) is built as one gzip member (`gzipped`) from the
streams' segments laid end to end, their CRC-32s combined without their text: a write costs the JSON of the
streams it touched, and the service keeps and sends the document compressed (a tenth of the size).

Behind a SPARQL server other than Oxigraph, whose forms may differ, nothing is kept: each analysis is a full one
(`keeps_up_with`).

When the quads of a write are not known (a SPARQL update with any operation other than INSERT DATA / DELETE DATA,
an update the tokenizer cannot split, a failed write, a write made without saying what it did), or a graph is
replaced or dropped that received blank nodes (the store names them anew, so its node hashes are not known), every
analysed fact is read again: the nodes whose digest differs, or that a write patched since the last full read, are
touched, and their streams are built from the facts just read. At a million triples this costs the read of the
facts, about a third of a full analysis.

Only the analysis of all the streams of the graph is kept live; that of a named portfolio is computed in full.
"""

from __future__ import annotations

import gc
import json
import struct
import threading
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import pyoxigraph
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad

from vskg import labels
from vskg.analytics.facts import (
    INVERSES,
    LABEL_PROPERTIES,
    PREFIXES,
    RDF_TYPE,
    SCANNED,
    SKOS_NOTATION,
    Facts,
    Source,
    node_id,
    read_stream_facts,
)
from vskg.analytics.model import PortfolioAnalysis, StreamAnalysis, to_json
from vskg.analytics.portfolio import Tables, analyse_portfolio, combine, shared_systems
from vskg.analytics.stream import build_stream
from vskg.sparql_lexer import PUNCT, WORD, tokenize
from vskg.vocab import VSKG

Triple = tuple[str, str, Any]  # subject node id, property CURIE (or a LABEL_PROPERTIES code), object term
Graph = str | None  # a named graph's IRI, None for the default graph

LABEL_CODES = {iri: code for code, iri in LABEL_PROPERTIES.items()}
# The full IRI of each property the stream figures read -> the CURIE the facts index knows it by.
IRI_OF_FACT = {(VSKG + c[5:] if c.startswith("vskg:") else SKOS_NOTATION): c for c in SCANNED.values()}
# The full IRI of the inverse of such a property -> the CURIE the fact is filed under, subject and object swapped.
FLIPPED_FACT = {VSKG + INVERSES[c][5:]: c for c in SCANNED.values() if c in INVERSES}


def triple_of(quad: Quad | tuple[Any, Any, Any]) -> Triple | None:
    """The mirror's form of a triple the analysis reads, or None for one it never reads."""
    subject, predicate, obj = quad[0], quad[1], quad[2]
    prop = predicate.value
    if prop in IRI_OF_FACT:
        return (node_id(subject), IRI_OF_FACT[prop], obj)
    if prop in FLIPPED_FACT and not isinstance(obj, Literal):
        return (node_id(obj), FLIPPED_FACT[prop], subject)
    if prop in LABEL_CODES and isinstance(subject, NamedNode) and isinstance(obj, Literal):
        return (subject.value, LABEL_CODES[prop], obj)
    return None


def _either(iri: str) -> str:
    """A property as a SPARQL path that also reads its inverse (one row per fact even when both are stated)."""
    inverse = next((i for i, c in FLIPPED_FACT.items() if VSKG + c[5:] == iri), None)
    return f"(<{iri}>|^<{inverse}>)" if inverse else f"<{iri}>"


def graph_of(quad: Quad) -> Graph:
    return None if isinstance(quad.graph_name, DefaultGraph) else quad.graph_name.value


# --- what a write did --------------------------------------------------------------------------------------------


@dataclass
class Change:
    """What a write did to the store, in order: quads inserted or deleted, graphs replaced, merged into or dropped.

    ``everything`` means that what it did is not known (every graph is read again).
    """

    steps: list[tuple[str, Graph, list[Quad]]] = field(default_factory=list)
    everything: bool = False

    @classmethod
    def unknown(cls) -> Change:
        return cls(everything=True)

    @classmethod
    def replaced(cls, graph: Graph, quads: Iterable[Quad]) -> Change:
        return cls([("put", graph, list(quads))])

    @classmethod
    def merged(cls, graph: Graph, quads: Iterable[Quad]) -> Change:
        return cls([("add", graph, list(quads))])

    @classmethod
    def dropped(cls, graph: Graph) -> Change:
        return cls([("drop", graph, [])])

    @classmethod
    def of_update(cls, text: str, base: str | None = None) -> Change:
        """The quads an update inserts and deletes, when it is made of INSERT DATA and DELETE DATA only."""
        steps = data_operations(text, base)
        return cls.unknown() if steps is None else cls(steps)


def data_operations(text: str, base: str | None) -> list[tuple[str, Graph, list[Quad]]] | None:
    """The (insert|delete, None, quads) steps of an update made only of DATA operations; None for any other.

    Each operation is run, with the prologue declared before it, as an INSERT DATA on an empty scratch store, so the
    quads are those the engine's own parser finds (a DELETE DATA is turned into an INSERT DATA for this).
    """
    tokens = tokenize(text, base)
    if not tokens.complete:
        return None
    prologue, depth, operation, start, rewrite = [], 0, None, None, None
    steps: list[tuple[str, Graph, list[Quad]]] = []
    listed = [*tokens.tokens, None]
    i = 0
    while i < len(listed):
        token = listed[i]
        word = token.upper if token is not None and token.kind in (PUNCT, WORD) else ""
        if token is None or (depth == 0 and word == ";"):
            if operation is not None:
                body = text[start : token.start if token is not None else len(text)]
                quads = _scratch_quads("".join(prologue) + rewrite + body, base)
                if quads is None:
                    return None
                steps.append((operation, None, quads))
            elif start is not None:
                return None
            operation = start = None
            i += 1
            continue
        if word in ("{", "{|"):
            depth += 1
        elif word in ("}", "|}"):
            depth -= 1
        elif depth == 0 and operation is None and word in ("PREFIX", "BASE"):
            count = 3 if word == "PREFIX" else 2
            last = listed[i + count - 1] if i + count - 1 < len(listed) else None
            if last is None:
                return None
            prologue.append(text[token.start : last.end] + "\n")
            i += count
            continue
        elif depth == 0 and operation is None:
            following = listed[i + 1]
            if word not in ("INSERT", "DELETE") or following is None or following.upper != "DATA":
                return None
            operation, rewrite, start = word.lower(), "INSERT ", following.start
        i += 1
    return steps


def _scratch_quads(text: str, base: str | None) -> list[Quad] | None:
    scratch = pyoxigraph.Store()
    try:
        scratch.update(text, base_iri=base)
    except (SyntaxError, ValueError, RuntimeError, OSError):
        return None
    return list(scratch)


# --- the live analysis -----------------------------------------------------------------------------------------


# The properties that only the per-stream figures read: the cross-stream parts see them through the streams'
# analyses (`crossed`); everything else (types, notations, schemes, labels, the tables) they may read themselves.
STREAM_ONLY = IRI_OF_FACT.keys() - set().union(*Tables.READS.values()) - {RDF_TYPE, SKOS_NOTATION}
# The cross-stream parts of the document after the streams, in its order (then shared_systems).
REST = ("dimensions", "matrix", "shared_capabilities", "shared_platforms", "maturity")
ALIGNED = "vskg:alignedDimension"
ALIGNMENT = "vskg:hasMCAAlignment"


def key_of(node: str) -> int:
    """The small int a node is remembered by (its hash: two nodes sharing one only cost an extra rebuild)."""
    return hash(node)


@dataclass(frozen=True)
class Segment:
    """A piece of a document compressed on its own: raw deflate ending on a byte boundary, not final, so that pieces
    can be laid end to end into one deflate stream (each refers back only into itself); with the length and CRC-32
    of its text, which the gzip trailer needs, and the CRC-32 of as many zero bytes, which moves a running CRC-32
    past the piece without its text (a CRC is affine in the register, so crc(text, c) = crc(text, 0) ^ crc(zeros,
    c) ^ crc(zeros, 0))."""

    deflated: bytes
    size: int
    crc: int
    zeros_crc: int

    @classmethod
    def of(cls, text: bytes) -> Segment:
        packer = zlib.compressobj(1, zlib.DEFLATED, -15)
        deflated = packer.compress(text) + packer.flush(zlib.Z_SYNC_FLUSH)
        return cls(deflated, len(text), zlib.crc32(text), zlib.crc32(_zeros(len(text))))

    def text(self) -> bytes:
        return zlib.decompressobj(-15).decompress(self.deflated)


_ZEROS = [bytes(1 << 16)]


def _zeros(size: int) -> memoryview:
    if len(_ZEROS[0]) < size:
        _ZEROS[0] = bytes(max(size, 2 * len(_ZEROS[0])))
    return memoryview(_ZEROS[0])[:size]


# A gzip member's header: deflate, no name, no time (as gzip.compress(mtime=0) writes it), and the empty final block.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
FINAL_BLOCK = b"\x03\x00"


def gzip_of(pieces: list[bytes | Segment]) -> bytes:
    """One gzip member whose text is the pieces' texts in order; a Segment is copied as it is, without inflating."""
    crc, size, body = 0, 0, [GZIP_HEADER]
    for piece in pieces:
        if isinstance(piece, Segment):
            crc = zlib.crc32(_zeros(piece.size), crc) ^ piece.zeros_crc ^ piece.crc
            size += piece.size
            body.append(piece.deflated)
        else:
            crc = zlib.crc32(piece, crc)
            size += len(piece)
            packer = zlib.compressobj(1, zlib.DEFLATED, -15)
            body += [packer.compress(piece), packer.flush(zlib.Z_SYNC_FLUSH)]
    body += [FINAL_BLOCK, struct.pack("<II", crc, size & 0xFFFFFFFF)]
    return b"".join(body)


@dataclass
class Entry:
    """One stream's analysis, the keys of the nodes its figures looked up, and once asked for its JSON with a comma
    in front (the form it takes in the document after the first stream), compressed (`Segment`)."""

    analysis: StreamAnalysis
    seen: array
    part: Segment | None = None


class Glue(Facts):
    """What the cross-stream parts (`portfolio.combine`) look up, answered from the streams' analyses.

    ``combine`` asks for a stream's stages, their enabling capabilities and the dimensions the stream is aligned to
    (through its alignment nodes), all of which a `StreamAnalysis` holds in full; it reads the labels it shows
    itself (`read_labels`), and those are kept here until a write touches them. The stream stands in for its
    alignment nodes: only the set of dimensions reached through them is used.
    """

    def __init__(self) -> None:
        super().__init__()
        self.links: dict[tuple[str, str], set[str]] = {}

    def relink(self, analyses: Iterable[StreamAnalysis]) -> None:
        links: dict[tuple[str, str], set[str]] = {}
        for analysis in analyses:
            stream = analysis.stream.iri
            links[stream, "vskg:hasStage"] = {figures.stage.iri for figures in analysis.stages}
            for figures in analysis.stages:
                links[figures.stage.iri, "vskg:enabledBy"] = {c.iri for c in figures.capabilities}
            if analysis.alignment:
                links[stream, ALIGNMENT] = {stream}
                links[stream, ALIGNED] = {a.dimension.iri for a in analysis.alignment}
        self.links = links

    def objects(self, subject: str, prop: str) -> set[str]:
        return set(self.links.get((subject, prop), ()))

    def refs(self, subject: str, prop: str) -> list[str]:
        return sorted(self.links.get((subject, prop), ()), key=self.sort_key)


class LivePortfolio:
    """The analysis of every stream of the graph, patched by each write's `Change` (see the module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[Change] = []
        self._started = False  # False until the first analysis reads the store
        self._entries: dict[str, Entry] = {}
        self._users: dict[int, str | set[str]] = {}  # node key -> the stream(s) whose figures looked it up
        self._nodes: dict[Graph, array] = {}  # per graph, the keys of the nodes of its analysed facts (a superset)
        self._vague: set[Graph] = set()  # graphs whose node keys may miss blank nodes the store named anew
        self._digest_keys = array("q")  # node keys, sorted, and the digest of each one's facts at the last scan
        self._digests = array("q")
        self._dirty: set[int] = set()  # nodes patched since the last scan
        self._glue = Glue()
        self._tables: Tables | None = None
        self._present: dict[Graph, set[str]] = {}  # per graph, table properties it may hold (a superset)
        self._stale: set[str] = set()  # streams to rebuild
        self._scanned: Facts | None = None  # every fact, while a scan made during this analysis is at hand
        self._combined: PortfolioAnalysis | None = None  # the last analysis
        self._unsettled = True  # whether the cross-stream parts may have changed beyond the rebuilt streams
        self._combinations = 0  # how many times the cross-stream parts were worked out
        # the cross-stream parts of the last document (as of which combination), and their JSON
        self._rest: tuple[int, tuple, Segment] | None = None
        self.rebuilt = 0  # streams built by the last analysis (for tests and the bench)

    def written(self, change: Change | None) -> None:
        """Note a write (None: what it did is unknown); it is applied at the next analysis (none before the first:
        that one reads the store as it is then)."""
        with self._lock:
            if self._started:
                self._pending.append(change or Change.unknown())

    def analysis(self, source: Source) -> PortfolioAnalysis:
        if not keeps_up_with(source):
            return analyse_portfolio(source)  # nothing is kept, so writes noted for it are none (see `written`)
        with self._lock, _no_collection(collect=not self._started):
            try:
                if not self._started:
                    self._pending.clear()
                    self._tables = Tables(source)
                    self._scan(source)
                    self._started = True
                while self._pending:
                    self._apply(source, self._pending.pop(0))
                assert self._tables is not None
                self._tables.source = source
                streams = self._tables.get("streams")
                for gone in set(self._entries) - set(streams):
                    self._drop_entry(gone)
                build = [s for s in streams if s in self._stale or s not in self._entries]
                before = {s: self._entries[s].analysis for s in build if s in self._entries}
                self._build(source, build)
                self._stale.clear()
            finally:
                self._scanned = None
            return self._combine(source, streams, before)

    def _combine(self, source: Source, streams: list[str], before: dict[str, StreamAnalysis]) -> PortfolioAnalysis:
        """The cross-stream parts from the streams' analyses: those of the last analysis when nothing they read
        changed (the same streams, each rebuilt one the same for them, no table, label or graph touched), else
        worked out again (``before``: the analyses of the rebuilt streams until now)."""
        assert self._tables is not None
        last = self._combined
        if (
            last is not None
            and not self._unsettled
            and len(last.streams) == len(streams) == len(self._entries)
            and all(
                old.stream.iri in self._entries and crossed(old) == crossed(self._entries[old.stream.iri].analysis)
                for old in before.values()
            )
            and all(analysis.stream.iri in self._entries for analysis in last.streams)
        ):
            result = replace(last, streams=tuple(self._entries[a.stream.iri].analysis for a in last.streams))
        else:
            analyses = [self._entries[s].analysis for s in streams]
            self._glue.relink(analyses)
            result = combine(source, self._glue, analyses, self._tables)
            self._combinations += 1
        self._combined, self._unsettled = result, False
        return result

    def gzipped(self, source: Source) -> bytes:
        """The JSON of /api/portfolio (every stream) as one gzip member, laid together from compressed pieces kept
        per stream (and for the cross-stream parts) until they change: nothing unchanged is inflated or encoded."""
        result = self.analysis(source)
        with self._lock, _no_collection(collect=False):
            pieces: list[bytes | Segment] = []
            for stream in result.streams:
                entry = self._entries.get(stream.stream.iri)
                if entry is None or entry.analysis is not stream:
                    part = Segment.of(b"," + dumps(to_json(stream)).encode("utf-8"))
                else:
                    if entry.part is None:
                        entry.part = Segment.of(b"," + dumps(to_json(stream)).encode("utf-8"))
                    part = entry.part
                pieces.append(part if pieces else b'{"streams":[' + part.text()[1:])
            if not pieces:
                pieces.append(b'{"streams":[')
            pieces.append(self._rest_of(result))
        return gzip_of(pieces)

    def document(self, source: Source) -> bytes:
        """The JSON of /api/portfolio (every stream), uncompressed."""
        return zlib.decompress(self.gzipped(source), 31)

    def _rest_of(self, result: PortfolioAnalysis) -> Segment:
        """The end of the document after the streams, kept while the cross-stream parts stay the same."""
        kept = self._rest
        if kept is not None and kept[0] == self._combinations and result is self._combined:
            return kept[2]
        parts = (*(getattr(result, name) for name in REST), shared_systems(result))
        if kept is None or kept[1] != parts:
            rest = {name: to_json(value) for name, value in zip((*REST, "shared_systems"), parts, strict=True)}
            kept = (self._combinations, parts, Segment.of(b"]," + dumps(rest)[1:].encode("utf-8")))
        if result is self._combined:
            self._rest = (self._combinations, kept[1], kept[2])
        return kept[2]

    # --- reading and patching ----------------------------------------------------------------------------------

    def _scan(self, source: Source) -> None:
        """Read every analysed fact of every graph: the node keys of each graph, the digest of each node's facts;
        the streams whose nodes' digests differ from the last scan's (or were patched since) go stale. The facts
        themselves are kept for this analysis only when no stream is known yet (all are to be built from them);
        otherwise the few stale streams read theirs."""
        graphs = [None, *graph_names(source)]
        facts, nodes, chosen, digests = self._read_graphs(source, graphs, keep=not self._entries)
        for node, label in chosen.items():
            key = key_of(node)
            digests[key] = digests.get(key, 0) ^ hash((node, "label", label))
        changed = self._dirty
        for key, digest in zip(self._digest_keys, self._digests, strict=True):
            if digests.get(key, 0) != digest:
                changed.add(key)
        old = set(self._digest_keys)
        changed.update(key for key in digests if key not in old)
        for key in changed:
            self._touch(key)
        self._digest_keys = array("q", sorted(digests))
        self._digests = array("q", (digests[key] for key in self._digest_keys))
        self._dirty = set()
        self._nodes = nodes
        self._vague.clear()
        self._present = self._read_present(source, graphs)
        self._glue = Glue()
        self._unsettled = True
        self._scanned = facts

    def _apply(self, source: Source, change: Change) -> None:
        assert self._tables is not None
        if change.everything or any(
            step in ("put", "drop") and graph in self._vague for step, graph, _ in change.steps
        ):
            self._forget(None)
            self._scan(source)
            return
        touched_properties: set[str] = set()
        for step, graph, quads in change.steps:
            quads = as_stored(quads)
            if step in ("put", "drop", "add"):
                self._forget(self._present.get(graph, set()) | {q.predicate.value for q in quads})
                self._unsettled = True
                if step != "add":
                    for key in self._nodes.pop(graph, ()):
                        self._patched(key)
                    self._present[graph] = set()
                    self._vague.discard(graph)
                    self._glue = Glue()  # the labels the graph held are not known one by one
                self._present.setdefault(graph, set()).update(q.predicate.value for q in quads)
            for quad in quads:
                target = graph if step in ("put", "add") else graph_of(quad)
                touched_properties.add(quad.predicate.value)
                if step == "insert":
                    self._present.setdefault(target, set()).add(quad.predicate.value)
                triple = triple_of(quad)
                if triple is None:
                    continue
                if step != "delete" and _blank(quad):
                    self._vague.add(target)
                keys = [key_of(triple[0])]
                if triple[1] in LABEL_PROPERTIES:
                    self._glue.set_label(triple[0], None)
                    self._unsettled = True
                elif not isinstance(triple[2], Literal):
                    keys.append(key_of(node_id(triple[2])))
                for key in keys:
                    self._patched(key)
                if step != "delete":
                    self._nodes.setdefault(target, array("q")).extend(keys)
        self._forget(touched_properties)
        if not touched_properties <= STREAM_ONLY:
            self._unsettled = True

    def _forget(self, properties: set[str] | None) -> None:
        """Drop the tables that read any of ``properties`` (None: all); the cross-stream parts read them."""
        assert self._tables is not None
        known = len(self._tables.known)
        self._tables.forget(properties)
        if len(self._tables.known) != known:
            self._unsettled = True

    def _patched(self, key: int) -> None:
        self._dirty.add(key)
        self._touch(key)

    def _read_graphs(
        self, source: Source, graphs: list[Graph], keep: bool
    ) -> tuple[Facts | None, dict[Graph, array], dict[str, str], dict[int, int]]:
        """The union of the analysed facts of ``graphs`` with every label chosen (if ``keep``), each graph's node
        keys, the chosen labels, and per node key the XOR of the hashes of the (graph, fact) pairs that name it
        (a fact stated in two graphs counts twice). A few hundred thousand rows at a million triples: the loop is
        kept tight."""
        facts = Facts()
        digests: dict[int, int] = {}
        digest = digests.get
        found: dict[Graph, array] = defaultdict(lambda: array("q"))
        best: dict[str, tuple[tuple[int, str], str]] = {}
        iris = [*IRI_OF_FACT, *LABEL_CODES]
        union = " UNION ".join(f'{{ ?s {_either(iri)} ?o BIND("{i}" AS ?p) }}' for i, iri in enumerate(iris))
        # per code: the CURIE of a fact (and None), or None and the label property
        kinds = {str(i): (IRI_OF_FACT.get(iri), iri if iri in LABEL_CODES else None) for i, iri in enumerate(iris)}
        add = facts.add_ids
        rank = labels.rank

        def collect(rows: Any, named: bool) -> None:
            graph, into = None, found[None].append
            for row in rows:
                if named:
                    name, subject, code, obj = row
                    if name.value != graph:
                        graph = name.value
                        into = found[graph].append
                else:
                    subject, code, obj = row
                prop, label = kinds[code.value]
                if prop is None:
                    if type(subject) is not NamedNode or type(obj) is not Literal:
                        continue
                    node = subject.value
                    into(hash(node))
                    candidate = (rank(label, obj.language), obj.value)
                    known = best.get(node)
                    if known is None or candidate < known[0]:
                        best[node] = (candidate, obj.value)
                    continue
                node = node_id(subject)
                key = hash(node)
                into(key)
                mark = hash((graph, node, prop, obj))
                digests[key] = digest(key, 0) ^ mark
                if keep:
                    add(node, prop, obj)
                if type(obj) is not Literal:
                    key = hash(node_id(obj))
                    into(key)
                    digests[key] = digest(key, 0) ^ mark

        if None in graphs:
            collect(source.query(PREFIXES + f"SELECT ?s ?p ?o WHERE {{ {union} }}"), False)
        named = [g for g in graphs if g is not None]
        if named:
            scope = " ".join(str(NamedNode(g)) for g in named)
            query = f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {scope} }} GRAPH ?g {{ {union} }} }}"
            collect(source.query(PREFIXES + query), True)
        chosen = {node: text for node, (_, text) in best.items()}
        nodes = {graph: array("q", sorted(set(keys))) for graph, keys in found.items()}
        if not keep:
            return None, nodes, chosen, digests
        for node, text in chosen.items():
            facts.set_label(node, text)
        facts.mark_all_labelled()
        return facts, nodes, chosen, digests

    def _read_present(self, source: Source, graphs: list[Graph]) -> dict[Graph, set[str]]:
        """Which properties of the tables each of ``graphs`` holds."""
        found: dict[Graph, set[str]] = {graph: set() for graph in graphs}
        properties = " ".join(f"<{p}>" for p in sorted(_all_table_properties()))
        if None in graphs:
            for (prop,) in source.query(f"SELECT DISTINCT ?p WHERE {{ VALUES ?p {{ {properties} }} ?s ?p ?o }}"):
                found[None].add(prop.value)
        named = [g for g in graphs if g is not None]
        if named:
            scope = " ".join(str(NamedNode(g)) for g in named)
            for graph, prop in source.query(
                f"SELECT DISTINCT ?g ?p WHERE {{ VALUES ?g {{ {scope} }} VALUES ?p {{ {properties} }} "
                "GRAPH ?g { ?s ?p ?o } }"
            ):
                found[graph.value].add(prop.value)
        return found

    def _touch(self, key: int) -> None:
        users = self._users.get(key)
        if isinstance(users, str):
            self._stale.add(users)
        elif users:
            self._stale |= users

    # --- streams -----------------------------------------------------------------------------------------------

    def _build(self, source: Source, streams: list[str]) -> None:
        """Analyse ``streams`` again from the facts read for them now (or those of a scan made meanwhile)."""
        self.rebuilt = len(streams)
        if not streams:
            return
        facts = self._scanned if self._scanned is not None else read_stream_facts(source, streams)
        for stream in streams:
            self._drop_entry(stream)
            seen: set[str] = set()
            facts.seen = seen
            try:
                analysis = build_stream(facts, stream)
            finally:
                facts.seen = None
            keys = array("q", sorted({key_of(node) for node in seen}))
            self._entries[stream] = Entry(analysis, keys)
            for key in keys:
                users = self._users.get(key)
                if users is None:
                    self._users[key] = stream
                elif isinstance(users, str):
                    self._users[key] = {users, stream}
                else:
                    users.add(stream)

    def _drop_entry(self, stream: str) -> None:
        entry = self._entries.pop(stream, None)
        if entry is None:
            return
        for key in entry.seen:
            users = self._users.get(key)
            if users == stream:
                del self._users[key]
            elif isinstance(users, set):
                users.discard(stream)
                if len(users) == 1:
                    self._users[key] = users.pop()


@contextmanager
def _no_collection(collect: bool) -> Iterator[None]:
    """No cyclic garbage collection meanwhile: the analysis is about a million objects at a million triples, and the
    collections that the many small results set off would walk all of them. Reference counting still frees.

    Afterwards the objects still alive are frozen (`gc.freeze`): they are long-lived by design, and otherwise the next
    full collection, set off by any request, walks them all while holding the interpreter (0.85 s at a million
    triples: a reader of the service stalled 0.7 s during the writes that followed a portfolio). The first, full
    analysis (``collect``) leaves cyclic garbage of its reads, so one collection runs before the freeze; what the
    analysis keeps is acyclic, so results replaced after a write are still freed by reference counting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if collect:
                gc.collect()
            gc.freeze()
            gc.enable()


def as_stored(quads: list[Quad]) -> list[Quad]:
    """The quads as Oxigraph stores and returns them: literals in canonical form ("20.0" decimal reads back "20")."""
    scratch = pyoxigraph.Store()
    scratch.extend(quads)
    return list(scratch)


def keeps_up_with(source: Source) -> bool:
    """Whether the live analysis suits the store: it returns terms as Oxigraph stores them (the embedded store, the
    managed engine, Oxigraph server), so that quads known from a write can be matched with what was read. Another
    server gets the plain analysis (`analyse_portfolio`): the per-graph reads behind the mirror crash Virtuoso 7
    (a segfault on `VALUES ?g { … } GRAPH ?g { … UNION … }` with BINDs), and its terms would need re-reading anyway."""
    dialect = getattr(source, "dialect", None)
    return dialect is None or dialect.name == "oxigraph"


def graph_names(source: Source) -> list[str]:
    """The named graphs of the store (a vskg Backend says; anything else is asked)."""
    listed = getattr(source, "graphs", None)
    if listed is not None:
        return list(listed())
    return [row[0].value for row in source.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")]


def _blank(quad: Quad) -> bool:
    return isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode)


def _all_table_properties() -> set[str]:
    return set().union(*Tables.READS.values())


def dumps(value: Any) -> str:
    """JSON as the API's JSONResponse writes it."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))


def crossed(analysis: StreamAnalysis) -> tuple:
    """What the cross-stream parts (``portfolio.combine``) read of a stream's analysis: its order in the portfolio,
    its stages' capabilities and systems, the dimensions it is aligned to."""
    stages = tuple((s.stage.iri, s.capabilities, s.systems) for s in analysis.stages)
    return (analysis.stream, analysis.organisation, stages, tuple(a.dimension.iri for a in analysis.alignment))
