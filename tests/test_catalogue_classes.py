"""The class an iri parameter of the catalogue declares: read from the header, checked, and true of the data.

The workbench's pickers offer the instances of that class, so a declared class must be a class of the ontology and
every value the bundled examples use for the parameter must be one of its instances.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from vskg.catalogue import CatalogueError, catalogue, read_query

VSKG = "https://w3id.org/vskg/ontology#"
CLASSES = {
    ("capability-impact", "capability"): "Capability",
    ("capability-map", "organisation"): "Organisation",
    ("capability-maturity-gaps", "organisation"): "Organisation",
    ("mca-coverage", "organisation"): "Organisation",
    ("objective-traceability", "objective"): "StrategicObjective",
    ("portfolio-streams", "portfolio"): "ValueStreamPortfolio",
    ("strategy-cascade", "organisation"): "Organisation",
    ("stream-kpis", "stream"): "ValueStream",
    ("stream-stages", "stream"): "ValueStream",
    ("stream-stakeholders", "stream"): "ValueStream",
    ("system-impact", "system"): "System",
    ("unit-involvement", "organisation"): "Organisation",
    ("value-streams", "organisation"): "Organisation",
    ("value-streams", "industry"): "Industry",
}


def test_every_iri_parameter_but_one_declares_its_class() -> None:
    declared = {
        (query.name, p.name): p.rdf_class for query in catalogue().values() for p in query.parameters if p.type == "iri"
    }
    # linked-elements takes any element linked by skos:exactMatch, of whatever class: its picker searches names.
    assert declared == {**{key: VSKG + name for key, name in CLASSES.items()}, ("linked-elements", "element"): None}
    entry = catalogue()["capability-impact"].metadata()["parameters"][0]
    assert entry["class"] == VSKG + "Capability"
    assert "class" not in catalogue()["handoff-bottlenecks"].metadata()["parameters"][0]


def test_declared_classes_are_ontology_classes_and_defaults_their_instances(store: pyoxigraph.Store) -> None:
    for (name, parameter), local in CLASSES.items():
        cls = VSKG + local
        owl_class = f"ASK {{ <{cls}> a <http://www.w3.org/2002/07/owl#Class> }}"
        assert store.query(owl_class, use_default_graph_as_union=True), cls
        default = next(p.default for p in catalogue()[name].parameters if p.name == parameter)
        if default is not None:
            ask = f"""ASK {{ <{default}> a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{cls}> }}"""
            assert store.query(ask, use_default_graph_as_union=True), (name, parameter)


HEADER = """#+ title = "t"
#+ description = "d"
#+ [[param]]
#+ name = "x"
#+ type = "{type}"
#+ class = "{cls}"
SELECT ?x WHERE {{ ?x ?p ?o }}
"""


@pytest.mark.parametrize(
    ("kind", "cls", "message"),
    [
        ("string", VSKG + "Capability", "parameter 'x': 'class' is only for iri parameters"),
        ("iri", "Capability", "parameter 'x': 'class' must be a full IRI"),
        ("iri", "https://x/a b", "parameter 'x': 'class' must be a full IRI"),
    ],
)
def test_a_wrong_class_is_refused(tmp_path: Path, kind: str, cls: str, message: str) -> None:
    path = tmp_path / "q.rq"
    path.write_text(HEADER.format(type=kind, cls=cls), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        read_query(path)
    assert str(caught.value) == f"{path}: {message}"
