"""Writers for the four SPARQL 1.1 results formats (JSON, XML, CSV, TSV), over rows held in memory.

pyoxigraph can serialise a live result, but the service stops reading a result at the row limit and must still
write a well-formed document of the rows it kept; these writers take plain lists for that reason.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

Term = NamedNode | BlankNode | Literal | Triple | None
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


def _json_term(term: Term) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    assert isinstance(term, Literal)
    out: dict = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
        if term.direction:
            out["its:dir"] = str(term.direction)
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _json(document: dict) -> bytes:
    """Compact, UTF-8: byte for byte what Oxigraph writes, so an answer the engine wrote can be handed on as it is
    and an answer cut at the row limit looks the same."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def select_json(variables: Sequence[str], rows: Sequence[Sequence[Term]]) -> bytes:
    bindings = [
        {name: _json_term(term) for name, term in zip(variables, row, strict=True) if term is not None} for row in rows
    ]
    return _json({"head": {"vars": list(variables)}, "results": {"bindings": bindings}})


def boolean_json(value: bool) -> bytes:
    return _json({"head": {}, "boolean": value})


def _xml_term(term: Term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Triple):
        parts = (("subject", term.subject), ("predicate", term.predicate), ("object", term.object))
        return "<triple>" + "".join(f"<{n}>{_xml_term(t)}</{n}>" for n, t in parts) + "</triple>"
    assert isinstance(term, Literal)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def select_xml(variables: Sequence[str], rows: Sequence[Sequence[Term]]) -> bytes:
    out = [f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}"><head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        for name, term in zip(variables, row, strict=True):
            if term is not None:
                out.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def boolean_xml(value: bool) -> bytes:
    return (
        f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}"><head/>'
        f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n"
    ).encode()


def _csv_value(term: Term) -> str:
    """CSV loses types by design (SPARQL 1.1 CSV): IRIs and literals as their plain value, blank nodes as _:x."""
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Triple):
        return str(term)
    return term.value


def select_csv(variables: Sequence[str], rows: Sequence[Sequence[Term]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(t) for t in row])
    return buffer.getvalue().encode()


def _tsv_value(term: Term) -> str:
    """TSV keeps terms in their Turtle/N-Triples form, as the SPARQL 1.1 TSV format requires."""
    return "" if term is None else str(term)


def select_tsv(variables: Sequence[str], rows: Sequence[Sequence[Term]]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


SELECT_WRITERS = {
    "application/sparql-results+json": select_json,
    "application/sparql-results+xml": select_xml,
    "text/csv": select_csv,
    "text/tab-separated-values": select_tsv,
}
BOOLEAN_WRITERS = {
    "application/sparql-results+json": boolean_json,
    "application/sparql-results+xml": boolean_xml,
}
