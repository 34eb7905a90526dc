"""The one way RDF comes into vskg: every document from HTTP, the command line and the importers is parsed here.

Why one guarded door: the parsers themselves are fast and strict (pyoxigraph's, linear in the input), but each
syntax has a way to make a parser do far more than read the bytes it was given, and a check that only some paths
make is a check an attacker goes around. So every document is read through `GuardedReader`, which sees each byte
before the parser does and stops the parse with an `InputError` (file, line, reason) as soon as:

- the document is larger than the size limit (``VSKG_MAX_RDF_BYTES``, default 1 GiB; the service also caps request
  bodies with ``VSKG_MAX_BODY_BYTES``);
- an RDF/XML document holds a DOCTYPE anywhere (pyoxigraph's RDF/XML parser expands internal entities, so a
  "billion laughs" DOCTYPE would take the process's memory). The scan overlaps chunk boundaries, and NUL bytes or a
  UTF-16/32 byte-order mark are refused, so the DOCTYPE cannot hide in another encoding;
- a JSON-LD document nests deeper than ``VSKG_MAX_JSONLD_DEPTH`` (default 100) arrays and objects, counted outside
  strings in one linear pass (the parser's memory and stack grow with depth; thousands of levels crash it).

JSON-LD contexts are never fetched: pyoxigraph has no document loader unless one is given, and none is, so a remote
or ``file:`` ``@context`` is a syntax error, not a request.

The module also converts terms between pyoxigraph and rdflib directly (pyshacl and the report writers work on
rdflib graphs), instead of serialising N-Triples and re-parsing them with rdflib, which is quadratic in the length
of a literal.
"""

from __future__ import annotations

import io
import os
import re
import xml.parsers.expat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pyoxigraph
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Triple

if TYPE_CHECKING:
    import rdflib

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# File suffix -> syntax.
FORMATS: dict[str, RdfFormat] = {
    ".ttl": RdfFormat.TURTLE,
    ".turtle": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".trig": RdfFormat.TRIG,
    ".rdf": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
    ".xml": RdfFormat.RDF_XML,
    ".jsonld": RdfFormat.JSON_LD,
    ".json": RdfFormat.JSON_LD,
}

# Media type -> syntax, for HTTP bodies and answers.
MEDIA_TYPES: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/x-turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/plain": RdfFormat.N_TRIPLES,
    "application/n-quads": RdfFormat.N_QUADS,
    "application/trig": RdfFormat.TRIG,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/xml": RdfFormat.RDF_XML,
    "application/ld+json": RdfFormat.JSON_LD,
}

DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
DEFAULT_MAX_JSON_DEPTH = 100
DEFAULT_MAX_XML_DEPTH = 1000
CHUNK = 64 * 1024

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_OVERLAP = len(b"<!DOCTYPE") - 1
_JSON_STRUCTURE = re.compile(rb'[\[\]{}"]')
_JSON_STRING_BODY = re.compile(rb'[^"\\]*')
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


class InputError(Exception):
    """An input that cannot be read as RDF; carries what a person needs to fix it."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Limits:
    """How much a document may ask of the parser."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_json_depth: int = DEFAULT_MAX_JSON_DEPTH
    max_xml_depth: int = DEFAULT_MAX_XML_DEPTH

    @classmethod
    def from_env(cls) -> Limits:
        return cls(
            max_bytes=int(os.environ.get("VSKG_MAX_RDF_BYTES", str(DEFAULT_MAX_BYTES))),
            max_json_depth=int(os.environ.get("VSKG_MAX_JSONLD_DEPTH", str(DEFAULT_MAX_JSON_DEPTH))),
            max_xml_depth=int(os.environ.get("VSKG_MAX_XML_DEPTH", str(DEFAULT_MAX_XML_DEPTH))),
        )


