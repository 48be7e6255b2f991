"""One case walks the flow as the right people; a wrong person at each step gets 403 (it
sees the case) or 404 (it does not); the enterprise answers on the public page."""

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from tests.builders import BASE, ENTERPRISE, AComplaint, People, Walk, etag, register, step
from yingshang.clock import FrozenClock
from yingshang.events.outbox import OutboxEvent
from yingshang.notify import Notification
from yingshang.testing.apps import ServiceUnderTest


async def events_of(sut: ServiceUnderTest, case_id: str) -> list[dict[str, Any]]:
    async with sut.app.state.db.read() as session:
        rows = await session.scalars(
            select(OutboxEvent.payload)
            .where(OutboxEvent.case_key == f"case/{case_id}")
            .order_by(OutboxEvent.seq)
        )
        return [dict(r) for r in rows]


def types(events: list[dict[str, Any]]) -> list[str]:
    return [e["type"].rsplit(".", 1)[1] for e in events]


async def sms(sut: ServiceUnderTest) -> list[str]:
    async with sut.app.state.db.read() as session:
        rows = await session.scalars(
            select(Notification.template).order_by(Notification.created_at)
        )
        return list(rows)


async def test_the_whole_flow(
    complaints: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    c, p = complaints.client, people
    case = await register(c, p.clerk)
    code = case["query_code"]
    await step(c, case, "accept", p.head(), expect=404)  # not assigned: hidden from the unit
    await step(c, case, "accept", p.clerk, expect=403)  # the front line does not decide
    await step(c, case, "accept", p.bureau, expect=403)  # oversight sees, does not decide
    case = await step(c, case, "accept", p.officer)
    case = await step(c, case, "assign", p.officer)
    assert (case["state"], case["department"]) == ("assigned", "SCJGJ")
    assert [s["stage"] for s in case["stages"] if s["status"] == "running"] == ["reply"]

    await step(c, case, "investigate", p.head("ZJJ"), {"note": "查看"}, expect=404)
    case = await step(c, case, "investigate", p.staff(), {"note": "已调取检查记录。"})
    await step(c, case, "reply", p.staff(), {"reply": "已责令纠正。"}, expect=403)  # head only
    case = await step(c, case, "reply", p.head(), {"reply": "已责令执法人员纠正。"})
    assert case["state"] == "replied"
    await step(c, case, "resolve", p.head(), {"result": "已经纠正完毕。"}, expect=403)
    case = await step(c, case, "resolve", p.officer, {"result": "经核查属实，已责令纠正。"})

    answer = {"number": case["number"], "query_code": code, "verdict": "confirmed"}
    tracked = await c.post(f"{BASE}/public/respond", json=answer)
    assert tracked.status_code == 200, tracked.text
    assert tracked.json()["state"] == "closed"
    assert [m["kind"] for m in tracked.json()["messages"]] == ["decision", "result"]
    again = await c.post(f"{BASE}/public/respond", json=answer)
    assert again.status_code == 409  # nothing awaits an answer any more

    case = (await c.get(f"{BASE}/cases/{case['id']}", headers=p.officer)).json()
    assert (case["state"], case["verdict"], case["outcome"]) == ("closed", "confirmed", "resolved")
    assert case["checkback_from"] == "2026-04-01T16:00:00Z"  # 30 days on: 24:00 Shanghai
    await step(
        c, case, "check_back", p.clerk, {"note": "回访", "retaliation_found": False}, expect=409
    )
    clock.advance(timedelta(days=31))
    case = await step(
        c,
        case,
        "check_back",
        p.clerk,
        {"note": "企业反映未受到打击报复。", "retaliation_found": False},
    )
    assert case["state"] == "checked_back"
    assert all(s["status"] == "completed" for s in case["stages"])

    events = await events_of(complaints, case["id"])
    assert types(events) == [
        "created",
        "stage_started",
        "accepted",
        "stage_completed",
        "assigned",
        "stage_started",
        "investigated",
        "replied",
        "stage_completed",
        "stage_started",
        "resolved",
        "stage_completed",
        "closed",
        "completed",
        "stage_started",
        "checked_back",
        "stage_completed",
    ]
    checked = next(e for e in events if e["type"].endswith(".checked_back"))["data"]
    assert (checked["retaliation_found"], checked["to_state"]) == (False, "checked_back")
    assert "企业反映" not in str(events)  # the notes stay on the case (confidentiality)
    closed = next(e for e in events if e["type"].endswith(".closed"))["data"]
    assert (closed["origin"], closed["outcome"], closed["department"]) == (
        None,
        "resolved",
        "SCJGJ",
    )
    completed = next(e for e in events if e["type"].endswith(".completed"))["data"]
    assert (completed["node"], completed["channel"], completed["rater_type"]) == (
        "finish",
        "web",
        "legal_person",
    )
    assert await sms(complaints) == ["complaint_decision", "complaint_result"]


async def test_not_accepted_with_referral(complaints: ServiceUnderTest, people: People) -> None:
    c, p = complaints.client, people
    case = await register(c, p.clerk)
    code = case["query_code"]
    await step(c, case, "reject", p.officer, {"exclusion": "litigation"}, expect=422)
    case = await step(
        c,
        case,
        "reject",
        p.officer,
        {
            "exclusion": "litigation",
            "note": "该事项已向法院起诉",
            "referral": "请通过诉讼程序解决",
        },
    )
    assert (case["state"], case["outcome"], case["exclusion"]) == (
        "not_accepted",
        "not_accepted",
        "litigation",
    )
    assert types(await events_of(complaints, case["id"]))[-3:] == [
        "rejected",
        "closed",
        "stage_completed",
    ]
    tracked = await c.post(
        f"{BASE}/public/track", json={"number": case["number"], "query_code": code}
    )
    assert "请通过诉讼程序解决" in tracked.json()["messages"][0]["body"]
    hidden = await c.get(f"{BASE}/cases/{case['id']}", headers=p.head())
    assert hidden.status_code == 404


async def test_a_dispute_goes_to_supervision_and_reopens(
    complaints: ServiceUnderTest, people: People, walk: Walk
) -> None:
    c, p = complaints.client, people
    case = await walk.resolved()
    await step(c, case, "dispute", p.officer, expect=422)  # a dispute states its reason
    case = await step(c, case, "dispute", p.officer, {"note": "企业认为损失未得到补偿"})
    assert (case["state"], case["supervised"], case["dispute_count"]) == ("disputed", True, 1)
    events = await events_of(complaints, case["id"])
    escalated = next(e for e in events if e["type"].endswith(".escalated"))["data"]
    assert (escalated["level"], escalated["target"], escalated["stage"]) == (
        2,
        "bureau",
        "supervision",
    )
    await step(c, case, "reopen", p.officer, {"note": "重新交办"}, expect=409)  # 回访 first
    case = await step(c, case, "revisit", p.clerk, {"note": "电话回访企业，了解诉求。"})
    revisited = (await events_of(complaints, case["id"]))[-1]
    assert (revisited["type"], revisited["data"]["dispute_count"]) == (
        "ys.complaints.case.revisited",
        1,
    )
    case = await step(c, case, "reopen", p.officer, {"note": "重新交办，要求补偿损失"})
    assert (case["state"], case["department"]) == ("assigned", "SCJGJ")
    completed = [
        e["data"]
        for e in await events_of(complaints, case["id"])
        if e["type"].endswith(".stage_completed") and e["data"]["stage"] == "supervision"
    ]
    assert [d["stage_id"] for d in completed] == [escalated["stage_id"]]  # the 督办 ledger closes
    unit_view = (await c.get(f"{BASE}/cases/{case['id']}", headers=p.head())).json()
    assert "revisit" not in [n["kind"] for n in unit_view["notes"]]  # 回访 stays at the center
    assert "dispute" in [n["kind"] for n in unit_view["notes"]]


async def test_the_enterprise_is_told_of_the_supervision_and_the_reopening(
    complaints: ServiceUnderTest, people: People
) -> None:
    """After its 异议 the enterprise reads on its tracking page that the center will call back
    and the bureau supervises; once the center hands the case back to a unit (重新交办), the
    page says so and an SMS tells it, as the decision and the result did — in fixed words:
    neither the center's notes (回访, the reopening's reason) nor anybody's name."""
    c, p = complaints.client, people
    case = await register(c, p.clerk)
    track = {"number": case["number"], "query_code": case["query_code"]}
    case = await step(c, case, "accept", p.officer)
    case = await step(c, case, "assign", p.officer)
    case = await step(c, case, "investigate", p.staff(), {"note": "已调取检查记录。"})
    case = await step(c, case, "reply", p.head(), {"reply": "已责令执法人员纠正。"})
    case = await step(c, case, "resolve", p.officer, {"result": "经核查属实，已责令纠正。"})
    answer = {**track, "verdict": "disputed", "reason": "损失至今未获补偿"}
    disputed = (await c.post(f"{BASE}/public/respond", json=answer)).json()
    assert disputed["messages"][-1]["body"] == (
        "您对办理结果提出的异议已收到。投诉中心将回访核实，并已提请营商局督办。"
    )
    case = (await c.get(f"{BASE}/cases/{case['id']}", headers=p.officer)).json()
    case = await step(c, case, "revisit", p.clerk, {"note": "电话回访张经理，了解诉求。"})
    case = await step(c, case, "reopen", p.officer, {"note": "执法人员敷衍，重新交办"})
    tracked = (await c.post(f"{BASE}/public/track", json=track)).json()
    assert (tracked["state"], tracked["state_label"]) == ("assigned", "已重新交办")
    assert [m["kind"] for m in tracked["messages"]] == [
        "decision", "result", "progress", "progress"]  # fmt: skip
    assert tracked["messages"][-1]["body"] == (
        "经回访核实，投诉中心已将您的投诉重新交办责任单位办理，营商局督办；办理结果将再次反馈给您。"
    )
    told = "".join(m["body"] for m in tracked["messages"])
    assert not [word for word in ("张经理", "敷衍", "损失至今", "重新交办，") if word in told]
    assert await sms(complaints) == ["complaint_decision", "complaint_result", "complaint_reopened"]
    case = await step(c, case, "investigate", p.staff(), {"note": "再次核查。"})
    tracked = (await c.post(f"{BASE}/public/track", json=track)).json()
    assert tracked["state_label"] == "已重新交办"


async def test_preconditions(complaints: ServiceUnderTest, people: People, walk: Walk) -> None:
    c, p = complaints.client, people
    case = await walk.accepted()
    url = f"{BASE}/cases/{case['id']}/assign"
    missing = await c.post(url, json={}, headers=p.officer)
    assert missing.status_code == 428
    stale = await c.post(url, json={}, headers={**p.officer, "If-Match": '"case-x-1"'})
    assert stale.status_code == 412
    await step(c, case, "resolve", p.officer, {"result": "已办理完毕。"}, expect=409)
    bad_unit = {**p.officer, "If-Match": etag(case)}
    unknown = await c.post(url, json={"department": "NOWHERE"}, headers=bad_unit)
    assert unknown.status_code == 422
    case = await step(c, case, "assign", p.officer, {"department": "ZHZFJ"})
    assert (case["department"], case["respondent"]) == ("ZHZFJ", "SCJGJ")
    both = [
        await c.get(f"{BASE}/cases/{case['id']}", headers=p.head(d)) for d in ("ZHZFJ", "SCJGJ")
    ]
    assert [r.status_code for r in both] == [200, 200]  # responsible unit and respondent


async def test_the_rating_names_the_complaint_rated_without_who_made_it(
    complaints: ServiceUnderTest, people: People
) -> None:
    """办结 invites the enterprise to rate (``completed``): its 事项 is the category and the
    complaint's title — "其他" alone names nothing — with the enterprise's identity hidden, as
    the unit rated reads it."""
    c, p = complaints.client, people
    title = f"{ENTERPRISE['name']}被要求捐赠"
    other = AComplaint(category="other", title=title, extra={"category_other": "强制捐赠"})
    case = await Walk(c, p, other).resolved()
    await step(c, case, "confirm", p.clerk, {"note": "企业电话确认满意"})
    events = await events_of(complaints, case["id"])
    completed = next(e for e in events if e["type"].endswith(".completed"))["data"]
    assert completed["item_name"] == "其他：[已隐去]被要求捐赠"


async def test_the_enterprises_dispute_reads_in_the_staffs_words(
    complaints: ServiceUnderTest, people: People
) -> None:
    """The enterprise answers on the public page, no person of the staff: its objection and
    the 督办 it opens are recorded under names and notes in words, never a component's code
    ("enterprise", "SYSTEM") nor English."""
    c, p = complaints.client, people
    case = await register(c, p.clerk)
    code = case["query_code"]
    case = await step(c, case, "accept", p.officer)
    case = await step(c, case, "assign", p.officer)
    case = await step(c, case, "investigate", p.staff(), {"note": "已调取检查记录。"})
    case = await step(c, case, "reply", p.head(), {"reply": "已责令执法人员纠正。"})
    case = await step(c, case, "resolve", p.officer, {"result": "经核查属实，已责令纠正。"})
    answer = {"number": case["number"], "query_code": code, "verdict": "disputed",
              "reason": "损失至今未获补偿"}  # fmt: skip
    disputed = await c.post(f"{BASE}/public/respond", json=answer)
    assert disputed.status_code == 200, disputed.text

    case = (await c.get(f"{BASE}/cases/{case['id']}", headers=p.officer)).json()
    [objection] = [n for n in case["notes"] if n["kind"] == "dispute"]
    assert objection["body"] == "损失至今未获补偿"
    assert objection["author_name"] == "投诉企业（凭查询码）"
    timeline = (await c.get(f"{BASE}/cases/{case['id']}/timeline", headers=p.officer)).json()
    by_action = {e["action"]: e for e in timeline}
    assert by_action["dispute"]["actor_name"] == "投诉企业（凭查询码）"
    escalated = by_action["escalated"]
    assert escalated["note"] == "企业对办理结果有异议，转营商局督办（第 2 级）"
    assert escalated["actor_name"] == "投诉企业（凭查询码）"
