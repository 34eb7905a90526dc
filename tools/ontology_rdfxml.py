"""Generate ontology/vskg.owl, the RDF/XML twin of ontology/vskg.ttl.

Turtle is the file people edit, but several OWL tools (owlready2, older OWL API builds, some editors) read only
RDF/XML. The twin is committed and shipped in the wheel so that those tools, and ``GET /ontology.owl``, have it
without converting anything at run time; this generator is a build-time tool in ``tools/``, outside the ``vskg``
package, like the ArchiMate shapes generator. Regenerate from the repository root after editing the Turtle::

    make owl            # or: python tools/ontology_rdfxml.py

``tests/test_ontology_rdfxml.py`` fails, naming that command, when the committed file differs from what this
generator writes now.

The output must not change unless the graph does, so that the committed file only moves with real edits:

- blank nodes (the restrictions and unions of the ontology) get canonical names (rdflib's RDF graph
  canonicalisation, which does not depend on parse order or the hash seed), then short ones ``b1``, ``b2`` ...
  in the order they first appear;
- triples are written sorted: the ontology header first, then named subjects by IRI, then blank nodes b1, b2 ...,
  each subject's triples by predicate (rdf:type first, so elements read ``<owl:Class ...>``) and object. The
  writer is Oxigraph's, which groups consecutive triples of one subject into one element and never nests, so the
  order is the file's order;
- the prefixes are those declared in the Turtle file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyoxigraph
import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple
from rdflib.compare import to_canonical_graph

REPO = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = REPO / "ontology" / "vskg.ttl"
DEFAULT_OUTPUT = REPO / "ontology" / "vskg.owl"
COMMAND = "make owl"  # what the staleness test tells people to run
OWL_ONTOLOGY = "http://www.w3.org/2002/07/owl#Ontology"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _rank(triple: Triple, headers: set[str], short: bool = False) -> tuple:
    subject = triple.subject
    group = 0 if isinstance(subject, NamedNode) and subject.value in headers else 1
    name: str | int = str(subject)
    if isinstance(subject, BlankNode):
        group = 2
        name = int(subject.value[1:]) if short else subject.value
    typing = 0 if triple.predicate.value == RDF_TYPE else 1  # a type first makes a typed element (owl:Class ...)
    return (group, name, typing, str(triple.predicate), str(triple.object))


def _short_names(triples: list[Triple]) -> list[Triple]:
    """Rename blank nodes b1, b2 ... in order of first appearance (the order is already canonical)."""
    names: dict[BlankNode, BlankNode] = {}

    def rename(term):
        if isinstance(term, BlankNode):
            if term not in names:
                names[term] = BlankNode(f"b{len(names) + 1}")
            return names[term]
        return term

    return [Triple(rename(t.subject), t.predicate, rename(t.object)) for t in triples]


def _term(node: rdflib.term.Node) -> NamedNode | BlankNode | Literal:
    if isinstance(node, rdflib.URIRef):
        return NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return BlankNode(str(node))
    assert isinstance(node, rdflib.Literal)
    if node.language:
        return Literal(str(node), language=node.language)
    return Literal(str(node), datatype=NamedNode(str(node.datatype)) if node.datatype else None)


def render(turtle: Path = DEFAULT_INPUT) -> bytes:
    """The RDF/XML text of a Turtle ontology, identical for identical graphs."""
    source = rdflib.Graph(bind_namespaces="none")
    source.parse(turtle, format="turtle")
    prefixes = {str(prefix): str(ns) for prefix, ns in source.namespaces() if prefix}
    triples = [Triple(*map(_term, t)) for t in to_canonical_graph(source)]
    headers = {t.subject.value for t in triples if t.predicate.value == RDF_TYPE and t.object.value == OWL_ONTOLOGY}
    named = _short_names(sorted(triples, key=lambda t: _rank(t, headers)))
    ordered = sorted(named, key=lambda t: _rank(t, headers, short=True))
    text = pyoxigraph.serialize(ordered, format=RdfFormat.RDF_XML, prefixes=prefixes)
    return text if text.endswith(b"\n") else text + b"\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the RDF/XML twin of the vskg ontology.")
    parser.add_argument("turtle", nargs="?", type=Path, default=DEFAULT_INPUT, help="the Turtle ontology")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="the RDF/XML file to write")
    args = parser.parse_args(argv)
    text = render(args.turtle)
    args.output.write_bytes(text)
    print(f"wrote {args.output} ({len(text)} bytes) from {args.turtle}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
