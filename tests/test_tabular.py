"""Tabular import with CSVW mappings (``vskg.tabular``, ``vskg import-table``): the two worked examples give exactly
the expected triples and validate against the bundled shapes; bad tables are refused with file, line and column,
and nothing is written."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import openpyxl
import pyoxigraph
import pytest
from typer.testing import CliRunner

from vskg.cli import app
from vskg.store import LocalStore
from vskg.tabular import TableError, convert, expand, to_rdflib
from vskg.validate import validate_graph

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "tabular"
INVENTORY = EXAMPLES / "application-inventory" / "inventory-metadata.json"
CAPABILITIES = EXAMPLES / "capability-map" / "capability-map.xlsx-metadata.json"

PREFIXES = {
    "https://data.example.org/application/": "app:",
    "https://data.example.org/unit/": "unit:",
    "https://data.example.org/organisation/": "orgn:",
    "https://data.example.org/capability/": "cap:",
    "https://data.example.org/assessment/": "asmt:",
    "https://w3id.org/vskg/ontology#": "vskg:",
    "https://w3id.org/vskg/scheme/maturity/": "maturity:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://schema.org/": "schema:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/ns/org#": "org:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
}


def short(term) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        if term.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
            return "a"
        for iri, prefix in PREFIXES.items():
            if term.value.startswith(iri):
                return prefix + term.value[len(iri) :]
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return "_:"
    if term.language:
        return f'"{term.value}"@{term.language}'
    if term.datatype.value.endswith("#string"):
        return f'"{term.value}"'
    return f'"{term.value}"^^{short(term.datatype)}'


def shortened(triples) -> set[tuple[str, str, str]]:
    return {(short(s), short(p), short(o)) for s, p, o in triples}


def application(key, name, unit, start, end, capabilities):
    rows = {
        (f"app:{key}", "a", "vskg:ApplicationSystem"),
        (f"app:{key}", "dcterms:identifier", f'"{key}"'),
        (f"app:{key}", "rdfs:label", f'"{name}"@en'),
        (f"app:{key}", "vskg:ownedBy", f"unit:{unit}"),
        (f"app:{key}", "schema:startDate", f'"{start}"^^xsd:date'),
    }
    if end:
        rows.add((f"app:{key}", "schema:endDate", f'"{end}"^^xsd:date'))
    rows |= {(f"app:{key}", "vskg:supportsCapability", f"cap:{c}") for c in capabilities}
    return rows


def unit(key, name):
    return {
        (f"unit:{key}", "a", "vskg:OrganisationUnit"),
        (f"unit:{key}", "dcterms:identifier", f'"{key}"'),
        (f"unit:{key}", "rdfs:label", f'"{name}"@en'),
        (f"unit:{key}", "org:unitOf", "orgn:ORG-BANK"),
    }


EXPECTED_INVENTORY = (
    application("APP-001", "Core banking platform", "U-RETAIL", "2012-03-01", None, ["CAP-1.1", "CAP-1.2"])
    | application("APP-002", "Loan origination system", "U-LENDING", "2019-06-15", "2027-12-31", ["CAP-1.2"])
    | application("APP-003", "Customer portal", "U-DIGITAL", "2021-01-10", None, ["CAP-2.1", "CAP-2.1.1"])
    | application("APP-004", "Legacy CRM", "U-DIGITAL", "2008-09-01", "2025-06-30", [])
    | unit("U-RETAIL", "Retail banking operations")
    | unit("U-LENDING", "Lending")
    | unit("U-DIGITAL", "Digital channels")
    | {("orgn:ORG-BANK", "a", "vskg:Organisation"), ("orgn:ORG-BANK", "rdfs:label", '"Example retail bank"@en')}
)

CAPABILITY_ROWS = [
    ("CAP-1", 1, None, "Customer management", 3, 4, "2025-10-01"),
    ("CAP-1.1", 2, "CAP-1", "Customer onboarding", 2, 4, "2025-10-01"),
    ("CAP-1.1.1", 3, "CAP-1.1", "Identity verification", 2, 5, "2025-10-01"),
    ("CAP-1.1.2", 3, "CAP-1.1", "Account opening", 3, 4, "2025-10-01"),
    ("CAP-1.2", 2, "CAP-1", "Credit decisioning", 3, 3, "2025-10-01"),
    ("CAP-2", 1, None, "Digital engagement", 2, 4, "2025-10-01"),
    ("CAP-2.1", 2, "CAP-2", "Self-service channels", 2, 4, "2025-10-01"),
    ("CAP-2.1.1", 3, "CAP-2.1", "Mobile banking", 3, 4, "2025-11-14"),
]


def capability(key, level, parent, name, current, target, assessed):
    rows = {
        (f"cap:{key}", "a", "vskg:Capability"),
        (f"cap:{key}", "dcterms:identifier", f'"{key}"'),
        (f"cap:{key}", "rdfs:label", f'"{name}"@en'),
        (f"cap:{key}", "vskg:capabilityLevel", f'"{level}"^^xsd:integer'),
        (f"cap:{key}", "vskg:hasAssessment", f"asmt:{key}"),
        (f"asmt:{key}", "a", "vskg:CapabilityAssessment"),
        (f"asmt:{key}", "rdfs:label", f'"{name}"@en'),
        (f"asmt:{key}", "vskg:currentLevel", f"maturity:Level{current}"),
        (f"asmt:{key}", "vskg:targetLevel", f"maturity:Level{target}"),
        (f"asmt:{key}", "vskg:assessedOn", f'"{assessed}"^^xsd:date'),
    }
    if parent:
        rows.add((f"cap:{key}", "vskg:subCapabilityOf", f"cap:{parent}"))
    return rows


EXPECTED_CAPABILITIES = set().union(*(capability(*row) for row in CAPABILITY_ROWS))


# --- the worked examples ---------------------------------------------------------------------------------------


def test_application_inventory_gives_exactly_the_expected_triples() -> None:
    triples = convert(INVENTORY)
    assert len(triples) == 41
    assert shortened(triples) == EXPECTED_INVENTORY


def test_capability_map_from_xlsx_gives_exactly_the_expected_triples() -> None:
    triples = convert(CAPABILITIES)
    assert len(triples) == 86 == len(EXPECTED_CAPABILITIES)
    assert shortened(triples) == EXPECTED_CAPABILITIES


def test_examples_together_conform_to_the_bundled_shapes() -> None:
    report = validate_graph(to_rdflib(convert(INVENTORY) + convert(CAPABILITIES)))
    assert report.conforms
    assert [(f.severity, short(pyoxigraph.NamedNode(f.focus_node))) for f in report.findings] == [
        ("Info", "cap:CAP-1.1.1"),
        ("Info", "cap:CAP-1.1.2"),
    ]
    assert {f.message.split(",")[0] for f in report.findings} == {"No application system supports this capability"}


def test_capability_map_alone_conforms_and_inventory_alone_lacks_the_capabilities() -> None:
    assert validate_graph(to_rdflib(convert(CAPABILITIES))).conforms
    alone = validate_graph(to_rdflib(convert(INVENTORY)))
    assert not alone.conforms
    # The five capability references point at nodes only the capability map types as vskg:Capability.
    assert [short(pyoxigraph.NamedNode(f.focus_node)) for f in alone.violations] == [
        "app:APP-001",
        "app:APP-001",
        "app:APP-002",
        "app:APP-003",
        "app:APP-003",
    ]


def test_uri_templates_encode_simple_and_keep_reserved_expansion() -> None:
    assert expand("https://x.org/{a}", {"a": "R&D unit/2"}) == "https://x.org/R%26D%20unit%2F2"
    assert expand("https://x.org/{+a}", {"a": "R&D/2"}) == "https://x.org/R&D/2"
    assert expand("https://x.org/t{#a}", {"a": "x y"}) == "https://x.org/t#x%20y"


# --- the command -----------------------------------------------------------------------------------------------

runner = CliRunner()


def graph_quads(store: Path, graph: str) -> set[pyoxigraph.Quad]:
    db = LocalStore(store)
    try:
        return set(db.db.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph)))
    finally:
        db.close()


def graph_triples(store: Path, graph: str) -> int:
    db = LocalStore(store)
    try:
        return len(list(db.db.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph))))
    finally:
        db.close()


def test_import_table_writes_the_named_graph(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = runner.invoke(
        app, ["import-table", str(INVENTORY), "--graph", "https://example.org/g/apps", "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    assert result.output == f"{INVENTORY}: 41 triples into <https://example.org/g/apps>\n"
    # 41 from the tables; the PROV record: wasGeneratedBy, void:triples, the activity's type, label, start and
    # end (4), and for each of the three files used (metadata, applications.csv, units.csv) prov:used plus the
    # entity's type, title and format (4 each): 41 + 2 + 4 + 3 * 4 = 59.
    assert graph_triples(store, "https://example.org/g/apps") == 41 + 2 + 4 + 3 * 4
    db = LocalStore(store)
    try:
        record = db.query(
            "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/> "
            "PREFIX void: <http://rdfs.org/ns/void#> "
            "SELECT ?count ?file ?format ?entity WHERE { GRAPH <https://example.org/g/apps> { "
            "<https://example.org/g/apps> prov:wasGeneratedBy ?run ; void:triples ?count . "
            "?run a prov:Activity ; prov:used ?entity ; prov:startedAtTime ?start ; prov:endedAtTime ?end . "
            "?entity dcterms:title ?file ; dcterms:format ?format } } ORDER BY ?file"
        )
        rows = [(r["count"].value, r["file"].value, r["format"].value, r["entity"].value) for r in record]
    finally:
        db.close()
    folder = INVENTORY.parent
    assert rows == [
        ("41", name, media, "urn:sha256:" + hashlib.sha256((folder / name).read_bytes()).hexdigest())
        for name, media in [
            ("applications.csv", "text/csv"),
            ("inventory-metadata.json", "application/csvm+json"),
            ("units.csv", "text/csv"),
        ]
    ]


def test_a_workbook_read_for_several_sheets_is_recorded_once(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = runner.invoke(
        app, ["import-table", str(CAPABILITIES), "--graph", "https://example.org/g/caps", "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    db = LocalStore(store)
    try:
        used = db.query(
            "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/> "
            "SELECT ?file WHERE { GRAPH ?g { ?run prov:used ?e . ?e dcterms:title ?file } } ORDER BY ?file"
        )
        assert [r["file"].value for r in used] == ["capability-map.xlsx", "capability-map.xlsx-metadata.json"]
    finally:
        db.close()


# --- bad input -------------------------------------------------------------------------------------------------


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    folder = tmp_path / "inventory"
    shutil.copytree(INVENTORY.parent, folder)
    return folder


def rewrite_csv(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_missing_column_is_named(inventory: Path) -> None:
    csv_path = inventory / "applications.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    cut = [",".join(line.split(",")[:5] + line.split(",")[6:]) for line in lines]  # drop "Lifecycle end"
    csv_path.write_text("\n".join(cut) + "\n", encoding="utf-8")
    with pytest.raises(TableError) as caught:
        convert(inventory / "inventory-metadata.json")
    assert str(caught.value) == (
        f"{csv_path}, line 1: column 'Lifecycle end': missing from the header "
        "(App ID, Application, Owner unit ID, Owner unit, Lifecycle start, Capabilities)"
    )


def test_bad_date_names_file_line_and_column(inventory: Path) -> None:
    csv_path = inventory / "applications.csv"
    rewrite_csv(csv_path, "2021-01-10", "2021-13-10")
    with pytest.raises(TableError) as caught:
        convert(inventory / "inventory-metadata.json")
    assert str(caught.value) == (
        f"{csv_path}, line 4: column 'Lifecycle start': '2021-13-10' is not a date in the form yyyy-MM-dd"
    )
    assert (caught.value.line, caught.value.column) == (4, "Lifecycle start")


def test_required_value_and_extra_cells_are_refused(inventory: Path) -> None:
    csv_path = inventory / "units.csv"
    rewrite_csv(csv_path, "U-LENDING,Lending,", "U-LENDING,,")
    with pytest.raises(TableError) as caught:
        convert(inventory / "inventory-metadata.json")
    assert str(caught.value) == f"{csv_path}, line 3: column 'Unit': a value is required"
    rewrite_csv(csv_path, "U-LENDING,,", "U-LENDING,Lending,extra,")
    with pytest.raises(TableError) as caught:
        convert(inventory / "inventory-metadata.json")
    assert str(caught.value) == f"{csv_path}, line 3: the row has 5 cells, the table 4 columns"


def capability_workbook(tmp_path: Path, row: int, column: int, value) -> Path:
    folder = tmp_path / "capabilities"
    shutil.copytree(CAPABILITIES.parent, folder)
    book = openpyxl.load_workbook(folder / "capability-map.xlsx")
    book["Capability map"].cell(row=row, column=column, value=value)
    book.save(folder / "capability-map.xlsx")
    return folder


def test_wrong_datatype_in_a_sheet_names_sheet_row_and_column(tmp_path: Path) -> None:
    folder = capability_workbook(tmp_path, 3, 5, "high")
    with pytest.raises(TableError) as caught:
        convert(folder / CAPABILITIES.name)
    assert str(caught.value) == (
        f"{folder / 'capability-map.xlsx'} (sheet 'Capability map'), line 3: column 'Current maturity': "
        "'high' is not a whole number"
    )


def test_maturity_out_of_range_is_refused(tmp_path: Path) -> None:
    folder = capability_workbook(tmp_path, 9, 6, 7)
    with pytest.raises(TableError) as caught:
        convert(folder / CAPABILITIES.name)
    assert str(caught.value) == (
        f"{folder / 'capability-map.xlsx'} (sheet 'Capability map'), line 9: column 'Target maturity': "
        "7 is not at most 5"
    )


def test_unknown_sheet_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "capabilities"
    shutil.copytree(CAPABILITIES.parent, folder)
    meta = json.loads((folder / CAPABILITIES.name).read_text(encoding="utf-8"))
    meta["tables"][0]["https://w3id.org/vskg/tabular#sheet"] = "Capabilities"
    (folder / CAPABILITIES.name).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(TableError) as caught:
        convert(folder / CAPABILITIES.name)
    assert str(caught.value) == (
        f"{folder / 'capability-map.xlsx'}: no sheet 'Capabilities'; the workbook has Read me, Capability map"
    )


def test_bad_table_writes_nothing(inventory: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    graph = "https://example.org/g/apps"
    assert runner.invoke(
        app, ["import-table", str(inventory / "inventory-metadata.json"), "--graph", graph, "--store", str(store)]
    )
    assert graph_triples(store, graph) == 59  # 41 from the tables and 18 of provenance
    before = graph_quads(store, graph)
    rewrite_csv(inventory / "applications.csv", "2027-12-31", "31/12/2027")
    result = runner.invoke(
        app, ["import-table", str(inventory / "inventory-metadata.json"), "--graph", graph, "--store", str(store)]
    )
    assert result.exit_code == 3
    assert "line 3: column 'Lifecycle end': '31/12/2027' is not a date in the form yyyy-MM-dd" in result.output
    assert "(nothing was written)" in result.output
    assert graph_quads(store, graph) == before  # the data and its provenance record, exactly as they were


def test_metadata_that_is_not_csvw_is_refused(tmp_path: Path) -> None:
    meta = tmp_path / "meta.json"
    meta.write_text('{"url": "x.csv"}', encoding="utf-8")
    with pytest.raises(TableError) as caught:
        convert(meta)
    assert str(caught.value) == f'{meta}: the metadata must declare "@context": "http://www.w3.org/ns/csvw"'
