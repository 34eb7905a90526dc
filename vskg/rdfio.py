"""Reading RDF files so that a bad file fails with its name, a line and a reason, never a traceback."""

from __future__ import annotations

import json
import re
import xml.sax
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib.plugins.parsers.notation3 import BadSyntax

# File suffix -> (rdflib format, pyoxigraph format used only to locate syntax errors).
FORMATS: dict[str, tuple[str, pyoxigraph.RdfFormat | None]] = {
    ".ttl": ("turtle", pyoxigraph.RdfFormat.TURTLE),
    ".turtle": ("turtle", pyoxigraph.RdfFormat.TURTLE),
    ".nt": ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
    ".nq": ("nquads", pyoxigraph.RdfFormat.N_QUADS),
    ".trig": ("trig", pyoxigraph.RdfFormat.TRIG),
    ".rdf": ("xml", pyoxigraph.RdfFormat.RDF_XML),
    ".owl": ("xml", pyoxigraph.RdfFormat.RDF_XML),
    ".xml": ("xml", pyoxigraph.RdfFormat.RDF_XML),
    ".jsonld": ("json-ld", None),
    ".json": ("json-ld", None),
}

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


class InputError(Exception):
    """An input file that cannot be read as RDF; carries what a person needs to fix it."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {reason}")


def rdf_format(path: Path) -> str:
    """The rdflib format name for a file, chosen by its suffix."""
    try:
        return FORMATS[path.suffix.lower()][0]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise InputError(path, f"unknown RDF file type {path.suffix!r}; use one of {known}") from None


def syntax_error(name: Path | str, err: SyntaxError) -> InputError:
    """Turn a pyoxigraph parse error into an InputError: its line, and its reason without the position prefix."""
    message = re.sub(r"\s*\((?:[^()]*, )?line \d+\)$", "", str(err))
    message = re.sub(r"^Parser error (at|between) line \d+[^:]*: ", "", message)
    return InputError(name, message, err.lineno)


def refuse_doctype(name: Path | str, head: bytes) -> None:
    """XML with a DOCTYPE can expand entities without bound or read local files; vskg never accepts it."""
    if _DOCTYPE.search(head):
        raise InputError(name, "RDF/XML with a DOCTYPE is refused (entity expansion is unsafe); remove it")


def _strict_syntax_check(path: Path, text: bytes) -> None:
    """Parse again with pyoxigraph: rdflib silently drops some bad statements and does not always say where."""
    oxformat = FORMATS[path.suffix.lower()][1]
    if oxformat is None:
        return
    try:
        for _ in pyoxigraph.parse(text, format=oxformat, base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as err:
        raise syntax_error(path, err) from None


def _reason(err: Exception) -> tuple[int | None, str]:
    if isinstance(err, BadSyntax):
        detail = re.search(r"Bad syntax \((.*?)\) at \^", str(err))
        return err.lines + 1, detail.group(1) if detail else "bad syntax"
    if isinstance(err, xml.sax.SAXParseException):
        return err.getLineNumber(), err.getMessage()
    if isinstance(err, json.JSONDecodeError):
        return err.lineno, err.msg
    return None, str(err).strip() or type(err).__name__


def parse_into(graph: rdflib.Graph, path: Path) -> None:
    """Add the triples of one file to ``graph``; the graph is untouched if the file is bad."""
    path = Path(path)
    fmt = rdf_format(path)
    try:
        text = path.read_bytes()
    except OSError as err:
        raise InputError(path, err.strerror or str(err)) from None
    if fmt == "xml":
        refuse_doctype(path, text)
    scratch = rdflib.Graph()
    try:
        scratch.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except Exception as err:  # rdflib raises many unrelated types for syntax errors
        line, reason = _reason(err)
        if line is None:
            _strict_syntax_check(path, text)
        raise InputError(path, reason, line) from None
    if fmt != "xml":  # rdflib's SAX-based RDF/XML parser is already strict
        _strict_syntax_check(path, text)
    for prefix, namespace in scratch.namespaces():
        graph.bind(prefix, namespace, override=False)
    graph += scratch


def load_graph(paths: Iterable[Path]) -> rdflib.Graph:
    """One graph holding every file; the first bad file stops the load with an InputError."""
    graph = rdflib.Graph()
    for path in paths:
        parse_into(graph, Path(path))
    return graph
