"""The API documentation pages, /docs (Swagger UI) and /redoc, on copies of their scripts that ship in the package.

FastAPI's built-in pages load Swagger UI and ReDoc from a CDN (and ReDoc's fonts from Google): without internet
they are blank, and with it every reader's browser tells third parties what it is reading. These routes build the
same pages with FastAPI's helpers, pointed at `static/vendor/` (see the README there for the origin of each file),
and send a Content-Security-Policy that lets the page reach this server only: its scripts and styles, the
OpenAPI description, and the API itself when "Try it out" sends a request. The policy also allows what the two
libraries need inside the page, and no more: Swagger UI's one inline start-up script by its hash (computed from the
page, so it follows FastAPI's template), ReDoc's generated `<style>` elements, the search worker ReDoc starts from
a `blob:` URL, and the `data:` images of Swagger UI's stylesheet.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

VENDOR = "/static/vendor"
SWAGGER_JS = f"{VENDOR}/swagger-ui/swagger-ui-bundle.js"
SWAGGER_CSS = f"{VENDOR}/swagger-ui/swagger-ui.css"
REDOC_JS = f"{VENDOR}/redoc/redoc.standalone.js"
FAVICON = "/static/favicon.svg"

INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def policy(html: str, *, blob_workers: bool = False) -> str:
    """The page's Content-Security-Policy: this origin only, plus the hash of each inline script of ``html``."""
    hashes = "".join(
        f" 'sha256-{base64.b64encode(hashlib.sha256(script.encode('utf-8')).digest()).decode('ascii')}'"
        for script in INLINE_SCRIPT.findall(html)
    )
    directives = [
        "default-src 'none'",
        f"script-src 'self'{hashes}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        *(["worker-src blob:"] if blob_workers else []),
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def secured(page: HTMLResponse, csp: str) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = csp
    page.headers["X-Content-Type-Options"] = "nosniff"
    page.headers["Referrer-Policy"] = "no-referrer"
    return page


@cache
def swagger_page(openapi_url: str, title: str) -> tuple[bytes, str]:
    page = get_swagger_ui_html(
        openapi_url=openapi_url,
        title=f"{title}: API (Swagger UI)",
        swagger_js_url=SWAGGER_JS,
        swagger_css_url=SWAGGER_CSS,
        swagger_favicon_url=FAVICON,
        # Swagger UI would otherwise send the description to validator.swagger.io for a badge.
        swagger_ui_parameters={"validatorUrl": None},
    )
    html = bytes(page.body).decode("utf-8")
    return page.body, policy(html)


@cache
def redoc_page(openapi_url: str, title: str) -> tuple[bytes, str]:
    page = get_redoc_html(
        openapi_url=openapi_url,
        title=f"{title}: API (ReDoc)",
        redoc_js_url=REDOC_JS,
        redoc_favicon_url=FAVICON,
        with_google_fonts=False,
    )
    html = bytes(page.body).decode("utf-8")
    return page.body, policy(html, blob_workers=True)


def openapi_address(request: Request) -> str:
    return request.scope.get("root_path", "") + (request.app.openapi_url or "/openapi.json")


@router.get("/docs", response_class=HTMLResponse)
async def swagger_ui(request: Request) -> HTMLResponse:
    body, csp = swagger_page(openapi_address(request), request.app.title)
    return secured(HTMLResponse(body), csp)


@router.get("/redoc", response_class=HTMLResponse)
async def redoc(request: Request) -> HTMLResponse:
    body, csp = redoc_page(openapi_address(request), request.app.title)
    return secured(HTMLResponse(body), csp)
