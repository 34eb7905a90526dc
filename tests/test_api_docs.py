"""/docs and /redoc over HTTP: pages that name this server only, a policy that allows nothing else, vendored files.

The browser test (tests/browser/test_api_docs.py) shows the pages render with that policy; this one pins what the
server sends: the addresses in each page, the Content-Security-Policy header, and the vendored files' bytes.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator

import httpx
import pytest

from tests.server import LiveServer
from vskg.web.templating import STATIC

VENDOR = STATIC / "vendor"


@pytest.fixture(scope="module")
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        yield http


def addresses(html: str) -> list[str]:
    return re.findall(r'(?:src|href|spec-url)="([^"]*)"', html)


def inline_script_hash(html: str) -> str:
    (script,) = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


def test_swagger_ui_page_names_only_this_server(client: httpx.Client) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    html = response.text
    assert addresses(html) == [
        "/static/vendor/swagger-ui/swagger-ui.css",
        "/static/favicon.svg",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
    ]
    assert "url: '/openapi.json'" in html
    assert '"validatorUrl": null' in html  # no badge from validator.swagger.io
    assert "<title>vskg: API (Swagger UI)</title>" in html
    assert response.headers["content-security-policy"] == (
        f"default-src 'none'; script-src 'self' '{inline_script_hash(html)}'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_redoc_page_names_only_this_server(client: httpx.Client) -> None:
    response = client.get("/redoc")
    assert response.status_code == 200
    html = response.text
    assert addresses(html) == ["/static/favicon.svg", "/openapi.json", "/static/vendor/redoc/redoc.standalone.js"]
    assert "fonts.googleapis.com" not in html
    assert "<title>vskg: API (ReDoc)</title>" in html
    assert response.headers["content-security-policy"] == (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; worker-src blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("swagger-ui/swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
        ("swagger-ui/swagger-ui.css", "text/css; charset=utf-8"),
        ("redoc/redoc.standalone.js", "text/javascript; charset=utf-8"),
        ("redoc/logo-mini.svg", "image/svg+xml"),
    ],
)
def test_vendored_files_are_served_as_shipped(client: httpx.Client, path: str, media: str) -> None:
    response = client.get(f"/static/vendor/{path}")
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    assert response.content == (VENDOR / path).read_bytes()


def test_vendored_files_ask_for_nothing_elsewhere() -> None:
    """The two changes the vendor READMEs note: no CDN logo in ReDoc, no source-map comments left."""
    redoc = (VENDOR / "redoc" / "redoc.standalone.js").read_text(encoding="utf-8")
    assert "cdn.redoc.ly" not in redoc
    assert redoc.count('src:"/static/vendor/redoc/logo-mini.svg"') == 1
    assert not redoc.rstrip().splitlines()[-1].startswith("//# sourceMappingURL")
    css = (VENDOR / "swagger-ui" / "swagger-ui.css").read_text(encoding="utf-8")
    assert "sourceMappingURL" not in css
    bundle = (VENDOR / "swagger-ui" / "swagger-ui-bundle.js").read_text(encoding="utf-8")
    assert "sourceMappingURL" not in bundle
    for folder, licence in (("swagger-ui", "Apache License"), ("redoc", "MIT License")):
        assert licence in (VENDOR / folder / "LICENSE").read_text(encoding="utf-8")


def test_the_documentation_pages_are_not_operations(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/docs", "/redoc", "/docs/oauth2-redirect"} & set(paths) == set()
