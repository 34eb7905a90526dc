"""Archi's own .archimate files, plain and zipped, import like exchange files and export to valid XML."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.archimate.conftest import FIXTURES, counts, validate
from vskg.archimate.importer import build_import, import_file
from vskg.archimate.writer import export_store
from vskg.rdfio import InputError
from vskg.store import LocalStore

NATIVE = FIXTURES / "value-streams.archimate"
GRAPH = "https://w3id.org/vskg/graph/archimate/id-archi-model"
BASE = "https://w3id.org/vskg/archimate/model/id-archi-model/"


@pytest.fixture
def zipped(tmp_path: Path) -> Path:
    path = tmp_path / "value-streams-zipped.archimate"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.xml", NATIVE.read_bytes())
        archive.writestr("images/logo.png", b"\x89PNG not really")
    return path


def _expected(summary) -> tuple:
    return (
        summary.elements,
        summary.relationships,
        summary.properties,
        summary.property_definitions,
        summary.organizations,
        summary.views_skipped,
        summary.vskg,
        summary.warnings,
    )


def test_plain_archi_file(tmp_path: Path, diagram_schema):
    db = LocalStore(tmp_path / "store")
    try:
        summary = import_file(db, NATIVE)
        assert summary.graph == GRAPH
        assert summary.format == "Archi .archimate"
        assert summary.elements == {
            "ApplicationComponent": 1,
            "BusinessActor": 1,
            "Capability": 1,
            "OrJunction": 1,
            "ValueStream": 4,
        }
        assert summary.relationships == {
            "Access": 1,
            "Assignment": 1,
            "Composition": 3,
            "Flow": 1,
            "Realization": 1,
            "Serving": 1,
            "Triggering": 1,
        }
        assert (summary.properties, summary.property_definitions) == (3, 3)
        assert (summary.organizations, summary.views, summary.views_skipped) == (6, 1, 0)
        assert summary.warnings == []
        order = {
            (r["s"].value.removeprefix(BASE), r["o"].value)
            for r in db.query(
                f"SELECT ?s ?o WHERE {{ GRAPH <{GRAPH}> {{ ?s <https://w3id.org/vskg/ontology#stageOrder> ?o }} }}"
            )
        }
        assert order == {("id-a-s1", "1"), ("id-a-s2", "2"), ("id-a-s3", "3")}
        access = list(
            db.query(
                f"SELECT ?a WHERE {{ GRAPH <{GRAPH}> {{ <{BASE}id-a-r9> "
                "<https://w3id.org/vskg/archimate#accessType> ?a } }"
            )
        )
        assert access[0]["a"].value == "Read"
        xml = export_store(db, GRAPH)
        assert validate(diagram_schema, xml) == []  # its one diagram is a view now
        assert counts(xml) == {"elements": 8, "relationships": 9, "properties": 3, "property_definitions": 3}
    finally:
        db.close()


def test_zipped_archi_file_imports_the_same(zipped: Path):
    _, plain = build_import(NATIVE.read_bytes(), str(NATIVE))
    _, packed = build_import(zipped.read_bytes(), str(zipped))
    assert _expected(packed) == _expected(plain)
    assert packed.sha256 != plain.sha256


def test_zip_without_a_model_is_refused(tmp_path: Path):
    path = tmp_path / "empty.archimate"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("images/a.png", b"x")
    with pytest.raises(InputError) as caught:
        build_import(path.read_bytes(), str(path))
    assert caught.value.reason == "a zip file without model.xml: not an Archi .archimate archive"


def test_archi_relationship_with_missing_end_is_refused():
    bad = NATIVE.read_bytes().replace(b'target="id-a-s3"/>', b'target="id-nowhere"/>', 1)
    with pytest.raises(InputError) as caught:
        build_import(bad, "bad.archimate")
    assert caught.value.line == 27
    assert caught.value.reason == (
        "relationship id-a-r3 (Composition) has a target 'id-nowhere' that is no element or relationship"
    )
