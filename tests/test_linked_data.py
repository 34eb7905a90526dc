"""/id/{path}: every IRI of the vskg namespace resolves on the server, as HTML or RDF by content negotiation."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pyoxigraph
import pytest
import rdflib
from lxml import html as lxml_html

from tests.server import LiveServer
from vskg.keys import id_path

VSKG = rdflib.Namespace("https://w3id.org/vskg/ontology#")
STAGE = "https://w3id.org/vskg/data/banking/credit-checks"
STAGE_PATH = "/id/data/banking/credit-checks"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        yield http


def expected_graph(store: pyoxigraph.Store, iri: str) -> rdflib.Graph:
    """What the store says with the IRI as subject or as object, over all its graphs (no blank nodes here)."""
    found = store.query(
        f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}",
        use_default_graph_as_union=True,
    )
    text = pyoxigraph.serialize(found, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=text, format="nt")


def same_triples(one: rdflib.Graph, other: rdflib.Graph) -> bool:
    """Equal as RDF: literals compared by value, since Turtle writes the decimal 2 as 2.0 (no blank nodes here)."""

    def normal(graph: rdflib.Graph) -> set:
        def term(node):
            return (node.toPython(), node.datatype, node.language) if isinstance(node, rdflib.Literal) else node

        return {(s, p, term(o)) for s, p, o in graph}

    return normal(one) == normal(other)


def get(client: httpx.Client, path: str, accept: str) -> httpx.Response:
    response = client.get(path, headers={"Accept": accept})
    assert response.headers.get("vary") == "Accept", response.headers
    return response


def test_a_stage_as_turtle_is_its_description(client: httpx.Client, store: pyoxigraph.Store) -> None:
    response = get(client, STAGE_PATH, "text/turtle")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert list(graph.objects(rdflib.URIRef(STAGE), VSKG.stageOrder)) == [rdflib.Literal(4)]
    assert same_triples(graph, expected_graph(store, STAGE))
    # the stream that has the stage is there too: the triples that point at it are part of the answer
    assert (
        rdflib.URIRef("https://w3id.org/vskg/data/banking/mortgage-lending"),
        VSKG.hasStage,
        rdflib.URIRef(STAGE),
    ) in graph
    assert "@prefix vskg: <https://w3id.org/vskg/ontology#> ." in response.text


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # inside rdflib's parser
def test_json_ld_and_n_triples_carry_the_same_triples(client: httpx.Client) -> None:
    turtle = rdflib.Graph().parse(data=get(client, STAGE_PATH, "text/turtle").text, format="turtle")
    jsonld = get(client, STAGE_PATH, "application/ld+json")
    assert jsonld.status_code == 200
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert json.loads(jsonld.text)["@context"]["vskg"] == "https://w3id.org/vskg/ontology#"
    assert same_triples(rdflib.Graph().parse(data=jsonld.text, format="json-ld"), turtle)
    ntriples = get(client, STAGE_PATH, "application/n-triples")
    assert ntriples.status_code == 200
    assert ntriples.headers["content-type"].startswith("application/n-triples")
    assert same_triples(rdflib.Graph().parse(data=ntriples.text, format="nt"), turtle)
    assert len(turtle) == len(ntriples.text.strip().splitlines())


def test_a_browser_gets_a_page_listing_the_triples(client: httpx.Client, store: pyoxigraph.Store) -> None:
    response = get(client, STAGE_PATH, BROWSER)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    doc = lxml_html.fromstring(response.text)
    assert doc.xpath("//h1")[0].text == "Credit checks"
    rows = {}
    for dt in doc.xpath("//section[@id='statements']/dl/dt"):
        dd = dt.getnext()
        rows[dt.xpath("string(.//@title)")] = [" ".join(div.text_content().split()) for div in dd.xpath("./div")]
    assert rows[str(VSKG.stageOrder)] == ["4 xsd:integer"]
    assert rows[str(VSKG.leadTimeHours)] == ["2 xsd:decimal"]
    assert rows[str(rdflib.RDFS.label)] == ["Credit checks @en"]
    outgoing = expected_graph(store, STAGE).predicates(rdflib.URIRef(STAGE))
    assert set(rows) == {str(p) for p in outgoing}
    # links go to the page of a capability, and to /id/ for a resource without one
    enabled = doc.xpath(f"//dt[.//@title='{VSKG.enabledBy}']/following-sibling::dd[1]//a")[0]
    assert enabled.get("href") == "/capabilities/banking/credit-risk-assessment"
    following = doc.xpath(f"//dt[.//@title='{VSKG.nextStage}']/following-sibling::dd[1]//a")[0]
    assert following.get("href") == "/id/data/banking/property-valuation"
    pointing = {
        (tr.xpath("string(./td[1]//@title)"), tr.xpath("string(./td[2]//@title)"))
        for tr in doc.xpath("//table[@class='incoming']/tbody/tr")
    }
    expected = {(str(s), str(p)) for s, p, o in expected_graph(store, STAGE) if o == rdflib.URIRef(STAGE)}
    assert pointing == expected
    stream_link = doc.xpath(
        "//table[@class='incoming']//a[@title='https://w3id.org/vskg/data/banking/mortgage-lending']"
    )
    assert stream_link[0].get("href") == "/streams/banking/mortgage-lending"


def test_resources_with_a_page_send_browsers_there(client: httpx.Client) -> None:
    for path, target in [
        ("/id/data/banking/mortgage-lending", "/streams/banking/mortgage-lending"),
        ("/id/data/banking/customer-onboarding", "/capabilities/banking/customer-onboarding"),
        ("/id/data/banking/cloud-platform", "/systems/banking/cloud-platform"),
        ("/id/ontology", "/ontology"),
    ]:
        response = get(client, path, BROWSER)
        assert (response.status_code, response.headers["location"]) == (303, target)
    assert get(client, "/id/data/banking/mortgage-lending?format=html", BROWSER).status_code == 200
    turtle = get(client, "/id/data/banking/mortgage-lending", "text/turtle")
    assert turtle.status_code == 200
    assert turtle.headers["content-type"].startswith("text/turtle")


def test_format_parameter_overrides_the_accept_header(client: httpx.Client) -> None:
    response = get(client, STAGE_PATH + "?format=turtle", BROWSER)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    wrong = client.get(STAGE_PATH + "?format=docx")
    assert wrong.status_code == 400
    assert wrong.json()["error"]["message"].startswith("format must be one of html, turtle")


def test_a_scheme_concept_resolves(client: httpx.Client) -> None:
    response = get(client, "/id/scheme/mca/Strategy", "text/turtle")
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    labels = {
        str(o) for o in graph.objects(rdflib.URIRef("https://w3id.org/vskg/scheme/mca/Strategy"), rdflib.SKOS.prefLabel)
    }
    assert labels == {"Strategy"}


def test_unacceptable_media_type_is_406(client: httpx.Client) -> None:
    response = get(client, STAGE_PATH, "image/png")
    assert response.status_code == 406
    assert response.json()["error"] == {
        "status": 406,
        "message": "this resource is available as text/html, text/turtle, application/ld+json, application/n-triples",
    }


def test_an_iri_the_store_knows_nothing_about_is_404(client: httpx.Client) -> None:
    path = "/id/data/banking/no-such-thing"
    message = "the store holds no triple about <https://w3id.org/vskg/data/banking/no-such-thing>"
    as_rdf = get(client, path, "text/turtle")
    assert (as_rdf.status_code, as_rdf.json()) == (404, {"error": {"status": 404, "message": message}})
    as_page = get(client, path, BROWSER)
    assert as_page.status_code == 404
    assert as_page.headers["content-type"] == "text/html; charset=utf-8"
    doc = lxml_html.fromstring(as_page.text)
    assert doc.get_element_by_id("not-found-message").text == message


def test_every_iri_of_the_bundled_model_resolves(client: httpx.Client, store: pyoxigraph.Store) -> None:
    """Each subject in the vskg namespace answers at /id/: with its triples, or (hash terms) in its document's."""
    subjects = [
        row["s"].value
        for row in store.query(
            'SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "https://w3id.org/vskg/")) }',
            use_default_graph_as_union=True,
        )
    ]
    assert len(subjects) > 1000
    documents: dict[str, set[str]] = {}
    for iri in subjects:
        documents.setdefault(id_path(iri).partition("#")[0], set()).add(iri)
    for path, iris in documents.items():
        response = client.get(path, headers={"Accept": "application/n-triples"})
        if path == "/id/ontology":
            assert (response.status_code, response.headers["location"]) == (303, "/ontology")
            continue
        assert response.status_code == 200, path
        described = {t.subject.value for t in pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.N_TRIPLES)}
        assert iris <= described, path


def test_a_vocabulary_document_describes_its_hash_terms(client: httpx.Client) -> None:
    element = rdflib.URIRef("https://w3id.org/vskg/archimate#Element")
    turtle = get(client, "/id/archimate", "text/turtle")
    assert turtle.status_code == 200
    assert "@prefix am: <https://w3id.org/vskg/archimate#> ." in turtle.text
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (element, rdflib.RDF.type, rdflib.OWL.Class) in graph
    page = lxml_html.fromstring(get(client, "/id/archimate", BROWSER).text)
    (term,) = page.xpath("//section[@id='Element']")
    assert term.xpath("./h3")[0].text.strip() == "ArchiMate element"
