"""/ontology, /ontology/schemes/{name} and /ontology/index: the vocabulary by content negotiation.

The routes never touch the store, so the application runs in-process (TestClient) over an empty store with one
query worker; every page and serialisation is produced once per module and compared with the bundled files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import pyoxigraph
import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib import OWL, RDF, SKOS, URIRef
from rdflib.compare import isomorphic

from vskg.resources import locate
from vskg.service.app import create_app
from vskg.service.settings import Settings
from vskg.store import LocalStore

BUNDLE = locate()
SCHEMES = {path.stem: path for path in BUNDLE.schemes}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
OFFERED = "text/turtle, text/html, application/rdf+xml, application/n-triples, application/ld+json"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("ontology-endpoint") / "store"
    LocalStore(folder).close()
    settings = Settings(store=folder, write_token=None, workers=1, allowed_hosts=("testserver",))  # TestClient's Host
    with TestClient(create_app(settings)) as http:
        yield http


def file_graph(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def parsed(body: bytes, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=body, format=fmt)


def error(response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["error"]["status"] == status
    return body["error"]["message"]


def test_turtle_is_the_bundled_file_and_the_default(client: TestClient) -> None:
    for accept in ("text/turtle", "*/*", None):
        response = client.get("/ontology", headers={"Accept": accept} if accept else {})
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/turtle; charset=utf-8"
        assert response.headers["vary"] == "Accept"
        assert response.content == BUNDLE.ontology.read_bytes()
    assert len(parsed(response.content, "turtle")) == len(file_graph(BUNDLE.ontology))


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [("application/rdf+xml", "xml"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")],
)
def test_other_syntaxes_carry_the_same_graph(client: TestClient, accept: str, fmt: str) -> None:
    response = client.get("/ontology", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == accept
    assert response.headers["vary"] == "Accept"
    graph = parsed(response.content, fmt)
    expected = file_graph(BUNDLE.ontology)
    assert len(graph) == len(expected)
    assert isomorphic(graph, expected)


@pytest.mark.parametrize(
    ("alias", "media"), [("application/xml", "application/rdf+xml"), ("text/plain", "application/n-triples")]
)
def test_generic_types_get_the_rdf_syntax_they_cover(client: TestClient, alias: str, media: str) -> None:
    response = client.get("/ontology", headers={"Accept": alias})
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    assert response.content == client.get("/ontology", headers={"Accept": media}).content


def test_browsers_get_the_pylode_page(client: TestClient) -> None:
    ontology = file_graph(BUNDLE.ontology)
    for accept in ("text/html", BROWSER):
        response = client.get("/ontology", headers={"Accept": accept})
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.headers["vary"] == "Accept"
    doc = lxml.html.fromstring(response.content)
    assert doc.xpath("//title/text()") == ["Value Stream Knowledge Graph ontology · vskg"]  # in the workbench frame
    classes = doc.xpath("//div[@id='classes']/div[contains(concat(' ', @class, ' '), ' entity ')]")
    owl_classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    assert len(classes) == len(owl_classes)
    stage = doc.xpath("//div[@id='classes']/div[.//code='https://w3id.org/vskg/ontology#ValueStreamStage']/h3")
    assert stage[0].text.strip() == "Value stream stage"


def test_a_format_nobody_offers_is_406(client: TestClient) -> None:
    for path in ("/ontology", "/ontology/schemes/mca"):
        response = client.get(path, headers={"Accept": "image/png"})
        assert error(response, 406) == f"this answer is available as {OFFERED}; ask for one of them in Accept"
        assert response.headers["vary"] == "Accept"
    index = client.get("/ontology/index", headers={"Accept": "text/turtle"})
    assert error(index, 406) == "this index is available as text/html only; ask for it in Accept"


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_each_scheme_as_rdf_and_as_a_page_of_its_concepts(client: TestClient, name: str) -> None:
    expected = file_graph(SCHEMES[name])
    turtle = client.get(f"/ontology/schemes/{name}", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.content == SCHEMES[name].read_bytes()
    xml = client.get(f"/ontology/schemes/{name}", headers={"Accept": "application/rdf+xml"})
    assert xml.headers["content-type"] == "application/rdf+xml"
    assert isomorphic(parsed(xml.content, "xml"), expected)
    page = client.get(f"/ontology/schemes/{name}", headers={"Accept": BROWSER})
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    doc = lxml.html.fromstring(page.content)
    listed = doc.xpath("//div[@id='concepts']/div/table/tr[1]/td/code/text()")
    assert sorted(listed) == sorted(str(c) for c in expected.subjects(RDF.type, SKOS.Concept))


def test_json_ld_of_a_scheme_is_json(client: TestClient) -> None:
    response = client.get("/ontology/schemes/maturity", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"] == "application/ld+json"
    nodes = {node["@id"]: node for node in json.loads(response.content)}
    level = nodes["https://w3id.org/vskg/scheme/maturity/Level1"]
    assert level["http://www.w3.org/2004/02/skos/core#notation"] == [{"@value": "1"}]


def test_unknown_scheme_is_404_naming_the_schemes(client: TestClient) -> None:
    response = client.get("/ontology/schemes/togaf", headers={"Accept": "text/html"})
    assert error(response, 404) == (
        "there is no concept scheme named 'togaf'; the schemes are archimate, bmm, dora, flow, industry, itil4, "
        "lean, maturity, mca, porter, safe (see /ontology/index)"
    )


def test_the_index_links_resolve_to_every_page(client: TestClient) -> None:
    response = client.get("/ontology/index", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    base = "http://testserver/ontology/index"
    # The links of the index itself, not those of the workbench's header around it.
    links = {urljoin(base, href) for href in lxml.html.fromstring(response.content).xpath("//article//a/@href")}
    assert links == {"http://testserver/ontology", *(f"http://testserver/ontology/schemes/{n}" for n in SCHEMES)}
    page = client.get("/ontology/schemes/porter", headers={"Accept": "text/html"})
    nav = lxml.html.fromstring(page.content).xpath("//nav[@id='vskg-nav']//a/@href")
    base = "http://testserver/ontology/schemes/porter"
    assert [urljoin(base, href) for href in nav[:2]] == [
        "http://testserver/ontology/index",
        "http://testserver/ontology",
    ]


def test_head_sends_the_headers_of_get(client: TestClient) -> None:
    got = client.get("/ontology/schemes/dora", headers={"Accept": "application/n-triples"})
    head = client.head("/ontology/schemes/dora", headers={"Accept": "application/n-triples"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(got.content))
    assert head.headers["content-type"] == "application/n-triples"


def test_other_methods_are_405(client: TestClient) -> None:
    response = client.post("/ontology", content=b"")
    assert error(response, 405) == "/ontology accepts GET, HEAD only; see /docs"
    assert response.headers["allow"] == "GET, HEAD"


def test_the_openapi_description_documents_the_forms(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths["/ontology"]) == {"get"}
    responses = paths["/ontology/schemes/{name}"]["get"]["responses"]
    assert list(responses["200"]["content"]) == OFFERED.split(", ")
    assert set(responses) == {"200", "400", "404", "406", "414", "431", "500"}
    assert list(paths["/ontology/index"]["get"]["responses"]["200"]["content"]) == ["text/html"]


# --- RDF/XML twin, ?format= and the version IRI ----------------------------------------------------------------

FORMAT_NAMES = "ttl, turtle, nt, rdf, owl, xml, jsonld, json, html, rdfxml, ntriples"


def test_ontology_owl_is_the_committed_rdfxml_whatever_accept_says(client: TestClient) -> None:
    for accept in ("application/rdf+xml", "text/html", "image/png", None):
        response = client.get("/ontology.owl", headers={"Accept": accept} if accept else {})
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/rdf+xml"
        assert response.content == BUNDLE.ontology_rdfxml.read_bytes()
    head = client.head("/ontology.owl")
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-length"] == str(BUNDLE.ontology_rdfxml.stat().st_size)
    assert error(client.post("/ontology.owl", content=b""), 405) == "/ontology.owl accepts GET, HEAD only; see /docs"


def test_rdfxml_asked_for_in_accept_is_the_same_twin(client: TestClient) -> None:
    response = client.get("/ontology", headers={"Accept": "application/rdf+xml"})
    assert response.content == BUNDLE.ontology_rdfxml.read_bytes()


@pytest.mark.parametrize(
    ("name", "media"),
    [
        ("ttl", "text/turtle; charset=utf-8"),
        ("turtle", "text/turtle; charset=utf-8"),
        ("owl", "application/rdf+xml"),
        ("rdf", "application/rdf+xml"),
        ("rdfxml", "application/rdf+xml"),
        ("xml", "application/rdf+xml"),
        ("jsonld", "application/ld+json"),
        ("json", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("ntriples", "application/n-triples"),
        ("NT", "application/n-triples"),
        ("html", "text/html; charset=utf-8"),
    ],
)
def test_format_parameter_overrides_accept(client: TestClient, name: str, media: str) -> None:
    accept = "text/html" if name != "html" else "text/turtle"
    response = client.get(f"/ontology?format={name}", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    expected = client.get("/ontology", headers={"Accept": media.split(";")[0]})
    assert response.content == expected.content


def test_format_parameter_works_on_schemes_too(client: TestClient) -> None:
    response = client.get("/ontology/schemes/dora?format=nt", headers={"Accept": "text/html"})
    assert response.headers["content-type"] == "application/n-triples"
    assert isomorphic(parsed(response.content, "nt"), file_graph(SCHEMES["dora"]))


def test_unknown_format_is_400_naming_the_allowed_values(client: TestClient) -> None:
    for path in ("/ontology", "/ontology/schemes/mca", "/id/ontology/0.1.0", "/id/ontology/9.9.9"):
        response = client.get(path, params={"format": "docx"})
        assert error(response, 400) == f"format must be one of {FORMAT_NAMES}; got 'docx'"


def _turtle_triples() -> list[tuple[str, str, str]]:
    return sorted(
        (str(t.subject), str(t.predicate), str(t.object))
        for t in pyoxigraph.parse(path=str(BUNDLE.ontology), format=pyoxigraph.RdfFormat.TURTLE)
        if not isinstance(t.subject, pyoxigraph.BlankNode) and not isinstance(t.object, pyoxigraph.BlankNode)
    )


def test_the_version_iri_answers_with_the_whole_versioned_ontology(client: TestClient) -> None:
    expected = file_graph(BUNDLE.ontology)
    version = expected.value(URIRef("https://w3id.org/vskg/ontology"), OWL.versionIRI)
    assert version == URIRef("https://w3id.org/vskg/ontology/0.1.0")
    triples = client.get("/id/ontology/0.1.0", headers={"Accept": "application/n-triples"})
    assert triples.status_code == 200
    assert triples.headers["content-type"] == "application/n-triples"
    statements = list(pyoxigraph.parse(triples.content, format=pyoxigraph.RdfFormat.N_TRIPLES))
    in_file = list(pyoxigraph.parse(path=str(BUNDLE.ontology), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(statements) == len(in_file) == len(expected)
    assert (
        sorted(
            (str(t.subject), str(t.predicate), str(t.object))
            for t in statements
            if not isinstance(t.subject, pyoxigraph.BlankNode) and not isinstance(t.object, pyoxigraph.BlankNode)
        )
        == _turtle_triples()
    )
    assert isomorphic(parsed(triples.content, "nt"), expected)
    turtle = client.get("/id/ontology/0.1.0", headers={"Accept": "text/turtle"})
    assert turtle.content == BUNDLE.ontology.read_bytes()
    assert client.get("/id/ontology/0.1.0?format=owl").content == BUNDLE.ontology_rdfxml.read_bytes()
    page = client.get("/id/ontology/0.1.0", headers={"Accept": BROWSER})
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert lxml.html.fromstring(page.content).xpath("//title/text()") == [
        "Value Stream Knowledge Graph ontology · vskg"
    ]


def test_another_version_is_404_naming_the_one_held(client: TestClient) -> None:
    response = client.get("/id/ontology/0.0.9", headers={"Accept": "text/turtle"})
    assert error(response, 404) == (
        "<https://w3id.org/vskg/ontology/0.0.9> is not the ontology this service holds; it has version IRI "
        "<https://w3id.org/vskg/ontology/0.1.0>"
    )


def test_the_openapi_description_documents_the_new_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert list(paths["/ontology.owl"]["get"]["responses"]["200"]["content"]) == ["application/rdf+xml"]
    versioned = paths["/id/ontology/{version}"]["get"]
    assert list(versioned["responses"]["200"]["content"]) == OFFERED.split(", ")
    assert set(versioned["responses"]) == {"200", "400", "404", "406", "414", "431", "500"}
    assert [p["name"] for p in paths["/ontology"]["get"]["parameters"]] == ["format"]
