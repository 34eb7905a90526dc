"""/api/streams, /api/portfolio, /api/capabilities and /api/systems against a real server (read only).

The bodies must be exactly the analytics of vskg.analytics as JSON; the numbers themselves are checked by hand in
tests/test_analytics_*.py, and the headline figures of the stream list once more here.
"""

from __future__ import annotations

import gzip
from urllib.parse import quote

import httpx
import pyoxigraph
import pytest

from tests.server import assert_error
from vskg.analytics import (
    analyse_portfolio,
    analyse_stream,
    capability_impact,
    shared_systems,
    system_impact,
    to_json,
)
from vskg.analytics.live import dumps
from vskg.api.analytics import accepts_gzip

DATA = "https://w3id.org/vskg/data/"
MORTGAGE = DATA + "banking/mortgage-lending"


def test_stream_list_with_headline_figures(client: httpx.Client) -> None:
    response = client.get("/api/streams")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    streams = response.json()
    assert len(streams) == 12
    assert [s["label"] for s in streams] == sorted((s["label"] for s in streams), key=str.casefold)
    mortgage = next(s for s in streams if s["key"] == "banking/mortgage-lending")
    assert mortgage == {
        "key": "banking/mortgage-lending",
        "iri": MORTGAGE,
        "label": "Mortgage lending",
        "organisation": {"iri": DATA + "banking/retail-bank", "label": "Retail bank"},
        "process_time": {"value": 1 + 2 + 1.5 + 0.5 + 3 + 2 + 6 + 1, "unit": "hours"},
        "lead_time": {
            "value": 48 + 24 + 36 + 2 + 72 + 72 + 240 + 80,  # the handoff waits are inside the stage lead times
            "unit": "hours",
        },
        "activity_ratio": {"value": 17 / 574, "unit": "ratio"},
        "rolled_pca": {"value": mortgage["rolled_pca"]["value"], "unit": "percent"},
        "coverage": {"value": 5 / 8 * 100, "unit": "percent"},
    }
    assert mortgage["rolled_pca"]["value"] == pytest.approx(0.95 * 0.9 * 0.7 * 0.92 * 0.85 * 0.65 * 0.75 * 0.95 * 100)


@pytest.mark.parametrize("key", ["banking/mortgage-lending", quote(MORTGAGE, safe="")])
def test_stream_by_key_or_full_iri(client: httpx.Client, store: pyoxigraph.Store, key: str) -> None:
    response = client.get(f"/api/streams/{key}")
    assert response.status_code == 200, response.text
    assert response.json() == {"key": "banking/mortgage-lending", **to_json(analyse_stream(store, MORTGAGE))}


def test_unknown_stream_is_404(client: httpx.Client) -> None:
    assert_error(
        client.get("/api/streams/banking/nope"),
        404,
        "<https://w3id.org/vskg/data/banking/nope> is not a value stream in the graph",
    )
    assert_error(client.get("/api/streams/not%20an%20iri"), 404, f"{DATA + 'not an iri'!r} is not a valid IRI")


def test_portfolio_of_every_stream_and_of_a_named_portfolio(client: httpx.Client, store: pyoxigraph.Store) -> None:
    response = client.get("/api/portfolio")
    assert response.status_code == 200
    everything = analyse_portfolio(store)
    assert response.json() == {**to_json(everything), "shared_systems": to_json(shared_systems(everything))}
    response = client.get("/api/portfolio", params={"portfolio": "platform/portfolio"})
    assert response.status_code == 200
    body = response.json()
    assert [s["stream"]["iri"].removeprefix(DATA) for s in body["streams"]] == [
        "platform/developer-ecosystem-growth",
        "platform/enterprise-integration",
        "platform/platform-reliability",
        "platform/product-innovation",
    ]
    assert body["matrix"][0] == [True, True, False, False, False]  # developer ecosystem: Strategy, Leadership
    assert_error(
        client.get("/api/portfolio", params={"portfolio": "banking/mortgage-lending"}),
        404,
        f"<{MORTGAGE}> is not a value stream portfolio (vskg:ValueStreamPortfolio)",
    )


def portfolio_json(result) -> bytes:
    """The document the API sends for ``result``, byte for byte."""
    return dumps({**to_json(result), "shared_systems": to_json(shared_systems(result))}).encode("utf-8")


