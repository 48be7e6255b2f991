"""Case timeline (who, which position, when, what, from→to, note) — one table per service DB.

Every state change writes a timeline entry in the same transaction as the state and the
outbox event (see ``yingshang.cases.statemachine.apply_transition``); deadline warnings and
escalations are written here too.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Required, TypedDict, Unpack

from sqlalchemy import JSON, Index, String, Text, Uuid, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.auth import Principal
from yingshang.clock import now
from yingshang.db import IdMixin, PlumbingBase, UTCDateTime
from yingshang.ids import uuid7
from yingshang.prepared import insert_row


class TimelineEntry(IdMixin, PlumbingBase):
    __tablename__ = "ys_timeline"
    __table_args__ = (Index("ix_ys_timeline_case", "case_kind", "case_id", "at"),)

    case_kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid())
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    action: Mapped[str] = mapped_column(String(60))
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str | None] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(120))  # sub, or "system:<component>"
    actor_name: Mapped[str | None] = mapped_column(String(120))
    staff_no: Mapped[str | None] = mapped_column(String(40))
    position_dept: Mapped[str | None] = mapped_column(String(60))
    position_role: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    event_id: Mapped[str | None] = mapped_column(String(64))


_INSERT = insert_row(TimelineEntry)


class Entry(TypedDict, total=False):
    """What a timeline entry says (``record``/``append`` keyword arguments)."""

    case_kind: Required[str]
    case_id: Required[uuid.UUID]
    action: Required[str]
    actor: Required[Principal | str]  # a principal, or "system:<component>"
    from_state: str | None
    to_state: str | None
    position: tuple[str, str] | None
    note: str | None
    data: dict[str, Any] | None
    event_id: str | None
    at: datetime | None  # default: now


async def record(session: AsyncSession, **entry: Unpack[Entry]) -> TimelineEntry:
    """Append a timeline entry in the caller's transaction (inserted at once with a prepared
    statement; the returned object is a detached copy of the row). :func:`append` is the same
    without the copy."""
    values = _values(entry)
    await _INSERT.run(session, **values)
    return TimelineEntry(**values)


async def append(session: AsyncSession, **entry: Unpack[Entry]) -> None:
    """:func:`record` for callers that do not need the entry back (hot paths)."""
    await _INSERT.run(session, **_values(entry))


def _values(entry: Entry) -> dict[str, Any]:
    actor, position = entry["actor"], entry.get("position")
    if isinstance(actor, Principal):
        sub, name, staff_no = actor.sub, actor.name, actor.staff_no
    else:
        sub, name, staff_no = actor, None, None
    return {
        "id": uuid7(),
        "case_kind": entry["case_kind"],
        "case_id": entry["case_id"],
        "action": entry["action"],
        "from_state": entry.get("from_state"),
        "to_state": entry.get("to_state"),
        "actor": sub,
        "actor_name": name,
        "staff_no": staff_no,
        "position_dept": position[0] if position else None,
        "position_role": position[1] if position else None,
        "note": entry.get("note"),
        "data": entry.get("data"),
        "event_id": entry.get("event_id"),
        "at": entry.get("at") or now(),
    }


async def entries(session: AsyncSession, case_kind: str, case_id: uuid.UUID) -> list[TimelineEntry]:
    rows = await session.execute(
        select(TimelineEntry)
        .where(TimelineEntry.case_kind == case_kind, TimelineEntry.case_id == case_id)
        .order_by(TimelineEntry.at, TimelineEntry.id)
    )
    return list(rows.scalars())
