"""Deadline arithmetic on a :class:`WorkCalendar` (ARCHITECTURE.md, "Deadlines and escalation").

Every unit is counted in a *measure*:

* ``working_days`` / ``natural_days``: days. Counting starts the day after the start date
  (DOMAIN.md: "count from the day after receipt") and a deadline ends at 24:00 Asia/Shanghai of
  its last day. A fraction of a day (warning points only) is that share of the next counted day.
* ``working_hours``: seconds of office time (office hours on working days).
* ``natural_hours`` / ``natural_minutes`` / ``natural_seconds``: elapsed seconds.

Each function returns the instant and whether the result leaned on the Mon–Fri fallback for a
year without data (``provisional``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from yingshang.clock import ensure_utc
from yingshang.time.calendar import ONE_DAY, WorkCalendar, local_date, local_instant


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    NATURAL_DAYS = "natural_days"
    NATURAL_HOURS = "natural_hours"
    NATURAL_MINUTES = "natural_minutes"
    NATURAL_SECONDS = "natural_seconds"


class Measure(StrEnum):
    """How a unit's amount is counted; amounts of one measure can be added together."""

    WORKING_DAYS = "working_days"
    NATURAL_DAYS = "natural_days"
    OFFICE_SECONDS = "office_seconds"
    SECONDS = "seconds"


_MEASURES: dict[Unit, tuple[Measure, float]] = {
    Unit.WORKING_DAYS: (Measure.WORKING_DAYS, 1.0),
    Unit.NATURAL_DAYS: (Measure.NATURAL_DAYS, 1.0),
    Unit.WORKING_HOURS: (Measure.OFFICE_SECONDS, 3600.0),
    Unit.NATURAL_HOURS: (Measure.SECONDS, 3600.0),
    Unit.NATURAL_MINUTES: (Measure.SECONDS, 60.0),
    Unit.NATURAL_SECONDS: (Measure.SECONDS, 1.0),
}

# Rough length of one unit in seconds: only to check that ladder levels come in order.
NOMINAL_SECONDS: dict[Unit, float] = {
    Unit.WORKING_DAYS: 86400.0,
    Unit.NATURAL_DAYS: 86400.0,
    Unit.WORKING_HOURS: 3600.0,
    Unit.NATURAL_HOURS: 3600.0,
    Unit.NATURAL_MINUTES: 60.0,
    Unit.NATURAL_SECONDS: 1.0,
}


def measure_of(unit: Unit | str) -> Measure:
    return _MEASURES[Unit(unit)][0]


def to_measure(amount: float, unit: Unit | str) -> float:
    """``amount`` of ``unit`` expressed in the unit's measure."""
    return amount * _MEASURES[Unit(unit)][1]


@dataclass(frozen=True, slots=True)
class Instant:
    at: datetime
    provisional: bool = False


def advance(cal: WorkCalendar, measure: Measure, start: datetime, amount: float) -> Instant:
    """The instant ``amount`` (in ``measure``) after ``start``; ``start`` itself for ≤ 0."""
    start = ensure_utc(start)
    if amount <= 0:
        return Instant(start)
    if measure is Measure.SECONDS:
        return Instant(start + timedelta(seconds=amount))
    if measure is Measure.OFFICE_SECONDS:
        return _advance_office(cal, start, amount)
    return _advance_days(cal, start, amount, working=measure is Measure.WORKING_DAYS)


def _advance_days(cal: WorkCalendar, start: datetime, days: float, *, working: bool) -> Instant:
    # the answer depends on the start's local date only: kept on the (immutable) calendar,
    # every stage started on one day with one limit asks the same question
    first = local_date(start)
    key = ("days", first, days, working)
    known: Instant | None = cal.answers.get(key)
    if known is not None:
        return known
    whole = math.floor(days)
    fraction = days - whole
    if fraction == 0:
        last = cal.nth_day_after(first, whole, working=working)
        at = local_instant(last + ONE_DAY)  # 24:00 of the last counted day
    else:
        last = cal.nth_day_after(first, whole + 1, working=working)
        at = local_instant(last) + timedelta(days=fraction)
    answer = Instant(at, working and cal.provisional(first, last))
    if len(cal.answers) >= DAY_ANSWERS:
        cal.answers.clear()
    cal.answers[key] = answer
    return answer


DAY_ANSWERS = 4096  # day counts kept per calendar


def _advance_office(cal: WorkCalendar, start: datetime, seconds: float) -> Instant:
    left = timedelta(seconds=seconds)
    day = local_date(start)
    first = day
    while True:
        for begin, end in cal.office_periods(day):
            begin = max(begin, start)
            if end <= begin:
                continue
            if end - begin >= left:
                return Instant(begin + left, cal.provisional(first, day))
            left -= end - begin
        day += ONE_DAY


def consumed(cal: WorkCalendar, measure: Measure, start: datetime, end: datetime) -> float:
    """How much of ``measure`` elapsed from ``start`` to ``end`` (a pause at ``end``).

    Day measures count the days after the start date and *before* the pause date: the day
    the clock stops is not used up, and counting resumes the day after the resume (ARCHITECTURE.md:
    "on resume the remaining amount counts again from the next working day").
    """
    start, end = ensure_utc(start), ensure_utc(end)
    if end <= start:
        return 0.0
    if measure is Measure.SECONDS:
        return (end - start).total_seconds()
    if measure is Measure.OFFICE_SECONDS:
        return office_seconds_between(cal, start, end)
    working = measure is Measure.WORKING_DAYS
    return float(cal.count_days_between(local_date(start), local_date(end), working=working))


def office_seconds_between(cal: WorkCalendar, start: datetime, end: datetime) -> float:
    total = 0.0
    day, last = local_date(start), local_date(end)
    while day <= last:
        for begin, finish in cal.office_periods(day):
            overlap = (min(finish, end) - max(begin, start)).total_seconds()
            total += max(0.0, overlap)
        day += ONE_DAY
    return total


def after_due(cal: WorkCalendar, due_at: datetime, amount: float, unit: Unit | str) -> Instant:
    """A ladder level's instant: ``amount`` of ``unit`` after a due time.

    A day-measure deadline ends at 24:00 of its last day, so "one working day after" counts from
    the day after that last day and ends at its 24:00: the case is then a full working day late.
    """
    if amount <= 0:
        return Instant(ensure_utc(due_at))
    measure = measure_of(unit)
    base = due_at - timedelta(microseconds=1) if measure in _DAY_MEASURES else due_at
    return advance(cal, measure, base, to_measure(amount, unit))


_DAY_MEASURES = frozenset({Measure.WORKING_DAYS, Measure.NATURAL_DAYS})
