"""Case 3: SERVICE hidden where a regular expression did not look for it is refused, and reaches nothing.

The query engine is a second line: without an allow-list it runs in a network namespace of its own, reached
through a private Unix socket, so a SERVICE that got past the check could not connect either, and no local user
can reach the engine's port to write around vskg's token.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import stat
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


def engine_sandbox(server: int) -> tuple[int, int, Path, int]:
    """The server's engine as the tests see it from outside: the relay's pid, the engine's pid (the relay's
    child), the Unix socket the relay serves, and the engine's port inside its namespace."""
    relay = next(pid for pid in children(server) if b"vskg.sandbox" in cmdline(pid))
    engine = next(pid for pid in children(relay) if b"oxigraph" in cmdline(pid))
    relay_args = cmdline(relay).split(b"\0")
    engine_args = cmdline(engine).split(b"\0")
    path = Path(relay_args[relay_args.index(b"--socket") + 1].decode())
    port = int(engine_args[engine_args.index(b"--bind") + 1].rsplit(b":", 1)[1])
    return relay, engine, path, port


def cmdline(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


def children(parent: int) -> list[int]:
    """The processes started by ``parent`` (by any of its threads)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            found.append(int(entry.name))
    return found


def test_engine_has_a_network_namespace_of_its_own(survivor: Survivor) -> None:
    server = survivor.server.process.pid
    relay, engine, _, _ = engine_sandbox(server)
    own = os.readlink(f"/proc/{server}/ns/net")
    assert os.readlink(f"/proc/{engine}/ns/net") != own
    assert os.readlink(f"/proc/{relay}/ns/net") == os.readlink(f"/proc/{engine}/ns/net")


def test_service_sent_straight_to_the_engine_reaches_nothing(survivor: Survivor, listener: Listener) -> None:
    # As if vskg's checks had a hole: the SERVICE goes to the engine itself, through its socket.
    _, _, path, _ = engine_sandbox(survivor.server.process.pid)
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?x ?y ?z }} }}"
    with httpx.Client(transport=httpx.HTTPTransport(uds=str(path)), timeout=30) as engine:
        answer = engine.post("http://engine/query", data={"query": query})
        load = engine.post("http://engine/update", data={"update": f"LOAD <{listener.url}>"})
    assert "Connection refused" in answer.text
    assert load.status_code == 500
    assert "Connection refused" in load.text
    time.sleep(0.3)
    assert listener.connections == 0
    survivor.check()


def test_engine_port_is_closed_to_the_machine_and_its_socket_private(survivor: Survivor) -> None:
    _, _, path, port = engine_sandbox(survivor.server.process.pid)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    assert stat.S_ISSOCK(path.stat().st_mode)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    survivor.check()


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
