"""Case 8: SERVICE in the WHERE of an update, and LOAD hidden after escapes, are refused; nothing is fetched."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.hostile.conftest import Survivor
from tests.server import Listener

PREFIX = "PREFIX ex: <http://example.org/> "


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("INSERT { ex:a ex:b ?z } WHERE { SERVICE <URL> { ?x ?y ?z } }", "SERVICE (federated query) is disabled"),
        ("DELETE { ex:a ex:b ?z } WHERE { BIND(1 AS ?k) .SERVICE <URL> { ?x ?y ?z } }", "SERVICE (federated"),
        ("INSERT { ex:a ex:b ?z } WHERE { ?s ?p ex:a\\#b SERVICE SILENT <URL> { ?x ?y ?z } }", "SERVICE (federated"),
        ("INSERT DATA { ex:a\\#b ex:p 'x' } ; LOAD <URL>", "LOAD is disabled"),
        ('INSERT DATA { ex:a ex:p "#" };LOAD SILENT <URL> INTO GRAPH ex:g', "LOAD is disabled"),
        ("DELETE WHERE { ?s ex:p ex:a\\' } ;LOADSILENT <URL>", "LOAD is disabled"),
        ("\\u004cOAD <URL>", "LOAD is disabled"),
    ],
)
def test_update_that_would_fetch_is_refused(survivor: Survivor, listener: Listener, body: str, message: str) -> None:
    update = PREFIX + body.replace("URL", listener.url)
    answer = httpx.post(
        f"{survivor.url}/update",
        content=update.encode(),
        headers={"Content-Type": "application/sparql-update", **survivor.auth()},
        timeout=30,
    )
    survivor.refused(answer, 400, message)
    time.sleep(0.3)
    assert listener.connections == 0
