"""Generate SHACL shapes for the relationships ArchiMate 3.2 allows, from Archi's relationship table.

Archi ships its allowed-relationship matrix as ``relationships.xml`` (one ``<source concept>`` per concept, one
``<target concept relations="cfgostv">`` per target, letters explained by ``relationships-keys.xml``). This module
reads those two files and writes ``shapes/archimate-relationships.ttl``; the Turtle file is committed, so the
installed product never needs the XML, nor this generator: it is a build-time tool in ``tools/``, outside the
``vskg`` package. Regenerate from the repository root with ``make shapes``, or::

    python tools/archimate_rules.py --rules tests/fixtures/archimate/external/rules \
        -o shapes/archimate-relationships.ttl

Design (compact and cheap to run):

- Three node shapes: ArchiMateRelationshipAllowedShape (the relationship's own ends),
  ArchiMateRelationshipThroughJunctionShape (the elements on either side of a junction) and
  ArchiMateJunctionSameTypeShape (one relationship type per junction). They only ever select ``am:Relationship``
  nodes (the RDF form of an imported ArchiMate model), so data without ArchiMate relationships costs one cheap
  query per shape.
- The whole matrix sits in the query as a text with one line per source concept
  (``#Capability: Capability=cfgostv CourseOfAction=forstv ...``), exactly as Archi's XML has it. The query finds
  the line of the source's type, the letters of the target's type and the letter of the relationship type: one
  string lookup per relationship instead of a join with thousands of rows.
- Each shape's SPARQL target (SHACL-AF, on because vskg validates with ``advanced=True``) runs the check once for
  the whole graph and selects only the relationships that break the rule; the SPARQL constraint, with the same
  query body, then runs on those alone to name source, target and type in the message. pyshacl parses a
  constraint's query again for every focus node (about 0.1 s for these), so a constraint on every relationship
  would cost minutes on a large model; this way a valid model of any size costs three queries.
- Names: the exchange format says ``Serving``, Archi's table ``ServingRelationship``; the key letters come from
  the keys file, so ``Serving`` -> ``ServingRelationship`` -> ``v``. ``AndJunction`` / ``OrJunction`` are
  Archi's ``Junction``; an end that is itself a relationship (a Value associated with a Flow) is Archi's
  ``Relationship`` concept. Ends whose type is not in the table are left alone (the importers refuse them).
- Junctions: Archi's table has a row and a column for ``Junction`` (for instance Serving from a junction to a
  business object is not allowed), and ArchiMate says a junction joins relationships of one type, the way Archi
  checks them. So a relationship touching a junction is checked against the Junction row/column like any other;
  in addition, for A -T-> J -T-> B (A and B not junctions) the pair A, B must allow T, reported on the
  relationship entering the junction; and a junction whose relationships differ in type is reported. Chains of
  junctions (J1 -> J2) are only checked link by link.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

SHAPES = "https://w3id.org/vskg/shapes#"
AM = "https://w3id.org/vskg/archimate#"
PREFIXES_NODE = "https://w3id.org/vskg/shapes/archimate-relationships"
JUNCTION_TYPES = ("AndJunction", "OrJunction")

REPO = Path(__file__).resolve().parent.parent
DEFAULT_RULES = REPO / "tests" / "fixtures" / "archimate" / "external" / "rules"  # Archi's table, copied in
DEFAULT_OUTPUT = REPO / "shapes" / "archimate-relationships.ttl"


@dataclass(frozen=True)
class Table:
    """Archi's matrix: version, letter -> exchange-format relationship name, source -> [(target, letters)]."""

    version: str
    letters: dict[str, str]
    rows: dict[str, list[tuple[str, str]]]

    def allowed(self, relationship: str, source: str, target: str) -> bool:
        """Does the table allow ``relationship`` (exchange name, e.g. "Serving") from ``source`` to ``target``?"""
        letter = {name: char for char, name in self.letters.items()}[relationship]
        return letter in dict(self.rows.get(source, [])).get(target, "")


