"""Visits per leader against the plan their pairings make (issue #10 statistics; DOMAIN.md:
visit frequency "quarterly for leaders, monthly for department cadres").

* A monthly or quarterly frequency is planned in calendar months and quarters: a pairing
  active for a whole calendar month (monthly) or a whole calendar quarter (quarterly) owes
  exactly one visit in it, whether the month has 28 or 31 days or the quarter 90 to 92; plans
  of adjacent periods add up to the plan of the whole.
* A pairing that ends owes no visit for a last window that does not fit before its end (the
  visit clock does not open it either).
* Completion counts each pairing's visits up to its own plan: extra visits to one enterprise
  do not make up for a missed visit to another.
* Completion is of the visits due by now: a window still running is not yet due (unless
  visited), so a pairing made today is not behind.
"""

from datetime import UTC, datetime
from typing import Any

from tests.builders import BASE, AnEnterprise, People, Walk, ok
from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest


async def leaders(sut: ServiceUnderTest, people: People, start: str, end: str) -> dict[str, Any]:
    report = await ok(await sut.client.get(
        f"{BASE}/stats", params={"date_from": start, "date_to": end}, headers=people.bureau
    ))  # fmt: skip
    return {x["leader_name"]: x for x in report["leaders"]}


async def plans(
    sut: ServiceUnderTest, people: People, name: str, *periods: tuple[str, str]
) -> list[int]:
    found = [await leaders(sut, people, start, end) for start, end in periods]
    return [x[name]["planned_visits"] if name in x else 0 for x in found]


CADRE = {"leader_name": "彭勇", "leader_staff_no": "FG5200", "leader_rank": "department_cadre"}


async def test_a_whole_calendar_quarter_or_month_plans_one_visit(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """A county leader paired from 1 April owes one visit in Q2 (91 days) and in Q3 (92 days),
    three in 2026; a cadre paired from 1 May owes one in May (31 days), one in June (30 days),
    eight in 2026. Monthly reports of the leader add up to the quarter's plan."""
    await walk.pairing(starts_on="2026-04-01")  # 王志明, county leader: quarterly
    await walk.pairing(starts_on="2026-05-01", **CADRE)  # monthly
    q2, q3 = ("2026-04-01", "2026-06-30"), ("2026-07-01", "2026-09-30")
    may, june, year = ("2026-05-01", "2026-05-31"), ("2026-06-01", "2026-06-30"), (
        "2026-01-01", "2026-12-31")  # fmt: skip
    assert await plans(visits, people, "王志明", q2, q3, year) == [1, 1, 3]
    assert await plans(visits, people, "彭勇", may, june, year) == [1, 1, 8]
    april = ("2026-04-01", "2026-04-30")
    assert await plans(visits, people, "王志明", april, may, june) == [1, 0, 0]


async def test_a_pairing_ending_before_its_window_is_over_owes_no_visit_for_it(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """A cadre paired from 2 to 20 March owes no visit in March (the window does not fit); a
    cadre paired for all of April owes April's visit; a county leader paired from 1 January to
    15 May owes Q1's visit only."""
    await walk.pairing(ends_on="2026-03-20", **CADRE)
    await walk.pairing(starts_on="2026-04-01", ends_on="2026-04-30", leader_name="李娜",
                       leader_staff_no="FG5201", leader_rank="department_cadre")  # fmt: skip
    await walk.pairing(starts_on="2026-01-01", ends_on="2026-05-15")  # 王志明
    march, april = ("2026-03-01", "2026-03-31"), ("2026-04-01", "2026-04-30")
    assert await plans(visits, people, "彭勇", march) == [0]
    assert await plans(visits, people, "李娜", april) == [1]
    first_half = ("2026-01-01", "2026-06-30")
    assert await plans(visits, people, "王志明", first_half) == [1]


async def test_extra_visits_to_one_enterprise_do_not_cover_another(
    visits: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    """A county leader paired with two enterprises for Q1 who visits the first twice and never
    the second made two visits of a plan of two, and met half of it."""
    first = await walk.pairing(starts_on="2026-01-01")
    other = await walk.enterprise(
        AnEnterprise(name="凤冈县锌硒农业公司", uscc="91520327MA6F2K8L34")
    )
    await walk.pairing(enterprise_id=other["id"], starts_on="2026-01-01")
    for day in ("2026-02-10", "2026-03-02"):
        body = {"pairing_id": first["id"], "visited_on": day, "participants": [{"name": "王志明"}],
                "summary": "走访调研"}  # fmt: skip
        await ok(await visits.client.post(f"{BASE}/visits", json=body, headers=people.center), 201)
    clock.set(datetime(2026, 4, 1, 2, tzinfo=UTC))  # Q1 is over: both visits are due
    q1 = (await leaders(visits, people, "2026-01-01", "2026-03-31"))["王志明"]
    assert (q1["planned_visits"], q1["visits"], q1["completion_rate"]) == (2, 2, 0.5), q1


async def test_a_pairing_is_behind_only_once_its_first_visit_is_due(
    visits: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    """Two cadres (monthly) paired today, 2 March: March plans a visit for each, none due yet
    (the first window runs to 1 April), so neither is behind. One visits today: that visit
    is due and met. On 2 April the other's window is over without a visit: behind."""
    first = await walk.pairing(starts_on="2026-03-02", **CADRE)
    await walk.pairing(starts_on="2026-03-02", leader_name="李娜", leader_staff_no="FG5201",
                       leader_rank="department_cadre")  # fmt: skip
    march = ("2026-03-01", "2026-03-31")

    async def figures() -> dict[str, tuple[Any, ...]]:
        found = await leaders(visits, people, *march)
        keys = ("planned_visits", "due_visits", "visits", "completion_rate")
        return {name: tuple(found[name][k] for k in keys) for name in ("彭勇", "李娜")}

    assert await figures() == {"彭勇": (1, 0, 0, None), "李娜": (1, 0, 0, None)}
    body = {"pairing_id": first["id"], "visited_on": "2026-03-02",
            "participants": [{"name": "彭勇"}], "summary": "走访调研"}  # fmt: skip
    await ok(await visits.client.post(f"{BASE}/visits", json=body, headers=people.center), 201)
    assert await figures() == {"彭勇": (1, 1, 1, 1.0), "李娜": (1, 0, 0, None)}
    clock.set(datetime(2026, 4, 2, 2, tzinfo=UTC))  # 10:00 on 2 April: March's windows are over
    assert await figures() == {"彭勇": (1, 1, 1, 1.0), "李娜": (1, 1, 0, 0.0)}
