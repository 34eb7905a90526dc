"""Case 25: ``?format=`` on the ontology routes and the version in ``/id/ontology/{version}`` are only looked up.

``format`` selects one entry of a fixed table (never a file name, a serialiser name or a template), and the version
is compared with the ontology's own version IRI; neither reaches the file system, rdflib or the store. So a value
that tries path traversal, header injection, markup or a serialiser plugin name is a 400 that lists the allowed
values, an overlong value is echoed only cut short, an unknown version is a 404, and the server stays up with the
store unchanged.
"""

from __future__ import annotations

import httpx
import pytest

from tests.hostile.conftest import Survivor

ALLOWED = "ttl, turtle, nt, rdf, owl, xml, jsonld, json, html, rdfxml, ntriples"
ROUTES = ("/ontology", "/ontology/schemes/mca", "/id/ontology/0.1.0")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("../../../../etc/passwd", "'../../../../etc/passwd'"),
        ("ttl\r\nSet-Cookie: stolen=1", "'ttl\\r\\nSet-Cookie: stolen=1'"),
        ("ttl\u0000", "'ttl\\x00'"),
        ("<script>alert(1)</script>", "'<script>alert(1)</script>'"),
        ("pretty-xml", "'pretty-xml'"),  # an rdflib serialiser, but not a format this route offers
        ("trig", "'trig'"),  # a syntax vskg reads, but of datasets: not offered for one graph
        ("ttl ", "'ttl '"),
        ("x" * 20_000, f"'{'x' * 40}' (cut at 40 of 20000 characters)"),
    ],
)
def test_format_values_that_are_not_in_the_table_are_refused(survivor: Survivor, value: str, shown: str) -> None:
    for route in ROUTES:
        answer = httpx.get(f"{survivor.url}{route}", params={"format": value}, timeout=30)
        message = survivor.refused(answer, 400)
        assert message == f"format must be one of {ALLOWED}; got {shown}"
        assert "set-cookie" not in answer.headers


HELD = "is not the ontology this service holds; it has version IRI <https://w3id.org/vskg/ontology/0.1.0>"


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("0.1.0%00", f"<https://w3id.org/vskg/ontology/0.1.0\\x00> {HELD}"),
        ("0.1.0%0D%0ASet-Cookie:%20x=1", f"<https://w3id.org/vskg/ontology/0.1.0\\r\\nSet-Cookie: x=1> {HELD}"),
        ("9" * 5_000, f"<https://w3id.org/vskg/ontology/{'9' * 31}...> {HELD}"),
        # an encoded slash is a slash to the router: the generic /id/ route answers, from the store, and finds nothing
        ("..%2F..%2Fetc%2Fpasswd", "the store holds no triple about <https://w3id.org/vskg/ontology/../../etc/passwd>"),
    ],
)
def test_versions_that_are_not_the_held_one_are_404(survivor: Survivor, version: str, message: str) -> None:
    answer = httpx.get(f"{survivor.url}/id/ontology/{version}", headers={"Accept": "text/turtle"}, timeout=30)
    assert survivor.refused(answer, 404) == message
    assert "set-cookie" not in answer.headers


def test_the_held_version_still_answers(survivor: Survivor) -> None:
    answer = httpx.get(f"{survivor.url}/id/ontology/0.1.0", params={"format": "OWL"}, timeout=30)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/rdf+xml"
    assert answer.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF ')
    survivor.check()
