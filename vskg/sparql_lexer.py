"""Cutting SPARQL text into tokens the way the query engine reads it, so that keyword checks see what it sees.

vskg refuses ``SERVICE`` and ``LOAD`` (see `vskg.safety`) by looking at the request text before pyoxigraph gets
it. A check that reads the text differently from the engine can be fooled: an escaped ``\\#`` in a prefixed name
is not a comment, ``.SERVICE`` is a full stop and a keyword. This module implements the terminals of the SPARQL
1.1 grammar (section 19.8) plus what pyoxigraph 0.5 accepts beyond them (RDF 1.2: ``<<``, ``<<(``, ``{|``, ``~``,
``VERSION``, ``@en--ltr``), and it mirrors the engine where the engine departs from the grammar:

- pyoxigraph matches keywords without looking at the next character, so ``SERVICESILENT`` is two keywords and
  ``trueSERVICE`` is a boolean and a keyword. A bare word therefore counts as a keyword it contains (`hits`).
- It reads a prefixed name's local part with at most one run of dots inside (``ex:a.b.c`` is ``ex:a.b``, ``.``,
  ``c``); so does this lexer.
- A prefixed name whose prefix is not declared, or whose expansion is not a valid IRI, makes the engine read its
  text again as other tokens; a prefix that contains a keyword may be read as that keyword. The first makes the
  text unreadable here (see below), the second counts as the keyword.
- ``<`` starts an IRI except after an operand inside parentheses, where it may be "less than". When both readings
  are possible and they would cut the rest of the text differently (the IRI holds ``#``, a quote or a bracket),
  the text is unreadable.
- It does not decode ``\\uXXXX`` outside strings and IRIs (SPARQL 1.1 section 19.2 asks for that, pyoxigraph 0.5
  does not); `vskg.safety` checks the decoded text as well, so either reading is covered.

A text that cannot be read this way (an unterminated string or IRI, a stray character, an ambiguous ``<``,
unbalanced brackets) comes back with ``complete`` False and the tokens read so far; callers must then be
conservative. Every step moves forward and no pattern looks further than the token it reads, so the time is
linear in the length of the text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import pyoxigraph

IRI, PNAME, BNODE, VAR, LANG, NUMBER, STRING, WORD, PUNCT = (
    "iri",
    "pname",
    "bnode",
    "var",
    "lang",
    "number",
    "string",
    "word",
    "punct",
)

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
    "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_CHARS = _BASE + "_\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PN_CHARS_BASE = re.compile(f"[{_BASE}]")
_PN_CHARS_RUN = re.compile(f"[{_CHARS}]*")
_PN_CHARS_U = re.compile(f"[{_BASE}_]")
_VARNAME = re.compile(f"[{_BASE}_0-9][{_CHARS}]*".replace("\\-", ""))  # VARNAME has no '-'
_PLX = re.compile(r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]")
_LOCAL_CHAR = re.compile(f"[{_CHARS}:]|%[0-9A-Fa-f]{{2}}|\\\\[_~.\\-!$&'()*+,;=/?#@%]")
_LOCAL_FIRST = re.compile(f"[{_BASE}_:0-9]|%[0-9A-Fa-f]{{2}}|\\\\[_~.\\-!$&'()*+,;=/?#@%]")
_LANG = re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[A-Za-z]+)?")
_DIGITS = re.compile(r"[0-9]*")
_EXPONENT = re.compile(r"[eE][+-]?[0-9]+")
_SPACE = re.compile(r"[ \t\r\n]+")
_COMMENT = re.compile(r"#[^\r\n]*")
_SHORT_BODY = {"'": re.compile(r"[^'\\\r\n]*"), '"': re.compile(r'[^"\\\r\n]*')}
_LONG_BODY = {"'": re.compile(r"[^'\\]*"), '"': re.compile(r'[^"\\]*')}
_DIGIT = frozenset("0123456789")
_BNODE_FIRST = re.compile(f"[{_BASE}_0-9]")
_ECHAR = frozenset("tbnrf\"'\\")
_HEX = re.compile(r"[0-9A-Fa-f]+")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`]|\\(?!u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})')
_SPLITS_READINGS = re.compile(r"[#'()\[\]]")  # what would make "less than" read the rest differently
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
# After these, '<' inside parentheses can only start an IRI (an operand comes next).
_BEFORE_OPERAND = frozenset(
    {"(", ",", "=", "!=", "<", "<=", ">", ">=", "&&", "||", "!", "+", "-", "*", "/", "^^", "^", "|"}
)
_PUNCT3 = ("<<(", ")>>")
_PUNCT2 = ("&&", "||", "!=", "<=", ">=", "^^", "{|", "|}", ">>", "<<")
_PUNCT1 = frozenset("{}()[],;.=!<>|^*+-/?~&")
_OPEN = {"{": "}", "(": ")", "[": "]"}
_CLOSE = {"}": "{", ")": "(", "]": "["}


@dataclass(frozen=True)
class Token:
    kind: str
    start: int
    end: int
    text: str
    value: str | None = None  # IRI and PNAME: the IRI it stands for, once resolved or expanded (None if unknown)

    @property
    def upper(self) -> str:
        return self.text.upper()


@dataclass
class Tokens:
    """The tokens of a text; ``complete`` is False when the text could not be read to its end (see the module)."""

    tokens: list[Token] = field(default_factory=list)
    complete: bool = True
    problem: str | None = None


def decode_codepoints(text: str) -> str:
    """The text with ``\\uXXXX`` and ``\\UXXXXXXXX`` replaced by their characters (SPARQL 1.1 section 19.2)."""

    def char(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _UCHAR.sub(char, text)


def _valid_iri(iri: str) -> bool:
    try:
        pyoxigraph.NamedNode(iri)
    except ValueError:
        return False
    return True


def _remove_dots(path: str) -> str:
    """RFC 3986 section 5.2.4, segment by segment (linear in the length of the path)."""
    if "." not in path:
        return path
    segments = path.split("/")
    out: list[str] = []
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        if segment in (".", ".."):
            if segment == ".." and (len(out) > 1 or (out and out[0] != "")):
                out.pop()
            if index == last:
                out.append("")
        else:
            out.append(segment)
    return "/".join(out)


_URI = re.compile(r"(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?", re.DOTALL)


def resolve(reference: str, base: str | None) -> str:
    """``reference`` resolved against ``base`` as RFC 3986 section 5.2 says (unchanged without a base)."""
    scheme, authority, path, query, fragment = _URI.fullmatch(reference).groups()
    if scheme is not None:
        return _join(scheme, authority, _remove_dots(path), query, fragment)
    if base is None:
        return reference
    b_scheme, b_authority, b_path, b_query, _ = _URI.fullmatch(base).groups()
    if authority is not None:
        return _join(b_scheme, authority, _remove_dots(path), query, fragment)
    if path == "":
        return _join(b_scheme, b_authority, b_path, query if query is not None else b_query, fragment)
    if not path.startswith("/"):
        path = ("/" + path) if b_authority is not None and b_path == "" else b_path[: b_path.rfind("/") + 1] + path
    return _join(b_scheme, b_authority, _remove_dots(path), query, fragment)


def _join(scheme: str | None, authority: str | None, path: str, query: str | None, fragment: str | None) -> str:
    text = f"{scheme}:" if scheme is not None else ""
    if authority is not None:
        text += "//" + authority
    text += path
    if query is not None:
        text += "?" + query
    if fragment is not None:
        text += "#" + fragment
    return text


class _Lexer:
    def __init__(self, text: str, base: str | None) -> None:
        self.text = text
        self.base = base
        self.prefixes: dict[str, str] = {}
        self.out = Tokens()
        self.stack: list[str] = []
        self.next_gt = -2  # position of the next '>' at or after the current one (-1: none left); -2: unknown

    # --- helpers -------------------------------------------------------------------------------------------

    def fail(self, problem: str) -> Tokens:
        self.out.complete = False
        self.out.problem = problem
        return self.out

    def emit(self, kind: str, start: int, end: int, value: str | None = None) -> None:
        self.out.tokens.append(Token(kind, start, end, self.text[start:end], value))

    def gt_after(self, pos: int) -> int:
        if self.next_gt == -1 or (self.next_gt >= pos):
            return self.next_gt
        self.next_gt = self.text.find(">", pos)
        return self.next_gt

    def after_operand(self) -> bool:
        if not self.out.tokens:
            return False
        last = self.out.tokens[-1]
        return not (last.kind == PUNCT and last.text in _BEFORE_OPERAND)

    def name_end(self, pos: int, first: re.Pattern) -> int:
        """End of PN_PREFIX / BLANK_NODE_LABEL: a first character, PN_CHARS*, then ("."+ PN_CHARS+)* ."""
        text = self.text
        if not first.match(text, pos):
            return pos
        end = _PN_CHARS_RUN.match(text, pos + 1).end()
        while end < len(text) and text[end] == ".":
            dots = end
            while dots < len(text) and text[dots] == ".":
                dots += 1
            more = _PN_CHARS_RUN.match(text, dots).end()
            if more == dots:
                break
            end = more
        return end

    def local_end(self, pos: int) -> int:
        """End of pyoxigraph's PN_LOCAL: first, (PN_CHARS | ':' | PLX)*, then at most one '.'+ (...)+ group."""
        text = self.text
        found = _LOCAL_FIRST.match(text, pos)
        if not found:
            return pos
        end = found.end()
        while (found := _LOCAL_CHAR.match(text, end)) is not None:
            end = found.end()
        if end < len(text) and text[end] == ".":
            dots = end
            while dots < len(text) and text[dots] == ".":
                dots += 1
            if (found := _LOCAL_CHAR.match(text, dots)) is not None:
                end = found.end()
                while (found := _LOCAL_CHAR.match(text, end)) is not None:
                    end = found.end()
        return end

    def string_end(self, pos: int) -> int | None:
        """End of the string starting at ``pos``; None if it is unterminated or holds an escape the engine refuses."""
        text, quote = self.text, self.text[pos]
        long = text.startswith(quote * 3, pos)
        body = (_LONG_BODY if long else _SHORT_BODY)[quote]
        at = pos + (3 if long else 1)
        while True:
            at = body.match(text, at).end()
            if at >= len(text):
                return None
            char = text[at]
            if char == "\\":
                escaped = text[at + 1 : at + 2]
                if escaped in _ECHAR and escaped:
                    at += 2
                    continue
                if escaped in ("u", "U"):
                    size = 4 if escaped == "u" else 8
                    digits = _HEX.match(text, at + 2, at + 2 + size)
                    if digits is None or digits.end() - digits.start() != size:
                        return None
                    code = int(digits.group(), 16)
                    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                        return None
                    at += 2 + size
                    continue
                return None
            if char != quote:  # a line break in a short string
                return None
            if not long:
                return at + 1
            if text.startswith(quote * 3, at):
                return at + 3
            at += 1

    # --- the main loop -------------------------------------------------------------------------------------

    def run(self) -> Tokens:
        text, n = self.text, len(self.text)
        pos = 0
        while pos < n:
            char = text[pos]
            if char in " \t\r\n":
                pos = _SPACE.match(text, pos).end()
                continue
            if char == "#":
                pos = _COMMENT.match(text, pos).end()
                continue
            start = pos
            if char in "'\"":
                end = self.string_end(pos)
                if end is None:
                    return self.fail(f"a string starting at {pos} is not terminated or has an invalid escape")
                self.emit(STRING, start, end)
                pos = end
                if pos < n and text[pos] == "@":
                    found = _LANG.match(text, pos)
                    if found is None:
                        return self.fail(f"an invalid language tag at {pos}")
                    self.emit(LANG, pos, found.end())
                    pos = found.end()
                continue
            if char == "<":
                result = self.angle(pos)
                if isinstance(result, Tokens):
                    return result
                pos = result
                continue
            if char in "?$":
                found = _VARNAME.match(text, pos + 1)
                if found:
                    self.emit(VAR, start, found.end())
                    pos = found.end()
                    continue
                if char == "$":
                    return self.fail(f"a '$' without a variable name at {pos}")
                self.emit(PUNCT, start, pos + 1)
                pos += 1
                continue
            if char == "_" and text.startswith("_:", pos):
                end = self.name_end(pos + 2, _BNODE_FIRST)
                if end == pos + 2:
                    return self.fail(f"a blank node without a label at {pos}")
                self.emit(BNODE, start, end)
                pos = end
                continue
            if char in _DIGIT or (char == "." and text[pos + 1 : pos + 2] in _DIGIT and pos + 1 < n):
                pos = self.number(pos)
                continue
            if char == ":" or _PN_CHARS_BASE.match(char):
                result = self.name(pos)
                if isinstance(result, Tokens):
                    return result
                pos = result
                continue
            punct = next((p for p in (*_PUNCT3, *_PUNCT2) if text.startswith(p, pos)), None)
            if punct is None and char in _PUNCT1:
                punct = char
            if punct is None:
                return self.fail(f"an unexpected character {char!r} at {pos}")
            for bracket in punct:
                if bracket in _OPEN:
                    self.stack.append(bracket)
                elif bracket in _CLOSE and (not self.stack or self.stack.pop() != _CLOSE[bracket]):
                    return self.fail(f"an unbalanced {bracket!r} at {pos}")
            self.emit(PUNCT, start, pos + len(punct))
            pos += len(punct)
        if self.stack:
            return self.fail(f"{len(self.stack)} bracket(s) left open")
        return self.out

    def number(self, pos: int) -> int:
        text = self.text
        digits = _DIGITS.match(text, pos).end()
        end = digits
        if digits < len(text) and text[digits] == ".":
            frac = _DIGITS.match(text, digits + 1).end()
            exponent = _EXPONENT.match(text, frac)
            if exponent and (digits > pos or frac > digits + 1):
                end = exponent.end()  # DOUBLE with a '.'
            elif frac > digits + 1:
                end = frac  # DECIMAL
        if end == digits and digits > pos:
            exponent = _EXPONENT.match(text, digits)
            end = exponent.end() if exponent else digits  # DOUBLE without '.' or INTEGER
        self.emit(NUMBER, pos, end)
        return end

    def name(self, pos: int) -> int | Tokens:
        text = self.text
        end = self.name_end(pos, _PN_CHARS_BASE) if text[pos] != ":" else pos
        if end < len(text) and text[end] == ":":
            prefix = text[pos:end]
            local_end = self.local_end(end + 1)
            local = text[end + 1 : local_end]
            base = self.prefixes.get(prefix)
            value = None
            if self.declaring_prefix():
                pass
            elif base is None:
                return self.fail(f"the prefix {prefix!r} at {pos} is not declared before it is used")
            else:
                value = base + local.replace("\\", "")
                if local and not _valid_iri(value):
                    return self.fail(f"the prefixed name at {pos} does not expand to a valid IRI")
            self.emit(PNAME, pos, local_end, value)
            return local_end
        if end == pos:
            return self.fail(f"an unexpected character {text[pos]!r} at {pos}")
        self.emit(WORD, pos, end)
        return end

    def declaring_prefix(self) -> bool:
        tokens = self.out.tokens
        return bool(tokens) and tokens[-1].kind == WORD and tokens[-1].upper == "PREFIX"

    def angle(self, pos: int) -> int | Tokens:
        text = self.text
        expression = bool(self.stack) and self.stack[-1] == "(" and self.after_operand()
        if text.startswith("<<", pos):
            if expression:
                gt = self.gt_after(pos + 2)
                inner = text[pos + 2 : gt] if gt >= 0 else None
                if inner is not None and not _NOT_IN_IRI.search(inner) and _SPLITS_READINGS.search(inner):
                    return self.fail(f"'<<' at {pos} may be 'less than' and an IRI, read two ways")
            width = 3 if text.startswith("<<(", pos) else 2
            if width == 3:
                self.stack.append("(")
            self.emit(PUNCT, pos, pos + width)
            return pos + width
        gt = self.gt_after(pos + 1)
        inner = text[pos + 1 : gt] if gt >= 0 else None
        if expression:
            if inner is not None and not _NOT_IN_IRI.search(inner):
                if _SPLITS_READINGS.search(inner):
                    return self.fail(f"'<' at {pos} may be 'less than' and an IRI, read two ways")
            else:
                width = 2 if text.startswith("<=", pos) else 1
                self.emit(PUNCT, pos, pos + width)
                return pos + width
        if inner is None:
            return self.fail(f"an IRI starting at {pos} is not terminated")
        iri = resolve(decode_codepoints(inner), self.base)
        self.emit(IRI, pos, gt + 1, iri)
        self.declare(iri)
        return gt + 1

    def declare(self, iri: str) -> None:
        """Follow BASE and PREFIX declarations (an IRI right after ``BASE`` or ``PREFIX p:``)."""
        tokens = self.out.tokens
        if len(tokens) >= 2 and tokens[-2].kind == WORD and tokens[-2].upper == "BASE":
            self.base = iri
        elif (
            len(tokens) >= 3
            and tokens[-3].kind == WORD
            and tokens[-3].upper == "PREFIX"
            and tokens[-2].kind == PNAME
            and tokens[-2].text.endswith(":")
        ):
            self.prefixes[tokens[-2].text[:-1]] = iri


