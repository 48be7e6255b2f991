"""Outbox relay: publishes committed outbox rows to JetStream, in order per case, never lost.

* Woken right after each commit (``db.on_commit``); polls every ``relay_poll_seconds`` as a
  fallback (commits of other processes, rows released after a pause).
* Claims a batch under a lease (:mod:`yingshang.events.claims`), publishes it asynchronously
  with ``Nats-Msg-Id`` = event id, and marks a row sent only after its PubAck (ARCHITECTURE.md,
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
from nats.errors import BadHeaderError, BadSubjectError, MaxPayloadError
from nats.js.api import PubAck
from nats.js.errors import APIError, ServiceUnavailableError
from prometheus_client import CollectorRegistry, Counter, Gauge

from yingshang.clock import now
from yingshang.db import Database
from yingshang.events import claims
from yingshang.events.claims import Claimed
from yingshang.events.streams import NatsConnection
from yingshang.settings import ServiceSettings

log = logging.getLogger("yingshang.events.relay")

# Errors that belong to one row (the server or client refuses that message); anything else
# (timeouts, disconnects, no stream responders, JetStream unavailable) is the connection's.
ROW_ERRORS = (MaxPayloadError, BadSubjectError, BadHeaderError)
ROW_RETRY_SECONDS = 30.0  # pause of a row the server rejected, so its case waits, not the relay
HOUSEKEEPING_SECONDS = 5.0
PURGE_EVERY_SECONDS = 600.0


@dataclass(slots=True)
class BatchOutcome:
    sent: list[int] = field(default_factory=list)
    duplicates: int = 0
    transient: dict[int, str] = field(default_factory=dict)  # seq → error (connection-level)
    rejected: dict[int, str] = field(default_factory=dict)  # seq → error (row-level)
    held: list[int] = field(default_factory=list)  # later rows of a case whose event failed


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
        self._wake = asyncio.Event()
        self._reconnected = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._failing_since: float | None = None
        self._last_purge = 0.0
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
        self.db.on_commit(self.wake)
        self.nats.on_reconnect(self._on_reconnect)
        self._tasks = [
            asyncio.create_task(self._run(), name="outbox-relay"),
            asyncio.create_task(self._housekeeping(), name="outbox-housekeeping"),
        ]
        self.wake()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

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
        """Publish until nothing is claimable; returns rows sent. (Tests, tools, the bench.)"""
        total = 0
        while True:
            outcome, claimed = await self._one_batch()
            total += len(outcome.sent)
            if outcome.transient or outcome.rejected or claimed < self.batch_size:
                return total

    async def _run(self) -> None:
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
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
        self._wake.clear()

    async def _pause(self, seconds: float) -> None:
        """Back off, but come back at once when NATS reconnects."""
        self._reconnected.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._reconnected.wait(), seconds)

    async def _drain_quietly(self) -> bool:
        """Drain; True when a batch failed at the connection level (the relay backs off)."""
        while self.nats.is_connected:
            outcome, claimed = await self._one_batch()
            if outcome.transient:
                return True
            if outcome.sent:
                self._recovered()
            if claimed < self.batch_size:
                return False
        return False

    async def _one_batch(self) -> tuple[BatchOutcome, int]:
        async with self.db.write() as session:
            rows = await claims.claim(
                session,
                self.owner,
                limit=self.batch_size,
                lease=self.lease,
                postgres=not self.db.is_sqlite,
            )
        if not rows:
            return BatchOutcome(), 0
        outcome = await self._publish(rows)
        await self._settle(outcome)
        if self.on_published is not None:
            await self.on_published(rows, outcome)
        return outcome, len(rows)

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
        futures: list[asyncio.Future[PubAck]] = []
        js = self.nats.js
        for row in rows:
            try:
                future = await js.publish_async(
                    row.subject, row.body, headers={"Nats-Msg-Id": row.event_id}
                )
            except Exception as exc:  # refused before sending (payload size, closed, ...)
                future = asyncio.get_running_loop().create_future()
                future.set_exception(exc)
            futures.append(future)
        if futures:
            await asyncio.wait(futures, timeout=self.ack_timeout)
        for row, future in zip(rows, futures, strict=True):
            _record(row, future, outcome)

    async def _settle(self, outcome: BatchOutcome) -> None:
        async with self.db.write() as session:
            await claims.mark_sent(session, outcome.sent)
            await claims.release(session, outcome.held, error=None)
            for seq, error in outcome.transient.items():
                await claims.release(session, [seq], error=error)
            for seq, error in outcome.rejected.items():
                await claims.release(session, [seq], error=error, retry_after=ROW_RETRY_SECONDS)
        self._count(outcome)

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


def _record(row: Claimed, future: asyncio.Future[PubAck], outcome: BatchOutcome) -> None:
    if not future.done():
        future.cancel()
        outcome.transient[row.seq] = "no PubAck before the timeout"
        return
    error = future.exception()
    if error is None:
        outcome.sent.append(row.seq)
        outcome.duplicates += bool(future.result().duplicate)
    elif _row_error(error):
        outcome.rejected[row.seq] = f"{type(error).__name__}: {error}"
    else:
        outcome.transient[row.seq] = f"{type(error).__name__}: {error}"


def _row_error(error: BaseException) -> bool:
    if isinstance(error, ServiceUnavailableError):
        return False
    return isinstance(error, ROW_ERRORS | APIError)
