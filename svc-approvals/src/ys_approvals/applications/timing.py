"""The application's clock (办理时限) on the shared deadline engine.

One stage ``handling`` per application, held to the item's committed limit in working days:
the policy row (approvals/application/handling/<normal|green>) supplies the unit, warning
fraction and escalation ladder. A policy in working days takes its amount from the item
(承诺时限); the 绿色通道 policy caps it; a policy in any other unit (drills, tests in seconds)
is used as it stands.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.time import deadlines
from yingshang.time.arithmetic import Unit
from yingshang.time.calendar import local_date
from yingshang.time.models import DeadlineStage
from yingshang.time.policies import require_policy
from yingshang.time.store import current_calendar
from ys_approvals.applications.models import CASE_KIND, Application, PausedPeriod

SERVICE = "approvals"
STAGE = "handling"
# 行政许可法 art. 42: the head may extend the limit by ten working days, once.
STATUTORY_EXTENSION_DAYS = 10
_DAY = timedelta(days=1)


def urgency(app: Application) -> str:
    return "green" if app.green_channel else "normal"


async def _limit(session: AsyncSession, app: Application) -> tuple[int | None, str | None]:
    policy = await require_policy(session, SERVICE, CASE_KIND, STAGE, urgency(app))
    if policy.unit != Unit.WORKING_DAYS:
        return None, None
    amount = app.committed_limit
    if app.green_channel:
        amount = min(amount, policy.amount)
    return max(amount, 1), Unit.WORKING_DAYS


async def start(session: AsyncSession, app: Application, actor: Principal, at: datetime) -> None:
    """Materials complete: the limit counts from the day after ``at`` (DOMAIN.md)."""
    amount, unit = await _limit(session, app)
    if app.stage_id is not None:
        row = await deadlines.restart(session, app.stage_id, actor=actor, at=at)
    else:
        row = await deadlines.start_stage(
            session,
            service=SERVICE,
            case_kind=CASE_KIND,
            case_id=app.id,
            case_number=app.number,
            department=app.department,
            stage=STAGE,
            actor=actor,
            urgency=urgency(app),
            origin_client=app.origin_client,
            at=at,
            amount=amount,
            unit=unit,
        )
    _follow(app, row)


async def pause(session: AsyncSession, app: Application, actor: Principal, reason: str) -> None:
    if app.stage_id is not None:
        _follow(app, await deadlines.pause(session, app.stage_id, actor=actor, reason=reason))


async def resume(session: AsyncSession, app: Application, actor: Principal) -> None:
    if app.stage_id is not None:
        _follow(app, await deadlines.resume(session, app.stage_id, actor=actor))


async def extend(session: AsyncSession, app: Application, actor: Principal, reason: str) -> None:
    assert app.stage_id is not None
    row = await deadlines.extend(
        session,
        app.stage_id,
        STATUTORY_EXTENSION_DAYS,
        Unit.WORKING_DAYS,
        actor=actor,
        reason=reason,
    )
    _follow(app, row)


async def complete(session: AsyncSession, app: Application, actor: Principal, at: datetime) -> None:
    if app.stage_id is None:
        return
    row = await deadlines.complete_stage(session, app.stage_id, actor=actor, at=at)
    _follow(app, row)
    app.on_time = row.on_time


async def cancel(session: AsyncSession, app: Application, actor: Principal, reason: str) -> None:
    if app.stage_id is not None:
        await deadlines.cancel(session, app.stage_id, actor=actor, reason=reason)


def _follow(app: Application, row: DeadlineStage) -> None:
    app.stage_id = row.id
    app.due_at = row.due_at


async def working_days_used(
    session: AsyncSession, app: Application, pauses: list[PausedPeriod], end: datetime
) -> int:
    """Working days from the day after complete materials to ``end``, without the working
    days that paused periods covered (their first day included: that day is not used up)."""
    if app.materials_complete_at is None:
        return 0
    cal = await current_calendar(session)
    start_day = _local(app.materials_complete_at)
    used = cal.count_days_between(start_day, _local(end) + _DAY, working=True)
    for pause in pauses:
        if pause.ended_at is None:
            continue
        first, last = _local(pause.started_at), _local(pause.ended_at)
        used -= cal.count_days_between(first - _DAY, last + _DAY, working=True)
    return max(used, 0)


def _local(at: datetime) -> date:
    return local_date(at)
