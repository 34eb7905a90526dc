"""The managed engine's sandbox (vskg.sandbox, vskg.store.engine_process): a namespace of its own, a private Unix
socket, a relay that outlives broken clients, both processes gone with the service, and the fallbacks (SERVICE
allowed, no namespaces)."""

from __future__ import annotations

import os
import signal
import socket
import stat
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpcore
import httpx
import pytest

from tests.server import Listener, running_server
from vskg.store import engine_process
from vskg.store.engine_process import EngineProcess
from vskg.store.handoff import HandoffTransport, receive_connection

ASK = {"query": "ASK {}"}


def own_namespace() -> str:
    return os.readlink("/proc/self/ns/net")


def gone(pid: int, within: float = 5.0) -> bool:
    """Whether process ``pid`` has exited (or is a zombie) within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture()
def engine(tmp_path: Path) -> Iterator[EngineProcess]:
    running = EngineProcess(tmp_path, timeout=10, memory_mb=256)
    running.start()
    yield running
    running.close()


def test_engine_is_sandboxed_and_reached_through_a_private_socket(engine: EngineProcess) -> None:
    assert engine.sandboxed is True
    assert engine.url == "http://engine"
    assert engine.pid != engine.process.pid  # the engine is the relay's child
    assert os.readlink(f"/proc/{engine.pid}/ns/net") != own_namespace()
    assert os.readlink(f"/proc/{engine.process.pid}/ns/net") == os.readlink(f"/proc/{engine.pid}/ns/net")
    assert bool(engine.store.query("ASK {}")) is True
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", engine.port), timeout=2).close()
    assert stat.S_ISSOCK(engine.socket_path.stat().st_mode)
    assert stat.S_IMODE(engine.socket_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(engine.private.stat().st_mode) == 0o700
    private = engine.private
    engine.close()
    assert not private.exists()


def test_memory_cap_cpu_time_and_restart_apply_to_the_engine(engine: EngineProcess) -> None:
    # The memory cap is watched on the engine itself (not the relay): its resident memory past the baseline.
    assert engine.resident_bytes() >= engine.baseline > 0
    assert engine.over_memory() is False
    baseline, cap = engine.baseline, engine.memory_mb
    engine.baseline, engine.memory_mb = 0, 1  # as if it held more than 1 MB beyond its start
    assert engine.over_memory() is True
    engine.baseline, engine.memory_mb = baseline, cap
    first, relay = engine.pid, engine.process.pid
    engine.store.query("SELECT (SUM(?i) AS ?n) WHERE { VALUES ?i { 1 2 3 } }")
    assert engine.cpu_seconds() >= 0.0
    os.kill(first, signal.SIGKILL)
    assert gone(relay)  # the relay follows its engine out
    assert engine.alive() is False
    engine.ensure_running()
    assert engine.alive() is True
    assert engine.pid != first
    assert engine.restarts == 1
    assert os.readlink(f"/proc/{engine.pid}/ns/net") != own_namespace()
    assert bool(engine.store.query("ASK {}")) is True
    engine.restart()
    assert engine.restarts == 2
    assert bool(engine.store.query("ASK {}")) is True


def test_relay_outlives_broken_clients(engine: EngineProcess) -> None:
    path = str(engine.socket_path)
    # A client that hangs up at once, one that sends half a request and resets, one that sends garbage.
    quiet = socket.socket(socket.AF_UNIX)
    quiet.connect(path)
    quiet.close()
    half = socket.socket(socket.AF_UNIX)
    half.connect(path)
    half.sendall(b"POST /query HTTP/1.1\r\nHost: engine\r\nContent-Length: 1000\r\n\r\nquery=SEL")
    half.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    half.close()
    noise = socket.socket(socket.AF_UNIX)
    noise.connect(path)
    noise.sendall(os.urandom(4096))
    noise.shutdown(socket.SHUT_WR)
    noise.settimeout(5)
    while noise.recv(65536):
        pass
    noise.close()
    # A client that stops reading a large answer halfway.
    greedy = socket.socket(socket.AF_UNIX)
    greedy.connect(path)
    values = " ".join(str(n) for n in range(40))
    query = f"SELECT * WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} VALUES ?c {{ {values} }} }}"
    greedy.sendall(f"GET /query?query={quote(query)} HTTP/1.1\r\nHost: engine\r\n\r\n".encode())
    greedy.recv(10)
    greedy.close()
    assert engine.process.poll() is None
    with httpx.Client(transport=httpx.HTTPTransport(uds=path)) as client:
        answers = [client.get("http://engine/query", params=ASK).status_code for _ in range(20)]
    assert answers == [200] * 20


CHILD = """
import sys, time
from pathlib import Path
from vskg.store.engine_process import EngineProcess
engine = EngineProcess(Path(sys.argv[1]), timeout=10)
engine.start()
print(engine.process.pid, engine.pid, flush=True)
time.sleep(60)
"""


def test_relay_and_engine_die_with_the_service(tmp_path: Path) -> None:
    service = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path)], stdout=subprocess.PIPE, cwd=os.getcwd())
    try:
        relay, engine = (int(pid) for pid in service.stdout.readline().split())
        assert not gone(relay, 0) and not gone(engine, 0)
        service.kill()
        service.wait(5)
        assert gone(relay)
        assert gone(engine)
    finally:
        service.kill()
        service.wait(5)


def test_without_namespaces_the_engine_falls_back_to_loopback_with_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_namespaces(self: EngineProcess, report_fd: int) -> list[str]:  # what vskg.sandbox says then
        return [sys.executable, "-c", f"import os, sys; os.write({report_fd}, b'unavailable\\n'); sys.exit(75)"]

    monkeypatch.setattr(EngineProcess, "relay_command", no_namespaces)
    monkeypatch.setattr(engine_process, "_warned", False)
    engines = []
    try:
        for name in ("one", "two"):
            folder = tmp_path / name
            folder.mkdir()
            engines.append(EngineProcess(folder, timeout=10))
            engines[-1].start()
        first = engines[0]
        assert first.sandboxed is False
        assert first.url == f"http://127.0.0.1:{first.port}"
        assert first.pid == first.process.pid
        assert os.readlink(f"/proc/{first.pid}/ns/net") == own_namespace()
        assert bool(first.store.query("ASK {}")) is True
    finally:
        for running in engines:
            running.close()
    warnings = [line for line in capsys.readouterr().err.splitlines() if "no network namespaces here" in line]
    assert warnings == [
        f"vskg: no network namespaces here: the query engine keeps the machine's network and listens on "
        f"127.0.0.1:{engines[0].port}, which every local user can reach"
    ]


def test_with_service_endpoints_allowed_the_engine_keeps_the_network(tmp_path: Path) -> None:
    listener = Listener()
    folder = tmp_path / "store"
    try:
        with running_server(folder, extra_env={"VSKG_SERVICE_ALLOW": listener.url}) as server:
            query = f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}"
            answer = httpx.post(f"{server.url}/sparql", data={"query": query}, timeout=30)
            assert answer.status_code == 200, answer.text
            engine = next(pid for pid in children(server.process.pid) if b"oxigraph" in cmdline(pid))
            assert os.readlink(f"/proc/{engine}/ns/net") == os.readlink(f"/proc/{server.process.pid}/ns/net")
    finally:
        listener.close()
    assert listener.connections >= 1


def cmdline(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (whichever of its threads started them)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid:
            found.append(int(entry.name))
    return found


def test_the_sandbox_hands_over_a_socket_connected_to_the_engine(engine: EngineProcess) -> None:
    connection = receive_connection(str(engine.socket_path), 5)
    try:
        assert connection.family == socket.AF_INET
        assert connection.getpeername() == ("127.0.0.1", engine.port)  # the engine's port inside its namespace
        connection.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: engine\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    finally:
        connection.close()
    assert answer.startswith(b"HTTP/1.1 200")
    assert answer.endswith(b'{"head":{},"boolean":true}')
    # the service's own client uses such sockets: the relay copies nothing for it
    assert isinstance(engine.store.client._transport, HandoffTransport)
    assert bool(engine.store.query("ASK {}")) is True


def test_large_answers_arrive_whole_to_concurrent_clients_handed_over_and_relayed(engine: EngineProcess) -> None:
    values = " ".join(str(n) for n in range(40))
    query = f"SELECT * WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} VALUES ?c {{ {values} }} }}"
    accept = {"Accept": "text/tab-separated-values"}
    relayed = httpx.Client(transport=httpx.HTTPTransport(uds=str(engine.socket_path)), timeout=60)
    clients = [engine.store.client, relayed]
    bodies: list[bytes] = []

    def fetch(n: int) -> None:
        bodies.append(clients[n % 2].get("http://engine/query", params={"query": query}, headers=accept).content)

    with relayed:
        threads = [threading.Thread(target=fetch, args=(n,)) for n in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    lines = bodies[0].split(b"\n")
    assert len(bodies) == 16
    assert len(lines) == 64_000 + 2  # the header, 40^3 rows, and the empty text after the last newline
    expected = {f"{a}\t{b}\t{c}".encode() for a in range(40) for b in range(40) for c in range(40)}
    assert lines[0] == b"?a\t?b\t?c" and set(lines[1:-1]) == expected and lines[-1] == b""
    assert all(body == bodies[0] for body in bodies)


def test_no_connection_is_handed_over_once_the_engine_is_gone(engine: EngineProcess) -> None:
    path = str(engine.socket_path)
    engine.stop()
    with pytest.raises(httpcore.ConnectError):
        receive_connection(path, 5)


def test_the_engine_outlives_the_thread_that_started_it(tmp_path: Path) -> None:
    """The service starts the engine from a pool thread (anyio's, which ends after 10 s idle). The engine's
    parent-death signal follows the forking thread, so it was killed when that thread ended: under load, in the
    middle of a large write. Now it is started from a thread that lasts as long as the service."""
    engine = EngineProcess(tmp_path, timeout=10)
    starter = threading.Thread(target=engine.start)
    starter.start()
    starter.join(60)
    try:
        assert not starter.is_alive()
        time.sleep(1.0)  # the kernel's signal, if any, comes at once when the thread ends
        assert engine.alive()
        assert engine.process.poll() is None
        assert bool(engine.store.query("ASK {}")) is True
    finally:
        engine.close()


def test_a_child_started_from_a_passing_thread_dies_with_it_unless_started_from_the_lasting_thread() -> None:
    """What `from_lasting_thread` is for, shown on a plain child: the same start from a short-lived thread is killed
    when that thread ends, and lives on when it is started through the lasting thread."""
    from functools import partial

    from vskg.subprocesses import die_with_parent, from_lasting_thread

    parent = os.getpid()
    command = [sys.executable, "-c", "import time; time.sleep(30)"]
    popen = partial(subprocess.Popen, command, preexec_fn=lambda: die_with_parent(parent))
    started: dict[str, subprocess.Popen] = {}

    def start(name: str, how) -> None:
        started[name] = how()

    threads = [
        threading.Thread(target=start, args=("direct", popen)),
        threading.Thread(target=start, args=("lasting", partial(from_lasting_thread, popen))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    try:
        assert started["direct"].wait(10) == -signal.SIGKILL
        time.sleep(0.5)
        assert started["lasting"].poll() is None
    finally:
        for child in started.values():
            child.kill()
            child.wait()
