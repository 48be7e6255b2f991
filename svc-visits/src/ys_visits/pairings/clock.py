"""The visit frequency of a pairing as a deadline stage (``pairing``/``visit``).

The policy row is chosen by the leader's rank and the enterprise's scale: its urgency key is
the rank's (``leader`` for county leaders: quarterly, ``cadre`` for department cadres: monthly —
DOMAIN.md defaults), and an admin may add ``<key>_<scale>`` rows (e.g. ``cadre_above_scale``)
that take precedence. (Keys are short: policy keys hold 20 characters.)
Each window starts when the pairing starts or at the last visit; no visit before it is due →
``overdue`` and the escalation ladder (L1 the responsible department's head, L2 the bureau,
L3 the committee), each once, from the sweeper.

Monthly and quarterly mean calendar months. The policy table counts in days, so a natural-day
frequency as long as ``k`` calendar months (:func:`calendar_months`: 30 days → monthly, 90 →
quarterly) is read as ``k`` calendar months counted from the window's first day, whatever the
months' lengths: a window opened on 2 March is due by 24:00 of 1 April, one opened on
1 February 2027 by 24:00 of 28 February (2028: of 29 February), a quarterly one opened on
1 February by 24:00 of 30 April. A window from a day that the month ``k`` months later lacks
ends with that month (31 January → 28 February; 30 November 2027, quarterly → 29 February
2028). A pairing that starts mid-month owes no visit of its own for the rest of that month: its
first window is a month from its first day (from 15 March: by 24:00 of 14 April), as the plan
of the statistics counts it. Any other frequency (14 natural days, working days, minutes) is a
window of its own length, counted by the engine from the day after it opens.

The clock runs during the pairing's active period only, which ends at 24:00 (county time) of
``ends_on``: nothing of a window — warning, overdue, escalation — fires after that instant.

* No window opens once the period is over (a window would start at or after its end, or a
  visit is recorded after it).
* A window that fits in the period runs as the policy says; escalation levels that would come
  after the end are left off its ladder (there is nobody left to urge about a pairing that has
  ended).
* A calendar-month window that would run past the end is not owed: a pairing that covers a
  whole month (monthly) or three whole months (quarterly) owes a visit in them — a cadre
  paired for February 2027, 28 days, owes February's visit — and a cadre paired from 2 to
  20 March owes none.
* Any other window that would run past the end is owed only if the rest of the period, counted
  from the window's first day, still holds a whole window (the engine counts from the day after
  the window opens); its due is then capped at the end of the period. Otherwise no visit is
  owed before the pairing ends, so no window opens.
"""

import math
from calendar import monthrange
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, or_
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import SHANGHAI, now
from yingshang.problems import Conflict
from yingshang.time import deadlines
from yingshang.time.arithmetic import Measure, Unit, after_due, measure_of
from yingshang.time.calendar import ONE_DAY, WorkCalendar, local_date, local_instant
from yingshang.time.models import DeadlineStage, Policy
from yingshang.time.policies import active_terms, find_policy
from yingshang.time.store import current_calendar
from yingshang.time.terms import PolicyTerms
from ys_visits.clocks import SERVICE
from ys_visits.pairings.machine import ACTIVE
from ys_visits.pairings.models import KIND, Pairing

STAGE = "visit"
Actor = deadlines.Actor
RANK_KEYS = {"county_leader": "leader", "department_cadre": "cadre"}  # 县领导, 部门干部
CALENDAR_MONTHS = (1, 2, 3, 4, 6, 12)  # frequencies read as that many calendar months


def calendar_months(amount: int, unit: Unit | str) -> int | None:
    """A natural-day frequency as long as ``k`` calendar months (28k to 31k days, ``k`` a
    divisor of the year: 30 days → monthly, 90 → quarterly, 365 → yearly) is ``k`` calendar
    months; ``None`` for any other frequency."""
    if Unit(unit) is not Unit.NATURAL_DAYS:
        return None
    return next((k for k in CALENDAR_MONTHS if 28 * k <= amount <= 31 * k), None)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later, or that month's last day if it is shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def after_months(first_day: date, months: int) -> date:
    """The day after a window of ``months`` calendar months from ``first_day`` (counted): the
    same day ``months`` months later; the first of the month after when that month lacks the
    day, so the window ends with the month (as 民法典 art. 202 ends a period in months)."""
    later = add_months(first_day, months)
    return later if later.day == first_day.day else later + ONE_DAY


async def frequency_policy(session: AsyncSession, rank: str, scale: str) -> Policy:
    """The active policy for (rank, scale), else for the rank; 409 when neither exists."""
    base = RANK_KEYS[rank]
    for key in (f"{base}_{scale}", base):
        policy = await find_policy(session, SERVICE, KIND, STAGE, key)
        if policy is not None and policy.active:
            return policy
    raise Conflict(f"没有适用于 {rank} 的在用走访频次规则", code="policy-missing")


def window_start(starts_on: date) -> datetime:
    """A first window counts from the pairing's first day, never from before it was made."""
    return max(now(), local_instant(starts_on))


def period_end(pairing: Pairing) -> datetime | None:
    """The end of the pairing's active period: 24:00 county time of ``ends_on`` (or none)."""
    if pairing.ends_on is None:
        return None
    return local_instant(pairing.ends_on + timedelta(days=1))


