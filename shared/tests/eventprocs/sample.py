"""The sample service of the event tests: one event type, one effect per applied event.

Used in-process by the tests and by the helper programs (``producer.py``, ``consumer.py``,
``relay.py``) that the multi-process tests start.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field
from sqlalchemy import Integer, String, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from yingshang.db import TYPE_MAP, Database, new_metadata
from yingshang.events.catalogue import EventCatalogue
from yingshang.events.consumer import ConsumerSpec
from yingshang.events.envelope import CloudEvent, make_event
from yingshang.events.inbox import Handler
from yingshang.events.outbox import enqueue_many
from yingshang.migrate import upgrade

SERVICE_DIR = Path(__file__).resolve().parent
OPENED = "ys.sample.case.opened"


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_MAP


class Effect(Base):
    """What a handler does: one row per applied event (doubles would show as two rows)."""

    __tablename__ = "effects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64))
    case_key: Mapped[str | None] = mapped_column(String(200))
    case_seq: Mapped[int] = mapped_column(Integer)
    consumer: Mapped[str] = mapped_column(String(120))
    pid: Mapped[int] = mapped_column(Integer)


class CaseOpened(BaseModel):
    case_number: str = Field(pattern=r"^C\d+$")
    n: int = Field(ge=0)  # the event's position within its case


def catalogue(model: type[BaseModel] = CaseOpened) -> EventCatalogue:
    events = EventCatalogue(title="sample events")
    events.register(OPENED, model, description="a sample case was opened", consumers=("sink",))
    return events


def effect_handler(consumer: str) -> Handler:
    async def record_effect(session: AsyncSession, event: CloudEvent, payload: CaseOpened) -> None:
        session.add(
            Effect(
                event_id=event.id,
                case_key=event.subject,
                case_seq=payload.n,
                consumer=consumer,
                pid=os.getpid(),
            )
        )

    return record_effect


def consumer_spec(
    purpose: str = "effects",
    *,
    model: type[BaseModel] = CaseOpened,
    backoff: tuple[float, ...] = (2.0, 2.0),
    max_deliver: int = 3,
    handler: Handler | None = None,
) -> ConsumerSpec:
    spec = ConsumerSpec(
        "sink",
        "sample",
        purpose,
        catalogue=catalogue(model),
        backoff=backoff,
        max_deliver=max_deliver,
        fetch_seconds=0.5,
    )
    spec.add(OPENED, handler or effect_handler(spec.durable))
    return spec


def migrate(url: str) -> None:
    upgrade(SERVICE_DIR, url)


async def open_cases(
    db: Database, first: int, count: int, *, events_per_case: int = 1
) -> list[str]:
    """Write ``count`` cases' events to the outbox in one transaction; returns event ids."""
    numbers = range(first, first + count)
    events = [opened_event(number, n) for number in numbers for n in range(events_per_case)]
    async with db.write() as session:
        await enqueue_many(session, events)
    return [event.id for event in events]


def opened_event(number: int, n: int = 0) -> CloudEvent:
    data = CaseOpened(case_number=f"C{number}", n=n)
    return make_event("sample", OPENED, data, subject=f"C{number}")


async def effect_stats(db: Database) -> tuple[int, int]:
    """(effects, distinct event ids among them)."""
    async with db.read() as session:
        total = await session.scalar(select(func.count()).select_from(Effect))
        distinct = await session.scalar(select(func.count(func.distinct(Effect.event_id))))
    return int(total or 0), int(distinct or 0)
