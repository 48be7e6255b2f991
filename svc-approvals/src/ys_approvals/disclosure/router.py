"""四公开 routes: public read with change history; departments publish their own. A revision
names the version it was made on (If-Match with the ETag of the read)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Response

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, public, staff
from yingshang.cases.etag import IfMatch, set_etag
from yingshang.cases.pagination import Page, PageParams, paginate
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from ys_approvals import history
from ys_approvals.catalog.schemas import RevisionOut
from ys_approvals.disclosure import service
from ys_approvals.disclosure.models import DisclosureDocument, PowerEntry
from ys_approvals.disclosure.schemas import (
    DocumentIn,
    DocumentKind,
    DocumentOut,
    DocumentPatch,
    PowerIn,
    PowerOut,
    PowerPatch,
)

api = router("/api/v1/approvals/disclosure", tags=["disclosure"])
PUBLISHERS = staff("head", "admin")
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such record"},
    403: {"description": "not your department"},
}
REVISED: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    412: {"description": "changed since read"},
    428: {"description": "If-Match"},
}


@api.get(
    "/documents",
    response_model=Page[DocumentOut],
    summary="Policies, procedures, fee standards",
    dependencies=[allow(public())],
)
async def list_documents(
    session: SessionDep,
    page: PageParams,
    kind: DocumentKind | None = None,
    department: str | None = None,
    include_retired: bool = False,
) -> Page[DocumentOut]:
    query = service.documents_query(kind, department, include_retired)
    rows, cursor = await paginate(
        session, query, page, sort=DisclosureDocument.updated_at, id_col=DisclosureDocument.id
    )
    return Page(items=[DocumentOut.model_validate(r) for r in rows], next_cursor=cursor)


@api.get(
    "/documents/{doc_id}",
    response_model=DocumentOut,
    summary="One document",
    dependencies=[allow(public())],
    responses=NOT_FOUND,
)
async def read_document(doc_id: uuid.UUID, session: SessionDep, response: Response) -> DocumentOut:
    doc = await service.get_record(session, DisclosureDocument, doc_id)
    set_etag(response, doc, service.entity(doc))
    return DocumentOut.model_validate(doc)


@api.get(
    "/documents/{doc_id}/history",
    response_model=list[RevisionOut],
    summary="Every version of a document",
    dependencies=[allow(public())],
    responses=NOT_FOUND,
)
async def document_history(doc_id: uuid.UUID, session: SessionDep) -> list[RevisionOut]:
    doc = await service.get_record(session, DisclosureDocument, doc_id)
    rows = await history.revisions(session, "document", doc.id)
    return [RevisionOut.model_validate(r) for r in rows]


@idempotent_post(
    api,
    "/documents",
    response_model=DocumentOut,
    status_code=201,
    summary="Publish (head of the department, or admin)",
    dependencies=[allow(PUBLISHERS)],
    responses=NOT_FOUND,
)
async def publish_document(
    body: DocumentIn, session: SessionDep, principal: CurrentPrincipal
) -> DocumentOut:
    return DocumentOut.model_validate(await service.publish_document(session, body, principal))


@api.patch(
    "/documents/{doc_id}",
    response_model=DocumentOut,
    summary="Revise or retire",
    dependencies=[allow(PUBLISHERS)],
    responses=REVISED,
)
async def revise_document(
    doc_id: uuid.UUID,
    body: DocumentPatch,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> DocumentOut:
    doc = await service.get_record(session, DisclosureDocument, doc_id)
    await service.revise(session, doc, body, principal, if_match)
    set_etag(response, doc, service.entity(doc))
    return DocumentOut.model_validate(doc)


@api.get(
    "/powers",
    response_model=Page[PowerOut],
    summary="Power-and-responsibility lists (权责清单)",
    dependencies=[allow(public())],
)
async def list_powers(
    session: SessionDep,
    page: PageParams,
    department: str | None = None,
    power_type: str | None = None,
    include_retired: bool = False,
) -> Page[PowerOut]:
    query = service.powers_query(department, power_type, include_retired)
    rows, cursor = await paginate(
        session, query, page, sort=PowerEntry.updated_at, id_col=PowerEntry.id
    )
    return Page(items=[PowerOut.model_validate(r) for r in rows], next_cursor=cursor)


@api.get(
    "/powers/{power_id}",
    response_model=PowerOut,
    summary="One list entry",
    dependencies=[allow(public())],
    responses=NOT_FOUND,
)
async def read_power(power_id: uuid.UUID, session: SessionDep, response: Response) -> PowerOut:
    entry = await service.get_record(session, PowerEntry, power_id)
    set_etag(response, entry, service.entity(entry))
    return PowerOut.model_validate(entry)


@api.get(
    "/powers/{power_id}/history",
    response_model=list[RevisionOut],
    summary="Every version of a list entry",
    dependencies=[allow(public())],
    responses=NOT_FOUND,
)
async def power_history(power_id: uuid.UUID, session: SessionDep) -> list[RevisionOut]:
    entry = await service.get_record(session, PowerEntry, power_id)
    return [
        RevisionOut.model_validate(r) for r in await history.revisions(session, "power", entry.id)
    ]


@idempotent_post(
    api,
    "/powers",
    response_model=PowerOut,
    status_code=201,
    summary="Publish a list entry",
    dependencies=[allow(PUBLISHERS)],
    responses=NOT_FOUND,
)
async def publish_power(
    body: PowerIn, session: SessionDep, principal: CurrentPrincipal
) -> PowerOut:
    return PowerOut.model_validate(await service.publish_power(session, body, principal))


@api.patch(
    "/powers/{power_id}",
    response_model=PowerOut,
    summary="Revise or retire an entry",
    dependencies=[allow(PUBLISHERS)],
    responses=REVISED,
)
async def revise_power(
    power_id: uuid.UUID,
    body: PowerPatch,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> PowerOut:
    entry = await service.get_record(session, PowerEntry, power_id)
    await service.revise(session, entry, body, principal, if_match)
    set_etag(response, entry, service.entity(entry))
    return PowerOut.model_validate(entry)
