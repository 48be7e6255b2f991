"""The deadline sweeper: a service Component that emits ``warning``, ``overdue`` and
``escalated`` events exactly once per stage and level, through the outbox, on the timeline.

Each pass asks one indexed question on a read connection ("is any ``next_fire_at`` due?"), so an
idle pass is cheap. When something is due it drains batches, each in one write transaction:

* PostgreSQL: the batch is claimed with ``FOR UPDATE SKIP LOCKED``, so replicas, processes and
  the two batches a sweeper runs at once never take the same stage (all events of one stage
  are in one batch, in order);
* SQLite: the transaction starts with ``BEGIN IMMEDIATE`` (one writer across processes), and the
  stage update is conditional on the emission cursor it read, so a stage that moved on is never
  emitted twice (the batch rolls back instead).

Events and timeline rows are written with bulk inserts, the stages with one bulk update
(``yingshang.time.sweep_batch``).
Services learn about what fired through hooks called inside the same transaction.
"""

from __future__ import annotations

import asyncio
import logging
import time as monotonic_time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import now
from yingshang.db import Database
from yingshang.tasks import cancel_and_wait
from yingshang.time.bulk import DriverForm
from yingshang.time.calendar import OfficeHours
from yingshang.time.ladder import LevelTimes
from yingshang.time.models import RUNNING
from yingshang.time.store import configure_office_hours, current_calendar
from yingshang.time.sweep_batch import STAGES, Batch, Firing, plain_rows, stage_columns
from yingshang.time.years import load_year_files, missing_years_warning, years_without_data

log = logging.getLogger("yingshang.time.sweeper")
FiringHook = Callable[[AsyncSession, Sequence[Firing]], Awaitable[None]]
PG_LANES = 2  # concurrent sweep batches on PostgreSQL


class DeadlineSweeper:
    """Component: sweeps due stages every ``interval`` seconds (see the module docstring)."""

    name = "deadline_sweeper"

    def __init__(
        self,
        db: Database,
        *,
        interval: float = 1.0,
        batch_size: int = 1000,
        hooks: Sequence[FiringHook] = (),
        calendar_files: Sequence[Path] = (),
        status_interval: float = 10.0,
    ) -> None:
        self.db, self.interval, self.batch_size = db, interval, batch_size
        self.hooks = list(hooks)
        self.calendar_files = list(calendar_files)
        self.status_interval = status_interval
        self.emitted = 0
        self.last_error: str | None = None
        self.file_problems: list[str] = []
        self.missing_years: list[int] = []
        self._status_at = 0.0
        self._task: asyncio.Task[None] | None = None

    def on_fire(self, hook: FiringHook) -> None:
        """Register ``hook(session, firings)``, called in the sweep's transaction."""
        self.hooks.append(hook)

    async def start(self, app: FastAPI | None = None) -> None:
        self.file_problems = await load_year_files(self.db, self.calendar_files)
        for problem in self.file_problems:
            log.error(problem)
        await self.refresh_status()
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        await cancel_and_wait([self._task])
        self._task = None

    def readiness(self) -> dict[str, Any]:
        warnings = list(self.file_problems)
        if self.missing_years:
            warnings.append(missing_years_warning(self.missing_years))
        return {
            "ok": self._task is not None and not self._task.done(),
            "warnings": warnings,
            "years_without_data": self.missing_years,
            "emitted": self.emitted,
            "last_error": self.last_error,
        }

    async def refresh_status(self) -> None:
        async with self.db.read() as session:
            self.missing_years = await years_without_data(session)
        self._status_at = monotonic_time.monotonic()

    async def _run(self) -> None:
        while True:
            try:
                await self.sweep()
                if monotonic_time.monotonic() - self._status_at >= self.status_interval:
                    await self.refresh_status()
                self.last_error = None
            except Exception as exc:  # keep sweeping; the error shows in /readyz
                self.last_error = f"{type(exc).__name__}: {exc}"[:300]
                log.exception("deadline sweep failed")
            await asyncio.sleep(self.interval)

    async def sweep(self) -> int:
        """Emit everything due now; returns the number of events written."""
        total = 0
        at = now()
        # PostgreSQL: batches in two transactions at once (SKIP LOCKED hands them disjoint
        # stages), so one batch is planned while the server writes the other. SQLite has one
        # writer: one batch at a time.
        lanes = 1 if self.db.write_lock is not None else PG_LANES
        while await self._anything_due(at):
            done = await asyncio.gather(*(self.sweep_batch(at) for _ in range(lanes)))
            total += sum(count for count, _ in done)
            if sum(stages for _, stages in done) < lanes * self.batch_size:
                break
        return total

    async def _anything_due(self, at: datetime) -> bool:
        query = select(STAGES.c.id).where(STAGES.c.next_fire_at <= at).limit(1)
        async with self.db.peek() as session:
            return (await session.execute(query)).first() is not None

    async def sweep_batch(self, at: datetime) -> tuple[int, int]:
        """One batch in one write transaction: (events written, stages claimed)."""
        async with self.db.write() as session:
            query = (
                select(*stage_columns(self.db.engine.dialect))
                .where(STAGES.c.next_fire_at <= at, STAGES.c.status == RUNNING)
                .order_by(STAGES.c.next_fire_at)
                .limit(self.batch_size)
                .with_for_update(skip_locked=True)
            )
            rows = (await session.execute(query)).all()
            if not rows:
                return 0, 0
            times = LevelTimes(await current_calendar(session))
            form = DriverForm.of(session.get_bind().dialect)
            batch = Batch(at, times, form, keep_firings=bool(self.hooks))
            for row in plain_rows(rows):
                batch.add(row)
            await batch.write(session)
            for hook in self.hooks:
                await hook(session, batch.firings)
        self.emitted += len(batch.outbox)
        return len(batch.outbox), len(rows)


__all__ = ["DeadlineSweeper", "Firing", "FiringHook", "sweeper_component"]


def sweeper_component(
    *, hooks: Sequence[FiringHook] = (), batch_size: int = 1000, status_interval: float = 10.0
) -> Callable[[FastAPI], DeadlineSweeper]:
    """Factory for ``create_service_app(components=[...])``: reads the interval, calendar files
    and office hours from the app's settings."""

    def build(app: FastAPI) -> DeadlineSweeper:
        settings = app.state.settings
        configure_office_hours(OfficeHours.parse(settings.office_hours))
        sweeper = DeadlineSweeper(
            app.state.db,
            interval=settings.sweep_interval_seconds,
            batch_size=batch_size,
            hooks=hooks,
            calendar_files=settings.calendar_files,
            status_interval=status_interval,
        )
        app.state.deadline_sweeper = sweeper
        return sweeper

    return build
