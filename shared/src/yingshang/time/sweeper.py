"""The deadline sweeper: a service Component that emits ``warning``, ``overdue`` and
``escalated`` events exactly once per stage and level, through the outbox, on the timeline.

Each pass asks one indexed question on a read connection ("is any ``next_fire_at`` due?"), so an
idle pass is cheap. When something is due it drains batches, each in one write transaction:

* PostgreSQL: the batch is claimed with ``FOR UPDATE SKIP LOCKED``, so replicas and processes
  never take the same stage;
* SQLite: the transaction starts with ``BEGIN IMMEDIATE`` (one writer across processes), and the
  stage update is conditional on the emission cursor it read, so a stage that moved on is never
  emitted twice (the batch rolls back instead).

Events and timeline rows are written with bulk inserts, the stages with one bulk update.
Services learn about what fired through hooks called inside the same transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time as monotonic_time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from fastapi import FastAPI
from sqlalchemy import CursorResult, Table, and_, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.cases.timeline import TimelineEntry
from yingshang.clock import now
from yingshang.db import Database
from yingshang.events.outbox import OutboxEvent
from yingshang.observability import child_traceparent, traceparent_var
from yingshang.time.calendar import OfficeHours
from yingshang.time.deadlines import iso_utc
from yingshang.time.ladder import (
    ESCALATED,
    LevelTimes,
    Progress,
    Step,
    fire_due_steps,
    next_fire_at,
)
from yingshang.time.models import RUNNING, DeadlineStage
from yingshang.time.store import configure_office_hours, current_calendar
from yingshang.time.years import load_year_files, missing_years_warning, years_without_data

log = logging.getLogger("yingshang.time.sweeper")
ACTOR = "system:deadline-sweeper"
STAGES = cast(Table, DeadlineStage.__table__)
OUTBOX = cast(Table, OutboxEvent.__table__)
TIMELINE = cast(Table, TimelineEntry.__table__)
_COLUMNS = (
    STAGES.c.id,
    STAGES.c.service,
    STAGES.c.case_kind,
    STAGES.c.case_id,
    STAGES.c.case_number,
    STAGES.c.department,
    STAGES.c.origin_client,
    STAGES.c.stage,
    STAGES.c.ladder,
    STAGES.c.due_at,
    STAGES.c.warning_at,
    STAGES.c.warning_emitted,
    STAGES.c.overdue_emitted,
    STAGES.c.level_emitted,
)
_NOTES = {"warning": "时限预警 deadline warning", "overdue": "超期 overdue"}


@dataclass(frozen=True, slots=True)
class Firing:
    """One emitted step of one stage, handed to the hooks."""

    stage_id: uuid.UUID
    case_kind: str
    case_id: uuid.UUID
    case_number: str
    department: str
    stage: str
    event: str  # warning | overdue | escalated
    level: int
    target: str | None
    action: str | None
    due_at: datetime
    event_id: str


FiringHook = Callable[[AsyncSession, Sequence[Firing]], Awaitable[None]]


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
        calendar_files: Sequence[Any] = (),
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
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
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
        while await self._anything_due(at):
            count, stages = await self.sweep_batch(at)
            total += count
            if stages < self.batch_size:
                break
        return total

    async def _anything_due(self, at: datetime) -> bool:
        query = select(STAGES.c.id).where(STAGES.c.next_fire_at <= at).limit(1)
        async with self.db.read() as session:
            return (await session.execute(query)).first() is not None

    async def sweep_batch(self, at: datetime) -> tuple[int, int]:
        """One batch in one write transaction: (events written, stages claimed)."""
        async with self.db.write() as session:
            query = (
                select(*_COLUMNS)
                .where(STAGES.c.next_fire_at <= at, STAGES.c.status == RUNNING)
                .order_by(STAGES.c.next_fire_at)
                .limit(self.batch_size)
                .with_for_update(skip_locked=True)
            )
            rows = (await session.execute(query)).all()
            if not rows:
                return 0, 0
            times = LevelTimes(await current_calendar(session))
            batch = _Batch(at)
            for row in rows:
                batch.add(row, times)
            await batch.write(session)
            for hook in self.hooks:
                await hook(session, batch.firings)
        self.emitted += len(batch.outbox)
        return len(batch.outbox), len(rows)


class _Batch:
    """The rows one sweep batch writes."""

    def __init__(self, at: datetime) -> None:
        self.at, self.at_text = at, iso_utc(at)
        self.outbox: list[dict[str, Any]] = []
        self.timeline: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.firings: list[Firing] = []
        self.parent_trace = traceparent_var.get()

    def add(self, row: Any, times: LevelTimes) -> None:
        before = Progress(row.warning_emitted, row.overdue_emitted, row.level_emitted)
        progress = Progress(before.warning_emitted, before.overdue_emitted, before.level_emitted)
        steps = fire_due_steps(times, progress, row.warning_at, row.due_at, row.ladder, self.at)
        for step in steps:
            self._emit(row, step)
        self.updates.append(
            {
                "b_id": row.id,
                "b_warning": before.warning_emitted,
                "b_overdue": before.overdue_emitted,
                "b_level": before.level_emitted,
                "n_warning": progress.warning_emitted,
                "n_overdue": progress.overdue_emitted,
                "n_level": progress.level_emitted,
                "n_next": next_fire_at(times, progress, row.warning_at, row.due_at, row.ladder),
                "n_updated": self.at,
            }
        )

    def _emit(self, row: Any, step: Step) -> None:
        event_id = str(uuid.uuid4())
        data = {
            "case_id": str(row.case_id),
            "case_number": row.case_number,
            "department": row.department,
            "origin_client": row.origin_client,
            "case_kind": row.case_kind,
            "stage": row.stage,
            "stage_id": str(row.id),
            "level": step.level,
            "due_at": iso_utc(row.due_at),
        }
        if step.event == ESCALATED:
            data.update(target=step.target, action=step.action)
        event_type = f"ys.{row.service}.{row.case_kind}.{step.event}"
        case_key = f"{row.case_kind}/{row.case_id}"
        # The same document CloudEvent.model_dump(mode="json", exclude_none=True) gives; built
        # directly because validating 10,000s of envelopes per batch costs more than the writes.
        payload = {
            "specversion": "1.0",
            "id": event_id,
            "source": f"/yingshang/{row.service}",
            "type": event_type,
            "subject": case_key,
            "time": self.at_text,
            "datacontenttype": "application/json",
            "traceparent": child_traceparent(self.parent_trace),
            "data": data,
        }
        self.outbox.append(
            {
                "event_id": event_id,
                "subject": event_type,
                "case_key": case_key,
                "payload": payload,
                "created_at": self.at,
                "attempts": 0,
            }
        )
        note = _NOTES.get(step.event) or f"督办 L{step.level} → {step.target} ({step.action})"
        self.timeline.append(
            {
                "id": uuid.uuid4(),
                "case_kind": row.case_kind,
                "case_id": row.case_id,
                "at": self.at,
                "action": f"deadline_{step.event}",
                "actor": ACTOR,
                "note": note,
                "data": data,
                "event_id": event_id,
            }
        )
        self.firings.append(
            Firing(
                row.id,
                row.case_kind,
                row.case_id,
                row.case_number,
                row.department,
                row.stage,
                step.event,
                step.level,
                step.target,
                step.action,
                row.due_at,
                event_id,
            )
        )

    async def write(self, session: AsyncSession) -> None:
        if self.outbox:
            await session.execute(insert(OUTBOX), self.outbox)
            await session.execute(insert(TIMELINE), self.timeline)
        result = cast(CursorResult[Any], await session.execute(_CONDITIONAL_UPDATE, self.updates))
        dialect = session.get_bind().dialect
        if dialect.supports_sane_multi_rowcount and result.rowcount != len(self.updates):
            # Another sweeper moved one of these stages on: emit nothing from this batch.
            raise RuntimeError("deadline stages changed under the sweep; batch rolled back")


_CONDITIONAL_UPDATE = (
    update(STAGES)
    .where(
        and_(
            STAGES.c.id == bindparam("b_id"),
            STAGES.c.status == RUNNING,
            STAGES.c.warning_emitted == bindparam("b_warning"),
            STAGES.c.overdue_emitted == bindparam("b_overdue"),
            STAGES.c.level_emitted == bindparam("b_level"),
        )
    )
    .values(
        warning_emitted=bindparam("n_warning"),
        overdue_emitted=bindparam("n_overdue"),
        level_emitted=bindparam("n_level"),
        next_fire_at=bindparam("n_next"),
        updated_at=bindparam("n_updated"),
    )
)


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
