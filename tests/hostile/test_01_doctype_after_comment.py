"""Issue 9, case 1: a billion-laughs RDF/XML document whose DOCTYPE comes after a 5 KB comment.

The old check looked at the first 4 KB only, so the entities reached pyoxigraph's RDF/XML parser, which expands
them (an 8 GB allocation aborted the server). The guarded reader scans the whole stream.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.conftest import DOCUMENT_PATHS, Survivor


def billion_laughs() -> bytes:
    """5.7 KB: a 5 KB comment, then a DOCTYPE whose ten entities expand to 10^9 'lol's."""
    entities = ['<!ENTITY l0 "lol">'] + [f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10)]
    return (
        '<?xml version="1.0"?>\n<!--' + "x" * 5000 + "-->\n"
        "<!DOCTYPE rdf:RDF [\n" + "\n".join(entities) + "\n]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        '<rdf:Description rdf:about="http://example.org/a"><ex:p>&l9;</ex:p></rdf:Description>\n</rdf:RDF>\n'
    ).encode()


BOMB = billion_laughs()
XML = {"Content-Type": "application/rdf+xml"}
REFUSED = "request body, line 3: RDF/XML with a DOCTYPE is refused"


def test_the_bomb_is_past_the_old_4_kb_window() -> None:
    assert BOMB.index(b"<!DOCTYPE") > 4096
    assert 5000 < len(BOMB) < 6000


@pytest.mark.parametrize("path", DOCUMENT_PATHS)
def test_every_way_in_refuses_it(survivor: Survivor, path: str) -> None:
    survivor.refused(survivor.send_document(path, BOMB, XML["Content-Type"]), 400, REFUSED)


def test_cli_load_refuses_it(tmp_path: Path) -> None:
    path = tmp_path / "laughs.rdf"
    path.write_bytes(BOMB)
    done = subprocess.run(
        [sys.executable, "-m", "vskg", "load", str(path), "--store", str(tmp_path / "store")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 3, done.stdout + done.stderr
    assert f"{path}, line 3: RDF/XML with a DOCTYPE is refused" in " ".join((done.stdout + done.stderr).split())
