"""Crash tests across processes: the broker SIGKILLed mid-batch, a consumer killed between its
commit and its ack. Nothing may be lost and nothing may be applied twice."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).parent / "eventprocs"))

import sample
from kit import Child, consumer_settled, eventually, stream_messages

from yingshang.db import Database
from yingshang.events.inbox import inbox_count
from yingshang.events.relay import OutboxRelay
from yingshang.events.streams import NatsConnection
from yingshang.testing.nats import NatsProcess

pytestmark = pytest.mark.nats
CASES = 1000
DURABLE = sample.consumer_spec().durable


async def consumed(db: Database) -> int:
    return (await sample.effect_stats(db))[0]


async def test_broker_sigkilled_mid_batch_loses_nothing_and_doubles_nothing(
    tmp_path: Path, migrated_db: Callable[..., str], nats_process: NatsProcess
) -> None:
    producer_url, consumer_url = migrated_db(sample.SERVICE_DIR), migrated_db(sample.SERVICE_DIR)
    consumer_db = Database(consumer_url)
    common = ("--nats", nats_process.url)
    consumers = [Child("consume", "--db", consumer_url, *common, log_dir=tmp_path) for _ in "ab"]
    producer: Child | None = None
    try:
        for child in consumers:
            await child.line("ready")
        producer = Child("produce", "--db", producer_url, *common, "--cases", str(CASES),
                         "--rate", "250", log_dir=tmp_path)  # fmt: skip
        await eventually(lambda: _at_least(consumer_db, 200), "200 events consumed", 120)
        nats_process.kill()
        at_kill = await consumed(consumer_db)
        await asyncio.sleep(1.0)  # the outage: the producer keeps writing cases meanwhile
        nats_process.start()

        report = await producer.line("published", seconds=120)
        await eventually(lambda: _at_least(consumer_db, CASES), "all events consumed", 120)
        total, distinct = await sample.effect_stats(consumer_db)
        async with consumer_db.read() as session:
            inbox = await inbox_count(session, DURABLE)
        stored = await stream_messages(nats_process.url)
    finally:
        for child in [*consumers, *([producer] if producer else [])]:
            child.terminate()
        await consumer_db.dispose()

    assert 200 <= at_kill < 800, "the broker died while events were still flowing"
    assert report["published"] >= CASES  # every row got its PubAck (repeats count twice)
    assert stored == CASES, "JetStream dropped the repeats (Nats-Msg-Id duplicate window)"
    assert (total, distinct, inbox) == (CASES, CASES, CASES), "none missing, none doubled"


async def _at_least(db: Database, count: int) -> bool:
    return await consumed(db) >= count


@pytest.fixture
async def sample_relay(
    migrated_db: Callable[..., str], nats_process: NatsProcess
) -> AsyncIterator[Database]:
    """A producer database whose relay runs in this process."""
    db = Database(migrated_db(sample.SERVICE_DIR))
    nats = NatsConnection(nats_process.url, service="sample")
    await nats.start()
    await nats.wait_connected(60)
    relay = OutboxRelay(db, nats, poll_seconds=0.2)
    await relay.start()
    yield db
    await relay.stop()
    await nats.stop()
    await db.dispose()


async def test_consumer_killed_between_commit_and_ack_is_absorbed_by_the_inbox(
    tmp_path: Path,
    migrated_db: Callable[..., str],
    nats_process: NatsProcess,
    sample_relay: Database,
) -> None:
    consumer_url = migrated_db(sample.SERVICE_DIR)
    consumer_db = Database(consumer_url)
    common = ("--db", consumer_url, "--nats", nats_process.url)
    await sample.open_cases(sample_relay, 0, 50)
    crashing = Child("consume", *common, "--crash-after-commit", "10", log_dir=tmp_path)
    survivor: Child | None = None
    try:
        crashed_id = (await crashing.line("crashing_after"))["crashing_after"]
        assert await crashing.exit_code() == -9
        survivor = Child("consume", *common, log_dir=tmp_path)
        await survivor.line("ready")
        await eventually(lambda: _at_least(consumer_db, 50), "all 50 events consumed")
        settled = lambda: consumer_settled(nats_process.url, DURABLE)  # noqa: E731
        await eventually(settled, "every delivery acknowledged")
        survivor.terminate()
        counts = await survivor.line("duplicates")
        total, distinct = await sample.effect_stats(consumer_db)
        async with consumer_db.read() as session:
            crashed = await session.scalar(
                select(func.count())
                .select_from(sample.Effect)
                .where(sample.Effect.event_id == crashed_id)
            )
    finally:
        crashing.terminate()
        if survivor is not None:
            survivor.terminate()
        await consumer_db.dispose()

    assert crashed == 1, "the event committed before the crash was applied exactly once"
    assert counts["duplicates"] >= 1, "its redelivery reached the inbox and was absorbed"
    assert (total, distinct) == (50, 50)
