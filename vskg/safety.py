"""Refusing the parts of SPARQL that would make the service reach the network or write where it must not.

pyoxigraph executes ``SERVICE`` by making HTTP requests and ``LOAD`` by fetching documents, and offers no switch
to turn either off. vskg therefore reads the request text before it reaches the engine, with a tokenizer that
reads it the way the engine does (`vskg.sparql_lexer`): a keyword is found wherever the engine could see one
(after a full stop with no space, glued to another keyword, after a prefixed name with escapes), and never
inside a string, a comment or an IRI. ``\\uXXXX`` escapes are decoded too and the decoded text is checked as well,
since SPARQL 1.1 allows them anywhere (pyoxigraph 0.5 only in strings and IRIs). A text the tokenizer cannot
read to its end is treated conservatively: it is refused if the letters of the keyword appear anywhere in it.

- Queries: ``SERVICE`` is refused. An operator may name endpoints that ``SERVICE`` may call
  (``VSKG_SERVICE_ALLOW``, off by default); then every ``SERVICE`` must be followed (after an optional
  ``SILENT``) by a full IRI in angle brackets, without escapes, that is exactly one of the allowed IRIs.
- Updates: ``LOAD`` is refused in every operation, ``SERVICE`` as in queries, and so is any IRI (written in
  full, as a prefixed name, or relative to BASE or the endpoint) in vskg's reserved staging namespace: those
  graphs hold uploads while they are committed, and a later upload would delete them.

``FROM`` and ``FROM NAMED`` stay allowed: pyoxigraph resolves them against the store's own named graphs and never
dereferences them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from vskg.sparql_lexer import IRI, PNAME, PUNCT, WORD, Tokens, decode_codepoints, has_scheme, hits, tokenize
from vskg.store import STAGING_PREFIX

SERVICE_DISABLED = (
    "SERVICE (federated query) is disabled on this endpoint: it would make the server fetch data from "
    "another endpoint. Query the graphs this store holds instead."
)
LOAD_DISABLED = (
    "LOAD is disabled on this endpoint: it would make the server fetch a document. Upload the data "
    "with the Graph Store Protocol (PUT or POST /store) instead."
)


MAX_NESTING = 256  # brackets inside brackets; real queries stay far below, the engine's parser overflows its stack
# at a few thousand (a 10 KB update of 5,000 nested braces ended the whole server with SIGSEGV)
_OPENERS = frozenset("{([")
_CLOSERS = frozenset("})]")


class Refused(ValueError):
    """A request that asks the endpoint to do something it does not do."""


def nesting(tokens: Tokens, text: str) -> int:
    """How deep the text nests groups, parentheses, brackets and quoted triples (``<<``), as the engine's parser
    would recurse into them. A text that could not be read to its end gets its count of opening brackets instead:
    a bound that brackets inside strings or comments can only raise."""
    if not tokens.complete:
        return sum(text.count(opener) for opener in _OPENERS) + text.count("<<")
    depth = deepest = 0
    for token in tokens.tokens:
        if token.kind != PUNCT:
            continue
        opened = sum(char in _OPENERS for char in token.text) + token.text.count("<<")
        closed = sum(char in _CLOSERS for char in token.text) + token.text.count(">>")
        depth = max(0, depth + opened - closed)
        deepest = max(deepest, depth)
    return deepest


def _check_nesting(readings: list[tuple[str, Tokens]]) -> None:
    for each, tokens in readings:
        found = nesting(tokens, each)
        if found > MAX_NESTING:
            read = "nests brackets" if tokens.complete else "could not be read to its end and opens brackets"
            raise Refused(
                f"the text {read} {found} levels deep; this endpoint takes at most {MAX_NESTING} "
                "(write the query flatter, for example with UNION or VALUES instead of nested groups)"
            )


def _readings(text: str, base_iri: str | None) -> list[tuple[str, Tokens]]:
    """The text as the engine reads it, and as a SPARQL 1.1 engine that decodes ``\\u`` escapes first would."""
    decoded = decode_codepoints(text)
    texts = [text] if decoded == text else [text, decoded]
    return [(each, tokenize(each, base_iri)) for each in texts]


def _endpoint(tokens: Tokens, index: int) -> str | None:
    """The IRI a SERVICE token names, when it is the plain keyword followed by [SILENT] <absolute IRI>."""
    items = tokens.tokens
    if items[index].kind != WORD or items[index].upper != "SERVICE":
        return None
    at = index + 1
    if at < len(items) and items[at].kind == WORD and items[at].upper == "SILENT":
        at += 1
    if at >= len(items) or items[at].kind != IRI:
        return None
    iri = items[at].text[1:-1]
    return iri if "\\" not in iri and has_scheme(iri) else None


def service_endpoints(text: str, base_iri: str | None = None) -> list[str | None]:
    """The endpoint named by each place the engine may read SERVICE, in order; None where it is not a plain full
    IRI (or the text could not be read, if SERVICE appears in it at all)."""
    return _endpoints(_readings(text, base_iri))


def _endpoints(readings: list[tuple[str, Tokens]]) -> list[str | None]:
    endpoints: list[str | None] = []
    for each, tokens in readings:
        if not tokens.complete:
            if "SERVICE" in each.upper():
                endpoints.append(None)
            continue
        endpoints += [_endpoint(tokens, index) for index in hits(tokens, "SERVICE")]
    return endpoints


def _check_service(readings: list[tuple[str, Tokens]], allowed: Iterable[str]) -> None:
    endpoints = _endpoints(readings)
    if not endpoints:
        return
    allowed = set(allowed)
    if not allowed:
        raise Refused(SERVICE_DISABLED)
    for endpoint in endpoints:
        if endpoint is None:
            raise Refused(
                "SERVICE must name its endpoint as a full IRI in angle brackets (no variable, prefixed name, "
                "escape or relative IRI) so it can be checked against the endpoints this server may call."
            )
        if endpoint not in allowed:
            raise Refused(
                f"SERVICE <{endpoint}> is refused: this server may only call "
                + ", ".join(f"<{iri}>" for iri in sorted(allowed))
                + "."
            )


def check_query(text: str, allowed: Iterable[str] = (), base_iri: str | None = None) -> None:
    """Raise Refused if a query nests too deeply or would call out with SERVICE to an endpoint not allowed."""
    readings = _readings(text, base_iri)  # tokenised once for every check
    _check_nesting(readings)
    _check_service(readings, allowed)


def check_update(text: str, allowed: Iterable[str] = (), base_iri: str | None = None) -> None:
    """Raise Refused if an update nests too deeply, would fetch (LOAD), call out (SERVICE not allowed) or touch a
    reserved graph."""
    readings = _readings(text, base_iri)
    _check_nesting(readings)
    for each, tokens in readings:
        if hits(tokens, "LOAD") if tokens.complete else "LOAD" in each.upper():
            raise Refused(LOAD_DISABLED)
    for each, tokens in readings:
        if not tokens.complete:
            if STAGING_PREFIX.split(":")[2].upper() in each.upper():
                raise Refused(
                    "the update mentions vskg's reserved staging graphs and could not be read to the end to check "
                    f"it; graphs starting with {STAGING_PREFIX} cannot be written or read by updates"
                )
            continue
        for token in tokens.tokens:
            if token.kind in (IRI, PNAME) and token.value and token.value.lower().startswith(STAGING_PREFIX):
                raise Refused(
                    f"<{token.value}> is a reserved graph: names starting with {STAGING_PREFIX} hold uploads while "
                    "vskg commits them, and updates may not use them. Nothing was changed."
                )
    _check_service(readings, allowed)


def keywords(text: str) -> set[str]:
    """The bare words of a query in upper case (keywords, ``a``, booleans); every word if it cannot be read."""
    tokens = tokenize(text)
    if not tokens.complete:
        return {word.upper() for word in re.findall(r"[A-Za-z]+", text)}
    return {token.upper for token in tokens.tokens if token.kind == WORD}


def mentions(text: str, keyword: str) -> bool:
    """Whether the engine may read ``keyword`` (upper case) somewhere in the text (yes if it cannot be read)."""
    tokens = tokenize(text)
    return bool(hits(tokens, keyword)) if tokens.complete else keyword in text.upper()
