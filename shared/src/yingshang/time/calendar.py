"""Working-day calendar (工作日历): statutory holidays, make-up working days (调休), office hours.

Sources, most specific first (DOMAIN.md: working days exclude weekends and statutory holidays and
include make-up days; 行政许可法 art. 82):

1. county-loaded year files in the holiday-cn JSON format (``{year, papers, days: [{name, date,
   isOffDay}]}``; ``isOffDay: false`` on a weekend date is a make-up working day);
2. the ``chinese-calendar`` package for the years it knows (it raises for the others, so it is
   only ever consulted for a year it has been probed to know);
3. Monday–Friday for any other year: such results are *provisional* until the year's file loads.

Day boundaries are Asia/Shanghai; instants are aware UTC.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal

import chinese_calendar
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from yingshang.clock import SHANGHAI, ensure_utc

Source = Literal["county-file", "chinese-calendar", "fallback"]
ONE_DAY = timedelta(days=1)


@functools.cache
def chinese_calendar_knows(year: int) -> bool:
    """Whether ``chinese-calendar`` has data for ``year`` (probed once; it raises otherwise)."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _cc_working(day: date) -> bool:
    # The package's own is_workday re-checks the year range on every call (~40 µs); its public
    # ``holidays`` / ``workdays`` tables answer the same question in a dict lookup.
    if day in chinese_calendar.workdays:
        return True
    return day.weekday() < 5 and day not in chinese_calendar.holidays


class HolidayDay(BaseModel):
    """One entry of a holiday-cn file."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    name: str = Field(min_length=1, max_length=40)
    date: date
    is_off_day: bool = Field(alias="isOffDay")


class HolidayYear(BaseModel):
    """A holiday-cn year document (the State Council's notice for ``year``)."""

    model_config = ConfigDict(extra="ignore")

    year: int = Field(ge=2000, le=2200)
    papers: list[Annotated[str, Field(max_length=500)]] = Field(default_factory=list, max_length=20)
    days: list[HolidayDay] = Field(max_length=400)

    @field_validator("days")
    @classmethod
    def _no_contradictions(cls, days: list[HolidayDay]) -> list[HolidayDay]:
        seen: dict[date, bool] = {}
        for day in days:
            if seen.setdefault(day.date, day.is_off_day) != day.is_off_day:
                raise ValueError(f"{day.date} 同时被列为休息日和工作日")
        return days

    @model_validator(mode="after")
    def _dates_near_year(self) -> HolidayYear:
        # A notice may reach into the neighbouring year (元旦 spanning 31 Dec), never further.
        first, last = date(self.year - 1, 12, 1), date(self.year + 1, 1, 31)
        stray = [d.date.isoformat() for d in self.days if not first <= d.date <= last]
        if stray:
            raise ValueError(f"以下日期不在 {self.year} 年的范围内：{'、'.join(stray[:5])}")
        return self

    def document(self) -> dict[str, Any]:
        """The canonical JSON document stored in ``ys_calendar_years``."""
        return {
            "year": self.year,
            "papers": list(self.papers),
            "days": [
                {"name": d.name, "date": d.date.isoformat(), "isOffDay": d.is_off_day}
                for d in sorted(self.days, key=lambda d: d.date)
            ],
        }


@dataclass(frozen=True)
class OfficeHours:
    """Daily office periods on working days (default 09:00–12:00, 13:30–17:30)."""

    periods: tuple[tuple[time, time], ...] = ((time(9), time(12)), (time(13, 30), time(17, 30)))

    def __post_init__(self) -> None:
        previous = time(0)
        for start, end in self.periods:
            if not previous <= start < end:
                raise ValueError("office periods must be ordered and must not overlap")
            previous = end
        if not self.periods:
            raise ValueError("at least one office period is needed")

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        """``"09:00-12:00,13:30-17:30"`` (the ``YS_OFFICE_HOURS`` setting)."""
        periods = []
        for part in text.split(","):
            match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", part)
            if not match:
                raise ValueError(f"office period {part!r} is not HH:MM-HH:MM")
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            periods.append((time(h1, m1), time(h2, m2)))
        return cls(tuple(periods))

    def seconds_per_day(self) -> float:
        return sum(_seconds(end) - _seconds(start) for start, end in self.periods)

    def __str__(self) -> str:
        return ",".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in self.periods)


