"""Which writes can change an analysis, so that a write that cannot does not throw the portfolio analysis away.

The analyses read only terms of the vskg ontology and the RDF, RDFS, OWL and SKOS vocabularies (types, labels,
notations, schemes). A write whose text names no term of those namespaces, uses no variable (so it matches no
pattern) and no graph-wide operation (DROP, CLEAR, MOVE, COPY, ADD, LOAD, WITH/USING ... WHERE) adds or removes only
triples the analyses never read. Anything else, or anything the tokenizer cannot read, counts as relevant.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import NamedNode, Quad

from vskg.sparql_lexer import IRI, PNAME, VAR, WORD, tokenize
from vskg.vocab import VSKG

READ_NAMESPACES = (
    VSKG,
    "https://w3id.org/vskg/scheme/",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2004/02/skos/core#",
)
GRAPH_WIDE = {"DROP", "CLEAR", "MOVE", "COPY", "ADD", "LOAD", "WITH", "USING", "WHERE", "CREATE"}


def update_may_change_analysis(text: str) -> bool:
    """Whether the SPARQL update ``text`` could change what the analyses read (True when in doubt)."""
    tokens = tokenize(text)
    if not tokens.complete:
        return True
    previous = None
    for token in tokens.tokens:
        declared, previous = previous is not None and previous.upper == "PREFIX", token
        if declared and token.kind == PNAME:
            continue  # the prefix being declared: its IRI is the next token, judged on its own
        if token.kind == VAR:
            return True
        if token.kind == WORD and (token.upper in GRAPH_WIDE or token.text == "a"):
            return True
        if token.kind in (IRI, PNAME) and (token.value is None or token.value.startswith(READ_NAMESPACES)):
            return True
    return False


def quads_may_change_analysis(quads: Iterable[Quad]) -> bool:
    """Whether adding (or removing) ``quads`` could change what the analyses read."""
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object):
            if isinstance(term, NamedNode) and term.value.startswith(READ_NAMESPACES):
                return True
    return False
