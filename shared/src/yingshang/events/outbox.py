"""Transactional outbox: events are rows written in the transaction that changes the case.

A relay (``yingshang.events.relay``) publishes them after commit; nothing is ever published
from a request handler directly.
"""

from __future__ import annotations

from datetime import datetime

import orjson
from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.clock import now
from yingshang.db import PlumbingBase, UTCDateTime
from yingshang.events.envelope import CloudEvent
from yingshang.ids import uuid7_text
from yingshang.prepared import insert_row


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


_INSERT = insert_row(OutboxEvent, without=("seq",))


async def enqueue(session: AsyncSession, event: CloudEvent) -> None:
    """Add ``event`` to the outbox in the caller's transaction (never committed here).

    The row is inserted at once with a prepared statement (no unit-of-work flush)."""
    await _INSERT.run(session, **_values(event))


async def enqueue_many(session: AsyncSession, events: list[CloudEvent]) -> None:
    """Several events, in the given order."""
    for event in events:
        await enqueue(session, event)


def _values(event: CloudEvent) -> dict[str, object]:
    return {
        "event_id": event.id,
        "subject": event.type,
        "case_key": event.subject,
        # the event's JSON as written once by pydantic, embedded as is by the column's orjson
        # serializer (``yingshang.db.json_text``): no dict in between
        "payload": orjson.Fragment(event.to_json()),
        "created_at": now(),
        "sent_at": None,
        "attempts": 0,
        "last_error": None,
        "claimed_by": None,
        "claimed_until": None,
    }


def new_event_id() -> str:
    return uuid7_text()
