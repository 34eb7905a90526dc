"""Guards for the service's child processes: they die with the service, stay within a memory bound, and can be
cut off from the network.

The service hands slow or risky work (queries, SHACL runs) to child processes so that it can stop them. A child
must never outlive the service (a SIGKILL of the server would otherwise leave it running, owned by init), must not
take the machine's memory with it when a hostile document expands, and, where the work never needs the network,
should have no route to it at all, so that a check missed elsewhere still cannot make a request leave the machine.
All three are Linux kernel features reached through libc; where one is not available the call says so and the
caller decides what to do.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


_SPAWNER = "vskg-spawner"
_spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix=_SPAWNER)


def from_lasting_thread(start: Callable[..., T], *args) -> T:
    """Call ``start(*args)`` (which starts a child process) on a thread that lives as long as this process.

    Why: the kernel sends a child its parent-death signal (`die_with_parent`) when the *thread* that forked it
    ends, not when the process does. Children started from a pool thread would die as soon as that thread idles
    out (anyio's workers, which run FastAPI's blocking calls, end after 10 s without work): the query engine went
    away in the middle of a large write. One executor thread that never ends starts them all.
    """
    if threading.current_thread().name.startswith(_SPAWNER):
        return start(*args)
    return _spawner.submit(start, *args).result()


def die_with_parent(parent_pid: int) -> None:
    """Have the kernel SIGKILL this process as soon as ``parent_pid`` (the process that started it) exits.

    Start the child with `from_lasting_thread`: the signal comes when the forking thread ends.

    Call first thing in the child. If the parent is already gone by then, exit at once.
    """
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the daemon flag and shutdown still apply
        _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)


def limit_memory(max_bytes: int) -> None:
    """Cap this process's address space: an allocation past it fails instead of exhausting the machine."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        max_bytes = min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (max_bytes, hard))


def without_network() -> bool:
    """Move this process into a network namespace of its own, which has no interface that is up.

    Any connection it then tries fails at once (network unreachable), loopback included. Needs either
    CAP_SYS_ADMIN or unprivileged user namespaces; returns False, and changes nothing, when neither is available.
    Call before the process starts any thread.
    """
    libc = _libc()
    return any(libc.unshare(flags) == 0 for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET))


_SIOCGIFFLAGS = 0x8913
_SIOCSIFFLAGS = 0x8914
_IFF_UP = 0x1


def loopback_up() -> None:
    """Bring this network namespace's loopback interface up (needs CAP_NET_ADMIN over the namespace, which the
    root of a new user namespace has); raises OSError when it cannot."""
    import fcntl
    import socket
    import struct

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        request = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(probe.fileno(), _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(probe.fileno(), _SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | _IFF_UP))


def loopback_only() -> bool:
    """Move this process into a network namespace of its own that has only a loopback interface, up.

    What `without_network` does, except that the process (and its children) can still talk to each other over
    127.0.0.1 inside the namespace; nothing outside it can reach them over TCP, and they reach nothing outside.
    Returns False, changing nothing, when namespaces are not available. Call before the process starts a thread.
    """
    if not without_network():
        return False
    try:
        loopback_up()
    except OSError:
        return False
    return True
