"""``vskg link``: proposals between an imported graph and the rest of the store (same type family, rapidfuzz label
scores), the review file, loading accepted links as skos:exactMatch, and the catalogue query that follows them."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vskg.catalogue import catalogue, run
from vskg.cli import app
from vskg.link import COLUMNS, LINKS_GRAPH, propose, score
from vskg.results import collect
from vskg.store import LocalStore
from vskg.tabular import convert, to_quads

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "tabular"
ARCHI = "https://example.org/graph/archi"
M = "https://w3id.org/vskg/archimate/model/m1/"
BANK = "https://w3id.org/vskg/data/banking/"
DATA = "https://data.example.org/"

# An ArchiMate import as the archimate importer writes it (am:Element, am:type, am:name per language).
IMPORTED = """\
@prefix am: <https://w3id.org/vskg/archimate#> .
@prefix m: <https://w3id.org/vskg/archimate/model/m1/> .
m:id-1 a am:Element ; am:type "ApplicationComponent" ; am:name "Core Banking Platform"@en , "Kernbankenplattform"@de .
m:id-2 a am:Element ; am:type "ApplicationComponent" ; am:name "Loan Origination"@en .
m:id-3 a am:Element ; am:type "ApplicationComponent" ; am:name "Data Warehouse"@en .
m:id-4 a am:Element ; am:type "Capability" ; am:name "Customer Onboarding"@en .
m:id-5 a am:Element ; am:type "Capability" ; am:name "Onboarding of customers"@en .
m:id-6 a am:Element ; am:type "BusinessActor" ; am:name "Lending department"@en .
m:id-7 a am:Element ; am:type "BusinessActor" ; am:name "Digital Channels"@en .
m:id-8 a am:Element ; am:type "BusinessProcess" ; am:name "Customer onboarding"@en .
m:id-9 a am:Element ; am:type "ApplicationComponent" ; am:name "Mortgage Origination System"@en .
m:rel-1 a am:Relationship ; am:type "Serving" ; am:source m:id-1 ; am:target m:id-4 .
"""

MOS = "Mortgage origination system"
EXPECTED = [
    ("100.0", M + "id-1", "Core Banking Platform", DATA + "application/APP-001", "Core banking platform"),
    ("82.1", M + "id-2", "Loan Origination", DATA + "application/APP-002", "Loan origination system"),
    ("100.0", M + "id-4", "Customer Onboarding", DATA + "capability/CAP-1.1", "Customer onboarding"),
    ("100.0", M + "id-4", "Customer Onboarding", BANK + "customer-onboarding", "Customer onboarding"),
    ("90.5", M + "id-5", "Onboarding of customers", DATA + "capability/CAP-1.1", "Customer onboarding"),
    ("90.5", M + "id-5", "Onboarding of customers", BANK + "customer-onboarding", "Customer onboarding"),
    ("100.0", M + "id-7", "Digital Channels", DATA + "unit/U-DIGITAL", "Digital channels"),
    ("86.5", M + "id-7", "Digital Channels", BANK + "digital-channels-team", "Digital channels team"),
    (
        "100.0",
        M + "id-9",
        "Mortgage Origination System",
        BANK + "mortgage-origination-system",
        "Mortgage origination system",
    ),
    ("84.0", M + "id-9", "Mortgage Origination System", DATA + "application/APP-002", "Loan origination system"),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled model, the two tabular examples and an ArchiMate import, each in its own graph."""
    folder = tmp_path_factory.mktemp("link") / "store"
    db = LocalStore(folder)
    try:
        db.init_bundled()
        for meta, graph in (
            (EXAMPLES / "application-inventory" / "inventory-metadata.json", "https://example.org/graph/inventory"),
            (EXAMPLES / "capability-map" / "capability-map.xlsx-metadata.json", "https://example.org/graph/caps"),
        ):
            db.replace_graph(graph, to_quads(convert(meta), graph))
        archi = folder.parent / "archi.ttl"
        archi.write_text(IMPORTED, encoding="utf-8")
        db.load_file(archi, ARCHI)
    finally:
        db.close()
    return folder


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Path:
    shutil.copytree(template, tmp_path / "store")
    return tmp_path / "store"


runner = CliRunner()


def test_scores_come_from_rapidfuzz_token_sort_ratio() -> None:
    assert score("Core Banking Platform", "core banking platform") == 100.0
    assert score("Onboarding of customers", "Customer onboarding") == 90.5
    assert score("Lending department", "Lending") < 80


