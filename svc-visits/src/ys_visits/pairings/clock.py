"""The visit frequency of a pairing as a deadline stage (``pairing``/``visit``).

The policy row is chosen by the leader's rank and the enterprise's scale: its urgency key is
the rank's (``leader`` for county leaders: quarterly, ``cadre`` for department cadres: monthly —
DOMAIN.md defaults), and an admin may add ``<key>_<scale>`` rows (e.g. ``cadre_above_scale``)
that take precedence. (Keys are short: policy keys hold 20 characters.)
Each window starts when the pairing starts or at the last visit; no visit before it is due →
``overdue`` and the escalation ladder (L1 the responsible department's head, L2 the bureau,
L3 the committee), each once, from the sweeper.

The clock runs during the pairing's active period only, which ends at 24:00 (county time) of
``ends_on``: nothing of a window — warning, overdue, escalation — fires after that instant.

* No window opens once the period is over (a window would start at or after its end, or a
  visit is recorded after it).
* A window that fits in the period runs as the policy says; escalation levels that would come
  after the end are left off its ladder (there is nobody left to urge about a pairing that has
  ended).
* A window that would run past the end is owed only if the rest of the period, counted from
  the window's first day, still holds a whole window (a cadre paired for all of April, 30 days,
  owes April's visit though the engine counts a 30-day window from the day after it starts);
  its due is then capped at the end of the period. Otherwise no visit is owed before the
  pairing ends, so no window opens (a cadre pairing from 2 to 20 March owes no visit).
"""

import math
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, or_
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import SHANGHAI, now
from yingshang.problems import Conflict
from yingshang.time import deadlines
from yingshang.time.arithmetic import Measure, Unit, after_due, measure_of
from yingshang.time.calendar import WorkCalendar
from yingshang.time.models import DeadlineStage, Policy
from yingshang.time.policies import PolicyRef, active_terms, find_policy
from yingshang.time.store import current_calendar
from yingshang.time.terms import PolicyTerms
from ys_visits.clocks import SERVICE, local_midnight
from ys_visits.pairings.machine import ACTIVE
from ys_visits.pairings.models import KIND, Pairing

STAGE = "visit"
Actor = deadlines.Actor
RANK_KEYS = {"county_leader": "leader", "department_cadre": "cadre"}  # 县领导, 部门干部


async def frequency_policy(session: AsyncSession, rank: str, scale: str) -> Policy:
    """The active policy for (rank, scale), else for the rank; 409 when neither exists."""
    base = RANK_KEYS[rank]
    for key in (f"{base}_{scale}", base):
        policy = await find_policy(session, SERVICE, KIND, STAGE, key)
        if policy is not None and policy.active:
            return policy
    raise Conflict(f"no active visit-frequency policy for {rank}", code="policy-missing")


def window_start(starts_on: date) -> datetime:
    """A first window counts from the pairing's first day, never from before it was made."""
    return max(now(), local_midnight(starts_on))


def period_end(pairing: Pairing) -> datetime | None:
    """The end of the pairing's active period: 24:00 county time of ``ends_on`` (or none)."""
    if pairing.ends_on is None:
        return None
    return local_midnight(pairing.ends_on + timedelta(days=1))


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
    terms: PolicyTerms | None = None
    policy: PolicyRef | None = None
    note: str | None = None
    if end is not None:
        if max(at, now()) >= end:
            pairing.visit_due_at = None
            return None
        policy, full = await active_terms(session, SERVICE, KIND, STAGE, pairing.policy_key)
        terms = await _within_period(session, full, at, end)
        if terms is None:
            pairing.visit_due_at = None
            return None
        if terms is full:
            terms, policy = None, None  # the policy's own terms: the usual start
        else:
            note = f"挂帮 ends {pairing.ends_on}: the window ends with it"
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
        note=note,
    )
    if policy is not None:  # terms given: keep the reference to the policy they came from
        row.policy_id, row.policy_version = policy.id, policy.version
    pairing.visit_due_at = row.due_at
    return row


async def _within_period(
    session: AsyncSession, terms: PolicyTerms, at: datetime, end: datetime
) -> PolicyTerms | None:
    """The terms of a window opened at ``at`` in a period ending at ``end``: the policy's own
    when nothing of the window comes after the end; capped at the end and without the
    escalation levels that would come after it; ``None`` when no visit is owed."""
    cal = await current_calendar(session)
    due = deadlines.due_for(terms, at, cal).at
    if due > end:
        if not _whole_window_left(terms, at, end, cal):
            return None
        terms = _capped(terms, at, end)
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
    first_day = local_midnight(at.astimezone(SHANGHAI).date())
    counted_from_first_day = first_day - timedelta(microseconds=1)
    return deadlines.due_for(terms, counted_from_first_day, cal).at <= end


def _capped(terms: PolicyTerms, at: datetime, end: datetime) -> PolicyTerms:
    """``terms`` with a time limit ending at ``end``: whole natural days (24:00 of the last
    day of the period), or seconds when the window starts on the last day."""
    days = (end.astimezone(SHANGHAI).date() - at.astimezone(SHANGHAI).date()).days - 1
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
    noon = local_midnight(on) + timedelta(hours=12)
    at = min(max(noon, row.counted_from), now())
    await deadlines.complete_stage(session, row, actor=actor, at=at, note="走访 visit recorded")
    await start_window(session, pairing, actor, at)


async def stop(session: AsyncSession, pairing: Pairing, actor: Actor, reason: str) -> None:
    row = await current(session, pairing)
    if row is not None:
        await deadlines.cancel(session, row, actor=actor, reason=reason)
    pairing.visit_due_at = None