def read_table(relationships: Path, keys: Path) -> Table:
    """Read Archi's relationships.xml and relationships-keys.xml (raises ValueError on a malformed table)."""
    key_root = ET.parse(keys).getroot()
    letters: dict[str, str] = {}
    for key in key_root.iter("key"):
        name = key.get("relationship", "")
        if not name.endswith("Relationship") or len(key.get("char", "")) != 1:
            raise ValueError(f"{keys}: unexpected key {ET.tostring(key, encoding='unicode').strip()}")
        letters[key.get("char")] = name.removesuffix("Relationship")
    root = ET.parse(relationships).getroot()
    rows: dict[str, list[tuple[str, str]]] = {}
    for source in root.iter("source"):
        targets = []
        for target in source.iter("target"):
            chars = target.get("relations", "")
            unknown = set(chars) - letters.keys()
            if unknown:
                raise ValueError(f"{relationships}: unknown letters {sorted(unknown)} for {source.get('concept')}")
            targets.append((target.get("concept"), "".join(sorted(chars))))
        rows[source.get("concept")] = sorted(targets)
    version = root.get("version", "")
    return Table(version=version, letters=dict(sorted(letters.items())), rows=dict(sorted(rows.items())))


def _literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _matrix_text(table: Table) -> str:
    """One line per source concept, ``#Source: Target=letters Target=letters ...``.

    "#" (inside a string literal, so no comment) marks each entry because pyshacl screens every query for MINUS
    and SERVICE, once per focus node, with regular expressions that scan from each line start to the next "#";
    without it each scan would run through the whole table.
    """
    lines = []
    for source, targets in table.rows.items():
        cells = " ".join(f"{target}={letters}" for target, letters in targets if letters)
        lines.append(f"                    #{source}: {cells} ")
    return "\n" + "\n".join(lines) + "\n                    #"


def _concepts_text(table: Table) -> str:
    return "#" + "#".join(table.rows) + "#"


def _letters_text(table: Table) -> str:
    return " " + " ".join(f"{name}={char}" for char, name in sorted(table.letters.items(), key=lambda i: i[1])) + " "


JUNCTION_FILTER = '("AndJunction", "OrJunction")'


def _name(var: str, out: str) -> str:
    """SPARQL binding ?out to one name of ?var: the smallest text (then language tag), else its identifier."""
    return f"""OPTIONAL {{
                    ?{var} am:name ?{var}Label .
                    FILTER NOT EXISTS {{
                        ?{var} am:name ?{var}Other .
                        FILTER (STR(?{var}Other) < STR(?{var}Label)
                            || (STR(?{var}Other) = STR(?{var}Label) && LANG(?{var}Other) < LANG(?{var}Label)))
                    }}
                }}
                OPTIONAL {{ ?{var} am:identifier ?{var}Id }}
                BIND (STR(COALESCE(?{var}Label, ?{var}Id, STR(?{var}))) AS ?{out})"""


def _ends(table: Table) -> str:
    """SPARQL that keeps only solutions where the table does not allow ?type from ?a to ?b, and names them."""
    concept = (
        'IF(EXISTS {{ ?{v} a am:Relationship }}, "Relationship", IF(?{v}Type IN ' + JUNCTION_FILTER + ', "Junction", '
        "?{v}Type))"
    )
    shown = 'IF(EXISTS {{ ?{v} a am:Relationship }}, CONCAT(?{v}Type, " relationship"), ?{v}Type)'
    return f"""?a am:type ?aType .
                ?b am:type ?bType .
                BIND (STRBEFORE(STRAFTER("{_letters_text(table)}", CONCAT(" ", ?type, "=")), " ") AS ?letter)
                BIND ({concept.format(v="a")} AS ?aConcept)
                BIND ({concept.format(v="b")} AS ?bConcept)
                BIND (STRBEFORE(STRAFTER(\'\'\'{_matrix_text(table)}\'\'\', CONCAT("#", ?aConcept, ": ")), "#") AS ?row)
                BIND (STRBEFORE(STRAFTER(CONCAT(" ", ?row), CONCAT(" ", ?bConcept, "=")), " ") AS ?allowed)
                FILTER (?letter != "" && ?row != "" && !CONTAINS(?allowed, ?letter))
                FILTER (CONTAINS("{_concepts_text(table)}", CONCAT("#", ?bConcept, "#")))
                BIND ({shown.format(v="a")} AS ?sourceType)
                BIND ({shown.format(v="b")} AS ?targetType)
                {_name("a", "sourceName")}
                {_name("b", "targetName")}"""


