"""Archi CSV import and export (vskg/archimate_csv.py and the typer app in vskg/commands/archimate_csv.py).

The fixture tests/fixtures/archimate-csv/lending/ is an Archi-style export written by hand: a value stream with
three stages (composition and flow), capabilities serving stages (one through an Or junction), a Value on a Flow
(a relationship on a relationship), Access / Influence / directed Association attributes, specializations, a
multi-line documentation and model properties. Its rows are in the order vskg writes them, so the round trip can
be compared byte for byte.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import rdflib
import rdflib.compare
from rdflib import Literal, URIRef
from rdflib.namespace import RDF
from typer.testing import CliRunner

from vskg.archimate_csv import AM, ExportError, read_csv, write_csv
from vskg.commands.archimate_csv import app
from vskg.rdfio import InputError

LENDING = Path(__file__).parent / "fixtures" / "archimate-csv" / "lending"
KINDS = ("elements", "relations", "properties")
M = "https://w3id.org/vskg/archimate/model/id-model-lending"
VSKG = rdflib.Namespace("https://w3id.org/vskg/ontology#")
GRAPH = "https://w3id.org/vskg/graph/archimate/id-model-lending"


def node(ident: str) -> URIRef:
    return URIRef(f"{M}/{ident}")


def _copy(tmp_path: Path, prefix: str = "") -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for kind in KINDS:
        shutil.copy(LENDING / f"{kind}.csv", folder / f"{prefix}{kind}.csv")
    return folder


def _edit(folder: Path, kind: str, old: str, new: str) -> None:
    path = folder / f"{kind}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")


def _append(folder: Path, kind: str, row: str) -> None:
    with (folder / f"{kind}.csv").open("a", encoding="utf-8", newline="") as f:
        f.write(row + "\r\n")


# --- reading ------------------------------------------------------------------------------------------------------


def test_reads_the_shared_rdf_form() -> None:
    g = read_csv(LENDING)
    assert len(list(g.subjects(RDF.type, AM.Model))) == 1
    assert len(list(g.subjects(RDF.type, AM.Element))) == 11
    assert len(list(g.subjects(RDF.type, AM.Relationship))) == 14
    assert g.value(URIRef(M), AM.identifier) == Literal("id-model-lending")
    assert g.value(URIRef(M), AM.documentation) == Literal("How the bank turns an application into a paid-out loan.")
    # Archi's names become the exchange format's
    assert g.value(node("id-junction-or"), AM.type) == Literal("OrJunction")
    assert g.value(node("id-rel-serve"), AM.type) == Literal("Serving")
    assert g.value(node("id-stage-apply"), AM.type) == Literal("ValueStream")
    # Archi's special properties become attributes
    assert g.value(node("id-rel-access"), AM.accessType) == Literal("Write")
    assert g.value(node("id-rel-influence"), AM.modifier) == Literal("++")
    assert g.value(node("id-rel-assoc-value"), AM.isDirected) == Literal(
        True, datatype=URIRef("http://www.w3.org/2001/XMLSchema#boolean")
    )
    # a relationship on a relationship
    assert g.value(node("id-rel-assoc-value"), AM.target) == node("id-rel-flow-1")
    assert (node("id-rel-flow-1"), RDF.type, AM.Relationship) in g
    # texts
    assert g.value(node("id-cap-credit"), AM.documentation) == Literal(
        "Judge whether the applicant can repay.\nIncludes affordability checks."
    )
    assert g.value(node("id-stream-lending"), AM.documentation) == Literal('Doc with "quotes", commas, and = signs')
    assert g.value(node("id-junction-or"), AM.name) is None
    # properties: 12 rows, 4 of them Archi attributes, plus 2 specializations
    definitions = {
        str(g.value(d, AM.name)): str(g.value(d, AM.identifier)) for d in g.subjects(RDF.type, AM.PropertyDefinition)
    }
    assert definitions == {
        "Maturity": "propid-1",
        "Owner": "propid-2",
        "Author": "propid-3",
        "Wait time": "propid-4",
        "Entrance criteria": "propid-5",
        "Stage order": "propid-6",
        "Specialization": "specialization",
    }
    assert len(list(g.subjects(RDF.type, AM.Property))) == 10

    def props(subject: URIRef) -> set[tuple[str, str]]:
        return {
            (str(g.value(g.value(p, AM.propertyDefinition), AM.name)), str(g.value(p, AM.value)))
            for p in g.objects(subject, AM.hasProperty)
        }

    assert props(node("id-cap-credit")) == {
        ("Maturity", "3"),
        ("Owner", "Credit risk"),
        ("Specialization", "Core capability"),
    }
    assert props(URIRef(M)) == {("Author", "Lending architecture team")}
    assert props(node("id-junction-or")) == set()


def test_round_trip_gives_the_same_files(tmp_path: Path) -> None:
    written = write_csv(read_csv(LENDING), tmp_path / "out")
    assert [p.name for p in written] == ["elements.csv", "relations.csv", "properties.csv"]
    for kind in KINDS:
        assert (tmp_path / "out" / f"{kind}.csv").read_bytes() == (LENDING / f"{kind}.csv").read_bytes(), kind


def test_prefix_in_and_out(tmp_path: Path) -> None:
    folder = _copy(tmp_path, prefix="MyModel-")
    g = read_csv(folder / "MyModel-")
    assert rdflib.compare.isomorphic(g, read_csv(LENDING))
    write_csv(g, tmp_path / "out", prefix="Copy-")
    for kind in KINDS:
        assert (tmp_path / "out" / f"Copy-{kind}.csv").read_bytes() == (LENDING / f"{kind}.csv").read_bytes()


def test_other_dialects_are_read(tmp_path: Path) -> None:
    """Semicolons, a byte-order mark, unquoted fields and the pre-2021 headers without Specialization."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "elements.csv").write_bytes(
        "\ufeffID;Type;Name;Documentation\r\nm1;ArchimateModel;Small;\r\ne1;Capability;Sell;\r\ne2;ValueStream;Buy;\r\n"
        .encode()
    )  # fmt: skip
    (folder / "relations.csv").write_text(
        "ID;Type;Name;Documentation;Source;Target\r\nr1;ServingRelationship;;;e1;e2\r\n", encoding="utf-8"
    )
    g = read_csv(folder)
    base = "https://w3id.org/vskg/archimate/model/m1/"
    assert g.value(URIRef(base + "r1"), AM.source) == URIRef(base + "e1")
    assert g.value(URIRef(base + "e2"), AM.name) == Literal("Buy")
    assert len(g) == 22  # model 4, two elements 6 each, one relationship 6


