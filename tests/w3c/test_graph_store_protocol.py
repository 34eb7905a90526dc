"""The W3C SPARQL 1.1 Graph Store HTTP Protocol test cases, run against the live vskg service.

Source: ``sparql/sparql11/graph-store-protocol/`` in the public ``w3c/rdf-tests`` repository, which replaces the
deprecated ``http-rdf-update`` set: nine cases for indirect identification (``manifest-indirect.ttl``) and four
for direct identification (``manifest-direct.ttl``), 13 in all. Each case's IRI is
``http://www.w3.org/2009/sparql/docs/tests/data-sparql11/http-rdf-update/manifest#<name>`` and each test below
is named after its case. The W3C requests are sent as written, with these mappings:

- The W3C graph store path ``/gsp`` is our ``/store``. Indirectly identified graphs keep the W3C's IRIs
  (``http://www.example/gsp/person/1.ttl``); a directly identified ``/store/person/1.ttl`` names the graph
  ``<service URL>/store/person/1.ttl``, so the direct cases also read that graph back through ``?graph=``.
- Writes carry ``Authorization: Bearer <token>``: the service refuses them without it.
- Expected bodies are compared as RDF graphs (isomorphism), as the manifest prescribes; where the W3C allows
  several statuses, the test asserts the one the service is designed to give.
- Every test deletes the graphs it uses before and after it runs, and the module puts the default graph back as
  it found it (``preserved_store``).

Cases that differ and why: none. Every case runs as the W3C wrote it, apart from the path and token mappings
above.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from w3c_support import W3C, charset, media_type, parse_rdf, same_graph, turtle

pytestmark = pytest.mark.usefixtures("preserved_store")


CREATED = 201
NO_CONTENT = 204
OK = 200
NOT_FOUND = 404

PERSON_1 = "http://www.example/gsp/person/1.ttl"
PERSON_2 = "http://www.example/gsp/person/2.ttl"
PERSON_4 = "http://www.example/gsp/person/4.ttl"
PERSON_1_Q = "graph=http%3A%2F%2Fwww.example%2Fgsp%2Fperson%2F1.ttl"
PERSON_2_Q = "graph=http%3A%2F%2Fwww.example%2Fgsp%2Fperson%2F2.ttl"
PERSON_4_Q = "graph=http%3A%2F%2Fwww.example%2Fgsp%2Fperson%2F4.ttl"

TURTLE = {"Content-Type": "text/turtle; charset=utf-8"}
ACCEPT_TURTLE = {"Accept": "text/turtle"}

JOHN = """
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix v: <http://www.w3.org/2006/vcard/ns#> .

<http://www.example/gsp/person/1> a foaf:Person;
    foaf:businessCard [
        a v:VCard;
        v:fn "John Doe"
    ].
"""
JANE = JOHN.replace("John Doe", "Jane Doe")
ALICE = """
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix v: <http://www.w3.org/2006/vcard/ns#> .

[]  a foaf:Person;
    foaf:businessCard [
        a v:VCard;
        v:given-name "Alice"
    ] .
"""
JANE_FULL = """
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix v: <http://www.w3.org/2006/vcard/ns#> .

<http://www.example/gsp/person/1> a foaf:Person;
    foaf:givenName      "Jane";
    foaf:familyName     "Doe";
    foaf:businessCard [
        a               v:VCard;
        v:fn            "Jane Doe"
    ] .
