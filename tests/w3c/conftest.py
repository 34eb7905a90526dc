"""Fixtures for the W3C conformance tests (helpers live in ``w3c_support.py``).

Every suite runs three times: through `vskg serve` on its own store (embedded), and through `vskg serve --backend`
in front of a real Oxigraph server and a real Virtuoso 7 (tests/store/servers.py), each cleared first.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from w3c_support import W3C

from vskg.graphs import REPORT_GRAPH

# --- fixtures --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["embedded", "oxigraph", "virtuoso"])
def w3c(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[W3C]:
    if request.param == "embedded":
        client = W3C(request.getfixturevalue("live_server"))
        yield client
        client.close()
        return
    from tests.server import running_server

    server = request.getfixturevalue(f"{request.param}_server")
    server.clear()
    env = {"VSKG_BACKEND": server.query_url, "VSKG_BACKEND_UPDATE": server.update_url}
    env["VSKG_BACKEND_STORE"] = server.store_url
    folder = tmp_path_factory.mktemp(f"w3c-{request.param}") / "store"
    with running_server(folder, extra_env=env) as live:
        client = W3C(live)
        client.backend = request.param
        yield client
        client.close()


@pytest.fixture(scope="module")
def preserved_store(w3c: W3C) -> Iterator[None]:
    """Snapshot every graph before a module whose W3C cases clear the store, and put it all back afterwards.

    Several W3C cases run ``CLEAR ALL`` or ``DROP ALL`` or replace the default graph; the snapshot makes the
    module leave the server's store as it found it.
    """
    # The standing report's graph is the service's own: it writes it whenever a report is published (also while
    # this module runs), so it is neither saved nor compared.
    graphs = [g for g in w3c.named_graphs() if g != REPORT_GRAPH]
    saved = {g: w3c.get_graph(g).serialize(format="nt") for g in graphs}
    default = w3c.get_graph(None).serialize(format="nt")
    yield
    for graph in w3c.named_graphs():
        if graph not in saved and graph != REPORT_GRAPH:
            w3c.drop_graph(graph)
    for graph, content in saved.items():
        w3c.put_graph(graph, content, "application/n-triples")
    w3c.put_graph(None, default, "application/n-triples")
    assert [g for g in w3c.named_graphs() if g != REPORT_GRAPH] == graphs
