"""Slots from window schedules, bookings that never exceed a slot's capacity, 上门服务."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.clock import SHANGHAI, now, today
from yingshang.problems import Conflict, Invalid, NotFound
from ys_approvals.appointments.models import Appointment, DoorToDoorRequest, SlotCounter
from ys_approvals.appointments.schemas import BookingIn, DoorToDoorIn, Slot
from ys_approvals.catalog.service import find_by_code
from ys_approvals.halls.models import Window, WindowSchedule
from ys_approvals.halls.service import get_window, schedule_of


def _cut(row: WindowSchedule, day: date) -> list[tuple[str, str]]:
    """Cut one schedule row into ``(start, end)`` slots of ``slot_minutes``."""
    start = datetime.combine(day, datetime.strptime(row.start, "%H:%M").time())
    end = datetime.combine(day, datetime.strptime(row.end, "%H:%M").time())
    step = timedelta(minutes=row.slot_minutes)
    slots = []
    while start + step <= end:
        slots.append((start.strftime("%H:%M"), (start + step).strftime("%H:%M")))
        start += step
    return slots


async def slots(session: AsyncSession, window: Window, day: date) -> list[Slot]:
    rows = [r for r in await schedule_of(session, window) if r.weekday == day.weekday()]
    counters = await session.execute(
        select(SlotCounter.start, SlotCounter.booked).where(
            SlotCounter.window_id == window.id, SlotCounter.day == day
        )
    )
    booked: dict[str, int] = {row[0]: row[1] for row in counters}
    return [
        Slot(
            day=day,
            start=start,
            end=end,
            capacity=row.capacity,
            remaining=max(0, row.capacity - booked.get(start, 0)),
            extended=row.extended,
        )
        for row in rows
        for start, end in _cut(row, day)
    ]


async def book(session: AsyncSession, body: BookingIn, actor: Principal) -> Appointment:
    window = await get_window(session, body.hall_code, body.window_code)
    if body.day < today():
        raise Invalid("cannot book a day in the past", field="day")
    if body.day == today() and body.start <= now().astimezone(SHANGHAI).strftime("%H:%M"):
        raise Invalid("that slot has already begun", field="start")
    slot = next((s for s in await slots(session, window, body.day) if s.start == body.start), None)
    if slot is None:
        raise Invalid("the window has no slot at that time", field="start")
    item_id = await _item_id(session, body.item_code)
    await _take_seat(session, window.id, body.day, slot)
    appointment = Appointment(
        window_id=window.id,
        item_id=item_id,
        day=body.day,
        start=body.start,
        applicant_name=body.applicant_name,
        applicant_phone=body.applicant_phone,
        note=body.note,
        origin_client=actor.client_id,
        booked_by=actor.sub,
    )
    session.add(appointment)
    await session.flush()
    return appointment


async def _item_id(session: AsyncSession, code: str | None) -> uuid.UUID | None:
    if code is None:
        return None
    item = await find_by_code(session, code)
    if item is None:
        raise Invalid(f"unknown item {code}", field="item_code")
    return item.id


async def _take_seat(session: AsyncSession, window_id: uuid.UUID, day: date, slot: Slot) -> None:
    """Guarded increment: safe under concurrent bookings on SQLite and PostgreSQL."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    values = {
        "id": uuid.uuid4(),
        "window_id": window_id,
        "day": day,
        "start": slot.start,
        "capacity": slot.capacity,
        "booked": 0,
    }
    await session.execute(insert(SlotCounter).values(**values).on_conflict_do_nothing())
    taken = await session.execute(
        update(SlotCounter)
        .where(
            SlotCounter.window_id == window_id,
            SlotCounter.day == day,
            SlotCounter.start == slot.start,
            SlotCounter.booked < SlotCounter.capacity,
        )
        .values(booked=SlotCounter.booked + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("the slot is full", code="slot-full")


async def _release_seat(session: AsyncSession, appointment: Appointment) -> None:
    await session.execute(
        update(SlotCounter)
        .where(
            SlotCounter.window_id == appointment.window_id,
            SlotCounter.day == appointment.day,
            SlotCounter.start == appointment.start,
            SlotCounter.booked > 0,
        )
        .values(booked=SlotCounter.booked - 1)
        .execution_options(synchronize_session=False)
    )


# Allowed status moves of a booking: (from, action) -> to
MOVES = {
    ("booked", "cancel"): "cancelled",
    ("booked", "attend"): "attended",
    ("booked", "no_show"): "no_show",
}


async def move(session: AsyncSession, appointment: Appointment, action: str) -> Appointment:
    target = MOVES.get((appointment.status, action))
    if target is None:
        raise Conflict(f"cannot {action} an appointment that is {appointment.status}")
    if action == "no_show" and appointment.day > today():
        raise Conflict("a no-show can be recorded only once the day has come")
    appointment.status = target
    if action == "cancel":
        await _release_seat(session, appointment)
    await session.flush()
    return appointment


async def get_appointment(session: AsyncSession, appointment_id: uuid.UUID) -> Appointment:
    appointment = await session.get(Appointment, appointment_id)
    if appointment is None:
        raise NotFound("no such appointment")
    return appointment


async def request_visit(
    session: AsyncSession, body: DoorToDoorIn, actor: Principal
) -> DoorToDoorRequest:
    if body.wanted_day < today():
        raise Invalid("the wanted day is in the past", field="wanted_day")
    request = DoorToDoorRequest(
        item_id=await _item_id(session, body.item_code),
        applicant_name=body.applicant_name,
        applicant_phone=body.applicant_phone,
        address=body.address,
        wanted_day=body.wanted_day,
        reason=body.reason,
        origin_client=actor.client_id,
    )
    session.add(request)
    await session.flush()
    return request


VISIT_MOVES = {
    ("requested", "assign"): "assigned",
    ("assigned", "assign"): "assigned",
    ("assigned", "complete"): "done",
    ("requested", "cancel"): "cancelled",
    ("assigned", "cancel"): "cancelled",
}


def move_visit(request: DoorToDoorRequest, action: str) -> None:
    target = VISIT_MOVES.get((request.status, action))
    if target is None:
        raise Conflict(f"cannot {action} a request that is {request.status}")
    request.status = target
