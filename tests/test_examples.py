"""Every industry example of the source article is in the bundled data, with the article's stages in its order."""

from __future__ import annotations

import pyoxigraph
import pytest

from vskg.results import collect

STAGES = """
PREFIX vskg: <https://w3id.org/vskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?name ?order ?label ?added WHERE {
  ?stream a ?kind ; rdfs:label ?streamLabel ; vskg:hasStage ?stage .
  ?kind rdfs:subClassOf* vskg:ValueStream .
  FILTER(STR(?streamLabel) = ?name)
  ?stage rdfs:label ?label ; vskg:stageOrder ?order ; vskg:addedToCompleteFlow ?added .
} ORDER BY ?order ?label
"""

# The stage names the article gives, in the order it gives them; "+" marks a stage the modeller added to
# complete the flow (the article names the stream but not that step).
EXAMPLES = {
    "Mortgage lending": [
        "Explore mortgage options",
        "Application submission",
        "Affordability assessment",
        "Credit checks",
        "Property valuation",
        "Underwriting",
        "Legal completion",
        "Release of funds",
    ],
    "Citizen service delivery": [
        "+Claim submission",
        "Identity verification",
        "Eligibility assessment",
        "Case management",
        "Payment",
    ],
    "Product discovery to delivery": ["Product discovery", "Purchase", "Fulfilment", "Delivery"],
    "Product returns and exchanges": [
        "+Return initiation",
        "+Return receipt and inspection",
        "+Refund or exchange",
        "+Restock or disposal",
    ],
    "Exploration to export": [
        "Geological analysis",
        "Drilling operations",
        "Reservoir management",
        "Pipeline infrastructure",
        "Shipping logistics",
    ],
    "Passenger journey": [
        "Flight search",
        "Booking",
        "Ticketing",
        "Airport operations",
        "Baggage handling",
        "Boarding",
        "Flight operations",
        "Arrival services",
    ],
    "Digital connectivity": [
        "+Order capture",
        "Network engineering",
        "Customer provisioning",
        "Billing",
        "Service assurance",
    ],
    "Product lifecycle": [
        # The article's three activities on separate cycles run in parallel: one position, ordered by name.
        "Infrastructure capacity planning",
        "Marketing planning",
        "Product management",
        "+Development and deployment",
        "+Product launch",
    ],
    "Product innovation": ["+Discover", "+Validate", "+Build", "+Release", "+Learn"],
    "Platform reliability": ["+Detect", "+Respond", "+Restore", "+Learn from incident", "+Harden"],
    "Developer ecosystem growth": [
        "+Discover platform",
        "+Onboard developer",
        "+Build first integration",
        "+Publish integration",
        "+Grow adoption",
    ],
    "Enterprise integration": ["+Scope", "+Design", "+Integrate", "+Certify", "+Operate"],
}


@pytest.mark.parametrize("stream", sorted(EXAMPLES))
def test_stream_has_the_articles_stages_in_order(store: pyoxigraph.Store, stream: str) -> None:
    result = store.query(
        STAGES,
        use_default_graph_as_union=True,
        substitutions={pyoxigraph.Variable("name"): pyoxigraph.Literal(stream)},
    )
    stages = [("+" if row["added"] == "true" else "") + row["label"] for row in collect(result).values()]
    assert stages == EXAMPLES[stream]


def test_the_platform_company_runs_a_portfolio_of_exactly_the_four_article_streams(store: pyoxigraph.Store) -> None:
    query = """
    PREFIX vskg: <https://w3id.org/vskg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?portfolio ?stream WHERE {
      ?portfolio a vskg:ValueStreamPortfolio ; vskg:includesStream|^vskg:inPortfolio ?s .
      ?s a vskg:StrategicValueStream ; rdfs:label ?label . BIND(STR(?label) AS ?stream)
    } ORDER BY ?stream
    """
    rows = collect(store.query(query, use_default_graph_as_union=True)).values()
    assert [r["stream"] for r in rows] == [
        "Developer ecosystem growth",
        "Enterprise integration",
        "Platform reliability",
        "Product innovation",
    ]
    assert {r["portfolio"] for r in rows} == {"https://w3id.org/vskg/data/platform/portfolio"}


def test_every_example_stream_is_traced_to_the_article(store: pyoxigraph.Store) -> None:
    query = """
    PREFIX vskg: <https://w3id.org/vskg/ontology#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?label (COUNT(?example) AS ?examples) WHERE {
      ?stream a vskg:StrategicValueStream ; rdfs:label ?l ;
              prov:wasDerivedFrom <https://w3id.org/vskg/source/value-streams-explained> .
      BIND(STR(?l) AS ?label)
      ?example a vskg:IndustryExample ; vskg:illustrates ?stream ;
               prov:wasDerivedFrom <https://w3id.org/vskg/source/value-streams-explained> .
    } GROUP BY ?label ORDER BY ?label
    """
    rows = collect(store.query(query, use_default_graph_as_union=True)).values()
    assert [(r["label"], r["examples"]) for r in rows] == [(name, "1") for name in sorted(EXAMPLES)]
