"""`vskg docs -o DIR`: pyLODE pages of the ontology and of every concept scheme, an index, and no network use.

The pages are written once for the module (with outgoing connections refused and recorded) and every test reads
them; what each page must list is worked out here from the bundled files with rdflib.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
import rdflib
from rdflib import DCTERMS, OWL, RDF, SKOS, URIRef
from typer.testing import CliRunner

from vskg.cli import app
from vskg.docs import DocsError, render_scheme
from vskg.resources import Bundle, locate

BUNDLE = locate()
SCHEMES = [path.stem for path in BUNDLE.schemes]


@dataclass(frozen=True)
class Written:
    folder: Path
    exit_code: int
    stdout: str
    connections: list
    pylode_before: list[str]
    pylode_after: list[str]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    import pylode.utils

    folder = tmp_path_factory.mktemp("docs") / "site"
    connections: list = []

    def refuse(_sock: socket.socket, address: object) -> None:
        connections.append(address)
        raise OSError("this test refuses network connections")

    def no_lookup(host: object, *args: object, **kwargs: object) -> list:
        connections.append(host)
        raise socket.gaierror("this test refuses name lookups")

    before = sorted(p.name for p in pylode.utils.RDF_FOLDER.iterdir())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket.socket, "connect_ex", refuse)
        patch.setattr(socket, "getaddrinfo", no_lookup)
        result = CliRunner().invoke(app, ["docs", "-o", str(folder)])
    after = sorted(p.name for p in pylode.utils.RDF_FOLDER.iterdir())
    return Written(folder, result.exit_code, result.stdout, connections, before, after)


def page(written: Written, relative: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((written.folder / relative).read_bytes())


def entries(doc: lxml.html.HtmlElement, section: str) -> dict[str, str]:
    """IRI -> heading of every entry pyLODE lists in a section (classes, objectproperties, concepts ...)."""
    found = {}
    for entry in doc.xpath(f"//div[@id='{section}']/div[contains(concat(' ', @class, ' '), ' entity ')]"):
        iri = entry.xpath("./table/tr[1]/td/code/text()")[0]
        found[iri] = entry.xpath("./h3/text()")[0].strip()
    return found


def typed(graph: rdflib.Graph, kind: URIRef) -> set[str]:
    return {str(s) for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}


def test_the_command_writes_the_index_the_ontology_and_one_page_per_scheme(written: Written) -> None:
    assert written.exit_code == 0, written.stdout
    expected = {"index.html", "ontology.html", *(f"schemes/{name}.html" for name in SCHEMES)}
    on_disk = {str(p.relative_to(written.folder)) for p in written.folder.rglob("*") if p.is_file()}
    assert on_disk == expected
    assert {"mca", "maturity", "safe", "itil4", "industry"} <= set(SCHEMES)
    lines = written.stdout.splitlines()
    assert sorted(lines[:-1]) == sorted(f"wrote {written.folder / name}" for name in expected)
    assert lines[-1] == f"{2 + len(SCHEMES)} pages in {written.folder}; open {written.folder / 'index.html'}"


def test_documenting_opens_no_connection_and_writes_nothing_into_pylode(written: Written) -> None:
    assert written.exit_code == 0
    assert written.connections == []
    assert written.pylode_after == written.pylode_before


def test_the_ontology_page_has_one_entry_per_owl_class(written: Written, bundle: Bundle) -> None:
    ontology = rdflib.Graph().parse(bundle.ontology)
    doc = page(written, "ontology.html")
    classes = entries(doc, "classes")
    assert len(classes) == len(typed(ontology, OWL.Class))
    assert set(classes) == typed(ontology, OWL.Class)
    assert classes["https://w3id.org/vskg/ontology#ValueStreamStage"] == "Value stream stage"
    # the anchor is the local name, so /ontology#ValueStreamStage (where /id/ontology leads) finds the entry
    assert doc.xpath("//div[@id='ValueStreamStage']/h3/text()")[0].strip() == "Value stream stage"
    own = [c for c in classes if c.startswith("https://w3id.org/vskg/ontology#")]
    for iri in own:
        assert doc.xpath(f"//div[@id='classes']/div[.//code='{iri}']/@id") == [iri.split("#")[1]]
    assert set(entries(doc, "objectproperties")) == typed(ontology, OWL.ObjectProperty)
    assert set(entries(doc, "datatypeproperties")) == typed(ontology, OWL.DatatypeProperty)
    assert doc.xpath("//title/text()") == [str(ontology.value(URIRef("https://w3id.org/vskg/ontology"), DCTERMS.title))]


def test_datatype_restrictions_are_written_out_not_linked_to_blank_nodes(written: Written) -> None:
    doc = page(written, "ontology.html")
    stage = doc.xpath("//div[@id='classes']/div[.//code='https://w3id.org/vskg/ontology#ValueStreamStage']")[0]
    restrictions = stage.xpath(".//span[@class='datarange']/ancestor::span[span[@class='cardinality']][1]/..")
    assert sorted(" ".join(r.text_content().split()) for r in restrictions) == [
        "lead time (hours) dp only xsd:decimal[>= 0] c",
        "percent complete and accurate dp only xsd:decimal[>= 0, <= 100] c",
        "process time (hours) dp only xsd:decimal[>= 0] c",
        "stage order dp only xsd:integer[>= 1] c",
    ]
    assert re.findall(r"\bn[0-9a-f]{32}", (written.folder / "ontology.html").read_text("utf-8")) == []  # rdflib's ids


@pytest.mark.parametrize("name", SCHEMES)
def test_each_scheme_page_lists_its_concepts_by_preferred_label(written: Written, name: str) -> None:
    scheme = rdflib.Graph().parse(BUNDLE.root / "ontology" / "schemes" / f"{name}.ttl")
    doc = page(written, f"schemes/{name}.html")
    concepts = entries(doc, "concepts")
    assert set(concepts) == typed(scheme, SKOS.Concept)
    anchors = {e.xpath("./table/tr[1]/td/code/text()")[0]: e.get("id") for e in doc.xpath("//div[@id='concepts']/div")}
    assert anchors == {iri: iri.rsplit("/", 1)[1] for iri in concepts}
    assert concepts == {str(c): str(scheme.value(c, SKOS.prefLabel)) for c in scheme.subjects(RDF.type, SKOS.Concept)}


def test_mca_page_shows_the_scheme_title_once_and_the_concepts_notations(written: Written) -> None:
    doc = page(written, "schemes/mca.html")
    assert [h.text_content() for h in doc.xpath("//div[@id='metadata']/h1")] == [
        "Maintained Competitive Advantage dimensions"
    ]
    strategy = doc.xpath("//div[@id='concepts']/div[.//code='https://w3id.org/vskg/scheme/mca/Strategy']")[0]
    rows = {row.xpath("string(./th)").strip(): row.xpath("string(./td)").strip() for row in strategy.xpath(".//tr")}
    assert rows["Notation"] == "MCA-1"
    toc = doc.xpath("//div[@id='toc']//a[@href='#concepts']/../../ul/li/a/text()")
    assert toc == [
        "Culture and People",
        "Execution and Ways of Working",
        "Leadership",
        "Strategic Architecture",
        "Strategy",
    ]


def test_every_link_between_pages_leads_to_a_written_page(written: Written) -> None:
    pages = ["index.html", "ontology.html", *(f"schemes/{name}.html" for name in SCHEMES)]
    for relative in pages:
        doc = page(written, relative)
        local = [h for h in doc.xpath("//a/@href") if not urlsplit(h).scheme and not h.startswith("#")]
        targets = {(written.folder / relative).parent.joinpath(h).resolve() for h in local}
        assert targets == {(written.folder / p).resolve() for p in pages[1:]} | (
            {(written.folder / "index.html").resolve()} if relative != "index.html" else set()
        ), relative


def test_the_index_lists_every_scheme_with_its_number_of_concepts(written: Written) -> None:
    doc = page(written, "index.html")
    rows = doc.xpath("//table[@id='schemes']/tr[td]")
    listed = {row.xpath("./td[2]/text()")[0]: int(row.xpath("./td[3]/text()")[0]) for row in rows}
    counts = {}
    for name in SCHEMES:
        scheme = rdflib.Graph().parse(BUNDLE.root / "ontology" / "schemes" / f"{name}.ttl")
        counts[name] = len(typed(scheme, SKOS.Concept))
    assert listed == counts
    assert listed["mca"] == 5 and listed["maturity"] == 5


def test_a_file_in_the_way_is_a_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(app, ["docs", "-o", str(blocker)])
    assert result.exit_code == 2
    assert f"error: {blocker} exists and is not a folder" in result.stderr
    below = CliRunner().invoke(app, ["docs", "-o", str(blocker / "site")])
    assert below.exit_code == 2
    assert f"error: cannot create the folder {blocker / 'site'}: Not a directory" in below.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_a_broken_scheme_file_is_named_in_the_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<urn:x> a skos:Concept", "utf-8")
    with pytest.raises(DocsError, match=f"^cannot read {broken}: "):
        render_scheme(broken)
    untitled = tmp_path / "untitled.ttl"
    untitled.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<urn:s> a skos:ConceptScheme .\n", "utf-8"
    )
    with pytest.raises(DocsError) as problem:
        render_scheme(untitled)
    assert str(problem.value) == (
        f"pyLODE cannot document {untitled}: it has no title (dcterms:title, rdfs:label or skos:prefLabel)"
    )


def test_importing_the_docs_module_leaves_logging_alone() -> None:
    probe = "import logging; import vskg.docs; r = logging.getLogger(); print(r.level, len(r.handlers))"
    answer = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert answer.stdout == "30 0\n"
