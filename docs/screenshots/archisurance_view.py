"""Draw the README's ArchiMate example: Archisurance's "Application Structure View", as vskg renders it.

Run from the repository root: `.venv/bin/python docs/screenshots/archisurance_view.py`. It reads the vendored Archi
file (tests/fixtures/archimate/external/archisurance-archi4.archimate, MIT), takes the view by name and writes
docs/screenshots/archisurance-application-structure.svg with the same renderer the workbench uses for
/views/<key>.svg. Archi's own drawing of that view, from Archi's help pages (archimatetool/archi,
com.archimatetool.help/help/Images/view_fullscreen.png, MIT, commit 069a862f), is archi-application-structure.png
beside it; in that screenshot Archi's palette covers the three data objects on the right.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from vskg.archimate.importer import read_model  # noqa: E402 - needs the repository on the path
from vskg.maps.archimate_view import render_view  # noqa: E402

SOURCE = REPO / "tests" / "fixtures" / "archimate" / "external" / "archisurance-archi4.archimate"
VIEW = "Application Structure View"


def main() -> None:
    model = read_model(SOURCE.read_bytes(), SOURCE.name)
    view = next(v for v in model.views if any(text == VIEW for _lang, text in v.names))
    concepts = {c.identifier: c for c in [*model.elements, *model.relationships]}
    target = HERE / "archisurance-application-structure.svg"
    target.write_text(render_view(view, concepts, model_name="Archisurance"), encoding="utf-8")
    print(f"wrote {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
