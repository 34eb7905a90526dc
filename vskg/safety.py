"""Refusing the parts of SPARQL that would make the endpoint reach out to the network or the file system.

pyoxigraph executes ``SERVICE`` by making HTTP requests and ``LOAD`` by fetching documents, and offers no switch
to turn either off. vskg therefore looks at the request text before it reaches the engine. The check is lexical:
comments, string literals and IRIs are blanked out first, so the remaining text holds only keywords, names and
punctuation, and SPARQL keywords cannot be escaped or spelt another way. A keyword that appears only inside a
prefixed name or a variable (``ex:service``, ``?load``) is not a keyword and is ignored.

``FROM`` and ``FROM NAMED`` stay allowed: pyoxigraph resolves them against the store's own named graphs and never
dereferences them, so a graph the store does not hold is simply empty (the SPARQL 1.1 Protocol allows that).

An operator may name endpoints that ``SERVICE`` may call (``VSKG_SERVICE_ALLOW``, off by default). Then every
``SERVICE`` in the query must be followed (after an optional ``SILENT``) by a full IRI written in angle brackets
that is exactly one of the allowed IRIs; a variable, a prefixed name, a relative IRI or an IRI with escapes is
refused, because checking them would mean resolving the query the way the engine does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Order matters: long strings before short ones, so a quote inside a long string does not end it early.
_STRIPPED = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n\r]*",
    re.DOTALL,
)


class Refused(ValueError):
    """A request that asks the endpoint to do something it does not do."""


def _keywords(text: str) -> set[str]:
    bare = _STRIPPED.sub(" ", text)
    words = re.findall(r"(?<![\w:?$.-])([A-Za-z]+)(?![\w:-])", bare)
    return {w.upper() for w in words}


_SERVICE = re.compile(r"(?<![\w:?$.-])SERVICE(?![\w:-])", re.IGNORECASE)
_SILENT = re.compile(r"\s*SILENT(?![\w:-])", re.IGNORECASE)
_IRI = re.compile(r"\s*<([^<>\"{}|^`\\\x00-\x20]*)>")


def _blank(match: re.Match) -> str:
    """Keep IRIs, replace comments and strings by spaces of the same length (so positions stay put)."""
    text = match.group(0)
    return text if text.startswith("<") else " " * len(text)


def service_endpoints(text: str) -> list[str | None]:
    """The endpoint named by each SERVICE of a query, in order; None where it is not a plain full IRI."""
    kept = _STRIPPED.sub(_blank, text)  # comments and strings blanked, IRIs kept
    bare = _STRIPPED.sub(lambda m: " " * len(m.group(0)), text)  # IRIs blanked too: keywords only
    endpoints: list[str | None] = []
    for found in _SERVICE.finditer(bare):
        at = found.end()
        silent = _SILENT.match(kept, at)
        if silent:
            at = silent.end()
        iri = _IRI.match(kept, at)
        endpoints.append(iri.group(1) if iri and re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri.group(1)) else None)
    return endpoints


def check_query(text: str, allowed: Iterable[str] = ()) -> None:
    """Raise Refused if a query would call out with SERVICE to an endpoint the operator has not allowed."""
    if "SERVICE" not in _keywords(text):
        return
    allowed = set(allowed)
    if not allowed:
        raise Refused(
            "SERVICE (federated query) is disabled on this endpoint: it would make the server fetch data from "
            "another endpoint. Query the graphs this store holds instead."
        )
    endpoints = service_endpoints(text)
    for endpoint in endpoints or [None]:  # a SERVICE the scan cannot place is refused, never waved through
        if endpoint is None:
            raise Refused(
                "SERVICE must name its endpoint as a full IRI in angle brackets (no variable, prefixed name or "
                "relative IRI) so it can be checked against the endpoints this server may call."
            )
        if endpoint not in allowed:
            raise Refused(
                f"SERVICE <{endpoint}> is refused: this server may only call "
                + ", ".join(f"<{iri}>" for iri in sorted(allowed))
                + "."
            )


def check_update(text: str) -> None:
    """Raise Refused if an update would fetch a document with LOAD."""
    if "LOAD" in _keywords(text):
        raise Refused(
            "LOAD is disabled on this endpoint: it would make the server fetch a document. Upload the data "
            "with the Graph Store Protocol (PUT or POST /store) instead."
        )