# One request's text is read by several checks (safety, the query form, BASE, FROM); texts up to this size are read
# once and the tokens shared (callers only read them). Larger texts are read each time, so the cache stays small.
CACHED_TEXT = 16 * 1024


def tokenize(text: str, base_iri: str | None = None) -> Tokens:
    """The tokens of a SPARQL query or update (relative IRIs resolved against ``base_iri`` and any BASE).

    The result may be shared with other callers: read it, never change it.
    """
    if len(text) > CACHED_TEXT:
        return _Lexer(text, base_iri).run()
    return _tokenize_cached(text, base_iri)


@functools.lru_cache(maxsize=128)
def _tokenize_cached(text: str, base_iri: str | None) -> Tokens:
    return _Lexer(text, base_iri).run()


# Every word the grammar reads as a keyword (SPARQL 1.1 and what pyoxigraph adds), built-in functions included.
_KEYWORDS = frozenset(
    """A ABS ADD ADJUST ALL AS ASC ASK AVG BASE BIND BNODE BOUND BY CEIL CLEAR COALESCE CONCAT CONSTRUCT CONTAINS
    COPY COUNT CREATE DATA DATATYPE DAY DEFAULT DELETE DESC DESCRIBE DISTINCT DROP ENCODE_FOR_URI EXISTS FALSE FILTER
    FLOOR FROM GRAPH GROUP GROUP_CONCAT HAS HASLANG HASLANGDIR HAVING HOURS IF IN INSERT INTO IRI ISBLANK ISIRI
    ISLITERAL ISNUMERIC ISTRIPLE ISURI LANG LANGDIR LANGMATCHES LATERAL LCASE LIMIT LOAD MAX MD5 MIN MINUS MINUTES
    MONTH MOVE NAMED NOT NOW OBJECT OFFSET OPTIONAL ORDER PREDICATE PREFIX RAND REDUCED REGEX REPLACE ROUND SAMETERM
    SAMPLE SECONDS SELECT SEPARATOR SERVICE SHA1 SHA256 SHA384 SHA512 SILENT STR STRAFTER STRBEFORE STRDT STRENDS
    STRLANG STRLANGDIR STRLEN STRSTARTS STRUUID SUBJECT SUBSTR SUM TIMEZONE TO TRIPLE TRUE TZ UCASE UNDEF UNION URI
    USING UUID VALUES VERSION WHERE WITH YEAR""".split()  # noqa: SIM905 - a word list reads best as words
)


