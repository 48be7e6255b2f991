"""Appointments (预约) and door-to-door requests (上门服务): reads answer with an ETag,
every step needs If-Match (428 missing, 412 stale)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Query, Request, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.app import allow, router
from yingshang.auth import HALL, CurrentPrincipal, Principal, staff, staff_or_client
from yingshang.cases.etag import IfMatch, set_etag
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from yingshang.masking import mask_phone
from yingshang.problems import NotFound
from yingshang.validators import PlausibleDate
from ys_approvals.access import oversees
from ys_approvals.appointments import service
from ys_approvals.appointments.machine import APPOINTMENT, DOOR_TO_DOOR
from ys_approvals.appointments.models import Appointment, DoorToDoorRequest
from ys_approvals.appointments.schemas import (
    AppointmentOut,
    AssignIn,
    BookingIn,
    DoorToDoorIn,
    DoorToDoorOut,
    OutcomeIn,
)
from ys_approvals.auth_helpers import require_key_from_clients
from ys_approvals.halls.models import Hall, Window

api = router("/api/v1/approvals", tags=["appointments"])
BOOKERS = staff_or_client("approvals:write")
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "not found"}}
STEP_ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    403: {"description": "your position may not take this step"},
    409: {"description": "not in that state"},
    412: {"description": "changed since you read it"},
    428: {"description": "If-Match missing"},
}


async def _out(session: AsyncSession, appointment: Appointment) -> AppointmentOut:
    place = await service.where(session, appointment)
    return AppointmentOut(
        id=appointment.id,
        hall_code=place.hall.code,
        window_code=place.window.code,
        day=appointment.day,
        start=appointment.start,
        status=appointment.status,
        item_code=place.item_code,
        applicant_name=appointment.applicant_name,
        applicant_phone=mask_phone(appointment.applicant_phone),
        note=appointment.note,
        created_at=appointment.created_at,
        version=appointment.version,
    )


@idempotent_post(
    api,
    "/appointments",
    response_model=AppointmentOut,
    status_code=201,
    summary="Book a slot (hall staff, or the provincial platform for a citizen)",
    dependencies=[allow(BOOKERS)],
    responses={409: {"description": "slot full"}},
)
async def book(
    body: BookingIn, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> AppointmentOut:
    require_key_from_clients(request, principal, "预约")
    return await _out(session, await service.book(session, body, principal))


@api.get(
    "/appointments",
    response_model=list[AppointmentOut],
    summary="A hall's bookings of a day",
    dependencies=[allow(staff())],
    responses={404: {"description": "没有这个大厅"}},
)
async def list_appointments(
    session: SessionDep,
    principal: CurrentPrincipal,
    hall_code: str = Query(max_length=40),
    day: PlausibleDate = Query(),
) -> list[AppointmentOut]:
    hall = (await session.execute(select(Hall).where(Hall.code == hall_code))).scalar()
    if hall is None or not (oversees(principal) or principal.has(None, hall.department)):
        raise NotFound("没有这个大厅")
    rows = await session.execute(
        select(Appointment)
        .join(Window, Window.id == Appointment.window_id)
        .where(Window.hall_id == hall.id, Appointment.day == day)
        .order_by(Appointment.start, Appointment.created_at)
    )
    return [await _out(session, a) for a in rows.scalars()]


@api.get(
    "/appointments/{ref}",
    response_model=AppointmentOut,
    summary="A booking (ETag)",
    dependencies=[allow(BOOKERS)],
    responses=NOT_FOUND,
)
async def read_appointment(
    ref: uuid.UUID, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> AppointmentOut:
    place = await service.visible_appointment(session, principal, ref)
    set_etag(response, place.appointment, APPOINTMENT)
    return await _out(session, place.appointment)


@api.post(
    "/appointments/{ref}/{action}",
    response_model=AppointmentOut,
    summary="cancel | attend | no_show (If-Match)",
    dependencies=[allow(BOOKERS)],
    responses=STEP_ERRORS,
)
async def move(
    ref: uuid.UUID,
    action: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> AppointmentOut:
    place = await service.visible_appointment(session, principal, ref)
    if action not in ("cancel", "attend", "no_show"):
        raise NotFound(f"没有这个操作：{action}")
    if principal.is_client and action != "cancel":
        raise NotFound(f"没有这个操作：{action}")
    appointment = await service.move(session, place, action, principal, if_match)
    set_etag(response, appointment, APPOINTMENT)
    return await _out(session, appointment)


def _visit_out(request: DoorToDoorRequest) -> DoorToDoorOut:
    out = DoorToDoorOut.model_validate(request)
    return out.model_copy(update={"applicant_phone": mask_phone(request.applicant_phone)})


@idempotent_post(
    api,
    "/door-to-door",
    response_model=DoorToDoorOut,
    status_code=201,
    summary="Ask for door-to-door service (上门服务)",
    dependencies=[allow(BOOKERS)],
)
async def request_visit(
    body: DoorToDoorIn, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> DoorToDoorOut:
    require_key_from_clients(request, principal, "上门服务申请")
    return _visit_out(await service.request_visit(session, body, principal))


@api.get(
    "/door-to-door",
    response_model=list[DoorToDoorOut],
    summary="Door-to-door requests (hall staff)",
    dependencies=[allow(staff(depts=[HALL]))],
)
async def list_visits(session: SessionDep, status: str | None = None) -> list[DoorToDoorOut]:
    query = select(DoorToDoorRequest).order_by(DoorToDoorRequest.wanted_day)
    if status:
        query = query.where(DoorToDoorRequest.status == status)
    return [_visit_out(r) for r in (await session.execute(query)).scalars()]


@api.get(
    "/door-to-door/{ref}",
    response_model=DoorToDoorOut,
    summary="A door-to-door request (hall staff; ETag)",
    dependencies=[allow(staff(depts=[HALL]))],
    responses=NOT_FOUND,
)
async def read_visit(ref: uuid.UUID, session: SessionDep, response: Response) -> DoorToDoorOut:
    row = await service.get_visit(session, ref)
    set_etag(response, row, DOOR_TO_DOOR)
    return _visit_out(row)


async def _step(
    session: AsyncSession, ref: uuid.UUID, action: str, who: Principal, if_match: str | None,
    response: Response, body: AssignIn | OutcomeIn | None = None,
) -> DoorToDoorOut:  # fmt: skip
    row = await service.get_visit(session, ref)
    row = await service.move_visit(session, row, action, who, if_match, body)
    set_etag(response, row, DOOR_TO_DOOR)
    return _visit_out(row)


@api.post(
    "/door-to-door/{ref}/assign",
    response_model=DoorToDoorOut,
    summary="The hall's head assigns staff (If-Match)",
    dependencies=[allow(staff("head", depts=[HALL]))],
    responses=STEP_ERRORS,
)
async def assign(
    ref: uuid.UUID, body: AssignIn, session: SessionDep, principal: CurrentPrincipal,
    response: Response, if_match: IfMatch = None,
) -> DoorToDoorOut:  # fmt: skip
    return await _step(session, ref, "assign", principal, if_match, response, body)


@api.post(
    "/door-to-door/{ref}/complete",
    response_model=DoorToDoorOut,
    summary="Record the visit's outcome (If-Match)",
    dependencies=[allow(staff(depts=[HALL]))],
    responses=STEP_ERRORS,
)
async def complete(
    ref: uuid.UUID, body: OutcomeIn, session: SessionDep, principal: CurrentPrincipal,
    response: Response, if_match: IfMatch = None,
) -> DoorToDoorOut:  # fmt: skip
    return await _step(session, ref, "complete", principal, if_match, response, body)


@api.post(
    "/door-to-door/{ref}/cancel",
    response_model=DoorToDoorOut,
    summary="Cancel a request (If-Match)",
    dependencies=[allow(staff(depts=[HALL]))],
    responses=STEP_ERRORS,
)
async def cancel(
    ref: uuid.UUID, session: SessionDep, principal: CurrentPrincipal, response: Response,
    if_match: IfMatch = None,
) -> DoorToDoorOut:  # fmt: skip
    return await _step(session, ref, "cancel", principal, if_match, response)
