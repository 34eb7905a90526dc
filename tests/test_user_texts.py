"""The texts people read (README, docs, page templates) use the ontology's own names for what it defines.

The vocabulary is the reference: an acronym it labels (the MCA scheme is "MCA dimensions", titled "Maintained
Competitive Advantage dimensions"; vskg:KPI has the alternative label "KPI") has exactly one expansion, and a
dimension of Maintained Competitive Advantage has exactly one name. The table of acronyms is read from the
ontology and schemes, not written here, so a new labelled acronym is checked without touching this file:

- every run of capitalised words whose initials spell a labelled acronym is that acronym's expansion (a portfolio
  page once called MCA "the Multi-dimensional Change Architecture"), and so is any phrase written as
  "phrase (ACRONYM)";
- "the five dimensions/levers of ..." names Maintained Competitive Advantage;
- an MCA dimension named with a different case or "&" for "and" is spelt as the scheme's label.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from vskg.rdfio import load_graph
from vskg.resources import locate

ROOT = Path(__file__).resolve().parents[1]
TEXTS = sorted(
    [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "vskg" / "web" / "templates").glob("*.html")]
)
VSKG = rdflib.Namespace("https://w3id.org/vskg/ontology#")
NAMES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.title)
WORD = re.compile(r"[A-Za-z][\w'-]*")


def initials(phrase: str) -> str:
    return "".join(word[0].upper() for word in phrase.split())


def expansions(graph: rdflib.Graph) -> dict[str, set[str]]:
    """Acronym -> expansions, from two names of one resource that differ only in the acronym and its expansion."""
    found: dict[str, set[str]] = {}
    for subject in set(graph.subjects()):
        names = {str(o) for p in NAMES for o in graph.objects(subject, p) if isinstance(o, rdflib.Literal)}
        for short in names:
            for acronym in re.findall(r"\b[A-Z]{2,}\b", short):
                before, _, after = short.partition(acronym)
                for long in names - {short}:
                    if not (long.startswith(before) and long.endswith(after)):
                        continue
                    phrase = long[len(before) : len(long) - len(after)].strip()
                    if len(phrase.split()) > 1 and initials(phrase) == acronym:
                        found.setdefault(acronym, set()).add(phrase)
    return found


def same(phrase: str, expected: set[str]) -> bool:
    """The phrase is one of the expansions, ignoring case and a plural s."""
    wanted = {e.casefold() for e in expected}
    text = " ".join(phrase.split()).casefold()
    return text in wanted or text.removesuffix("s") in wanted


def acronym_misuses(text: str, table: dict[str, set[str]]) -> list[str]:
    """Phrases that spell a labelled acronym, or stand before it in brackets, but are not its expansion."""
    words = list(WORD.finditer(text))
    wrong = []
    for acronym, expected in table.items():
        size = len(acronym)
        for i in range(len(words) - size + 1):
            window = words[i : i + size]
            gaps = [text[a.end() : b.start()] for a, b in itertools.pairwise(window)]
            if any(gap.strip() for gap in gaps):
                continue  # the words are not one phrase
            phrase = text[window[0].start() : window[-1].end()]
            capitalised = all(w.group()[0].isupper() for w in window)
            bracketed = re.match(rf"\s*\({acronym}\)", text[window[-1].end() :]) is not None
            if initials(phrase) == acronym and (capitalised or bracketed) and not same(phrase, expected):
                wrong.append(f"{phrase!r} for {acronym} (the ontology: {' / '.join(sorted(expected))})")
    return wrong


@pytest.fixture(scope="module")
def vocabulary() -> rdflib.Graph:
    return load_graph(locate().model)


@pytest.fixture(scope="module")
def table(vocabulary: rdflib.Graph) -> dict[str, set[str]]:
    return expansions(vocabulary)


@pytest.fixture(scope="module")
def dimensions(vocabulary: rdflib.Graph) -> list[str]:
    return sorted(str(vocabulary.value(d, RDFS.label)) for d in vocabulary.subjects(RDF.type, VSKG.MCADimension))


def test_the_table_comes_from_the_ontology(table: dict[str, set[str]], dimensions: list[str]) -> None:
    assert table["MCA"] == {"Maintained Competitive Advantage"}
    assert table["ART"] == {"Agile Release Train"}
    assert table["KPI"] == {"Key performance indicator"}
    assert dimensions == [
        "Culture and People",
        "Execution and Ways of Working",
        "Leadership",
        "Strategic Architecture",
        "Strategy",
    ]
    assert len(TEXTS) > 5 and ROOT / "vskg" / "web" / "templates" / "overview.html" in TEXTS


def test_the_checks_catch_the_old_portfolio_wording(table: dict[str, set[str]]) -> None:
    old = "Which of the five dimensions of the Multi-dimensional Change Architecture each stream is aligned to."
    assert acronym_misuses(old, table) == [
        "'Multi-dimensional Change Architecture' for MCA (the ontology: Maintained Competitive Advantage)"
    ]
    assert acronym_misuses("the model change architecture (MCA) of the bank", table) == [
        "'model change architecture' for MCA (the ontology: Maintained Competitive Advantage)"
    ]
    assert acronym_misuses("five dimensions of Maintained Competitive Advantage (MCA)", table) == []
    assert five_dimensions_of(old) == ["the Multi-dimensional Change Architecture"]


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_acronyms_are_expanded_as_the_ontology_labels_them(path: Path, table: dict[str, set[str]]) -> None:
    assert acronym_misuses(path.read_text(encoding="utf-8"), table) == []


def five_dimensions_of(text: str) -> list[str]:
    """What a text says the five dimensions (or levers) belong to, when it says so."""
    found = re.finditer(r"five (?:MCA )?(?:dimensions|levers) of ((?:the )?(?:[A-Z][\w-]*)(?:\s+[A-Z][\w-]*)*)", text)
    return [" ".join(m.group(1).split()) for m in found]


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_five_dimensions_belong_to_maintained_competitive_advantage(path: Path) -> None:
    named = five_dimensions_of(path.read_text(encoding="utf-8"))
    assert [n for n in named if n != "Maintained Competitive Advantage"] == []


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_mca_dimensions_are_spelt_as_labelled(path: Path, dimensions: list[str]) -> None:
    text = path.read_text(encoding="utf-8")
    wrong = []
    for label in (d for d in dimensions if " " in d):  # one-word names (Strategy, Leadership) are ordinary words
        loose = r"\s+".join("(?:and|&)" if word == "and" else re.escape(word) for word in label.split())
        wrong += [m.group() for m in re.finditer(loose, text, re.IGNORECASE) if " ".join(m.group().split()) != label]
    assert wrong == []