def _keyword_run(text: str) -> bool:
    """Whether ``text`` (upper case) is nothing but keywords written one after another, or empty."""
    reachable = [True] + [False] * len(text)
    for end in range(1, len(text) + 1):
        reachable[end] = any(
            reachable[start] and text[start:end] in _KEYWORDS for start in range(max(0, end - 14), end)
        )
    return reachable[-1]


def hits(tokens: Tokens, keyword: str) -> list[int]:
    """Indexes of the tokens the engine may read as ``keyword`` (upper case).

    A bare word that contains it counts (keywords need no space between them). So does a prefixed name whose prefix
    holds it after nothing but other keywords (``SERVICEx:``, ``trueSERVICE:``): the engine may read such a prefix as
    keywords followed by a name. A prefix like ``itservice:`` or ``workload:`` cannot be read that way (no keyword
    spells ``IT`` or ``WORK``), so it is an ordinary prefix.
    """
    found = []
    for index, token in enumerate(tokens.tokens):
        if token.kind == WORD and keyword in token.upper:
            found.append(index)
        elif token.kind == PNAME:
            prefix = token.upper.split(":", 1)[0]
            at = prefix.find(keyword)
            while at >= 0:
                if _keyword_run(prefix[:at]):
                    found.append(index)
                    break
                at = prefix.find(keyword, at + 1)
    return found


def has_scheme(iri: str) -> bool:
    return _SCHEME.match(iri) is not None
