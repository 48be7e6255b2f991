"""The figures of a period, computed from the rows of the period (county scale: thousands)."""

import math
import uuid
from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from fractions import Fraction

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import SHANGHAI, now
from yingshang.time.arithmetic import NOMINAL_SECONDS, Unit
from yingshang.time.calendar import local_instant
from yingshang.time.models import COMPLETED as STAGE_DONE
from yingshang.time.models import DeadlineStage
from ys_visits.duty.machine import COMPLETED
from ys_visits.duty.models import DutyShift
from ys_visits.pairings import clock
from ys_visits.pairings.models import Pairing
from ys_visits.problems.models import KIND, Problem
from ys_visits.problems.vocabulary import Closure, State
from ys_visits.stats import schemas as s
from ys_visits.visits.models import Visit

DAY_SECONDS = 86400.0
ONE_DAY = timedelta(days=1)
GOOD = (4, 5)  # county rule: 基本满意就是基本不满意
Outcome = tuple[str, str, bool]  # a timed stage completed: department, stage, on time


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def window_days(pairing: Pairing) -> Fraction:
    """A frequency not in calendar months, in calendar days (working days count 7 per 5; the
    plan is a target, so holidays are not looked up)."""
    unit, amount = Unit(pairing.frequency_unit), pairing.frequency_amount
    if unit is Unit.WORKING_DAYS:
        return Fraction(amount * 7, 5)
    return max(Fraction(int(NOMINAL_SECONDS[unit]) * amount, 86400), Fraction(1, 86400))


