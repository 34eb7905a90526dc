"""The model files are found from a checkout and from an installed wheel, and both copies are the same."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from vskg.resources import locate

REPO = Path(__file__).resolve().parent.parent


def test_checkout_layout_is_found() -> None:
    bundle = locate()
    assert bundle.origin == "checkout"
    assert bundle.root == REPO
    assert bundle.ontology == REPO / "ontology" / "vskg.ttl"
    assert bundle.shapes and bundle.data and bundle.queries and bundle.schemes


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel and unpack it: for a pure-Python wheel that is exactly what an installer does."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("vskg-*.whl")
    site = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def test_wheel_carries_every_model_file(unpacked_wheel: Path) -> None:
    bundled = unpacked_wheel / "vskg" / "_bundled"
    for kind in ("ontology", "shapes", "data", "queries"):
        source = sorted(p.relative_to(REPO / kind) for p in (REPO / kind).rglob("*") if p.is_file())
        shipped = sorted(p.relative_to(bundled / kind) for p in (bundled / kind).rglob("*") if p.is_file())
        assert shipped == source, kind
        for rel in source:
            assert (bundled / kind / rel).read_bytes() == (REPO / kind / rel).read_bytes()
    assert (unpacked_wheel / "vskg" / "java" / "ProfileCheck.java").is_file()
    assert (bundled / "ontology" / "vskg.owl").read_bytes() == (REPO / "ontology" / "vskg.owl").read_bytes()


def _run_from_wheel(unpacked_wheel: Path, folder: Path, script: str) -> str:
    """Run ``script`` in an isolated interpreter, in ``folder``, with only the wheel on the path; its last line."""
    run = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(unpacked_wheel)!r}); {script}"],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    )
    return run.stdout.strip().splitlines()[-1]


def test_installed_wheel_finds_and_queries_its_own_copy(unpacked_wheel: Path, tmp_path: Path) -> None:
    """Run from an unrelated folder with only the wheel on the path: no file of the checkout may be used."""
    script = (
        "import json; from vskg.resources import locate; from vskg.graphs import memory_store;"
        "from vskg.catalogue import catalogue, run; from vskg.results import collect;"
        "b = locate(); q = catalogue()['value-streams'];"
        "rows = collect(run(memory_store(), q, {})).values();"
        "print(json.dumps({'origin': b.origin, 'root': str(b.root), 'rows': len(rows), 'owl': str(b.ontology_rdfxml)}))"
    )
    answer = json.loads(_run_from_wheel(unpacked_wheel, tmp_path, script))
    assert answer["origin"] == "wheel"
    assert answer["root"] == str(unpacked_wheel / "vskg" / "_bundled")
    assert answer["rows"] == 12
    assert answer["owl"] == str(unpacked_wheel / "vskg" / "_bundled" / "ontology" / "vskg.owl")


def test_wheel_carries_the_web_front_end(unpacked_wheel: Path) -> None:
    """Templates, styles, scripts and the vendored YASGUI, Swagger UI and ReDoc ship inside the package.

    The UI needs no build step and no CDN.
    """
    web = REPO / "vskg" / "web"
    for kind in ("templates", "static"):
        source = sorted(p.relative_to(web / kind) for p in (web / kind).rglob("*") if p.is_file())
        shipped_root = unpacked_wheel / "vskg" / "web" / kind
        shipped = sorted(p.relative_to(shipped_root) for p in shipped_root.rglob("*") if p.is_file())
        assert shipped == source, kind
    assert (unpacked_wheel / "vskg/web/static/vendor/yasgui/yasgui.min.js").read_bytes() == (
        web / "static/vendor/yasgui/yasgui.min.js"
    ).read_bytes()
    for vendored in ("swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css", "redoc/redoc.standalone.js"):
        shipped = unpacked_wheel / "vskg/web/static/vendor" / vendored  # /docs and /redoc work from the wheel
        assert shipped.read_bytes() == (web / "static/vendor" / vendored).read_bytes()


def test_installed_wheel_offers_the_python_api(unpacked_wheel: Path, tmp_path: Path) -> None:
    """`import vskg` from the wheel alone: the bundled graph, a catalogue query by short key, an analysis."""
    script = (
        "import json, vskg; kg = vskg.open_bundled();"
        "rows = kg.query('stream-stages', stream='banking/mortgage-lending');"
        "print(json.dumps([vskg.__file__, len(rows), kg.analyse('banking/mortgage-lending').figures['lead_hours']]))"
    )
    answer = json.loads(_run_from_wheel(unpacked_wheel, tmp_path, script))
    assert answer == [str(unpacked_wheel / "vskg" / "__init__.py"), 8, 574.0]


def test_installed_wheel_draws_maps_and_documents_the_ontology(unpacked_wheel: Path, tmp_path: Path) -> None:
    """The workbench's parts work from the wheel alone: analytics, a map, a page template and the pyLODE docs."""
    script = (
        "import json; from vskg.graphs import memory_store; from vskg.analytics import analyse_stream;"
        "from vskg.maps import render_stream_map; from vskg.web.templating import STATIC, templates;"
        "from vskg.docs import render_ontology; from vskg.resources import locate;"
        "a = analyse_stream(memory_store(), 'https://w3id.org/vskg/data/banking/mortgage-lending');"
        "svg = render_stream_map(a);"
        "html = render_ontology(locate().ontology);"
        "print(json.dumps({'stages': svg.count('<g class=\"stage'), 'static': str(STATIC),"
        " 'template': templates.env.get_template('stream.html').filename,"
        " 'documented': 'Value stream stage' in html}))"
    )
    answer = json.loads(_run_from_wheel(unpacked_wheel, tmp_path, script))
    assert answer == {
        "stages": 8,
        "static": str(unpacked_wheel / "vskg" / "web" / "static"),
        "template": str(unpacked_wheel / "vskg" / "web" / "templates" / "stream.html"),
        "documented": True,
    }


def test_no_test_reads_outside_the_repository() -> None:
    """A user's clone has no ../shared: every file a test needs is copied into tests/fixtures with its source."""
    tests = Path(__file__).resolve().parent
    offenders = [
        f"{path.relative_to(tests)}:{number}"
        for path in sorted(tests.rglob("*.py"))
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "REPO.parent" in line or '/ "shared"' in line or "../shared" in line
    ]
    assert offenders == []
