"""The engine's sandbox: `oxigraph serve` in a network namespace of its own, reached only through a Unix socket.

Why: Oxigraph's server has no access control and runs SERVICE itself. On the machine's loopback its port would
take writes from any local user without vskg's token, and a SERVICE or LOAD that slipped past vskg's checks
could reach any host. So this small process (run as ``python -m vskg.sandbox``):

1. binds the Unix socket vskg talks to (a path in a private folder, mode 0600; pathname sockets are not tied to a
   network namespace, so vskg reaches it from outside);
2. moves itself into a new network namespace where only the loopback interface is up (unprivileged, through a
   user namespace);
3. starts `oxigraph serve` there on 127.0.0.1:PORT, which only processes inside the namespace can reach, and
   reports its pid on a pipe (vskg caps its memory and watches its CPU time);
4. for each connection of the socket, connects to that port and either hands the connected socket to the client
   (`vskg.store.handoff`: the service's own requests then bypass this process) or relays the client's bytes, until
   the engine exits; then it exits too.

Both processes die with the service (PR_SET_PDEATHSIG: the relay with vskg, the engine with the relay). If
namespaces are not available the relay says so on the pipe and exits with UNAVAILABLE; vskg then falls back to
the engine on a loopback port.

It lives in `vskg` and not in `vskg.store` because importing that package (rdflib) would add 0.4 s to every start
of the engine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from vskg.subprocesses import die_with_parent, loopback_only

UNAVAILABLE = 75  # the exit status (EX_TEMPFAIL) that says: no network namespace here
CHUNK = 256 * 1024
HANDOFF = b"\0"  # a client's first byte that asks for a connected socket (see vskg.store.handoff)


def pump(source: socket.socket, target: socket.socket) -> None:
    """Copy one direction of a connection until its end, then pass the end on (half-close)."""
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    try:
        while size := source.recv_into(buffer):
            target.sendall(view[:size])
        target.shutdown(socket.SHUT_WR)
    except OSError:  # a reset or a broken pipe ends this connection, never the relay
        for each in (source, target):
            with contextlib.suppress(OSError):
                each.shutdown(socket.SHUT_RDWR)


def handle(client: socket.socket, port: int) -> None:
    """One client of the socket: hand it a connection to the engine (`HANDOFF`), or relay its HTTP to the engine.

    Any failure ends this connection only.
    """
    engine = None
    try:
        first = client.recv(CHUNK)
        if not first:
            return
        engine = socket.create_connection(("127.0.0.1", port))
        engine.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if first == HANDOFF:
            socket.send_fds(client, [HANDOFF], [engine.fileno()])
            return
        engine.sendall(first)
        back = threading.Thread(target=pump, args=(engine, client), daemon=True)
        back.start()
        pump(client, engine)
        back.join()
    except OSError:
        pass
    finally:
        for each in (client, engine):
            if each is not None:
                each.close()


def serve(listener: socket.socket, port: int) -> None:
    """Accept connections for ever, each on a thread of its own (blocking calls release the GIL)."""
    while True:
        try:
            client, _ = listener.accept()
        except OSError:  # out of descriptors, for instance: try again in a moment
            time.sleep(0.01)
            continue
        threading.Thread(target=handle, args=(client, port), daemon=True).start()


def bind_socket(path: str) -> socket.socket:
    """The listening Unix socket at ``path`` (a stale one from an earlier engine is replaced), mode 0600."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o600)  # the folder is 0700 already, so nobody else could reach it in between
    listener.listen(256)
    return listener


def report(fd: int, message: str) -> None:
    os.write(fd, message.encode() + b"\n")
    os.close(fd)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m vskg.sandbox")
    parser.add_argument("--socket", required=True, help="path of the Unix socket to serve")
    parser.add_argument("--port", type=int, required=True, help="the engine's port inside the namespace")
    parser.add_argument("--report-fd", type=int, required=True, help="pipe on which the engine's pid is written")
    parser.add_argument("--parent", type=int, required=True, help="the service's pid (the relay dies with it)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- the engine's command line")
    options = parser.parse_args(argv)
    command = options.command[1:] if options.command[:1] == ["--"] else options.command
    die_with_parent(options.parent)
    listener = bind_socket(options.socket)
    if not loopback_only():
        report(options.report_fd, "unavailable")
        sys.exit(UNAVAILABLE)
    me = os.getpid()
    engine = subprocess.Popen(command, stdin=subprocess.DEVNULL, preexec_fn=lambda: die_with_parent(me))
    report(options.report_fd, f"engine {engine.pid}")

    def follow() -> None:  # the relay lives exactly as long as the engine
        code = engine.wait()
        sys.stderr.flush()
        os._exit(code if code > 0 else 1)

    threading.Thread(target=follow, daemon=True).start()
    # Asked to stop: stop the engine (it closes its database), and `follow` ends the relay after it.
    signal.signal(signal.SIGTERM, lambda *_: engine.terminate())
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(listener, options.port)


if __name__ == "__main__":
    main()