def _shape(name: str, label: str, comment: str, message: str, projection: str, body: str) -> str:
    """A node shape whose SPARQL target and SPARQL constraint share one query body.

    The target query runs once per validation and picks the relationships that break the rule; the constraint
    then runs only on those (pyshacl parses a constraint's query again for every focus node, so a constraint on
    every am:Relationship would cost a parse per relationship).
    """
    return f"""vskgsh:{name} a sh:NodeShape ;
    rdfs:label "{_literal(label)}"@en ;
    rdfs:comment "{_literal(comment)}"@en ;
    sh:target [
        a sh:SPARQLTarget ;
        sh:prefixes <{PREFIXES_NODE}> ;
        sh:select \"\"\"
            SELECT DISTINCT ?this
            WHERE {{
                {body}
            }}
        \"\"\"
    ] ;
    sh:severity sh:Violation ;
    sh:message "{_literal(message)}"@en ;
    sh:sparql [
        a sh:SPARQLConstraint ;
        sh:prefixes <{PREFIXES_NODE}> ;
        sh:select \"\"\"
            SELECT {projection}
            WHERE {{
                {body}
            }}
        \"\"\"
    ] .
"""


def render(table: Table) -> str:
    """The Turtle text of the shapes (deterministic: the same table always gives the same bytes)."""
    version = table.version
    junctions = JUNCTION_FILTER
    direct = f"""$this a am:Relationship ;
                    am:type ?type ;
                    am:source ?a ;
                    am:target ?b .
                {_ends(table)}"""
    through = f"""$this a am:Relationship ;
                    am:type ?type ;
                    am:source ?a ;
                    am:target ?junctionNode .
                ?junctionNode am:type ?junctionType .
                FILTER (?junctionType IN {junctions})
                ?out am:source ?junctionNode ;
                    am:type ?type ;
                    am:target ?b .
                FILTER NOT EXISTS {{ ?a am:type ?aJunction . FILTER (?aJunction IN {junctions}) }}
                FILTER NOT EXISTS {{ ?b am:type ?bJunction . FILTER (?bJunction IN {junctions}) }}
                {_ends(table)}
                OPTIONAL {{ ?junctionNode am:identifier ?junctionId }}
                BIND (STR(COALESCE(?junctionId, STR(?junctionNode))) AS ?junction)"""
    mixed = f"""$this a am:Relationship ;
                    am:type ?type ;
                    am:source|am:target ?junctionNode .
                ?junctionNode am:type ?junctionType .
                FILTER (?junctionType IN {junctions})
                ?other am:source|am:target ?junctionNode ;
                    am:type ?otherType .
                FILTER (?otherType != ?type)
                OPTIONAL {{ ?junctionNode am:identifier ?junctionId }}
                BIND (STR(COALESCE(?junctionId, STR(?junctionNode))) AS ?junction)"""
    table_name = f"ArchiMate {version} (Archi's relationship table)"
    fix = "Use a relationship type the table allows between these two types, or connect different elements."
    shapes = [
        _shape(
            "ArchiMateRelationshipAllowedShape",
            "ArchiMate relationship allowed between its ends",
            f"ArchiMate {version} allows each relationship type only between certain concept types; Archi's "
            "relationship table lists them, derivable relationships included. A relationship whose type the table "
            "does not list for the types of its source and target is reported. A junction end is allowed here and "
            "checked by ArchiMateRelationshipThroughJunctionShape.",
            f"{{?type}} from {{?sourceType}} '{{?sourceName}}' to {{?targetType}} '{{?targetName}}' is not allowed "
            f"in {table_name}. {fix}",
            "$this ?type ?sourceType ?sourceName ?targetType ?targetName",
            direct,
        ),
        _shape(
            "ArchiMateRelationshipThroughJunctionShape",
            "ArchiMate relationship allowed through a junction",
            "A junction only joins relationships; what counts is the element before it and the element after it. "
            "For a relationship from an element into a junction, each relationship of the same type leaving the "
            "junction for an element gives a pair that the relationship table must allow. Reported on the "
            "relationship entering the junction; chains of junctions are not followed.",
            f"{{?type}} from {{?sourceType}} '{{?sourceName}}' through junction {{?junction}} to {{?targetType}} "
            f"'{{?targetName}}' is not allowed in {table_name}. {fix}",
            "$this ?type ?sourceType ?sourceName ?junction ?targetType ?targetName",
            through,
        ),
        _shape(
            "ArchiMateJunctionSameTypeShape",
            "Relationships at a junction share one type",
            "An ArchiMate junction (And or Or) joins relationships of a single type; a junction with, say, a Serving "
            "relationship in and a Flow relationship out has no meaning, and Archi refuses to draw it.",
            f"{{?type}} relationship meets junction {{?junction}}, which also has a {{?otherType}} relationship; all "
            f"relationships at a junction must have the same type in ArchiMate {version}.",
            "$this ?type ?junction ?otherType",
            mixed,
        ),
    ]
    rows = sum(1 for targets in table.rows.values() for _, letters in targets if letters)
    header = f"""@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix am: <{AM}> .
@prefix vskgsh: <{SHAPES}> .

# GENERATED by tools/archimate_rules.py from Archi's relationship table (relationships.xml version {version},
# relationships-keys.xml): {len(table.rows)} concepts, {rows} source/target pairs with at least one allowed
# relationship type. Do not edit by hand; regenerate instead (tests/test_archimate_rules.py checks it matches).
#
# The shapes select am:Relationship nodes only (the RDF form of an imported ArchiMate model). Exchange-format
# names map onto Archi's: "Serving" is ServingRelationship, AndJunction and OrJunction are Junction, and an end
# that is itself a relationship is Archi's "Relationship" concept. The table sits in each query as one text line
# per source concept ("#Capability: Capability=cfgostv ..."), so a check is a string lookup, not a join. Each
# shape's SPARQL target runs once per validation and selects only the relationships that break its rule.

<{PREFIXES_NODE}> a owl:Ontology ;
    rdfs:label "vskg SHACL shapes for ArchiMate relationships"@en ;
    rdfs:comment "{_literal(f"Which relationships ArchiMate {version} allows between which concepts, generated from Archi's relationship table. The prefixes below are used by the SHACL-SPARQL targets and constraints of this file.")}"@en ;
    sh:declare [
        sh:prefix "am" ;
        sh:namespace "{AM}"^^xsd:anyURI
    ] .
"""  # noqa: E501
    return header + "".join("\n" + shape for shape in shapes)


def generate(rules: Path = DEFAULT_RULES) -> str:
    """The Turtle text generated from ``rules/archi-relationships-3.2.xml`` and ``archi-relationships-keys.xml``."""
    return render(read_table(rules / "archi-relationships-3.2.xml", rules / "archi-relationships-keys.xml"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="folder with Archi's relationship XML files")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="Turtle file to write")
    args = parser.parse_args(argv)
    text = generate(args.rules)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(text)} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
