"""The ArchiMate relationship shapes generated from Archi's relationship table (shapes/archimate-relationships.ttl).

- the committed Turtle is exactly what tools/archimate_rules.py produces from Archi's table (fixtures/.../rules) now;
- the table is read completely (62 concepts, 11 relationship letters) and answers known cells;
- the shapes only target am:Relationship and are documented like every other shape;
- small hand-written am: models (the shared RDF contract) give exactly the expected findings and messages:
  allowed and disallowed relationships of several types, relationships on relationships, junctions.

The bundled data's findings (still 12 Infos, nothing else) are checked by tests/test_bundled_data.py, which loads
every file in shapes/ including this one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from tools.archimate_rules import generate, read_table, render
from vskg.validate import validate_graph

RULES = Path(__file__).resolve().parent / "fixtures" / "archimate" / "external" / "rules"
SHAPES_FILE = Path(__file__).resolve().parents[1] / "shapes" / "archimate-relationships.ttl"
AM = rdflib.Namespace("https://w3id.org/vskg/archimate#")
VSKGSH = "https://w3id.org/vskg/shapes#"
M = "https://w3id.org/vskg/archimate/model/m1/"

PREFIXES = """
@prefix am: <https://w3id.org/vskg/archimate#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix m: <https://w3id.org/vskg/archimate/model/m1/> .
<https://w3id.org/vskg/archimate/model/m1> a am:Model ; am:identifier "m1" ; am:name "Lending"@en .
"""

ELEMENTS = {
    "cap": ("Capability", '"Credit assessment"@en , "Évaluation du crédit"@fr'),
    "cap2": ("Capability", '"Risk scoring"'),
    "res": ("Resource", '"Underwriters"'),
    "s1": ("ValueStream", '"Apply"'),
    "s2": ("ValueStream", '"Decide"'),
    "bo": ("BusinessObject", '"Loan file"'),
    "proc": ("BusinessProcess", '"Check income"'),
    "event": ("BusinessEvent", '"Application received"'),
    "app": ("ApplicationComponent", '"Loan system"'),
    "data": ("DataObject", '"Loan record"'),
    "val": ("Value", '"Quick answer"'),
    "outcome": ("Outcome", '"More loans"'),
    "grp": ("Grouping", None),
}


def _model(relationships: list[tuple[str, str, str, str]], extra: str = "") -> rdflib.Graph:
    """An am: model with the ELEMENTS and the given (id, type, source id, target id) relationships."""
    lines = [PREFIXES]
    for ident, (kind, names) in ELEMENTS.items():
        name = f" ; am:name {names}" if names else ""
        lines.append(f'm:{ident} a am:Element ; am:identifier "{ident}" ; am:type "{kind}"{name} .')
    for ident, kind, source, target in relationships:
        lines.append(
            f'm:{ident} a am:Relationship ; am:identifier "{ident}" ; am:type "{kind}" ; '
            f"am:source m:{source} ; am:target m:{target} ."
        )
    lines.append(extra)
    graph = rdflib.Graph()
    graph.parse(data="\n".join(lines), format="turtle")
    return graph


def _findings(graph: rdflib.Graph) -> set[tuple[str, str, str, str]]:
    report = validate_graph(graph)
    return {
        (f.severity, f.source_shape.removeprefix(VSKGSH), f.focus_node.removeprefix(M), f.message)
        for f in report.findings
    }


def _not_allowed(rel: str, source: str, target: str) -> str:
    return (
        f"{rel} from {source} to {target} is not allowed in ArchiMate 3.2 (Archi's relationship table). "
        "Use a relationship type the table allows between these two types, or connect different elements."
    )


# --- the generator ---------------------------------------------------------------------------------------------


def test_committed_shapes_match_the_generator() -> None:
    assert SHAPES_FILE.read_text(encoding="utf-8") == generate(RULES), (
        "shapes/archimate-relationships.ttl is stale: run make shapes (python tools/archimate_rules.py)"
    )


def test_the_whole_table_is_read() -> None:
    table = read_table(RULES / "archi-relationships-3.2.xml", RULES / "archi-relationships-keys.xml")
    assert table.version == "3.2"
    assert len(table.rows) == 62
    assert all(len(targets) == 62 for targets in table.rows.values())
    assert sorted(table.letters.values()) == sorted(
        [
            "Access",
            "Aggregation",
            "Assignment",
            "Association",
            "Composition",
            "Flow",
            "Influence",
            "Realization",
            "Serving",
            "Specialization",
            "Triggering",
        ]
    )
    cells = sum(len(letters) for targets in table.rows.values() for _, letters in targets)
    assert cells == 11569
    assert table.allowed("Serving", "Capability", "ValueStream")
    assert not table.allowed("Serving", "Capability", "BusinessObject")
    assert table.allowed("Association", "Value", "Relationship")
    assert not table.allowed("Association", "Relationship", "Relationship")
    assert table.allowed("Assignment", "Resource", "Capability")
    # the rendering is deterministic
    assert render(table) == generate(RULES)


def test_shapes_target_only_relationships_and_are_documented() -> None:
    graph = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    shapes = sorted(graph.subjects(RDF.type, SH.NodeShape))
    assert [str(s).removeprefix(VSKGSH) for s in shapes] == [
        "ArchiMateJunctionSameTypeShape",
        "ArchiMateRelationshipAllowedShape",
        "ArchiMateRelationshipThroughJunctionShape",
    ]
    targets = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
    for shape in shapes:
        # one SPARQL target, whose query starts by requiring an am:Relationship (run once per validation)
        found = [(p, o) for p, o in graph.predicate_objects(shape) if p in targets]
        assert [p for p, _ in found] == [SH.target]
        target = found[0][1]
        assert (target, RDF.type, SH.SPARQLTarget) in graph
        query = " ".join(str(graph.value(target, SH.select)).split())
        assert query.startswith("SELECT DISTINCT ?this WHERE { $this a am:Relationship ;")
        assert (
            query.split("WHERE", 1)[1]
            == " ".join(str(graph.value(shape, SH.sparql / SH.select)).split()).split("WHERE", 1)[1]
        )
        for prop in (RDFS.label, RDFS.comment, SH.message):
            assert len(list(graph.objects(shape, prop))) == 1
        assert graph.value(shape, SH.severity) == SH.Violation


# --- findings on small models -------------------------------------------------------------------------------------


ALLOWED = [
    ("serve", "Serving", "cap", "s1"),
    ("flow", "Flow", "s1", "s2"),
    ("assign", "Assignment", "res", "cap"),
    ("access", "Access", "proc", "bo"),
    ("trigger", "Triggering", "event", "proc"),
    ("realize", "Realization", "proc", "cap"),
    ("influence", "Influence", "cap", "outcome"),
    ("special", "Specialization", "cap2", "cap"),
    ("compose", "Composition", "cap", "cap2"),
    ("value-on-flow", "Association", "val", "flow"),  # a Value attached to the Flow between two stages
    ("group-rel", "Composition", "grp", "flow"),  # a grouping may hold a relationship
]


def test_allowed_relationships_give_no_finding() -> None:
    assert _findings(_model(ALLOWED)) == set()


def test_disallowed_relationships_are_reported_by_name_and_type() -> None:
    disallowed = [
        ("bad-serve", "Serving", "cap", "bo"),
        ("bad-compose", "Composition", "bo", "cap"),
        ("bad-assign", "Assignment", "cap", "res"),
        ("bad-access", "Access", "cap", "bo"),
        ("bad-trigger", "Triggering", "bo", "proc"),
        ("bad-realize", "Realization", "app", "data"),
        ("bad-special", "Specialization", "cap", "res"),
        ("bad-aggregate-rel", "Aggregation", "cap", "flow"),
        ("bad-rel-on-rel", "Association", "value-on-flow", "flow"),
    ]
    found = _findings(_model(ALLOWED + disallowed))
    cap, bo, res = "Capability 'Credit assessment'", "BusinessObject 'Loan file'", "Resource 'Underwriters'"
    flow = "Flow relationship 'flow'"
    expected = {
        "bad-serve": ("Serving", cap, bo),
        "bad-compose": ("Composition", bo, cap),
        "bad-assign": ("Assignment", cap, res),
        "bad-access": ("Access", cap, bo),
        "bad-trigger": ("Triggering", bo, "BusinessProcess 'Check income'"),
        "bad-realize": ("Realization", "ApplicationComponent 'Loan system'", "DataObject 'Loan record'"),
        "bad-special": ("Specialization", cap, res),
        "bad-aggregate-rel": ("Aggregation", cap, flow),
        "bad-rel-on-rel": ("Association", "Association relationship 'value-on-flow'", flow),
    }
    shape = "ArchiMateRelationshipAllowedShape"
    assert found == {("Violation", shape, focus, _not_allowed(*parts)) for focus, parts in expected.items()}


def test_relationships_through_a_junction_are_checked_end_to_end() -> None:
    extra = """
