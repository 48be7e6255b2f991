"""The figures of a period, computed from the rows of the period (county scale: thousands)."""

import math
import uuid
from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import SHANGHAI, now
from yingshang.time.arithmetic import NOMINAL_SECONDS, Unit
from ys_visits.clocks import local_midnight
from ys_visits.duty.machine import COMPLETED
from ys_visits.duty.models import DutyShift
from ys_visits.pairings.machine import ACTIVE
from ys_visits.pairings.models import Pairing
from ys_visits.problems.models import Problem
from ys_visits.problems.vocabulary import Closure, State
from ys_visits.stats import schemas as s
from ys_visits.visits.models import Visit

DAY_SECONDS = 86400.0
GOOD = (4, 5)  # county rule: 基本满意就是基本不满意


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def window_days(pairing: Pairing) -> float:
    """The pairing's visit frequency in calendar days (working days count 7 per 5; the plan
    is a target, so holidays are not looked up)."""
    unit, amount = Unit(pairing.frequency_unit), pairing.frequency_amount
    if unit is Unit.WORKING_DAYS:
        return amount * 7 / 5
    return max(NOMINAL_SECONDS[unit] * amount / DAY_SECONDS, 1 / DAY_SECONDS)


def planned(pairing: Pairing, start: date, end: date) -> int:
    """Visit windows of the pairing that fall in [start, end] (inclusive days)."""
    last = min(end, pairing.ends_on or end)
    if pairing.ended_at is not None:
        last = min(last, pairing.ended_at.astimezone(SHANGHAI).date())
    days = (last - max(start, pairing.starts_on)).days + 1
    return math.ceil(days / window_days(pairing)) if days > 0 else 0


async def leaders(session: AsyncSession, start: date, end: date) -> list[s.LeaderVisits]:
    rows = await session.execute(
        select(Pairing).where(
            Pairing.starts_on <= end, or_(Pairing.ends_on.is_(None), Pairing.ends_on >= start)
        )
    )
    pairings = list(rows.scalars())
    counts = await session.execute(
        select(Visit.pairing_id, func.count())
        .where(Visit.pairing_id.is_not(None), Visit.visited_on.between(start, end))
        .group_by(Visit.pairing_id)
    )
    made = dict(counts.all())
    at = now()
    groups: dict[tuple[str, str | None], list[Pairing]] = defaultdict(list)
    for p in pairings:
        groups[(p.leader_name, p.leader_staff_no)].append(p)
    out = [_leader(name, no, group, made, start, end, at) for (name, no), group in groups.items()]
    return sorted(out, key=lambda x: (-x.visits, x.leader_name))


def _leader(
    name: str,
    staff_no: str | None,
    group: list[Pairing],
    made: Mapping[uuid.UUID | None, int],
    start: date,
    end: date,
    at: datetime,
) -> s.LeaderVisits:
    plan = sum(planned(p, start, end) for p in group)
    visits = sum(made.get(p.id, 0) for p in group)
    late = [p for p in group if p.state == ACTIVE and p.visit_due_at and p.visit_due_at <= at]
    return s.LeaderVisits(
        leader_name=name,
        leader_staff_no=staff_no,
        leader_rank=group[0].leader_rank,
        pairings=len(group),
        planned_visits=plan,
        visits=visits,
        completion_rate=min(_ratio(visits, plan) or 0.0, 1.0) if plan else None,
        overdue_pairings=len(late),
    )


async def problem_rows(session: AsyncSession, start: date, end: date) -> list[Problem]:
    lo, hi = local_midnight(start), local_midnight(end + timedelta(days=1))
    open_late = (Problem.state != State.CLOSED.value) & (Problem.due_at <= now())
    rows = await session.execute(
        select(Problem).where(
            or_(Problem.received_at.between(lo, hi), Problem.closed_at.between(lo, hi), open_late)
        )
    )
    return list(rows.scalars())


def problems(rows: list[Problem], start: date, end: date) -> s.ProblemFigures:
    lo, hi, at = local_midnight(start), local_midnight(end + timedelta(days=1)), now()
    raised = [p for p in rows if lo <= p.received_at < hi]
    closed = [p for p in rows if p.closed_at is not None and lo <= p.closed_at < hi]
    days = [
        (p.closed_at - p.received_at).total_seconds() / DAY_SECONDS for p in closed if p.closed_at
    ]
    return s.ProblemFigures(
        raised=len(raised),
        closed=len(closed),
        solved_of_raised=sum(1 for p in raised if p.state == State.CLOSED),
        resolution_rate=_ratio(sum(1 for p in raised if p.state == State.CLOSED), len(raised)),
        average_days_to_close=round(sum(days) / len(days), 2) if days else None,
        open_overdue=sum(1 for p in rows if _late(p, at)),
        overrides=sum(1 for p in closed if p.closure == Closure.OVERRIDE),
        by_category=dict(Counter(p.category for p in raised)),
    )


def _late(p: Problem, at: datetime) -> bool:
    return p.state != State.CLOSED and p.due_at is not None and p.due_at <= at


def departments(rows: list[Problem], start: date, end: date) -> list[s.DepartmentFigures]:
    lo, hi, at = local_midnight(start), local_midnight(end + timedelta(days=1)), now()
    figures: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for p in rows:
        if p.department is None:
            continue
        entry = figures[p.department]
        entry[0] += bool(p.assigned_at and lo <= p.assigned_at < hi)
        entry[1] += bool(p.closed_at and lo <= p.closed_at < hi)
        entry[2] += _late(p, at)
    return [
        s.DepartmentFigures(department=d, assigned=a, closed=c, open_overdue=o)
        for d, (a, c, o) in sorted(figures.items())
    ]


def satisfaction(rows: list[Problem], start: date, end: date) -> s.Satisfaction:
    lo, hi = local_midnight(start), local_midnight(end + timedelta(days=1))
    levels = [
        p.satisfaction
        for p in rows
        if p.satisfaction is not None and p.closed_at is not None and lo <= p.closed_at < hi
    ]
    return s.Satisfaction(
        rated=len(levels),
        average_level=round(sum(levels) / len(levels), 2) if levels else None,
        good_rate=_ratio(sum(1 for v in levels if v in GOOD), len(levels)),
    )


async def duty(session: AsyncSession, start: date, end: date) -> list[s.DutyFigures]:
    rows = await session.execute(
        select(
            DutyShift.leader_name,
            DutyShift.leader_staff_no,
            func.count(),
            func.coalesce(func.sum(DutyShift.matters_count), 0),
            func.coalesce(func.sum(DutyShift.problems_count), 0),
        )
        .where(DutyShift.day.between(start, end), DutyShift.state == COMPLETED)
        .group_by(DutyShift.leader_name, DutyShift.leader_staff_no)
    )
    out = [
        s.DutyFigures(
            leader_name=name, leader_staff_no=no, sittings=int(n), matters_handled=int(m),
            problems_raised=int(p),
        )
        for name, no, n, m, p in rows
    ]  # fmt: skip
    return sorted(out, key=lambda x: (-x.matters_handled, x.leader_name))


async def report(session: AsyncSession, start: date, end: date) -> s.StatsOut:
    rows = await problem_rows(session, start, end)
    return s.StatsOut(
        date_from=start,
        date_to=end,
        leaders=await leaders(session, start, end),
        problems=problems(rows, start, end),
        departments=departments(rows, start, end),
        satisfaction=satisfaction(rows, start, end),
        duty=await duty(session, start, end),
    )
