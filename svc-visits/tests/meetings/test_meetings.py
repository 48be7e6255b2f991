"""Joint meetings (联席会议): the bureau records one, and each decision becomes a 交办单 (source
``meeting``) handed to its department at once, its deadlines running like any other's; a task
without an enterprise is closed (销号) by the bureau, there being no enterprise to confirm; an
indicator counts the tasks linked to it."""

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from tests.builders import BASE, TODAY, People, Walk, ok
from tests.problems.test_flow import event_names, payload
from yingshang.clock import FrozenClock
from yingshang.events.envelope import CloudEvent
from yingshang.events.outbox import OutboxEvent
from yingshang.testing.apps import ServiceUnderTest
from yingshang.time.models import DeadlineStage
from ys_visits.events import catalogue

SOLVED = {"resolution": "企业开办已压缩至 1 个工作日，网上一次办结。"}


def a_decision(**overrides: Any) -> dict[str, Any]:
    body = {
        "title": "压缩企业开办时间", "description": "梳理开办环节，实现一日办结。",
        "department": "SCJGJ", "indicator_code": "STARTING_BUSINESS",
    }  # fmt: skip
    return {**body, **overrides}


def a_meeting(*decisions: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    body = {
        "held_on": TODAY, "title": "一季度营商环境指标研判会", "kind": "review",
        "chaired_by": "王志明", "chair_title": "副县长", "participants": ["BUREAU", "SCJGJ", "TAX"],
        "minutes": "开办企业指标排名靠后，需压缩办理时间。",
        "indicator_codes": ["STARTING_BUSINESS"],
        "decisions": list(decisions),
    }  # fmt: skip
    return {**body, **overrides}


async def record(sut: ServiceUnderTest, people: People, body: dict[str, Any]) -> dict[str, Any]:
    return dict(await ok(await sut.client.post(f"{BASE}/meetings", json=body,
                                               headers=people.bureau), 201))  # fmt: skip


async def problem(sut: ServiceUnderTest, people: People, problem_id: str) -> dict[str, Any]:
    return dict(await ok(await sut.client.get(f"{BASE}/problems/{problem_id}",
                                              headers=people.bureau)))  # fmt: skip


async def test_each_decision_becomes_a_task_handed_to_its_department(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    await walk.indicator()
    enterprise = await walk.enterprise()
    meeting = await record(visits, people, a_meeting(
        a_decision(resolution_due="2026-03-31"),
        a_decision(title="核查企业反映的税务注销难", department="TAX", indicator_code=None,
                   enterprise_id=enterprise["id"], category="approval"),
    ))  # fmt: skip
    assert [(d["department"], d["indicator_code"], d["state"]) for d in meeting["decisions"]] == [
        ("SCJGJ", "STARTING_BUSINESS", "assigned"), ("TAX", None, "assigned")]  # fmt: skip
    first, second = [await problem(visits, people, d["id"]) for d in meeting["decisions"]]
    assert (first["source"], first["meeting_id"], first["indicator_code"], first["enterprise"]) == (
        "meeting", meeting["id"], "STARTING_BUSINESS", None)  # fmt: skip
    assert (first["channel"], first["resolution_due_on"], first["actions"]) == (
        "joint_meeting", "2026-03-31", ["override_close"])  # fmt: skip
    running = {s["stage"]: s for s in first["stages"] if s["status"] == "running"}
    assert set(running) == {"sign", "proposal", "resolution"}  # the 交办单's deadlines run
    assert running["resolution"]["due_at"].startswith("2026-03-31T16:00")
    assert first["due_at"] == running["sign"]["due_at"]  # the head's 签收 is due first
    assert second["enterprise"] == {"id": enterprise["id"], "name": enterprise["name"]}
    assert await event_names(visits, first["id"]) == [
        "created", "stage_started", "stage_started", "stage_started", "assigned"]  # fmt: skip
    created = await payload(visits, first["id"], "created")
    assert (created["source"], created["enterprise_id"], created["meeting_id"]) == (
        "meeting", None, meeting["id"])  # fmt: skip
    timeline = await ok(await visits.client.get(f"{BASE}/problems/{first['id']}/timeline",
                                                headers=people.bureau))  # fmt: skip
    assert timeline[-1]["note"] == f"联席会议 {meeting['number']} 决定"

    # the department sees its task and no other; the list finds a meeting's tasks
    mine = await visits.client.get(f"{BASE}/problems/{first['id']}", headers=people.staff("SCJGJ"))
    assert mine.status_code == 200
    other = await visits.client.get(
        f"{BASE}/problems/{second['id']}", headers=people.staff("SCJGJ")
    )
    assert other.status_code == 404
    listed = await ok(await visits.client.get(f"{BASE}/problems", params={
        "meeting_id": meeting["id"]}, headers=people.center))  # fmt: skip
    assert {p["id"] for p in listed["items"]} == {first["id"], second["id"]}
    read = await ok(await visits.client.get(f"{BASE}/meetings/{meeting['id']}",
                                            headers=people.staff("RSJ")))  # fmt: skip
    assert (read["number"], read["kind"], read["other_decisions"]) == (
        meeting["number"],
        "review",
        2,
    )  # another department's 交办单 stay its own
    page = await ok(await visits.client.get(f"{BASE}/meetings", params={"kind": "review"},
                                            headers=people.staff("RSJ")))  # fmt: skip
    assert [m["id"] for m in page["items"]] == [meeting["id"]]

    async with visits.app.state.db.read() as session:
        rows = await session.scalars(select(OutboxEvent.payload).where(
            OutboxEvent.subject == "ys.visits.meeting.recorded"))  # fmt: skip
        recorded = [CloudEvent.model_validate(r) for r in rows]
    assert len(recorded) == 1
    catalogue.validate(recorded[0])
    assert recorded[0].data["problem_ids"] == [first["id"], second["id"]]


async def test_a_task_without_an_enterprise_is_closed_by_the_bureau(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    await walk.indicator()
    meeting = await record(visits, people, a_meeting(a_decision()))
    task = await problem(visits, people, meeting["decisions"][0]["id"])
    task = await walk.step(task, "sign", people.head("SCJGJ"))
    task = await walk.step(task, "propose", people.staff("SCJGJ"), {"proposal": "推行一网通办。"})
    task = await walk.step(task, "solve", people.head("SCJGJ"), SOLVED)
    assert task["actions"] == []  # the department cannot close its own task
    center = await ok(await visits.client.get(f"{BASE}/problems/{task['id']}",
                                              headers=people.center))  # fmt: skip
    assert center["actions"] == []  # no enterprise: nothing for the center to confirm
    confirm = {"confirmed_by": "王五", "channel": "phone"}
    await walk.step(task, "confirm", people.center, confirm, expect=403)
    await walk.step(task, "accept", people.head("SCJGJ"), {}, expect=403)
    cross_posted = people.issuer.headers(("SCJGJ", "head"), ("BUREAU", "staff"))
    await walk.step(task, "accept", cross_posted, {}, expect=403)  # not its own 销号
    bureau_view = await problem(visits, people, task["id"])
    assert bureau_view["actions"] == ["accept", "reject", "override_close"]
    await walk.step(task, "reject", people.bureau, {}, expect=422)  # the reason is needed
    reopened = await walk.step(task, "reject", people.bureau, {"note": "仍需 2 个工作日"})
    assert (reopened["state"], reopened["dispute_count"]) == ("in_progress", 1)
    solved = await walk.step(reopened, "solve", people.head("SCJGJ"), SOLVED)
    async with visits.app.state.db.read() as session:
        units = await session.scalars(select(DeadlineStage.department).where(
            DeadlineStage.case_id == uuid.UUID(solved["id"]),
            DeadlineStage.stage == "confirmation"))  # fmt: skip
        assert set(units) == {"BUREAU"}  # the bureau's confirmation clock, its L1
    closed = await walk.step(solved, "accept", people.bureau, {"note": "经核实已一日办结"})
    assert (closed["state"], closed["closure"], closed["closure_note"]) == (
        "closed", "accepted", "经核实已一日办结")  # fmt: skip
    assert all(s["status"] != "running" for s in closed["stages"])
    names = await event_names(visits, task["id"])
    assert "closed" in names
    assert "completed" not in names  # no enterprise: no 好差评 invitation
    assert (await payload(visits, task["id"], "closed"))["outcome"] == "accepted"


async def test_an_enterprise_problem_keeps_its_confirmation_rule(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    solved = await walk.solved()
    assert "accept" not in (await problem(visits, people, solved["id"]))["actions"]
    await walk.step(solved, "accept", people.bureau, {}, expect=403)
    await walk.step(solved, "reject", people.bureau, {"note": "不满意"}, expect=403)
    closed = await walk.step(solved, "confirm", people.center,
                             {"confirmed_by": "王五", "channel": "phone"})  # fmt: skip
    assert closed["closure"] == "confirmed"
    assert "completed" in await event_names(visits, solved["id"])


async def test_who_records_a_meeting_and_what_it_may_name(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    await walk.indicator()
    for headers in (people.at("SCJGJ", "clerk"), people.head("SCJGJ"), people.center):
        refused = await visits.client.post(f"{BASE}/meetings", json=a_meeting(a_decision()),
                                           headers=headers)  # fmt: skip
        assert refused.status_code == 403
    for field, body in [
        ("participants.1", a_meeting(participants=["BUREAU", "NOPE"])),
        ("indicator_codes.0", a_meeting(indicator_codes=["NO_SUCH"])),
        ("decisions.1.department", a_meeting(a_decision(), a_decision(department="NOPE"))),
        ("decisions.0.indicator_code", a_meeting(a_decision(indicator_code="BIDDING"))),
        ("decisions.0.enterprise_id",
         a_meeting(a_decision(enterprise_id="00000000-0000-4000-8000-000000000000"))),
        ("decisions.1.resolution_due", a_meeting(a_decision(), a_decision(resolution_due=TODAY))),
    ]:  # fmt: skip
        refused = await visits.client.post(f"{BASE}/meetings", json=body, headers=people.bureau)
        assert (refused.status_code, refused.json().get("field")) == (422, field), field
    for body in (a_meeting(held_on="2026-03-03"), a_meeting(participants=[]),
                 a_meeting(kind="chat"), a_meeting(participants=["TAX", "TAX"])):  # fmt: skip
        refused = await visits.client.post(f"{BASE}/meetings", json=body, headers=people.bureau)
        assert refused.status_code == 422, body
    nothing = await ok(await visits.client.get(f"{BASE}/problems", headers=people.bureau))
    assert nothing["items"] == []  # a refused meeting leaves no half-made task


async def test_a_reader_sees_the_decisions_whose_task_it_may_see(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """A 交办单 keeps its own visibility: the meeting shows another department's staff the
    decisions handed to them, and only how many others there are."""
    await walk.indicator()
    enterprise = await walk.enterprise()
    meeting = await record(visits, people, a_meeting(
        a_decision(),
        a_decision(title="核查企业反映的税务注销难", department="TAX", indicator_code=None,
                   enterprise_id=enterprise["id"], category="approval"),
    ))  # fmt: skip
    url = f"{BASE}/meetings/{meeting['id']}"
    tax = await ok(await visits.client.get(url, headers=people.staff("TAX")))
    other = await ok(await visits.client.get(url, headers=people.staff("RSJ")))
    listed = await ok(await visits.client.get(f"{BASE}/meetings", headers=people.staff("RSJ")))
    assert ([d["department"] for d in tax["decisions"]], tax["other_decisions"]) == (["TAX"], 1)
    assert (other["decisions"], other["other_decisions"]) == ([], 2)
    assert "税务注销" not in str(listed)
    assert len((await ok(await visits.client.get(url, headers=people.bureau)))["decisions"]) == 2


async def test_an_indicator_counts_its_linked_tasks(
    visits: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    await walk.indicator()
    linked = await walk.problem(indicator_code="STARTING_BUSINESS")  # any problem may link
    assert linked["indicator_code"] == "STARTING_BUSINESS"
    await walk.problem()  # not linked
    meeting = await record(visits, people, a_meeting(a_decision(), a_decision(title="第二项")))
    task = await problem(visits, people, meeting["decisions"][0]["id"])
    await walk.step(task, "override_close", people.bureau, {"note": "并入省级改革事项"})
    url = f"{BASE}/indicators/STARTING_BUSINESS"
    counts = (await ok(await visits.client.get(url, headers=people.staff("RSJ"))))["tasks"]
    assert counts == {"open": 2, "closed": 1, "overdue": 0}
    clock.advance(timedelta(days=8))  # past the 7-day proposal deadline of the open task
    listed = await ok(await visits.client.get(f"{BASE}/indicators", headers=people.staff("RSJ")))
    assert listed[0]["tasks"] == {"open": 2, "closed": 1, "overdue": 1}
    tasks = await ok(await visits.client.get(f"{BASE}/problems", params={
        "indicator_code": "STARTING_BUSINESS"}, headers=people.bureau))  # fmt: skip
    assert len(tasks["items"]) == 3
    await walk.indicator(code="BIDDING", name="招标投标", active=False)
    for code in ("NO_SUCH", "BIDDING"):  # unknown, inactive
        refused = await visits.client.post(f"{BASE}/problems", headers=people.center, json={
            "enterprise_id": linked["enterprise"]["id"], "title": "x", "description": "y",
            "indicator_code": code})  # fmt: skip
        assert (refused.status_code, refused.json()["field"]) == (422, "indicator_code"), code
