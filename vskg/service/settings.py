"""Service settings, read once at start-up from options and the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from vskg.service.hosts import DEFAULT_HOSTS, checked_base_url
from vskg.store import store_path


@dataclass(frozen=True)
class Settings:
    store: Path
    write_token: str | None = None  # writes are refused unless a token is configured
    query_timeout: float = 10.0  # seconds; a client may ask for less, never more
    max_rows: int = 10_000  # result rows (or triples) returned before an answer is cut short
    max_body_bytes: int = 16 * 1024 * 1024
    workers: int = 16  # threads that wait on the query engine (the engine itself is multi-threaded)
    service_allow: tuple[str, ...] = ()  # endpoints a query's SERVICE may call; empty: SERVICE is refused
    validate_timeout: float = 60.0  # seconds a SHACL run of /validate may take before its process is killed
    validate_memory_mb: int = 2048  # address space of the validation process
    base_url: str | None = None  # public URL of the service (behind a proxy); minted IRIs and Location use it
    allowed_hosts: tuple[str, ...] = DEFAULT_HOSTS  # Host header names answered to ("*": any); others get a 400
    page_validation_timeout: float = 600.0  # seconds a stream page's background SHACL run may take
    query_memory_mb: int = 2048  # what the managed query engine may allocate beyond its start (0: no cap)
    backend: str | None = None  # a SPARQL server's query endpoint to use instead of the store folder
    backend_update: str | None = None  # its update endpoint (default: the query endpoint)
    backend_store: str | None = None  # its Graph Store endpoint (default: none; writes go through updates)
    validate_writes: bool = False  # refuse writes that would add a SHACL Violation (vskg.service.gate)

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", checked_base_url(self.base_url))  # raises ValueError if malformed

    @classmethod
    def from_env(cls, store: Path | None = None, write_token_file: Path | None = None, **overrides) -> Settings:
        token = os.environ.get("VSKG_WRITE_TOKEN") or None
        if write_token_file is not None:
            token = write_token_file.read_text(encoding="utf-8").strip() or None
        values = {
            "query_timeout": float(os.environ.get("VSKG_QUERY_TIMEOUT", "10")),
            "max_rows": int(os.environ.get("VSKG_MAX_ROWS", "10000")),
            "max_body_bytes": int(os.environ.get("VSKG_MAX_BODY_BYTES", str(16 * 1024 * 1024))),
            "service_allow": tuple(os.environ.get("VSKG_SERVICE_ALLOW", "").split()),
            "validate_timeout": float(os.environ.get("VSKG_VALIDATE_TIMEOUT", "60")),
            "validate_memory_mb": int(os.environ.get("VSKG_VALIDATE_MEMORY_MB", "2048")),
            "base_url": os.environ.get("VSKG_BASE_URL") or None,
            "allowed_hosts": (*DEFAULT_HOSTS, *os.environ.get("VSKG_ALLOWED_HOSTS", "").split()),
            "page_validation_timeout": float(os.environ.get("VSKG_PAGE_VALIDATION_TIMEOUT", "600")),
            "query_memory_mb": int(os.environ.get("VSKG_QUERY_MEMORY_MB", "2048")),
            "backend": os.environ.get("VSKG_BACKEND") or None,
            "backend_update": os.environ.get("VSKG_BACKEND_UPDATE") or None,
            "backend_store": os.environ.get("VSKG_BACKEND_STORE") or None,
            "validate_writes": os.environ.get("VSKG_VALIDATE_WRITES", "").strip().lower() in ("1", "true", "yes", "on"),
        }
        values.update(overrides)
        return cls(store=store_path(store), write_token=token, **values)
