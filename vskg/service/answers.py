"""Answering a query in the form a request names: by Accept, or by ``?format=`` for clients that cannot send
headers; with label columns beside the IRI columns on request (``?labels=1``); spreadsheet forms as downloads.

Why here: /sparql and /queries/{name} answer the same way, and route modules may not import each other.

- ``format`` (csv, tsv, json, xml, xlsx for SELECT; json, xml for ASK; ttl, nt, jsonld, rdfxml for CONSTRUCT and
  DESCRIBE; see `vskg.negotiation.FORMAT_NAMES`) overrides Accept. Excel's and Power BI's "From Web" take a URL
  only. A name that is unknown or does not fit the query's form is a 400 before the query runs.
- ``labels=1`` adds, after each column X holding IRIs, a column X_label with each resource's label
  (`vskg.result_labels`), looked up in the union of the store's graphs by extra queries that run on the query
  workers under the same time limit.
- CSV, TSV and XLSX answers carry ``Content-Disposition: attachment`` with a file name (the catalogue query's
  name, or ``results``), so that a link saves a file.

A plain answer is handed on as the engine wrote it; only labels and XLSX need the rows read and written again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pyoxigraph
from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from vskg.negotiation import XLSX, FormatRefused, NotAcceptable, excerpt, format_type, result_type
from vskg.result_labels import best_labels, distinct_iris, iri_columns, label_queries, with_labels
from vskg.service.deps import answer_headers, run_query
from vskg.service.errors import ApiError
from vskg.service.openapi import doc_param
from vskg.service.sparql_requests import Params, one_of
from vskg.sparql_results import SELECT_WRITERS, Term
from vskg.spreadsheet import select_xlsx
from vskg.store.engine import QueryAnswer, QueryJob
from vskg.store.remote import query_form

RESULTS_JSON = "application/sparql-results+json"
KINDS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
DOWNLOADS = {"text/csv": "csv", "text/tab-separated-values": "tsv", XLSX: "xlsx"}
LABELS_ON = ("1", "true")
LABELS_OFF = ("0", "false")
LABEL_ROWS = 1_000_000  # label candidates one lookup may return (a few per resource)
_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]")

FORMAT_DOC = doc_param(
    "format",
    "The answer's format, for clients that cannot send Accept (it overrides Accept): `csv`, `tsv`, `json` "
    "(SPARQL results JSON), `xml` (SPARQL results XML) or `xlsx` (an Excel workbook) for SELECT; `json` or `xml` "
    "for ASK; `ttl`, `nt`, `jsonld` or `rdfxml` for CONSTRUCT and DESCRIBE. Any other value, or one that does not "
    "fit the query, is a 400 listing the allowed ones. CSV, TSV and XLSX come as a download (Content-Disposition).",
)
FORMAT_DOC["schema"]["enum"] = ["csv", "tsv", "json", "xml", "xlsx", "ttl", "nt", "jsonld", "rdfxml"]
LABELS_DOC = doc_param(
    "labels",
    "`1` (or `true`) adds, right after each column X that holds IRIs, a column `X_label` with each resource's "
    "label (English rdfs:label first, then skos:prefLabel; unbound when it has none), looked up in the union of "
    "the store's graphs. SELECT only; works with every format. `0` or `false` (the default) leaves the result as "
    "the query wrote it.",
)
LABELS_DOC["schema"]["enum"] = ["0", "1", "true", "false"]


@dataclass(frozen=True)
class Wanted:
    """What the request asks of the answer, beyond the query."""

    format: str | None = None
    labels: bool = False
    filename: str = "results"


def wanted(filename: str, *sources: Params) -> Wanted:
    """Read ``format`` and ``labels`` (each at most once in all of ``sources``)."""
    labels = one_of("labels", *sources)
    if labels is not None and labels.lower() not in LABELS_ON + LABELS_OFF:
        raise ApiError(400, f"labels must be 1 or 0 (or true or false); got {excerpt(labels)}")
    return Wanted(one_of("format", *sources), labels is not None and labels.lower() in LABELS_ON, filename)


async def answer(request: Request, job: QueryJob, timeout: float | None, want: Wanted) -> Response:
    """Run ``job`` and answer in the form ``want`` and the Accept header ask for."""
    media = None
    if want.format is not None or want.labels:
        form = query_form(job.text)
        kind = KINDS[form]
        if want.format is not None:
            try:
                media = format_type(want.format, kind)
            except FormatRefused as refused:
                raise ApiError(400, str(refused)) from None
        if want.labels and kind != "select":
            article = "an" if form == "ASK" else "a"
            raise ApiError(400, f"labels=1 adds label columns to SELECT results; this is {article} {form} query")
    if not want.labels and media != XLSX:
        done = await run_query(request, job if media is None else replace(job, accept=media), timeout)
        return _response(done.body, done.media_type, done, want)
    if media is None:
        try:
            media = result_type(job.accept, "select")
        except NotAcceptable as refused:
            raise ApiError(406, str(refused)) from None
    done = await run_query(request, replace(job, accept=RESULTS_JSON), timeout)
    if done.kind != "select":
        raise ApiError(400, "labels and xlsx fit SELECT results only; this query is not a SELECT")
    variables, rows = await run_in_threadpool(solutions, done.body)
    if want.labels:
        variables, rows = await labelled(request, variables, rows, timeout)
    if media == XLSX:
        body = await run_in_threadpool(select_xlsx, variables, rows, want.filename)
    else:
        body = await run_in_threadpool(SELECT_WRITERS[media], variables, rows)
    return _response(body, media, done, want)


def solutions(body: bytes) -> tuple[list[str], list[tuple[Term, ...]]]:
    """The variables and rows of a SPARQL results JSON document."""
    try:
        result = pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.JSON)
        if not isinstance(result, pyoxigraph.QuerySolutions):
            raise ApiError(400, "labels and xlsx fit SELECT results only; this query is not a SELECT")
        names = [v.value for v in result.variables]
        return names, [tuple(solution[name] for name in names) for solution in result]
    except SyntaxError as problem:  # an operator's SPARQL server can answer what Oxigraph would never write
        raise ApiError(502, f"the SPARQL server answered results vskg cannot read: {problem}") from None


async def labelled(
    request: Request, variables: list[str], rows: list[tuple[Term, ...]], timeout: float | None
) -> tuple[list[str], list[tuple[Term, ...]]]:
    """The result with a label column after each IRI column, the labels fetched by the query workers."""
    columns = iri_columns(variables, rows)
    candidates: list[tuple[Term, ...]] = []
    for text in label_queries(distinct_iris(rows, columns)):
        found = await run_query(request, QueryJob(text, accept=RESULTS_JSON, max_rows=LABEL_ROWS), timeout)
        candidates += (await run_in_threadpool(solutions, found.body))[1]
    return with_labels(variables, rows, columns, best_labels(candidates))  # type: ignore[arg-type]


def _response(body: bytes, media: str, done: QueryAnswer, want: Wanted) -> Response:
    headers = answer_headers(done)
    suffix = DOWNLOADS.get(media)
    if suffix is not None:
        name = _FILE_NAME.sub("_", want.filename) or "results"
        headers["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
    return Response(body, media_type=media, headers=headers)
