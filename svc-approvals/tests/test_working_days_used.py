"""Working days used (办结 record, statistics): counted from the day after complete materials as
the deadline engine counts them — a paused period stops the clock from the day it starts (not
used up) to the day it ends (counting resumes the next working day); days covered by several
periods, or never counted, are left out once."""

from __future__ import annotations

from datetime import date

from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, People, submit_item, window_clerk
from .test_applications_clock import act, at, due, end_of

FOOD = "食品经营许可"  # 承诺件 of SCJGJ, committed 8 working days


async def _finish(hall: ServiceUnderTest, people: People, app: dict[str, object]) -> int:
    c, clerk = hall.client, window_clerk(people)
    assert (await act(c, app, "approve", people.staff("SCJGJ"))).status_code == 200
    assert (await act(c, app, "deliver", clerk, {"method": "pickup"})).status_code == 200
    done = await act(c, app, "finish", clerk)
    assert done.status_code == 200, done.text
    return int(done.json()["working_days_used"])


async def test_a_pause_from_the_day_materials_completed(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """Complete and accepted Monday 2 March, review 补正 the same Monday, answered Wednesday
    4th: counting resumes Thursday 5th. Finished Friday 6th: 2 working days (Thu, Fri) — the
    engine agrees (8 working days from Wednesday 4th end on Monday 16th)."""
    c, dept = hall.client, people.staff("SCJGJ")
    app = await submit_item(hall, people, FOOD)
    assert (await act(c, app, "accept", window_clerk(people))).status_code == 200
    asked = {"missing": ["经营场所平面图（修订）"]}
    assert (await act(c, app, "request-supplement", dept, asked)).status_code == 200
    at(clock, date(2026, 3, 4))
    r = await act(c, app, "receive-supplement", dept, {"materials": asked["missing"]})
    assert due(r) == end_of(date(2026, 3, 16))
    at(clock, date(2026, 3, 6))
    assert await _finish(hall, people, app) == 2


async def test_two_pauses_touching_on_one_day(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """Testing (检验检测) suspended and resumed on Wednesday 4 March, then a review 补正 the
    same Wednesday answered Friday 6th: counted are Tuesday 3rd and Monday 9th to Wednesday
    11th, 4 working days; the Wednesday is left out once, not twice."""
    c, dept = hall.client, people.staff("SCJGJ")
    app = await submit_item(hall, people, FOOD)
    assert (await act(c, app, "accept", window_clerk(people))).status_code == 200
    at(clock, date(2026, 3, 4), 9)
    assert (await act(c, app, "suspend", dept, {"kind": "testing"})).status_code == 200
    at(clock, date(2026, 3, 4), 11)
    assert (await act(c, app, "resume", dept)).status_code == 200
    at(clock, date(2026, 3, 4), 15)
    assert (await act(c, app, "request-supplement", dept, {"missing": ["检验报告"]})).is_success
    at(clock, date(2026, 3, 6))
    r = await act(c, app, "receive-supplement", dept, {"materials": ["检验报告"]})
    assert due(r) == end_of(date(2026, 3, 17))  # 1 used (Tue 3rd), 7 left from Mon 9th
    at(clock, date(2026, 3, 11))
    assert await _finish(hall, people, app) == 4
    stats = (await c.get(f"{BASE}/statistics", headers=people.bureau())).json()["overall"]
    assert stats["average_working_days"] == 4.0


async def test_the_limit_ends_at_the_decision_not_at_pick_up(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """行政许可法 art. 42 limits the time to decide; the licence then waits for the applicant to
    pick it up (art. 44 gives delivery its own ten days). Accepted Monday 2 March (8 working
    days, due Thursday 12th), approved Friday 6th, picked up Monday 23rd: 4 days used, on
    time, and the statistics say so."""
    c, clerk = hall.client, window_clerk(people)
    app = await submit_item(hall, people, FOOD)
    assert (await act(c, app, "accept", clerk)).status_code == 200
    at(clock, date(2026, 3, 6))
    approved = await act(c, app, "approve", people.staff("SCJGJ"))
    assert approved.status_code == 200, approved.text
    assert (approved.json()["working_days_used"], approved.json()["on_time"]) == (4, True)
    at(clock, date(2026, 3, 23))
    assert (await act(c, app, "deliver", clerk, {"method": "pickup"})).status_code == 200
    done = await act(c, app, "finish", clerk)
    assert done.status_code == 200, done.text
    assert (done.json()["working_days_used"], done.json()["on_time"]) == (4, True)
    overdue = await c.get(f"{BASE}/applications", params={"overdue": True}, headers=people.bureau())
    assert app["id"] not in [a["id"] for a in overdue.json()["items"]]
    stats = (await c.get(f"{BASE}/statistics", headers=people.bureau())).json()["overall"]
    assert (stats["average_working_days"], stats["on_time_rate"]) == (4.0, 1.0)
