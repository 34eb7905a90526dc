"""The quads of one import, held as N-Triples lines for its graph rather than as pyoxigraph objects.

A model of 50,000 concepts gives close to a million quads. Making a pyoxigraph ``Quad`` from Python costs about
3.5 µs (each term is checked and converted again), a line of text a fifteenth of that; the embedded store
bulk-loads the text as it is and compares it, line by line, with the N-Triples it dumps of the graph it holds
(`vskg.store.difference.difference_of_lines`). So each term is written here exactly as pyoxigraph writes it
(`literal` escapes as Oxigraph does, language tags in lower case, integers in canonical form): the same triple gives
the same line on both sides. Callers that want pyoxigraph quads (another backend, tests) get them parsed from the
text, in Rust, on first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property

import pyoxigraph
from pyoxigraph import Literal, Quad

XSD = "http://www.w3.org/2001/XMLSchema#"
# What Oxigraph's N-Triples writer escapes in a string: the short escapes, other controls as \uXXXX.
_ESCAPES = {code: f"\\u{code:04X}" for code in [*range(0x20), 0x7F]}
_ESCAPES |= {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")


def iri(value: str) -> str:
    """An IRI the caller has built from safe parts (percent-encoded identifiers under a checked base)."""
    return f"<{value}>"


def literal(text: str, language: str | None = None) -> str:
    quoted = '"' + text.translate(_ESCAPES) + '"'
    if not language:
        return quoted
    if not _LANGUAGE.fullmatch(language):
        return str(Literal(text, language=language))  # refused (ValueError) or written as pyoxigraph writes it
    return f"{quoted}@{language.lower()}"


def typed(lexical: str, datatype: str) -> str:
    return f'"{lexical.translate(_ESCAPES)}"^^<{datatype}>'


def integer(value: int) -> str:
    return f'"{value}"^^<{XSD}integer>'


def boolean(value: bool) -> str:
    return f'"{"true" if value else "false"}"^^<{XSD}boolean>'


class GraphText(Sequence[Quad]):
    """The triples of one named graph as N-Triples lines (``add``), read as quads of that graph when iterated."""

    def __init__(self, graph: str) -> None:
        self.graph = graph
        self.lines: list[str] = []

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .")

    def extend(self, quads: Iterable[Quad]) -> None:
        """Add pyoxigraph quads (their graph names are ignored: they belong to this graph)."""
        self.__dict__.pop("quads", None)
        self.lines += [f"{q.subject} {q.predicate} {q.object} ." for q in quads]

    def ntriples(self, upto: int | None = None) -> bytes:
        """The N-Triples document of the first ``upto`` lines (all by default)."""
        lines = self.lines[:upto] if upto is not None else self.lines
        return ("\n".join(lines) + "\n").encode() if lines else b""

    @cached_property
    def quads(self) -> list[Quad]:
        suffix = f" <{self.graph}> .\n"
        text = "".join(line[:-1] + suffix[1:] if line.endswith(" .") else line for line in self.lines)
        return list(pyoxigraph.parse(text.encode(), format=pyoxigraph.RdfFormat.N_QUADS))

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self) -> Iterator[Quad]:
        return iter(self.quads)

    def __getitem__(self, index):
        return self.quads[index]
