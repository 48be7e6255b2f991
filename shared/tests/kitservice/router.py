"""Thin routes of the sample: access rule, parse, call the service, shape the response."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Body, Depends, File, Query, Request, Response, UploadFile
from fastapi.responses import StreamingResponse

from kitservice import service
from kitservice.machine import CASE_MACHINE, KIND, TIMELINE
from kitservice.models import SampleCase
from kitservice.schemas import (
    ActionIn,
    ActionName,
    AttachmentOut,
    CaseIn,
    CaseOut,
    ContactOut,
    CreatedCase,
)
from yingshang import attachments, audit
from yingshang.app import allow, router
from yingshang.auth import HOTLINE_CENTER, CurrentPrincipal, staff
from yingshang.cases import timeline
from yingshang.cases.etag import IfMatch, set_etag
from yingshang.cases.pagination import Page, PageParams, paginate
from yingshang.cases.timeline import TimelineOut
from yingshang.db import Database, SessionDep
from yingshang.idempotency import idempotent_post

api = router("/api/v1/kit", tags=["cases"])
CENTER = [HOTLINE_CENTER]
CASE_ERRORS: dict[int | str, dict[str, Any]] = {404: {"description": "no such case (or not yours)"}}
ACTION_ERRORS: dict[int | str, dict[str, Any]] = {
    **CASE_ERRORS,
    403: {"description": "your positions do not allow this action on this case"},
    409: {"description": "not allowed from the case's current state"},
    412: {"description": "the case changed since you read it (stale If-Match)"},
    422: {"description": "invalid body, or a required note is missing"},
    428: {"description": "If-Match missing"},
}


def blob_store(request: Request) -> attachments.BlobStore:
    store: attachments.BlobStore = request.app.state.attachments
    return store


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


Store = Annotated[attachments.BlobStore, Depends(blob_store)]
Db = Annotated[Database, Depends(database)]


@idempotent_post(
    api,
    "/cases",
    status_code=201,
    response_model=CreatedCase,
    summary="Open a case (受理)",
    dependencies=[allow(staff("clerk", "staff", depts=CENTER))],
)
async def create_case(
    body: CaseIn, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> CreatedCase:
    case, code = await service.open_case(session, body, principal)
    set_etag(response, case, KIND)
    response.headers["Location"] = f"{api.prefix}/cases/{case.id}"
    out, _ = service.view(case, principal, reveal=False)
    return CreatedCase(**out.model_dump(), query_code=code)


@api.get(
    "/cases",
    response_model=Page[CaseOut],
    summary="Cases you may see, newest first",
    dependencies=[allow(staff())],
)
async def list_cases(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageParams,
    state: Annotated[str | None, Query(pattern=r"^[a-z_]{1,20}$")] = None,
) -> Page[CaseOut]:
    stmt = service.list_query(principal, state)
    rows, cursor = await paginate(
        session, stmt, page, sort=SampleCase.created_at, id_col=SampleCase.id
    )
    # Lists are always masked: an operator opens the case to see the full number.
    items = [service.view(row, principal, reveal=False)[0] for row in rows]
    return Page(items=items, next_cursor=cursor)


@api.get(
    "/cases/{case_id}",
    response_model=CaseOut,
    summary="One case, with its ETag",
    responses=CASE_ERRORS,
    dependencies=[allow(staff())],
)
async def read_case(
    case_id: uuid.UUID, session: SessionDep, db: Db, principal: CurrentPrincipal, response: Response
) -> CaseOut:
    case = await service.get_visible(session, case_id, principal)
    out, revealed = service.view(case, principal, reveal=service.reveals_contact(principal))
    await audit.record_unmasked_read(db, principal, (KIND, case.id), revealed)
    set_etag(response, case, KIND)
    return out


@api.get(
    "/cases/{case_id}/timeline",
    response_model=list[TimelineOut],
    summary="Who did what, when (each step and state with its zh-CN label)",
    responses=CASE_ERRORS,
    dependencies=[allow(staff())],
)
async def case_timeline(
    case_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> list[TimelineOut]:
    case = await service.get_visible(session, case_id, principal)
    return TIMELINE.outs(await timeline.entries(session, KIND, case.id))


@api.get(
    "/cases/{case_id}/contact",
    response_model=ContactOut,
    summary="The requester's full phone number, for a stated reason (audited)",
    responses=CASE_ERRORS,
    dependencies=[allow(staff())],
)
async def case_contact(
    case_id: uuid.UUID,
    reason: Annotated[str, Query(min_length=4, max_length=500)],
    session: SessionDep,
    db: Db,
    principal: CurrentPrincipal,
) -> ContactOut:
    case = await service.get_visible(session, case_id, principal)
    await audit.record_unmasked_read(db, principal, (KIND, case.id), ["requester_phone"], reason)
    return ContactOut(requester_phone=case.requester_phone)


@idempotent_post(
    api,
    "/cases/{case_id}/attachments",
    status_code=201,
    response_model=AttachmentOut,
    summary="Attach a file (PDF, JPEG, PNG, OFD, DOCX, XLSX; 20 MiB)",
    responses={**CASE_ERRORS, 413: {"description": "too large"}, 415: {"description": "type"}},
    dependencies=[allow(staff())],
)
async def attach(
    case_id: uuid.UUID,
    file: Annotated[UploadFile, File()],
    session: SessionDep,
    store: Store,
    principal: CurrentPrincipal,
) -> AttachmentOut:
    case = await service.get_visible(session, case_id, principal)
    row = await attachments.save_upload(
        session, store, file, owner_kind=KIND, owner_id=case.id, uploaded_by=principal
    )
    return AttachmentOut.model_validate(row)


@api.get(
    "/cases/{case_id}/attachments/{attachment_id}",
    response_class=StreamingResponse,
    summary="Download an attachment",
    responses=CASE_ERRORS,
    dependencies=[allow(staff())],
)
async def download(
    case_id: uuid.UUID,
    attachment_id: uuid.UUID,
    session: SessionDep,
    store: Store,
    principal: CurrentPrincipal,
) -> StreamingResponse:
    case = await service.get_visible(session, case_id, principal)
    return await attachments.open(
        session, store, owner_kind=KIND, owner_id=case.id, attachment_id=attachment_id
    )


# Declared after the other /cases/{case_id}/<name> routes: its path matches those too.
@api.post(
    "/cases/{case_id}/{action}",
    response_model=CaseOut,
    summary="Act on a case (派单/签收/退单/反馈/办结); needs If-Match",
    responses=ACTION_ERRORS,
    dependencies=[allow(staff())],
)
async def act_on_case(
    case_id: uuid.UUID,
    action: ActionName,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
    body: Annotated[ActionIn | None, Body()] = None,
) -> CaseOut:
    case = await service.act(session, case_id, action, body or ActionIn(), principal, if_match)
    set_etag(response, case, KIND)
    return service.view(case, principal, reveal=False)[0]


@api.get("/machine", summary="The case life cycle, as data", dependencies=[allow(staff())])
async def machine() -> dict[str, Any]:
    return CASE_MACHINE.as_dict()
