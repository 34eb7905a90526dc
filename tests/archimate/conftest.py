"""Shared helpers for the ArchiMate tests: the Open Group XSDs (a local copy, offline) and counting XML."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "archimate"
EXTERNAL = FIXTURES / "external"  # third-party files, each with its source and licence noted
NS = {"a": "http://www.opengroup.org/xsd/archimate/3.0/"}


class _LocalXmlXsd(etree.Resolver):
    """The model XSD imports xml.xsd from w3.org; serve the local copy instead (no network)."""

    def resolve(self, url, pubid, context):
        if url and url.endswith("xml.xsd"):
            return self.resolve_filename(str(EXTERNAL / "xsd" / "xml.xsd"), context)
        return None


def _schema(name: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalXmlXsd())
    return etree.XMLSchema(etree.parse(str(EXTERNAL / "xsd" / name), parser))


@pytest.fixture(scope="session")
def model_schema() -> etree.XMLSchema:
    return _schema("archimate3_Model.xsd")


@pytest.fixture(scope="session")
def diagram_schema() -> etree.XMLSchema:
    return _schema("archimate3_Diagram.xsd")


def counts(xml: bytes) -> dict[str, int]:
    """Elements, relationships, property values and property definitions counted straight from exchange XML."""
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    return {
        "elements": len(root.xpath("a:elements/a:element", namespaces=NS)),
        "relationships": len(root.xpath("a:relationships/a:relationship", namespaces=NS)),
        "properties": len(  # on the model, elements and relationships (not those of views)
            root.xpath(
                "a:properties/a:property | a:elements/a:element/a:properties/a:property"
                " | a:relationships/a:relationship/a:properties/a:property",
                namespaces=NS,
            )
        ),
        "property_definitions": len(root.xpath("a:propertyDefinitions/a:propertyDefinition", namespaces=NS)),
    }


def validate(schema: etree.XMLSchema, xml: bytes) -> list[str]:
    document = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    schema.validate(document)
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
