"""Appointments (预约): slots from window schedules (七天工作制, 延时服务), capacity never
exceeded, booking / cancel / no-show; door-to-door requests (上门服务) assigned to staff."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, People
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
    full = await c.post(f"{BASE}/appointments", json=booking(TUESDAY), headers=clerk)
    assert full.status_code == 409
    assert full.json()["type"].endswith("/slot-full")
    nothing = await c.post(f"{BASE}/appointments", json=booking(TUESDAY, "11:00"), headers=clerk)
    assert (nothing.status_code, nothing.json()["field"]) == (422, "start")

    cancel = await c.post(f"{BASE}/appointments/{first.json()['id']}/cancel", headers=clerk)
    assert cancel.json()["status"] == "cancelled"
    assert (await slots(c, W01, TUESDAY))[0]["remaining"] == 1
    again = await c.post(f"{BASE}/appointments/{first.json()['id']}/cancel", headers=clerk)
    assert again.status_code == 409

    second = (await c.post(f"{BASE}/appointments", json=booking(TUESDAY), headers=clerk)).json()
    early = await c.post(f"{BASE}/appointments/{second['id']}/no_show", headers=clerk)
    assert early.status_code == 409  # not before the day
    at(clock, TUESDAY, 11)
    missed = await c.post(f"{BASE}/appointments/{second['id']}/no_show", headers=clerk)
    assert missed.json()["status"] == "no_show"
    late = await c.post(f"{BASE}/appointments/{second['id']}/attend", headers=clerk)
    assert late.status_code == 409
    day = await c.get(
        f"{BASE}/appointments",
        params={"hall_code": "HALL_COUNTY", "day": TUESDAY.isoformat()},
        headers=clerk,
    )
    assert sorted(a["status"] for a in day.json()) == ["cancelled", "no_show"]
    gone = await c.post(f"{BASE}/appointments", json=booking(TUESDAY, "09:30"), headers=clerk)
    assert (gone.status_code, gone.json()["field"]) == (422, "start")  # already begun
    past = await c.post(f"{BASE}/appointments", json=booking(date(2026, 3, 2)), headers=clerk)
    assert (past.status_code, past.json()["field"]) == (422, "day")


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
    done = await c.post(f"{BASE}/appointments/{ref}/cancel", headers=people.province())
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
    url = f"{BASE}/door-to-door/{visit['id']}"
    who = {"staff_no": "ZW2002", "name": "吴倩"}
    assert (await c.post(f"{url}/assign", json=who, headers=people.clerk())).status_code == 403
    assert (
        await c.post(f"{url}/complete", json={"outcome": "已办"}, headers=people.clerk())
    ).status_code == 409
    assigned = await c.post(f"{url}/assign", json=who, headers=people.hall_head())
    assert assigned.json()["status"] == "assigned"
    assert assigned.json()["assigned_staff_no"] == "ZW2002"
    queue = await c.get(
        f"{BASE}/door-to-door", params={"status": "assigned"}, headers=people.clerk()
    )
    assert [v["id"] for v in queue.json()] == [visit["id"]]
    done = await c.post(
        f"{url}/complete", json={"outcome": "上门受理并办结"}, headers=people.clerk()
    )
    assert (done.json()["status"], done.json()["outcome"]) == ("done", "上门受理并办结")
    assert (await c.post(f"{url}/cancel", headers=people.clerk())).status_code == 409
    stranger = people.issuer.headers(("ZJJ", "staff"), staff_no="ZJ5101")
    assert (await c.get(f"{BASE}/door-to-door", headers=stranger)).status_code == 403
