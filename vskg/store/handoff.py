"""Connections to the sandboxed engine that bypass the relay: the sandbox hands over a socket it connected itself.

Why: the engine listens on 127.0.0.1 inside a network namespace that the service cannot enter, so every byte used
to pass through the sandbox's relay, a Python process that copied both directions of each connection. Under 16
concurrent clients that copy cost a third of the throughput (it competes with the engine and the service for the
same cores). A socket keeps the namespace it was created in, wherever its file descriptor goes; so the sandbox
connects to the engine inside the namespace and passes the connected socket to the service over the Unix socket
(SCM_RIGHTS). The service then talks HTTP to the engine directly and the relay does nothing per request.

The sandbox tells the two uses of its socket apart by the first byte: ``HANDOFF`` asks for a connected socket, any
other byte begins an HTTP request, which is relayed as before (for tools and tests that speak HTTP to the socket).
What the service can do with the socket is what it could do through the relay: talk HTTP to the engine's port.
"""

from __future__ import annotations

import select
import socket
import typing

import httpcore
import httpx

from vskg.sandbox import HANDOFF


def receive_connection(path: str, timeout: float | None) -> socket.socket:
    """Ask the sandbox listening at ``path`` for a socket connected to the engine (httpcore's ConnectError if not)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as asking:
            asking.settimeout(timeout)
            asking.connect(path)
            asking.sendall(HANDOFF)
            _, fds, _, _ = socket.recv_fds(asking, 1, 1)
    except TimeoutError as problem:
        raise httpcore.ConnectTimeout(str(problem)) from None
    except OSError as problem:
        raise httpcore.ConnectError(str(problem)) from None
    if not fds:
        raise httpcore.ConnectError("the engine's sandbox could not connect to the engine")
    for extra in fds[1:]:
        socket.close(extra)
    connected = socket.socket(fileno=fds[0])
    connected.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return connected


class SocketStream(httpcore.NetworkStream):
    """httpcore's view of a plain connected socket (what its own sync backend does for a TCP connection)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            self.sock.settimeout(timeout)
            return self.sock.recv(max_bytes)
        except TimeoutError as problem:
            raise httpcore.ReadTimeout(str(problem)) from None
        except OSError as problem:
            raise httpcore.ReadError(str(problem)) from None

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            self.sock.settimeout(timeout)
            self.sock.sendall(buffer)
        except TimeoutError as problem:
            raise httpcore.WriteTimeout(str(problem)) from None
        except OSError as problem:
            raise httpcore.WriteError(str(problem)) from None

    def close(self) -> None:
        self.sock.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("the engine speaks plain HTTP")

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "socket":
            return self.sock
        if info == "is_readable":  # an idle keep-alive connection that is readable was closed by the engine
            if self.sock.fileno() < 0:
                return True
            return bool(select.select([self.sock], [], [], 0)[0])
        return None


class HandoffBackend(httpcore.NetworkBackend):
    """Every new connection, whatever host it names, is a socket the sandbox at ``path`` connected to the engine."""

    def __init__(self, path: str) -> None:
        self.path = path

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None) -> SocketStream:
        return SocketStream(receive_connection(self.path, timeout))

    def connect_unix_socket(self, path, timeout=None, socket_options=None) -> SocketStream:
        return SocketStream(receive_connection(self.path, timeout))

    def sleep(self, seconds: float) -> None:
        httpcore.SyncBackend().sleep(seconds)


class HandoffTransport(httpx.HTTPTransport):
    """httpx's own transport (keep-alive pool, error mapping) over connections handed over by the sandbox."""

    def __init__(self, path: str, limits: httpx.Limits) -> None:
        super().__init__(limits=limits)
        self._pool = httpcore.ConnectionPool(
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=HandoffBackend(path),
        )
