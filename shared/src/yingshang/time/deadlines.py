"""The deadline engine: timed stages of cases (时限), started, paused, resumed, completed.

Semantics (ARCHITECTURE.md, "Deadlines and escalation"; DOMAIN.md):

* working days count from the day after the start and end at 24:00 Asia/Shanghai of the last
  working day; working hours count inside office hours; natural units are elapsed time;
* a pause (补正 during review, hearing, testing, expert review) stops the clock; on resume the
  remaining amount counts again from the next working day (day units) or from the resume
  instant (other units). The day of the pause is not used up (see ``arithmetic.consumed``);
* a restart (intake 补正: materials complete) counts the full amount again from the day after;
* an extension (e.g. 行政许可法 art. 42: +10 working days with the head's approval) adds to the
  time limit in the stage's own measure.

Every change writes a timeline entry and an outbox event in the caller's transaction; services
never commit. Warnings and escalations are emitted by the sweeper (``yingshang.time.sweeper``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from yingshang.clock import ensure_utc, now
from yingshang.ids import uuid7
from yingshang.prepared import as_loaded, column_values, insert_row
from yingshang.problems import Conflict, Invalid, field_error
from yingshang.time.arithmetic import (
    Instant,
    Measure,
    Unit,
    advance,
    consumed,
    measure_of,
    to_measure,
)
from yingshang.time.calendar import WorkCalendar
from yingshang.time.ladder import LevelTimes, Progress, next_fire_at
from yingshang.time.models import (
    CANCELLED,
    COMPLETED,
    OPEN_STATUSES,
    PAUSED,
    RUNNING,
    DeadlineStage,
    Policy,
)
from yingshang.time.policies import PolicyRef, active_terms
from yingshang.time.stages import (
    Actor,
    get_stage,
    iso_utc,
    locked,
    open_stage,
    record_change,
    stage_data,
    stages_of,
    supervise,
    supervise_case,
    supervision_level,
)
from yingshang.time.store import current_calendar
from yingshang.time.terms import PolicyTerms

__all__ = [
    "Actor",
    "cancel",
    "complete_stage",
    "due_for",
    "extend",
    "get_stage",
    "iso_utc",
    "on_rescheduled",
    "open_stage",
    "pause",
    "recompute_provisional",
    "restart",
    "resume",
    "stage_data",
    "stages_of",
    "start_stage",
    "supervise",
    "supervise_case",
    "supervision_level",
]
_SUBJECT_PART = re.compile(r"^[a-z_]+$")


def due_for(
    policy: PolicyTerms | Policy, start: datetime, calendar: WorkCalendar | None = None
) -> Instant:
    """When a stage held to ``policy`` and started at ``start`` is due (and if provisional)."""
    cal = calendar or WorkCalendar()
    return advance(cal, measure_of(policy.unit), start, to_measure(policy.amount, policy.unit))


async def start_stage(
    session: AsyncSession,
    *,
    service: str,
    case_kind: str,
    case_id: uuid.UUID,
    case_number: str,
    department: str,
    stage: str,
    actor: Actor,
    urgency: str = "normal",
    origin_client: str | None = None,
    at: datetime | None = None,
    amount: int | None = None,
    unit: Unit | str | None = None,
    terms: PolicyTerms | None = None,
    position: tuple[str, str] | None = None,
    note: str | None = None,
    new_case: bool = False,
    attach: bool = True,
) -> DeadlineStage:
    """Start timing ``stage`` of a case under its policy (``amount``/``unit`` override the
    policy's limit, e.g. an item's committed limit; ``terms`` replaces the policy lookup).
    ``new_case``: the case is being created in this transaction, so none of its stages can be
    open yet and the lookup is skipped (the hot path of every intake). ``attach=False``: the
    returned row is a record of what was written, not part of the session — for a caller that
    does not change the stage again in this transaction (changes to it would not be saved)."""
    for name, value in (("service", service), ("case_kind", case_kind)):
        if not _SUBJECT_PART.match(value):
            raise Invalid(f"{name} 只能由小写字母和下划线组成", field=name)
    policy: PolicyRef | None = None
    if terms is None:
        policy, policy_terms = await active_terms(session, service, case_kind, stage, urgency)
        terms = _overridden(policy_terms, amount, unit)
    elif amount is not None or unit is not None:
        terms = _overridden(terms, amount, unit)
    if not new_case and await open_stage(session, case_kind, case_id, stage) is not None:
        raise Conflict(f"该案件的环节 {stage} 已在计时", code="stage-open")
    start = ensure_utc(at or now())
    values = _snapshot(policy, terms, start)
    due_at, warning_at, provisional, fire_at = _plan(
        await current_calendar(session),
        unit=values["unit"],
        counted_from=start,
        remaining=values["remaining"],
        total=values["total"],
        warning_fraction=values["warning_fraction"],
        ladder=values["ladder"],
        due_at=None,
        warning_at=None,
        progress=Progress(False, False, 0),
    )
    row = as_loaded(DeadlineStage, dict(
        id=uuid7(), service=service, case_kind=case_kind, case_id=case_id,
        case_number=case_number, department=department, origin_client=origin_client,
        stage=stage, urgency=urgency, due_at=due_at, warning_at=warning_at,
        next_fire_at=fire_at, **{**values, "provisional": provisional},
    ))  # fmt: skip
    await _INSERT_STAGE.run(session, **column_values(row))  # one prepared INSERT
    if attach:
        # the row joins the session as a persistent object: later changes to it in this
        # transaction are flushed as UPDATEs as usual
        make_transient_to_detached(row)
        session.add(row)
    await record_change(
        session, row, "stage_started", actor, None, RUNNING, position, note, flush=False
    )
    return row


_INSERT_STAGE = insert_row(DeadlineStage)


def _snapshot(policy: PolicyRef | None, terms: PolicyTerms, start: datetime) -> dict[str, Any]:
    """The policy terms copied onto a new stage (edits apply to new stages only), its clock,
    and every other column (the row goes in with a prepared INSERT)."""
    total = to_measure(terms.amount, terms.unit)
    return {
        "policy_id": policy.id if policy else None,
        "policy_version": policy.version if policy else None,
        "amount": terms.amount,
        "unit": str(terms.unit),
        "warning_fraction": terms.warning_fraction,
        "ladder": terms.ladder_json(),
        "started_at": start,
        "counted_from": start,
        "total": total,
        "remaining": total,
        "status": RUNNING,
        "warning_emitted": False,
        "overdue_emitted": False,
        "level_emitted": 0,
        "provisional": False,
        "paused_at": None,
        "completed_at": None,
        "on_time": None,
        "updated_at": now(),
    }


def _overridden(terms: PolicyTerms, amount: int | None, unit: Unit | str | None) -> PolicyTerms:
    if amount is None and unit is None:
        return terms
    changes = {k: v for k, v in (("amount", amount), ("unit", unit)) if v is not None}
    try:
        return PolicyTerms.model_validate({**terms.model_dump(), **changes})
    except ValidationError as exc:
        reason = field_error(exc.errors()[0])["message"]
        raise Invalid(f"时限调整未被接受：{reason}", field="amount") from exc


async def pause(
    session: AsyncSession,
    stage: DeadlineStage | uuid.UUID,
    *,
    actor: Actor,
    reason: str | None = None,
    at: datetime | None = None,
    position: tuple[str, str] | None = None,
) -> DeadlineStage:
    """Stop the clock (补正 during review, hearing, testing, expert review ...)."""
    row = await locked(session, stage, RUNNING)
    when = _not_before(at, row.counted_from)
    if when >= row.due_at:
        row.remaining = 0.0  # already overdue: stays overdue, due time unchanged
    else:
        cal = await current_calendar(session)
        used = consumed(cal, measure_of(row.unit), row.counted_from, when)
        row.remaining = max(row.remaining - used, 0.0)
    row.status, row.paused_at, row.next_fire_at = PAUSED, when, None
    await record_change(
        session,
        row,
        "stage_paused",
        actor,
        RUNNING,
        PAUSED,
        position,
        reason,
        remaining=row.remaining,
    )
    return row


async def resume(
    session: AsyncSession,
    stage: DeadlineStage | uuid.UUID,
    *,
    actor: Actor,
    at: datetime | None = None,
    position: tuple[str, str] | None = None,
    note: str | None = None,
) -> DeadlineStage:
    """Restart the clock with what was left (from the next working day for day units)."""
    row = await locked(session, stage, PAUSED)
    assert row.paused_at is not None
    when = _not_before(at, row.paused_at)
    row.counted_from = when if row.remaining > 0 else _anchor(row)
    row.status, row.paused_at = RUNNING, None
    _schedule(row, await current_calendar(session))
    await record_change(
        session,
        row,
        "stage_resumed",
        actor,
        PAUSED,
        RUNNING,
        position,
        note,
        remaining=row.remaining,
    )
    return row


async def restart(
    session: AsyncSession,
    stage: DeadlineStage | uuid.UUID,
    *,
    actor: Actor,
    at: datetime | None = None,
    position: tuple[str, str] | None = None,
    note: str | None = None,
) -> DeadlineStage:
    """Count the full time limit again from the day after ``at`` (intake 补正 complete:
    "the time limit starts only from the day after complete materials arrive", DOMAIN.md)."""
    row = await locked(session, stage, *OPEN_STATUSES)
    before = row.status
    row.counted_from = ensure_utc(at or now())
    row.remaining, row.status, row.paused_at = row.total, RUNNING, None
    _schedule(row, await current_calendar(session))
    await record_change(session, row, "stage_restarted", actor, before, RUNNING, position, note)
    return row


async def extend(
    session: AsyncSession,
    stage: DeadlineStage | uuid.UUID,
    amount: int,
    unit: Unit | str,
    *,
    actor: Actor,
    reason: str | None = None,
    position: tuple[str, str] | None = None,
) -> DeadlineStage:
    """Lengthen the time limit (延期; statutory +10 working days). ``unit`` must count like
    the stage's own unit (days with days, office hours with office hours, elapsed time with
    elapsed time)."""
    row = await locked(session, stage, *OPEN_STATUSES)
    if amount <= 0:
        raise Invalid("延长的时长必须大于零", field="amount")
    if unit not in set(Unit) or measure_of(unit) is not measure_of(row.unit):
        raise Invalid(f"该环节按 {row.unit} 计时，请用同样的单位延长", field="unit")
    added = to_measure(amount, unit)
    row.total += added
    row.remaining += added
    if row.status == RUNNING:
        _schedule(row, await current_calendar(session))
    await record_change(
        session,
        row,
        "stage_extended",
        actor,
        row.status,
        row.status,
        position,
        reason,
        extension={"amount": amount, "unit": str(unit)},
    )
    return row


async def complete_stage(
    session: AsyncSession,
    stage: DeadlineStage | uuid.UUID,
    *,
    actor: Actor,
    at: datetime | None = None,
    position: tuple[str, str] | None = None,
    note: str | None = None,
) -> DeadlineStage:
    """Finish the stage; emits ``stage_completed`` with ``on_time``."""
    row = await locked(session, stage, *OPEN_STATUSES)
    before = row.status
    when = ensure_utc(at or now())
    # due_at is the first instant past the limit (24:00 of the last day): overdue from there.
    row.on_time = row.remaining > 0 if before == PAUSED else when < row.due_at
    row.status, row.completed_at, row.next_fire_at, row.paused_at = COMPLETED, when, None, None
    await record_change(
        session,
        row,
        "stage_completed",
        actor,
        before,
        COMPLETED,
        position,
        note,
        level=row.level_emitted,
        on_time=row.on_time,
    )
    return row


async def cancel(
    session: AsyncSession,
    stage: DeadlineStage | uuid.UUID,
    *,
    actor: Actor,
    reason: str | None = None,
    position: tuple[str, str] | None = None,
) -> DeadlineStage:
    """Stop timing without an outcome (case withdrawn, merged, rejected at intake)."""
    row = await locked(session, stage, *OPEN_STATUSES)
    before = row.status
    row.status, row.completed_at, row.next_fire_at = CANCELLED, now(), None
    await record_change(session, row, "stage_cancelled", actor, before, CANCELLED, position, reason)
    return row


RescheduledHook = Callable[[AsyncSession, list[DeadlineStage]], Awaitable[None]]
_RESCHEDULED: dict[str, RescheduledHook] = {}


def on_rescheduled(service: str, hook: RescheduledHook) -> None:
    """Have ``hook(session, stages)`` called, in the same transaction, with ``service``'s
    stages that :func:`recompute_provisional` recomputed (their due time or provisional flag
    may have changed): a service that copies a stage's due time onto its case row (lists,
    overdue filters, statistics read it there) keeps the copy in step. One hook per service;
    registering again replaces it."""
    _RESCHEDULED[service] = hook


async def recompute_provisional(session: AsyncSession, *, actor: Actor) -> int:
    """Recompute every running provisional stage on the current calendar (after a year file
    loads); returns how many due times moved. Paused stages recompute when they resume.
    Each service's :func:`on_rescheduled` hook then sees its recomputed stages."""
    cal = await current_calendar(session)
    query = select(DeadlineStage).where(
        DeadlineStage.provisional.is_(True), DeadlineStage.status == RUNNING
    )
    moved = 0
    recomputed: dict[str, list[DeadlineStage]] = {}
    for row in (await session.execute(query.with_for_update())).scalars():
        before = row.due_at
        _schedule(row, cal)
        recomputed.setdefault(row.service, []).append(row)
        if row.due_at != before:
            moved += 1
            await record_change(
                session,
                row,
                "stage_rescheduled",
                actor,
                RUNNING,
                RUNNING,
                None,
                "working-day calendar loaded",
                previous_due_at=iso_utc(before),
            )
    for service, rows in recomputed.items():
        hook = _RESCHEDULED.get(service)
        if hook is not None:
            await hook(session, rows)
    return moved