m:j1 a am:Element ; am:identifier "j1" ; am:type "OrJunction" .
m:j2 a am:Element ; am:identifier "j2" ; am:type "AndJunction" .
m:j3 a am:Element ; am:identifier "j3" ; am:type "AndJunction" .
"""
    relationships = [
        # capability serves two stages through an Or junction: allowed
        ("in1", "Serving", "cap", "j1"),
        ("out1a", "Serving", "j1", "s1"),
        ("out1b", "Serving", "j1", "s2"),
        # capability serves a business object through an And junction: not allowed
        ("in2", "Serving", "cap", "j2"),
        ("out2", "Serving", "j2", "bo"),
        # a junction whose relationships differ in type
        ("in3", "Serving", "cap", "j3"),
        ("out3", "Flow", "j3", "s1"),
    ]
    found = _findings(_model(relationships, extra))
    allowed, junction = "ArchiMateRelationshipAllowedShape", "ArchiMateJunctionSameTypeShape"
    cap, bo = "Capability 'Credit assessment'", "BusinessObject 'Loan file'"
    through = (
        f"Serving from {cap} through junction j2 to {bo} is not allowed in ArchiMate 3.2 (Archi's relationship "
        "table). Use a relationship type the table allows between these two types, or connect different elements."
    )
    mixed = (
        "relationship meets junction j3, which also has a {} relationship; "
        "all relationships at a junction must have the same type in ArchiMate 3.2."
    )
    assert found == {
        ("Violation", "ArchiMateRelationshipThroughJunctionShape", "in2", through),
        # Archi's table itself refuses Serving from a junction to a business object
        ("Violation", allowed, "out2", _not_allowed("Serving", "AndJunction 'j2'", bo)),
        ("Violation", junction, "in3", "Serving " + mixed.format("Flow")),
        ("Violation", junction, "out3", "Flow " + mixed.format("Serving")),
    }


@pytest.mark.parametrize("kind", ["Serving", "Flow"])
def test_unknown_types_are_left_to_the_importer(kind: str) -> None:
    """A type outside the table (the importers refuse those) gives no relationship finding rather than a guess."""
    extra = 'm:odd a am:Element ; am:identifier "odd" ; am:type "NotAType" ; am:name "Odd" .'
    graph = _model([("r", kind, "cap", "odd"), ("r2", "Connects", "cap", "s1")], extra)
    assert _findings(graph) == set()


# --- through the CLI and the service --------------------------------------------------------------------------------

BAD_SERVE = [("serve", "Serving", "cap", "s1"), ("bad-serve", "Serving", "cap", "bo")]
BAD_SERVE_MESSAGE = _not_allowed("Serving", "Capability 'Credit assessment'", "BusinessObject 'Loan file'")


def test_vskg_validate_reports_the_relationship(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from vskg.cli import app

    path = tmp_path / "model.ttl"
    _model(BAD_SERVE).serialize(path, format="turtle")
    result = CliRunner().invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output
    body = json.loads(result.output)
    assert [(r["focus_node"], r["message"]) for r in body["results"]] == [(M + "bad-serve", BAD_SERVE_MESSAGE)]


def test_validate_endpoint_reports_the_relationship(live_server) -> None:
    import httpx

    text = _model(BAD_SERVE).serialize(format="turtle").encode("utf-8")
    with httpx.Client(base_url=live_server.url, timeout=120) as http:
        answer = http.post("/validate", content=text, headers={"Content-Type": "text/turtle"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["conforms"] is False
    assert [(r["severity"], r["focus_node"], r["source_shape"], r["message"]) for r in body["results"]] == [
        ("Violation", M + "bad-serve", VSKGSH + "ArchiMateRelationshipAllowedShape", BAD_SERVE_MESSAGE)
    ]


def test_a_real_exchange_file_passes_archis_table() -> None:
    """The Visual Paradigm export (46 relationships of 11 types) breaks no rule, as Archi also finds."""
    from pyoxigraph import RdfFormat, Triple, serialize

    from vskg.archimate.importer import build_import

    path = RULES.parent / "aoeff31-visual-paradigm.xml"
    quads, summary = build_import(path.read_bytes(), path.name)
    assert summary.relationship_count == 46
    graph = rdflib.Graph()
    text = serialize([Triple(q.subject, q.predicate, q.object) for q in quads], format=RdfFormat.N_TRIPLES)
    graph.parse(data=text.decode("utf-8"), format="nt")
    assert [f for f in validate_graph(graph).findings if "ArchiMate" in f.source_shape] == []
