"""vskg: the value stream knowledge graph.

The package bundles an OWL ontology, SKOS schemes, SHACL shapes, the source article's industry examples and a
catalogue of SPARQL queries, and gives architects a small set of verbs over them: validate, query, check.
"""

__version__ = "0.1.0"
