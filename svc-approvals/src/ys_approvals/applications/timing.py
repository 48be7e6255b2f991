"""The application's clocks (时限) on the shared deadline engine.

``handling`` (办理时限): from complete materials to the decision, held to the item's committed
limit in working days: the policy row (approvals/application/handling/<normal|green>) supplies
the unit, warning fraction and escalation ladder. A policy in working days takes its amount
from the item (承诺时限); the 绿色通道 policy caps it; a policy in any other unit (drills, tests
in seconds) is used as it stands.

``delivery`` (送达时限, 行政许可法 art. 44): a licence granted is issued and delivered within
ten days of the decision, working days (art. 82) counted from the day after it. The stage
starts at 准予许可 in the decision's transaction and takes its whole limit from its policy row
(approvals/application/delivery/<normal|green>, any unit). It stops when the licence leaves
the body's hands: posted (送达 with the tracking number), handed over at the window (送达), or
ready to collect there once the applicant is told (通知领取) — from then on the wait is the
applicant's, and 送达 later records the collection. A 不予许可 starts no delivery clock: art.
44 times the licences granted; the written refusal is delivered all the same (art. 38), and a
即办件 is handed over on the spot.

The application keeps copies of each stage's due time (and of the handling stage's provisional
flag; of each stage's on-time flag once it completes): lists, the overdue filter and
statistics read them in SQL. Every change here copies them, and so does the engine's
``on_rescheduled`` hook when a year's holiday file recomputes provisional stages.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.problems import Conflict
from yingshang.time import deadlines
from yingshang.time.arithmetic import Unit
from yingshang.time.calendar import local_date
from yingshang.time.models import DeadlineStage
from yingshang.time.policies import require_policy
from yingshang.time.store import current_calendar
from ys_approvals.applications.models import CASE_KIND, Application, PausedPeriod

SERVICE = "approvals"
STAGE = "handling"
DELIVERY = "delivery"
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
        row = await _start_stage(session, app, STAGE, actor, at, amount, unit)
    _follow(app, row)


async def _start_stage(
    session: AsyncSession,
    app: Application,
    stage: str,
    actor: Principal,
    at: datetime,
    amount: int | None = None,
    unit: str | None = None,
) -> DeadlineStage:
    """Time ``stage`` of the application from ``at`` under its policy for the application's
    urgency (``amount``/``unit`` override the policy's limit)."""
    return await deadlines.start_stage(
        session,
        service=SERVICE,
        case_kind=CASE_KIND,
        case_id=app.id,
        case_number=app.number,
        department=app.department,
        stage=stage,
        actor=actor,
        urgency=urgency(app),
        origin_client=app.origin_client,
        at=at,
        amount=amount,
        unit=unit,
    )


async def pause(session: AsyncSession, app: Application, actor: Principal, reason: str) -> None:
    if app.stage_id is not None:
        _follow(app, await deadlines.pause(session, app.stage_id, actor=actor, reason=reason))


async def resume(session: AsyncSession, app: Application, actor: Principal) -> None:
    if app.stage_id is not None:
        _follow(app, await deadlines.resume(session, app.stage_id, actor=actor))


def require_clock(app: Application) -> uuid.UUID:
    """The running stage to extend; 409 for an application without a time limit (a 即办件
    受理'd into review before that was refused holds none)."""
    if app.stage_id is None:
        raise Conflict("该办件没有正在计时、可以延长的时限", code="no-clock")
    return app.stage_id


async def extend(session: AsyncSession, app: Application, actor: Principal, reason: str) -> None:
    row = await deadlines.extend(
        session,
        require_clock(app),
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
    app.provisional = row.provisional


async def start_delivery(
    session: AsyncSession, app: Application, actor: Principal, at: datetime
) -> None:
    """准予许可 at ``at``: the licence is due to the applicant within the delivery policy's
    limit, counted from the day after the decision (art. 44, 82)."""
    _follow_delivery(app, await _start_stage(session, app, DELIVERY, actor, at))


async def complete_delivery(
    session: AsyncSession, app: Application, actor: Principal, at: datetime
) -> None:
    """The licence was posted, handed over, or is ready to collect: the delivery clock stops,
    once (collecting a licence the applicant was told of stops nothing; a refusal has none)."""
    if app.delivery_stage_id is None or app.delivery_on_time is not None:
        return
    row = await deadlines.complete_stage(session, app.delivery_stage_id, actor=actor, at=at)
    _follow_delivery(app, row)


def _follow_delivery(app: Application, row: DeadlineStage) -> None:
    app.delivery_stage_id = row.id
    app.delivery_due_at = row.due_at
    app.delivery_on_time = row.on_time


async def _rescheduled(session: AsyncSession, stages: list[DeadlineStage]) -> None:
    """A year's holiday file loaded: the engine recomputed these provisional stages; the
    applications follow (lists, the overdue filter and statistics read the due times)."""
    ours = {(s.case_id, s.stage): s for s in stages if s.case_kind == CASE_KIND}
    if not ours:
        return
    cases = list({case_id for case_id, _ in ours})
    rows = await session.execute(select(Application).where(Application.id.in_(cases)))
    for app in rows.scalars():
        handling, delivery = ours.get((app.id, STAGE)), ours.get((app.id, DELIVERY))
        if handling is not None and handling.id == app.stage_id:
            _follow(app, handling)
        if delivery is not None and delivery.id == app.delivery_stage_id:
            _follow_delivery(app, delivery)


deadlines.on_rescheduled(SERVICE, _rescheduled)


async def working_days_used(
    session: AsyncSession, app: Application, pauses: list[PausedPeriod], end: datetime
) -> int:
    """Working days counted from the day after complete materials to ``end``'s day, as the
    engine counts them: a paused period stops the clock from the day it started (that day
    is not used up) to the day it ended (counting resumes the next working day). Days that
    several periods cover, or that were never counted, are left out once."""
    if app.materials_complete_at is None:
        return 0
    cal = await current_calendar(session)
    first, last = _local(app.materials_complete_at) + _DAY, _local(end)
    stopped: set[date] = set()
    for pause in pauses:
        day = max(_local(pause.started_at), first)
        until = min(_local(pause.ended_at or end), last)
        while day <= until:
            stopped.add(day)
            day += _DAY
    used, day = 0, first
    while day <= last:
        if day not in stopped and cal.is_working_day(day):
            used += 1
        day += _DAY
    return used


def same_county_day(start: datetime, end: datetime) -> bool:
    """Whether ``end`` falls on the county's (Asia/Shanghai) calendar day of ``start``."""
    return _local(start) == _local(end)


def _local(at: datetime) -> date:
    return local_date(at)
