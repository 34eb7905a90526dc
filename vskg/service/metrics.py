"""The service's counters (requests, query latency, timeouts) and the middleware that counts requests.

They are kept by the app (`app.state.metrics`) and read by the /metrics route (`vskg.api.observability`)."""

from __future__ import annotations

import bisect
import threading
from collections import Counter

from fastapi import Request
from starlette.middleware.base import BaseHTTPMiddleware

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """Counters kept in memory; enough for a Prometheus scrape of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[tuple[str, str, int]] = Counter()
        self.query_buckets = [0] * len(BUCKETS)
        self.query_count = 0
        self.query_sum = 0.0

    def count(self, method: str, route: str, status: int) -> None:
        with self._lock:
            self.requests[(method, route, status)] += 1

    def observe_query(self, seconds: float) -> None:
        with self._lock:
            self.query_count += 1
            self.query_sum += seconds
            index = bisect.bisect_left(BUCKETS, seconds)
            for i in range(index, len(BUCKETS)):
                self.query_buckets[i] += 1

    def render(self, timeouts: int) -> str:
        lines = [
            "# HELP vskg_http_requests_total HTTP requests by method, route template and status.",
            "# TYPE vskg_http_requests_total counter",
        ]
        with self._lock:
            for (method, route, status), n in sorted(self.requests.items()):
                lines.append(f'vskg_http_requests_total{{method="{method}",route="{route}",status="{status}"}} {n}')
            lines += [
                "# HELP vskg_query_duration_seconds Time to answer a SPARQL query, including serialisation.",
                "# TYPE vskg_query_duration_seconds histogram",
            ]
            for bound, n in zip(BUCKETS, self.query_buckets, strict=True):
                lines.append(f'vskg_query_duration_seconds_bucket{{le="{bound:g}"}} {n}')
            lines.append(f'vskg_query_duration_seconds_bucket{{le="+Inf"}} {self.query_count}')
            lines.append(f"vskg_query_duration_seconds_sum {self.query_sum:.6f}")
            lines.append(f"vskg_query_duration_seconds_count {self.query_count}")
        lines += [
            "# HELP vskg_query_timeouts_total Queries stopped at the time limit.",
            "# TYPE vskg_query_timeouts_total counter",
            f"vskg_query_timeouts_total {timeouts}",
        ]
        return "\n".join(lines) + "\n"


class CountRequests(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        response = await call_next(request)
        # The router records the matched route in the scope; the template keeps label cardinality small.
        route = getattr(request.scope.get("route"), "path", "unmatched")
        request.app.state.metrics.count(request.method, route, response.status_code)
        return response
