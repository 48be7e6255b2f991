"""绿色通道 under its own policy, and the deadline engine driving warning / overdue /
escalation of an application (the kit's sweeper, run by hand at injected times)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest
from yingshang.time.sweeper import DeadlineSweeper

from .builders import BASE, AnApplication, People, all_materials, item_named, outbox_events
from .test_applications_clock import act, at, end_of

CLERK_NO = "ZW2009"


async def submit(hall: ServiceUnderTest, people: People, **kw: Any) -> dict[str, Any]:
    item = await item_named(hall.client, "食品经营许可")
    body = AnApplication(item=item["code"], materials=all_materials(item)).build()
    clerk = people.issuer.headers(("HALL", "staff"), staff_no=CLERK_NO)
    r = await hall.client.post(f"{BASE}/applications", json={**body, **kw}, headers=clerk)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_green_channel_has_its_own_limit(hall: ServiceUnderTest, people: People) -> None:
    c = hall.client
    normal = await submit(hall, people)
    green = await submit(hall, people, green_channel=True)
    # Complete on Monday 2 March: committed 8 wd -> Thu 12th; the green policy's 3 wd -> Thu 5th.
    assert due_of(normal) == end_of(date(2026, 3, 12))
    assert due_of(green) == end_of(date(2026, 3, 5))
    queue = await c.get(
        f"{BASE}/applications", params={"green_channel": "true"}, headers=people.bureau()
    )
    assert [a["id"] for a in queue.json()["items"]] == [green["id"]]

    # The admin shortens the green policy: new green applications follow it.
    policies = (
        await c.get(f"{BASE}/policies", params={"stage": "handling"}, headers=people.admin())
    ).json()
    [policy] = [p for p in policies if p["urgency"] == "green"]
    r = await c.patch(f"{BASE}/policies/{policy['id']}", json={"amount": 2}, headers=people.admin())
    assert r.status_code == 200, r.text
    faster = await submit(hall, people, green_channel=True)
    assert due_of(faster) == end_of(date(2026, 3, 4))

    body = AnApplication(item=normal["item_code"], channel="online").build()
    province = {**people.province(), "Idempotency-Key": "green-0001"}
    flagged = await c.post(
        f"{BASE}/applications", json={**body, "green_channel": True}, headers=province
    )
    assert (flagged.status_code, flagged.json()["field"]) == (422, "green_channel")


def due_of(app: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(app["due_at"])


async def test_deadline_warning_overdue_and_escalation(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    c = hall.client
    app = await submit(hall, people)  # due Thursday 12 March, 24:00
    sweeper = DeadlineSweeper(hall.app.state.db)
    # Warning at 75% (6 of 8 wd); overdue + L1 (the head) at due; L2 (bureau) a day later.
    for day in (date(2026, 3, 9), date(2026, 3, 11), date(2026, 3, 13), date(2026, 3, 17)):
        at(clock, day)
        await sweeper.sweep()
        await sweeper.sweep()  # a second sweep at the same instant fires nothing again
    kinds = [e["type"].rsplit(".", 1)[-1] for e in await outbox_events(hall, app["id"])]
    assert kinds.count("warning") == 1
    assert kinds.count("overdue") == 1
    escalated = await outbox_events(hall, app["id"], "escalated")
    assert [(e["data"]["level"], e["data"]["target"]) for e in escalated] == [
        (1, "responsible_head"),
        (2, "bureau"),
    ]
    assert {e["data"]["department"] for e in escalated} == {"SCJGJ"}
    timeline = (
        await c.get(f"{BASE}/applications/{app['id']}/timeline", headers=people.bureau())
    ).json()
    assert [e["action"] for e in timeline].count("deadline_warning") == 1

    late = await c.get(
        f"{BASE}/applications", params={"overdue": "true"}, headers=people.staff("SCJGJ")
    )
    assert [a["id"] for a in late.json()["items"]] == [app["id"]]
    assert late.json()["items"][0]["overdue"] is True
    stats = (await c.get(f"{BASE}/statistics", headers=people.bureau())).json()["overall"]
    assert (stats["in_progress"], stats["overdue"]) == (1, 1)


async def test_a_paused_clock_is_not_overdue(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    c = hall.client
    dept = people.staff("SCJGJ")
    clerk = people.issuer.headers(("HALL", "staff"), staff_no=CLERK_NO)
    waiting = await submit(hall, people)  # due Thursday 12 March
    late = await submit(hall, people)
    for app in (waiting, late):
        assert (await act(c, app, "accept", clerk)).status_code == 200
    at(clock, date(2026, 3, 4))
    asked = await act(c, waiting, "request-supplement", dept, {"missing": ["检验报告"]})
    assert asked.json()["status"] == "review_supplement"
    at(clock, date(2026, 3, 16))  # past the due day: one paused in time, one not
    paused_late = await act(c, late, "suspend", dept, {"kind": "testing"})
    assert paused_late.json()["overdue"] is True  # it was already late when it stopped

    at(clock, date(2026, 4, 1))
    shown = await c.get(f"{BASE}/applications/{waiting['id']}", headers=dept)
    assert shown.json()["overdue"] is False
    listed = await c.get(f"{BASE}/applications", params={"overdue": "true"}, headers=dept)
    assert [a["id"] for a in listed.json()["items"]] == [late["id"]]
    stats = (await c.get(f"{BASE}/statistics", headers=people.bureau())).json()["overall"]
    assert (stats["in_progress"], stats["overdue"]) == (2, 1)
    # Back on Wednesday 1 April: the days left resume the next working day.
    back = await act(c, waiting, "receive-supplement", dept, {"materials": ["检验报告"]})
    assert back.json()["overdue"] is False
    assert due_of(back.json()) > end_of(date(2026, 4, 1))