def _seconds(at: time) -> float:
    return at.hour * 3600 + at.minute * 60 + at.second


def local_date(at: datetime) -> date:
    """The Asia/Shanghai calendar date of an instant."""
    return ensure_utc(at).astimezone(SHANGHAI).date()


def local_instant(day: date, at: time = time(0)) -> datetime:
    """``day`` at local wall time ``at`` in Asia/Shanghai, as UTC."""
    return datetime.combine(day, at, tzinfo=SHANGHAI).astimezone(UTC)


NTH_CACHE = 4096  # remembered nth_day_after answers per calendar


@dataclass(frozen=True)
class WorkCalendar:
    """Immutable calendar: county files (by year) over chinese-calendar over Mon–Fri."""

    files: Mapping[int, HolidayYear] = field(default_factory=dict)
    office_hours: OfficeHours = field(default_factory=OfficeHours)
    _listed: dict[date, bool] = field(init=False, repr=False, compare=False)
    _nth: dict[tuple[date, int, bool], date] = field(init=False, repr=False, compare=False)
    # answers of pure functions of this calendar, kept by their callers (the calendar is
    # immutable, so they stay true): ``yingshang.time.arithmetic``'s day counts
    answers: dict[Any, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        listed: dict[date, bool] = {}
        for year in sorted(self.files):
            for day in self.files[year].days:
                listed[day.date] = not day.is_off_day
        object.__setattr__(self, "_listed", listed)
        # nth_day_after's answers: every stage started on one day with one limit asks the
        # same question (the calendar is immutable, so they stay true)
        object.__setattr__(self, "_nth", {})
        object.__setattr__(self, "answers", {})

    def source(self, year: int) -> Source:
        if year in self.files:
            return "county-file"
        return "chinese-calendar" if chinese_calendar_knows(year) else "fallback"

    def has_data(self, year: int) -> bool:
        return self.source(year) != "fallback"

    def is_working_day(self, day: date) -> bool:
        listed = self._listed.get(day)
        if listed is not None:
            return listed
        if day.year not in self.files and chinese_calendar_knows(day.year):
            return _cc_working(day)
        return day.weekday() < 5

    def provisional(self, first: date, last: date) -> bool:
        """Whether any year from ``first`` to ``last`` lacks data (Mon–Fri fallback used)."""
        return any(not self.has_data(y) for y in range(first.year, last.year + 1))

    def counted_days_after(self, day: date, *, working: bool) -> Iterator[date]:
        """The days counted after ``day`` (working days only, or every day)."""
        while True:
            day += ONE_DAY
            if not working or self.is_working_day(day):
                yield day

    def nth_day_after(self, day: date, n: int, *, working: bool) -> date:
        """The ``n``-th counted day after ``day`` (n ≥ 1)."""
        known = self._nth.get((day, n, working))
        if known is not None:
            return known
        for i, counted in enumerate(self.counted_days_after(day, working=working), start=1):
            if i >= n:
                if len(self._nth) >= NTH_CACHE:
                    self._nth.clear()
                self._nth[day, n, working] = counted
                return counted
        raise AssertionError("unreachable: the day iterator is endless")

    def count_days_between(self, after: date, before: date, *, working: bool) -> int:
        """Counted days strictly between ``after`` and ``before``."""
        count, day = 0, after + ONE_DAY
        while day < before:
            count += 1 if not working or self.is_working_day(day) else 0
            day += ONE_DAY
        return count

    def working_days_taken(self, start: datetime, end: datetime) -> int:
        """Working days a matter took (statistics: 平均办结用时): from the day after
        ``start``'s day (Asia/Shanghai) up to and including ``end``'s day when it is a working
        day — received on a Monday and closed on the Wednesday, it took 2."""
        first, last = local_date(start), local_date(end)
        if last <= first:
            return 0
        return self.count_days_between(first, last, working=True) + self.is_working_day(last)

    def office_periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The office periods of ``day`` as UTC instants (none on a day off)."""
        if not self.is_working_day(day):
            return []
        periods = self.office_hours.periods
        return [(local_instant(day, start), local_instant(day, end)) for start, end in periods]


def years_of(days: Iterable[date]) -> list[int]:
    return sorted({d.year for d in days})
