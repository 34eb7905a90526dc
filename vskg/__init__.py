"""vskg: the value stream knowledge graph.

The package bundles an OWL ontology, SKOS schemes, SHACL shapes, the source article's industry examples and a
catalogue of SPARQL queries, and gives architects a small set of verbs over them: validate, query, check.

From Python (docs/python-api.md walks through an example)::

    import vskg

    kg = vskg.open_bundled()  # or vskg.open_store(".vskg/store"), read-only
    rows = kg.query("stream-stages", stream="banking/mortgage-lending")
    rows.to_dataframe()  # with pandas installed

The names below come from `vskg.python_api`, imported on first use, so that `import vskg` (which the command line
and the service do first) loads nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "KnowledgeGraph",
    "Rows",
    "StoreNotFound",
    "Validation",
    "__version__",
    "open_bundled",
    "open_store",
    "queries",
    "validate_files",
]
PUBLIC = frozenset(__all__) - {"__version__"}

if TYPE_CHECKING:
    from vskg.python_api import (
        Analysis,
        KnowledgeGraph,
        Rows,
        StoreNotFound,
        Validation,
        open_bundled,
        open_store,
        queries,
        validate_files,
    )


def __getattr__(name: str) -> Any:
    if name in PUBLIC:
        from vskg import python_api

        return getattr(python_api, name)
    raise AttributeError(f"module 'vskg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *PUBLIC])