@pytest.mark.parametrize("named", [None, "platform/portfolio"])
def test_portfolio_gzip_as_kept_to_a_client_that_accepts_it(
    client: httpx.Client, store: pyoxigraph.Store, named: str | None
) -> None:
    expected = portfolio_json(analyse_portfolio(store, named and DATA + named))
    params = {"portfolio": named} if named else {}
    for accepted in ("gzip", "br, gzip;q=0.5", "*", "x-gzip"):
        with client.stream("GET", "/api/portfolio", params=params, headers={"Accept-Encoding": accepted}) as response:
            raw = b"".join(response.iter_raw())
        assert response.status_code == 200
        assert response.headers["content-encoding"] == "gzip"
        assert response.headers["content-type"] == "application/json"
        assert response.headers["vary"] == "Accept-Encoding"
        assert int(response.headers["content-length"]) == len(raw) < len(expected)
        assert gzip.decompress(raw) == expected


@pytest.mark.parametrize("named", [None, "platform/portfolio"])
def test_portfolio_inflated_for_a_client_that_does_not_accept_gzip(
    client: httpx.Client, store: pyoxigraph.Store, named: str | None
) -> None:
    expected = portfolio_json(analyse_portfolio(store, named and DATA + named))
    params = {"portfolio": named} if named else {}
    for accepted in ("identity", "gzip;q=0", "br", "*;q=0", "deflate, gzip; q=0.0"):
        with client.stream("GET", "/api/portfolio", params=params, headers={"Accept-Encoding": accepted}) as response:
            raw = b"".join(response.iter_raw())
        assert response.status_code == 200
        assert "content-encoding" not in response.headers
        assert response.headers["vary"] == "Accept-Encoding"
        assert raw == expected


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("", False),
        ("gzip", True),
        ("GZIP", True),
        ("deflate, gzip;q=0.1", True),
        ("gzip;q=0", False),
        ("gzip; q=0.000", False),
        ("gzip;q=nonsense", False),
        ("*", True),
        ("*;q=0", False),
        ("gzip;q=0, *", False),
        ("identity, *;q=0.5", True),
        ("br, zstd", False),
    ],
)
def test_which_accept_encoding_allows_gzip(header: str, accepted: bool) -> None:
    assert accepts_gzip(header) is accepted


def test_capability_and_system_impact(client: httpx.Client, store: pyoxigraph.Store) -> None:
    response = client.get("/api/capabilities/banking/risk-and-compliance-management")
    assert response.status_code == 200
    capability = DATA + "banking/risk-and-compliance-management"
    assert response.json() == {
        "key": "banking/risk-and-compliance-management",
        **to_json(capability_impact(store, capability)),
    }
    assert [d["stage"]["label"] for d in response.json()["dependants"]] == [
        "Application submission",
        "Affordability assessment",
        "Credit checks",
        "Underwriting",
        "Underwriting",
    ]
    response = client.get("/api/systems/banking/core-platform")
    assert response.status_code == 200
    body = response.json()
    assert body == {"key": "banking/core-platform", **to_json(system_impact(store, DATA + "banking/core-platform"))}
    assert [d["via"] for d in body["dependants"]] == [
        f"vskg:runsOn <{DATA}banking/core-banking-system>",
        f"vskg:runsOn <{DATA}banking/payments-gateway>",
    ]
    assert body["streams"] == [{"iri": MORTGAGE, "label": "Mortgage lending"}]


def test_impact_of_the_wrong_kind_is_404(client: httpx.Client) -> None:
    assert_error(
        client.get("/api/systems/banking/credit-decisioning"),
        404,
        f"<{DATA}banking/credit-decisioning> is not a system (vskg:ApplicationSystem or vskg:TechnologyPlatform) "
        "in the graph",
    )
    assert_error(
        client.get("/api/capabilities/banking/core-platform"),
        404,
        f"<{DATA}banking/core-platform> is not a capability (vskg:Capability) in the graph",
    )


def test_openapi_documents_the_routes(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/streams/{key}", "/api/capabilities/{key}", "/api/systems/{key}"):
        assert set(paths[path]["get"]["responses"]) == {"200", "400", "404", "414", "431", "500"}, path
    assert set(paths["/api/portfolio"]["get"]["responses"]) == {"200", "400", "404", "414", "431", "500"}
    assert set(paths["/api/streams"]["get"]["responses"]) == {"200", "400", "414", "431", "500"}
