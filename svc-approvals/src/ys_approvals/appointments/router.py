"""Appointments (预约) and door-to-door requests (上门服务)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Query, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.app import allow, router
from yingshang.auth import HALL, CurrentPrincipal, Principal, staff, staff_or_client
from yingshang.db import SessionDep
from yingshang.idempotency import idempotent_post
from yingshang.masking import mask_phone
from yingshang.problems import NotFound
from yingshang.validators import PlausibleDate
from ys_approvals.access import oversees
from ys_approvals.appointments import service
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
from ys_approvals.catalog.models import ServiceItem
from ys_approvals.halls.models import Hall, Window

api = router("/api/v1/approvals", tags=["appointments"])
BOOKERS = staff_or_client("approvals:write")
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "not found"},
    409: {"description": "not in that state"},
}


async def _where(session: AsyncSession, appointment: Appointment) -> tuple[Hall, Window]:
    window = await session.get(Window, appointment.window_id)
    assert window is not None
    hall = await session.get(Hall, window.hall_id)
    assert hall is not None
    return hall, window


def _may_see(principal: Principal, appointment: Appointment, hall: Hall) -> bool:
    if principal.is_client:
        return appointment.origin_client == principal.client_id
    return oversees(principal) or principal.has(None, hall.department)


async def _out(session: AsyncSession, appointment: Appointment) -> AppointmentOut:
    hall, window = await _where(session, appointment)
    item = await session.get(ServiceItem, appointment.item_id) if appointment.item_id else None
    return AppointmentOut(
        id=appointment.id,
        hall_code=hall.code,
        window_code=window.code,
        day=appointment.day,
        start=appointment.start,
        status=appointment.status,
        item_code=item.code if item else None,
        applicant_name=appointment.applicant_name,
        applicant_phone=mask_phone(appointment.applicant_phone),
        note=appointment.note,
        created_at=appointment.created_at,
        version=appointment.version,
    )


async def _visible(session: AsyncSession, principal: Principal, ref: uuid.UUID) -> Appointment:
    appointment = await service.get_appointment(session, ref)
    hall, _ = await _where(session, appointment)
    if not _may_see(principal, appointment, hall):
        raise NotFound("no such appointment")
    return appointment


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
    require_key_from_clients(request, principal, "a booking")
    return await _out(session, await service.book(session, body, principal))


@api.get(
    "/appointments",
    response_model=list[AppointmentOut],
    summary="A hall's bookings of a day",
    dependencies=[allow(staff())],
    responses={404: {"description": "no such hall"}},
)
async def list_appointments(
    session: SessionDep,
    principal: CurrentPrincipal,
    hall_code: str = Query(max_length=40),
    day: PlausibleDate = Query(),
) -> list[AppointmentOut]:
    hall = (await session.execute(select(Hall).where(Hall.code == hall_code))).scalar()
    if hall is None or not (oversees(principal) or principal.has(None, hall.department)):
        raise NotFound("no such hall")
    rows = await session.execute(
        select(Appointment)
        .join(Window, Window.id == Appointment.window_id)
        .where(Window.hall_id == hall.id, Appointment.day == day)
        .order_by(Appointment.start, Appointment.created_at)
    )
    return [await _out(session, a) for a in rows.scalars()]


@api.post(
    "/appointments/{ref}/{action}",
    response_model=AppointmentOut,
    summary="cancel | attend | no_show",
    dependencies=[allow(BOOKERS)],
    responses=NOT_FOUND,
)
async def move(
    ref: uuid.UUID, action: str, session: SessionDep, principal: CurrentPrincipal
) -> AppointmentOut:
    appointment = await _visible(session, principal, ref)
    if action not in ("cancel", "attend", "no_show"):
        raise NotFound(f"no action {action}")
    if principal.is_client and action != "cancel":
        raise NotFound(f"no action {action}")
    return await _out(session, await service.move(session, appointment, action))


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
    require_key_from_clients(request, principal, "a door-to-door request")
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


async def _visit(session: AsyncSession, ref: uuid.UUID) -> DoorToDoorRequest:
    row = await session.get(DoorToDoorRequest, ref)
    if row is None:
        raise NotFound("no such request")
    return row


@api.post(
    "/door-to-door/{ref}/assign",
    response_model=DoorToDoorOut,
    summary="The hall's head assigns staff",
    dependencies=[allow(staff("head", depts=[HALL]))],
    responses=NOT_FOUND,
)
async def assign(ref: uuid.UUID, body: AssignIn, session: SessionDep) -> DoorToDoorOut:
    row = await _visit(session, ref)
    service.move_visit(row, "assign")
    row.assigned_staff_no, row.assigned_name = body.staff_no, body.name
    await session.flush()
    return _visit_out(row)


@api.post(
    "/door-to-door/{ref}/complete",
    response_model=DoorToDoorOut,
    summary="Record the visit's outcome",
    dependencies=[allow(staff(depts=[HALL]))],
    responses=NOT_FOUND,
)
async def complete(ref: uuid.UUID, body: OutcomeIn, session: SessionDep) -> DoorToDoorOut:
    row = await _visit(session, ref)
    service.move_visit(row, "complete")
    row.outcome = body.outcome
    await session.flush()
    return _visit_out(row)


@api.post(
    "/door-to-door/{ref}/cancel",
    response_model=DoorToDoorOut,
    summary="Cancel a request",
    dependencies=[allow(staff(depts=[HALL]))],
    responses=NOT_FOUND,
)
async def cancel(ref: uuid.UUID, session: SessionDep) -> DoorToDoorOut:
    row = await _visit(session, ref)
    service.move_visit(row, "cancel")
    await session.flush()
    return _visit_out(row)
