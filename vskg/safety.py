"""Refusing the parts of SPARQL that would make the endpoint reach out to the network or the file system.

pyoxigraph executes ``SERVICE`` by making HTTP requests and ``LOAD`` by fetching documents, and offers no switch
to turn either off. vskg therefore looks at the request text before it reaches the engine. The check is lexical:
comments, string literals and IRIs are blanked out first, so the remaining text holds only keywords, names and
punctuation, and SPARQL keywords cannot be escaped or spelt another way. A keyword that appears only inside a
prefixed name or a variable (``ex:service``, ``?load``) is not a keyword and is ignored.

``FROM`` and ``FROM NAMED`` stay allowed: pyoxigraph resolves them against the store's own named graphs and never
dereferences them, so a graph the store does not hold is simply empty (the SPARQL 1.1 Protocol allows that).
"""

from __future__ import annotations

import re

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


def check_query(text: str) -> None:
    """Raise Refused if a query would call out with SERVICE."""
    if "SERVICE" in _keywords(text):
        raise Refused(
            "SERVICE (federated query) is disabled on this endpoint: it would make the server fetch data from "
            "another endpoint. Query the graphs this store holds instead."
        )


def check_update(text: str) -> None:
    """Raise Refused if an update would fetch a document with LOAD."""
    if "LOAD" in _keywords(text):
        raise Refused(
            "LOAD is disabled on this endpoint: it would make the server fetch a document. Upload the data "
            "with the Graph Store Protocol (PUT or POST /store) instead."
        )