"""
BOUNDARY = "a6fe4cd636164618814be9f8d3d1a0de"
MULTIPART = (
    f"--{BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="lastName.ttl"; filename="lastName.ttl"\r\n'
    "Content-Type: text/turtle; charset=utf-8\r\n"
    "\r\n"
    "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\r\n"
    '<http://www.example/gsp/person/1> foaf:familyName "Doe" .\r\n'
    "\r\n"
    f"--{BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="firstName.ttl"; filename="firstName.ttl"\r\n'
    "Content-Type: text/turtle; charset=utf-8\r\n"
    "\r\n"
    "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\r\n"
    '<http://www.example/gsp/person/1> foaf:givenName "Jane" .\r\n'
    "\r\n"
    f"--{BOUNDARY}--\r\n"
)


@pytest.fixture(autouse=True)
def clean_graphs(w3c: W3C):
    """No W3C graph exists when a case starts, and none is left behind when it ends."""
    graphs = [PERSON_1, PERSON_2, PERSON_4, *(w3c.direct_iri(p) for p in ("person/1.ttl", "person/2.ttl"))]
    for graph in graphs:
        w3c.drop_graph(graph)
    yield
    for graph in graphs:
        w3c.drop_graph(graph)


def assert_turtle_graph(response, expected: str) -> None:
    """A 200 answer in Turtle (UTF-8 if a charset is named) holding exactly the expected graph."""
    assert response.status_code == OK, f"{response.status_code}: {response.text}"
    assert media_type(response) == "text/turtle"
    assert charset(response) in (None, "utf-8")
    assert same_graph(parse_rdf(response), turtle(expected)), response.text


def put(w3c: W3C, path: str, body: str):
    return w3c.http.put(path, content=body.encode("utf-8"), headers={**TURTLE, **w3c.auth})


def post(w3c: W3C, path: str, body: str, content_type: str = TURTLE["Content-Type"]):
    return w3c.http.post(path, content=body.encode("utf-8"), headers={"Content-Type": content_type, **w3c.auth})


# --- indirect graph identification ----------------------------------------------------------------------


def test_put_get_repeat_indirect(w3c: W3C) -> None:
    """PUT/GET repeated on one graph, indirect identification.

    <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/http-rdf-update/manifest#put_get_repeat_indirect>

    A PUT to ``?graph=.../person/1.ttl`` creates the graph (201) and a GET returns it; a second PUT replaces
    the content (200 or 204; vskg: 204) and a GET returns only the new content.
    """
    first = put(w3c, f"/store?{PERSON_1_Q}", JOHN)
    assert first.status_code == CREATED, first.text
    assert_turtle_graph(w3c.http.get(f"/store?{PERSON_1_Q}", headers=ACCEPT_TURTLE), JOHN)
    second = put(w3c, f"/store?{PERSON_1_Q}", JANE)
    assert second.status_code == NO_CONTENT, second.text
    assert_turtle_graph(w3c.http.get(f"/store?{PERSON_1_Q}", headers=ACCEPT_TURTLE), JANE)


def test_put_get_default(w3c: W3C) -> None:
    """PUT/GET on the default graph.

    <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/http-rdf-update/manifest#put_get_default>

    A PUT to ``?default`` replaces the default graph (200, 201 or 204; vskg: 204, the default graph always
    exists) and a GET of ``?default`` returns exactly what was put.
    """
    response = put(w3c, "/store?default", ALICE)
    assert response.status_code == NO_CONTENT, response.text
    assert_turtle_graph(w3c.http.get("/store?default", headers=ACCEPT_TURTLE), ALICE)


def test_put_delete_get_delete_indirect(w3c: W3C) -> None:
    """PUT, then DELETE/GET/DELETE, indirect identification.

    <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/http-rdf-update/manifest#put_delete_get_delete_indirect>

    After a PUT creates ``.../person/2.ttl``, a DELETE removes it (200 or 204; vskg: 204), a GET then finds
    nothing (404), and a second DELETE answers 404 (the W3C also allows 200 or 204).
    """
    created = put(w3c, f"/store?{PERSON_2_Q}", ALICE)
    assert created.status_code == CREATED, created.text
    deleted = w3c.http.delete(f"/store?{PERSON_2_Q}", headers=w3c.auth)
    assert deleted.status_code == NO_CONTENT, deleted.text
    gone = w3c.http.get(f"/store?{PERSON_2_Q}")
    assert gone.status_code == NOT_FOUND, gone.text
    again = w3c.http.delete(f"/store?{PERSON_2_Q}", headers=w3c.auth)
    assert again.status_code == NOT_FOUND, again.text


def test_post_get_post_get_indirect(w3c: W3C) -> None:
    """Two POST/GET rounds, the second as multipart/form-data, indirect identification.

    <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/http-rdf-update/manifest#post_get_post_get_indirect>

    A Turtle POST to a graph that does not exist yet creates it (200, 201 or 204; vskg: 201) and a GET shows
    it; a multipart POST of two Turtle files merges both into the graph (200 or 204; vskg: 204) and a GET shows
    the union of all three documents.
    """
    first = post(w3c, f"/store?{PERSON_1_Q}", JANE)
    assert first.status_code == CREATED, first.text
    assert_turtle_graph(w3c.http.get(f"/store?{PERSON_1_Q}", headers=ACCEPT_TURTLE), JANE)
    second = post(w3c, f"/store?{PERSON_1_Q}", MULTIPART, f"multipart/form-data; boundary={BOUNDARY}")
    assert second.status_code == NO_CONTENT, second.text
    assert_turtle_graph(w3c.http.get(f"/store?{PERSON_1_Q}", headers=ACCEPT_TURTLE), JANE_FULL)


def test_post_get_new_graph(w3c: W3C) -> None:
    """POST to the graph store itself creates a new graph, then GET it.

    <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/http-rdf-update/manifest#post_get_new_graph>

    A Turtle POST to ``/store`` must create a graph and answer 201 with its IRI in ``Location``; a GET with
    ``?graph=`` and that IRI returns the posted content (and so does a GET of the Location URL itself).
    """
    response = post(w3c, "/store", ALICE)
    assert response.status_code == CREATED, response.text
    location = response.headers.get("location")
    assert location, "no Location header"
    graph = urljoin(f"{w3c.url}/store", location)  # RFC 9110 lets Location be relative
    try:
        assert_turtle_graph(w3c.http.get("/store", params={"graph": graph}, headers=ACCEPT_TURTLE), ALICE)
        assert_turtle_graph(w3c.http.get(graph, headers=ACCEPT_TURTLE), ALICE)
    finally:
        w3c.drop_graph(graph)


def test_head_existing_indirect(w3c: W3C) -> None:
    """PUT, then HEAD on the existing graph, indirect identification.

    <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/http-rdf-update/manifest#head_existing_indirect>

    After a PUT, a HEAD answers 200 with a Turtle content type and no body.
    """
    created = put(w3c, f"/store?{PERSON_1_Q}", JOHN)
    assert created.status_code == CREATED, created.text
    head = w3c.http.head(f"/store?{PERSON_1_Q}", headers={"Accept": "text/turtle; charset=utf-8"})
    assert head.status_code == OK
    assert media_type(head) == "text/turtle"
    assert head.content == b""


def test_head_non_existing_indirect(w3c: W3C) -> None:
    """HEAD on a graph that does not exist, indirect identification.

    <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/http-rdf-update/manifest#head_non_existing_indirect>

    A HEAD of ``.../person/4.ttl``, which was never written, answers 404 with no body.
    """
    head = w3c.http.head(f"/store?{PERSON_4_Q}", headers={"Accept": "text/turtle; charset=utf-8"})
    assert head.status_code == NOT_FOUND
    assert head.content == b""


def test_put_get_uri_pct_encoded_indirect(w3c: W3C) -> None:
    """PUT/GET naming one graph with and without percent-encoding.

    <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/http-rdf-update/manifest#put_get_uri_pct_encoded_indirect>

    A PUT with the graph IRI percent-encoded in ``?graph=`` creates it (201); a GET with the same IRI written
    out unencoded reaches the same graph.
    """
    created = put(w3c, f"/store?{PERSON_1_Q}", JOHN)
    assert created.status_code == CREATED, created.text
    assert_turtle_graph(w3c.http.get(f"/store?graph={PERSON_1}", headers=ACCEPT_TURTLE), JOHN)


def test_put_get_uri_pct_encoded_twice(w3c: W3C) -> None:
    """Percent-encoding in ``?graph=`` is decoded once, not twice.

    <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/http-rdf-update/manifest#put_get_uri_pct_encoded_twice>

    After a PUT to ``?graph=http://www.example/gsp/person/1.ttl`` (201), ``person/%31.ttl`` decodes to the same
    IRI and returns the graph, while ``person/%2531.ttl`` decodes to ``person/%31.ttl``, a different IRI, and
    answers 404.
    """
    created = put(w3c, f"/store?graph={PERSON_1}", JOHN)
    assert created.status_code == CREATED, created.text
    assert_turtle_graph(w3c.http.get("/store?graph=http://www.example/gsp/person/%31.ttl", headers=ACCEPT_TURTLE), JOHN)
    twice = w3c.http.get("/store?graph=http://www.example/gsp/person/%2531.ttl", headers=ACCEPT_TURTLE)
    assert twice.status_code == NOT_FOUND, twice.text


# --- direct graph identification ------------------------------------------------------------------------


def test_put_get_repeat_direct(w3c: W3C) -> None:
    """PUT/GET repeated on one graph, direct identification.

    <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/http-rdf-update/manifest#put_get_repeat_direct>

    A PUT to ``/store/person/1.ttl`` creates the graph (201) and a GET of the same path returns it; a second PUT
    replaces it (vskg: 204) and a GET returns only the new content. The graph is also reachable indirectly
    under the IRI the direct path names.
    """
    first = put(w3c, "/store/person/1.ttl", JOHN)
    assert first.status_code == CREATED, first.text
    assert_turtle_graph(w3c.http.get("/store/person/1.ttl", headers=ACCEPT_TURTLE), JOHN)
    second = put(w3c, "/store/person/1.ttl", JANE)
    assert second.status_code == NO_CONTENT, second.text
    assert_turtle_graph(w3c.http.get("/store/person/1.ttl", headers=ACCEPT_TURTLE), JANE)
    indirect = w3c.http.get("/store", params={"graph": w3c.direct_iri("person/1.ttl")}, headers=ACCEPT_TURTLE)
    assert_turtle_graph(indirect, JANE)


def test_put_delete_get_delete_direct(w3c: W3C) -> None:
    """PUT, then DELETE/GET/DELETE, direct identification.

    <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/http-rdf-update/manifest#put_delete_get_delete_direct>

    After a PUT creates ``/store/person/2.ttl``, a DELETE removes it (vskg: 204), a GET finds nothing (404)
    and a second DELETE answers 404.
    """
    created = put(w3c, "/store/person/2.ttl", ALICE)
    assert created.status_code == CREATED, created.text
    deleted = w3c.http.delete("/store/person/2.ttl", headers=w3c.auth)
    assert deleted.status_code == NO_CONTENT, deleted.text
    gone = w3c.http.get("/store/person/2.ttl")
    assert gone.status_code == NOT_FOUND, gone.text
    again = w3c.http.delete("/store/person/2.ttl", headers=w3c.auth)
    assert again.status_code == NOT_FOUND, again.text


def test_post_get_post_get_direct(w3c: W3C) -> None:
    """Two POST/GET rounds, the second as multipart/form-data, direct identification.

    <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/http-rdf-update/manifest#post_get_post_get_direct>

    A Turtle POST to ``/store/person/1.ttl`` creates the graph (vskg: 201) and a GET shows it; a multipart POST
    of two Turtle files merges them in (vskg: 204) and a GET shows the union.
    """
    first = post(w3c, "/store/person/1.ttl", JANE)
    assert first.status_code == CREATED, first.text
    assert_turtle_graph(w3c.http.get("/store/person/1.ttl", headers=ACCEPT_TURTLE), JANE)
    second = post(w3c, "/store/person/1.ttl", MULTIPART, f"multipart/form-data; boundary={BOUNDARY}")
    assert second.status_code == NO_CONTENT, second.text
    assert_turtle_graph(w3c.http.get("/store/person/1.ttl", headers=ACCEPT_TURTLE), JANE_FULL)


def test_head_existing_direct(w3c: W3C) -> None:
    """PUT, then HEAD on the existing graph, direct identification.

    <http://www.w3.org/2009/sparql/docs/tests/data-sparql11/http-rdf-update/manifest#head_existing_direct>

    After a PUT to ``/store/person/1.ttl``, a HEAD of that path answers 200 with a Turtle content type and no
    body.
    """
    created = put(w3c, "/store/person/1.ttl", JOHN)
    assert created.status_code == CREATED, created.text
    head = w3c.http.head("/store/person/1.ttl", headers={"Accept": "text/turtle; charset=utf-8"})
    assert head.status_code == OK
    assert media_type(head) == "text/turtle"
    assert head.content == b""


W3C_CASES = [
    "put_get_repeat_indirect", "put_get_default", "put_delete_get_delete_indirect", "post_get_post_get_indirect",
    "post_get_new_graph", "head_existing_indirect", "head_non_existing_indirect",
    "put_get_uri_pct_encoded_indirect", "put_get_uri_pct_encoded_twice", "put_get_repeat_direct",
    "put_delete_get_delete_direct", "post_get_post_get_direct", "head_existing_direct",
]  # fmt: skip


def test_every_w3c_case_has_a_test() -> None:
    """Bookkeeping, not a W3C case: one test function per case of the two manifests, no more, no fewer."""
    here = {name[len("test_") :] for name in globals() if name.startswith("test_")} - {"every_w3c_case_has_a_test"}
    assert len(W3C_CASES) == 13
    assert here == set(W3C_CASES)
