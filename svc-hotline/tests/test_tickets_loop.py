"""One ticket walks every state as the right positions; a wrong position at each step gets
403 (it sees the ticket) or 404 (it does not)."""

from typing import Any

from sqlalchemy import select

from yingshang.audit import AuditEntry
from yingshang.problems import PROBLEM_BASE
from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, People, create, step


async def _timeline_actions(
    hotline: ServiceUnderTest, ticket: dict[str, Any], people: People
) -> list[str]:
    response = await hotline.client.get(
        f"{BASE}/tickets/{ticket['id']}", headers=people.center_head
    )
    return [e["action"] for e in response.json()["timeline"]]


async def test_full_loop_with_wrong_positions(hotline: ServiceUnderTest, people: People) -> None:
    c = hotline.client
    t = await create(c, people.operator)
    assert (t["status"], t["department"]) == ("received", None)  # no unit holds it before 派单
    assert t["requester"]["phone"] == "138****5678"  # a write's response shows masks
    read = await c.get(f"{BASE}/tickets/{t['id']}", headers=people.operator)
    assert read.json()["requester"]["phone"] == "13812345678"  # operators read it in full …
    async with hotline.app.state.db.read() as session:
        audited = await session.scalar(
            select(AuditEntry.detail).where(AuditEntry.object_id == t["id"])
        )
    assert audited == {"fields": ["requester_name", "requester_phone"]}  # … audited

    await step(c, t, "dispatch", people.head("SCJGJ"), expect=404)  # not yet assigned to it
    t = await step(c, t, "dispatch", people.operator)
    assert (t["status"], t["co_departments"]) == ("dispatched", ["WJJ"])

    await step(c, t, "sign", people.head("ZJJ"), expect=404)  # another department's head
    await step(c, t, "sign", people.clerk("SCJGJ"), expect=403)  # a clerk may not sign
    await step(c, t, "sign", people.staff("SCJGJ"), expect=403)
    await step(c, t, "sign", people.operator, expect=403)
    t = await step(c, t, "sign", people.head("SCJGJ"))
    assert t["status"] == "signed"
    assert t["requester"]["phone"] == "138****5678"  # masked for the department

    await step(c, t, "contact", people.head("ZJJ"), expect=404)
    t = await step(c, t, "contact", people.staff("SCJGJ"), {"note": "已电话联系"})
    await step(c, t, "reply", people.operator, {"body": "已责令整改"}, expect=403)
    t = await step(c, t, "reply", people.staff("SCJGJ"), {"body": "经核查，已责令该餐馆停业整改。"})
    assert t["status"] == "replied"

    await step(c, t, "review", people.head("SCJGJ"), {"approve": True}, expect=403)
    await step(c, t, "review", people.operator, {"approve": True}, expect=403)  # clerk: no review
    t = await step(c, t, "review", people.center_head, {"approve": False, "note": "请补充整改结果"})
    assert t["status"] == "handling"
    t = await step(c, t, "reply", people.staff("SCJGJ"), {"body": "餐馆已整改完毕，复查合格。"})
    t = await step(c, t, "review", people.center_head, {"approve": True})
    assert t["status"] == "closed"
    assert t["answer"] == "餐馆已整改完毕，复查合格。"

    await step(c, t, "revisit", people.head("SCJGJ"), {"level": 5}, expect=403)
    t = await step(c, t, "revisit", people.operator, {"level": 2, "comment": "不满意"})
    assert t["satisfaction"] == 2
    await step(c, t, "reopen", people.operator, {"reason": "群众不满意"}, expect=403)
    t = await step(c, t, "reopen", people.center_head, {"reason": "群众不满意"})
    assert (t["status"], t["reopen_count"]) == ("dispatched", 1)
    t = await step(c, t, "sign", people.head("SCJGJ"))
    t = await step(c, t, "contact", people.head("SCJGJ"))
    t = await step(c, t, "reply", people.head("SCJGJ"), {"body": "再次整改，已回访确认。"})
    t = await step(c, t, "review", people.center_head, {"approve": True})
    t = await step(c, t, "revisit", people.operator, {"level": 5})
    await step(c, t, "archive", people.operator, expect=403)
    t = await step(c, t, "archive", people.center_head)
    assert t["status"] == "archived"
    await step(c, t, "reopen", people.center_head, {"reason": "仍不满意"}, expect=409)

    actions = await _timeline_actions(hotline, t, people)
    for expected in (
        "receive",
        "dispatch",
        "sign",
        "contact",
        "reply",
        "send_back",
        "accept",
        "revisit",
        "reopen",
        "archive",
        "stage_started",
        "stage_completed",
    ):
        assert expected in actions, expected