def test_proposals_pair_same_family_similar_names(store: Path) -> None:
    db = LocalStore(store)
    try:
        proposals = propose(db, ARCHI)
    finally:
        db.close()
    assert [(f"{p.score:.1f}", p.source, p.source_label, p.target, p.target_label) for p in proposals] == EXPECTED
    # The business process "Customer onboarding" (id-8) has no type family, so it is never proposed, and the
    # capability "Customer Onboarding" is never paired with a system or unit of the same name.
    assert {p.family for p in proposals} == {"application", "capability", "organisation"}


def test_threshold_and_limit(store: Path) -> None:
    db = LocalStore(store)
    try:
        high = propose(db, ARCHI, threshold=95)
        one = propose(db, ARCHI, limit=1)
    finally:
        db.close()
    assert [(p.source[len(M) :], p.target) for p in high] == [
        ("id-1", DATA + "application/APP-001"),
        ("id-4", DATA + "capability/CAP-1.1"),
        ("id-4", BANK + "customer-onboarding"),
        ("id-7", DATA + "unit/U-DIGITAL"),
        ("id-9", BANK + "mortgage-origination-system"),
    ]
    assert [p.source[len(M) :] for p in one] == ["id-1", "id-2", "id-4", "id-5", "id-7", "id-9"]


