"""``/api/v1/hotline/tickets/{id}/attachments``: files of a ticket (PDF, images, OFD …),
through the foundation's attachment store. Whoever sees the ticket may read and add."""

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import File, Request, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict

from yingshang import attachments
from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal, staff, staff_or_client
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from ys_hotline.tickets import transitions
from ys_hotline.tickets.models import CASE_KIND

api = router("/api/v1/hotline/tickets", tags=["ticket attachments"])
ERRORS: dict[int | str, dict[str, str]] = {404: {"description": "no such ticket (or hidden)"}}


class AttachmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


def _store(request: Request) -> attachments.BlobStore:
    store: attachments.BlobStore = request.app.state.attachments
    return store


@idempotent_post(
    api,
    "/{ticket_id}/attachments",
    status_code=201,
    response_model=AttachmentOut,
    summary="Attach a file (PDF, JPEG, PNG, OFD, DOCX, XLSX; 20 MiB)",
    responses={**ERRORS, 413: {"description": "too large"}, 415: {"description": "type"}},
    dependencies=[allow(staff_or_client("hotline:write"))],
)
async def attach(
    ticket_id: uuid.UUID,
    file: Annotated[UploadFile, File()],
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> AttachmentOut:
    ticket = await transitions.load(session, ticket_id, principal)
    row = await attachments.save_upload(
        session, _store(request), file, owner_kind=CASE_KIND, owner_id=ticket.id,
        uploaded_by=principal,
    )  # fmt: skip
    return AttachmentOut.model_validate(row)


@api.get(
    "/{ticket_id}/attachments",
    response_model=list[AttachmentOut],
    summary="The ticket's files",
    responses=ERRORS,
    dependencies=[allow(staff_or_client("hotline:write"))],
)
async def list_attachments(
    ticket_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> list[AttachmentOut]:
    ticket = await transitions.load(session, ticket_id, principal)
    rows = await attachments.list_for(session, CASE_KIND, ticket.id)
    return [AttachmentOut.model_validate(r) for r in rows]


@api.get(
    "/{ticket_id}/attachments/{attachment_id}",
    response_class=StreamingResponse,
    summary="Download a file of the ticket",
    responses=ERRORS,
    dependencies=[allow(staff())],
)
async def download(
    ticket_id: uuid.UUID,
    attachment_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> StreamingResponse:
    ticket = await transitions.load(session, ticket_id, principal)
    return await attachments.open(
        session, _store(request), owner_kind=CASE_KIND, owner_id=ticket.id,
        attachment_id=attachment_id,
    )  # fmt: skip
