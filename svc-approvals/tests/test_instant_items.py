"""即办件 (instant items) are decided and finished on the spot: never 受理'd into review (where
they would run with no time limit), and their record says when they really finished."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest
from ys_approvals.applications.models import Application

from .builders import BASE, People, submit_item, window_clerk
from .test_applications_clock import act, at

SOCIAL = "单位社会保险参保登记"  # 即办件 of RSJ


async def test_an_instant_item_is_not_accepted_into_review(
    hall: ServiceUnderTest, people: People
) -> None:
    """受理 into review is for a 承诺件: a 即办件 there would have no clock (never warned,
    never overdue, outside the on-time rate). It is neither offered nor allowed (409)."""
    c, clerk = hall.client, window_clerk(people)
    app = await submit_item(hall, people, SOCIAL)
    assert "accept" not in app["actions"]
    assert "finish_on_the_spot" in app["actions"]
    r = await act(c, app, "accept", clerk)
    assert r.status_code == 409, r.text
    assert r.json()["type"].endswith("/instant-item")
    shown = await c.get(f"{BASE}/applications/{app['id']}", headers=clerk)
    assert (shown.json()["status"], shown.json()["accepted_at"]) == ("received", None)


async def test_an_instant_item_finished_days_later_is_recorded_as_late(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """ "On the spot" is the county day the materials were complete. A 即办件 complete on
    Monday 2 March and finished on Friday 20 March took 14 working days and was not on time;
    the statistics count it so."""
    c, clerk = hall.client, window_clerk(people)
    app = await submit_item(hall, people, SOCIAL)
    at(clock, date(2026, 3, 20))
    r = await act(c, app, "finish-on-the-spot", clerk)
    assert r.status_code == 200, r.text
    done = r.json()
    assert (done["status"], done["working_days_used"], done["on_time"]) == ("finished", 14, False)
    stats = (await c.get(f"{BASE}/statistics", headers=people.bureau())).json()["overall"]
    assert (stats["finished"], stats["on_time_rate"]) == (1, 0.0)


async def test_an_instant_item_finished_the_same_day_is_on_time(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """Finished later the same county day (Monday 2 March, 17:00): 0 working days, on time."""
    app = await submit_item(hall, people, SOCIAL)
    at(clock, date(2026, 3, 2), 17)
    r = await act(hall.client, app, "finish-on-the-spot", window_clerk(people))
    assert (r.json()["working_days_used"], r.json()["on_time"]) == (0, True)


async def test_extending_an_application_without_a_clock_is_a_conflict(
    hall: ServiceUnderTest, people: People
) -> None:
    """An application in review with no running time limit (a 即办件 受理'd before that was
    refused) has nothing to extend: asking for or approving the statutory extension answers
    409, never a server error."""
    c = hall.client
    app = await submit_item(hall, people, SOCIAL)
    async with hall.app.state.db.write() as session:
        await session.execute(
            update(Application).where(Application.number == app["number"]).values(state="in_review")
        )
    r = await act(c, app, "extension-request", people.staff("RSJ"), {"reason": "需核查"})
    assert r.status_code == 409, r.text
    assert r.json()["type"].endswith("/no-clock")
    async with hall.app.state.db.write() as session:
        pending = {"reason": "需核查", "by": "SC5001", "at": "2026-03-02T02:00:00+00:00"}
        await session.execute(
            update(Application)
            .where(Application.number == app["number"])
            .values(extension_request=pending)
        )
    r = await act(c, app, "extension-approval", people.head("RSJ"))
    assert r.status_code == 409, r.text
    assert r.json()["type"].endswith("/no-clock")
