"""Hall duty (坐班): a leader's sitting is scheduled (the hall's board hears of it), signed in
on its day, matters handled are recorded — a problem raised on duty becomes a 交办单 — and
signed out; the sittings and matters count per leader."""

from typing import Any

from sqlalchemy import select

from tests.builders import BASE, TODAY, People, Walk, a_problem, etag, ok
from yingshang.events.outbox import OutboxEvent
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.directory import deliver, directory_event
from ys_visits.app import CONSUMERS

SITTING = {
    "hall": "HALL_COUNTY", "leader_name": "王志明", "leader_staff_no": "LD0001",
    "leader_title": "副县长", "department": "FGJ", "date": TODAY, "start": "09:00", "end": "12:00",
}  # fmt: skip


async def deactivate(sut: ServiceUnderTest, person: dict[str, str]) -> None:
    gateway = next(spec for spec in CONSUMERS if spec.source == "gateway")
    event = directory_event("user.deactivated", {**person, "active": False, "positions": []})
    assert await deliver(sut.app.state.db, gateway, event)


async def duty_events(sut: ServiceUnderTest, shift_id: str) -> list[dict[str, Any]]:
    async with sut.app.state.db.read() as session:
        rows = await session.scalars(
            select(OutboxEvent.payload)
            .where(OutboxEvent.case_key == f"duty/{shift_id}")
            .order_by(OutboxEvent.seq)
        )
        return [dict(r) for r in rows]


async def act(
    sut: ServiceUnderTest, shift: dict[str, Any], path: str, headers: dict[str, str],
    body: dict[str, Any] | None = None, expect: int = 200,
) -> dict[str, Any]:  # fmt: skip
    response = await sut.client.post(
        f"{BASE}/duty-shifts/{shift['id']}/{path}",
        json=body or {},
        headers={**headers, "If-Match": etag("duty", shift)},
    )
    assert response.status_code == expect, response.text
    return dict(response.json()) if expect == 200 else shift


