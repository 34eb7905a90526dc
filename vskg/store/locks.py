"""Who may open the store folder: a running service holds a lock file, and other processes check it first.

RocksDB lets one process open a database for writing; the lock file makes the rule visible before that fails, with a
message that names the service, and covers the service's engine process too.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

DEFAULT_STORE = Path(".vskg") / "store"


def store_path(option: Path | None = None) -> Path:
    """The store folder: the command-line option, else $VSKG_STORE, else ./.vskg/store."""
    if option is not None:
        return option
    env = os.environ.get("VSKG_STORE")
    return Path(env) if env else DEFAULT_STORE


SERVICE_LOCK = "vskg-service.lock"


class StoreInUse(OSError):
    """Another process (a running `vskg serve`) has the store."""


def lock_for_service(path: Path) -> IO[bytes]:
    """Mark the store as owned by a running service; the returned file holds the lock until it is closed.

    The service keeps only read-only handles open between writes, which RocksDB's own lock does not cover, so
    without this a `vskg load` from another process could write under the service's readers.
    """
    Path(path).mkdir(parents=True, exist_ok=True)
    handle = open(Path(path) / SERVICE_LOCK, "wb")  # noqa: SIM115 - held open for the service's lifetime
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise StoreInUse(f"the store {path} is in use by another process") from None
    return handle


def check_not_served(path: Path) -> None:
    """Raise StoreInUse if a service holds the store."""
    lock = Path(path) / SERVICE_LOCK
    if not lock.exists():
        return
    with open(lock, "rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreInUse(f"the store {path} is in use by another process") from None
        fcntl.flock(handle, fcntl.LOCK_UN)
