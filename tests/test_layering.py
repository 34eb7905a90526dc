"""The store is reached through its interface only, so that a SPARQL server can stand in for the embedded store.

Two halves: a scan of the package's source (no module outside `vskg/store/` opens a pyoxigraph database, touches the
embedded store's `.db` handle or builds the embedded store itself; no two modules import each other; imports point
down the layers: store, then `vskg.service`, then the sibling route packages `vskg.api` and `vskg.web`), and the
pages, the exporter and the link proposals run on a store object that has nothing but the read side of the
`Backend` interface, which also counts the queries each page makes.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph
import pytest

from tests.backend_only import InterfaceOnly
from vskg import analytics
from vskg.archimate.writer import export_store
from vskg.link import propose
from vskg.store import LocalStore
from vskg.validation.engine import run
from vskg.vocab import VSKG
from vskg.web import describe, details, linked_data, pages

PACKAGE = Path(__file__).resolve().parent.parent / "vskg"

# Modules that may still name `pyoxigraph.Store` or use a `.db` attribute, and why. Shrink this list: each entry
# is a place that bypasses the Backend interface (vskg/store/ itself is always allowed).
DATABASE_ALLOWED = {
    # scratch in-memory stores that never hold the user's data; they could move behind a vskg.store factory
    "vskg/validate.py": "an in-memory store that merges the data with the vocabulary for pyshacl",
    "vskg/graphs.py": "memory_store(): the bundled files in an in-memory store",
    "vskg/api/update.py": "an empty in-memory store, only to parse an update for its error message",
    "vskg/analytics/live.py": "an empty in-memory store, only to read the quads of INSERT DATA / DELETE DATA",
    # belongs in vskg/store/: only the embedded store calls it
    "vskg/rdfio.py": "bulk_load() streams a file into the embedded store's database",
}

# Modules that may build the embedded store (`LocalStore(...)`): the places that choose the backend.
CONSTRUCTION_ALLOWED = {
    "vskg/commands/common.py": "the command line opens the store it is given",
    "vskg/python_api.py": "the Python API opens the store its caller names (open_store) or an in-memory one",
}


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE.parent).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def allowed(name: str, allowances: dict[str, str]) -> bool:
    return name.startswith("vskg/store/") or any(
        name == entry or (entry.endswith("/") and name.startswith(entry)) for entry in allowances
    )


def database_uses(tree: ast.Module) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "db":
            found.append((node.lineno, ".db"))
        elif isinstance(node, ast.Attribute) and node.attr == "Store" and ast.unparse(node.value) == "pyoxigraph":
            found.append((node.lineno, "pyoxigraph.Store"))
        elif (
            isinstance(node, ast.ImportFrom) and node.module == "pyoxigraph" and "Store" in {a.name for a in node.names}
        ):
            found.append((node.lineno, "from pyoxigraph import Store"))
    return found


def constructions(tree: ast.Module) -> list[int]:
    def named(func: ast.expr) -> bool:
        return (isinstance(func, ast.Name) and func.id == "LocalStore") or (
            isinstance(func, ast.Attribute) and func.attr == "LocalStore"
        )

    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call) and named(node.func)]


def test_no_module_outside_the_store_package_reaches_the_database() -> None:
    found = [
        f"{name}:{line}: {what}"
        for name, tree in modules()
        if not allowed(name, DATABASE_ALLOWED)
        for line, what in database_uses(tree)
    ]
    assert found == []


def test_the_scan_sees_a_reach_past_the_interface() -> None:
    sample = "import pyoxigraph\nfrom pyoxigraph import Store\ndef f(store):\n    return store.db, pyoxigraph.Store()\n"
    assert sorted(database_uses(ast.parse(sample))) == [
        (2, "from pyoxigraph import Store"),
        (4, ".db"),
        (4, "pyoxigraph.Store"),
    ]


def test_only_the_places_that_choose_the_backend_build_the_embedded_store() -> None:
    found = [
        f"{name}:{line}"
        for name, tree in modules()
        if not allowed(name, CONSTRUCTION_ALLOWED)
        for line in constructions(tree)
    ]
    assert found == []


def module_paths() -> dict[str, Path]:
    """Every vskg module by its dotted name (a package by its own name, not ``.__init__``)."""
    names = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        names[name.removesuffix(".__init__")] = path
    return names


def imports() -> dict[str, list[tuple[int, str]]]:
    """The vskg modules each vskg module imports, with the line of each import (those inside functions too)."""
    names = module_paths()
    found: dict[str, list[tuple[int, str]]] = {}
    for name, path in names.items():
        targets = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    member = f"{node.module}.{alias.name}"
                    targets.append((node.lineno, member if member in names else node.module))
            elif isinstance(node, ast.Import):
                targets += [(node.lineno, alias.name) for alias in node.names]
        found[name] = sorted({(line, t) for line, t in targets if t in names and t != name})
    return found


def import_graph() -> dict[str, set[str]]:
    """Which vskg modules each vskg module imports."""
    return {name: {target for _, target in found} for name, found in imports().items()}


def cycle_through(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """A chain of imports from ``start`` back to itself, if there is one."""
    paths = [[start]]
    seen = {start}
    while paths:
        path = paths.pop()
        for target in sorted(graph[path[-1]]):
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                paths.append([*path, target])
    return None


def test_modules_import_each_other_without_a_cycle() -> None:
    graph = import_graph()
    assert {"vskg.service.errors", "vskg.store.engine"} <= graph["vskg.service.deps"]  # the scan reads the imports
    cycles = {name: cycle for name in sorted(graph) if (cycle := cycle_through(graph, name))}
    assert cycles == {}


# --- the layers: store below service, service below the sibling route packages api/ and web/ ---------------------

ROUTE_PACKAGES = ("vskg.api", "vskg.web")
# The one module of the service layer that knows the routes: it mounts them.
APP_FACTORY = "vskg.service.app"
# Modules that stand above the route packages: the command line starts the app (`vskg serve`).
ENTRY_POINTS = ("vskg.cli", "vskg.__main__", "vskg.commands.serve")


def within(name: str, *packages: str) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


def route_modules() -> set[str]:
    """The modules of api/ and web/ that define routes (an ``APIRouter``); the others there are their helpers."""
    return {
        name
        for name, path in module_paths().items()
        if within(name, *ROUTE_PACKAGES) and "APIRouter(" in path.read_text(encoding="utf-8")
    }


def breaches(importer: Callable[[str], bool], imported: Callable[[str], bool]) -> list[str]:
    """'module:line imports target' for each import from a module ``importer`` accepts of one ``imported`` accepts."""
    return [
        f"{name}:{line} imports {target}"
        for name, found in sorted(imports().items())
        if importer(name)
        for line, target in found
        if imported(target)
    ]


def test_the_scan_finds_the_route_modules_and_names_each_import() -> None:
    routes = route_modules()
    assert {"vskg.api.sparql", "vskg.api.update", "vskg.web.pages", "vskg.web.linked_data"} <= routes
    assert not routes & {"vskg.web.describe", "vskg.web.templating", "vskg.web.html_errors", "vskg.api"}
    (found,) = breaches(lambda name: name == "vskg.api.update", lambda target: target == "vskg.service.sparql_requests")
    assert re.fullmatch(r"vskg\.api\.update:\d+ imports vskg\.service\.sparql_requests", found)


def test_no_route_module_imports_another() -> None:
    routes = route_modules()
    assert breaches(lambda name: name in routes, lambda target: target in routes) == []


def test_api_and_web_import_nothing_of_each_other() -> None:
    def api(name: str) -> bool:
        return within(name, "vskg.api")

    def web(name: str) -> bool:
        return within(name, "vskg.web")

    assert breaches(api, web) + breaches(web, api) == []


def a_route(name: str) -> bool:
    return within(name, *ROUTE_PACKAGES)


def test_the_service_layer_imports_no_route_but_in_the_app_factory() -> None:
    assert {APP_FACTORY, "vskg.service.deps", "vskg.service.errors", "vskg.service.settings"} <= set(module_paths())
    assert breaches(lambda name: within(name, "vskg.service") and name != APP_FACTORY, a_route) == []


def test_only_the_app_factory_imports_the_route_packages() -> None:
    assert breaches(lambda name: not within(name, *ROUTE_PACKAGES, APP_FACTORY), a_route) == []


def test_the_packages_below_the_service_import_nothing_above_them() -> None:
    """The store (with its query engine), the analytics, maps, importers, commands... know nothing of HTTP."""
    assert "vskg.store.engine" in set(module_paths())  # the query engine is part of the store package

    def below(name: str) -> bool:
        return not within(name, "vskg.service", *ROUTE_PACKAGES, *ENTRY_POINTS)

    assert breaches(below, lambda target: within(target, "vskg.service", *ROUTE_PACKAGES)) == []


# --- the pages on nothing but the interface ----------------------------------------------------------------------

DATA = "https://w3id.org/vskg/data/"
STAGE = DATA + "banking/credit-checks"


@pytest.fixture(scope="module")
def bundled(bundled_store_template: Path) -> Iterator[LocalStore]:
    store = LocalStore(bundled_store_template, read_only=True)
    yield store
    store.close()


@pytest.fixture
def narrow(bundled: LocalStore) -> InterfaceOnly:
    return InterfaceOnly(bundled)


def test_a_resource_page_takes_a_handful_of_queries(narrow: InterfaceOnly) -> None:
    found = describe.describe(narrow, STAGE)
    assert narrow.asked() == 2  # its triples, the triples pointing at it
    # 21 out: its 18 facts and its provenance (status, the article section and phrase that name it)
    assert (len(found.outgoing), len(found.incoming), found.terms) == (21, 9, {})
    stream = pyoxigraph.NamedNode(DATA + "banking/mortgage-lending")
    assert pyoxigraph.Triple(stream, pyoxigraph.NamedNode(VSKG + "hasStage"), pyoxigraph.NamedNode(STAGE)) in (
        found.incoming
    )
    context = linked_data.html_context(narrow, STAGE, found)
    assert narrow.asked() == 1  # the labels, texts and types of every IRI on the page
    assert (context["label"], context["page_href"]) == ("Credit checks", None)
    assert [t.text for t in context["types"]] == ["Value stream stage"]
    (has_stage,) = [(s.href, p.text) for s, p in context["incoming"] if s.title == stream.value]
    assert has_stage == ("/streams/banking/mortgage-lending", "has stage")


def test_a_vocabulary_document_describes_its_terms_in_one_more_query(narrow: InterfaceOnly) -> None:
    found = describe.describe(narrow, "https://w3id.org/vskg/archimate")
    assert narrow.asked() == 3
    assert len(found.terms) == 80  # the am: vocabulary (ontology/archimate.ttl): views and derivations included
    assert all(term.startswith("https://w3id.org/vskg/archimate#") and triples for term, triples in found.terms.items())


def test_capability_and_system_panels_are_three_queries_each(narrow: InterfaceOnly) -> None:
    capability = details.capability_details(narrow, DATA + "banking/customer-onboarding")
    assert narrow.asked() == 3
    assert [(r.iri, r.label) for r in capability.parents] == [
        (DATA + "banking/customer-management", "Customer management")
    ]
    (assessment,) = capability.assessments
    assert (assessment.current_level, assessment.target_level, assessment.gap) == ("2", "4", 2)
    assert assessment.current is not None and assessment.current.label == "Managed"
    system = details.system_details(narrow, DATA + "banking/digital-banking-channels")
    assert narrow.asked() == 3
    assert [(r.iri, r.label) for r in system.platforms] == [(DATA + "banking/cloud-platform", "Cloud hosting platform")]
    assert [r.label for r in system.kinds] == ["Application system"]


def test_the_impact_and_stream_pages_work_on_the_interface(narrow: InterfaceOnly) -> None:
    impact = analytics.system_impact(narrow, DATA + "banking/cloud-platform")
    narrow.asked()
    context = pages.impact_context(narrow, impact)
    assert narrow.asked() == 1
    assert context["roots"][DATA + "banking/digital-banking-channels"] == "systems"
    analysis = analytics.analyse_stream(narrow, DATA + "banking/mortgage-lending")
    narrow.asked()
    linked = pages.linked_iris(narrow, DATA + "banking/mortgage-lending")
    assert narrow.asked() == 1
    assert {stage.stage.iri for stage in analysis.stages} <= set(linked)


def test_the_store_validation_works_on_the_interface(narrow: InterfaceOnly, bundled: LocalStore) -> None:
    findings = run(narrow)
    assert narrow.asked() > 0  # through query() only
    assert findings == run(bundled)
    assert len(findings) == 12  # the bundled examples' Warnings and Infos


def test_the_exporter_and_the_link_proposals_work_on_the_interface(narrow: InterfaceOnly, bundled: LocalStore) -> None:
    graph = "https://w3id.org/vskg/graph/data/banking-mortgage-lending"
    assert export_store(narrow, graph) == export_store(bundled, graph)
    assert export_store(narrow) == export_store(bundled)
    assert propose(narrow, graph) == propose(bundled, graph)


def test_the_wrapper_refuses_what_a_server_has_not(narrow: InterfaceOnly) -> None:
    with pytest.raises(AttributeError):
        narrow.db  # noqa: B018
    with pytest.raises(TypeError, match="substitutions"):
        narrow.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1", substitutions={})
