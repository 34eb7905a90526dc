"""Re-importing a model: every node has a stable IRI, so the same file gives the same graph and writes nothing.

An import names every node it writes (properties, styles, colours, bendpoints, unnamed folders, derivations and
tallies included) after its place under its owner. A re-import of the same file into the same graph finds its
import key in the graph and keeps the stored PROV record, so the graph stays byte for byte as it was, and the store
is given an empty difference: no update, no bulk load. A changed file writes only what changed.
"""

from __future__ import annotations

from pyoxigraph import BlankNode, NamedNode, RdfFormat

from tests.archimate.conftest import FIXTURES
from vskg.archimate.importer import MODEL_BASE, build_import, import_bytes
from vskg.archimate.writer import read_graph_model
from vskg.store import LocalStore

VIEWS = FIXTURES / "views.xml"
DERIVATION = FIXTURES / "derivation.xml"
AM = "https://w3id.org/vskg/archimate#"


class _Spy:
    """Stands in for the pyoxigraph store of a LocalStore and records the writes it is asked for."""

    def __init__(self, db) -> None:
        self.db = db
        self.writes: list[tuple[str, str]] = []

    def __getattr__(self, name: str):
        found = getattr(self.db, name)
        if name in ("update", "bulk_extend", "extend", "bulk_load", "load", "add", "remove", "remove_graph"):

            def record(*args, **kwargs):
                self.writes.append((name, args[0] if name == "update" else ""))
                return found(*args, **kwargs)

            return record
        return found


def _dump(store: LocalStore, graph: str) -> bytes:
    return b"".join(sorted(store.serialize_graph(graph, RdfFormat.N_TRIPLES).splitlines(keepends=True)))


def _content(data: bytes, name: str) -> set:
    """The quads an import would write, without its PROV record (its activity differs at every import)."""
    quads, summary = build_import(data, name)
    return {(q.subject, q.predicate, q.object) for q in quads[: summary.content_triples]}


def test_no_blank_nodes_and_the_same_quads_at_every_import():
    for path in (VIEWS, DERIVATION):
        quads, _ = build_import(path.read_bytes(), path.name)
        assert [q for q in quads if isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode)] == []
        assert _content(path.read_bytes(), path.name) == _content(path.read_bytes(), path.name)
    quads, _ = build_import(VIEWS.read_bytes(), VIEWS.name)
    model = MODEL_BASE + "id-views-model/"
    named = sorted(q.object.value[len(model) :] for q in quads if q.predicate.value == AM + "bendpoint")
    assert named == ["id-c-flow/bendpoint/1", "id-c-flow/bendpoint/2", "id-c-serve/bendpoint/1"]
    styles = sorted(q.object.value[len(model) :] for q in quads if q.predicate.value == AM + "style")
    assert len(styles) == len(set(styles)) > 0 and all(s.endswith("/style") for s in styles)


def test_skolem_iris_are_distinct_across_models():
    data = VIEWS.read_bytes()
    other = data.replace(b'identifier="id-views-model"', b'identifier="id-other-model"')
    ours = {t for q in _content(data, "a.xml") for t in q if isinstance(t, NamedNode) and "/bendpoint/" in t.value}
    theirs = {t for q in _content(other, "b.xml") for t in q if isinstance(t, NamedNode) and "/bendpoint/" in t.value}
    assert len(ours) == len(theirs) == 3
    assert ours & theirs == set()


def test_reimport_of_the_same_file_writes_nothing(tmp_path):
    store = LocalStore(tmp_path / "store")
    try:
        data = DERIVATION.read_bytes()
        summary = import_bytes(store, data, DERIVATION.name)
        before = _dump(store, summary.graph)
        spy = store.db = _Spy(store.db)
        again = import_bytes(store, data, DERIVATION.name)
        assert spy.writes == []
        assert again.graph == summary.graph
        assert _dump(store, summary.graph) == before
        assert store.journal.entries() == []
    finally:
        store.db = getattr(store.db, "db", store.db)
        store.close()


def test_reimport_after_a_small_change_writes_only_the_change(tmp_path):
    store = LocalStore(tmp_path / "store")
    try:
        data = VIEWS.read_bytes()
        summary = import_bytes(store, data, VIEWS.name)
        spy = store.db = _Spy(store.db)
        changed = data.replace(b">Acquire home<", b">Acquire a home<")
        import_bytes(store, changed, VIEWS.name)
        assert [name for name, _ in spy.writes] == ["update"]
        update = spy.writes[0][1]
        assert '"Acquire home"@en' in update and '"Acquire a home"@en' in update
        assert "bendpoint" not in update  # the views did not change, so none of their quads is written again
        store.db = spy.db
        model = read_graph_model(store, summary.graph)
        assert [c.names for c in model.concepts if c.identifier == "id-e-stream"] == [[("en", "Acquire a home")]]
    finally:
        store.db = getattr(store.db, "db", store.db)
        store.close()


def test_reimport_undoes_edits_made_since(tmp_path):
    store = LocalStore(tmp_path / "store")
    try:
        data = VIEWS.read_bytes()
        summary = import_bytes(store, data, VIEWS.name)
        before = _dump(store, summary.graph)
        store.update(
            f"DELETE WHERE {{ GRAPH <{summary.graph}> {{ ?c <{AM}bendpoint> ?b . ?b ?p ?o }} }} ;"
            f"INSERT DATA {{ GRAPH <{summary.graph}> {{ <urn:x> <urn:y> <urn:z> }} }}"
        )
        assert _dump(store, summary.graph) != before
        import_bytes(store, data, VIEWS.name)
        assert _dump(store, summary.graph) == before
    finally:
        store.close()


def test_two_identical_properties_on_one_element_are_both_kept(tmp_path):
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       identifier="id-twice">
  <name>Twice</name>
  <elements>
    <element identifier="id-a" xsi:type="BusinessActor"><name>A</name>
      <properties>
        <property propertyDefinitionRef="pd-1"><value>same</value></property>
        <property propertyDefinitionRef="pd-1"><value>same</value></property>
      </properties>
    </element>
  </elements>
  <propertyDefinitions><propertyDefinition identifier="pd-1" type="string"><name>tag</name></propertyDefinition>
  </propertyDefinitions>
</model>
"""
    store = LocalStore(tmp_path / "store")
    try:
        summary = import_bytes(store, data, "twice.xml")
        model = read_graph_model(store, summary.graph)
        props = model.concepts[0].properties
        assert [(p.ref, p.values) for p in props] == [("pd-1", [(None, "same")]), ("pd-1", [(None, "same")])]
        holders = sorted(
            row["h"].value for row in store.query(f"SELECT ?h WHERE {{ GRAPH ?g {{ ?e <{AM}hasProperty> ?h }} }}")
        )
        assert holders == [MODEL_BASE + "id-twice/id-a/property/1", MODEL_BASE + "id-twice/id-a/property/2"]
    finally:
        store.close()


def test_reimport_through_a_sparql_server_keeps_the_graph(oxigraph_server):
    """Another backend gets pyoxigraph quads read from the text, and finds the stored record by query too."""
    oxigraph_server.clear()
    store = oxigraph_server.store()
    data = VIEWS.read_bytes()
    summary = import_bytes(store, data, VIEWS.name)
    before = sorted(str(q) for q in store.quads(summary.graph))
    assert len(before) == summary.triples
    assert not any("_:" in line for line in before)
    import_bytes(store, data, VIEWS.name)
    assert sorted(str(q) for q in store.quads(summary.graph)) == before
    oxigraph_server.clear()