def _first_window_from(anchor: date, months: int, day: date) -> int:
    """The first ``i`` ≥ 0 whose window (``anchor`` + ``i``·``months`` months) starts on or
    after ``day``."""
    apart = (day.year - anchor.year) * 12 + day.month - anchor.month
    i = max(0, -(-apart // months))
    while clock.add_months(anchor, i * months) < day:
        i += 1
    return i


def _last_active_day(pairing: Pairing) -> date | None:
    last = pairing.ends_on
    if pairing.ended_at is not None:
        ended = pairing.ended_at.astimezone(SHANGHAI).date()
        last = ended if last is None else min(last, ended)
    return last


def planned(pairing: Pairing, start: date, end: date) -> int:
    """The visits the pairing owes in [start, end]: :func:`windows`, one visit each."""
    return len(windows(pairing, start, end))


def due_by(pairing: Pairing, start: date, end: date, today: date) -> int:
    """Of the plan, the visits due by ``today``: the windows that are over. The window running
    today, and later ones, are not yet due — a pairing made today is not behind on a visit
    whose window has only just opened (pairings.clock: the visit is due at the window's end)."""
    owed = windows(pairing, start, end)
    return len(owed[: max(_window_of(pairing, today) - owed.start, 0)])


def _window_of(pairing: Pairing, day: date) -> int:
    """The index of the window running on ``day`` (the last one opened by then; -1 before the
    pairing starts)."""
    anchor = pairing.starts_on
    if day < anchor:
        return -1
    months = clock.calendar_months(pairing.frequency_amount, pairing.frequency_unit)
    if months is not None:
        return _first_window_from(anchor, months, day + ONE_DAY) - 1
    return math.ceil(((day - anchor).days + 1) / window_days(pairing)) - 1


def windows(pairing: Pairing, start: date, end: date) -> range:
    """The indexes of the pairing's frequency windows owed in [start, end] (inclusive days):
    its windows, laid end to end from ``starts_on`` (window 0), that start in the period.

    * A monthly, quarterly ... frequency (``pairings.clock.calendar_months``) has windows of
      calendar months (2 March, 2 April ...; 1 April, 1 July ...), so a whole calendar month
      holds one monthly window and a whole quarter one quarterly window whatever their length
      (a 31-day month or a 91-day quarter plans one visit, not two), and plans add up over
      periods.
    * Any other frequency has windows of its length in days (:func:`window_days`).
    * The last window of a pairing that ends (``ends_on``, or ended early) is owed only when
      it fits before the end, as the visit clock does (``pairings.clock``): a cadre paired
      from 2 to 20 March owes no visit.
    """
    anchor, last = pairing.starts_on, _last_active_day(pairing)
    lo, hi = max(start, anchor), min(end, last or end)
    if hi < lo:
        return range(0)
    months = clock.calendar_months(pairing.frequency_amount, pairing.frequency_unit)
    if months is not None:
        first = _first_window_from(anchor, months, lo)
        final = _first_window_from(anchor, months, hi + ONE_DAY) - 1
        if last is not None:
            final = min(final, _first_window_from(anchor, months, last + 2 * ONE_DAY) - 2)
    else:
        width = window_days(pairing)
        first = math.ceil((lo - anchor).days / width)
        final = math.ceil(((hi - anchor).days + 1) / width) - 1
        if last is not None:
            final = min(final, math.floor(((last - anchor).days + 1) / width) - 1)
    return range(first, max(final + 1, first))


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
    plans = {p.id: planned(p, start, end) for p in group}
    plan = sum(plans.values())
    visits = sum(made.get(p.id, 0) for p in group)
    # each pairing's plan is met by visits to that pairing's enterprise only: extra visits to
    # one enterprise do not make up for a missed visit to another
    met = {p.id: min(made.get(p.id, 0), plans[p.id]) for p in group}
    # the rate is of the visits due by now: a window still running counts once it is visited
    today = at.astimezone(SHANGHAI).date()
    due = sum(max(due_by(p, start, end, today), met[p.id]) for p in group)
    late = [p for p in group if clock.is_overdue(p, at)]
    return s.LeaderVisits(
        leader_name=name,
        leader_staff_no=staff_no,
        leader_rank=group[0].leader_rank,
        pairings=len(group),
        planned_visits=plan,
        visits=visits,
        due_visits=due,
        completion_rate=_ratio(sum(met.values()), due),
        overdue_pairings=len(late),
    )


async def problem_rows(session: AsyncSession, start: date, end: date) -> list[Problem]:
    """Problems raised, assigned (交办, also of problems raised earlier) or closed in the
    period, and open ones late now."""
    lo, hi = local_instant(start), local_instant(end + timedelta(days=1))
    open_late = (Problem.state != State.CLOSED.value) & (Problem.due_at <= now())
    rows = await session.execute(
        select(Problem).where(
            or_(
                Problem.received_at.between(lo, hi),
                Problem.assigned_at.between(lo, hi),
                Problem.closed_at.between(lo, hi),
                open_late,
            )
        )
    )
    return list(rows.scalars())


def _period(start: date, end: date) -> tuple[datetime, datetime]:
    return local_instant(start), local_instant(end + ONE_DAY)


def _closed_in(p: Problem, lo: datetime, hi: datetime) -> bool:
    return p.closed_at is not None and lo <= p.closed_at < hi


def _average_days(closed: list[Problem]) -> float | None:
    """Natural days from raised to 销号."""
    days = [
        (p.closed_at - p.received_at).total_seconds() / DAY_SECONDS for p in closed if p.closed_at
    ]
    return round(sum(days) / len(days), 2) if days else None


def _on_time(outcomes: list[Outcome]) -> float | None:
    return _ratio(sum(ok for _, _, ok in outcomes), len(outcomes))


def _month(at: datetime) -> str:
    return f"{at.astimezone(SHANGHAI):%Y-%m}"


def _months(raised: list[Problem], closed: list[Problem]) -> list[s.MonthFigures]:
    up = Counter(_month(p.received_at) for p in raised)
    down = Counter(_month(p.closed_at) for p in closed if p.closed_at)
    return [s.MonthFigures(month=m, raised=up[m], closed=down[m]) for m in sorted(up | down)]


async def stage_outcomes(session: AsyncSession, start: date, end: date) -> list[Outcome]:
    """The problems' timed stages (五限时) completed in the period, on time or late."""
    lo, hi = _period(start, end)
    rows = await session.execute(
        select(DeadlineStage.department, DeadlineStage.stage, DeadlineStage.on_time).where(
            DeadlineStage.case_kind == KIND,
            DeadlineStage.status == STAGE_DONE,
            DeadlineStage.completed_at >= lo,
            DeadlineStage.completed_at < hi,
        )
    )
    return [(department, stage, bool(on_time)) for department, stage, on_time in rows]


def problems(
    rows: list[Problem], start: date, end: date, outcomes: list[Outcome]
) -> s.ProblemFigures:
    (lo, hi), at = _period(start, end), now()
    raised = [p for p in rows if lo <= p.received_at < hi]
    closed = [p for p in rows if _closed_in(p, lo, hi)]
    stages: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        stages[outcome[1]].append(outcome)
    return s.ProblemFigures(
        raised=len(raised),
        closed=len(closed),
        solved_of_raised=sum(1 for p in raised if p.state == State.CLOSED),
        resolution_rate=_ratio(sum(1 for p in raised if p.state == State.CLOSED), len(raised)),
        average_days_to_close=_average_days(closed),
        open_overdue=sum(1 for p in rows if _late(p, at)),
        overrides=sum(1 for p in closed if p.closure == Closure.OVERRIDE),
        by_category=dict(Counter(p.category for p in raised)),
        by_month=_months(raised, closed),
        on_time_rate=_on_time(outcomes),
        on_time_by_stage={k: round(sum(ok for *_, ok in v) / len(v), 4)
                          for k, v in sorted(stages.items())},
    )  # fmt: skip


def _late(p: Problem, at: datetime) -> bool:
    return p.state != State.CLOSED and p.due_at is not None and p.due_at <= at


def departments(
    rows: list[Problem], start: date, end: date, outcomes: list[Outcome]
) -> list[s.DepartmentFigures]:
    """Per handling department: assigned and closed in the period, open and late now, its
    stages' on-time rate, days to 销号 and 好差评 of what it closed in the period."""
    (lo, hi), at = _period(start, end), now()
    mine: dict[str, list[Problem]] = defaultdict(list)
    for p in rows:
        if p.department is not None:
            mine[p.department].append(p)
    timed: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        timed[outcome[0]].append(outcome)
    return [
        s.DepartmentFigures(
            department=d,
            assigned=sum(bool(p.assigned_at and lo <= p.assigned_at < hi) for p in mine[d]),
            closed=sum(_closed_in(p, lo, hi) for p in mine[d]),
            open_overdue=sum(_late(p, at) for p in mine[d]),
            on_time_rate=_on_time(timed[d]),
            average_days_to_close=_average_days([p for p in mine[d] if _closed_in(p, lo, hi)]),
            good_rate=satisfaction(mine[d], start, end).good_rate,
        )
        for d in sorted(set(mine) | set(timed))
    ]


def satisfaction(rows: list[Problem], start: date, end: date) -> s.Satisfaction:
    """好差评 of the problems closed in the period; a rating an upheld appeal (申诉复核)
    excluded does not count (DOMAIN.md: excluded from statistics, never deleted)."""
    lo, hi = _period(start, end)
    levels = [
        p.satisfaction
        for p in rows
        if p.satisfaction is not None and not p.satisfaction_excluded and _closed_in(p, lo, hi)
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
    outcomes = await stage_outcomes(session, start, end)
    return s.StatsOut(
        date_from=start,
        date_to=end,
        leaders=await leaders(session, start, end),
        problems=problems(rows, start, end, outcomes),
        departments=departments(rows, start, end, outcomes),
        satisfaction=satisfaction(rows, start, end),
        duty=await duty(session, start, end),
    )
