"""Inbox and dead letters: what makes event handling exactly-once and nothing silently lost.

* ``ys_inbox``: one row per (event id, consumer) written in the same transaction as the
  handler's effects. A redelivered event finds its row and is acknowledged without running the
  handler again. The key starts with the event id; the consumer name is part of it because one
  service may consume the same event for two purposes (e.g. scorecards and invitations).
* ``ys_dead_letters``: events that were invalid, forged, or failed on every attempt, with the
  raw payload and the reason, until an admin replays them after a fix.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import PlumbingBase, UTCDateTime
from yingshang.events.catalogue import ParsedEvent
from yingshang.events.envelope import CloudEvent
from yingshang.prepared import Prepared, insert_row

Handler = Callable[[AsyncSession, CloudEvent, Any], Awaitable[None]]
"""``async def handle(session, event, payload: Model) -> None``: effects in ``session`` only."""


class InboxEntry(PlumbingBase):
    __tablename__ = "ys_inbox"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    consumer: Mapped[str] = mapped_column(String(120), primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)


class DeadLetter(PlumbingBase):
    __tablename__ = "ys_dead_letters"
    __table_args__ = (Index("ix_ys_dead_letters_consumer", "consumer", "id"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    consumer: Mapped[str] = mapped_column(String(120))
    event_id: Mapped[str | None] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)  # raw bytes as received (UTF-8, replaced)
    reason: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    stream_seq: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    replayed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


async def seen(session: AsyncSession, consumer: str, event_id: str) -> bool:
    row = await session.get(InboxEntry, (event_id, consumer))
    return row is not None


async def apply_once(
    session: AsyncSession, consumer: str, parsed: ParsedEvent, handler: Handler
) -> bool:
    """Run ``handler`` unless ``consumer`` already processed this event; False if it had.

    The inbox row is flushed before the handler runs, so two replicas racing on one event
    collide on the primary key (IntegrityError) instead of both applying it.
    """
    event = parsed.event
    if await seen(session, consumer, event.id):
        return False
    session.add(InboxEntry(event_id=event.id, consumer=consumer, subject=event.type))
    await session.flush()
    await handler(session, event, parsed.payload)
    await session.flush()
    return True


_T: Any = InboxEntry.__table__
_SEEN = Prepared(
    select(_T.c.event_id).where(
        _T.c.consumer == bindparam("of_consumer"), _T.c.event_id == bindparam("of_event")
    )
)
_INSERT = insert_row(InboxEntry)


async def apply_many(
    session: AsyncSession, consumer: str, items: list[tuple[ParsedEvent, Handler]]
) -> list[bool]:
    """:func:`apply_once` for a batch: prepared statements, no unit-of-work flush per event.

    All inbox rows are written before the first handler runs; any error (a racing replica's
    inbox row, a failing handler) aborts the whole batch and the caller retries event by event.
    """
    known: set[str] = set()
    fresh: list[tuple[ParsedEvent, Handler]] = []
    applied: list[bool] = []
    at = now()
    for parsed, handler in items:
        event_id = parsed.event.id
        is_new = (
            event_id not in known
            and await _SEEN.first(session, of_consumer=consumer, of_event=event_id) is None
        )
        applied.append(is_new)
        known.add(event_id)
        if is_new:
            fresh.append((parsed, handler))
            await _INSERT.run(
                session,
                event_id=event_id,
                consumer=consumer,
                subject=parsed.event.type,
                processed_at=at,
            )
    for parsed, handler in fresh:
        await handler(session, parsed.event, parsed.payload)
    await session.flush()
    return applied


async def record_dead_letter(
    session: AsyncSession,
    *,
    consumer: str,
    subject: str,
    raw: bytes,
    reason: str,
    attempts: int,
    event_id: str | None = None,
    stream_seq: int | None = None,
) -> DeadLetter:
    row = DeadLetter(
        consumer=consumer,
        event_id=event_id,
        subject=subject,
        payload=raw.decode("utf-8", errors="replace"),
        reason=reason[:4000],
        attempts=attempts,
        stream_seq=stream_seq,
    )
    session.add(row)
    await session.flush()
    return row


async def inbox_count(session: AsyncSession, consumer: str) -> int:
    count = await session.scalar(
        select(func.count()).select_from(InboxEntry).where(InboxEntry.consumer == consumer)
    )
    return int(count or 0)
