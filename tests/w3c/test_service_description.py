"""The W3C SPARQL 1.1 Service Description test cases, run against the live vskg service.

Source: ``sparql/sparql11/service-description/`` in the public ``w3c/rdf-tests`` repository: three approved cases,
IRIs ``http://www.w3.org/2009/sparql/docs/tests/data-sparql11/service-description/manifest#<name>``. The manifest
gives only their names; what each checks follows the conformance section of the Service Description
recommendation (a GET on the endpoint with no query parameters returns RDF describing the service, which states
the endpoint's own URL with ``sd:endpoint`` and uses the ``sd:`` vocabulary as it is defined). Test function names
are the case names with ``_`` for ``-``.

Cases that differ and why: none.
"""

from __future__ import annotations

import pytest
import rdflib
from rdflib import RDF, Namespace, URIRef
from rdflib.compare import isomorphic
from w3c_support import W3C, media_type, parse_rdf

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

# The terms the Service Description vocabulary defines (recommendation, section 3).
SD_CLASSES = {
    "Service", "Language", "Function", "Aggregate", "EntailmentRegime", "EntailmentProfile", "GraphCollection",
    "Dataset", "Graph", "NamedGraph", "Feature",
}  # fmt: skip
SD_PROPERTIES = {
    "endpoint", "feature", "defaultEntailmentRegime", "entailmentRegime", "defaultSupportedEntailmentProfile",
    "supportedEntailmentProfile", "extensionFunction", "extensionAggregate", "languageExtension",
    "supportedLanguage", "propertyFeature", "defaultDataset", "defaultGraph", "availableGraphs", "resultFormat",
    "inputFormat", "namedGraph", "name", "graph",
}  # fmt: skip
SD_LANGUAGES = {"SPARQL10Query", "SPARQL11Query", "SPARQL11Update"}
SD_FEATURES = {"DereferencesURIs", "UnionDefaultGraph", "RequiresDataset", "EmptyGraphs", "BasicFederatedQuery"}
# Features the service must not claim: it never fetches IRIs and refuses SERVICE.
NOT_OFFERED = {SD.DereferencesURIs, SD.BasicFederatedQuery}


def describe(w3c: W3C, accept: str | None = None) -> tuple[object, rdflib.Graph]:
    headers = {"Accept": accept} if accept else {}
    response = w3c.http.get("/sparql", headers=headers)
    assert response.status_code == 200, f"{response.status_code}: {response.text}"
    return response, parse_rdf(response)


@pytest.fixture(scope="module")
def description(w3c: W3C) -> rdflib.Graph:
    return describe(w3c, "text/turtle")[1]


def test_has_endpoint_triple(w3c: W3C, description: rdflib.Graph) -> None:
    """The service description contains a matching sd:endpoint triple.

    <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/service-description/manifest#has-endpoint-triple>

    The description fetched from the endpoint must state ``?service sd:endpoint <endpoint URL>`` with the very
    URL the description was fetched from, and that service must be an ``sd:Service``.
    """
    endpoint = URIRef(f"{w3c.url}/sparql")
    services = set(description.subjects(SD.endpoint, endpoint))
    assert services, f"no sd:endpoint {endpoint}; found {sorted(description.objects(None, SD.endpoint))}"
    assert all((s, RDF.type, SD.Service) in description for s in services)


def test_returns_rdf(w3c: W3C) -> None:
    """A GET on the endpoint returns RDF.

    <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/service-description/manifest#returns-rdf>

    A GET of ``/sparql`` with no query must answer 200 with an RDF document: Turtle when no Accept header is sent
    (and for ``*/*``), JSON-LD when asked for; both must parse and carry the same graph.
    """
    plain, graph = describe(w3c)
    assert media_type(plain) == "text/turtle"
    assert len(graph) > 0
    anything, _ = describe(w3c, "*/*")
    assert media_type(anything) == "text/turtle"
    jsonld, as_jsonld = describe(w3c, "application/ld+json")
    assert media_type(jsonld) == "application/ld+json"
    assert isomorphic(graph, as_jsonld)


def test_conforms_to_schema(description: rdflib.Graph) -> None:
    """The service description conforms to the vocabulary's schema.

    <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/service-description/manifest#conforms-to-schema>

    Every ``sd:`` term used must be one the vocabulary defines, used in its place (classes as types, properties
    as predicates, languages as ``sd:supportedLanguage`` values, features as ``sd:feature`` values); the service
    must name SPARQL 1.1 Query as a supported language, its result formats must be IRIs, and it must not claim
    features it lacks (dereferencing IRIs, federated SERVICE).
    """
    ns = str(SD)
    for s, p, o in description:
        if str(p).startswith(ns):
            assert str(p)[len(ns) :] in SD_PROPERTIES, f"unknown property {p}"
        for term in (s, o):
            if isinstance(term, URIRef) and str(term).startswith(ns):
                name = str(term)[len(ns) :]
                assert name in SD_CLASSES | SD_LANGUAGES | SD_FEATURES | SD_PROPERTIES, f"unknown term {term}"
    for cls in description.objects(None, RDF.type):
        if str(cls).startswith(ns):
            assert str(cls)[len(ns) :] in SD_CLASSES, f"{cls} used as a class"
    services = set(description.subjects(RDF.type, SD.Service))
    assert services, "no sd:Service"
    for service in services:
        assert set(description.objects(service, SD.endpoint)), f"{service} has no sd:endpoint"
        languages = set(description.objects(service, SD.supportedLanguage))
        assert SD.SPARQL11Query in languages
        assert {str(lang)[len(ns) :] for lang in languages} <= SD_LANGUAGES
        features = set(description.objects(service, SD.feature))
        assert not features & NOT_OFFERED, f"claims {features & NOT_OFFERED}"
        for fmt in description.objects(service, SD.resultFormat):
            assert isinstance(fmt, URIRef), fmt
    for _, endpoint in description.subject_objects(SD.endpoint):
        assert isinstance(endpoint, URIRef), endpoint
