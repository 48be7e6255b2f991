"""Deadline stages: lookups, the contract payload of stage events, and the record of a change
(timeline entry + outbox event in the caller's transaction)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import BUREAU, COMMITTEE, Principal
from yingshang.cases import timeline
from yingshang.clock import ensure_utc
from yingshang.events.envelope import CloudEvent, make_event
from yingshang.events.outbox import enqueue
from yingshang.problems import Conflict, NotFound
from yingshang.time.models import OPEN_STATUSES, DeadlineStage
from yingshang.time.terms import Target

Actor = Principal | str


def iso_utc(at: datetime) -> str:
    """ISO-8601 UTC with ``Z``, as the CloudEvents envelope serialises times."""
    return ensure_utc(at).isoformat().replace("+00:00", "Z")


def stage_data(stage: DeadlineStage, *, level: int, **extra: Any) -> dict[str, Any]:
    """Event payload of the contract: common case fields + stage fields (+ ``extra``)."""
    return {
        "case_id": str(stage.case_id),
        "case_number": stage.case_number,
        "department": stage.department,
        "origin_client": stage.origin_client,
        "case_kind": stage.case_kind,
        "stage": stage.stage,
        "stage_id": str(stage.id),
        "level": level,
        "due_at": iso_utc(stage.due_at),
        **extra,
    }


# 督办 issued by hand: the issuer's rung of the ladder (the committee 通报 L3, the bureau L2,
# a center its L1 to the responsible unit's head).
SUPERVISORS: tuple[tuple[str, int, Target], ...] = (
    (COMMITTEE, 3, "committee"),
    (BUREAU, 2, "bureau"),
)
SUPERVISE = "supervise"  # the ``action`` of a 督办's ``escalated`` event


def supervision_level(who: Principal) -> tuple[int, Target]:
    """The level and target of a 督办 issued by ``who`` (the highest post it holds)."""
    for dept, level, target in SUPERVISORS:
        if who.has(None, dept):
            return level, target
    return 1, "responsible_head"


async def supervise(
    session: AsyncSession, row: DeadlineStage, *, level: int, target: Target
) -> CloudEvent:
    """督办 of a running stage, issued by hand or by a step (a complaint's dispute): the
    stage's ``escalated`` event at ``level``, so the 督办 ledger opens (or lifts) the stage's
    entry, which closes with the stage or the case as any escalation does. The emission
    cursor is the caller's: the ladder's own levels still fire when the stage runs late."""
    data = stage_data(row, level=level, target=target, action=SUPERVISE)
    escalated = make_event(
        row.service, f"ys.{row.service}.{row.case_kind}.escalated", data, subject=row.case_key
    )
    await enqueue(session, escalated)
    return escalated


async def supervise_case(
    session: AsyncSession, case_kind: str, case_id: uuid.UUID, stages: Sequence[str],
    who: Principal,
) -> CloudEvent | None:  # fmt: skip
    """督办 issued by ``who`` on a case: :func:`supervise` the first of ``stages`` that runs
    (or is paused), at ``who``'s level; none when no such stage runs."""
    for stage in stages:
        row = await open_stage(session, case_kind, case_id, stage)
        if row is not None:
            level, target = supervision_level(who)
            return await supervise(session, row, level=level, target=target)
    return None


async def get_stage(
    session: AsyncSession, stage_id: uuid.UUID, *, for_update: bool = False
) -> DeadlineStage:
    query = select(DeadlineStage).where(DeadlineStage.id == stage_id)
    row = (await session.execute(query.with_for_update() if for_update else query)).scalar()
    if row is None:
        raise NotFound("没有这个计时环节")
    return row


async def open_stage(
    session: AsyncSession,
    case_kind: str,
    case_id: uuid.UUID,
    stage: str,
    *,
    for_update: bool = False,
) -> DeadlineStage | None:
    """The running or paused ``stage`` of a case, if any."""
    query = select(DeadlineStage).where(
        DeadlineStage.case_kind == case_kind,
        DeadlineStage.case_id == case_id,
        DeadlineStage.stage == stage,
        DeadlineStage.status.in_(OPEN_STATUSES),
    )
    return (await session.execute(query.with_for_update() if for_update else query)).scalar()


async def stages_of(
    session: AsyncSession, case_kind: str, case_id: uuid.UUID
) -> list[DeadlineStage]:
    """Every stage of a case, oldest first (for case views: due dates, overdue flags)."""
    query = select(DeadlineStage).where(
        DeadlineStage.case_kind == case_kind, DeadlineStage.case_id == case_id
    )
    return list((await session.execute(query.order_by(DeadlineStage.started_at))).scalars())


async def locked(
    session: AsyncSession, stage: DeadlineStage | uuid.UUID, *allowed: str
) -> DeadlineStage:
    """The stage, row-locked against the sweeper on PostgreSQL (SQLite: the writer lock)."""
    if isinstance(stage, DeadlineStage):
        if session.get_bind().dialect.name == "postgresql":
            await session.refresh(stage, with_for_update=True)
        row = stage
    else:
        row = await get_stage(session, stage, for_update=True)
    if row.status not in allowed:
        raise Conflict(
            f"该环节的计时状态为 {row.status}，不能进行此操作",
            code="stage-state",
            stage_status=row.status,
        )
    return row


async def record_change(
    session: AsyncSession,
    row: DeadlineStage,
    event: str,
    actor: Actor,
    from_state: str | None,
    to_state: str | None,
    position: tuple[str, str] | None,
    note: str | None,
    *,
    level: int = 0,
    flush: bool = True,
    **extra: Any,
) -> None:
    """Timeline entry + outbox event of a stage change, in the caller's transaction (the
    changed row is flushed first unless the caller just wrote it)."""
    if flush:
        await session.flush()
    data = stage_data(row, level=level, **extra)
    cloud_event = make_event(
        row.service, f"ys.{row.service}.{row.case_kind}.{event}", data, subject=row.case_key
    )
    await enqueue(session, cloud_event)
    await timeline.append(
        session,
        case_kind=row.case_kind,
        case_id=row.case_id,
        action=event,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        position=position,
        note=note,
        data={**data, "remaining": row.remaining, "unit": row.unit},
        event_id=cloud_event.id,
    )
