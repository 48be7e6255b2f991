"""The hall's duty board (坐班), kept from svc-visits events."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.events.envelope import CloudEvent
from ys_approvals.duty.models import DutySitting
from ys_approvals.duty.schemas import DutyOut, DutyPayload
from ys_approvals.halls.models import Hall

CANCELLING = ("cancelled", "canceled", "deleted", "withdrawn")


async def apply_duty_event(session: AsyncSession, event: CloudEvent, payload: DutyPayload) -> None:
    """Upsert the sitting; a cancelling event marks it cancelled (idempotent by key)."""
    key = payload.key()
    row = (
        await session.execute(select(DutySitting).where(DutySitting.source_key == key))
    ).scalar_one_or_none()
    if row is None:
        row = DutySitting(source_key=key)
        session.add(row)
    row.leader_name, row.hall, row.day = payload.leader_name, payload.hall, payload.date
    row.start = payload.start[:5] if payload.start else None
    row.end = payload.end[:5] if payload.end else None
    row.department = payload.department
    row.state = payload.state
    row.cancelled = event.type.rsplit(".", 1)[-1] in CANCELLING or payload.state in CANCELLING
    await session.flush()


async def sittings(session: AsyncSession, hall: Hall, day: date) -> list[DutyOut]:
    rows = await session.execute(
        select(DutySitting)
        .where(
            DutySitting.day == day,
            DutySitting.cancelled.is_(False),
            or_(DutySitting.hall == hall.code, DutySitting.hall == hall.name),
        )
        .order_by(DutySitting.start, DutySitting.leader_name)
    )
    return [DutyOut.model_validate(r) for r in rows.scalars()]
