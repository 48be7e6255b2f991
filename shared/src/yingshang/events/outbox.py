"""Transactional outbox: events are rows written in the transaction that changes the case.

A relay (``yingshang.events.relay``) publishes them after commit; nothing is ever published
from a request handler directly.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import PlumbingBase, UTCDateTime
from yingshang.events.envelope import CloudEvent


class OutboxEvent(PlumbingBase):
    __tablename__ = "ys_outbox"
    __table_args__ = (Index("ix_ys_outbox_pending", "sent_at", "seq"),)

    # seq orders publication (per case order follows commit order).
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[str] = mapped_column(String(200))
    case_key: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


async def enqueue(session: AsyncSession, event: CloudEvent) -> OutboxEvent:
    """Add ``event`` to the outbox in the caller's transaction (never committed here).

    Not flushed either: the row goes in with the transaction's next flush (at the latest its
    commit), in the order events were added, so a request writing several rows pays for one
    flush instead of one per row."""
    row = _row(event)
    session.add(row)
    return row


async def enqueue_many(session: AsyncSession, events: list[CloudEvent]) -> list[OutboxEvent]:
    """Several events, in the given order (inserted with the transaction's next flush)."""
    rows = [_row(event) for event in events]
    session.add_all(rows)
    return rows


def _row(event: CloudEvent) -> OutboxEvent:
    return OutboxEvent(
        event_id=event.id,
        subject=event.type,
        case_key=event.subject,
        payload=event.model_dump(mode="json", exclude_none=True),
    )


def new_event_id() -> str:
    return str(uuid.uuid4())
