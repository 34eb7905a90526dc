"""docs/python-api.md runs as written: each Python block, in order, in one namespace, prints the text block under it.

The blocks run in a folder holding a copy of the bundled store at `.vskg/store` (what `vskg init` makes), as the
page says. A Python block followed by a ``text`` block must print exactly that text; one without prints nothing.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "python-api.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.DOTALL | re.MULTILINE)


def examples(markdown: str) -> list[tuple[str, str]]:
    """(code, expected output) for each ``python`` block; the output is the ``text`` block right after it."""
    fences = [(match.group(1), match.group(2), match.start(), match.end()) for match in FENCE.finditer(markdown)]
    found = []
    for index, (kind, body, _, end) in enumerate(fences):
        if kind != "python":
            continue
        following = fences[index + 1] if index + 1 < len(fences) else None
        if following and following[0] == "text" and markdown[end : following[2]].strip() == "":
            found.append((body, following[1]))
        else:
            found.append((body, ""))
    return found


def test_the_block_reader_pairs_code_with_its_output() -> None:
    page = "a\n```python\nprint(1)\n```\n\n```text\n1\n```\nb\n```python\nx = 2\n```\nc\n```text\nnot output\n```\n"
    assert examples(page) == [("print(1)\n", "1\n"), ("x = 2\n", "")]


def test_the_page_has_a_block_for_each_step() -> None:
    headings = re.findall(r"^## (.+)$", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    assert headings == ["Open", "Query", "Validate", "Analyse"]
    assert len(examples(DOC.read_text(encoding="utf-8"))) == 10


def test_every_block_prints_what_the_page_says(
    bundled_store_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(bundled_store_template, tmp_path / ".vskg" / "store")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "python_api_doc"}
    try:
        for number, (code, expected) in enumerate(examples(DOC.read_text(encoding="utf-8")), 1):
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                exec(compile(code, f"{DOC.name}, block {number}", "exec"), namespace)
            assert printed.getvalue() == expected, f"block {number}:\n{code}"
    finally:
        kg = namespace.get("kg")
        if kg is not None:
            kg.close()
