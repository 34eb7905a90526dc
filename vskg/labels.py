"""Which of a resource's labels to show, decided in one place so that a page, the API and a map agree.

An English rdfs:label comes first, then one without a language, then an English skos:prefLabel, then one without
a language, then labels in other languages (rdfs:label before skos:prefLabel); among equals, the first in
alphabetical order, so the choice does not depend on the order the store returns them in.
"""

from __future__ import annotations

from collections.abc import Iterable

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
LABEL_PREDICATES = (RDFS_LABEL, SKOS_PREF_LABEL)


def rank(predicate: str, language: str | None) -> int:
    """Lower is better."""
    language = (language or "").lower()
    english = language == "en" or language.startswith("en-")
    if predicate == RDFS_LABEL:
        return 0 if english else 1 if not language else 4
    return 2 if english else 3 if not language else 5


def best(candidates: Iterable[tuple[str, str, str | None]]) -> str | None:
    """The label to show among (predicate, text, language) candidates, or None when there is none."""
    ranked = [(rank(predicate, language), text) for predicate, text, language in candidates]
    return min(ranked)[1] if ranked else None
