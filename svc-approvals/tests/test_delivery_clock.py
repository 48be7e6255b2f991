"""The delivery clock (送达时限, 行政许可法 art. 44, 82): a licence granted is delivered within ten
working days counted from the day after the decision. It starts at 准予许可, stops when the
licence is posted or handed over — or ready at the window once the applicant is told (通知领取),
the wait for them being theirs — and a 不予许可 starts none."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from yingshang.clock import FrozenClock
from yingshang.notify import Notification
from yingshang.testing.apps import ServiceUnderTest
from yingshang.time.sweeper import DeadlineSweeper

from .builders import (
    BASE,
    AnApplication,
    People,
    all_materials,
    item_named,
    outbox_events,
    submit_item,
    window_clerk,
)
from .test_applications_clock import act, at, end_of
from .test_calendar_years import YEAR_2027

FOOD = "食品经营许可"  # 承诺件 of SCJGJ, committed 8 working days
POSTED = {"method": "postal", "tracking_number": "EMS1234567890", "postal_address": "龙泉镇1号"}


def instant(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


async def approved(hall: ServiceUnderTest, people: People, **body: Any) -> dict[str, Any]:
    """A food licence submitted, 受理'd and approved now (``body``: what the submission
    changes, e.g. postal delivery)."""
    c, clerk = hall.client, window_clerk(people)
    item = await item_named(c, FOOD)
    made = AnApplication(item=item["code"], materials=all_materials(item)).build()
    r = await c.post(f"{BASE}/applications", json={**made, **body}, headers=clerk)
    assert r.status_code == 201, r.text
    app = dict(r.json())
    assert (await act(c, app, "accept", clerk)).status_code == 200
    r = await act(c, app, "approve", people.staff("SCJGJ"))
    assert r.status_code == 200, r.text
    return {**r.json(), "query_code": app["query_code"]}


async def delivery_events(hall: ServiceUnderTest, app: dict[str, Any]) -> list[tuple[str, Any]]:
    """(event, on_time) of the application's delivery-stage events, in order."""
    events = await outbox_events(hall, app["id"])
    return [
        (e["type"].rsplit(".", 1)[-1], e["data"].get("on_time"))
        for e in events
        if e["data"].get("stage") == "delivery"
    ]


