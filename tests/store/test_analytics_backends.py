"""The analytics and maps are the same, byte for byte, whichever backend the service stands on.

The bundled graphs are loaded into an embedded store and into each real SPARQL server (Oxigraph server, Virtuoso 7);
a service runs over each (`--backend` for the servers), and every stream's flow figures, the portfolio, each
capability's and system's impact, and every map are asked of both and compared as the bytes of the answers.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from vskg.keys import data_key
from vskg.service.app import create_app
from vskg.service.settings import Settings
from vskg.store import LocalStore
from vskg.store.bundled import init_bundled
from vskg.vocab import VSKG

HOSTS = ("testserver",)
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def instances(client: TestClient, kind: str) -> list[str]:
    """The keys of every resource of class ``kind`` (or a subclass) in the store the client's service stands on."""
    text = f"SELECT DISTINCT ?x WHERE {{ ?x a/<{RDFS}subClassOf>* <{VSKG}{kind}> }}"
    answer = client.get("/sparql", params={"query": text}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200
    return sorted(data_key(row["x"]["value"]) for row in answer.json()["results"]["bindings"])


def routes(client: TestClient) -> list[str]:
    """What to compare: every stream (figures and map), the portfolio (JSON and map), and the impact of every
    capability and system."""
    streams = client.get("/api/streams")
    assert streams.status_code == 200
    keys = [stream["key"] for stream in streams.json()]
    return [
        "/api/streams",
        "/api/portfolio",
        "/portfolio/map.svg",
        *(f"/api/streams/{key}" for key in keys),
        *(f"/streams/{key}/map.svg" for key in keys),
        *(f"/api/capabilities/{key}" for key in instances(client, "Capability")),
        *(f"/api/systems/{key}" for key in instances(client, "System")),
    ]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("analytics-reference") / "store"
    store = LocalStore(folder)
    store.init_bundled()
    store.close()
    with TestClient(create_app(Settings(store=folder, allowed_hosts=HOSTS))) as client:
        yield client


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    server = request.getfixturevalue(f"{request.param}_server")
    server.clear()
    store = server.store()
    init_bundled(store)
    store.close()
    settings = Settings(
        store=tmp_path_factory.mktemp("analytics-remote") / "unused",
        allowed_hosts=HOSTS,
        backend=server.query_url,
        backend_update=server.update_url,
        backend_store=server.store_url,
    )
    with TestClient(create_app(settings)) as client:
        yield client
    server.clear()


def test_analytics_and_maps_are_the_same_on_every_backend(reference: TestClient, served: TestClient) -> None:
    paths = routes(reference)
    assert len(paths) > 200  # the bundled examples: a few dozen streams, ~100 capabilities, ~75 systems
    assert routes(served) == paths
    for path in paths:
        expected, answer = reference.get(path), served.get(path)
        assert expected.status_code == 200, path
        assert (answer.status_code, answer.headers["content-type"]) == (200, expected.headers["content-type"]), path
        assert answer.content == expected.content, path
