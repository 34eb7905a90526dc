"""The SPARQL 1.1 Protocol update operation at /update: a form or an application/sparql-update body, token needed.

An update runs as one pyoxigraph transaction, so one that fails (malformed, or refused by the store part way)
leaves the store as it was. LOAD, SERVICE and the reserved staging graphs are refused before the text reaches
the store (see vskg.safety; the check runs off the event loop, as does everything that reads the text). Relative IRIs
resolve against the IRI of the endpoint, as they do in queries.

pyoxigraph takes no dataset for an update, so the dataset of each DELETE/INSERT ... WHERE operation is written
into its text as USING and USING NAMED clauses:

- from the protocol's ``using-graph-uri`` and ``using-named-graph-uri`` parameters when they are given (and the
  request is refused when the update names its own dataset with USING, USING NAMED or WITH as well, as the
  protocol requires);
- otherwise, for each operation that names no dataset of its own, every named graph of the store, so that a WHERE
  clause matches the same union default graph a query sees (the service description's sd:UnionDefaultGraph).
  Graphs created earlier in the same request are not part of that union; the short form DELETE WHERE, which
  takes no USING, works on the store's own default graph.
"""

from __future__ import annotations

from itertools import pairwise

import pyoxigraph
from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from vskg.analytics.live import Change
from vskg.analytics.reads import update_may_change_analysis
from vskg.safety import Refused, check_update
from vskg.service import errors, gate
from vskg.service.auth import require_write_token
from vskg.service.deps import engine_of, run_write
from vskg.service.errors import ApiError
from vskg.service.methods import refuse_methods
from vskg.service.openapi import doc_body, doc_param
from vskg.service.sparql_requests import (
    FORM,
    QUERY_TYPE,
    UPDATE_TYPE,
    Params,
    body_text,
    content_type,
    endpoint_iri,
    graph_iris,
    refuse_in_url,
    url_params,
)
from vskg.sparql_lexer import PUNCT, WORD, tokenize
from vskg.store import STAGING_PREFIX, Backend
from vskg.validation.delta import Measured, measure
from vskg.validation.gate import Unmeasurable
from vskg.validation.where import where_change

USING_PARAMS = ("using-graph-uri", "using-named-graph-uri")

router = APIRouter(tags=["SPARQL"])


def dataset_clause(using: list[str] | tuple[str, ...], named: list[str] | tuple[str, ...]) -> str:
    return "".join(f"USING <{g}> " for g in using) + "".join(f"USING NAMED <{g}> " for g in named)


def with_dataset(text: str, clause: str, *, explicit: bool, base: str | None = None) -> str:
    """Put ``clause`` before the WHERE of every DELETE/INSERT ... WHERE operation without a dataset of its own.

    Such a WHERE stands outside any braces right after the closing brace of a template (DELETE WHERE, the short
    form, follows the DELETE keyword and takes no USING). With ``explicit`` (the clause comes from the request's
    parameters), an operation that has its own USING or WITH makes the request an error.
    """
    tokens = tokenize(text, base)
    if not tokens.complete:  # the engine will not parse it either; let it say why
        return text
    depth, own, places, previous = 0, False, [], None
    for token in tokens.tokens:
        word = token.upper if token.kind in (PUNCT, WORD) else ""
        if word in ("{", "{|"):
            depth += 1
        elif word in ("}", "|}"):
            depth -= 1
        elif depth:
            pass
        elif word == ";":
            own = False
        elif word in ("USING", "WITH"):
            if explicit:
                raise ApiError(
                    400,
                    f"the update has its own {word} clause and the request gives {' or '.join(USING_PARAMS)} as "
                    "well; the SPARQL 1.1 Protocol does not allow both, so send one or the other",
                )
            own = True
        elif word == "WHERE" and not own and previous is not None and previous.text == "}":
            places.append(token.start)
        previous = token
    cuts = [0, *places, len(text)]
    return clause.join(text[start:end] for start, end in pairwise(cuts))


def _own_syntax_error(text: str, base: str) -> str | SyntaxError:
    """The parser's message for the text the client sent, whose positions the rewritten text no longer matches."""
    try:
        pyoxigraph.Store().update(text, base_iri=base)  # an empty scratch store: only the parse matters
    except SyntaxError as err:
        return err
    except (RuntimeError, ValueError, OSError):
        pass
    return "the update could not be parsed once its dataset was written in"


def final_text(store: Backend, text: str, base: str, using: tuple[str, ...], named: tuple[str, ...]) -> str:
    """The update with its dataset written in (see the module)."""
    if using or named:
        return with_dataset(text, dataset_clause(using, named), explicit=True, base=base)
    graphs = [g for g in store.graphs() if not g.startswith(STAGING_PREFIX)]
    return with_dataset(text, dataset_clause(graphs, graphs), explicit=False, base=base) if graphs else text


# What a gated service (`--validate-writes`) tells a client whose update it cannot measure before running it.
UNMEASURED = (
    "with --validate-writes, an update must be INSERT DATA / DELETE DATA operations, or one DELETE/INSERT ... WHERE "
    "(or DELETE WHERE) operation alone, so that what it changes can be worked out before it runs; send the other "
    "operations as requests of their own, and replace or drop whole graphs with the Graph Store Protocol "
    "(PUT or DELETE /store?graph=...)"
)