async def test_approval_starts_the_clock_and_posting_stops_it_in_time(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """Approved Thursday 30 April 2026: counting from Friday, 1-5 May are the Labour Day
    holiday and Saturday 9 May a make-up working day, so the tenth working day is Monday 18
    May: due at its 24:00 Asia/Shanghai, 16:00Z. Posted that Monday at 23:00: on time."""
    at(clock, date(2026, 4, 30))
    app = await approved(hall, people)
    assert instant(app["delivery_due_at"]) == datetime(2026, 5, 18, 16, 0, tzinfo=UTC)
    assert (app["delivery_on_time"], app["on_time"], app["overdue"]) == (None, True, False)
    assert "notify_pickup" in app["actions"]
    # in the decision's transaction: the approval, the decision's clock stops, this one starts
    events = await outbox_events(hall, app["id"])
    assert [(e["type"].rsplit(".", 1)[-1], e["data"].get("stage")) for e in events][-3:] == [
        ("approved", None),
        ("stage_completed", "handling"),
        ("stage_started", "delivery"),
    ]
    assert events[-1]["data"]["due_at"] == "2026-05-18T16:00:00Z"

    at(clock, date(2026, 5, 18), 23)
    sent = await act(hall.client, app, "deliver", window_clerk(people), POSTED)
    assert sent.status_code == 200, sent.text
    assert (sent.json()["status"], sent.json()["delivery_on_time"]) == ("delivered", True)
    assert await delivery_events(hall, app) == [("stage_started", None), ("stage_completed", True)]


async def test_a_late_delivery_is_overdue_and_recorded_late(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """Approved Monday 2 March, due Monday 16th (24:00): on Tuesday 17th the sweeper reports
    the delivery stage overdue, the application is in the overdue list and counts as overdue;
    posted that day it is recorded late, and stays overdue once 办结."""
    c, bureau = hall.client, people.bureau()
    app = await approved(hall, people)
    assert instant(app["delivery_due_at"]) == end_of(date(2026, 3, 16))
    at(clock, date(2026, 3, 17))
    await DeadlineSweeper(hall.app.state.db).sweep()
    assert ("overdue", None) in await delivery_events(hall, app)
    late = (await c.get(f"{BASE}/applications", params={"overdue": "true"}, headers=bureau)).json()
    assert [a["id"] for a in late["items"]] == [app["id"]]
    stats = (await c.get(f"{BASE}/statistics", headers=bureau)).json()["overall"]
    assert (stats["overdue"], stats["delivery_on_time_rate"]) == (1, None)

    sent = await act(c, app, "deliver", window_clerk(people), POSTED)
    assert (sent.json()["delivery_on_time"], sent.json()["overdue"]) == (False, True)
    done = await act(c, app, "finish", window_clerk(people))
    assert (done.json()["on_time"], done.json()["overdue"]) == (True, True)
    stats = (await c.get(f"{BASE}/statistics", headers=bureau)).json()["overall"]
    assert (stats["on_time_rate"], stats["delivery_on_time_rate"]) == (1.0, 0.0)


async def test_a_rejection_starts_no_delivery_clock(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """不予许可: the written refusal is delivered, untimed; nothing is overdue weeks later."""
    c, clerk = hall.client, window_clerk(people)
    app = await submit_item(hall, people, FOOD)
    assert (await act(c, app, "accept", clerk)).status_code == 200
    r = await act(c, app, "reject", people.staff("SCJGJ"), {"reason": "经营场所不符合要求"})
    assert (r.json()["delivery_due_at"], r.json()["actions"]) == (None, ["deliver"])
    at(clock, date(2026, 4, 30))
    await DeadlineSweeper(hall.app.state.db).sweep()
    shown = await c.get(f"{BASE}/applications/{app['id']}", headers=clerk)
    assert shown.json()["overdue"] is False
    r = await act(c, app, "deliver", clerk, {"method": "pickup"})
    assert (r.json()["status"], r.json()["delivery_on_time"]) == ("delivered", None)
    assert await delivery_events(hall, app) == []


async def test_ready_to_collect_stops_the_clock_though_collected_later(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """Approved Monday 2 March (due 16th), ready at the window and the applicant told by SMS
    on Friday 13th: on time. Collected on Wednesday 25th, after the due day: still on time,
    never overdue; the applicant is told once, and a postal delivery is never 'ready'."""
    c, clerk = hall.client, window_clerk(people)
    app = await approved(hall, people)
    at(clock, date(2026, 3, 13))
    ready = await act(c, app, "notify-pickup", clerk)
    assert ready.status_code == 200, ready.text
    shown = ready.json()
    assert (shown["status"], shown["delivery_on_time"]) == ("approved", True)
    assert instant(shown["pickup_ready_at"]) == datetime(2026, 3, 13, 2, 0, tzinfo=UTC)
    assert "notify_pickup" not in shown["actions"]
    again = await act(c, app, "notify-pickup", clerk)
    assert again.status_code == 409
    assert again.json()["type"].endswith("/pickup-notified")
    timeline = (await c.get(f"{BASE}/applications/{app['id']}/timeline", headers=clerk)).json()
    assert [e["action"] for e in timeline][-2:] == ["notify_pickup", "stage_completed"]
    public = await c.get(
        f"{BASE}/public/applications/{app['number']}", params={"query_code": app["query_code"]}
    )
    assert public.json()["delivery_due_at"] == "2026-03-16T16:00:00Z"  # the applicant sees
    assert instant(public.json()["pickup_ready_at"]) == instant(shown["pickup_ready_at"])

    at(clock, date(2026, 3, 25))
    await DeadlineSweeper(hall.app.state.db).sweep()
    collected = await act(c, app, "deliver", clerk, {"method": "pickup"})
    assert collected.status_code == 200, collected.text
    assert (collected.json()["delivery_on_time"], collected.json()["overdue"]) == (True, False)
    assert await delivery_events(hall, app) == [("stage_started", None), ("stage_completed", True)]
    async with hall.app.state.db.read() as session:
        sms = await session.execute(
            select(Notification.template).where(Notification.template == "pickup_notice")
        )
        assert list(sms.scalars()) == ["pickup_notice"]

    by_post = await approved(hall, people, delivery_method="postal", postal_address="龙泉镇1号")
    assert "notify_pickup" not in by_post["actions"]
    refused = await act(c, by_post, "notify-pickup", clerk)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/postal-delivery")


async def test_a_delivery_policy_in_seconds(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """Drills and tests: the admin sets the delivery policy to 30 seconds; an approval is due
    30 seconds later, and a delivery a minute later is late."""
    admin = people.admin()
    rows = await hall.client.get(f"{BASE}/policies", params={"stage": "delivery"}, headers=admin)
    [policy] = [p for p in rows.json() if p["urgency"] == "normal"]
    body = {"amount": 30, "unit": "natural_seconds"}
    r = await hall.client.patch(f"{BASE}/policies/{policy['id']}", json=body, headers=admin)
    assert r.status_code == 200, r.text
    app = await approved(hall, people)
    assert instant(app["delivery_due_at"]) == instant(app["decided_at"]) + timedelta(seconds=30)
    clock.advance(timedelta(minutes=1))
    sent = await act(hall.client, app, "deliver", window_clerk(people), POSTED)
    assert sent.json()["delivery_on_time"] is False


async def test_loading_the_year_moves_the_delivery_due_date(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """Approved Monday 4 January 2027, a year without holiday data: ten working days on
    Monday-Friday end Monday 18th. The county loads 2027 with 5-7 January off: the
    application's delivery due date becomes Thursday 21st."""
    at(clock, date(2027, 1, 4))
    app = await approved(hall, people)
    assert instant(app["delivery_due_at"]) == end_of(date(2027, 1, 18))
    r = await hall.client.post(
        f"{BASE}/admin/calendar/years", json=YEAR_2027, headers=people.admin()
    )
    assert (r.status_code, r.json()["recomputed"]) == (201, 1), r.text
    shown = await hall.client.get(f"{BASE}/applications/{app['id']}", headers=people.bureau())
    assert instant(shown.json()["delivery_due_at"]) == end_of(date(2027, 1, 21))
