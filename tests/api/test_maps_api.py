"""/streams/{key}/map.svg and /portfolio/map.svg against a real server: the same SVG the renderer draws locally."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pyoxigraph
from lxml import etree

from tests.server import assert_error
from vskg.analytics import analyse_portfolio, analyse_stream
from vskg.maps import render_portfolio_map, render_stream_map

MORTGAGE = "https://w3id.org/vskg/data/banking/mortgage-lending"
SVG_TYPE = "image/svg+xml"


def assert_svg(response: httpx.Response) -> etree._Element:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == SVG_TYPE
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    return etree.fromstring(response.content)


def test_stream_map_by_key_is_the_rendered_map(client: httpx.Client, store: pyoxigraph.Store) -> None:
    response = client.get("/streams/banking/mortgage-lending/map.svg")
    root = assert_svg(response)
    assert root.get("data-stream") == MORTGAGE
    assert response.text == render_stream_map(analyse_stream(store, MORTGAGE))


def test_stream_map_by_full_iri(client: httpx.Client) -> None:
    root = assert_svg(client.get(f"/streams/{quote(MORTGAGE, safe='')}/map.svg"))
    assert root.get("data-stream") == MORTGAGE
    assert len(root.xpath("//*[@class='stage' or starts-with(@class, 'stage ')]")) == 8


def test_unknown_stream_is_404(client: httpx.Client) -> None:
    assert_error(
        client.get("/streams/banking/no-such-stream/map.svg"),
        404,
        "<https://w3id.org/vskg/data/banking/no-such-stream> is not a value stream in the graph",
    )


def test_portfolio_map_of_every_stream(client: httpx.Client, store: pyoxigraph.Store) -> None:
    response = client.get("/portfolio/map.svg")
    root = assert_svg(response)
    assert root.get("class") == "vskg-portfolio"
    assert len(root.xpath("//*[@class='row']")) == 12
    assert response.text == render_portfolio_map(analyse_portfolio(store))


def test_portfolio_map_of_one_portfolio(client: httpx.Client) -> None:
    root = assert_svg(client.get("/portfolio/map.svg", params={"portfolio": "platform/portfolio"}))
    assert len(root.xpath("//*[@class='row']")) == 4
    assert_error(
        client.get("/portfolio/map.svg", params={"portfolio": "banking/mortgage-lending"}),
        404,
        f"<{MORTGAGE}> is not a value stream portfolio (vskg:ValueStreamPortfolio)",
    )
