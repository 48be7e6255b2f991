"""The outbox relay against a real nats-server: order per case, Nats-Msg-Id, row-level errors,
outages (backlog in /metrics and /readyz, no busy loop), duplicate window, purge."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import nats
import pytest
from sqlalchemy import select, update

sys.path.insert(0, str(Path(__file__).parent / "eventprocs"))

import sample
from kit import eventually, stream_bodies, stream_messages

from yingshang.app import create_service_app
from yingshang.db import Database
from yingshang.events import event_components
from yingshang.events.envelope import make_event
from yingshang.events.outbox import OutboxEvent, enqueue
from yingshang.events.relay import OutboxRelay
from yingshang.events.streams import NatsConnection
from yingshang.prepared import use_raw_connection
from yingshang.settings import ServiceSettings
from yingshang.testing.nats import NatsProcess

pytestmark = pytest.mark.nats
MigratedDb = Callable[..., str]


@asynccontextmanager
async def relay_on(url: str, nats_url: str, **options: float) -> AsyncIterator[OutboxRelay]:
    db = Database(url)
    connection = NatsConnection(nats_url, service="sample", reconnect_wait=0.25)
    await connection.start()
    await connection.wait_connected(60)
    relay = OutboxRelay(db, connection, **options)
    try:
        yield relay
    finally:
        await relay.stop()
        await connection.stop()
        await db.dispose()


async def outbox_rows(db: Database) -> list[OutboxEvent]:
    async with db.read() as session:
        rows = list(
            (await session.execute(select(OutboxEvent).order_by(OutboxEvent.seq))).scalars()
        )
        session.expunge_all()
    return rows


async def test_events_go_out_in_case_order_with_the_event_id_as_message_id(
    migrated_db: MigratedDb, nats_process: NatsProcess
) -> None:
    url = migrated_db(sample.SERVICE_DIR)
    async with relay_on(url, nats_process.url, batch_size=5) as relay:
        ids = await sample.open_cases(relay.db, 0, 3, events_per_case=4)
        sent = await relay.drain()
        rows = await outbox_rows(relay.db)
    bodies = await stream_bodies(nats_process.url)
    nc = await nats.connect(nats_process.url)
    first = await nc.jetstream().get_msg("YS_SAMPLE", 1)
    await nc.close()
    assert sent == 12
    assert sorted(b["id"] for b in bodies) == sorted(ids)
    for case in ("C0", "C1", "C2"):
        assert [b["data"]["n"] for b in bodies if b["subject"] == case] == [0, 1, 2, 3]
    assert (first.headers or {})["Nats-Msg-Id"] == bodies[0]["id"]
    assert all(r.sent_at is not None and r.attempts == 1 for r in rows)


async def test_a_row_the_server_refuses_holds_back_its_case_only(
    migrated_db: MigratedDb, nats_process: NatsProcess
) -> None:
    url = migrated_db(sample.SERVICE_DIR)
    async with relay_on(url, nats_process.url) as relay:
        async with relay.db.write() as session:
            huge = {"case_number": "C1", "n": 0, "notes": "x" * 2_000_000}  # > max_payload
            await enqueue(session, make_event("sample", sample.OPENED, huge, subject="C1"))
        await sample.open_cases(relay.db, 1, 1)  # C1, n=0 again: must wait behind the refused
        await sample.open_cases(relay.db, 2, 1)  # C2: unaffected
        await relay.drain()
        too_big, held, other = await outbox_rows(relay.db)
    bodies = await stream_bodies(nats_process.url)
    assert [b["subject"] for b in bodies] == ["C2"]
    assert too_big.sent_at is None
    assert "MaxPayloadError" in (too_big.last_error or "")
    assert too_big.claimed_until is not None, "paused before its next try"
    assert (held.sent_at, held.attempts) == (None, 0)
    assert other.sent_at is not None


@asynccontextmanager
async def producer_app(url: str, nats_url: str, var: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = ServiceSettings(
        service="sample",
        var_dir=var,
        database_url=url,
        nats_url=nats_url,
        relay_poll_seconds=0.2,
        relay_backlog_warn_seconds=0.0,
    )
    app = create_service_app(settings, title="sample", components=event_components())
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as client,
    ):
        client.app = app  # type: ignore[attr-defined]
        yield client


async def test_while_nats_is_down_events_wait_and_backlog_shows_in_metrics_and_readiness(
    migrated_db: MigratedDb, nats_process: NatsProcess, tmp_path: Path
) -> None:
    url = migrated_db(sample.SERVICE_DIR)
    nats_process.stop()  # the service starts while the broker is down
    async with producer_app(url, nats_process.url, tmp_path) as client:
        app = client.app  # type: ignore[attr-defined]
        await sample.open_cases(app.state.db, 0, 5)
        relay = next(c for c in app.state.components if isinstance(c, OutboxRelay))

        async def reported() -> bool:  # the relay refreshes its backlog figures periodically
            return "ys_outbox_backlog 5.0" in (await client.get("/metrics")).text

        await eventually(reported, "the backlog is in /metrics")
        ready = await client.get("/readyz")
        attempts_while_down = [r.attempts for r in await outbox_rows(app.state.db)]

        nats_process.start()
        await eventually(lambda: _drained(relay), "backlog drained after the broker is back")
        ready_after = (await client.get("/readyz")).json()
    assert ready.status_code == 200, "NATS down is a warning: requests still commit"
    warnings = " ".join(ready.json()["warnings"])
    assert "NATS disconnected" in warnings
    assert "outbox: 5 unsent" in warnings
    assert attempts_while_down == [0] * 5, "no publish attempts while disconnected"
    assert await stream_messages(nats_process.url) == 5
    assert ready_after["checks"]["outbox-relay"]["backlog"] == 0


async def _drained(relay: OutboxRelay) -> bool:
    await relay.refresh_backlog()
    return relay.backlog_count == 0


async def test_a_republish_inside_the_duplicate_window_is_stored_once(
    migrated_db: MigratedDb, nats_process: NatsProcess
) -> None:
    url = migrated_db(sample.SERVICE_DIR)
    async with relay_on(url, nats_process.url) as relay:
        await sample.open_cases(relay.db, 0, 3)
        await relay.drain()
        async with relay.db.write() as session:  # as if the PubAcks had been lost
            await session.execute(update(OutboxEvent).values(sent_at=None))
        again = await relay.drain()
    assert (again, relay.duplicates) == (3, 3)
    assert await stream_messages(nats_process.url) == 3


async def test_purge_removes_only_sent_rows_past_retention(
    migrated_db: MigratedDb, nats_process: NatsProcess
) -> None:
    url = migrated_db(sample.SERVICE_DIR)
    async with relay_on(url, nats_process.url, retention_hours=0.0) as relay:
        await sample.open_cases(relay.db, 0, 4)
        await relay.drain()
        await sample.open_cases(relay.db, 4, 2)  # not sent yet: must survive
        purged = await relay.purge()
        left = await outbox_rows(relay.db)
    assert purged == 4
    assert [r.sent_at for r in left] == [None, None]


async def test_idle_workers_do_not_spin_on_their_own_commits(
    migrated_db: MigratedDb, nats_process: NatsProcess, tmp_path: Path
) -> None:
    """The relay and the notification sender are woken by commits; their own commits must not
    wake them again, or an idle service would write in a loop."""
    url = migrated_db(sample.SERVICE_DIR)
    async with producer_app(url, nats_process.url, tmp_path) as client:
        app = client.app  # type: ignore[attr-defined]
        db: Database = app.state.db
        commits: list[int] = []
        db.on_commit(lambda: commits.append(1))
        await sample.open_cases(db, 0, 3)
        relay = next(c for c in app.state.components if isinstance(c, OutboxRelay))
        await eventually(lambda: _drained(relay), "the three events are sent")
        await asyncio.sleep(0.2)  # let the last round finish settling
        settled = len(commits)
        await asyncio.sleep(1.0)  # five poll periods of idleness
    assert settled >= 2, "the cases and the relay's own settling committed"
    assert len(commits) == settled, "nothing was written while idle"


def hold_publishing(monkeypatch: pytest.MonkeyPatch) -> tuple[asyncio.Event, asyncio.Event]:
    """The relay's publishes wait for the first event (the gate); the second is set when one
    is waiting (the relay is inside its round)."""
    from yingshang.events import relay as relay_module

    gate, publishing = asyncio.Event(), asyncio.Event()
    real_publish = relay_module.publish_batch

    async def held_publish(*args: object, **kwargs: object) -> object:
        publishing.set()
        await gate.wait()
        return await real_publish(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(relay_module, "publish_batch", held_publish)
    return gate, publishing


async def test_sqlite_requests_write_while_the_relay_awaits_its_pubacks(
    migrated_db: MigratedDb, nats_process: NatsProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite no transaction is held while a batch is published: a writer gets through
    while the PubAcks are awaited, and the batch is then settled and not taken twice."""
    url = migrated_db(sample.SERVICE_DIR)
    gate, publishing = hold_publishing(monkeypatch)
    async with relay_on(url, nats_process.url, batch_size=100) as relay:
        await sample.open_cases(relay.db, 0, 2, events_per_case=2)
        draining = asyncio.create_task(relay.drain())
        try:
            await asyncio.wait_for(publishing.wait(), 10)
            # the relay is inside its round, awaiting PubAcks: a writer is not kept waiting
            await asyncio.wait_for(sample.open_cases(relay.db, 2, 1), 2)
        finally:
            gate.set()  # (a relay holding the writer would otherwise never let go of it)
        sent = await asyncio.wait_for(draining, 10)
        sent_after = await relay.drain()
        rows = await outbox_rows(relay.db)
    bodies = await stream_bodies(nats_process.url)
    assert (sent, sent_after) == (4, 1)  # the round's four, then the one written meanwhile
    assert len(bodies) == 5
    assert relay.duplicates == 0  # none published twice (JetStream would drop a repeat)
    assert all(r.sent_at is not None and r.attempts == 1 for r in rows)


