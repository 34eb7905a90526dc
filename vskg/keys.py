"""Short, stable URL keys for resources, so pages and API routes read /streams/banking/mortgage-lending.

Resources of the bundled data namespace (https://w3id.org/vskg/data/...) are keyed by their path below it, and
those of imported ArchiMate models (https://w3id.org/vskg/archimate/model/<model>/<id>) by ``archimate/<model>/<id>``;
any other IRI (an architect's own data) is keyed by the whole IRI, percent-encoded by the client as usual. The
mapping is reversible, so a key always names exactly one IRI: a data IRI whose path would read as an ArchiMate key
(``.../data/archimate/...``) keeps its full IRI as key, and a full IRI given as key is still accepted, so links made
before the short keys existed keep working.
"""

from __future__ import annotations

BASE = "https://w3id.org/vskg/"
DATA = BASE + "data/"
ARCHIMATE_MODELS = BASE + "archimate/model/"  # where vskg.archimate.importer names a model and its parts
ARCHIMATE_KEY = "archimate/"


def data_key(iri: str) -> str:
    """A resource's key: its path under the data namespace, ``archimate/...`` for a model's part, else the IRI."""
    if iri.startswith(ARCHIMATE_MODELS) and len(iri) > len(ARCHIMATE_MODELS):
        return ARCHIMATE_KEY + iri[len(ARCHIMATE_MODELS) :]
    if iri.startswith(DATA) and len(iri) > len(DATA) and not iri.startswith(DATA + ARCHIMATE_KEY):
        return iri[len(DATA) :]
    return iri


def data_iri(key: str) -> str:
    """The IRI a key names (a full IRI given as key names itself)."""
    if "://" in key or key.startswith("urn:"):
        return key
    if key.startswith(ARCHIMATE_KEY):
        return ARCHIMATE_MODELS + key[len(ARCHIMATE_KEY) :]
    return DATA + key


def id_path(iri: str) -> str | None:
    """Where the server publishes a resource of the vskg namespace (/id/...), or None for other IRIs."""
    if not iri.startswith(BASE) or len(iri) == len(BASE):
        return None
    return "/id/" + iri[len(BASE) :]


def id_iri(path: str) -> str:
    """The IRI published at /id/<path>."""
    return BASE + path.lstrip("/")
