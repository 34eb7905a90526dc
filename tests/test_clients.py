"""Real SPARQL clients against a live server: SPARQLWrapper, rdflib's SPARQLStore and SPARQLUpdateStore."""

from __future__ import annotations

import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

from tests.server import LiveServer
from tests.test_examples import EXAMPLES

STREAM = "https://w3id.org/vskg/data/banking/mortgage-lending"
STAGES = f"""
PREFIX vskg: <https://w3id.org/vskg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?order ?label WHERE {{
  <{STREAM}> vskg:hasStage ?stage . ?stage vskg:stageOrder ?order ; rdfs:label ?label .
}} ORDER BY ?order
"""
ARTICLE_ORDER = EXAMPLES["Mortgage lending"]


def test_sparqlwrapper_select_in_json_and_xml(live_server: LiveServer) -> None:
    client = SPARQLWrapper(f"{live_server.url}/sparql")
    client.setQuery(STAGES)
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]
    assert [r["label"]["value"] for r in rows] == ARTICLE_ORDER
    assert [r["order"]["datatype"] for r in rows] == ["http://www.w3.org/2001/XMLSchema#integer"] * 8
    client.setReturnFormat(XML)
    document = client.queryAndConvert()
    literals = document.getElementsByTagName("literal")
    labels = [node.firstChild.data for node in literals if not node.getAttribute("datatype")]
    assert labels == ARTICLE_ORDER


def test_sparqlwrapper_post_csv_and_construct(live_server: LiveServer) -> None:
    client = SPARQLWrapper(f"{live_server.url}/sparql")
    client.setMethod(POST)
    client.setQuery(STAGES)
    client.setReturnFormat(CSV)
    lines = client.queryAndConvert().decode().splitlines()
    assert lines[0] == "order,label"
    assert lines[1:] == [f"{i},{label}" for i, label in enumerate(ARTICLE_ORDER, start=1)]
    client.setQuery(f"CONSTRUCT {{ <{STREAM}> ?p ?o }} WHERE {{ <{STREAM}> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert (rdflib.URIRef(STREAM), rdflib.RDFS.label, rdflib.Literal("Mortgage lending", lang="en")) in graph


def test_rdflib_sparqlstore_reads_the_union_graph(live_server: LiveServer) -> None:
    graph = rdflib.Graph(store=SPARQLStore(f"{live_server.url}/sparql", returnFormat="json"))
    rows = list(graph.query(STAGES))
    assert [str(row.label) for row in rows] == ARTICLE_ORDER
    vskg = rdflib.Namespace("https://w3id.org/vskg/ontology#")
    assert (rdflib.URIRef(STREAM), rdflib.RDF.type, vskg.ValueStream) not in graph  # no reasoning: not asserted
    assert (
        rdflib.URIRef(STREAM),
        rdflib.RDF.type,
        rdflib.URIRef("https://w3id.org/vskg/ontology#StrategicValueStream"),
    ) in graph


def test_rdflib_sparqlupdatestore_writes_a_named_graph_and_reads_it_back(live_server: LiveServer) -> None:
    store = SPARQLUpdateStore(
        query_endpoint=f"{live_server.url}/sparql",
        update_endpoint=f"{live_server.url}/update",
        returnFormat="json",
        headers={"Authorization": f"Bearer {live_server.token}"},
    )
    name = rdflib.URIRef("urn:vskg:test:client-graph")
    graph = rdflib.Graph(store=store, identifier=name)
    triple = (rdflib.URIRef("urn:vskg:test:a"), rdflib.RDFS.label, rdflib.Literal("written by rdflib", lang="en"))
    graph.add(triple)
    assert triple in graph
    assert len(graph) == 1
    graph.remove(triple)
    assert len(graph) == 0