async def test_a_batch_of_paused_rows_does_not_hide_the_rows_behind_it(
    migrated_db: MigratedDb, nats_process: NatsProcess
) -> None:
    """Rows paused after a row-level error fill a whole batch: the relay looks past them for
    the free rows of other cases, and stops (no spinning on a batch it cannot send)."""
    url = migrated_db(sample.SERVICE_DIR)
    async with relay_on(url, nats_process.url, batch_size=2) as relay:
        await sample.open_cases(relay.db, 0, 4)
        async with relay.db.write() as session:
            await session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.seq <= 3)
                .values(claimed_by="retry", claimed_until=datetime.now(UTC) + timedelta(hours=1))
            )
        sent = await asyncio.wait_for(relay.drain(), 10)
        again = await asyncio.wait_for(relay.drain(), 10)
        rows = await outbox_rows(relay.db)
    assert (sent, again) == (1, 0)
    assert [r.sent_at is not None for r in rows] == [False, False, False, True]


async def test_rows_of_a_group_the_relay_commits_itself_are_published(
    migrated_db: MigratedDb, nats_process: NatsProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite: the relay's settle ends an open request group first (its COMMIT, run from
    the relay's task); the relay is still woken by it, not only by its next poll."""
    url = migrated_db(sample.SERVICE_DIR)
    gate, publishing = hold_publishing(monkeypatch)
    async with relay_on(url, nats_process.url, poll_seconds=60.0) as relay:
        db, groups = relay.db, relay.db.groups
        if groups is None:
            pytest.skip("group commit is the SQLite writer's")
        relay._last_purge = time.monotonic()  # no housekeeping commit to wake it instead
        await relay.start()
        await sample.open_cases(db, 0, 1)
        await asyncio.wait_for(publishing.wait(), 10)
        async with groups.lock:  # a request in the writer, its event in the open group
            group, writer = await groups.join()
            session = db.write_sessions(bind=writer, join_transaction_mode="create_savepoint")
            use_raw_connection(session, group.driver.raw)
            await enqueue(session, sample.opened_event(7))
            group.size += 1
            gate.set()
            await asyncio.sleep(0.3)  # the relay published and queued its settle
            await groups.leave(group)
        await groups.wait(group)

        async def all_sent() -> bool:
            return all(row.sent_at is not None for row in await outbox_rows(db))

        # well before the relay's 60 s poll
        await eventually(all_sent, "the group's event published", seconds=10)


@pytest.mark.postgres
async def test_a_relay_stopped_mid_round_hands_its_rows_back(
    migrated_db: MigratedDb, nats_process: NatsProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: a relay stopping while its batch is being published lets go of the rows it
    leased; the relay that comes next sends them at once, not when the lease (an hour here)
    ends, and each once. A row it had settled stays settled."""
    url = migrated_db(sample.SERVICE_DIR, "postgres")
    async with relay_on(url, nats_process.url, lease_seconds=3600.0) as relay:
        await sample.open_cases(relay.db, 0, 1)
        await relay.drain()  # settled before the stop: not handed back
        gate, publishing = hold_publishing(monkeypatch)
        await relay.start()
        await sample.open_cases(relay.db, 1, 2, events_per_case=2)
        await asyncio.wait_for(publishing.wait(), 10)
        held = [r.seq for r in await outbox_rows(relay.db) if r.claimed_by == relay.owner]
    gate.set()  # the next relay's publishes go through
    async with relay_on(url, nats_process.url, lease_seconds=3600.0) as relay:
        sent = await asyncio.wait_for(relay.drain(), 10)
        rows = await outbox_rows(relay.db)
    bodies = await stream_bodies(nats_process.url)
    assert len(held) == 4, "the stopped relay had leased the four rows"
    assert (sent, relay.duplicates, len(bodies)) == (4, 0, 5), "each sent once, at once"
    assert [b["data"]["n"] for b in bodies if b["subject"] == "C1"] == [0, 1]
    assert all(r.sent_at is not None and r.claimed_by is None for r in rows)
