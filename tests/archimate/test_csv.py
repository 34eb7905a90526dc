"""Archi CSV import and export (vskg/archimate/csv_tables.py and the typer app in vskg/commands/archimate_csv.py).

The fixture tests/fixtures/archimate-csv/lending/ is an Archi-style export written by hand: a value stream with
three stages (composition and flow), capabilities serving stages (one through an Or junction), a Value on a Flow
(a relationship on a relationship), Access / Influence / directed Association attributes, specializations, a
multi-line documentation and model properties. Its rows are in the order vskg writes them, so the round trip can
be compared byte for byte.

The reader gives the same `Model` as the exchange and native readers, and the import goes through the same
`importer.build_model_import`, so what the graph holds is checked on the Model and on the quads of that path.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest
import typer
from pyoxigraph import Literal, NamedNode, Quad
from typer.testing import CliRunner

from vskg.archimate.csv_tables import ExportError, read_location, write_tables
from vskg.archimate.importer import build_import, build_model_import, read_model
from vskg.archimate.model import Model
from vskg.cli import app
from vskg.rdfio import InputError
from vskg.store import LocalStore

LENDING = Path(__file__).resolve().parents[1] / "fixtures" / "archimate-csv" / "lending"
KINDS = ("elements", "relations", "properties")
AM = "https://w3id.org/vskg/archimate#"
M = "https://w3id.org/vskg/archimate/model/id-model-lending"
VSKG = "https://w3id.org/vskg/ontology#"
GRAPH = "https://w3id.org/vskg/graph/archimate/id-model-lending"
XSD = "http://www.w3.org/2001/XMLSchema#"


def node(ident: str) -> str:
    return f"{M}/{ident}"


def read(where: Path) -> Model:
    return read_location(where)[0]


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


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _lending_zip(prefix: str = "") -> bytes:
    return _zip({f"{prefix}{kind}.csv": (LENDING / f"{kind}.csv").read_bytes() for kind in KINDS})


# --- reading ------------------------------------------------------------------------------------------------------


def test_reads_the_common_model() -> None:
    model = read(LENDING)
    concepts = {c.identifier: c for c in model.concepts}
    assert (model.identifier, model.source_format) == ("id-model-lending", "csv")
    assert (len(model.elements), len(model.relationships)) == (11, 14)
    assert model.names == [(None, "Mortgage lending")]
    assert model.docs == [(None, "How the bank turns an application into a paid-out loan.")]
    # Archi's names become the exchange format's
    assert concepts["id-junction-or"].type == "OrJunction"
    assert concepts["id-rel-serve"].type == "Serving"
    assert concepts["id-stage-apply"].type == "ValueStream"
    # Archi's special properties become attributes
    assert concepts["id-rel-access"].access_type == "Write"
    assert concepts["id-rel-influence"].modifier == "++"
    assert concepts["id-rel-assoc-value"].is_directed is True
    # a relationship on a relationship
    assert concepts["id-rel-assoc-value"].target == "id-rel-flow-1"
    assert concepts["id-rel-flow-1"].kind == "relationship"
    # texts
    assert concepts["id-cap-credit"].docs == [
        (None, "Judge whether the applicant can repay.\nIncludes affordability checks.")
    ]
    assert concepts["id-stream-lending"].docs == [(None, 'Doc with "quotes", commas, and = signs')]
    assert concepts["id-junction-or"].names == []
    # properties: 12 rows, 4 of them Archi attributes, plus 2 specializations
    definitions = {d.names[0][1]: d.identifier for d in model.property_definitions}
    assert definitions == {
        "Maturity": "propid-1",
        "Owner": "propid-2",
        "Author": "propid-3",
        "Wait time": "propid-4",
        "Entrance criteria": "propid-5",
        "Stage order": "propid-6",
        "Specialization": "specialization",
    }
    assert {d.data_type for d in model.property_definitions} == {"string"}
    assert model.property_count() == 10

    def props(held) -> list[tuple[str, str]]:
        names = {d.identifier: d.names[0][1] for d in model.property_definitions}
        return [(names[p.ref], p.values[0][1]) for p in held]

    assert props(concepts["id-cap-credit"].properties) == [
        ("Specialization", "Core capability"),
        ("Maturity", "3"),
        ("Owner", "Credit risk"),
    ]
    assert props(model.properties) == [("Author", "Lending architecture team")]
    assert concepts["id-junction-or"].properties == []
    assert (model.views, model.organizations) == ([], [])


def test_the_import_takes_the_common_path() -> None:
    """Quads, mapping and summary come from importer.build_model_import, as for the exchange format."""
    model, sources = read_location(LENDING)
    quads, summary = build_model_import(model, sources)
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    assert all(q.graph_name == NamedNode(GRAPH) for q in quads)

    def has(s: str, p: str, o) -> bool:
        return (NamedNode(s), NamedNode(p), o) in triples

    assert has(node("id-rel-access"), AM + "accessType", Literal("Write"))
    assert has(node("id-rel-influence"), AM + "modifier", Literal("++"))
    assert has(node("id-rel-assoc-value"), AM + "isDirected", Literal("true", datatype=NamedNode(XSD + "boolean")))
    assert has(node("id-rel-assoc-value"), AM + "target", NamedNode(node("id-rel-flow-1")))
    assert has(node("id-junction-or"), AM + "type", Literal("OrJunction"))
    assert has(node("id-stage-apply"), AM + "position", Literal("7", datatype=NamedNode(XSD + "integer")))
    assert has(
        node("id-stage-apply"), "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", NamedNode(VSKG + "ValueStreamStage")
    )
    assert has(M, "http://www.w3.org/2000/01/rdf-schema#label", Literal("Mortgage lending"))
    assert (summary.format, summary.file, summary.graph) == (
        "Archi CSV",
        "elements.csv, relations.csv, properties.csv",
        GRAPH,
    )
    assert summary.sha256 == hashlib.sha256(b"".join((LENDING / f"{k}.csv").read_bytes() for k in KINDS)).hexdigest()
    # 310 statements of content (am: description and vskg mapping, the two Flow relationships as handoffs included)
    # and 109 of PROV: the record of vskg.provenance
    # (2 about the graph, 4 about the activity, 3 prov:used, 3 * 3 about the files), the model and the activity
    # naming each other (2), 17 am:imported tallies of 5 statements (7 element types, 7 relationship types,
    # properties, organizations, views) and the am:skipped tally of views (4): 18 + 2 + 85 + 4 = 109
    assert summary.triples == len(quads) == 410


def test_round_trip_gives_the_same_files(tmp_path: Path) -> None:
    written = write_tables(read(LENDING), tmp_path / "out")
    assert [p.name for p in written] == ["elements.csv", "relations.csv", "properties.csv"]
    for kind in KINDS:
        assert (tmp_path / "out" / f"{kind}.csv").read_bytes() == (LENDING / f"{kind}.csv").read_bytes(), kind


def test_rows_keep_their_order(tmp_path: Path) -> None:
    """Elements and relations are written in the order of the model (here the file's), not sorted by ID."""
    folder = _copy(tmp_path)
    lines = (folder / "elements.csv").read_bytes().split(b"\r\n")
    credit = next(i for i, line in enumerate(lines) if line.startswith(b'"id-cap-credit"'))
    lines[credit : credit + 2] = []  # the two physical lines of the row with a two-line documentation
    lines[2:2] = (LENDING / "elements.csv").read_bytes().split(b"\r\n")[credit : credit + 2]
    (folder / "elements.csv").write_bytes(b"\r\n".join(lines))
    write_tables(read(folder), tmp_path / "out")
    assert (tmp_path / "out" / "elements.csv").read_bytes() == (folder / "elements.csv").read_bytes()
    assert (tmp_path / "out" / "elements.csv").read_bytes() != (LENDING / "elements.csv").read_bytes()


def test_prefix_in_and_out(tmp_path: Path) -> None:
    folder = _copy(tmp_path, prefix="MyModel-")
    model = read(folder / "MyModel-")
    assert model == read(LENDING)
    assert read(folder / "MyModel-elements.csv") == model  # the elements file itself names the export too
    write_tables(model, tmp_path / "out", prefix="Copy-")
    for kind in KINDS:
        assert (tmp_path / "out" / f"Copy-{kind}.csv").read_bytes() == (LENDING / f"{kind}.csv").read_bytes()


def test_a_zipped_export_reads_as_the_files_do() -> None:
    model = read(LENDING)
    for prefix in ("", "exports/MyModel-"):
        _, summary = build_import(_lending_zip(prefix), "lending.zip")
        assert summary.format == "Archi CSV"
        assert summary.file == "lending.zip"
        assert summary.sha256 == hashlib.sha256(_lending_zip(prefix)).hexdigest()
        assert summary.triples == 410 - 2 * 4  # PROV names one file (the zip), not three: 4 statements each
    assert read_model(_lending_zip("exports/MyModel-"), "lending.zip") == model


def test_a_zip_with_two_exports_is_refused() -> None:
    data = _zip({"a/elements.csv": b"", "b/elements.csv": b""})
    with pytest.raises(InputError) as caught:
        build_import(data, "two.zip")
    assert (caught.value.path, caught.value.reason) == (
        "two.zip",
        "the zip holds 2 elements files (a/elements.csv, b/elements.csv); put one CSV export in a zip",
    )


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
    model = read(folder)
    assert model.identifier == "m1"
    assert [(c.identifier, c.kind, c.type, c.names, c.source, c.target) for c in model.concepts] == [
        ("e1", "element", "Capability", [(None, "Sell")], None, None),
        ("e2", "element", "ValueStream", [(None, "Buy")], None, None),
        ("r1", "relationship", "Serving", [], "e1", "e2"),
    ]
    assert (model.properties, model.property_definitions) == ([], [])


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
        read(folder)
    assert (Path(caught.value.path).name, caught.value.line, caught.value.reason) == (file, line, reason)


def test_missing_elements_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read(tmp_path / "Nothing-")
    assert caught.value.path == str(tmp_path / "Nothing-elements.csv")
    assert caught.value.reason == "no such file: an Archi CSV export needs its elements file"


# --- export of any model -----------------------------------------------------------------------------------------


def test_export_picks_one_language_and_refuses_what_csv_cannot_hold(tmp_path: Path) -> None:
    model = read(LENDING)
    cap = next(c for c in model.concepts if c.identifier == "id-cap-credit")
    cap.names = [("en", "Credit assessment"), ("fr", "Évaluation du crédit")]
    write_tables(model, tmp_path / "out")
    assert (tmp_path / "out" / "elements.csv").read_bytes() == (LENDING / "elements.csv").read_bytes()

    serve = next(c for c in model.concepts if c.identifier == "id-rel-serve")
    serve.target = "id-elsewhere"
    with pytest.raises(ExportError, match="relationship id-rel-serve has no target in the model"):
        write_tables(model, tmp_path / "refused")
    assert not (tmp_path / "refused").exists()


# --- the commands -------------------------------------------------------------------------------------------------


def test_import_and_export_commands(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    runner = CliRunner()
    result = runner.invoke(app, ["import", "archimate-csv", str(LENDING), "--store", store])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"imported elements.csv, relations.csv, properties.csv (Archi CSV) into graph <{GRAPH}>: 410 triples",
        "  elements: 11 (BusinessActor 1, BusinessObject 1, BusinessProcess 1, Capability 2, OrJunction 1, Value 1, "
        "ValueStream 4)",
        "  relationships: 14 (Access 1, Association 2, Composition 4, Flow 2, Influence 1, Realization 1, Serving 3)",
        "  properties: 10 (property definitions: 7)",
        "  organizations (folders): 0",
        "  views: 0",
        "  views skipped (not imported): 0",
        "  vskg mapping: Capability 2, Handoff 2, OrganisationUnit 1, ValueItem 1, ValueStream 1, ValueStreamStage 3",
    ]

    result = runner.invoke(
        app, ["export", "archimate-csv", "-o", str(tmp_path / "out"), "--prefix", "L-", "--store", store]
    )
    assert result.exit_code == 0, result.output
    for kind in KINDS:
        assert (tmp_path / "out" / f"L-{kind}.csv").read_bytes() == (LENDING / f"{kind}.csv").read_bytes()

    # the vskg mapping (vskg.archimate.mapping.map_model) is asserted on the same nodes; PROV (vskg.provenance, as
    # for every import) records each file read, by content
    db = LocalStore(tmp_path / "store")
    try:
        rows = db.query(
            f"""PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/>
            PREFIX void: <http://rdfs.org/ns/void#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT ?count ?label ?file ?name ?format WHERE {{ GRAPH <{GRAPH}> {{
              <{GRAPH}> prov:wasGeneratedBy ?run ; void:triples ?count .
              <{M}> prov:wasGeneratedBy ?run .
              ?run a prov:Activity ; rdfs:label ?label ; prov:used ?file ; prov:generated <{M}> .
              ?file a prov:Entity ; dcterms:title ?name ; dcterms:format ?format }} }} ORDER BY ?name"""
        )
        found = [
            (r["count"].value, r["label"].value, r["file"].value, r["name"].value, r["format"].value) for r in rows
        ]
        label = "ArchiMate import of elements.csv, relations.csv, properties.csv (Archi CSV)"
        assert found == [
            ("300", label, "urn:sha256:" + hashlib.sha256((LENDING / name).read_bytes()).hexdigest(), name, "text/csv")
            for name in ("elements.csv", "properties.csv", "relations.csv")
        ]
        asked = f"ASK {{ GRAPH <{GRAPH}> {{ <{node('id-stage-apply')}> a <{VSKG}ValueStreamStage> ; <{VSKG}enabledBy> <{node('id-cap-credit')}> }} }}"  # noqa: E501
        assert db.query(asked)
    finally:
        db.close()


def _main_cli() -> typer.Typer:
    return app


def test_import_archimate_takes_a_csv_export_as_folder_prefix_or_zip(tmp_path: Path) -> None:
    """`vskg import archimate` reads a CSV export like any other model file, through the same path."""
    folder = _copy(tmp_path, prefix="L-")
    (tmp_path / "lending.zip").write_bytes(_lending_zip())
    outputs = []
    for number, where in enumerate([LENDING, folder / "L-", folder / "L-elements.csv", tmp_path / "lending.zip"]):
        store = str(tmp_path / f"s{number}")
        result = CliRunner().invoke(_main_cli(), ["import", "archimate", str(where), "--store", store])
        assert result.exit_code == 0, result.output
        first, *rest = result.output.splitlines()
        triples = 402 if where.suffix == ".zip" else 410  # one file read instead of three
        assert first.endswith(f"(Archi CSV) into graph <{GRAPH}>: {triples} triples"), first
        outputs.append(rest)
        db = LocalStore(tmp_path / f"s{number}")
        try:
            assert len(list(db.quads(GRAPH))) == triples
        finally:
            db.close()
    assert outputs[0] == outputs[1] == outputs[2] == outputs[3]
    assert outputs[0][0] == (
        "  elements: 11 (BusinessActor 1, BusinessObject 1, BusinessProcess 1, Capability 2, OrJunction 1, Value 1, "
        "ValueStream 4)"
    )


def test_bad_import_leaves_the_store_unchanged(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(app, ["import", "archimate-csv", str(LENDING), "--store", store]).exit_code == 0

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
    result = runner.invoke(app, ["import", "archimate-csv", str(folder), "--store", store])
    assert result.exit_code == 3
    assert "relations.csv, line 6: relation id-rel-comp-3: target 'id-missing' is not an element or relation" in (
        result.output.replace("\n", "")
    )
    assert "nothing was imported" in result.output
    assert snapshot() == before


def test_export_needs_a_model(tmp_path: Path) -> None:
    LocalStore(tmp_path / "store").close()
    result = CliRunner().invoke(
        app, ["export", "archimate-csv", "-o", str(tmp_path / "out"), "--store", str(tmp_path / "store")]
    )
    assert result.exit_code == 2
    assert "graphs holding an ArchiMate model: none" in result.output
    assert not (tmp_path / "out").exists()

    db = LocalStore(tmp_path / "store")
    try:
        plain = NamedNode("https://example.org/plain")
        db.replace_graph(plain.value, [Quad(NamedNode("urn:a"), NamedNode("urn:b"), NamedNode("urn:c"), plain)])
    finally:
        db.close()
    result = CliRunner().invoke(
        app,
        [
            "export",
            "archimate-csv",
            "-o",
            str(tmp_path / "out"),
            "--graph",
            "https://example.org/plain",
            "--store",
            str(tmp_path / "store"),
        ],
    )
    assert result.exit_code == 3
    assert "<https://example.org/plain>: no ArchiMate model (am:Model) in the graph (nothing was written)" in (
        result.output.replace("\n", "")
    )
    assert not (tmp_path / "out").exists()


def test_an_exchange_import_exports_to_csv_and_back(tmp_path: Path) -> None:
    """A model imported from the exchange format (views, folders, languages) writes as CSV and reads back whole."""
    path = Path(__file__).resolve().parents[1] / "fixtures" / "archimate" / "external" / "aoeff31-visual-paradigm.xml"
    store = tmp_path / "store"
    db = LocalStore(store)
    try:
        quads, summary = build_import(path.read_bytes(), path.name)
        db.replace_graph(summary.graph, quads)
    finally:
        db.close()
    result = CliRunner().invoke(
        app, ["export", "archimate-csv", "-o", str(tmp_path / "out"), "--prefix", "vp-", "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    back = read(tmp_path / "out" / "vp-")
    original = read_model(path.read_bytes(), path.name)
    # the 188 property values of the 4 views have no place in the CSV format
    assert (len(back.elements), len(back.relationships), back.property_count()) == (97, 46, 3)
    assert (summary.element_count, summary.relationship_count, summary.properties) == (97, 46, 3)

    def relations(model: Model) -> set[tuple[str, ...]]:
        return {(r.identifier, r.type, r.source, r.target) for r in model.relationships}

    assert relations(back) == relations(original)
    assert len(relations(back)) == 46
    assert [c.identifier for c in back.concepts] == [c.identifier for c in original.concepts]  # the file's order