def is_overdue(pairing: Pairing, at: datetime) -> bool:
    """The current window is past due while the pairing is active (never after its end)."""
    due, end = pairing.visit_due_at, period_end(pairing)
    return pairing.state == ACTIVE and due is not None and due <= at and (end is None or at < end)


def overdue_clause(at: datetime) -> ColumnElement[bool]:
    """:func:`is_overdue` as a query condition."""
    in_period = or_(Pairing.ends_on.is_(None), Pairing.ends_on >= at.astimezone(SHANGHAI).date())
    return (Pairing.state == ACTIVE) & (Pairing.visit_due_at <= at) & in_period


async def start_window(
    session: AsyncSession, pairing: Pairing, actor: Actor, at: datetime
) -> DeadlineStage | None:
    """Open the next visit window from ``at``; ``None`` when no visit is owed before the
    pairing's end (see the module docstring)."""
    end = period_end(pairing)
    if end is not None and max(at, now()) >= end:
        pairing.visit_due_at = None
        return None
    policy, full = await active_terms(session, SERVICE, KIND, STAGE, pairing.policy_key)
    months = calendar_months(full.amount, full.unit)
    window = full if months is None else _ending_at(full, at, _months_due(at, months))
    terms: PolicyTerms | None = window
    if end is not None:
        terms = await _within_period(session, window, at, end, in_months=months is not None)
    if terms is None:
        pairing.visit_due_at = None
        return None
    row = await deadlines.start_stage(
        session,
        service=SERVICE,
        case_kind=KIND,
        case_id=pairing.id,
        case_number=pairing.number,
        department=pairing.department,
        stage=STAGE,
        urgency=pairing.policy_key,
        actor=actor,
        at=at,
        terms=terms,
        note=None if terms is window else f"挂帮关系于 {pairing.ends_on} 结束，本走访周期随之结束",
    )
    row.policy_id, row.policy_version = policy.id, policy.version  # the terms came from it
    pairing.visit_due_at = row.due_at
    return row


def _months_due(at: datetime, months: int) -> datetime:
    """24:00 (county time) of the last day of ``months`` calendar months from ``at``'s day."""
    return local_instant(after_months(local_date(at), months))


async def _within_period(
    session: AsyncSession, terms: PolicyTerms, at: datetime, end: datetime, *, in_months: bool
) -> PolicyTerms | None:
    """The terms of a window opened at ``at`` in a period ending at ``end``: ``terms`` when
    nothing of the window comes after the end; without the escalation levels that would come
    after it; ``None`` when no visit is owed — a window of calendar months (``in_months``, due
    at the end of a whole window counted from its first day) only when it ends in the period,
    any other capped at the end when :func:`_whole_window_left`."""
    cal = await current_calendar(session)
    due = deadlines.due_for(terms, at, cal).at
    if due > end:
        if in_months or not _whole_window_left(terms, at, end, cal):
            return None
        terms = _ending_at(terms, at, end)
        due = deadlines.due_for(terms, at, cal).at
    kept = [
        level
        for level in terms.ladder
        if after_due(cal, due, level.after.amount, level.after.unit).at <= end
    ]
    if len(kept) == len(terms.ladder):
        return terms
    return terms.model_copy(update={"ladder": kept})


def _whole_window_left(terms: PolicyTerms, at: datetime, end: datetime, cal: WorkCalendar) -> bool:
    """A day-counted window is owed when the period, from the window's first day, holds a
    whole window; an elapsed-time window only when it ends in the period."""
    if measure_of(terms.unit) not in (Measure.NATURAL_DAYS, Measure.WORKING_DAYS):
        return False
    first_day = local_instant(local_date(at))
    counted_from_first_day = first_day - timedelta(microseconds=1)
    return deadlines.due_for(terms, counted_from_first_day, cal).at <= end


def _ending_at(terms: PolicyTerms, at: datetime, end: datetime) -> PolicyTerms:
    """``terms`` with a time limit ending at ``end``, a county midnight: whole natural days
    (to 24:00 of the day before ``end``), or seconds when the window opens on that day."""
    days = (local_date(end) - local_date(at)).days - 1
    if days >= 1:
        amount, unit = days, Unit.NATURAL_DAYS
    else:
        amount, unit = max(math.floor((end - at).total_seconds()), 1), Unit.NATURAL_SECONDS
    return terms.model_copy(update={"amount": amount, "unit": unit})


async def current(session: AsyncSession, pairing: Pairing) -> DeadlineStage | None:
    return await deadlines.open_stage(session, KIND, pairing.id, STAGE)


async def visited(session: AsyncSession, pairing: Pairing, on: date, actor: Actor) -> None:
    """A visit closes the current window (on time or not) and opens the next from the visit.

    The visit's instant is noon of its day, kept inside the window (not before it started,
    not after now), so a visit recorded a few days late still counts from its own day."""
    row = await current(session, pairing)
    if row is None:
        return  # no window open: none was owed before the pairing's end
    noon = local_instant(on) + timedelta(hours=12)
    at = min(max(noon, row.counted_from), now())
    await deadlines.complete_stage(session, row, actor=actor, at=at, note="已登记走访")
    await start_window(session, pairing, actor, at)


async def stop(session: AsyncSession, pairing: Pairing, actor: Actor, reason: str) -> None:
    row = await current(session, pairing)
    if row is not None:
        await deadlines.cancel(session, row, actor=actor, reason=reason)
    pairing.visit_due_at = None
