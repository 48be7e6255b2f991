"""Slots from window schedules, bookings that never exceed a slot's capacity, 上门服务.

Bookings and door-to-door requests are cases of the kit (``machine``): each step writes the
state, its timeline entry and its event in the request's transaction, If-Match required.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases import timeline
from yingshang.cases.statemachine import StateMachine, apply_transition
from yingshang.clock import SHANGHAI, now, today
from yingshang.events.envelope import make_event
from yingshang.events.outbox import enqueue
from yingshang.problems import Conflict, Invalid, NotFound, named_in_body
from ys_approvals.access import oversees
from ys_approvals.appointments.events import appointment_payload, visit_payload
from ys_approvals.appointments.machine import (
    APPOINTMENT_MACHINE,
    CREATED_EVENTS,
    DOOR_TO_DOOR_MACHINE,
)
from ys_approvals.appointments.models import Appointment, DoorToDoorRequest, SlotCounter
from ys_approvals.appointments.schemas import AssignIn, BookingIn, DoorToDoorIn, OutcomeIn, Slot
from ys_approvals.catalog.models import ServiceItem
from ys_approvals.catalog.service import find_by_code
from ys_approvals.halls.models import Hall, Window, WindowSchedule
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
    with named_in_body("window_code"):
        window = await get_window(session, body.hall_code, body.window_code)
    if body.day < today():
        raise Invalid("不能预约已经过去的日期", field="day")
    if body.day == today() and body.start <= now().astimezone(SHANGHAI).strftime("%H:%M"):
        raise Invalid("该时段已经开始，请选择之后的时段", field="start")
    slot = next((s for s in await slots(session, window, body.day) if s.start == body.start), None)
    if slot is None:
        raise Invalid("该窗口在这一时间没有可预约的时段", field="start")
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
    place = await where(session, appointment)
    await _created(session, APPOINTMENT_MACHINE, appointment, "book", actor, place.payload())
    return appointment


async def _created(
    session: AsyncSession, machine: StateMachine[Any], row: Any, action: str, actor: Principal,
    payload: BaseModel,
) -> None:  # fmt: skip
    """A booking or request taken: its first timeline entry and its event."""
    name = f"ys.{machine.service}.{machine.kind}.{CREATED_EVENTS[machine.kind]}"
    event = make_event(machine.service, name, payload, subject=machine.case_key(row))
    await enqueue(session, event)
    await timeline.append(
        session, case_kind=machine.kind, case_id=row.id, action=action, actor=actor,
        to_state=row.state, event_id=event.id,
    )  # fmt: skip


@dataclass(frozen=True)
class Place:
    """Where a booking is: its hall and window, and the item booked for."""

    appointment: Appointment
    hall: Hall
    window: Window
    item_code: str | None

    def payload(self) -> BaseModel:
        a, hall = self.appointment, self.hall
        return appointment_payload(a, hall.code, hall.department, self.window.code, self.item_code)


async def where(session: AsyncSession, appointment: Appointment) -> Place:
    """The booking's hall, window and item (what its views and events name)."""
    window = await session.get(Window, appointment.window_id)
    assert window is not None
    hall = await session.get(Hall, window.hall_id)
    assert hall is not None
    # the machine's rules name the hall's staff by the department running it
    appointment.hall_department = hall.department  # type: ignore[attr-defined]
    return Place(appointment, hall, window, await _item_code(session, appointment.item_id))


async def _item_code(session: AsyncSession, item_id: uuid.UUID | None) -> str | None:
    item = await session.get(ServiceItem, item_id) if item_id else None
    return item.code if item else None


async def _item_id(session: AsyncSession, code: str | None) -> uuid.UUID | None:
    if code is None:
        return None
    item = await find_by_code(session, code)
    if item is None:
        raise Invalid(f"事项目录中没有事项 {code}", field="item_code")
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
        raise Conflict("该时段已约满", code="slot-full")


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


async def move(
    session: AsyncSession, place: Place, action: str, actor: Principal, if_match: str | None
) -> Appointment:
    """到场 / 未到场 / 取消 (a cancelled booking frees its seat)."""
    appointment = place.appointment

    def effect(row: Appointment) -> None:  # once the kit's checks passed
        if action == "no_show" and row.day > today():
            raise Conflict("预约当天起才能登记爽约", code="not-the-day")

    await apply_transition(  # type: ignore[type-var, unused-ignore]  # see machine
        session, APPOINTMENT_MACHINE, appointment, action, actor, if_match=if_match,
        event_data=place.payload(), effect=effect,
    )  # fmt: skip
    if action == "cancel":
        await _release_seat(session, appointment)
    return appointment


async def visible_appointment(
    session: AsyncSession, principal: Principal, appointment_id: uuid.UUID
) -> Place:
    """The booking and where it is, or 404 — also when ``principal`` may not see it: the
    platform that booked it, oversight, or staff of the hall's department."""
    appointment = await session.get(Appointment, appointment_id)
    if appointment is None:
        raise NotFound("没有这个预约")
    place = await where(session, appointment)
    if principal.is_client:
        seen = appointment.origin_client == principal.client_id
    else:
        seen = oversees(principal) or principal.has(None, place.hall.department)
    if not seen:
        raise NotFound("没有这个预约")
    return place


async def request_visit(
    session: AsyncSession, body: DoorToDoorIn, actor: Principal
) -> DoorToDoorRequest:
    if body.wanted_day < today():
        raise Invalid("期望上门的日期已经过去", field="wanted_day")
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
    payload = visit_payload(request, body.item_code)
    await _created(session, DOOR_TO_DOOR_MACHINE, request, "request", actor, payload)
    return request


async def get_visit(session: AsyncSession, ref: uuid.UUID) -> DoorToDoorRequest:
    row = await session.get(DoorToDoorRequest, ref)
    if row is None:
        raise NotFound("没有这个申请")
    return row


async def move_visit(
    session: AsyncSession,
    row: DoorToDoorRequest,
    action: str,
    actor: Principal,
    if_match: str | None,
    body: AssignIn | OutcomeIn | None = None,
) -> DoorToDoorRequest:
    """派员 (again, to change who goes) / 上门办结 with the outcome / 取消."""
    payload = visit_payload(row, await _item_code(session, row.item_id))
    if isinstance(body, AssignIn):
        payload = payload.model_copy(update={"assigned_staff_no": body.staff_no})

    def effect(visit: DoorToDoorRequest) -> None:  # once the kit's checks passed
        if isinstance(body, AssignIn):
            visit.assigned_staff_no, visit.assigned_name = body.staff_no, body.name
        elif isinstance(body, OutcomeIn):
            visit.outcome = body.outcome

    await apply_transition(  # type: ignore[type-var, unused-ignore]  # see machine
        session, DOOR_TO_DOOR_MACHINE, row, action, actor, if_match=if_match,
        event_data=payload, effect=effect,
    )  # fmt: skip
    return row
