"""Parsing untrusted XML: no DTD, no entities, no network; a DOCTYPE is refused outright."""

from __future__ import annotations

import re

from lxml import etree

from vskg.rdfio import InputError

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_LANG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")


def parse_xml(data: bytes, name: str) -> etree._Element:
    """The root element of ``data``, or InputError with the line of the first problem."""
    match = _DOCTYPE.search(data)
    if match:
        line = data.count(b"\n", 0, match.start()) + 1
        raise InputError(name, "a DOCTYPE is refused (entity expansion is unsafe); remove it", line)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        message = re.sub(r",? line \d+, column \d+$", "", err.msg or "not well-formed XML")
        raise InputError(name, f"not well-formed XML: {message}", err.lineno) from None
    if root is None:
        raise InputError(name, "not XML: the file is empty")
    tree = root.getroottree()
    if tree.docinfo.doctype:
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
