"""Monthly and quarterly visit frequencies are calendar months, not 30- and 90-day windows
(DOMAIN.md: "quarterly for leaders, monthly for department cadres"): a window of ``k`` months
counts from its first day and is due at 24:00 of the day before the same day ``k`` months
later — or at the end of that month when it has no such day — whatever the months' lengths:

* a pairing that covers a whole February (28 or 29 days) owes February's visit, and three
  whole months across February (89 days) owe a quarterly visit;
* a pairing that starts mid-month owes its first visit a month from its first day, nothing
  of its own for the rest of the first month;
* each visit opens the next window from the visit's day, in calendar months too.

All instants are 24:00 county time (16:00Z) of the day named.
"""

from datetime import UTC, datetime
from typing import Any

from tests.builders import BASE, People, Walk, ok
from tests.pairings.test_end_date import cadre, read, sweep, utc, visit_on
from tests.pairings.test_frequency import events_of, names
from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest


def due(pairing: dict[str, Any]) -> datetime | None:
    return utc(pairing["visit_due_at"]) if pairing["visit_due_at"] else None


def leader(name: str, **overrides: Any) -> dict[str, Any]:
    """Another county leader's pairing (quarterly), named so as not to repeat a pairing."""
    return {"leader_name": name, "leader_staff_no": None, **overrides}


async def test_a_monthly_pairing_for_a_whole_february_owes_februarys_visit(
    visits: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    """A cadre paired from 1 to 28 February 2027 (28 days, shorter than 30) owes a visit by
    24:00 of 28 February, as the statistics plan it; with no visit it warns, goes overdue at
    the end and L1 is told — L2 (1 March) would come after the end and never fires. A pairing
    for February 2028 owes its visit by 24:00 of the leap day."""
    february = await walk.pairing(**cadre(starts_on="2027-02-01", ends_on="2027-02-28"))
    leap = await walk.pairing(**cadre(leader_name="李娜", starts_on="2028-02-01",
                                      ends_on="2028-02-29"))  # fmt: skip
    assert due(february) == datetime(2027, 2, 28, 16, tzinfo=UTC)
    assert due(leap) == datetime(2028, 2, 29, 16, tzinfo=UTC)
    report = await ok(await visits.client.get(
        f"{BASE}/stats", params={"date_from": "2027-02-01", "date_to": "2027-02-28"},
        headers=people.bureau,
    ))  # fmt: skip
    assert {x["leader_name"]: x["planned_visits"] for x in report["leaders"]} == {"彭勇": 1}
    days = ((2, 25), (3, 1), (3, 20))  # before the due, after the end, after L2 and L3 were due
    await sweep(visits, clock, *(datetime(2027, m, d, 2, tzinfo=UTC) for m, d in days))
    events = await events_of(visits, f"pairing/{february['id']}")
    assert names(events) == ["created", "stage_started", "warning", "overdue", "escalated"]
    assert events[-1]["data"]["level"] == 1
    assert (await read(visits, people, february))["overdue"] is False


async def test_a_quarterly_window_is_three_calendar_months_across_february(
    walk: Walk,
) -> None:
    """A county leader paired from 1 February to 30 April 2027 (89 days, shorter than 90) owes
    a visit by 24:00 of 30 April; one paired for the first quarter by 24:00 of 31 March; a
    quarter from 30 November 2027 ends with February 2028, on the leap day."""
    across = await walk.pairing(**leader("张华", starts_on="2027-02-01", ends_on="2027-04-30"))
    first = await walk.pairing(**leader("刘强", starts_on="2027-01-01", ends_on="2027-03-31"))
    leap = await walk.pairing(**leader("陈敏", starts_on="2027-11-30"))
    assert due(across) == datetime(2027, 4, 30, 16, tzinfo=UTC)
    assert due(first) == datetime(2027, 3, 31, 16, tzinfo=UTC)
    assert due(leap) == datetime(2028, 2, 29, 16, tzinfo=UTC)


async def test_a_pairing_from_mid_month_owes_a_month_from_its_first_day(walk: Walk) -> None:
    """From 15 April 2026 the first visit is due by 24:00 of 14 May (not a 30-day window, to
    15 May); from 15 February to 14 March 2027 (28 days) the pairing holds a whole month and
    owes it by 14 March; from 15 March to 13 April 2026 (30 days) it does not (a month from
    15 March runs to 14 April) and owes no visit."""
    april = await walk.pairing(**cadre(starts_on="2026-04-15"))
    february = await walk.pairing(**cadre(leader_name="李娜", starts_on="2027-02-15",
                                          ends_on="2027-03-14"))  # fmt: skip
    short = await walk.pairing(**cadre(leader_name="赵敏", starts_on="2026-03-15",
                                       ends_on="2026-04-13"))  # fmt: skip
    assert due(april) == datetime(2026, 5, 14, 16, tzinfo=UTC)
    assert due(february) == datetime(2027, 3, 14, 16, tzinfo=UTC)
    assert due(short) is None


async def test_each_visit_opens_a_calendar_month_from_its_day(
    visits: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    """A cadre visits on 31 January 2027: the next visit is due by 24:00 of 28 February (the
    month has no 31st); visiting on 28 February, the next by 24:00 of 27 March."""
    pairing = await walk.pairing(**cadre(starts_on="2027-01-04"))
    assert due(pairing) == datetime(2027, 2, 3, 16, tzinfo=UTC)
    for day, next_due in (("2027-01-31", datetime(2027, 2, 28, 16, tzinfo=UTC)),
                          ("2027-02-28", datetime(2027, 3, 27, 16, tzinfo=UTC))):  # fmt: skip
        clock.set(datetime.fromisoformat(f"{day}T04:00:00+00:00"))  # noon in the county
        await ok(await visits.client.post(f"{BASE}/visits", json=visit_on(pairing, day),
                                          headers=people.center), 201)  # fmt: skip
        view = await read(visits, people, pairing)
        assert (due(view), view["overdue"]) == (next_due, False), day
