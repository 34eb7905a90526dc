"""Property names and SHACL property paths in words, for pages read by architects rather than by RDF tools.

A property is shown by its label in the bundled vocabulary (``vskg:stageOf`` reads "stage of"); a property from
elsewhere without a bundled label by its local name split into words (``skos:prefLabel`` reads "pref label"). A
SHACL path in the SPARQL syntax the validation report gives (``(^<…#subCapabilityOf>)*/<…#supportsCapability>``)
is read step by step: an inverse step by the label of the declared inverse property when there is one, else as
"X, read backwards"; ``*`` "any number of times", ``+`` "one or more times", ``?`` "if present"; ``/`` "then";
``|`` "or". The pages keep the technical form beside the words, in a tooltip or a <details>.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import rdflib
from rdflib import OWL, RDFS, SKOS

from vskg.resources import locate

PREFIXES = {
    "vskg": "https://w3id.org/vskg/ontology#",
    "am": "https://w3id.org/vskg/archimate#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
# How a stage depends on a capability or system (vskg.analytics.impact's "via"), in words; the IRI that may follow
# names the sub-capability, capability or system the dependency goes through.
VIA = {
    "vskg:enabledBy": "enabled by it directly",
    "vskg:subCapabilityOf": "enabled by its sub-capability",
    "vskg:supportsStage": "supports the stage directly",
    "vskg:supportsCapability": "supports the enabling capability",
    "vskg:runsOn": "hosts the system",
}
_CURIE = re.compile(r"\b([a-z][a-z0-9]*):([A-Za-z_][\w.-]*)")
_TOKEN = re.compile(r"\s*(<[^<>\s]*>|[A-Za-z][\w-]*:[\w.-]*|[()^*+?/|])")


@dataclass(frozen=True)
class _Vocabulary:
    labels: dict[str, str]  # property IRI -> English label
    inverses: dict[str, str]  # property IRI -> the IRI of its declared inverse


@cache
def _vocabulary() -> _Vocabulary:
    graph = rdflib.Graph()
    for path in locate().ontologies:
        graph.parse(path, format="turtle")
    labels: dict[str, str] = {}
    for predicate in (SKOS.prefLabel, RDFS.label):
        for subject, label in graph.subject_objects(predicate):
            if isinstance(label, rdflib.Literal) and label.language in (None, "en") and str(subject) not in labels:
                labels[str(subject)] = str(label)
    inverses: dict[str, str] = {}
    for one, other in graph.subject_objects(OWL.inverseOf):
        if isinstance(one, rdflib.URIRef) and isinstance(other, rdflib.URIRef):
            inverses.setdefault(str(one), str(other))
            inverses.setdefault(str(other), str(one))
    return _Vocabulary(labels, inverses)


def expand(name: str) -> str:
    """The IRI of a CURIE with a known prefix (``vskg:stageOf``), of ``<IRI>``, or the text itself."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES and local and not local.startswith("//") else name


def _local_words(iri: str) -> str:
    local = re.split(r"[#/]", iri.rstrip("#/"))[-1] or iri
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).replace("_", " ").lower()


def property_words(name: str) -> str:
    """A property (IRI, ``<IRI>`` or CURIE) as its label, or its local name in words."""
    iri = expand(name)
    return _vocabulary().labels.get(iri) or _local_words(iri)


def phrase(text: str) -> list[dict[str, str]]:
    """A dependency's "via" (``vskg:supportsCapability <IRI>``) as pieces: the words, and the CURIE or ""."""
    pieces: list[dict[str, str]] = []
    position = 0
    for match in _CURIE.finditer(text):
        if match.group(1) not in PREFIXES:
            continue
        if match.start() > position:
            pieces.append({"text": text[position : match.start()], "technical": ""})
        words = VIA.get(match.group(0)) or property_words(match.group(0))
        pieces.append({"text": words, "technical": match.group(0)})
        position = match.end()
    if position < len(text):
        pieces.append({"text": text[position:], "technical": ""})
    return pieces


class _Path:
    """A recursive-descent reader of SPARQL property path text: alternatives of sequences of modified steps."""

    def __init__(self, text: str) -> None:
        self.tokens: list[str] = []
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                raise ValueError(f"cannot read the path at character {position + 1}")
            self.tokens.append(match.group(1))
            position = match.end()
            while position < len(text) and text[position].isspace():
                position += 1
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise ValueError("the path ends too early")
        self.at += 1
        return token

    def read(self) -> str:
        words = self.alternatives()
        if self.peek() is not None:
            raise ValueError(f"unexpected {self.peek()!r} in the path")
        return words

    def alternatives(self) -> str:
        options = [self.sequence()]
        while self.peek() == "|":
            self.take()
            options.append(self.sequence())
        return " or ".join(options) if len(options) == 1 else "either " + " or ".join(options)

    def sequence(self) -> str:
        steps = [self.modified()]
        while self.peek() == "/":
            self.take()
            steps.append(self.modified())
        return ", then ".join(steps)

    def modified(self) -> str:
        words = self.primary()
        modifier = self.peek()
        if modifier == "*":
            self.take()
            return f"{words} (any number of times, or none)"
        if modifier == "+":
            self.take()
            return f"{words} (one or more times)"
        if modifier == "?":
            self.take()
            return f"{words} (if present)"
        return words

    def primary(self) -> str:
        token = self.take()
        if token == "(":
            words = self.alternatives()
            if self.take() != ")":
                raise ValueError("a bracket of the path is not closed")
            return f"({words})" if words.startswith("either ") else words
        if token == "^":
            inner = self.peek()
            if inner is not None and inner not in "()^*+?/|":
                iri = expand(self.take())
                inverse = _vocabulary().inverses.get(iri)
                if inverse is not None:
                    return property_words(inverse)
                return f"{property_words(iri)}, read backwards"
            return f"{self.primary()}, read backwards"
        if token in ")*+?/|":
            raise ValueError(f"unexpected {token!r} in the path")
        return property_words(token)


def path_words(path: str) -> str:
    """A SHACL result path (an IRI, or SPARQL path syntax) in words; the text unchanged when it cannot be read."""
    text = path.strip()
    if not text:
        return text
    if text.startswith(("http://", "https://", "urn:")):  # a single property, as the report gives it
        text = f"<{text}>"
    try:
        return _Path(text).read()
    except ValueError:
        return path
