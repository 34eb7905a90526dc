"""Value stream maps as plain SVG: one stream's flow (`render_stream_map`), the portfolio's MCA alignment matrix
(`render_portfolio_map`) and an organisation's capability map (`render_capability_map`), drawn in Python so they
need no browser and print as text, not pictures."""

from __future__ import annotations

from vskg.maps.capability_map import render_capability_map
from vskg.maps.portfolio_map import render_portfolio_map
from vskg.maps.stream_map import render_stream_map

__all__ = ["render_capability_map", "render_portfolio_map", "render_stream_map"]