def file_format(path: Path) -> RdfFormat:
    """The syntax of a file, chosen by its suffix."""
    try:
        return FORMATS[Path(path).suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise InputError(path, f"unknown RDF file type {Path(path).suffix!r}; use one of {known}") from None


def syntax_error(name: Path | str, err: SyntaxError) -> InputError:
    """Turn a pyoxigraph parse error into an InputError: its line, and its reason without the position prefix."""
    message = re.sub(r"\s*\((?:[^()]*, )?line \d+\)$", "", str(err))
    message = re.sub(r"^Parser error (at|between) line \d+[^:]*: ", "", message)
    if "LoadDocumentCallback" in message:  # pyoxigraph's words for a context it was not given a way to load
        message = (
            "the JSON-LD document refers to a remote or file @context, and vskg never loads one (it would make it "
            "fetch a URL or read a file); put the context in the document itself"
        )
    return InputError(name, message, err.lineno)


class _JsonDepth:
    """Counts the nesting of arrays and objects outside strings, across chunks, in one linear pass."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.depth = 0
        self.in_string = False
        self.escaped = False

    def feed(self, chunk: bytes) -> bool:
        """Scan one more chunk; False as soon as the nesting passes the limit."""
        pos, end = 0, len(chunk)
        while pos < end:
            if self.in_string:
                if self.escaped:
                    self.escaped, pos = False, pos + 1
                    continue
                pos = _JSON_STRING_BODY.match(chunk, pos).end()  # type: ignore[union-attr]
                if pos >= end:
                    break
                if chunk[pos] == 0x5C:  # backslash: the next byte is escaped, whatever it is
                    self.escaped = True
                else:
                    self.in_string = False
                pos += 1
                continue
            found = _JSON_STRUCTURE.search(chunk, pos)
            if found is None:
                break
            byte, pos = chunk[found.start()], found.end()
            if byte == 0x22:
                self.in_string = True
            elif byte in (0x5B, 0x7B):
                self.depth += 1
                if self.depth > self.limit:
                    return False
            else:
                self.depth -= 1
        return True


class _XmlDepth:
    """Follows the nesting of elements with expat as the chunks go by (pyoxigraph's RDF/XML parser slows down with
    the square of the depth: 100,000 levels keep it busy for minutes).

    Runs after the DOCTYPE scan, so expat has no entities to expand. Malformed XML stops the count, and
    pyoxigraph then reports the error itself.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.depth = 0
        self.deepest_line: int | None = None
        self.parser: xml.parsers.expat.XMLParserType | None = xml.parsers.expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end

    def _start(self, _name: str, _attributes: dict) -> None:
        self.depth += 1
        if self.depth > self.limit and self.deepest_line is None:
            self.deepest_line = self.parser.CurrentLineNumber if self.parser else None

    def _end(self, _name: str) -> None:
        self.depth -= 1

    def feed(self, chunk: bytes) -> bool:
        """Follow one more chunk; False as soon as the nesting passes the limit."""
        if self.parser is None:
            return True
        try:
            self.parser.Parse(chunk, False)
        except xml.parsers.expat.ExpatError:
            self.parser = None  # not well-formed: pyoxigraph's own error will say where
        return self.deepest_line is None


class GuardedReader(io.RawIOBase):
    """A file-like view of a document that checks every chunk before the parser reads it (see the module docs).

    A refused chunk raises InputError from ``read``; pyoxigraph lets it propagate out of the parse.
    """

    def __init__(self, source: bytes | IO[bytes], fmt: RdfFormat, name: str, limits: Limits) -> None:
        self.source = io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else source
        self.fmt, self.name, self.limits = fmt, name, limits
        self.total = 0
        self.lines = 1
        self.tail = b""
        self.buffer = b""
        self.offset = 0
        self.json = _JsonDepth(limits.max_json_depth) if fmt == RdfFormat.JSON_LD else None
        self.xml = _XmlDepth(limits.max_xml_depth) if fmt == RdfFormat.RDF_XML else None

    def readable(self) -> bool:
        return True

    def _refuse(self, reason: str, line: int | None = None) -> InputError:
        return InputError(self.name, reason, line)

    def _check(self, chunk: bytes) -> None:
        first = self.total == 0
        self.total += len(chunk)
        if self.total > self.limits.max_bytes:
            raise self._refuse(
                f"the document is larger than the limit of {self.limits.max_bytes} bytes "
                "(set VSKG_MAX_RDF_BYTES to change it)"
            )
        wide = (first and chunk.startswith(_WIDE_BOMS)) or b"\x00" in chunk
        if wide and self.fmt in (RdfFormat.RDF_XML, RdfFormat.JSON_LD):
            raise self._refuse("the document is not UTF-8 (it holds NUL bytes or a UTF-16/32 byte-order mark)")
        if self.fmt == RdfFormat.RDF_XML:
            window = self.tail + chunk
            found = _DOCTYPE.search(window)
            if found:
                line = self.lines - self.tail.count(b"\n") + window.count(b"\n", 0, found.start())
                raise self._refuse("RDF/XML with a DOCTYPE is refused (entity expansion is unsafe); remove it", line)
            self.tail = window[-_OVERLAP:]
            if self.xml is not None and not self.xml.feed(chunk):
                raise self._refuse(
                    f"the RDF/XML document nests elements deeper than {self.limits.max_xml_depth} levels "
                    "(set VSKG_MAX_XML_DEPTH to change it)",
                    self.xml.deepest_line,
                )
        if self.json is not None and not self.json.feed(chunk):
            line = self.lines + chunk.count(b"\n")
            raise self._refuse(
                f"the JSON-LD document nests arrays and objects deeper than {self.limits.max_json_depth} levels "
                "(set VSKG_MAX_JSONLD_DEPTH to change it)",
                line,
            )
        self.lines += chunk.count(b"\n")

    def read(self, size: int | None = -1) -> bytes:
        if self.offset >= len(self.buffer):
            want = CHUNK if size is None or size < 0 else max(size, CHUNK)
            chunk = self.source.read(want)
            if not chunk:
                return b""
            self._check(chunk)
            self.buffer, self.offset = chunk, 0
        if size is None or size < 0:
            size = len(self.buffer) - self.offset
        out = self.buffer[self.offset : self.offset + size]
        self.offset += len(out)
        return out

    def readinto(self, target) -> int:  # type: ignore[override]
        data = self.read(len(target))
        target[: len(data)] = data
        return len(data)


def _xml_error_line(source: bytes | IO[bytes], name: str, err: SyntaxError) -> InputError:
    """pyoxigraph's RDF/XML errors carry no line: find the first well-formedness error with expat, if there is one.

    Only called once the whole document passed the DOCTYPE scan, so expat has no entities to expand; it never
    fetches external ones.
    """
    found = syntax_error(name, err)
    if found.line is not None:
        return found
    if isinstance(source, bytes | bytearray | memoryview):
        stream: IO[bytes] = io.BytesIO(source)
    elif source.seekable():
        source.seek(0)
        stream = source
    else:
        return found
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    try:
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as problem:
        return InputError(name, xml.parsers.expat.ErrorString(problem.code), problem.lineno)
    return found


def parse_quads(
    source: bytes | IO[bytes],
    fmt: RdfFormat,
    graph: str | None,
    *,
    name: str,
    base_iri: str | None = None,
    limits: Limits | None = None,
) -> list[Quad]:
    """Parse a whole document into quads placed in ``graph`` (None: the default graph), or raise InputError.

    Quad formats (N-Quads, TriG) keep their own graph names when ``graph`` is None.
    """
    reader = GuardedReader(source, fmt, name, limits or Limits.from_env())
    target = NamedNode(graph) if graph else DefaultGraph()
    try:
        quads = list(
            pyoxigraph.parse(reader, format=fmt, base_iri=base_iri, without_named_graphs=False, rename_blank_nodes=True)
        )
    except SyntaxError as err:
        if fmt == RdfFormat.RDF_XML:
            raise _xml_error_line(source, name, err) from None
        raise syntax_error(name, err) from None
    except ValueError as err:
        raise InputError(name, str(err)) from None
    except RecursionError:
        raise InputError(name, "the document nests too deeply to be read") from None
    if graph is None and fmt.supports_datasets:
        return quads
    return [Quad(q.subject, q.predicate, q.object, target) for q in quads]


def bulk_load(
    store: pyoxigraph.Store,
    source: IO[bytes],
    fmt: RdfFormat,
    graph: NamedNode,
    *,
    name: str,
    base_iri: str | None = None,
    limits: Limits | None = None,
) -> None:
    """Stream a document into ``graph`` of ``store`` with Oxigraph's bulk loader, through the same guard as
    `parse_quads` (no list of quads is built). Quads of N-Quads and TriG are put into ``graph`` too.

    Not a transaction: on InputError the caller drops what was written (see vskg.store.embedded).
    """
    reader = GuardedReader(source, fmt, name, limits or Limits.from_env())
    problem: InputError | None = None
    try:
        if fmt.supports_datasets:
            parsed = pyoxigraph.parse(reader, format=fmt, base_iri=base_iri, rename_blank_nodes=True)
            store.bulk_extend(Quad(q.subject, q.predicate, q.object, graph) for q in parsed)
        else:
            store.bulk_load(input=reader, format=fmt, base_iri=base_iri, to_graph=graph)
    except SyntaxError as err:
        problem = _xml_error_line(source, name, err) if fmt == RdfFormat.RDF_XML else syntax_error(name, err)
    except InputError as err:
        problem = err
    except ValueError as err:
        problem = InputError(name, str(err))
    except RecursionError:
        problem = InputError(name, "the document nests too deeply to be read")
    if problem is not None:
        # Raised with no traceback into this frame: a traceback kept by the caller must not keep the database open.
        del store
        raise problem.with_traceback(None) from None


def parse_file(path: Path, graph: str | None = None, *, limits: Limits | None = None) -> list[Quad]:
    """The quads of one file (in ``graph``, else the default graph; N-Quads and TriG keep their own graphs)."""
    path = Path(path)
    fmt = file_format(path)
    try:
        with path.open("rb") as handle:
            return parse_quads(handle, fmt, graph, name=str(path), base_iri=path.resolve().as_uri(), limits=limits)
    except OSError as err:
        raise InputError(path, err.strerror or str(err)) from None


# --- terms: pyoxigraph <-> rdflib, one term at a time --------------------------------------------------------


def to_rdflib_term(term: NamedNode | BlankNode | Literal) -> rdflib.term.Identifier:
    """The rdflib term for a pyoxigraph term, lexical form kept exactly."""
    import rdflib  # imported where used: `vskg serve` starts without it

    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language, normalize=False)
        if term.datatype.value == XSD_STRING:
            return rdflib.Literal(term.value, normalize=False)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value), normalize=False)
    raise InputError("RDF data", f"a {type(term).__name__} (RDF-star) term cannot be handed to rdflib")


