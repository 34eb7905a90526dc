"""Parsing untrusted XML: no DTD, no entities, no network, a bounded number of elements; a DOCTYPE is refused.

The document may arrive in chunks (an archive member inflated as it is read): each chunk is checked (a DOCTYPE
anywhere, scanned with an overlap across chunks; NUL bytes or a UTF-16/32 byte-order mark, which could hide one)
and fed to lxml's incremental parser, which counts elements as they start. So a document is refused as soon as it
passes a bound, without ever being held whole in memory. Comments and processing instructions are dropped while
parsing. The element bound is ``VSKG_MAX_XML_ELEMENTS`` (default 1,000,000).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from lxml import etree

from vskg.rdfio import InputError

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_OVERLAP = len(b"<!DOCTYPE") - 1
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_LANG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
DEFAULT_MAX_ELEMENTS = 1_000_000
_SLICE = 1024 * 1024


def max_elements() -> int:
    return int(os.environ.get("VSKG_MAX_XML_ELEMENTS", str(DEFAULT_MAX_ELEMENTS)))


def _chunks(data: bytes | Iterable[bytes]) -> Iterable[bytes]:
    if isinstance(data, bytes | bytearray):
        for start in range(0, len(data), _SLICE):
            yield bytes(data[start : start + _SLICE])
    else:
        yield from data


def _syntax(name: str, err: etree.XMLSyntaxError) -> InputError:
    message = re.sub(r",? line \d+, column \d+$", "", err.msg or "not well-formed XML")
    return InputError(name, f"not well-formed XML: {message}", err.lineno)


def parse_xml(data: bytes | Iterable[bytes], name: str) -> etree._Element:
    """The root element of ``data`` (bytes, or chunks of bytes), or InputError with the line of the first problem."""
    limit = max_elements()
    parser = etree.XMLPullParser(
        events=("start",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    tail, lines, elements, first = b"", 1, 0, True
    try:
        for chunk in _chunks(data):
            if (first and chunk.startswith(_WIDE_BOMS)) or b"\x00" in chunk:
                raise InputError(name, "not UTF-8 XML (it holds NUL bytes or a UTF-16/32 byte-order mark)", lines)
            window = tail + chunk
            found = _DOCTYPE.search(window)
            if found:
                line = lines - tail.count(b"\n") + window.count(b"\n", 0, found.start())
                raise InputError(name, "a DOCTYPE is refused (entity expansion is unsafe); remove it", line)
            tail, first = window[-_OVERLAP:], False
            lines += chunk.count(b"\n")
            parser.feed(chunk)
            for _ in parser.read_events():
                elements += 1
            if elements > limit:
                raise InputError(
                    name, f"the XML has more than {limit} elements (set VSKG_MAX_XML_ELEMENTS to change it)", lines
                )
        if first:
            raise InputError(name, "not XML: the file is empty")
        root = parser.close()
    except etree.XMLSyntaxError as err:
        raise _syntax(name, err) from None
    if root is None:
        raise InputError(name, "not XML: the file is empty")
    if root.getroottree().docinfo.doctype:
        raise InputError(name, "a DOCTYPE is refused (entity expansion is unsafe); remove it", 1)
    return root


def lang_of(element: etree._Element, name: str = "input") -> str | None:
    """The element's xml:lang, inherited from its ancestors; None when no language is given.

    A value that is not a well-formed language tag (BCP 47) is refused with the element's line.
    """
    node = element
    while node is not None:
        lang = node.get("{http://www.w3.org/XML/1998/namespace}lang")
        if lang is not None:
            if lang and not _LANG.fullmatch(lang):
                raise InputError(name, f"xml:lang {lang!r} is not a language tag", element.sourceline)
            return lang or None
        node = node.getparent()
    return None
