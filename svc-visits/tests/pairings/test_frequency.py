"""Pairings (挂帮): the visit frequency is a deadline stage on the foundation's engine. With a
1-minute policy and no visit, the sweeper emits one ``overdue`` and one escalation (L1 to the
responsible department's head); a visit closes the window and opens the next."""

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from tests.builders import BASE, TODAY, AnEnterprise, People, Walk, etag, ok
from yingshang.clock import FrozenClock
from yingshang.events.outbox import OutboxEvent
from yingshang.testing.apps import ServiceUnderTest
from yingshang.time.sweeper import DeadlineSweeper


async def events_of(sut: ServiceUnderTest, key: str) -> list[dict[str, Any]]:
    async with sut.app.state.db.read() as session:
        rows = await session.scalars(
            select(OutboxEvent.payload).where(OutboxEvent.case_key == key).order_by(OutboxEvent.seq)
        )
        return [dict(r) for r in rows]


def names(events: list[dict[str, Any]]) -> list[str]:
    return [e["type"].rsplit(".", 1)[1] for e in events]


async def set_policy(sut: ServiceUnderTest, people: People, key: str, **terms: Any) -> None:
    """Edit a visit-frequency policy through the admin API (as an admin would)."""
    rows = await ok(await sut.client.get(
        f"{BASE}/policies", params={"case_kind": "pairing"}, headers=people.admin()
    ))  # fmt: skip
    policy = next(p for p in rows if p["urgency"] == key)
    await ok(await sut.client.patch(f"{BASE}/policies/{policy['id']}", json=terms,
                                    headers=people.admin()))  # fmt: skip


async def sweep_at(sut: ServiceUnderTest, clock: FrozenClock, *offsets: timedelta) -> None:
    sweeper = DeadlineSweeper(sut.app.state.db)
    start = clock.now()
    for offset in offsets:
        clock.set(start + offset)
        await sweeper.sweep()
        await sweeper.sweep()  # a second sweep at the same instant fires nothing again