async def test_a_sitting_from_schedule_to_record(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    enterprise = await walk.enterprise()
    hall_head = people.head("HALL")
    shift = await ok(await visits.client.post(f"{BASE}/duty-shifts", json=SITTING,
                                              headers=hall_head), 201)  # fmt: skip
    assert (shift["state"], shift["hall_name"]) == ("scheduled", "凤冈县政务服务中心大厅")
    leader = people.leader("LD0001", "FGJ")
    await act(visits, shift, "check-in", people.staff("SCJGJ"), expect=403)
    shift = await act(visits, shift, "check-in", leader)
    assert shift["state"] == "on_duty"
    assert shift["checked_in_at"]
    await act(visits, shift, "cancel", hall_head, {"note": "临时会议"}, expect=409)
    answered = {"summary": "企业咨询技改补贴申报条件，当场答复。", "outcome": "answered"}
    no_tag = await visits.client.post(f"{BASE}/duty-shifts/{shift['id']}/matters",
                                      json=answered, headers=leader)  # fmt: skip
    assert no_tag.status_code == 428
    shift = await act(visits, shift, "matters", leader, answered)
    raised = {"summary": "企业反映用地指标问题。", "outcome": "problem",
              "enterprise_id": enterprise["id"], "problem": a_problem(category="land")}  # fmt: skip
    shift = await act(visits, shift, "matters", people.staff("HALL"), raised)
    assert (shift["matters_count"], shift["problems_count"]) == (2, 1)
    problem_id = shift["matters"][1]["problem_id"]
    problem = await ok(await visits.client.get(f"{BASE}/problems/{problem_id}",
                                               headers=people.center))  # fmt: skip
    assert (problem["source"], problem["channel"], problem["duty_id"]) == (
        "duty", "hall_duty", shift["id"])  # fmt: skip
    shift = await act(visits, shift, "check-out", leader)
    assert (shift["state"], shift["actions"]) == ("completed", [])
    events = await duty_events(visits, shift["id"])
    assert [e["type"] for e in events] == [
        "ys.visits.duty.recorded",
        "ys.visits.duty.updated",
        "ys.visits.duty.updated",
    ]
    last = events[-1]["data"]
    assert {k: last[k] for k in ("duty_id", "leader_name", "hall", "date", "start", "end",
                                 "department", "state", "matters_handled")} == {
        "duty_id": shift["id"], "leader_name": "王志明", "hall": "HALL_COUNTY", "date": TODAY,
        "start": "09:00", "end": "12:00", "department": "FGJ", "state": "completed",
        "matters_handled": 2,
    }  # fmt: skip
    stats = await ok(await visits.client.get(f"{BASE}/stats", headers=people.bureau))
    assert stats["duty"] == [{"leader_name": "王志明", "leader_staff_no": "LD0001", "sittings": 1,
                              "matters_handled": 2, "problems_raised": 1}]  # fmt: skip


async def test_scheduling_rules(visits: ServiceUnderTest, people: People) -> None:
    url = f"{BASE}/duty-shifts"
    for change, field in (({"hall": "HALL_NOWHERE"}, "hall"), ({"date": "2026-03-01"}, "date"),
                          ({"department": "NOPE"}, "department")):  # fmt: skip
        response = await visits.client.post(url, json={**SITTING, **change}, headers=people.center)
        assert (response.status_code, response.json().get("field")) == (422, field), change
    # the 工号 signs in and out: an active person of the county directory (as a pairing's)
    for staff_no in ("LD9999", "FG5200"):
        if staff_no == "FG5200":  # 彭勇, deactivated at the gateway
            await deactivate(visits, {"username": "fgj_head", "name": "彭勇", "staff_no": staff_no})
        response = await visits.client.post(
            url, json={**SITTING, "leader_staff_no": staff_no}, headers=people.center
        )
        problem = response.json()
        assert (response.status_code, problem.get("field")) == (422, "leader_staff_no"), staff_no
        assert problem["type"].endswith("/unknown-staff")
    backwards = await visits.client.post(url, json={**SITTING, "start": "12:00", "end": "09:00"},
                                         headers=people.center)  # fmt: skip
    assert backwards.status_code == 422
    assert (await visits.client.post(url, json=SITTING, headers=people.staff())).status_code == 403
    tomorrow = await ok(await visits.client.post(url, json={**SITTING, "date": "2026-03-03"},
                                                 headers=people.center), 201)  # fmt: skip
    overlap = {**SITTING, "date": "2026-03-03", "start": "11:00", "end": "16:00"}
    assert (await visits.client.post(url, json=overlap, headers=people.center)).status_code == 409
    response = await visits.client.post(
        f"{url}/{tomorrow['id']}/check-in",
        json={},
        headers={**people.leader(), "If-Match": etag("duty", tomorrow)},
    )
    assert (response.status_code, response.json()["type"].rsplit("/", 1)[1]) == (409, "not-the-day")
    cancelled = await act(visits, tomorrow, "cancel", people.center, {"note": "县委常委会"})
    assert (cancelled["state"], cancelled["cancel_reason"]) == ("cancelled", "县委常委会")
    board = await ok(await visits.client.get(url, params={"date_from": "2026-03-03",
                                                          "status": "cancelled"},
                                             headers=people.staff()))  # fmt: skip
    assert [s["id"] for s in board["items"]] == [tomorrow["id"]]


async def test_a_leader_lists_his_own_sittings(visits: ServiceUnderTest, people: People) -> None:
    """``mine=true``: the sittings the caller leads (by 工号), so his 工作台 can offer 签到/签退;
    another leader's and the hall's own list are not his."""
    hall_head = people.head("HALL")
    url = f"{BASE}/duty-shifts"
    his = await ok(await visits.client.post(url, json=SITTING, headers=hall_head), 201)
    other = {**SITTING, "leader_name": "李娜", "leader_staff_no": "FG5201"}
    await ok(await visits.client.post(url, json=other, headers=hall_head), 201)
    mine = {"mine": "true", "date_from": TODAY}
    leader = await ok(await visits.client.get(url, params=mine, headers=people.leader("LD0001")))
    assert [(s["id"], s["actions"]) for s in leader["items"]] == [(his["id"], ["check_in"])]
    hall = await ok(await visits.client.get(url, params=mine, headers=hall_head))
    assert hall["items"] == []
