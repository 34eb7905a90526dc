"""The ontology documentation inside the workbench: the site's header and a way back, vskg's own terms before the
imported ones (in each section and in the table of contents), and pyLODE's own files left as they were."""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html
import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib import OWL, RDF, URIRef

from vskg.docs import served_site
from vskg.resources import locate
from vskg.service.app import create_app
from vskg.service.settings import Settings
from vskg.store import LocalStore
from vskg.web.ontology_frame import IMPORTED, frame

OWN = "https://w3id.org/vskg/"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("ontology-frame") / "store"
    LocalStore(folder).close()
    settings = Settings(store=folder, write_token=None, workers=1, allowed_hosts=("testserver",))
    with TestClient(create_app(settings)) as http:
        yield http


@pytest.fixture(scope="module")
def ontology_page(client: TestClient) -> lxml.html.HtmlElement:
    response = client.get("/ontology", headers=HTML)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def entity_iris(section: lxml.html.HtmlElement) -> list[str]:
    return [
        div.xpath(".//table//td//code/text()")[0].strip()
        for div in section.xpath("./div[contains(concat(' ', @class, ' '), ' entity ')]")
    ]


def test_the_page_has_the_workbench_header_and_a_way_back(ontology_page: lxml.html.HtmlElement) -> None:
    header = ontology_page.xpath("//header[@class='site']")[0]
    assert header.xpath(".//a[@class='brand']/@href") == ["/"]
    assert header.xpath(".//nav/a[@aria-current='page']/text()") == ["Ontology"]
    assert ontology_page.xpath("//p[@class='kicker']/a/@href") == ["/", "/ontology/index"]
    assert ontology_page.xpath("//link[@rel='stylesheet']/@href") == [
        "/static/vskg.css",
        "/static/responsive.css",
        "/static/ontology.css",
    ]
    assert ontology_page.xpath("//style") == []  # pyLODE's own stylesheet is left out
    assert len(ontology_page.xpath("//aside[@class='ontology-toc']//a[@href='#classes']")) == 1


def test_vskg_terms_come_before_the_imported_ones(ontology_page: lxml.html.HtmlElement) -> None:
    ontology = rdflib.Graph().parse(locate().ontology, format="turtle")
    classes = {str(c) for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    (section,) = ontology_page.xpath("//div[@id='classes']")
    iris = entity_iris(section)
    assert sorted(iris) == sorted(classes)  # every class, each once
    own = [iri for iri in iris if iri.startswith(OWN)]
    assert iris[: len(own)] == own and len(own) < len(iris)
    assert iris[len(own)] == "http://qudt.org/schema/qudt/Unit"  # the first imported one, after vskg's
    heading = section.xpath("./p[@class='imported-heading']")
    assert [h.text for h in heading] == [IMPORTED]
    assert heading[0].getprevious().xpath(".//table//td//code/text()")[0].strip() == own[-1]
    for sid in ("objectproperties", "datatypeproperties"):
        (part,) = ontology_page.xpath(f"//div[@id='{sid}']")
        listed = entity_iris(part)
        mine = [iri for iri in listed if iri.startswith(OWN)]
        assert listed[: len(mine)] == mine
    toc = ontology_page.xpath("//aside//a[@href='#classes']/ancestor::li[1]/ul/li")
    names = [li.text_content().strip() for li in toc]
    assert names[0] == "Agile Release Train" and names[len(own)] == IMPORTED and names[len(own) + 1] == "Unit"


def test_the_index_and_a_scheme_page_are_framed_too(client: TestClient) -> None:
    for path in ("/ontology/index", "/ontology/schemes/mca"):
        doc = lxml.html.fromstring(client.get(path, headers=HTML).content)
        assert doc.xpath("//header[@class='site']//a[@class='brand']/@href") == ["/"], path
        assert doc.xpath("//footer[@class='site']"), path


def test_the_documents_themselves_stay_pylodes() -> None:
    page = served_site().ontology_html()
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and 'class="site"' not in page
    assert frame(page) is frame(page)  # framed once, then kept
