"""Parameter types the routes declare, checked by FastAPI before a route runs (a bad value is a 400, never a 500).

``GraphIri`` is a graph name given as a query parameter: it must be an absolute IRI that pyoxigraph accepts (a
scheme, no spaces or ``<>"{}|^`\\``, well-formed percent escapes). The check runs in the declaration, so a route
body never sees a value the store would reject, and the OpenAPI document says ``format: iri``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema
from pyoxigraph import NamedNode


def absolute_iri(value: str) -> str:
    try:
        NamedNode(value)
    except ValueError as problem:
        raise ValueError(f"{value!r} is not an absolute IRI ({problem})") from None
    return value


GraphIri = Annotated[str, AfterValidator(absolute_iri), WithJsonSchema({"type": "string", "format": "iri"})]
