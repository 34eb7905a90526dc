"""Health, metrics and the OpenAPI description of the live service."""

from __future__ import annotations

import re

import httpx

from tests.server import LiveServer


def test_health_is_plain_and_fast(live_server: LiveServer) -> None:
    answer = httpx.get(f"{live_server.url}/health")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})


def test_metrics_count_requests_by_route_and_status_and_time_queries(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.url) as client:
        before = client.get("/metrics").text
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        assert client.get("/sparql", params={"query": "ASK {"}).status_code == 400
        assert client.get("/queries/no-such-query").status_code == 404
        after = client.get("/metrics")
    assert after.headers["content-type"].startswith("text/plain; version=0.0.4")

    def sample(text: str, name: str) -> float:
        match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
        return float(match.group(1)) if match else 0.0

    ok = 'vskg_http_requests_total{method="GET",route="/sparql",status="200"}'
    bad = 'vskg_http_requests_total{method="GET",route="/sparql",status="400"}'
    missing = 'vskg_http_requests_total{method="GET",route="/queries/{name}",status="404"}'
    assert sample(after.text, ok) == sample(before, ok) + 1
    assert sample(after.text, bad) == sample(before, bad) + 1
    assert sample(after.text, missing) == sample(before, missing) + 1
    count = "vskg_query_duration_seconds_count"
    assert sample(after.text, count) == sample(before, count) + 2
    assert sample(after.text, 'vskg_query_duration_seconds_bucket{le="+Inf"}') == sample(after.text, count)


def test_openapi_lists_the_error_codes_of_every_route(live_server: LiveServer) -> None:
    paths = httpx.get(f"{live_server.url}/openapi.json").json()["paths"]
    expected = {
        ("/sparql", "get"): {"200", "400", "406", "503"},
        ("/sparql", "post"): {"200", "400", "406", "413", "415", "503"},
        ("/update", "post"): {"204", "400", "401", "403", "413", "415"},
        ("/store", "put"): {"201", "204", "400", "401", "403", "413", "415"},
        ("/store", "get"): {"200", "400", "404", "406"},
        ("/store", "delete"): {"204", "400", "401", "403", "404"},
        ("/queries/{name}", "get"): {"200", "400", "404", "406", "503"},
        ("/validate", "post"): {"200", "400", "406", "413", "415"},
    }
    for (path, method), codes in expected.items():
        declared = set(paths[path][method]["responses"])
        assert codes <= declared, (path, method, codes - declared)
    assert httpx.get(f"{live_server.url}/docs").status_code == 200
