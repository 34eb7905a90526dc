"""Opening the store the service works on: the local folder behind a managed engine, or a remote SPARQL server."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from vskg.store.base import Backend
from vskg.store.dialects import detect
from vskg.store.embedded import LocalStore
from vskg.store.engine_process import EngineProcess
from vskg.store.locks import lock_for_service
from vskg.store.remote import RemoteStore


class BackendSettings(Protocol):
    store: Path
    query_timeout: float
    query_memory_mb: int
    backend: str | None
    backend_update: str | None
    backend_store: str | None
    service_allow: tuple[str, ...]


@dataclass
class OpenedStore:
    store: Backend
    engine: EngineProcess | None = None
    lock: IO[bytes] | None = None

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
        else:
            self.store.close()
        if self.lock is not None:
            self.lock.close()


def remote_store(query: str, update: str | None = None, graph_store: str | None = None, timeout: float = 60.0):
    """A RemoteStore for a server's endpoints, its dialect found from what the server says it is."""
    store = RemoteStore(query, update, graph_store, timeout=timeout)
    store.dialect = detect(store.client, query)
    return store


def open_service_store(settings: BackendSettings) -> OpenedStore:
    """What `vskg serve` reads and writes: ``settings.backend`` if given, else the folder behind a managed engine.

    The folder is locked for the service's lifetime, opened once with pyoxigraph (creating it, and tidying a load
    that was interrupted), and then handed to the engine process.
    """
    if settings.backend:
        return OpenedStore(
            remote_store(settings.backend, settings.backend_update, settings.backend_store, settings.query_timeout)
        )
    lock = lock_for_service(settings.store)
    try:
        LocalStore(settings.store).close()
        engine = EngineProcess(
            settings.store,
            timeout=settings.query_timeout,
            memory_mb=settings.query_memory_mb,
            network=bool(settings.service_allow),  # allowed SERVICE endpoints must be reachable from the engine
        )
        engine.start()
    except BaseException:
        lock.close()
        raise
    return OpenedStore(engine.store, engine, lock)