async def test_stale_and_missing_if_match(hotline: ServiceUnderTest, people: People) -> None:
    t = await create(hotline.client, people.operator)
    url = f"{BASE}/tickets/{t['id']}/dispatch"
    missing = await hotline.client.post(url, json={}, headers=people.operator)
    assert missing.status_code == 428
    stale = await hotline.client.post(
        url, json={}, headers={**people.operator, "If-Match": f'"ticket-{t["id"]}-99"'}
    )
    assert stale.status_code == 412
    assert missing.headers["content-type"].startswith("application/problem+json")


async def test_return_review_and_redispatch(hotline: ServiceUnderTest, people: People) -> None:
    c = hotline.client
    t = await step(c, await create(c, people.operator), "dispatch", people.operator)
    await step(c, t, "return", people.staff("SCJGJ"), {"reason": "不属本部门职责"}, expect=403)
    t = await step(c, t, "return", people.head("SCJGJ"), {"reason": "不属本部门职责"})
    assert (t["status"], t["return_reason"]) == ("return_requested", "不属本部门职责")
    t = await step(c, t, "return-review", people.center_head, {"approve": True})
    assert t["status"] == "received"
    await step(c, t, "sign", people.head("SCJGJ"), expect=404)  # no longer theirs
    t = await step(c, t, "dispatch", people.operator, {"department": "WJJ", "co_departments": []})
    assert (t["status"], t["department"]) == ("dispatched", "WJJ")


async def test_extension_urge_and_confidential(hotline: ServiceUnderTest, people: People) -> None:
    c = hotline.client
    requester = {"name": "李四", "phone": "13900001111", "confidential": True}
    t = await step(
        c, await create(c, people.operator, requester=requester), "dispatch", people.operator
    )
    seen = await c.get(f"{BASE}/tickets/{t['id']}", headers=people.head("SCJGJ"))
    assert seen.json()["requester"] == {
        **seen.json()["requester"],
        "name": None,
        "phone": None,
        "hidden": True,
    }
    due = t["due_at"]
    t = await step(c, t, "extension", people.head("SCJGJ"), {"days": 3, "reason": "需现场检测"})
    await step(c, t, "extension", people.head("SCJGJ"), {"days": 3, "reason": "再延"}, expect=409)
    t = await step(c, t, "extension-decision", people.center_head, {"approve": True})
    assert t["extension_status"] == "approved"
    assert t["due_at"] > due
    await step(c, t, "urge", people.head("SCJGJ"), {}, expect=403)
    t = await step(c, t, "urge", people.bureau, {"supervise": True, "note": "督办"})
    assert (t["urge_count"], t["supervised"]) == (1, True)


async def test_the_lead_department_sees_a_phone_in_full_with_a_reason_audited(
    hotline: ServiceUnderTest, people: People
) -> None:
    """It must 联系 the requester within 1 working day: the lead department may read the
    number of a non-confidential requester, giving a reason; never a confidential one's."""
    c = hotline.client
    t = await step(c, await create(c, people.operator), "dispatch", people.operator)
    path = f"{BASE}/tickets/{t['id']}/requester-phone"
    reason = {"reason": "签收后电话联系诉求人"}
    seen = await c.get(f"{BASE}/tickets/{t['id']}", headers=people.head("SCJGJ"))
    assert seen.json()["requester"]["phone"] == "138****5678"
    assert seen.json()["phone_revealable"] is True
    co = await c.get(f"{BASE}/tickets/{t['id']}", headers=people.head("WJJ"))
    assert co.json()["phone_revealable"] is False

    assert (await c.post(path, json=reason, headers=people.head("ZJJ"))).status_code == 404
    refused = await c.post(path, json=reason, headers=people.head("WJJ"))  # co-handling
    assert (refused.status_code, refused.json()["type"]) == (
        403,
        f"{PROBLEM_BASE}not-lead-department",
    )
    no_reason = await c.post(path, json={"reason": ""}, headers=people.staff("SCJGJ"))
    assert no_reason.status_code == 422
    shown = await c.post(path, json=reason, headers=people.staff("SCJGJ"))
    assert (shown.status_code, shown.json()) == (200, {"phone": "13812345678"})
    async with hotline.app.state.db.read() as session:
        audited = await session.execute(
            select(AuditEntry.position, AuditEntry.detail).where(AuditEntry.object_id == t["id"])
        )
    assert [tuple(a) for a in audited] == [
        ("SCJGJ:staff", {"fields": ["requester_phone"], "reason": "签收后电话联系诉求人"})
    ]

    hidden = {"name": "李四", "phone": "13900001111", "confidential": True}
    secret = await step(
        c, await create(c, people.operator, requester=hidden), "dispatch", people.operator
    )
    read = await c.get(f"{BASE}/tickets/{secret['id']}", headers=people.head("SCJGJ"))
    assert read.json()["phone_revealable"] is False
    never = await c.post(
        f"{BASE}/tickets/{secret['id']}/requester-phone", json=reason, headers=people.head("SCJGJ")
    )
    assert (never.status_code, never.json()["type"]) == (
        403,
        f"{PROBLEM_BASE}confidential-requester",
    )
