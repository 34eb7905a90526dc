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
4. relays each connection of the socket to that port, until the engine exits; then it exits too.

Both processes die with the service (PR_SET_PDEATHSIG: the relay with vskg, the engine with the relay). If
namespaces are not available the relay says so on the pipe and exits with UNAVAILABLE; vskg then falls back to
the engine on a loopback port.

It lives in `vskg` and not in `vskg.store` because importing that package (rdflib) would add 0.4 s to every start
of the engine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading

from vskg.subprocesses import die_with_parent, loopback_only

UNAVAILABLE = 75  # the exit status (EX_TEMPFAIL) that says: no network namespace here
CHUNK = 256 * 1024


async def pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy one direction of a connection until its end, then pass the end on (half-close)."""
    try:
        while chunk := await reader.read(CHUNK):
            writer.write(chunk)
            if writer.transport.get_write_buffer_size() > CHUNK:
                await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except Exception:  # a reset or a broken pipe ends this connection, never the relay
        writer.transport.abort()


async def relay_connection(client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter, port: int) -> None:
    """Join one client of the socket to the engine; any failure ends this connection only."""
    try:
        engine_in, engine_out = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        client_out.transport.abort()
        return
    try:
        await asyncio.gather(pump(client_in, engine_out), pump(engine_in, client_out))
    finally:
        for stream in (client_out, engine_out):
            stream.transport.abort()


async def serve(listener: socket.socket, port: int) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await relay_connection(reader, writer, port)
        except Exception:  # one broken connection must never stop the relay
            writer.transport.abort()

    server = await asyncio.start_unix_server(handle, sock=listener, limit=CHUNK)
    async with server:
        await server.serve_forever()


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
    asyncio.run(serve(listener, options.port))


if __name__ == "__main__":
    main()
