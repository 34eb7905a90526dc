"""Case 3: SERVICE hidden where a regular expression did not look for it is refused, and reaches nothing.

The query workers are a second line: without an allow-list they run in a network namespace of their own, so a
SERVICE that got past the check could not connect either.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import time
from pathlib import Path

import httpx
import pytest

from tests.hostile.conftest import Survivor
from tests.server import Listener
from vskg.subprocesses import without_network

DISABLED = "SERVICE (federated query) is disabled"
PREFIX = "PREFIX ex: <http://example.org/> "


@pytest.mark.parametrize(
    "body",
    [
        "SELECT * WHERE { BIND(1 AS ?k) .SERVICE <URL> { ?x ?y ?z } }",
        PREFIX + "SELECT * WHERE { BIND(ex:x\\#y AS ?k) SERVICE <URL> { ?x ?y ?z } }",
        PREFIX + "SELECT * WHERE { BIND(ex:x\\'y AS ?k) SERVICE <URL> { ?x ?y ?z } }",
        PREFIX + "SELECT * WHERE { ?s ?p ex:a.b.SERVICE <URL> { ?x ?y ?z } }",
        "SELECT * WHERE { ?s ?p trueSERVICE <URL> { ?x ?y ?z } }",
        "SELECT * WHERE { SERVICESILENT <URL> { ?x ?y ?z } }",
        "SELECT * WHERE { FILTER(1<2)SERVICE <URL> { ?x ?y ?z } }",
        "SELECT * WHERE { \\u0053ERVICE <URL> { ?x ?y ?z } }",
    ],
)
def test_hidden_service_is_refused(survivor: Survivor, listener: Listener, body: str) -> None:
    query = body.replace("URL", listener.url)
    answer = httpx.post(f"{survivor.url}/sparql", data={"query": query}, timeout=30)
    survivor.refused(answer, 400, DISABLED)
    time.sleep(0.3)
    assert listener.connections == 0


def query_workers(parent: int) -> list[int]:
    """The multiprocessing children of ``parent`` that run vskg.engine's worker (not the resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def test_query_workers_have_no_network(survivor: Survivor) -> None:
    server = survivor.server.process.pid
    workers = query_workers(server)
    assert len(workers) == 2
    own = os.readlink(f"/proc/{server}/ns/net")
    assert all(os.readlink(f"/proc/{pid}/ns/net") != own for pid in workers)


def _connect(port: int, network: bool) -> None:
    if not network:
        assert without_network()
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        os._exit(3)
    os._exit(0)


@pytest.mark.parametrize(("network", "code", "connections"), [(True, 0, 1), (False, 3, 0)])
def test_without_network_stops_every_connection(network: bool, code: int, connections: int) -> None:
    listener = Listener()
    try:
        child = multiprocessing.get_context("spawn").Process(target=_connect, args=(listener.port, network))
        child.start()
        child.join(30)
        assert child.exitcode == code
    finally:
        listener.close()
    assert listener.connections == connections
