"""Whether a request wants a page, and the 404 page: what the pages and the service's error handlers share.

It lives apart from the page routes so that `vskg.api.errors` can answer an unknown address with a page without
importing the routes (which import the API's dependencies, which import the error handlers: a cycle). It needs
only content negotiation and the templates.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from vskg import negotiation
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