def from_rdflib_term(term: rdflib.term.Node) -> NamedNode | BlankNode | Literal:
    """The pyoxigraph term for an rdflib term (ValueError for an IRI or blank node id pyoxigraph refuses)."""
    import rdflib  # imported where used: `vskg serve` starts without it

    if isinstance(term, rdflib.URIRef):
        return NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return Literal(str(term), datatype=NamedNode(str(term.datatype)))
        return Literal(str(term))
    raise ValueError(f"an rdflib {type(term).__name__} has no pyoxigraph counterpart")


def to_rdflib(statements: Iterable[Quad | Triple | tuple], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """An rdflib graph holding the triples of ``statements`` (quads lose their graph name)."""
    import rdflib  # imported where used: `vskg serve` starts without it

    graph = rdflib.Graph() if graph is None else graph
    for statement in statements:
        subject, predicate, obj = (
            (statement.subject, statement.predicate, statement.object)
            if isinstance(statement, Quad | Triple)
            else statement[:3]
        )
        graph.add((to_rdflib_term(subject), to_rdflib_term(predicate), to_rdflib_term(obj)))
    return graph


def from_rdflib(graph: rdflib.Graph) -> list[Triple]:
    """The triples of an rdflib graph as pyoxigraph triples."""
    return [Triple(from_rdflib_term(s), from_rdflib_term(p), from_rdflib_term(o)) for s, p, o in graph]


# --- files into rdflib graphs (ontology checks, shapes, reports) ---------------------------------------------


def parse_into(graph: rdflib.Graph, path: Path) -> None:
    """Add the triples of one file to ``graph``; the graph is untouched if the file is bad."""
    path = Path(path)
    fmt = file_format(path)
    try:
        with path.open("rb") as handle:
            reader = GuardedReader(handle, fmt, str(path), Limits.from_env())
            parser = pyoxigraph.parse(
                reader,
                format=fmt,
                base_iri=path.resolve().as_uri(),
                without_named_graphs=False,
                rename_blank_nodes=True,
            )
            quads = list(parser)
            prefixes = dict(parser.prefixes)
    except OSError as err:
        raise InputError(path, err.strerror or str(err)) from None
    except SyntaxError as err:
        if fmt == RdfFormat.RDF_XML:
            raise _xml_error_line(path.read_bytes(), str(path), err) from None
        raise syntax_error(path, err) from None
    except ValueError as err:
        raise InputError(path, str(err)) from None
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=False)
    to_rdflib(quads, graph)


def load_graph(paths: Iterable[Path]) -> rdflib.Graph:
    """One graph holding every file; the first bad file stops the load with an InputError."""
    import rdflib  # imported where used: `vskg serve` starts without it

    graph = rdflib.Graph()
    for path in paths:
        parse_into(graph, Path(path))
    return graph
