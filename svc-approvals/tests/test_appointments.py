"""Appointments (预约): slots from window schedules (七天工作制, 延时服务), capacity never
exceeded, booking / cancel / no-show; door-to-door requests (上门服务) assigned to staff. Each
step is a case-kit transition: If-Match, a timeline entry and its event."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx
from sqlalchemy import select

from yingshang.cases.timeline import TimelineEntry
from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.sealed import assert_sealed, stored
from yingshang.testing.timelines import unlabelled_steps
from ys_approvals.appointments import machine

from .builders import BASE, People, outbox_events
from .test_applications_clock import at

TUESDAY, SATURDAY = date(2026, 3, 3), date(2026, 3, 7)
W01 = f"{BASE}/halls/HALL_COUNTY/windows/W01"


def booking(day: date, start: str = "09:00", **kw: Any) -> dict[str, Any]:
    return {
        "hall_code": "HALL_COUNTY",
        "window_code": "W01",
        "day": day.isoformat(),
        "start": start,
        "applicant_name": "李四",
        "applicant_phone": "13912345678",
        **kw,
    }


async def act(
    c: httpx.AsyncClient,
    path: str,
    action: str,
    headers: dict[str, str],
    body: dict[str, Any] | None = None,
) -> httpx.Response:
    """POST ``action`` on the booking or request at ``path`` with the ETag a read gives now."""
    read = await c.get(path, headers=headers)
    tag = read.headers.get("ETag", '"unreadable"')
    return await c.post(f"{path}/{action}", json=body, headers={**headers, "If-Match": tag})


async def slots(c: httpx.AsyncClient, window: str, day: date) -> list[dict[str, Any]]:
    r = await c.get(f"{window}/slots", params={"day": day.isoformat()})
    assert r.status_code == 200, r.text
    return list(r.json())


async def test_slots_follow_the_schedule(hall: ServiceUnderTest) -> None:
    c = hall.client
    weekday = await slots(c, W01, TUESDAY)
    assert [s["start"] for s in weekday if s["extended"]] == ["17:30", "18:00", "18:30"]
    assert all(s["remaining"] == s["capacity"] for s in weekday)
    saturday = await slots(c, W01, SATURDAY)  # the county hall works seven days
    assert saturday[0]["start"] == "09:00"
    assert not any(s["extended"] for s in saturday)
    town = await slots(c, f"{BASE}/halls/HALL_LONGQUAN/windows/W01", SATURDAY)
    assert town == []


async def test_capacity_cancel_and_no_show(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    c = hall.client
    one_seat = {"rows": [{"weekday": 1, "start": "09:00", "end": "10:00", "capacity": 1}]}
    refused = await c.put(f"{W01}/schedule", json=one_seat, headers=people.clerk())
    assert refused.status_code == 403
    r = await c.put(f"{W01}/schedule", json=one_seat, headers=people.hall_head())
    assert r.status_code == 200, r.text
    assert [(s["start"], s["remaining"]) for s in await slots(c, W01, TUESDAY)] == [
        ("09:00", 1),
        ("09:30", 1),
    ]

    clerk = people.clerk()
    first = await c.post(f"{BASE}/appointments", json=booking(TUESDAY), headers=clerk)
    assert first.status_code == 201, first.text
    assert first.json()["applicant_phone"] == "139****5678"
    assert_sealed(await stored(hall.database_url, "appointments", "applicant_phone"),
                  "13912345678")  # fmt: skip
    full = await c.post(f"{BASE}/appointments", json=booking(TUESDAY), headers=clerk)
    assert full.status_code == 409
    assert full.json()["type"].endswith("/slot-full")
    nothing = await c.post(f"{BASE}/appointments", json=booking(TUESDAY, "11:00"), headers=clerk)
    assert (nothing.status_code, nothing.json()["field"]) == (422, "start")

    cancel = await act(c, f"{BASE}/appointments/{first.json()['id']}", "cancel", clerk)
    assert cancel.json()["status"] == "cancelled"
    assert (await slots(c, W01, TUESDAY))[0]["remaining"] == 1
    again = await act(c, f"{BASE}/appointments/{first.json()['id']}", "cancel", clerk)
    assert again.status_code == 409

    second = (await c.post(f"{BASE}/appointments", json=booking(TUESDAY), headers=clerk)).json()
    early = await act(c, f"{BASE}/appointments/{second['id']}", "no_show", clerk)
    assert early.status_code == 409  # not before the day
    at(clock, TUESDAY, 11)
    missed = await act(c, f"{BASE}/appointments/{second['id']}", "no_show", clerk)
    assert missed.json()["status"] == "no_show"
    late = await act(c, f"{BASE}/appointments/{second['id']}", "attend", clerk)
    assert late.status_code == 409
    day = await c.get(
        f"{BASE}/appointments",
        params={"hall_code": "HALL_COUNTY", "day": TUESDAY.isoformat()},
        headers=clerk,
    )
    assert sorted(a["status"] for a in day.json()) == ["cancelled", "no_show"]
    gone = await c.post(f"{BASE}/appointments", json=booking(TUESDAY, "09:30"), headers=clerk)
    assert (gone.status_code, gone.json()["field"]) == (422, "start")  # already begun
    assert gone.json()["detail"] == "该时段已经开始，请选择之后的时段"  # in Chinese: staff read it
    past = await c.post(f"{BASE}/appointments", json=booking(date(2026, 3, 2)), headers=clerk)
    assert (past.status_code, past.json()["field"]) == (422, "day")
    assert past.json()["detail"] == "不能预约已经过去的日期"


async def test_weekend_booking_by_the_platform(hall: ServiceUnderTest, people: People) -> None:
    c = hall.client
    province = {**people.province(), "Idempotency-Key": "weekend-0001"}
    r = await c.post(f"{BASE}/appointments", json=booking(SATURDAY, "13:30"), headers=province)
    assert r.status_code == 201, r.text
    ref = r.json()["id"]
    other = people.issuer.headers(scopes=["approvals:write"], client_id="another")
    assert (await c.post(f"{BASE}/appointments/{ref}/cancel", headers=other)).status_code == 404
    attend = await c.post(f"{BASE}/appointments/{ref}/attend", headers=people.province())
    assert attend.status_code == 404  # a client only cancels
    town_clerk = people.issuer.headers(("LONGQUAN", "clerk"), staff_no="LQ1001")
    listed = await c.get(
        f"{BASE}/appointments",
        params={"hall_code": "HALL_COUNTY", "day": SATURDAY.isoformat()},
        headers=town_clerk,
    )
    assert listed.status_code == 404
    done = await act(c, f"{BASE}/appointments/{ref}", "cancel", people.province())
    assert done.json()["status"] == "cancelled"


async def test_door_to_door_is_assigned_and_done(hall: ServiceUnderTest, people: People) -> None:
    c = hall.client
    body = {
        "applicant_name": "王奶奶",
        "applicant_phone": "13712345678",
        "address": "凤冈县龙泉镇新街1号",
        "wanted_day": TUESDAY.isoformat(),
        "reason": "行动不便，办理养老保险参保",
    }
    r = await c.post(f"{BASE}/door-to-door", json=body, headers=people.clerk())
    assert r.status_code == 201, r.text
    visit = r.json()
    assert (visit["status"], visit["applicant_phone"]) == ("requested", "137****5678")
    assert_sealed(await stored(hall.database_url, "door_to_door_requests", "applicant_phone"),
                  "13712345678")  # fmt: skip
    url = f"{BASE}/door-to-door/{visit['id']}"
    who = {"staff_no": "ZW2002", "name": "吴倩"}
    assert (await c.post(f"{url}/assign", json=who, headers=people.clerk())).status_code == 403
    early = await act(c, url, "complete", people.clerk(), {"outcome": "已办"})
    assert early.status_code == 409
    assigned = await act(c, url, "assign", people.hall_head(), who)
    assert assigned.json()["status"] == "assigned"
    assert assigned.json()["assigned_staff_no"] == "ZW2002"
    queue = await c.get(
        f"{BASE}/door-to-door", params={"status": "assigned"}, headers=people.clerk()
    )
    assert [v["id"] for v in queue.json()] == [visit["id"]]
    done = await act(c, url, "complete", people.clerk(), {"outcome": "上门受理并办结"})
    assert (done.json()["status"], done.json()["outcome"]) == ("done", "上门受理并办结")
    assert (await act(c, url, "cancel", people.clerk())).status_code == 409
    stranger = people.issuer.headers(("ZJJ", "staff"), staff_no="ZJ5101")
    assert (await c.get(f"{BASE}/door-to-door", headers=stranger)).status_code == 403


VISIT = {
    "applicant_name": "王奶奶",
    "applicant_phone": "13712345678",
    "address": "凤冈县龙泉镇新街1号",
    "wanted_day": TUESDAY.isoformat(),
    "reason": "行动不便，办理养老保险参保",
}


def test_every_step_of_a_booking_and_a_visit_has_its_event_and_label() -> None:
    for kind, steps in (
        (machine.APPOINTMENT_MACHINE, machine.APPOINTMENT_STEPS),
        (machine.DOOR_TO_DOOR_MACHINE, machine.VISIT_STEPS),
    ):
        assert [t.name for t in kind.transitions if t.event is None] == []
        labels = kind.timeline_labels(steps)
        assert unlabelled_steps(kind, steps, labels, clocked=False) == []


async def steps_of(sut: ServiceUnderTest, case_id: str) -> list[tuple[str, str | None]]:
    """(timeline action, type of the event it names) of one booking or request."""
    events = {e["id"]: e["type"] for e in await outbox_events(sut, case_id)}
    async with sut.app.state.db.read() as session:
        rows = await session.execute(
            select(TimelineEntry.action, TimelineEntry.event_id)
            .where(TimelineEntry.case_id == uuid.UUID(case_id))
            .order_by(TimelineEntry.at, TimelineEntry.id)
        )
        return [(action, events.get(event_id or "")) for action, event_id in rows]


async def test_each_step_writes_its_timeline_entry_and_event(
    hall: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    """预约 and 上门服务 on the case kit: the booking, each step and its event — with the
    platform's id (its webhook) and never the applicant's name, phone or address."""
    c, clerk = hall.client, people.clerk()
    province = {**people.province(), "Idempotency-Key": "booking-events-1"}
    booked = await c.post(f"{BASE}/appointments", json=booking(TUESDAY), headers=province)
    cancelled = await act(c, f"{BASE}/appointments/{booked.json()['id']}", "cancel", clerk)
    assert cancelled.status_code == 200, cancelled.text
    again = (await c.post(f"{BASE}/appointments", json=booking(TUESDAY), headers=clerk)).json()
    at(clock, TUESDAY, 9)
    await act(c, f"{BASE}/appointments/{again['id']}", "attend", clerk)
    ref = booked.json()["id"]
    assert await steps_of(hall, ref) == [
        ("book", "ys.approvals.appointment.booked"),
        ("cancel", "ys.approvals.appointment.cancelled"),
    ]
    assert (await steps_of(hall, again["id"]))[-1] == (
        "attend",
        "ys.approvals.appointment.attended",
    )
    published = await outbox_events(hall, ref)
    assert {(e["data"]["origin_client"], e["data"]["department"]) for e in published} == {
        ("province", "HALL")
    }
    assert published[-1]["data"]["to_state"] == "cancelled"

    visit = (await c.post(f"{BASE}/door-to-door", json=VISIT, headers=clerk)).json()
    url = f"{BASE}/door-to-door/{visit['id']}"
    await act(c, url, "assign", people.hall_head(), {"staff_no": "ZW2002", "name": "吴倩"})
    done = await act(c, url, "complete", clerk, {"outcome": "上门受理并办结"})
    assert done.json()["status"] == "done"
    assert await steps_of(hall, visit["id"]) == [
        ("request", "ys.approvals.door_to_door.requested"),
        ("assign", "ys.approvals.door_to_door.assigned"),
        ("complete", "ys.approvals.door_to_door.visited"),
    ]
    sent = await outbox_events(hall, visit["id"])
    assert sent[1]["data"]["assigned_staff_no"] == "ZW2002"
    text = str(published + sent)
    for private in ("李四", "****5678", "12345678", "王奶奶", "新街", "上门受理并办结"):
        assert private not in text


async def test_steps_need_the_etag_they_read(hall: ServiceUnderTest, people: People) -> None:
    """If-Match on every step (428 missing, 412 stale), and nothing changes without it."""
    c, clerk = hall.client, people.clerk()
    booked = (await c.post(f"{BASE}/appointments", json=booking(TUESDAY), headers=clerk)).json()
    visit = (await c.post(f"{BASE}/door-to-door", json=VISIT, headers=clerk)).json()
    for path, action, headers in (
        (f"{BASE}/appointments/{booked['id']}", "cancel", clerk),
        (f"{BASE}/door-to-door/{visit['id']}", "cancel", clerk),
    ):
        missing = await c.post(f"{path}/{action}", headers=headers)
        assert (missing.status_code, missing.json()["type"].rsplit("/", 1)[1]) == (
            428,
            "if-match-required",
        )
        read = await c.get(path, headers=headers)
        stale = read.headers["ETag"].replace('-1"', '-0"')
        refused = await c.post(f"{path}/{action}", headers={**headers, "If-Match": stale})
        assert refused.status_code == 412
        assert (await c.get(path, headers=headers)).json()["status"] in ("booked", "requested")
        done = await c.post(
            f"{path}/{action}", headers={**headers, "If-Match": read.headers["ETag"]}
        )
        assert (done.status_code, done.json()["status"]) == (200, "cancelled")
        assert done.headers["ETag"] != read.headers["ETag"]
