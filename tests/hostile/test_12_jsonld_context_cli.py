"""Issue 9, case 12: `vskg validate x.jsonld` fetched a remote @context and read a `file:` one.

The command reads files through the guarded parser (pyoxigraph with no document loader): a context that is not
inline is an input error (exit code 3), and nothing is fetched or opened.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.server import Listener
from tests.test_security import FifoWatch, fifo  # noqa: F401 - the fixture is used by name


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vskg", "validate", str(path)], capture_output=True, text=True, timeout=120
    )


def document(tmp_path: Path, context: str) -> Path:
    path = tmp_path / "x.jsonld"
    path.write_text(json.dumps({"@context": context, "@id": "http://example.org/a", "name": "A"}), encoding="utf-8")
    return path


def test_a_remote_context_is_not_fetched(tmp_path: Path, listener: Listener) -> None:
    path = document(tmp_path, f"{listener.url}/context.jsonld")
    done = validate(path)
    assert done.returncode == 3, done.stdout + done.stderr
    said = " ".join((done.stdout + done.stderr).split())
    assert f"{path}: the JSON-LD document refers to a remote or file @context" in said
    assert listener.connections == 0


def test_a_file_context_is_not_read(tmp_path: Path, fifo: FifoWatch) -> None:  # noqa: F811
    path = document(tmp_path, fifo.path.as_uri())
    done = validate(path)
    assert done.returncode == 3, done.stdout + done.stderr
    assert "the JSON-LD document refers to a remote or file @context" in done.stdout + done.stderr
    fifo.close()
    assert not fifo.opened
