"""Whether a request wants a page, and the 404 answer of the pages: a page for browsers, JSON for the rest.

The service's error handlers stand below the pages and cannot import them, so the app hands them
`unknown_address`, the page for an address no route answers. This module needs only content negotiation, the
templates and the service's JSON error.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from vskg import negotiation
from vskg.service.errors import error_response
from vskg.web.templating import page


def wants_html(request: Request) -> bool:
    """True for a browser (or any client without a preference); False for one that prefers JSON."""
    try:
        return negotiation.choose(request.headers.get("accept"), ["text/html", "application/json"]) == "text/html"
    except negotiation.NotAcceptable:
        return False


def not_found_page(request: Request, message: str, headers: dict[str, str] | None = None) -> HTMLResponse:
    """The 404 page that says what was not found."""
    answer = page(request, "not_found.html", {"nav": None, "message": message}, status_code=404)
    answer.headers.update(headers or {})
    return answer


def unknown_address(request: Request) -> HTMLResponse | None:
    """The 404 page for a browser's GET or HEAD of an address no route answers; None for other requests."""
    browser = wants_html(request) and "text/html" in request.headers.get("accept", "")
    if request.method in ("GET", "HEAD") and browser:
        return not_found_page(request, "There is no page at this address.")
    return None


def not_found(
    request: Request, message: str, headers: dict[str, str] | None = None, html: bool | None = None
) -> Response:
    """404 as a page for browsers and as the service's JSON error for other clients."""
    if html if html is not None else wants_html(request):
        return not_found_page(request, message, headers)
    return error_response(404, message, headers)
