"""The service's write gate (`vskg serve --validate-writes`, ``VSKG_VALIDATE_WRITES=1``), as RDF4J's ShaclSail has it.

With the gate on, every write through `vskg.service.deps.run_write` (updates, Graph Store PUT/POST/DELETE, imports)
goes through `vskg.validation.gate.guarded`: measured before it runs, applied, checked, and undone when it adds a
SHACL Violation. The route then answers 422 with the error and, beside it, the report of the findings the write
would have added (``conforms``, ``counts``, ``results``, as POST /validate gives them); nothing is written. A write
that adds only Warnings or Infos stays, and its response carries them (`answer`: a 204 becomes a 200 with the JSON
report). While a gated write and its check run, no read is admitted (`QueryEngine.exclusive(hold_readers=True)`),
so nobody sees a write that is then refused.

The check (`vskg.validation.gate.FocusCheck`) runs the compiled engine on the part of the model the write can change,
before and after it, through the store; ``VSKG_VALIDATE_TIMEOUT`` bounds each run, and a check that cannot finish
in time undoes the write and answers 503.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from vskg.analytics.live import Change
from vskg.service.errors import ApiError
from vskg.store import Backend
from vskg.store.base import QueryTimeout
from vskg.validation.delta import Delta, Measured, measure
from vskg.validation.gate import FocusCheck, Unmeasurable, WriteRefused, guarded, report_of
from vskg.validation.where import TooLarge

if TYPE_CHECKING:
    from vskg.validation.findings import Finding

FINDINGS = "write_findings"  # request.state: the findings a gated write added (absent when the gate is off)
DELTA = "write_delta"  # request.state: what a gated write changed (for the standing report)


class Untouched(ApiError):
    """A gated write that was refused and left the store exactly as it was (no write to count)."""


def is_on(request: Request) -> bool:
    return bool(request.app.state.settings.validate_writes)


def write(
    request: Request,
    store: Backend,
    action: Callable[..., Any],
    *args: Any,
    change: Change | None = None,
    measured: Callable[[Backend], Measured] | None = None,
) -> Any:
    """``action(store, *args)`` as a gated write (blocking: runs in a worker thread, readers held out)."""
    check = FocusCheck(timeout=request.app.state.settings.validate_timeout)

    def measuring(before: Backend) -> Measured:
        try:
            if measured is not None:
                return measured(before)
            return measure(before, change if change is not None else Change.unknown())
        except ApiError as problem:  # nothing has been written yet
            raise Untouched(problem.status, problem.message, problem.headers, problem.body) from None
        except QueryTimeout:
            raise Untouched(
                503, "working out what the write would change took longer than the time limit; nothing was written"
            ) from None

    try:
        outcome = guarded(store, measuring, action, *args, check=check)
    except QueryTimeout as late:  # the check ran out of time (the write, if it had run, was undone)
        raise ApiError(
            503, f"{late} (VSKG_VALIDATE_TIMEOUT), so the write could not be checked; nothing was written"
        ) from None
    except WriteRefused as refused:
        error = Untouched if refused.exact else ApiError
        raise error(
            422,
            f"{refused}: it breaks the shapes (see results); fix the data and send it again",
            body=report_of(refused.findings),
        ) from None
    except (Unmeasurable, TooLarge) as problem:
        raise Untouched(422, f"{problem}; nothing was written (the service validates every write)") from None
    setattr(request.state, FINDINGS, outcome.findings)
    setattr(request.state, DELTA, outcome.delta)
    return outcome.result


def delta(request: Request) -> Delta:
    """What the request's gated write changed (unknown if it did not get that far)."""
    found = getattr(request.state, DELTA, None)
    return Delta.unknown() if found is None else found


def added(request: Request) -> list[Finding] | None:
    """The findings the request's gated write added; None when the gate is off."""
    return getattr(request.state, FINDINGS, None)


def report(request: Request) -> dict | None:
    """The report of the findings the request's gated write added (for a JSON answer); None when the gate is off."""
    findings = added(request)
    return None if findings is None else report_of(findings)


def answer(request: Request, plain: Response) -> Response:
    """``plain`` as it is, or, when the gated write added findings, the same status (200 for a 204) and headers
    with the JSON report of those findings as the body."""
    findings = added(request)
    if not findings:
        return plain
    headers = {k: v for k, v in plain.headers.items() if k.lower() not in ("content-length", "content-type")}
    status = 200 if plain.status_code == 204 else plain.status_code
    return JSONResponse(report_of(findings), status_code=status, headers=headers)


# The OpenAPI text of what the gate adds to a write's answers.
GATED_NOTE = (
    " With `--validate-writes` (`VSKG_VALIDATE_WRITES=1`), a write that would add a SHACL Violation is refused with "
    "422 and nothing is written; one that adds Warnings or Infos is applied and answers 200 (or 201) with the JSON "
    "report of the findings it added instead of an empty body."
)
REFUSED = {
    "description": "Validate-writes mode: the write would add SHACL Violations (or what it would change cannot be "
    "worked out beforehand) and nothing was written. The body holds `error` and the report of the findings it would "
    "have added: `conforms`, `counts`, `results`, as POST /validate gives them.",
    "content": {"application/json": {}},
}
WARNED = {
    "description": "Validate-writes mode: the write was applied and added Warnings or Infos; the body is their "
    "report (`conforms`, `counts`, `results`).",
    "content": {"application/json": {}},
}