def _schedule(row: DeadlineStage, cal: WorkCalendar) -> None:
    """Due and warning times, provisional flag and ``next_fire_at`` of a running stage."""
    planned = _plan(
        cal,
        unit=row.unit,
        counted_from=row.counted_from,
        remaining=row.remaining,
        total=row.total,
        warning_fraction=row.warning_fraction,
        ladder=row.ladder,
        due_at=row.due_at,
        warning_at=row.warning_at,
        progress=Progress(row.warning_emitted, row.overdue_emitted, row.level_emitted),
    )
    row.due_at, row.warning_at, row.provisional, row.next_fire_at = planned


def _plan(
    cal: WorkCalendar,
    *,
    unit: str,
    counted_from: datetime,
    remaining: float,
    total: float,
    warning_fraction: float,
    ladder: list[dict[str, Any]],
    due_at: datetime | None,
    warning_at: datetime | None,
    progress: Progress,
) -> tuple[datetime, datetime, bool, datetime | None]:
    """(due_at, warning_at, provisional, next_fire_at) of a running stage with these terms
    (a new stage's row is made with them; a running one's is updated)."""
    measure = measure_of(unit)
    provisional = False
    if remaining > 0:
        due = advance(cal, measure, counted_from, remaining)
        due_at, provisional = due.at, due.provisional
    if due_at is None:
        raise ValueError("a stage with nothing remaining needs its due time")
    if not progress.warning_emitted:
        # Warn once the warning fraction of the whole limit is used (DOMAIN: 预警).
        distance = remaining - (1 - warning_fraction) * total
        warning_at = min(advance(cal, measure, counted_from, distance).at, due_at)
    if warning_at is None:
        raise ValueError("a stage past its warning needs its warning time")
    fire_at = next_fire_at(LevelTimes(cal), progress, warning_at, due_at, ladder)
    return due_at, warning_at, provisional, fire_at


def _anchor(row: DeadlineStage) -> datetime:
    """A counting origin that reproduces the current (past) due time with nothing left, so
    a later extension counts on from it (``after_due`` semantics)."""
    day_measures = (Measure.WORKING_DAYS, Measure.NATURAL_DAYS)
    if measure_of(row.unit) in day_measures:
        return row.due_at - timedelta(microseconds=1)
    return row.due_at


def _not_before(at: datetime | None, floor: datetime) -> datetime:
    when = ensure_utc(at or now())
    if when < floor:
        raise Invalid("所给时间早于该环节上一次变动的时间", field="at")
    return when
