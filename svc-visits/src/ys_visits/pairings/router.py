"""``/api/v1/visits/assignments``: pairings (挂帮) of leaders and departments with enterprises."""

import uuid
from typing import Annotated

from fastapi import Query, Response
from pydantic import AfterValidator

from yingshang.app import allow, router
from yingshang.auth import CurrentPrincipal
from yingshang.cases import timeline
from yingshang.cases.etag import IfMatch, set_etag
from yingshang.cases.numbers import NUMBER_MAX_LENGTH, case_number_of
from yingshang.cases.pagination import PageParams, paginate
from yingshang.cases.timeline import TimelineOut
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from ys_visits.access import ANY_STAFF, MANAGERS
from ys_visits.deps import CREATE_ERRORS, LIST_ERRORS, NOT_FOUND, PREFIX, WRITE_ERRORS
from ys_visits.pairings import service
from ys_visits.pairings.machine import TIMELINE
from ys_visits.pairings.models import KIND, Pairing
from ys_visits.pairings.schemas import EndIn, LeaderRank, PairingIn, PairingOut, PairingPage

api = router(f"{PREFIX}/assignments", tags=["pairings (挂帮)"])
PairingNumber = Annotated[str, AfterValidator(case_number_of(service.NUMBER_PREFIX))]
DeptFilter = Annotated[str | None, Query(pattern=r"^[A-Z][A-Z0-9_]{1,59}$")]


@idempotent_post(
    api,
    "",
    status_code=201,
    response_model=PairingOut,
    summary="Pair a leader and a responsible department with an enterprise (挂帮)",
    responses=CREATE_ERRORS,
    dependencies=[allow(MANAGERS)],
)
async def create_pairing(
    body: PairingIn, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> PairingOut:
    pairing = await service.create(session, body, principal)
    set_etag(response, pairing, KIND)
    response.headers["Location"] = f"{api.prefix}/{pairing.id}"
    return (await service.views(session, [pairing], principal))[0]


@api.get(
    "",
    response_model=PairingPage,
    summary="Pairings you may see, newest first (filters: status, department, overdue, ...)",
    responses=LIST_ERRORS,
    dependencies=[allow(ANY_STAFF)],
)
async def list_pairings(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageParams,
    status: Annotated[str | None, Query(pattern=r"^(active|ended)$")] = None,
    department: DeptFilter = None,
    overdue: bool | None = None,
    enterprise_id: uuid.UUID | None = None,
    leader_staff_no: Annotated[str | None, Query(max_length=40)] = None,
    leader_rank: LeaderRank | None = None,
    number: Annotated[
        PairingNumber | None,
        Query(max_length=NUMBER_MAX_LENGTH, description="the exact 挂帮编号 (GB20261128-00001)"),
    ] = None,
) -> PairingPage:
    stmt = service.list_query(
        principal, state=status, department=department, overdue=overdue,
        enterprise_id=enterprise_id, leader_staff_no=leader_staff_no, leader_rank=leader_rank,
    )  # fmt: skip
    if number is not None:
        stmt = stmt.where(Pairing.number == number)
    rows, cursor = await paginate(session, stmt, page, sort=Pairing.created_at, id_col=Pairing.id)
    return PairingPage(items=await service.views(session, rows, principal), next_cursor=cursor)


@api.get(
    "/{pairing_id}",
    response_model=PairingOut,
    summary="One pairing with its visit window, with its ETag",
    responses=NOT_FOUND,
    dependencies=[allow(ANY_STAFF)],
)
async def read_pairing(
    pairing_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> PairingOut:
    pairing = await service.get_visible(session, pairing_id, principal)
    set_etag(response, pairing, KIND)
    return (await service.views(session, [pairing], principal))[0]


@api.get(
    "/{pairing_id}/timeline",
    response_model=list[TimelineOut],
    summary="Who did what, when (visits, windows, warnings, escalations; in words, zh-CN)",
    responses=NOT_FOUND,
    dependencies=[allow(ANY_STAFF)],
)
async def pairing_timeline(
    pairing_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> list[TimelineOut]:
    pairing = await service.get_visible(session, pairing_id, principal)
    return TIMELINE.outs(await timeline.entries(session, KIND, pairing.id))


@api.post(
    "/{pairing_id}/end",
    response_model=PairingOut,
    summary="End the pairing (结束挂帮): stops the visit clock; If-Match required",
    responses=WRITE_ERRORS,
    dependencies=[allow(ANY_STAFF)],
)
async def end_pairing(
    pairing_id: uuid.UUID,
    body: EndIn,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> PairingOut:
    pairing = await service.end(session, pairing_id, body.note, principal, if_match)
    set_etag(response, pairing, KIND)
    return (await service.views(session, [pairing], principal))[0]