def measured_update(
    store: Backend, text: str, base: str, using: tuple[str, ...], named: tuple[str, ...], timeout: float
) -> Measured:
    """What the update will change, read from the store before it runs (the write gate's measurement)."""
    change = Change.of_update(text, base)
    if change.everything:
        final = final_text(store, text, base, using, named)
        try:
            change = where_change(store, final, base, timeout)
        except (SyntaxError, ValueError, RuntimeError) as err:
            own = _own_syntax_error(text, base)
            if isinstance(own, SyntaxError):
                raise ApiError(400, f"malformed update: {own}") from None
            raise Unmeasurable(f"{UNMEASURED} (its WHERE clause could not be evaluated on its own: {err})") from None
        if change is None:
            raise Unmeasurable(UNMEASURED)
    return measure(store, change)


def apply(store: Backend, text: str, base: str, using: tuple[str, ...], named: tuple[str, ...]) -> None:
    """Run the update with its dataset written in (called while the query workers are stopped)."""
    final = final_text(store, text, base, using, named)
    try:
        store.update(final, base_iri=base)
    except SyntaxError as err:
        raise ApiError(400, f"malformed update: {_own_syntax_error(text, base) if final != text else err}") from None
    except (RuntimeError, ValueError) as err:
        raise ApiError(400, f"the update could not be applied, nothing was changed: {err}") from None
    except OSError as err:
        raise ApiError(500, f"the store could not be written: {err.strerror or type(err).__name__}") from None


@router.post(
    "/update",
    summary="SPARQL update (needs the write token)",
    description="Runs a SPARQL 1.1 Update as in the SPARQL 1.1 Protocol: a form (`application/x-www-form-"
    "urlencoded`) with `update` and any `using-graph-uri`/`using-named-graph-uri` in the body (or the URL), or the "
    "update as an "
    "`application/sparql-update` body with those parameters in the URL. Needs `Authorization: Bearer <token>`. "
    "The whole request is one transaction: if any part fails nothing changes. LOAD is refused; upload data "
    "with the Graph Store Protocol at /store instead. Answers 204 No Content on success." + gate.GATED_NOTE + " "
    "In that mode an update must be INSERT DATA / DELETE DATA operations or one DELETE/INSERT ... WHERE operation "
    "alone (its WHERE is evaluated first to know what it changes); anything else is refused with 422.",
    status_code=204,
    response_class=Response,
    dependencies=[Depends(require_write_token)],
    responses={
        204: {"description": "The update was applied."},
        200: gate.WARNED,
        **errors.responses(400, 401, 403, 413, 415),
        422: gate.REFUSED,
    },
    openapi_extra={
        "parameters": [
            doc_param("using-graph-uri", "A graph of the WHERE clause's default graph.", many=True),
            doc_param("using-named-graph-uri", "A named graph the WHERE clause may use with GRAPH.", many=True),
        ],
        "requestBody": doc_body("update", UPDATE_TYPE, *USING_PARAMS),
    },
)
async def update(request: Request) -> Response:
    url = url_params(request)
    if url.has("query"):
        raise ApiError(400, "this is the update endpoint; send SPARQL queries to /sparql")
    media = content_type(request)
    if media == FORM:
        form = Params(await request.body(), "form body")
        if form.has("query"):
            raise ApiError(400, "this is the update endpoint; send SPARQL queries to /sparql")
        refuse_in_url(url, "update", "the form body")
        text, dataset = form.one("update"), Params.joined(url, form)
        if text is None:
            raise ApiError(400, "the form has no 'update' parameter")
    elif media == UPDATE_TYPE:
        if url.has("update"):
            raise ApiError(400, "the update is the request body; do not send an 'update' parameter as well")
        text, dataset = await body_text(request), url
    elif media == QUERY_TYPE:
        raise ApiError(415, "this is the update endpoint; send SPARQL queries to /sparql")
    else:
        raise ApiError(
            415,
            f"POST /update takes {FORM} (with update=...) or {UPDATE_TYPE}, not "
            + (repr(media) if media else "a body without Content-Type"),
        )
    if not text.strip():
        raise ApiError(400, "the update is empty")
    try:
        await run_in_threadpool(check_update, text, engine_of(request).allowed_services, endpoint_iri(request))
    except Refused as refused:
        raise ApiError(400, str(refused)) from None
    using = graph_iris(dataset.all("using-graph-uri"), "using-graph-uri")
    named = graph_iris(dataset.all("using-named-graph-uri"), "using-named-graph-uri")
    base = endpoint_iri(request)
    relevant = update_may_change_analysis(text)
    change = await run_in_threadpool(Change.of_update, text, base) if relevant else None
    timeout = engine_of(request).timeout

    def measured(store: Backend) -> Measured:
        return measured_update(store, text, base, using, named, timeout)

    await run_write(request, apply, text, base, using, named, analysis=relevant, change=change, measured=measured)
    return gate.answer(request, Response(status_code=204))


refuse_methods(router, "/update", "POST")