# --- refusing bad input -------------------------------------------------------------------------------------------


def _bad_header(folder: Path) -> None:
    _edit(folder, "relations", '"Source","Target"', '"From","To"')


def _missing_target(folder: Path) -> None:
    _edit(folder, "relations", '"id-stream-lending","id-stage-payout"', '"id-stream-lending","id-missing"')


def _unknown_property_id(folder: Path) -> None:
    _append(folder, "properties", '"id-nobody","Owner","Nobody"')


def _duplicate_id(folder: Path) -> None:
    _append(folder, "elements", '"id-cap-risk","Capability","Risk scoring again","",""')


def _unknown_type(folder: Path) -> None:
    _edit(folder, "elements", '"id-object-file","BusinessObject"', '"id-object-file","BusinessThing"')


def _no_model_row(folder: Path) -> None:
    _edit(folder, "elements", '"ArchimateModel"', '"Capability"')


def _bad_junction_type(folder: Path) -> None:
    _edit(folder, "properties", '"Junction_Type","Or"', '"Junction_Type","Xor"')


def _bad_elements_header(folder: Path) -> None:
    _edit(folder, "elements", '"ID","Type","Name"', '"Id","Type","Name"')


def _short_row(folder: Path) -> None:
    _append(folder, "properties", '"id-cap-risk","Owner"')


