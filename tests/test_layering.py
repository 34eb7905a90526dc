"""The store is reached through its interface only, so that a SPARQL server can stand in for the embedded store.

Two halves: a scan of the package's source (no module outside `vskg/store/` opens a pyoxigraph database, touches the
embedded store's `.db` handle or builds the embedded store itself, and no two modules import each other), and the
pages, the exporter and the link proposals run on a store object that has nothing but the read side of the
`Backend` interface, which also counts the queries each page makes.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest

from tests.backend_only import InterfaceOnly
from vskg import analytics
from vskg.archimate.writer import export_store
from vskg.link import propose
from vskg.store import LocalStore
from vskg.vocab import VSKG
from vskg.web import conformance, describe, details, linked_data, pages

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


def import_graph() -> dict[str, set[str]]:
    """Which vskg modules each vskg module imports, counting imports inside functions too."""
    names = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        names[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets |= {
                    f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in names else node.module for a in node.names
                }
            elif isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
        graph[name] = {t for t in targets if t in names and t != name}
    return graph


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
    assert {"vskg.api.errors", "vskg.engine"} <= graph["vskg.api.deps"]  # the scan reads the imports it should
    cycles = {name: cycle for name in sorted(graph) if (cycle := cycle_through(graph, name))}
    assert cycles == {}


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
    assert (len(found.outgoing), len(found.incoming), found.terms) == (18, 9, {})
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
    assert len(found.terms) == 36
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


def test_the_page_validation_reads_every_graph_but_the_vocabulary(narrow: InterfaceOnly, bundled: LocalStore) -> None:
    data = conformance.instance_data(narrow)
    assert narrow.asked() == 0  # graphs() and quads() only
    expected = bundled.query(
        """SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o }
             FILTER(!STRSTARTS(STR(?g), "https://w3id.org/vskg/graph/ontology/")
                    && !STRSTARTS(STR(?g), "https://w3id.org/vskg/graph/schemes/")
                    && !STRSTARTS(STR(?g), "https://w3id.org/vskg/graph/shapes/")) } }"""
    )
    assert len(data.splitlines()) == int(next(iter(expected))["n"].value)


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
