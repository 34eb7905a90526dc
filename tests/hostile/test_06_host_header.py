"""Hostile case 6b: a POST to /store with `Host: evil.example:666` got `Location: http://evil.example:666/store/...`
back, and the new graph was named after the attacker's host.

Now a Host the operator has not allowed is refused before any route runs (400, nothing written); Location headers
are relative, or under the configured public base URL (`--base-url` / VSKG_BASE_URL), which also names the graphs
the service mints or is addressed by URL (Graph Store Protocol, direct identification)."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.hostile.conftest import Survivor
from tests.server import LiveServer, running_server

TURTLE = b"<urn:vskg:test:s> <urn:vskg:test:p> <urn:vskg:test:o> .\n"
EVIL = "evil.example:666"
BASE = "https://kg.example.org/vskg"


def test_an_unknown_host_is_refused_before_anything_is_written(survivor: Survivor) -> None:
    answer = httpx.post(
        f"{survivor.url}/store",
        content=TURTLE,
        headers={"Host": EVIL, "Content-Type": "text/turtle", **survivor.auth()},
    )
    assert survivor.refused(answer, 400) == (
        f"this server does not answer to the host '{EVIL}'; the operator can allow it with --allow-host or "
        "VSKG_ALLOWED_HOSTS"
    )
    assert "location" not in answer.headers


@pytest.mark.parametrize("path", ["/sparql?query=ASK%7B%7D", "/", "/store?default", "/health"])
def test_reads_for_an_unknown_host_are_refused_too(survivor: Survivor, path: str) -> None:
    survivor.refused(httpx.get(f"{survivor.url}{path}", headers={"Host": "evil.example"}), 400, "evil.example")


def test_without_a_base_url_location_is_relative(survivor: Survivor) -> None:
    answer = httpx.post(
        f"{survivor.url}/store", content=TURTLE, headers={"Content-Type": "text/turtle", **survivor.auth()}
    )
    assert answer.status_code == 201, answer.text
    location = answer.headers["location"]
    assert location.startswith("/store/")
    uuid.UUID(location.removeprefix("/store/"))
    graph = f"{survivor.url}{location}"  # the graph's IRI: the request's (allowed) origin and the new path
    assert httpx.get(f"{survivor.url}/store", params={"graph": graph}).status_code == 200
    assert httpx.delete(graph, headers=survivor.auth()).status_code == 204
    survivor.check()


def test_a_redirect_made_by_the_framework_is_relative_too(survivor: Survivor) -> None:
    answer = httpx.get(f"{survivor.url}/sparql/", params={"query": "ASK {}"})
    assert (answer.status_code, answer.headers["location"]) == (307, "/sparql?query=ASK+%7B%7D")
    survivor.check()


@pytest.fixture(scope="module")
def behind_proxy(bundled_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("hostile-base-url") / "store"
    shutil.copytree(bundled_store_template, folder)
    with running_server(folder, extra_env={"VSKG_BASE_URL": BASE + "/"}) as server:
        yield server


def test_with_a_base_url_location_and_minted_iris_use_it(behind_proxy: LiveServer) -> None:
    headers = {"Content-Type": "text/turtle", **behind_proxy.auth()}
    answer = httpx.post(f"{behind_proxy.url}/store", content=TURTLE, headers={"Host": EVIL, **headers})
    assert answer.status_code == 400  # the base URL does not make other hosts acceptable
    answer = httpx.post(f"{behind_proxy.url}/store", content=TURTLE, headers=headers)
    assert answer.status_code == 201, answer.text
    location = answer.headers["location"]
    assert location.startswith(f"{BASE}/store/")
    uuid.UUID(location.removeprefix(f"{BASE}/store/"))
    assert httpx.get(f"{behind_proxy.url}/store", params={"graph": location}).status_code == 200


def test_with_a_base_url_graphs_named_by_url_are_under_it(behind_proxy: LiveServer) -> None:
    put = httpx.put(
        f"{behind_proxy.url}/store/models/a",
        content=TURTLE,
        headers={"Content-Type": "text/turtle", "Host": "kg.example.org", **behind_proxy.auth()},
    )
    assert put.status_code == 201, put.text  # the base URL's own host is allowed (a proxy may pass it on)
    listed = httpx.get(
        f"{behind_proxy.url}/sparql",
        params={"query": "SELECT ?g WHERE { GRAPH ?g { <urn:vskg:test:s> ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    graphs = sorted(row["g"]["value"] for row in listed.json()["results"]["bindings"])
    assert f"{BASE}/store/models/a" in graphs
    assert not [g for g in graphs if "127.0.0.1" in g or "kg.example.org/store" in g]


def test_with_a_base_url_relative_iris_in_a_query_resolve_against_it(behind_proxy: LiveServer) -> None:
    answer = httpx.get(
        f"{behind_proxy.url}/sparql",
        params={"query": "SELECT ?x WHERE { BIND(<relative> AS ?x) }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.json()["results"]["bindings"] == [{"x": {"type": "uri", "value": f"{BASE}/relative"}}]
