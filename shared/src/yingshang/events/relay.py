"""Outbox relay: publishes committed outbox rows to JetStream, in order per case, never lost.

* Woken right after each commit (``db.on_commit``); polls every ``relay_poll_seconds`` as a
  fallback (commits of other processes, rows released after a pause).
* Takes a batch (:mod:`yingshang.events.claims`: a lease on PostgreSQL; on SQLite, one relay
  per database file, a cursor past the rows in flight, no transaction held while publishing),
  publishes it pipelined (:mod:`yingshang.events.publisher`) with ``Nats-Msg-Id`` =
  event id, and marks a row sent only after its PubAck (ARCHITECTURE.md,
  "Known pitfalls": awaiting each ack is round-trip bound, ~3,500/s; nats-py buffers publishes
  while disconnected, so the outbox, not that buffer, is the truth).
* Events of one case go out in ``seq`` order: within a batch they are sent in waves (the n-th
  event of every case in wave n) and a case whose event failed sends nothing more this round.
* While NATS is down the relay waits for the reconnect (no busy loop); when publishes fail it
  backs off exponentially and logs once per outage, not once per try.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, Gauge
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import now
from yingshang.db import Database
from yingshang.events import claims
from yingshang.events.claims import Claimed
from yingshang.events.publisher import Ack, Outgoing, publish_batch
from yingshang.events.streams import NatsConnection
from yingshang.events.wakeup import Wakeup
from yingshang.settings import ServiceSettings
from yingshang.tasks import cancel_and_wait

log = logging.getLogger("yingshang.events.relay")

ROW_RETRY_SECONDS = 30.0  # pause of a row the server rejected, so its case waits, not the relay
ROUND_SECONDS = 0.25  # SQLite: how long a relay round goes on reading batches ahead
HOUSEKEEPING_SECONDS = 5.0
PURGE_EVERY_SECONDS = 600.0


@dataclass(slots=True)
class BatchOutcome:
    sent: list[int] = field(default_factory=list)
    duplicates: int = 0
    transient: dict[int, str] = field(default_factory=dict)  # seq → error (connection-level)
    rejected: dict[int, str] = field(default_factory=dict)  # seq → error (row-level)
    held: list[int] = field(default_factory=list)  # later rows of a case whose event failed

    def merge(self, other: BatchOutcome) -> None:
        self.sent += other.sent
        self.duplicates += other.duplicates
        self.transient.update(other.transient)
        self.rejected.update(other.rejected)
        self.held += other.held


class RelayMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.backlog = Gauge("ys_outbox_backlog", "Unsent outbox rows", registry=registry)
        self.oldest = Gauge(
            "ys_outbox_oldest_unsent_seconds", "Age of the oldest unsent row", registry=registry
        )
        self.published = Counter("ys_outbox_published", "Rows published", registry=registry)
        self.duplicates = Counter(
            "ys_outbox_duplicates", "PubAcks flagged duplicate", registry=registry
        )
        self.failures = Counter(
            "ys_outbox_publish_failures", "Rows whose publish failed", registry=registry
        )


class OutboxRelay:
    """A Component: drains ``ys_outbox`` to JetStream."""

    name = "outbox-relay"

    def __init__(
        self,
        db: Database,
        nats: NatsConnection,
        *,
        poll_seconds: float = 1.0,
        batch_size: int = 1000,
        lease_seconds: float = 30.0,
        ack_timeout: float = 10.0,
        backlog_warn_seconds: float = 60.0,
        retention_hours: float = 72.0,
        registry: CollectorRegistry | None = None,
    ) -> None:
        self.db, self.nats = db, nats
        self.poll_seconds, self.batch_size = poll_seconds, batch_size
        self.lease = timedelta(seconds=lease_seconds)
        self.ack_timeout, self.backlog_warn_seconds = ack_timeout, backlog_warn_seconds
        self.retention = timedelta(hours=retention_hours)
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self.registry = registry
        self.metrics: RelayMetrics | None = None
        self.published = self.duplicates = self.failures = 0
        self.backlog_count, self.oldest_age = 0, 0.0
        self._wake = Wakeup()
        self._reconnected = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._failing_since: float | None = None
        self._last_purge = 0.0
        self._unsettled = 0  # PostgreSQL: leased batches not known settled (counted in the claim)
        self.on_published: Callable[[list[Claimed], BatchOutcome], Awaitable[None]] | None = None

    @classmethod
    def for_app(cls, app: FastAPI) -> OutboxRelay:
        settings: ServiceSettings = app.state.settings
        return cls(
            app.state.db,
            app.state.nats,
            poll_seconds=settings.relay_poll_seconds,
            batch_size=settings.relay_batch_size,
            backlog_warn_seconds=settings.relay_backlog_warn_seconds,
            retention_hours=settings.outbox_retention_hours,
            registry=app.state.metrics.registry,
        )

    def wake(self) -> None:
        self._wake.set()

    def _on_reconnect(self) -> None:
        self._reconnected.set()
        self._wake.set()

    async def start(self, app: FastAPI | None = None) -> None:
        self.metrics = RelayMetrics(self.registry or CollectorRegistry())
        self.db.on_commit(self._wake.after_commit)
        self.nats.on_reconnect(self._on_reconnect)
        self._tasks = [
            asyncio.create_task(self._run(), name="outbox-relay"),
            asyncio.create_task(self._housekeeping(), name="outbox-housekeeping"),
        ]
        self.wake()

    async def stop(self) -> None:
        await cancel_and_wait(self._tasks)
        await self._release_claims()

    async def _release_claims(self) -> None:
        """PostgreSQL: hand back the rows of a round the stop cut short (leased, not settled),
        so the next relay, this service restarted or another replica, publishes them at once
        instead of when the lease ends, which held back every later event of their cases.
        A row whose PubAck was on its way is published again with its ``Nats-Msg-Id``: the
        duplicate window stores it once. (SQLite leases nothing: the next relay's cursor
        starts at the oldest unsent row.)"""
        if not self._unsettled:
            return  # nothing leased (SQLite never leases)
        try:
            async with self.db.write() as session:
                await claims.release_leased(session, self.owner)
        except Exception:  # the lease still ends: they are only late
            log.exception("could not release the claimed outbox rows")

    def readiness(self) -> dict[str, Any]:
        running = bool(self._tasks) and not any(t.done() for t in self._tasks)
        report: dict[str, Any] = {
            "ok": running,
            "backlog": self.backlog_count,
            "oldest_unsent_seconds": round(self.oldest_age, 1),
        }
        if self.oldest_age > self.backlog_warn_seconds:
            report["warnings"] = [
                f"outbox: {self.backlog_count} unsent, oldest {self.oldest_age:.0f}s old"
            ]
        return report

    async def drain(self) -> int:
        """Publish until nothing is left to take; returns rows sent. (Tests, tools, bench.)"""
        total = 0
        while True:
            outcome, more = await self._round()
            total += len(outcome.sent)
            if outcome.transient or outcome.rejected or not more:
                return total

    async def _run(self) -> None:
        self._wake.own_this_task()
        backoff = 0.5
        while True:
            await self._wait_for_work()
            try:
                failed = await self._drain_quietly()
            except Exception as exc:  # database trouble: keep the relay alive, back off
                failed = True
                if self._failing_since is None:
                    log.exception("outbox relay failed")
                self._note_failure(exc)
            if not failed:
                backoff = 0.5
                continue
            await self._pause(backoff)
            backoff = min(backoff * 2, 30.0)

    async def _wait_for_work(self) -> None:
        if not self.nats.is_connected:
            await self.nats.connected.wait()
        await self._wake.wait(self.poll_seconds)

    async def _pause(self, seconds: float) -> None:
        """Back off, but come back at once when NATS reconnects."""
        self._reconnected.clear()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):  # not wait_for: see Wakeup.wait
                await self._reconnected.wait()

    async def _drain_quietly(self) -> bool:
        """Drain; True when a batch failed at the connection level (the relay backs off)."""
        while self.nats.is_connected:
            outcome, more = await self._round()
            if outcome.transient:
                return True
            if outcome.sent:
                self._recovered()
            if not more:
                return False
        return False

    async def _round(self) -> tuple[BatchOutcome, bool]:
        """Publish one or more batches; also says whether more rows may be waiting."""
        if self.db.is_sqlite:
            return await self._sqlite_round()  # its first read is the look for work
        async with self.db.peek() as session:
            if not await claims.work_waiting(session):
                return BatchOutcome(), False
        async with self.db.write() as session:
            rows = await claims.claim(session, self.owner, limit=self.batch_size, lease=self.lease)
            self._unsettled += bool(rows)
        outcome = await self._publish(rows)
        async with self.db.write() as session:
            await _settle(session, outcome)
        self._unsettled -= bool(rows)
        await self._done(rows, outcome)
        return outcome, len(rows) == self.batch_size

    async def _sqlite_round(self) -> tuple[BatchOutcome, bool]:
        """SQLite, one process per database: batches read, published and settled in turn.

        A batch is read on the event loop's own connection (committed rows only: what a
        request group has not committed yet is read after its COMMIT wakes the relay), and
        published with no transaction open: requests keep writing while its PubAcks are
        awaited. Each batch is then settled in a short write transaction of its own. The next
        batch is read while the current one awaits its PubAcks (the reader's cursor moves
        past the rows in flight), for up to ``ROUND_SECONDS`` of batches in a row.
        """
        started, total = time.monotonic(), BatchOutcome()
        taker = claims.CursorTaker(self.batch_size)
        rows = await self._take(taker)
        while rows:
            publishing = asyncio.create_task(self._publish(rows))
            upcoming = await self._read_ahead(taker, started, publishing)
            outcome = await publishing
            async with self.db.write() as session:
                await _settle(session, outcome)
            await self._done(rows, outcome)
            total.merge(outcome)
            if outcome.transient or outcome.rejected:
                return total, False
            rows = upcoming
        return total, taker.full

    async def _take(self, taker: claims.CursorTaker) -> list[Claimed]:
        async with self.db.peek() as session:
            return await taker.next(session)

    async def _read_ahead(
        self, taker: claims.CursorTaker, started: float, publishing: asyncio.Task[BatchOutcome]
    ) -> list[Claimed]:
        """The next batch, read while ``publishing`` runs (nothing once the round's time is
        spent)."""
        if not taker.full or time.monotonic() - started > ROUND_SECONDS:
            return []
        try:
            return await self._take(taker)
        except BaseException:
            publishing.cancel()
            raise

    async def _done(self, rows: list[Claimed], outcome: BatchOutcome) -> None:
        self._count(outcome)
        if self.on_published is not None and rows:
            await self.on_published(rows, outcome)

    async def _publish(self, rows: list[Claimed]) -> BatchOutcome:
        outcome = BatchOutcome()
        blocked: set[str] = set()
        for wave in _waves(rows):
            ready = [r for r in wave if r.case_key is None or r.case_key not in blocked]
            outcome.held.extend(r.seq for r in wave if r.case_key in blocked)
            await self._publish_wave(ready, outcome)
            failed = set(outcome.transient) | set(outcome.rejected)
            blocked |= {r.case_key for r in ready if r.seq in failed and r.case_key}
        return outcome

    async def _publish_wave(self, rows: list[Claimed], outcome: BatchOutcome) -> None:
        if not rows:
            return
        nc = self.nats.nc
        if nc is None:
            raise ConnectionError("NATS is not connected")
        batch = [Outgoing(r.subject, r.body, r.event_id) for r in rows]
        acks = await publish_batch(nc, batch, self.ack_timeout)
        for row, ack in zip(rows, acks, strict=True):
            _record(row, ack, outcome)

    def _count(self, outcome: BatchOutcome) -> None:
        failures = len(outcome.transient) + len(outcome.rejected)
        self.published += len(outcome.sent)
        self.duplicates += outcome.duplicates
        self.failures += failures
        if self.metrics is not None:
            self.metrics.published.inc(len(outcome.sent))
            self.metrics.duplicates.inc(outcome.duplicates)
            self.metrics.failures.inc(failures)
        if outcome.transient:
            self._note_failure(next(iter(outcome.transient.values())))
        for seq, error in outcome.rejected.items():
            log.error("outbox row %d rejected by JetStream: %s", seq, error)

    def _note_failure(self, error: object) -> None:
        if self._failing_since is None:
            self._failing_since = time.monotonic()
            log.warning("outbox relay cannot publish (%s); backing off", error)

    def _recovered(self) -> None:
        if self._failing_since is not None:
            down = time.monotonic() - self._failing_since
            log.info("outbox relay publishing again after %.1fs", down)
            self._failing_since = None

    async def _housekeeping(self) -> None:
        while True:
            try:
                await self.refresh_backlog()
                await self._purge_if_due()
            except Exception:  # reporting must never stop the relay
                log.debug("outbox housekeeping failed", exc_info=True)
            await asyncio.sleep(min(HOUSEKEEPING_SECONDS, max(self.poll_seconds, 0.5)))

    async def refresh_backlog(self) -> None:
        async with self.db.read() as session:
            count, oldest = await claims.backlog(session)
        self.backlog_count = count
        self.oldest_age = (now() - oldest).total_seconds() if oldest else 0.0
        if self.metrics is not None:
            self.metrics.backlog.set(count)
            self.metrics.oldest.set(self.oldest_age)

    async def _purge_if_due(self) -> None:
        if time.monotonic() - self._last_purge < PURGE_EVERY_SECONDS:
            return
        self._last_purge = time.monotonic()
        await self.purge()

    async def purge(self) -> int:
        """Delete sent rows older than the retention, in small transactions."""
        total = 0
        while True:
            async with self.db.write() as session:
                deleted = await claims.purge_sent(session, now() - self.retention)
            total += deleted
            if deleted == 0:
                return total


async def _settle(session: AsyncSession, outcome: BatchOutcome) -> None:
    await claims.mark_sent(session, outcome.sent)
    await claims.release(session, outcome.held, error=None)
    for error, seqs in _by_error(outcome.transient).items():
        await claims.release(session, seqs, error=error)
    for error, seqs in _by_error(outcome.rejected).items():
        await claims.release(session, seqs, error=error, retry_after=ROW_RETRY_SECONDS)


def _by_error(failed: dict[int, str]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for seq, error in failed.items():
        grouped.setdefault(error, []).append(seq)
    return grouped


def _waves(rows: list[Claimed]) -> list[list[Claimed]]:
    """The n-th row of every case goes in wave n; rows without a case all go in wave 0."""
    waves: list[list[Claimed]] = []
    depth: dict[str, int] = {}
    for row in rows:
        index = 0
        if row.case_key is not None:
            index = depth.get(row.case_key, 0)
            depth[row.case_key] = index + 1
        if index == len(waves):
            waves.append([])
        waves[index].append(row)
    return waves


def _record(row: Claimed, ack: Ack | None, outcome: BatchOutcome) -> None:
    if ack is None:
        outcome.transient[row.seq] = "no PubAck before the timeout"
    elif ack.error is None:
        outcome.sent.append(row.seq)
        outcome.duplicates += ack.duplicate
    elif ack.transient:
        outcome.transient[row.seq] = ack.error
    else:
        outcome.rejected[row.seq] = ack.error
