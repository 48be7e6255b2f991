"""Two relays (two processes) over one PostgreSQL outbox: nothing published twice, order kept
per case, and every event applied once downstream."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "eventprocs"))

import sample
from kit import Child, eventually, stream_bodies, stream_messages

from yingshang.db import Database
from yingshang.events.consumer import EventConsumer
from yingshang.events.streams import NatsConnection
from yingshang.testing.nats import NatsProcess

pytestmark = [pytest.mark.postgres, pytest.mark.nats]
CASES, PER_CASE = 200, 4
EVENTS = CASES * PER_CASE


async def test_two_relays_on_postgres_never_publish_one_event_twice(
    tmp_path: Path,
    migrated_db: Callable[..., str],
    nats_process: NatsProcess,
    postgres_url: str,
) -> None:
    outbox = Database(migrated_db(sample.SERVICE_DIR, "postgres"))
    common = ("--db", outbox.url, "--nats", nats_process.url, "--expect", str(EVENTS))
    relays = [Child("relay", *common, "--batch", "100", log_dir=tmp_path) for _ in "ab"]
    try:
        for relay in relays:
            await relay.line("ready")
        for first in range(0, CASES, 25):  # cases keep arriving while both relays run
            await sample.open_cases(outbox, first, 25, events_per_case=PER_CASE)
            await asyncio.sleep(0.01)
        reports = [await relay.line("acked", seconds=120) for relay in relays]
    finally:
        for relay in relays:
            relay.terminate()
        await outbox.dispose()
    first, second = ({*r["acked"]} for r in reports)
    bodies = await stream_bodies(nats_process.url)

    assert first.isdisjoint(second), "no event published by both relays"
    assert len(first | second) == EVENTS
    assert sum(r["duplicates"] for r in reports) == 0
    assert len(bodies) == EVENTS
    for case in {b["subject"] for b in bodies}:
        numbers = [b["data"]["n"] for b in bodies if b["subject"] == case]
        assert numbers == list(range(PER_CASE)), f"case {case} out of order"
    assert await effects_downstream(migrated_db(sample.SERVICE_DIR), nats_process.url) == (
        EVENTS,
        EVENTS,
    )
    assert await stream_messages(nats_process.url) == EVENTS


async def effects_downstream(url: str, nats_url: str) -> tuple[int, int]:
    db = Database(url)
    connection = NatsConnection(nats_url, service="sink", streams=())
    await connection.start()
    await connection.wait_connected(60)
    consumer = EventConsumer(sample.consumer_spec(), db, connection)
    await consumer.start()
    try:
        await eventually(lambda: _consumed(consumer), "every event applied", 120)
        return await sample.effect_stats(db)
    finally:
        await consumer.stop()
        await connection.stop()
        await db.dispose()


async def _consumed(consumer: EventConsumer) -> bool:
    return consumer.processed >= EVENTS