BAD = {
    "relations-header": (
        _bad_header,
        "relations.csv",
        1,
        "wrong header ['ID', 'Type', 'Name', 'Documentation', 'From', 'To', 'Specialization']; Archi's relations.csv "
        'starts with "ID","Type","Name","Documentation","Source","Target","Specialization"',
    ),
    "elements-header": (
        _bad_elements_header,
        "elements.csv",
        1,
        "wrong header ['Id', 'Type', 'Name', 'Documentation', 'Specialization']; Archi's elements.csv starts with "
        '"ID","Type","Name","Documentation","Specialization"',
    ),
    "missing-target": (
        _missing_target,
        "relations.csv",
        6,
        "relation id-rel-comp-3: target 'id-missing' is not an element or relation of the files",
    ),
    "unknown-property-id": (
        _unknown_property_id,
        "properties.csv",
        14,
        "property 'Owner' is for unknown ID 'id-nobody'",
    ),
    "duplicate-id": (
        _duplicate_id,
        "elements.csv",
        15,
        "ID 'id-cap-risk' is used twice (first in elements.csv line 6)",
    ),
    "unknown-type": (_unknown_type, "elements.csv", 8, "element id-object-file has an unknown type 'BusinessThing'"),
    "no-model-row": (_no_model_row, "elements.csv", 2, "the first row must describe the model (Type ArchimateModel)"),
    "junction-type": (
        _bad_junction_type,
        "properties.csv",
        4,
        "Junction_Type of id-junction-or must be And or Or, not 'Xor'",
    ),
    "short-row": (_short_row, "properties.csv", 14, "2 fields where the header has 3"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_csv_is_refused_with_file_line_and_reason(tmp_path: Path, case: str) -> None:
    edit, file, line, reason = BAD[case]
    folder = _copy(tmp_path)
    edit(folder)
    with pytest.raises(InputError) as caught:
        read_csv(folder)
    assert (Path(caught.value.path).name, caught.value.line, caught.value.reason) == (file, line, reason)


def test_missing_elements_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_csv(tmp_path / "Nothing-")
    assert caught.value.path == str(tmp_path / "Nothing-elements.csv")
    assert caught.value.reason == "no such file: an Archi CSV export needs its elements file"


# --- export from any am: graph ------------------------------------------------------------------------------------


def test_export_picks_one_language_and_refuses_what_csv_cannot_hold(tmp_path: Path) -> None:
    g = read_csv(LENDING)
    cap = node("id-cap-credit")
    g.remove((cap, AM.name, None))
    g.add((cap, AM.name, Literal("Évaluation du crédit", lang="fr")))
    g.add((cap, AM.name, Literal("Credit assessment", lang="en")))
    write_csv(g, tmp_path / "out")
    assert (tmp_path / "out" / "elements.csv").read_bytes() == (LENDING / "elements.csv").read_bytes()

    g.set((node("id-rel-serve"), AM.target, URIRef(M + "/id-elsewhere")))
    with pytest.raises(ExportError, match="relationship id-rel-serve has no target in the model"):
        write_csv(g, tmp_path / "refused")
    assert not (tmp_path / "refused").exists()

    with pytest.raises(ExportError, match=r"no ArchiMate model \(am:Model\) in the graph"):
        write_csv(rdflib.Graph(), tmp_path / "empty")


# --- the commands -------------------------------------------------------------------------------------------------


def test_import_and_export_commands(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    runner = CliRunner()
    result = runner.invoke(app, ["import-csv", str(LENDING), "--store", store])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"imported elements.csv, relations.csv, properties.csv (Archi CSV) into graph <{GRAPH}>: 375 triples",
        "  elements: 11 (BusinessActor 1, BusinessObject 1, BusinessProcess 1, Capability 2, OrJunction 1, Value 1, "
        "ValueStream 4)",
        "  relationships: 14 (Access 1, Association 2, Composition 4, Flow 2, Influence 1, Realization 1, Serving 3)",
        "  properties: 10 (property definitions: 7)",
        "  organizations (folders): 0",
        "  views: 0",
        "  views skipped (not imported): 0",
        "  vskg mapping: Capability 2, Handoff 2, OrganisationUnit 1, ValueItem 1, ValueStream 1, ValueStreamStage 3",
    ]

    result = runner.invoke(app, ["export-csv", "-o", str(tmp_path / "out"), "--prefix", "L-", "--store", store])
    assert result.exit_code == 0, result.output
    for kind in KINDS:
        assert (tmp_path / "out" / f"L-{kind}.csv").read_bytes() == (LENDING / f"{kind}.csv").read_bytes()

    # the vskg mapping (vskg.archimate.mapping.map_model) is asserted on the same nodes; PROV records the files
    from vskg.store import LocalStore

    digest = hashlib.sha256(b"".join((LENDING / f"{kind}.csv").read_bytes() for kind in KINDS)).hexdigest()
    db = LocalStore(tmp_path / "store")
    try:
        prov = (
            f"ASK {{ GRAPH <{GRAPH}> {{ <{GRAPH}/import> a <http://www.w3.org/ns/prov#Activity> ; "
            f"<http://www.w3.org/ns/prov#used> ?file . "
            f"?file <{AM.sha256}> '{digest}' ; <{AM.fileFormat}> 'Archi CSV' }} }}"
        )
        assert db.query(prov)
        asked = f"ASK {{ GRAPH <{GRAPH}> {{ <{node('id-stage-apply')}> a <{VSKG.ValueStreamStage}> ; <{VSKG.enabledBy}> <{node('id-cap-credit')}> }} }}"  # noqa: E501
        assert db.query(asked)
    finally:
        db.close()


def test_bad_import_leaves_the_store_unchanged(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(app, ["import-csv", str(LENDING), "--store", store]).exit_code == 0
    from vskg.store import LocalStore

    def snapshot() -> bytes:
        db = LocalStore(tmp_path / "store")
        try:
            from pyoxigraph import RdfFormat

            return db.serialize_graph(GRAPH, RdfFormat.N_TRIPLES)
        finally:
            db.close()

    before = snapshot()
    folder = _copy(tmp_path)
    _edit(folder, "elements", '"Risk scoring"', '"Risk scoring (renamed)"')
    _missing_target(folder)
    result = runner.invoke(app, ["import-csv", str(folder), "--store", store])
    assert result.exit_code == 3
    assert "relations.csv, line 6: relation id-rel-comp-3: target 'id-missing' is not an element or relation" in (
        result.output.replace("\n", "")
    )
    assert "nothing was imported" in result.output
    assert snapshot() == before


def test_export_needs_a_model(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export-csv", "-o", str(tmp_path / "out"), "--store", str(tmp_path / "store")])
    assert result.exit_code == 2
    assert "graphs holding an ArchiMate model: none" in result.output
    assert not (tmp_path / "out").exists()


def test_an_exchange_import_exports_to_csv_and_back(tmp_path: Path) -> None:
    """The am: graph of an exchange-format import (vskg.archimate.importer) writes as CSV and reads back whole."""
    from pyoxigraph import RdfFormat, Triple, serialize

    from vskg.archimate.importer import build_import

    path = Path(__file__).resolve().parent / "fixtures" / "archimate" / "external" / "aoeff31-visual-paradigm.xml"
    quads, summary = build_import(path.read_bytes(), path.name)
    g = rdflib.Graph()
    g.parse(
        data=serialize([Triple(q.subject, q.predicate, q.object) for q in quads], format=RdfFormat.N_TRIPLES),
        format="nt",
    )
    write_csv(g, tmp_path / "out", prefix="vp-")
    back = read_csv(tmp_path / "out" / "vp-")

    def counts(x: rdflib.Graph) -> tuple[int, int, int]:
        return tuple(len(set(x.subjects(RDF.type, kind))) for kind in (AM.Element, AM.Relationship, AM.Property))

    # the graph also holds the 188 property values of the 4 views, which the CSV format has no place for
    assert counts(g) == (97, 46, 3 + 188)
    assert counts(back) == (97, 46, 3)
    assert (summary.element_count, summary.relationship_count, summary.properties) == (97, 46, 3)

    def relations(x: rdflib.Graph) -> set[tuple[str, ...]]:
        def ident(n) -> str:
            return str(x.value(n, AM.identifier))

        return {
            (ident(r), str(x.value(r, AM.type)), ident(x.value(r, AM.source)), ident(x.value(r, AM.target)))
            for r in x.subjects(RDF.type, AM.Relationship)
        }

    assert relations(g) == relations(back)
    assert len(relations(g)) == 46
