"""Short, stable URL keys for resources, so pages and API routes read /streams/banking/mortgage-lending.

Resources of the bundled namespace (https://w3id.org/vskg/...) are keyed by their path below it; any other IRI
(imported ArchiMate models, an architect's own data) is keyed by the whole IRI, percent-encoded by the client as
usual. The mapping is reversible, so a key always names exactly one IRI.
"""

from __future__ import annotations

BASE = "https://w3id.org/vskg/"
DATA = BASE + "data/"


def data_key(iri: str) -> str:
    """The key of a data resource: its path under the data namespace, else the full IRI."""
    return iri[len(DATA) :] if iri.startswith(DATA) and len(iri) > len(DATA) else iri


def data_iri(key: str) -> str:
    """The IRI a data key names."""
    return key if "://" in key or key.startswith("urn:") else DATA + key


def id_path(iri: str) -> str | None:
    """Where the server publishes a resource of the vskg namespace (/id/...), or None for other IRIs."""
    if not iri.startswith(BASE) or len(iri) == len(BASE):
        return None
    return "/id/" + iri[len(BASE) :]


def id_iri(path: str) -> str:
    """The IRI published at /id/<path>."""
    return BASE + path.lstrip("/")
