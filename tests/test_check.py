"""`vskg check` is a real OWL 2 DL and consistency check: it passes the bundled ontology, schemes and data, and
fails broken ones. HermiT over the whole bundle takes about 8 s on an idle machine (25 s on a loaded one), so the
bundled run happens once, through the command line, and its output serves every test that needs it."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from click.testing import Result
from typer.testing import CliRunner

from vskg.check import RewriteRefused, check, consistency, prepare, reasoner_copy
from vskg.cli import app
from vskg.rdfio import load_graph
from vskg.resources import locate

OWL = Path(__file__).resolve().parent / "fixtures" / "owl"
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
pytestmark = pytest.mark.xdist_group("java")
DATES_NOTE = (
    "literals given to the reasoners as xsd:dateTime (the first instant of the day or year): OWL 2 has no date "
    "datatype; nothing in the files constrains these datatypes, so the verdicts are those on the dates themselves"
)


@pytest.fixture(scope="module")
def bundled() -> Result:
    """`vskg check` with no files: the bundled ontology, schemes and data, once for the module."""
    return CliRunner().invoke(app, ["check"])


def _count(kind: str, datatype: rdflib.URIRef) -> int:
    bundle = locate()
    paths = {"ontology": bundle.ontologies, "schemes": bundle.schemes, "data": bundle.data}[kind]
    return sum(1 for o in load_graph(paths).objects() if isinstance(o, rdflib.Literal) and o.datatype == datatype)


def test_bundled_ontology_schemes_and_data_pass_both_checks(bundled: Result) -> None:
    bundle = locate()
    triples = len(load_graph([*bundle.model, *bundle.data]))
    dates = sum(_count(kind, XSD.date) for kind in ("ontology", "schemes", "data"))
    years = sum(_count(kind, XSD.gYear) for kind in ("ontology", "schemes", "data"))
    assert _count("data", XSD.date) > 100 and years > 0  # the data is really in the check, dates and all
    assert bundled.exit_code == 0, bundled.output
    assert bundled.output.splitlines() == [
        f"checked the bundled ontology ({len(bundle.ontologies)} files), schemes ({len(bundle.schemes)}) and data "
        f"({len(bundle.data)}): {triples} triples",
        f"{dates} xsd:date and {years} xsd:gYear {DATES_NOTE}",
        "pass OWL 2 DL profile (OWL API)",
        "pass Consistency (HermiT)",
    ]


def test_hermit_refuses_the_dates_as_they_are(tmp_path: Path) -> None:
    """Why the rewrite exists: the same copy without it is refused for a datatype outside OWL 2's map."""
    source = tmp_path / "raw.owl"
    load_graph([OWL / "dates-one-on-a-functional-property.ttl"]).serialize(source, format="xml")
    prepared = prepare([OWL / "dates-one-on-a-functional-property.ttl"], tmp_path)
    prepared.path = source
    result = consistency(prepared)
    assert (result.passed, result.details) == (
        False,
        ["HermiT refused the ontology: Literals can only use the datatypes from the OWL 2 datatype map, see "],
    )


def test_dates_and_years_become_the_datetime_of_their_first_instant() -> None:
    graph = rdflib.Graph()
    ex = rdflib.Namespace("https://example.org/")
    graph.add((ex.a, ex.on, rdflib.Literal("2025-03-31", datatype=XSD.date, normalize=False)))
    graph.add((ex.b, ex.on, rdflib.Literal("2025-03-31+02:00", datatype=XSD.date, normalize=False)))
    graph.add((ex.c, ex.on, rdflib.Literal("1985", datatype=XSD.gYear, normalize=False)))
    graph.add((ex.d, ex.on, rdflib.Literal("2025-3-31", datatype=XSD.date, normalize=False)))
    graph.add((ex.e, ex.on, rdflib.Literal("3.5", datatype=XSD.decimal, normalize=False)))
    copy, rewritten = reasoner_copy(graph)
    assert dict(rewritten) == {"xsd:date": 2, "xsd:gYear": 1}
    assert {(str(s), str(o), str(o.datatype)) for s, _, o in copy} == {
        ("https://example.org/a", "2025-03-31T00:00:00", str(XSD.dateTime)),
        ("https://example.org/b", "2025-03-31T00:00:00+02:00", str(XSD.dateTime)),
        ("https://example.org/c", "1985-01-01T00:00:00", str(XSD.dateTime)),
        ("https://example.org/d", "2025-3-31", str(XSD.date)),
        ("https://example.org/e", "3.5", str(XSD.decimal)),
    }


