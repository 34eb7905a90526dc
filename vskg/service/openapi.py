"""OpenAPI descriptions for routes that read their parameters themselves (FastAPI cannot see them)."""

from __future__ import annotations

from vskg.service.deps import MIN_TIMEOUT
from vskg.service.sparql_requests import FORM


def doc_param(name: str, description: str, kind: str = "string", *, many: bool = False) -> dict:
    """An OpenAPI query parameter, for routes that read their parameters themselves."""
    schema = {"type": "array", "items": {"type": kind}} if many else {"type": kind}
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def doc_body(field: str, media: str, *repeatable: str) -> dict:
    """An OpenAPI request body: a form with ``field`` (and repeatable graph fields), or the text as ``media``."""
    fields = {field: {"type": "string"}} | {n: {"type": "array", "items": {"type": "string"}} for n in repeatable}
    form = {"type": "object", "required": [field], "properties": fields}
    return {"required": True, "content": {FORM: {"schema": form}, media: {"schema": {"type": "string"}}}}


TIMEOUT_DOC = doc_param(
    "timeout", f"Seconds, at least {MIN_TIMEOUT}; may shorten the server's time limit, never lengthen it.", "number"
)
TIMEOUT_DOC["schema"]["minimum"] = MIN_TIMEOUT