async def test_one_minute_policy_and_no_visit_overdue_and_escalated_once(
    visits: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    await set_policy(visits, people, "leader", amount=1, unit="natural_minutes")
    pairing = await walk.pairing()
    assert pairing["frequency"] == {"policy_key": "leader", "amount": 1,
                                    "unit": "natural_minutes"}  # fmt: skip
    minutes = [timedelta(seconds=s) for s in (30, 50, 61, 90, 300, 1800)]
    await sweep_at(visits, clock, *minutes)
    events = await events_of(visits, f"pairing/{pairing['id']}")
    assert names(events) == ["created", "stage_started", "warning", "overdue", "escalated"]
    overdue, escalated = events[3]["data"], events[4]["data"]
    assert (overdue["level"], overdue["department"], overdue["stage"]) == (1, "FGJ", "visit")
    assert (escalated["level"], escalated["target"]) == (1, "responsible_head")
    assert escalated["stage_id"] == overdue["stage_id"]
    view = await ok(await visits.client.get(f"{BASE}/assignments/{pairing['id']}",
                                            headers=people.center))  # fmt: skip
    assert (view["overdue"], view["escalation_level"]) == (True, 1)
    late = await ok(await visits.client.get(f"{BASE}/assignments", params={"overdue": "true"},
                                            headers=people.staff("FGJ")))  # fmt: skip
    assert [p["id"] for p in late["items"]] == [pairing["id"]]


async def test_a_visit_closes_the_window_and_opens_the_next(
    visits: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    pairing = await walk.pairing()
    first_due = pairing["visit_due_at"]
    clock.advance(timedelta(days=10))
    body = {
        "pairing_id": pairing["id"], "visited_on": "2026-03-12", "channel": "on_site",
        "participants": [{"name": "王志明", "title": "副县长"}],
        "summary": "调研企业生产经营情况，了解扩产用电需求。",
        "problems": [{"title": "用电增容审批慢", "description": "增容申请两个月未批复。",
                      "category": "infrastructure"}],
    }  # fmt: skip
    visit = await ok(await visits.client.post(f"{BASE}/visits", json=body,
                                              headers=people.leader()), 201)  # fmt: skip
    assert [p["state"] for p in visit["problems"]] == ["raised"]
    view = await ok(await visits.client.get(f"{BASE}/assignments/{pairing['id']}",
                                            headers=people.leader()))  # fmt: skip
    assert (view["visits_count"], view["last_visit_on"]) == (1, "2026-03-12")
    assert view["visit_due_at"] > first_due
    assert view["overdue"] is False
    events = names(await events_of(visits, f"pairing/{pairing['id']}"))
    assert events == ["created", "stage_started", "stage_completed", "stage_started"]
    recorded = await events_of(visits, f"visit/{visit['id']}")
    assert names(recorded) == ["recorded"]
    assert recorded[0]["data"]["problems_raised"] == 1


async def test_policy_per_rank_and_scale_takes_precedence(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    policy = {"case_kind": "pairing", "stage": "visit", "urgency": "cadre_above_scale",
              "amount": 14, "unit": "natural_days"}  # fmt: skip
    await ok(await visits.client.post(f"{BASE}/policies", json=policy, headers=people.admin()), 201)
    cadre = await walk.pairing(leader_rank="department_cadre", leader_name="彭勇")
    assert cadre["frequency"]["policy_key"] == "cadre_above_scale"
    small = await walk.enterprise(AnEnterprise(name="小微企业", uscc="91520327MA6F2K8L34",
                                               scale="other"))  # fmt: skip
    other = await walk.pairing(enterprise_id=small["id"], leader_rank="department_cadre")
    assert other["frequency"] == {"policy_key": "cadre", "amount": 30,
                                  "unit": "natural_days"}  # fmt: skip


async def test_who_sees_a_pairing(visits: ServiceUnderTest, people: People, walk: Walk) -> None:
    pairing = await walk.pairing()
    url = f"{BASE}/assignments/{pairing['id']}"
    for headers in (
        people.center,
        people.committee,
        people.staff("FGJ"),
        people.leader("LD0001", "GXJ"),
    ):
        assert (await visits.client.get(url, headers=headers)).status_code == 200
    assert (await visits.client.get(url, headers=people.staff("SCJGJ"))).status_code == 404
    mine = await ok(await visits.client.get(f"{BASE}/assignments", headers=people.staff("SCJGJ")))
    assert mine["items"] == []


async def test_end_stops_the_clock_and_refuses_later_visits(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    pairing = await walk.pairing()
    url = f"{BASE}/assignments/{pairing['id']}/end"
    note = {"note": "企业迁出本县"}
    assert (await visits.client.post(url, json=note, headers=people.center)).status_code == 428
    tagged = {**people.center, "If-Match": etag("pairing", pairing)}
    assert (
        await visits.client.post(
            url, json=note, headers=people.staff("FGJ") | {"If-Match": etag("pairing", pairing)}
        )
    ).status_code == 403
    ended = await ok(await visits.client.post(url, json=note, headers=tagged))
    assert (ended["state"], ended["visit_due_at"], ended["actions"]) == ("ended", None, [])
    events = names(await events_of(visits, f"pairing/{pairing['id']}"))
    assert events[-2:] == ["closed", "stage_cancelled"]
    body = {"pairing_id": pairing["id"], "visited_on": TODAY, "participants": [{"name": "王志明"}],
            "summary": "回访"}  # fmt: skip
    late = await visits.client.post(f"{BASE}/visits", json=body, headers=people.center)
    assert late.status_code == 409


async def test_bad_pairings_are_refused(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    await walk.pairing()
    duplicate = await visits.client.post(f"{BASE}/assignments", headers=people.center, json={
        "enterprise_id": (await walk.enterprise())["id"], "leader_name": "王志明",
        "leader_rank": "county_leader", "department": "FGJ",
    })  # fmt: skip
    assert duplicate.status_code == 409
    for change, field in (({"department": "NOPE"}, "department"),
                          ({"starts_on": "2026-05-01", "ends_on": "2026-04-01"}, "ends_on"),
                          ({"enterprise_id": "00000000-0000-4000-8000-000000000000"},
                           "enterprise_id")):  # fmt: skip
        body = {"enterprise_id": (await walk.enterprise())["id"], "leader_name": "张三",
                "leader_rank": "county_leader", "department": "FGJ", **change}  # fmt: skip
        response = await visits.client.post(f"{BASE}/assignments", json=body,
                                            headers=people.center)  # fmt: skip
        assert (response.status_code, response.json().get("field")) == (422, field), change
    refused = await visits.client.post(f"{BASE}/assignments", json={}, headers=people.staff())
    assert refused.status_code == 403  # departments do not make pairings
