"""The vskg HTTP service: SPARQL 1.1 Protocol, Update, Graph Store Protocol, the catalogue and validation."""

from vskg.api.app import create_app
from vskg.api.settings import Settings

__all__ = ["Settings", "create_app"]
