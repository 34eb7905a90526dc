"""Hostile case 10: a client's graph named `urn:vskg:staging:...` was deleted by the next, unrelated write, because
every writable open of the store dropped all graphs under the prefix the store uses for its scratch graphs.

Now the store keeps a journal of the scratch graphs it creates and tidies only those, so a graph a client managed
to write under that prefix (here through an update that computes the IRI, which no lexical check can see) is data
like any other and survives later writes."""

from __future__ import annotations

import httpx

from tests.hostile.conftest import Survivor

# The IRI is built at run time, so a static check of the update text for the reserved prefix does not apply.
COMPUTED = 'BIND(IRI(CONCAT("urn:vskg:", "staging:client-data")) AS ?g)'
GRAPH = "urn:vskg:staging:client-data"
OTHER = "urn:vskg:test:unrelated"


def update(survivor: Survivor, text: str, **dataset: str) -> httpx.Response:
    form = {"update": text, **{name.replace("_", "-"): value for name, value in dataset.items()}}
    return httpx.post(f"{survivor.url}/update", data=form, headers=survivor.auth(), timeout=60)


def triples_in(survivor: Survivor, graph: str) -> int:
    answer = httpx.get(
        f"{survivor.url}/sparql",
        params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_a_client_graph_under_the_staging_prefix_survives_later_writes(survivor: Survivor) -> None:
    written = update(
        survivor, f"INSERT {{ GRAPH ?g {{ <urn:vskg:test:a> <urn:vskg:test:b> 'kept' }} }} WHERE {{ {COMPUTED} }}"
    )
    assert written.status_code == 204, written.text
    assert triples_in(survivor, GRAPH) == 1

    for body in (b'<urn:vskg:test:x> <urn:vskg:test:y> "one" .', b'<urn:vskg:test:x> <urn:vskg:test:y> "two" .'):
        put = httpx.put(
            f"{survivor.url}/store",
            params={"graph": OTHER},
            content=body,
            headers={"Content-Type": "application/n-triples", **survivor.auth()},
            timeout=60,
        )
        assert put.status_code in (201, 204), put.text
        assert triples_in(survivor, GRAPH) == 1  # the replace staged and moved its own scratch graph only

    assert httpx.delete(f"{survivor.url}/store", params={"graph": OTHER}, headers=survivor.auth()).status_code == 204
    # The update endpoint leaves graphs under the prefix out of a WHERE's dataset unless the request names them.
    clear = f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ {COMPUTED} GRAPH ?g {{ ?s ?p ?o }} }}"
    cleared = update(survivor, clear, using_named_graph_uri=GRAPH)
    assert cleared.status_code == 204, cleared.text
    survivor.check()
