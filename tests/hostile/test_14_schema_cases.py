"""Case 14, one test per answer the schema fuzzer found undescribed: each now matches /openapi.json exactly.

The fuzzer itself is tests/hostile/test_14_schema_fuzz.py; these pin the individual findings down, against the live
server (its HTTP layer included: the 414/431/400 answers come from vskg.service.protocol, before the application).
"""

from __future__ import annotations

import socket

import httpx
import pytest

from tests.hostile.conftest import Survivor
from vskg.service.protocol import MAX_HEAD_BYTES, MAX_REQUEST_LINE, diagnose

ERROR_STATUSES = ("400", "414", "431", "500")


def _raw(survivor: Survivor, request: bytes) -> bytes:
    """Send raw bytes, read the answer up to the end of its JSON body (the server closes or keeps the connection)."""
    port = int(survivor.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer


def _status_and_json(answer: bytes) -> tuple[int, dict[str, str], str]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body.decode("utf-8")


def test_id_404_is_json_for_a_json_client_and_html_only_for_a_browser(survivor: Survivor) -> None:
    for params in ({}, {"format": "html"}):
        answer = httpx.get(f"{survivor.url}/id/0", params=params, headers={"Accept": "application/json"})
        survivor.refused(answer, 404, "the store holds no triple about <https://w3id.org/vskg/0>")
    page = httpx.get(f"{survivor.url}/id/0", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    documented = httpx.get(f"{survivor.url}/openapi.json").json()["paths"]["/id/{path}"]["get"]["responses"]["404"]
    assert sorted(documented["content"]) == ["application/json", "text/html"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1e-05", "timeout must be at least 0.1 seconds (and finite), got '1e-05'"),
        ("0.09", "timeout must be at least 0.1 seconds (and finite), got '0.09'"),
        ("nan", "timeout must be at least 0.1 seconds (and finite), got 'nan'"),
        ("inf", "timeout must be at least 0.1 seconds (and finite), got 'inf'"),
        ("", "timeout must be a number of seconds, got ''"),
    ],
)
def test_timeouts_below_the_minimum_or_not_numbers_are_refused(survivor: Survivor, raw: str, message: str) -> None:
    for path, params in (("/sparql", {"query": "ASK { ?s ?p ?o }"}), ("/queries/interventions", {})):
        answer = httpx.get(f"{survivor.url}{path}", params={**params, "timeout": raw})
        assert survivor.refused(answer, 400) == message


def test_the_minimum_timeout_is_accepted_and_declared(survivor: Survivor) -> None:
    answer = httpx.get(f"{survivor.url}/sparql", params={"query": "ASK {}", "timeout": "0.1"})
    assert answer.status_code == 200
    assert answer.json()["boolean"] is True
    paths = httpx.get(f"{survivor.url}/openapi.json").json()["paths"]
    for path in ("/sparql", "/queries/{name}"):
        declared = [p for p in paths[path]["get"]["parameters"] if p["name"] == "timeout"]
        assert [p["schema"] for p in declared] == [{"type": "number", "minimum": 0.1}]
        assert "503" in paths[path]["get"]["responses"]


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "/validate", "GET, POST"),
        ("OPTIONS", "/sparql", "GET, HEAD, POST"),
        ("PATCH", "/store/anything", "GET, HEAD, PUT, POST, DELETE"),
        ("DELETE", "/id/x", "GET"),
        ("OPTIONS", "/queries/interventions", "GET, HEAD"),
    ],
)
def test_405_names_every_method_of_the_path(survivor: Survivor, method: str, path: str, allow: str) -> None:
    answer = httpx.request(method, f"{survivor.url}{path}")
    message = survivor.refused(answer, 405)
    assert answer.headers["allow"] == allow
    generic = f"{method} is not allowed here; this path accepts {allow}"
    assert message in (generic, f"{path} accepts {allow} only; see /docs")


def test_a_1_mb_query_string_gets_414_in_json_from_the_http_layer(survivor: Survivor) -> None:
    line = b"GET /sparql?query=" + b"A" * 1_000_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    # Only the first 200 KB are sent: the server answers once it has more than it accepts, and a client that is
    # still sending when the server closes could lose the answer to a reset.
    status, headers, body = _status_and_json(_raw(survivor, line[:200_000]))
    assert (status, headers["content-type"]) == (414, "application/json")
    assert httpx.Response(414, content=body).json() == {
        "error": {
            "status": 414,
            "message": f"the request line is longer than {MAX_REQUEST_LINE} bytes; send a long query in a POST "
            "body instead",
        }
    }
    survivor.check()


def test_a_url_over_the_limit_that_arrives_in_one_piece_gets_414_too(survivor: Survivor) -> None:
    answer = httpx.get(f"{survivor.url}/sparql", params={"query": "ASK {} #" + "A" * 40_000})
    survivor.refused(answer, 414, f"the request line is longer than {MAX_REQUEST_LINE} bytes")
    within = httpx.get(f"{survivor.url}/sparql", params={"query": "ASK {} #" + "A" * 30_000})
    assert within.status_code == 200


def test_headers_over_the_limit_get_431_in_json(survivor: Survivor) -> None:
    answer = httpx.get(f"{survivor.url}/health", headers={"X-Padding": "A" * 70_000})
    survivor.refused(answer, 431, f"the request line and headers are larger than {MAX_HEAD_BYTES} bytes together")
    status, headers, body = _status_and_json(
        _raw(survivor, b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"X-Padding: A\r\n" * 10_000)
    )
    assert (status, headers["content-type"]) == (431, "application/json")
    assert '"status":431' in body
    survivor.check()


def test_bytes_that_are_not_http_get_400_in_json(survivor: Survivor) -> None:
    status, headers, body = _status_and_json(_raw(survivor, b"NOT HTTP AT ALL\r\n\r\n"))
    assert (status, headers["content-type"]) == (400, "application/json")
    assert body == '{"error":{"status":400,"message":"malformed HTTP request; this server speaks HTTP/1.1"}}'
    survivor.check()


def test_diagnose_tells_a_long_line_from_large_headers() -> None:
    assert diagnose(b"GET /" + b"a" * 70_000)[0] == 414
    assert diagnose(b"GET /" + b"a" * 40_000 + b" HTTP/1.1\r\nX: " + b"b" * 30_000)[0] == 414
    assert diagnose(b"GET / HTTP/1.1\r\nX: " + b"b" * 70_000)[0] == 431
    assert diagnose(b"GET / HTTP/1.1\r\n")[0] == 400


@pytest.mark.parametrize("graph", ["", "foo", "urn:a b", "http://x/%zz"])
def test_a_graph_that_is_not_an_iri_is_a_400_on_export(survivor: Survivor, graph: str) -> None:
    answer = httpx.get(f"{survivor.url}/export/archimate", params={"graph": graph})
    survivor.refused(answer, 400, f"{graph!r} is not an absolute IRI")


def test_every_operation_documents_the_shared_errors_and_none_documents_fastapis_422(survivor: Survivor) -> None:
    paths = httpx.get(f"{survivor.url}/openapi.json").json()["paths"]
    operations = [(path, method, op) for path, item in paths.items() for method, op in item.items()]
    assert len(operations) >= 30
    for path, method, op in operations:
        assert set(ERROR_STATUSES) <= set(op["responses"]), (method, path)
        # the only 422 is the refused write of validate-writes mode (vskg.service.gate), never FastAPI's own
        if "422" in op["responses"]:
            assert op["responses"]["422"]["description"].startswith("Validate-writes mode:"), (method, path)
