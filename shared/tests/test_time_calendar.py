"""Working-day calendar and deadline arithmetic, pinned to real 2026 dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError
from timesample.kit import FIXTURE_2027

from yingshang.clock import SHANGHAI
from yingshang.time.arithmetic import Measure, Unit, advance, after_due, consumed
from yingshang.time.calendar import HolidayYear, OfficeHours, WorkCalendar
from yingshang.time.years import read_year_file

CAL = WorkCalendar()


def sh(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


def with_2027() -> WorkCalendar:
    return WorkCalendar({2027: read_year_file(FIXTURE_2027)})


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 14), True),  # Saturday, make-up working day (调休) before 春节
        (date(2026, 10, 10), True),  # Saturday, make-up working day after 国庆
        (date(2026, 10, 7), False),  # Wednesday inside 国庆
        (date(2026, 9, 25), False),  # Friday, 中秋
        (date(2026, 11, 27), True),  # an ordinary Friday
        (date(2026, 11, 28), False),  # an ordinary Saturday
    ],
)
def test_statutory_days_of_2026(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working
    assert CAL.source(day.year) == "chinese-calendar"


@pytest.mark.parametrize(
    ("received", "closed", "taken"),
    [
        (sh(2026, 11, 23, 10), sh(2026, 11, 25, 16), 2),  # Monday → Wednesday
        (sh(2026, 11, 23, 10), sh(2026, 11, 23, 17), 0),  # the same day
        (sh(2026, 11, 27, 23), sh(2026, 11, 29, 9), 0),  # Friday night → Sunday: none yet
        (sh(2026, 9, 24, 9), sh(2026, 10, 9, 9), 5),  # over 中秋 and 国庆 (the 10th's 调休 after)
    ],
)
def test_working_days_taken_count_from_the_day_after_to_the_closing_day(
    received: datetime, closed: datetime, taken: int
) -> None:
    assert CAL.working_days_taken(received, closed) == taken


def test_five_working_days_from_24_september_end_9_october_midnight() -> None:
    due = advance(CAL, Measure.WORKING_DAYS, sh(2026, 9, 24, 15, 0), 5)
    assert due.at == datetime(2026, 10, 9, 16, 0, tzinfo=UTC)
    assert due.at.astimezone(SHANGHAI) == sh(2026, 10, 10, 0, 0)  # 24:00 of 9 October
    assert due.provisional is False


def test_counting_starts_the_day_after_even_late_at_night() -> None:
    # Received Monday 23:59 or 00:01: day one is still Tuesday / the next day.
    assert advance(CAL, Measure.WORKING_DAYS, sh(2026, 11, 2, 23, 59), 1).at == sh(2026, 11, 4)
    assert advance(CAL, Measure.WORKING_DAYS, sh(2026, 11, 3, 0, 1), 1).at == sh(2026, 11, 5)


def test_four_working_hours_from_friday_afternoon_end_monday_half_past_eleven() -> None:
    due = advance(CAL, Measure.OFFICE_SECONDS, sh(2026, 11, 27, 16, 0), 4 * 3600)
    assert due.at == sh(2026, 11, 30, 11, 30)


def test_working_hours_skip_lunch_and_start_at_opening() -> None:
    assert advance(CAL, Measure.OFFICE_SECONDS, sh(2026, 11, 30, 11, 0), 5400).at == sh(
        2026, 11, 30, 14, 0
    )
    assert advance(CAL, Measure.OFFICE_SECONDS, sh(2026, 11, 30, 7, 0), 1800).at == sh(
        2026, 11, 30, 9, 30
    )
    used = consumed(CAL, Measure.OFFICE_SECONDS, sh(2026, 11, 27, 16, 0), sh(2026, 11, 30, 10, 0))
    assert used == 2.5 * 3600


def test_natural_days_end_at_midnight_and_natural_hours_are_elapsed_time() -> None:
    assert advance(CAL, Measure.NATURAL_DAYS, sh(2026, 9, 30, 10, 0), 2).at == sh(2026, 10, 3)
    due = advance(CAL, Measure.SECONDS, sh(2026, 10, 1, 10, 0), 2 * 3600)
    assert due == advance(CAL, Measure.SECONDS, sh(2026, 10, 1, 12, 0), 0)


def test_a_fraction_of_a_day_is_that_share_of_the_next_counted_day() -> None:
    # Friday start: Monday is day one, then half of Tuesday.
    assert advance(CAL, Measure.WORKING_DAYS, sh(2026, 11, 27, 10, 0), 1.5).at == sh(
        2026, 12, 1, 12, 0
    )


def test_year_without_data_falls_back_to_monday_to_friday_and_is_provisional() -> None:
    assert CAL.source(2027) == "fallback"
    assert CAL.is_working_day(date(2027, 1, 1)) is True  # a Friday: no data, no exception
    due = advance(CAL, Measure.WORKING_DAYS, sh(2026, 12, 30, 10, 0), 3)
    assert (due.at, due.provisional) == (sh(2027, 1, 5), True)  # Thu 31, Fri 1, Mon 4


def test_loading_2027_makes_new_year_a_holiday_and_moves_the_due_date_by_a_day() -> None:
    cal = with_2027()
    assert cal.source(2027) == "county-file"
    assert cal.is_working_day(date(2027, 1, 1)) is False
    assert cal.is_working_day(date(2027, 2, 20)) is True  # a make-up Saturday
    due = advance(cal, Measure.WORKING_DAYS, sh(2026, 12, 30, 10, 0), 3)
    assert (due.at, due.provisional) == (sh(2027, 1, 6), False)


def test_ladder_levels_count_whole_working_days_after_the_last_day() -> None:
    due = sh(2026, 10, 10)  # 24:00 of Friday 9 October
    assert after_due(CAL, due, 0, Unit.WORKING_DAYS).at == due
    assert after_due(CAL, due, 1, Unit.WORKING_DAYS).at == sh(2026, 10, 11)  # Sat 10 works
    assert after_due(CAL, due, 5, Unit.WORKING_DAYS).at == sh(2026, 10, 16)


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (
            [
                {"name": "x", "date": "2027-01-01", "isOffDay": True},
                {"name": "x", "date": "2027-01-01", "isOffDay": False},
            ],
            "同时被列为休息日和工作日",
        ),
        ([{"name": "x", "date": "2029-01-01", "isOffDay": True}], "不在 2027 年的范围内"),
        ([{"name": "x", "date": "2027-02-30", "isOffDay": True}], "date"),
        ([{"name": "x", "date": "2027-01-01"}], "isOffDay"),
    ],
)
def test_bad_holiday_documents_are_refused(days: list[dict[str, object]], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        HolidayYear.model_validate({"year": 2027, "days": days})


def test_holiday_document_keeps_neighbouring_new_year_days() -> None:
    doc = HolidayYear.model_validate(
        {
            "year": 2027,
            "$schema": "ignored",
            "papers": [],
            "days": [{"name": "元旦", "date": "2026-12-31", "isOffDay": True}],
        }
    )
    cal = WorkCalendar({2027: doc})
    assert cal.is_working_day(date(2026, 12, 31)) is False  # the file overrides the package
    assert cal.is_working_day(date(2026, 12, 30)) is True
    assert doc.document()["days"] == [{"name": "元旦", "date": "2026-12-31", "isOffDay": True}]


def test_office_hours_parse_and_refuse_overlaps() -> None:
    hours = OfficeHours.parse("08:30-12:00, 14:00-18:00")
    assert str(hours) == "08:30-12:00,14:00-18:00"
    assert hours.seconds_per_day() == 7.5 * 3600
    for text in ("9-12", "13:00-12:00", "09:00-12:00,11:00-14:00"):
        with pytest.raises(ValueError, match=r"office|HH:MM"):
            OfficeHours.parse(text)


def test_day_counts_kept_on_the_calendar_answer_as_a_fresh_calendar_does() -> None:
    """Day-unit answers are kept per calendar by the start's local date: any start on that
    date (early, late, either side of midnight UTC) gets what a calendar with nothing kept
    computes, in whole and fractional days, working and natural."""
    kept = WorkCalendar()
    starts = [
        datetime(2026, 9, 30, hour, minute, tzinfo=SHANGHAI)
        for hour, minute in ((0, 0), (7, 59), (8, 0), (12, 30), (23, 59))
    ] + [datetime(2026, 10, 8, 16, 1, tzinfo=UTC), datetime(2026, 12, 31, 15, 59, tzinfo=UTC)]
    for start in starts:
        for measure in (Measure.WORKING_DAYS, Measure.NATURAL_DAYS):
            for amount in (1, 5, 9.6, 12, 0.5):
                expected = advance(WorkCalendar(), measure, start, amount)
                assert advance(kept, measure, start, amount) == expected
                assert advance(kept, measure, start, amount) == expected  # from the answers
    assert kept.answers  # they were kept