def review(path: Path, accept: dict[tuple[str, str], str]) -> None:
    """Fill the accept column as an architect would."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:
        row[0] = accept.get((row[2], row[4]), "no")
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


ACCEPTED = {
    (M + "id-1", DATA + "application/APP-001"): "yes",
    (M + "id-4", BANK + "customer-onboarding"): "Yes",
    (M + "id-7", DATA + "unit/U-DIGITAL"): "x",
    (M + "id-9", BANK + "mortgage-origination-system"): "y",
}


def links_in(store: Path) -> set[tuple[str, str, str]]:
    db = LocalStore(store)
    try:
        return {(q.subject.value, q.predicate.value, q.object.value) for q in db.quads(LINKS_GRAPH)}
    finally:
        db.close()


def test_review_file_and_load_put_exactly_the_accepted_links(store: Path, tmp_path: Path) -> None:
    links = tmp_path / "archi.links.csv"
    result = runner.invoke(app, ["link", "--graph", ARCHI, "-o", str(links), "--store", str(store)])
    assert result.exit_code == 0, result.output
    with links.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == COLUMNS == ["accept", "score", "source", "source label", "target", "target label", "relation"]
    assert [tuple(r) for r in rows[1:]] == [("", *e, "skos:exactMatch") for e in EXPECTED]

    review(links, ACCEPTED)
    result = runner.invoke(app, ["link", "--load", str(links), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert result.output == f"4 new links into <{LINKS_GRAPH}>\n"
    exact = "http://www.w3.org/2004/02/skos/core#exactMatch"
    assert links_in(store) == {(source, exact, target) for source, target in ACCEPTED}

    result = runner.invoke(app, ["link", "--load", str(links), "--store", str(store)])  # loading again adds nothing
    assert result.output == f"0 new links into <{LINKS_GRAPH}>\n"
    assert len(links_in(store)) == 4

    # Proposing again leaves out the four pairs already linked and offers the rest as before.
    again = tmp_path / "again.links.csv"
    result = runner.invoke(app, ["link", "--graph", ARCHI, "-o", str(again), "--store", str(store)])
    assert result.exit_code == 0, result.output
    with again.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [tuple(r) for r in rows[1:]] == [
        ("", *e, "skos:exactMatch") for e in EXPECTED if (e[1], e[3]) not in ACCEPTED
    ]
    assert len(rows) - 1 == len(EXPECTED) - 4


def test_bad_review_file_loads_nothing(store: Path, tmp_path: Path) -> None:
    links = tmp_path / "bad.links.csv"
    links.write_text(
        "accept,score,source,source label,target,target label,relation\n"
        f"yes,100.0,{M}id-1,Core Banking Platform,{DATA}application/APP-001,Core banking platform,skos:exactMatch\n"
        f"maybe,82.1,{M}id-2,Loan Origination,{DATA}application/APP-002,Loan origination system,skos:exactMatch\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["link", "--load", str(links), "--store", str(store)])
    assert result.exit_code == 3
    assert f"{links}, line 3: column 'accept': 'maybe' is neither yes nor no (or empty) (nothing was loaded)" in (
        " ".join(result.output.split())
    )
    assert links_in(store) == set()
    links.write_text(
        "accept,score,source,source label,target,target label,relation\n"
        f"yes,100.0,{M}id-1,Core Banking Platform,{DATA}application/APP-001,Core banking platform,owl:sameAs\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["link", "--load", str(links), "--store", str(store)])
    assert result.exit_code == 3
    assert "line 2: column 'relation': 'owl:sameAs' is not one of skos:exactMatch, skos:closeMatch" in (
        " ".join(result.output.split())
    )
    assert links_in(store) == set()


def test_usage_errors(store: Path) -> None:
    result = runner.invoke(app, ["link", "--store", str(store)])
    assert result.exit_code == 2
    result = runner.invoke(app, ["link", "--graph", "https://example.org/graph/none", "--store", str(store)])
    assert result.exit_code == 2
    assert "the store has no graph <https://example.org/graph/none>" in result.output


def test_catalogue_query_follows_the_links(store: Path, tmp_path: Path) -> None:
    links = tmp_path / "archi.links.csv"
    assert runner.invoke(app, ["link", "--graph", ARCHI, "-o", str(links), "--store", str(store)]).exit_code == 0
    review(links, ACCEPTED)
    assert runner.invoke(app, ["link", "--load", str(links), "--store", str(store)]).exit_code == 0
    db = LocalStore(store)
    try:
        result = collect(run(db, catalogue()["linked-elements"], {}))
        rows = [tuple(row.get(c) for c in result.variables) for row in result.values()]
        one = collect(run(db, catalogue()["linked-elements"], {"element": M + "id-9"}))
        one_rows = [tuple(row.get(c) for c in one.variables) for row in one.values()]
    finally:
        db.close()
    assert result.variables == ["element", "elementLabel", "linked", "linkedLabel", "streams"]
    assert rows == EXPECTED_LINKED
    assert one_rows == [row for row in EXPECTED_LINKED if row[0] == M + "id-9"]


# Both directions of each accepted link, plus the one exactMatch the bundled ontology states. An imported element
# reaches the value streams of the vskg element it is linked to; the reverse rows show what the Archi side
# reaches (nothing: the import has no stages).
ARCHIMATE_SCHEME = "https://w3id.org/vskg/scheme/archimate/"
VSKG = "https://w3id.org/vskg/ontology#"
EXPECTED_LINKED = [
    (M + "id-1", "Core Banking Platform", DATA + "application/APP-001", "Core banking platform", None),
    (DATA + "application/APP-001", "Core banking platform", M + "id-1", "Core Banking Platform", None),
    (VSKG + "CourseOfAction", "Course of action", ARCHIMATE_SCHEME + "CourseOfAction", "Course of action", None),
    (ARCHIMATE_SCHEME + "CourseOfAction", "Course of action", VSKG + "CourseOfAction", "Course of action", None),
    (M + "id-4", "Customer Onboarding", BANK + "customer-onboarding", "Customer onboarding", "Mortgage lending"),
    (BANK + "customer-onboarding", "Customer onboarding", M + "id-4", "Customer Onboarding", None),
    (M + "id-7", "Digital Channels", DATA + "unit/U-DIGITAL", "Digital channels", None),
    (DATA + "unit/U-DIGITAL", "Digital channels", M + "id-7", "Digital Channels", None),
    (
        M + "id-9",
        "Mortgage Origination System",
        BANK + "mortgage-origination-system",
        "Mortgage origination system",
        "Mortgage lending",
    ),
    (
        BANK + "mortgage-origination-system",
        "Mortgage origination system",
        M + "id-9",
        "Mortgage Origination System",
        None,
    ),
]


def test_vskg_load_takes_a_reviewed_link_file(store: Path, tmp_path: Path) -> None:
    from vskg.cli import app as vskg

    links = tmp_path / "reviewed.links.csv"
    assert runner.invoke(app, ["link", "--graph", ARCHI, "-o", str(links), "--store", str(store)]).exit_code == 0
    review(links, ACCEPTED)
    result = runner.invoke(vskg, ["load", str(links), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert f"{links}: 4 new link(s) into <{LINKS_GRAPH}>" in " ".join(result.output.split())
    exact = "http://www.w3.org/2004/02/skos/core#exactMatch"
    assert links_in(store) == {(source, exact, target) for source, target in ACCEPTED}
