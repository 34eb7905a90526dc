"""`vskg check` is a real OWL 2 DL and consistency check: it passes the bundled ontology and fails broken ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from vskg.check import check
from vskg.cli import app

OWL = Path(__file__).resolve().parent / "fixtures" / "owl"
pytestmark = pytest.mark.xdist_group("java")


def test_bundled_ontology_and_schemes_pass_both_checks() -> None:
    results = check()
    assert [(r.name, r.passed, r.details) for r in results] == [
        ("OWL 2 DL profile (OWL API)", True, []),
        ("Consistency (HermiT)", True, []),
    ]


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
    passed = runner.invoke(app, ["check"])
    assert passed.exit_code == 0, passed.output
    assert passed.output.splitlines() == ["pass OWL 2 DL profile (OWL API)", "pass Consistency (HermiT)"]
    failed = runner.invoke(app, ["check", str(OWL / "unsatisfiable.ttl")])
    assert failed.exit_code == 1
    missing = runner.invoke(app, ["check", str(OWL / "absent.ttl")])
    assert missing.exit_code == 3
    assert "absent.ttl: No such file or directory" in missing.output
