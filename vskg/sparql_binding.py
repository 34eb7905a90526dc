"""Parameter values written into SPARQL text as constants, so that any engine (also a remote one) can use them.

pyoxigraph can bind a variable with ``substitutions``, but a remote SPARQL server has nothing like it, and even
Oxigraph plans the query without looking at the substituted value (a capability given that way is found by
walking every capability; written into the text as an IRI, the engine starts from it). This module therefore
produces the final query text, with each parameter variable replaced by a constant that it writes itself from a
typed pyoxigraph term. User text never reaches the query as text: an IRI is checked and written between ``<>``,
a literal is written as a string with every quote, backslash and line break escaped, plus its datatype or
language. Nothing a value holds can end the constant early.

The variables are found as tokens of `vskg.sparql_lexer` (never with a pattern over the raw text, which would
also match inside strings, IRIs and comments), and the replacement keeps the meaning of pyoxigraph's
substitution, which binds the variable before the query runs:

- in the top-level projection ``?p`` becomes ``(<constant> AS ?p)``, so the column and its value stay;
- a sub-select that projects ``?p`` shares it with the outer query: it is replaced inside, and dropped from the
  sub-select's projection (projecting it again as an expression would clash with the outer one);
- a sub-select that does not project ``?p`` has its own ``?p``, which is left alone;
- ``GROUP BY ?p`` and ``ORDER BY ?p`` become ``(<constant>)``, ``BOUND(?p)`` becomes true;
- a parameter that the query computes itself (``AS ?p``) or lists in a VALUES header cannot take a value, and a
  top-level ``SELECT *`` would lose the column: such texts are refused with `BindingError`.

An integer parameter may also set the query's ``LIMIT`` (SPARQL has no variable there): the caller says which
number each LIMIT holds in the file and which number it should hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from pyoxigraph import Literal, NamedNode

from vskg.sparql_lexer import NUMBER, PUNCT, VAR, WORD, Token, tokenize

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_TO_ESCAPE = re.compile(r'[\\"\n\r\t]')
_QUERY_FORMS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}
_AFTER_MODIFIERS = {"HAVING", "LIMIT", "OFFSET", "VALUES"}


class BindingError(ValueError):
    """A query text that cannot take a value for one of its variables (a problem of the query, not the value)."""


class UnsafeTerm(ValueError):
    """A term that cannot be written into a query safely (a control character, an IRI with a space, ...)."""


def _string(value: str) -> str:
    if _CONTROL.search(value):
        raise UnsafeTerm("control characters cannot be sent in a query")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UnsafeTerm("the text is not valid Unicode (a lone surrogate)") from None
    return '"' + _TO_ESCAPE.sub(lambda m: _ESCAPES[m.group()], value) + '"'


def _iri(value: str) -> str:
    if not value or _NOT_IN_IRI.search(value):
        raise UnsafeTerm(f"{value!r} cannot be written as an IRI")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UnsafeTerm("the IRI is not valid Unicode (a lone surrogate)") from None
    return f"<{value}>"


def term_text(term: NamedNode | Literal) -> str:
    """The SPARQL (and N-Triples) text of an IRI or a literal; `UnsafeTerm` if it cannot be written safely.

    A backslash is always written doubled, so even an engine that decodes ``\\uXXXX`` before it reads the text
    (SPARQL 1.1 section 19.2 allows that) sees an escaped character inside the string, never a closing quote.
    """
    if isinstance(term, NamedNode):
        return _iri(term.value)
    if not isinstance(term, Literal):
        raise UnsafeTerm(f"{type(term).__name__} cannot be a parameter value")
    text = _string(term.value)
    if term.language:
        if not _LANGUAGE.match(term.language):
            raise UnsafeTerm(f"{term.language!r} is not a language tag")
        return f"{text}@{term.language}"
    if term.datatype.value == XSD_STRING:
        return text
    return f"{text}^^{_iri(term.datatype.value)}"


# --- where the variables are ---------------------------------------------------------------------------------

# What to write in place of one occurrence of a parameter variable.
CONSTANT, PROJECT, DROP, ALONE = "constant", "project", "drop", "alone"
GROUPED, TRUE, LIMIT = "grouped", "true", "limit"


@dataclass(frozen=True)
class Slot:
    start: int  # character span of the text to replace
    end: int
    name: str  # the parameter (for LIMIT: the number the file holds, as text)
    kind: str
    alias: str = ""  # ALONE: the variable the constant is projected as


@dataclass(frozen=True)
class Template:
    """A query text cut where the values go; `fill` is cheap, so templates are built once and kept."""

    text: str
    slots: tuple[Slot, ...]

    def fill(self, values: Mapping[str, str], limits: Mapping[int, int] | None = None) -> str:
        """The text with each slot filled; ``values`` holds the written constants (see `term_text`)."""
        parts, at = [], 0
        for slot in self.slots:
            if slot.kind == LIMIT:
                new = (limits or {}).get(int(slot.name))
                if new is None:
                    continue
                replacement = str(max(0, new))
            else:
                replacement = _replacement(slot, values[slot.name])
            parts.append(self.text[at : slot.start])
            parts.append(replacement)
            at = slot.end
        parts.append(self.text[at:])
        return "".join(parts)


def _replacement(slot: Slot, constant: str) -> str:
    if slot.kind == PROJECT:
        return f" ({constant} AS ?{slot.name}) "
    if slot.kind == ALONE:
        return f" ({constant} AS ?{slot.alias}) "
    if slot.kind == GROUPED:
        return f" ({constant}) "
    if slot.kind == TRUE:
        return " true "
    if slot.kind == DROP:
        return " "
    return f" {constant} "


def bind(text: str, values: Mapping[str, NamedNode | Literal], limits: Mapping[int, int] | None = None) -> str:
    """The query text with each variable named in ``values`` replaced by its term, and LIMIT numbers changed."""
    if not values and not limits:
        return text
    written = {name: term_text(term) for name, term in values.items()}
    return template(text, frozenset(values), frozenset((limits or {}).keys())).fill(written, limits)


@lru_cache(maxsize=512)
def template(text: str, names: frozenset[str], limits: frozenset[int] = frozenset()) -> Template:
    """Where the variables ``names`` (and the numbers of ``LIMIT n`` for n in ``limits``) sit in ``text``."""
    tokens = tokenize(text)
    if not tokens.complete:
        raise BindingError(f"the query cannot be read: {tokens.problem}")
    finder = _Finder(tokens.tokens, names)
    if names:
        finder.level(0, len(finder.tokens), set(names), top=True)
    for index, token in enumerate(finder.tokens[:-1]):
        after = finder.tokens[index + 1]
        limit = token.kind == WORD and token.upper == "LIMIT" and after.kind == NUMBER and after.text.isdigit()
        if limit and int(after.text) in limits:
            finder.slots.append(Slot(after.start, after.end, after.text, LIMIT))
    return Template(text, tuple(sorted(finder.slots, key=lambda slot: slot.start)))


class _Finder:
    """Walks the tokens once, query level by query level, and records a slot for each occurrence to replace."""

    def __init__(self, tokens: list[Token], names: frozenset[str]) -> None:
        self.tokens = tokens
        self.names = names
        self.slots: list[Slot] = []
        self.closing = _matching_brackets(tokens)

    def is_word(self, index: int, *words: str) -> bool:
        return 0 <= index < len(self.tokens) and self.tokens[index].kind == WORD and self.tokens[index].upper in words

    def is_punct(self, index: int, text: str) -> bool:
        return 0 <= index < len(self.tokens) and self.tokens[index].kind == PUNCT and self.tokens[index].text == text

    def add(self, index: int, kind: str, last: int | None = None) -> None:
        token = self.tokens[index]
        end = self.tokens[last].end if last is not None else token.end
        self.slots.append(Slot(token.start, end, token.text[1:], kind))

    def level(self, lo: int, hi: int, scope: set[str], top: bool) -> None:
        """One query (top-level, or a sub-select from its SELECT to before its closing brace)."""
        form = next((i for i in range(lo, hi) if self.is_word(i, *_QUERY_FORMS)), None)
        if form is None:
            self.walk(lo, hi, scope)
            return
        body = form + 1
        if self.tokens[form].upper == "SELECT":
            body = self.projection(form + 1, hi, scope, top)
        self.walk(body, hi, scope)

    def items(self, lo: int, hi: int) -> tuple[list[int], list[tuple[int, int]], bool, int]:
        """A SELECT clause from ``lo`` (after SELECT): its bare variables, its ``( ... )`` groups, whether it has
        ``*``, and the index where the WHERE clause starts."""
        at = lo + 1 if self.is_word(lo, "DISTINCT", "REDUCED") else lo
        bare: list[int] = []
        groups: list[tuple[int, int]] = []
        star = False
        while at < hi and not self.is_word(at, "WHERE") and not self.is_punct(at, "{"):
            if self.tokens[at].kind == VAR:
                bare.append(at)
            elif self.is_punct(at, "*"):
                star = True
            elif self.is_punct(at, "("):
                groups.append((at, self.closing[at]))
                at = self.closing[at]
            at += 1
        return bare, groups, star, at

    def projection(self, lo: int, hi: int, scope: set[str], top: bool) -> int:
        """Record the projection's slots; return where the WHERE clause starts."""
        bare, groups, star, where = self.items(lo, hi)
        if star and top:
            raise BindingError("a query with parameters must list its columns instead of SELECT *")
        for start, end in groups:
            self.walk(start + 1, end, scope)
        mine = [i for i in bare if self.tokens[i].text[1:] in scope]
        kept = len(bare) - len(mine) + len(groups)
        for index in mine:
            if top:
                self.add(index, PROJECT)
            elif kept or star or index != mine[-1]:
                self.add(index, DROP)
            else:  # nothing else to project: the constant stays as a column of a name nobody uses
                token = self.tokens[index]
                self.slots.append(Slot(token.start, token.end, token.text[1:], ALONE, self.unused_name()))
        return where

    def unused_name(self) -> str:
        taken = {token.text[1:] for token in self.tokens if token.kind == VAR}
        return next(f"unused{n}" for n in range(len(taken) + 1) if f"unused{n}" not in taken)

    def walk(self, lo: int, hi: int, scope: set[str]) -> None:
        """Replace the variables of ``scope`` in a WHERE clause, its modifiers, or an expression."""
        modifiers = False  # inside GROUP BY or ORDER BY, where a lone constant needs brackets
        depth = 0  # bracket depth below the start of this stretch
        at = lo
        while at < hi:
            token = self.tokens[at]
            if token.kind == PUNCT and token.text == "{" and self.is_word(at + 1, "SELECT"):
                end = self.closing[at]
                self.subselect(at + 1, end, scope)
                at = end + 1
                continue
            if token.kind == PUNCT:
                depth += sum(c in "({[" for c in token.text) - sum(c in ")}]" for c in token.text)
            elif token.kind == WORD:
                if depth == 0 and token.upper in ("GROUP", "ORDER") and self.is_word(at + 1, "BY"):
                    modifiers = True
                elif depth == 0 and token.upper in _AFTER_MODIFIERS:
                    modifiers = False
                if token.upper == "VALUES":
                    self.values_header(at + 1, scope)
            elif token.kind == VAR and token.text[1:] in scope:
                if self.is_word(at - 1, "AS"):
                    raise BindingError(f"the parameter ?{token.text[1:]} is computed by the query (AS)")
                if self.is_word(at - 2, "BOUND") and self.is_punct(at - 1, "(") and self.is_punct(at + 1, ")"):
                    self.slots.append(Slot(self.tokens[at - 2].start, self.tokens[at + 1].end, token.text[1:], TRUE))
                elif modifiers and depth == 0:
                    self.add(at, GROUPED)
                else:
                    self.add(at, CONSTANT)
            at += 1

    def values_header(self, at: int, scope: set[str]) -> None:
        header = [at] if at < len(self.tokens) and self.tokens[at].kind == VAR else []
        if self.is_punct(at, "("):
            header = list(range(at + 1, self.closing[at]))
        for index in header:
            if self.tokens[index].kind == VAR and self.tokens[index].text[1:] in scope:
                raise BindingError(f"the parameter ?{self.tokens[index].text[1:]} is listed in a VALUES header")

    def subselect(self, lo: int, hi: int, scope: set[str]) -> None:
        """A sub-select shares the variables it projects with the query around it; the others are its own."""
        bare, groups, star, _ = self.items(lo + 1, hi)
        for _, end in groups:
            alias = end - 1
            if self.is_word(alias - 1, "AS") and self.tokens[alias].text[1:] in scope:
                raise BindingError(f"the parameter ?{self.tokens[alias].text[1:]} is computed by a sub-select (AS)")
        shared = {self.tokens[i].text[1:] for i in bare} & scope
        if star:
            shared = set(scope)
        if shared:
            self.level(lo, hi, shared, top=False)


def _matching_brackets(tokens: list[Token]) -> dict[int, int]:
    """For each token that opens a bracket, the index of the token that closes it."""
    closing: dict[int, int] = {}
    stack: list[int] = []
    for index, token in enumerate(tokens):
        if token.kind != PUNCT:
            continue
        for char in token.text:
            if char in "({[":
                stack.append(index)
            elif char in ")}]" and stack:
                closing[stack.pop()] = index
    return closing
