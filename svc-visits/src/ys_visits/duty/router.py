"""``/api/v1/visits/duty-shifts``: the duty schedule (坐班), 签到/签退, matters handled."""

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
from yingshang.validators import PlausibleDate
from ys_visits.access import ANY_STAFF, SCHEDULERS
from ys_visits.deps import CREATE_ERRORS, LIST_ERRORS, NOT_FOUND, PREFIX, WRITE_ERRORS
from ys_visits.duty import service
from ys_visits.duty.machine import TIMELINE
from ys_visits.duty.models import KIND, DutyShift
from ys_visits.duty.schemas import DutyDetail, DutyIn, DutyPage, EmptyIn, MatterIn, ReasonIn

api = router(f"{PREFIX}/duty-shifts", tags=["hall duty (坐班)"])
ShiftNumber = Annotated[str, AfterValidator(case_number_of(service.NUMBER_PREFIX))]
Code = Annotated[str | None, Query(pattern=r"^[A-Z][A-Z0-9_]{1,59}$")]


@idempotent_post(
    api,
    "",
    status_code=201,
    response_model=DutyDetail,
    summary="Schedule a leader's sitting in a hall (排班)",
    responses=CREATE_ERRORS,
    dependencies=[allow(SCHEDULERS)],
)
async def schedule_sitting(
    body: DutyIn, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> DutyDetail:
    shift = await service.schedule(session, body, principal)
    set_etag(response, shift, KIND)
    response.headers["Location"] = f"{api.prefix}/{shift.id}"
    return await service.detail(session, shift, principal)


@api.get(
    "",
    response_model=DutyPage,
    summary="The duty schedule in the order the sittings start (filters: dates, hall, ...)",
    description=(
        "Sittings in the order they start: by date and start time (county time), earliest "
        "first; sittings that start at the same time in the order of their ids, which is "
        "roughly the order they were scheduled in. Pages follow this order: `next_cursor` "
        "continues after the last sitting served, with no sitting repeated or skipped."
    ),
    responses=LIST_ERRORS,
    dependencies=[allow(ANY_STAFF)],
)
async def list_sittings(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageParams,
    date_from: PlausibleDate | None = None,
    date_to: PlausibleDate | None = None,
    hall: Code = None,
    leader_name: Annotated[str | None, Query(max_length=100)] = None,
    leader_staff_no: Annotated[str | None, Query(max_length=40)] = None,
    department: Code = None,
    status: Annotated[
        str | None, Query(pattern=r"^(scheduled|on_duty|completed|cancelled)$")
    ] = None,
    mine: Annotated[
        bool, Query(description="only the caller's own sittings (as the leader, by 工号)")
    ] = False,
    number: Annotated[
        ShiftNumber | None,
        Query(max_length=NUMBER_MAX_LENGTH, description="the exact 坐班编号 (ZB20261128-00001)"),
    ] = None,
) -> DutyPage:
    stmt = service.list_query(
        date_from=date_from, date_to=date_to, hall=hall, leader_name=leader_name,
        leader_staff_no=leader_staff_no, department=department, state=status,
    )  # fmt: skip
    if mine:  # one without a 工号 leads no sitting
        stmt = stmt.where(DutyShift.leader_staff_no == (principal.staff_no or None))
    if number is not None:
        stmt = stmt.where(DutyShift.number == number)
    rows, cursor = await paginate(
        session, stmt, page, sort=DutyShift.starts_at, id_col=DutyShift.id, direction="asc"
    )
    return DutyPage(items=[service.view(r, principal) for r in rows], next_cursor=cursor)


@api.get(
    "/{shift_id}",
    response_model=DutyDetail,
    summary="One sitting with the matters handled, with its ETag",
    responses=NOT_FOUND,
    dependencies=[allow(ANY_STAFF)],
)
async def read_sitting(
    shift_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> DutyDetail:
    shift = await service.get(session, shift_id)
    set_etag(response, shift, KIND)
    return await service.detail(session, shift, principal)


@api.get(
    "/{shift_id}/timeline",
    response_model=list[TimelineOut],
    summary="Who did what, when (steps in words, zh-CN)",
    responses=NOT_FOUND,
    dependencies=[allow(ANY_STAFF)],
)
async def sitting_timeline(shift_id: uuid.UUID, session: SessionDep) -> list[TimelineOut]:
    shift = await service.get(session, shift_id)
    return TIMELINE.outs(await timeline.entries(session, KIND, shift.id))


@api.post(
    "/{shift_id}/matters",
    response_model=DutyDetail,
    summary="Record a matter handled on duty (坐班办件); a problem becomes a 交办单",
    responses=WRITE_ERRORS,
    dependencies=[allow(ANY_STAFF)],
)
async def record_matter(
    shift_id: uuid.UUID,
    body: MatterIn,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> DutyDetail:
    shift = await service.record_matter(session, shift_id, body, principal, if_match)
    set_etag(response, shift, KIND)
    return await service.detail(session, shift, principal)


def _step(name: str, path: str, summary: str, body_model: type[EmptyIn] | type[ReasonIn]) -> None:
    async def endpoint(
        shift_id: uuid.UUID,
        body: body_model,  # type: ignore[valid-type]
        session: SessionDep,
        principal: CurrentPrincipal,
        response: Response,
        if_match: IfMatch = None,
    ) -> DutyDetail:
        typed: EmptyIn | ReasonIn = body
        shift = await service.act(session, shift_id, name, typed.note, principal, if_match)
        set_etag(response, shift, KIND)
        return await service.detail(session, shift, principal)

    endpoint.__name__ = f"sitting_{name}"
    api.post(
        f"/{{shift_id}}/{path}",
        response_model=DutyDetail,
        summary=summary,
        responses=WRITE_ERRORS,
        dependencies=[allow(ANY_STAFF)],
    )(endpoint)


_step("check_in", "check-in", "签到: the sitting begins (on its day); If-Match required", EmptyIn)
_step("check_out", "check-out", "签退: the sitting is recorded; If-Match required", EmptyIn)
_step("cancel", "cancel", "取消: cancel a scheduled sitting, with the reason", ReasonIn)
