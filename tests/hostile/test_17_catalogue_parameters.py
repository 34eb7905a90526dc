"""Case 17: catalogue parameters that try to become SPARQL are refused, or bound as one harmless constant.

/queries/{name} writes each value into the query text (no substitutions), so the text a value can make must stay
one IRI or one literal: a value that would close the IRI, open a group, add a SERVICE or smuggle a ``\\u``
escape is refused by its type check, and a strange but valid IRI is matched as an IRI and reaches nothing.
"""

from __future__ import annotations

import time

import httpx
import pytest

from tests.hostile.conftest import Survivor
from tests.server import Listener

STREAM = "https://w3id.org/vskg/data/banking/mortgage-lending"
JSON = {"Accept": "application/sparql-results+json"}


@pytest.mark.parametrize(
    ("query", "parameter", "value", "reason"),
    [
        ("stream-stages", "stream", STREAM + "> } UNION { ?stream ?p ?o", "is not a valid iri"),
        ("stream-stages", "stream", STREAM + ">\n}\nSERVICE <URL> { ?s ?p ?o", "is not a valid iri"),
        ("stream-stages", "stream", STREAM + "\\u003E } SERVICE <URL> { ?s ?p ?o }", "is not a valid iri"),
        ("stream-stages", "stream", STREAM + '" } #', "is not a valid iri"),
        ("stream-stages", "stream", STREAM + "\n#", "is not a valid iri"),
        ("handoff-bottlenecks", "limit", "5 } SERVICE <URL> { ?s ?p ?o }", "is not a valid integer"),
        ("handoff-bottlenecks", "limit", "99999999999999999999", "is not a valid integer"),
        ("cross-boundary-handoffs", "functionsOnly", "true) || SERVICE <URL>", "is not a valid boolean"),
    ],
)
def test_a_value_that_would_change_the_query_is_refused(
    survivor: Survivor, listener: Listener, query: str, parameter: str, value: str, reason: str
) -> None:
    value = value.replace("URL", listener.url)
    answer = httpx.get(f"{survivor.url}/queries/{query}", params={parameter: value}, headers=JSON, timeout=30)
    survivor.refused(answer, 400, f"parameter {parameter!r}: {value!r} {reason}")
    assert listener.connections == 0


def test_a_strange_valid_iri_is_one_constant(survivor: Survivor, listener: Listener) -> None:
    strange = f"{listener.url}/SERVICE#'{{x}}'"
    answer = httpx.get(
        f"{survivor.url}/queries/stream-stages", params={"stream": listener.url + "/SERVICE#'x'"}, headers=JSON
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"]["bindings"] == []
    assert "{" in strange  # braces are no IRI characters: refused before they reach the text
    survivor.refused(httpx.get(f"{survivor.url}/queries/stream-stages", params={"stream": strange}), 400, "iri")
    time.sleep(0.3)
    assert listener.connections == 0
    survivor.check()
