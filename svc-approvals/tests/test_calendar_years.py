"""Due dates in a year without holiday data (ARCHITECTURE.md): counted on Monday-Friday and
marked provisional; loading the year's holiday file recomputes them — on the application
itself, which lists, the overdue filter and statistics read, not only in the deadline engine."""

from __future__ import annotations

from datetime import date as day
from datetime import datetime

from yingshang.clock import SHANGHAI, FrozenClock
from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, People, submit_item
from .test_applications_clock import end_of

FOOD = "食品经营许可"  # 承诺件 of SCJGJ, committed 8 working days
# 2027: no chinese-calendar data and no file loaded (Mon-Fri fallback); a county file with
# Tuesday 5 to Thursday 7 January off.
YEAR_2027 = {
    "year": 2027,
    "papers": [],
    "days": [{"name": "测试假期", "date": f"2027-01-0{d}", "isOffDay": True} for d in (5, 6, 7)],
}


def _when(d: day) -> datetime:
    return datetime(d.year, d.month, d.day, 10, tzinfo=SHANGHAI)


async def test_a_due_date_on_the_fallback_calendar_is_provisional(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """Complete Monday 4 January 2027: 8 working days on Monday-Friday end Thursday 14th,
    provisional; a due date in a year with data is not."""
    clock.set(_when(day(2027, 1, 4)))
    app = await submit_item(hall, people, FOOD)
    assert datetime.fromisoformat(app["due_at"]) == end_of(day(2027, 1, 14))
    assert app["provisional"] is True
    clock.set(_when(day(2026, 3, 2)))
    known = await submit_item(hall, people, FOOD)
    assert known["provisional"] is False


async def test_loading_the_year_moves_the_applications_due_date(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """The county loads 2027 with 5-7 January off: the application's due date becomes Tuesday
    19 January, no longer provisional. On Monday 18th it is not overdue — in its view, in the
    overdue filter and in the statistics."""
    clock.set(_when(day(2027, 1, 4)))
    app = await submit_item(hall, people, FOOD)
    r = await hall.client.post(
        f"{BASE}/admin/calendar/years", json=YEAR_2027, headers=people.admin()
    )
    assert r.status_code == 201, r.text
    assert r.json()["recomputed"] == 1
    clock.set(_when(day(2027, 1, 18)))
    bureau = people.bureau()
    shown = (await hall.client.get(f"{BASE}/applications/{app['id']}", headers=bureau)).json()
    assert datetime.fromisoformat(shown["due_at"]) == end_of(day(2027, 1, 19))
    assert (shown["provisional"], shown["overdue"]) == (False, False)
    late = await hall.client.get(f"{BASE}/applications", params={"overdue": "true"}, headers=bureau)
    assert late.json()["items"] == []
    stats = (await hall.client.get(f"{BASE}/statistics", headers=bureau)).json()["overall"]
    assert stats["overdue"] == 0
    clock.set(_when(day(2027, 1, 20)))  # past the true due date: overdue everywhere
    shown = (await hall.client.get(f"{BASE}/applications/{app['id']}", headers=bureau)).json()
    assert shown["overdue"] is True
    stats = (await hall.client.get(f"{BASE}/statistics", headers=bureau)).json()["overall"]
    assert stats["overdue"] == 1