def test_two_different_dates_on_a_functional_property_are_still_two() -> None:
    """Rewritten, not dropped: HermiT sees both dates and finds the contradiction."""
    profile, hermit = check([OWL / "dates-two-on-a-functional-property.ttl"])
    assert (profile.passed, hermit.passed, hermit.details) == (True, False, ["the ontology is inconsistent"])
    fine = check([OWL / "dates-one-on-a-functional-property.ttl"])
    assert [(r.passed, r.details) for r in fine] == [(True, []), (True, [])]


def test_the_rewrite_is_refused_where_it_would_change_the_meaning() -> None:
    profile, hermit = check([OWL / "dates-range-names-datetime.ttl"])
    reason = (
        "<https://example.org/owl-fixture#measuredAt> <http://www.w3.org/2000/01/rdf-schema#range> xsd:dateTime "
        "names a date datatype, so xsd:date and xsd:gYear literals cannot be given to the reasoners as "
        "xsd:dateTime without changing what it says; OWL 2 DL has no date datatype: use xsd:dateTime for such a "
        "property, or leave its range open and check the dates with SHACL"
    )
    assert [(r.passed, r.details) for r in (profile, hermit)] == [(False, [reason]), (False, [reason])]
    _, collided = check([OWL / "dates-year-meets-day.ttl"])
    assert collided.details == [
        '"2019"^^xsd:gYear and "2019-01-01"^^xsd:date would both be given to the reasoners as '
        '"2019-01-01T00:00:00"^^xsd:dateTime, which could then not tell them apart; state both with the same datatype'
    ]
    with pytest.raises(RewriteRefused):
        reasoner_copy(load_graph([OWL / "dates-year-meets-day.ttl"]))


def test_a_datetime_range_without_dates_to_rewrite_is_left_alone(tmp_path: Path) -> None:
    source = tmp_path / "instants.ttl"
    source.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix ex: <https://example.org/t#> .\n"
        "<https://example.org/t> a owl:Ontology . ex:at a owl:DatatypeProperty ; rdfs:range xsd:dateTime .\n"
        'ex:x a owl:NamedIndividual ; ex:at "2025-06-30T12:00:00Z"^^xsd:dateTime .\n'
    )
    assert [(r.passed, r.details) for r in check([source])] == [(True, []), (True, [])]


def test_profile_checker_rejects_a_functional_transitive_property() -> None:
    profile, _ = check([OWL / "not-dl-transitive-functional.ttl"])
    assert not profile.passed
    assert profile.details == [
        "Use of non-simple property in FunctionalObjectProperty axiom: "
        "[FunctionalObjectProperty(<https://example.org/owl-fixture#precedes>) "
        "in OntologyID(OntologyIRI(<https://example.org/owl-fixture>))]"
    ]


def test_hermit_finds_an_inconsistent_ontology() -> None:
    profile, consistency = check([OWL / "inconsistent.ttl"])
    assert profile.passed
    assert (consistency.passed, consistency.details) == (False, ["the ontology is inconsistent"])


def test_hermit_finds_an_unsatisfiable_class() -> None:
    _, consistency = check([OWL / "unsatisfiable.ttl"])
    assert (consistency.passed, consistency.details) == (
        False,
        ["unsatisfiable class https://example.org/owl-fixture#Hybrid"],
    )


def test_cli_exit_codes() -> None:
    runner = CliRunner()
    failed = runner.invoke(app, ["check", str(OWL / "unsatisfiable.ttl")])
    assert failed.exit_code == 1
    assert failed.output.splitlines() == [
        "checked 1 file: 7 triples",
        "pass OWL 2 DL profile (OWL API)",
        "FAIL Consistency (HermiT)",
        "  unsatisfiable class https://example.org/owl-fixture#Hybrid",
    ]
    missing = runner.invoke(app, ["check", str(OWL / "absent.ttl")])
    assert missing.exit_code == 3
    assert "absent.ttl: No such file or directory" in missing.output
