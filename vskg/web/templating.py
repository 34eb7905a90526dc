"""One Jinja2 environment for every page, with the filters the templates share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from vskg import __version__
from vskg.keys import data_key, id_path
from vskg.web.wording import path_words, phrase, property_words

WEB = Path(__file__).resolve().parent
STATIC = WEB / "static"

templates = Jinja2Templates(directory=str(WEB / "templates"))
templates.env.globals["version"] = __version__
templates.env.filters["key"] = data_key
templates.env.filters["id_path"] = id_path


def hours(value: float | None) -> str:
    """Hours as an architect reads them: '36 h' under three days, otherwise days with one decimal as well."""
    if value is None:
        return "n/a"
    text = f"{value:,.1f}".rstrip("0").rstrip(".") + " h"
    if value >= 72:
        text += f" ({value / 24:,.1f} d)"
    return text


def percent(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f} %"


templates.env.filters["hours"] = hours
templates.env.filters["percent"] = percent
# Property names and SHACL paths in words (vskg.web.wording); the templates keep the technical form beside them.
templates.env.filters["path_words"] = path_words
templates.env.filters["phrase"] = phrase
templates.env.filters["property_words"] = property_words


def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)
