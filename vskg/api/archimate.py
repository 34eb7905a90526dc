"""ArchiMate models over HTTP: POST /import/archimate (token needed) and GET /export/archimate.

The import takes every format `vskg.archimate.importer.read_model` knows, chosen by content: an exchange file, an
Archi ``.archimate`` (plain or zipped) or a zip of Archi's CSV export (``elements.csv`` and its siblings).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from vskg.archimate.importer import build_import, write_import
from vskg.archimate.writer import ExportError, export_store
from vskg.rdfio import InputError
from vskg.service import errors, gate
from vskg.service.auth import require_write_token
from vskg.service.deps import reading, run_write
from vskg.service.errors import ApiError
from vskg.service.params import GraphIri
from vskg.store.bundled import ensure_vocabulary
from vskg.validation.delta import MEASURE_LIMIT, Delta, Measured, measure
from vskg.validation.gate import import_change

router = APIRouter(tags=["ArchiMate"])


@router.post(
    "/import/archimate",
    dependencies=[Depends(require_write_token)],
    responses={**errors.responses(400, 401, 403, 413), 422: gate.REFUSED},
    summary="Import an ArchiMate exchange file, Archi .archimate or zipped Archi CSV export into its own named graph",
)
async def import_archimate(
    request: Request,
    graph: Annotated[
        GraphIri | None, Query(description="Target graph IRI (default: one graph per model identifier).")
    ] = None,
    name: str = Query("upload.xml", description="File name recorded in the provenance."),
) -> dict:
    """The body is the file itself (a CSV export as a zip of its files). A bad file is refused (400, naming the file,
    line and reason); nothing is written. With `--validate-writes`, an import that would add a SHACL Violation is
    refused with 422 and the report of the findings it would add, nothing written; otherwise the answer has a
    `validation` member, the report of the Warnings and Infos it added."""
    body = await request.body()
    if not body:
        raise ApiError(400, "the request body is empty; send the ArchiMate file as the body")
    try:
        quads, summary = await run_in_threadpool(build_import, body, name, graph)
    except InputError as problem:
        raise ApiError(400, f"{problem} (nothing was written)") from None

    def write(store) -> list[str]:
        write_import(store, quads, summary)
        return ensure_vocabulary(store)

    def measured(store) -> Measured:
        if len(quads) > MEASURE_LIMIT and not gate.is_on(request):  # not worth it: the standing report runs in full
            return Measured(Delta.unknown())
        return measure(store, import_change(store, summary.graph, quads))

    added = await run_write(request, write, measured=measured)
    checked = gate.report(request)
    return {**summary.as_dict(), "vocabulary_added": added, **({"validation": checked} if checked is not None else {})}


@router.get(
    "/export/archimate",
    response_class=Response,
    responses={
        200: {"description": "The exchange file.", "content": {"application/xml": {}}},
        **errors.responses(400, 404, 503),
    },
    summary="An ArchiMate exchange file for an imported model, or for vskg data",
)
async def export_archimate(
    request: Request,
    graph: Annotated[GraphIri | None, Query(description="Graph IRI; all vskg data when left out.")] = None,
) -> Response:
    async with reading(request) as store:
        try:
            xml = await run_in_threadpool(export_store, store, graph)
        except ExportError as problem:
            raise ApiError(404, str(problem)) from None
    return Response(xml, media_type="application/xml")
