"""The detail's ``actions``: what the caller's position may do with the ticket now — exactly
the steps the service then takes (a listed step succeeds, an unlisted one is refused)."""

from typing import Any

from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, People, create, step, ticket_body


async def _actions(
    hotline: ServiceUnderTest, ticket: dict[str, Any], who: dict[str, str]
) -> set[str]:
    response = await hotline.client.get(f"{BASE}/tickets/{ticket['id']}", headers=who)
    assert response.status_code == 200, response.text
    return set(response.json()["actions"])


async def test_actions_follow_state_and_position(hotline: ServiceUnderTest, people: People) -> None:
    c = hotline.client
    t = await create(c, people.operator)  # a 投诉 by a citizen: neither answered nor transferred
    assert set(t["actions"]) == {"dispatch", "merge"}  # the intake answer carries them too
    assert await _actions(hotline, t, people.operator) == {"dispatch", "merge"}
    assert await _actions(hotline, t, people.bureau) == set()
    refused = await c.post(
        f"{BASE}/tickets/{t['id']}/answer",
        json={"answer": "答复"},
        headers={**people.operator, "If-Match": f'"ticket-{t["id"]}-{t["version"]}"'},
    )  # the operator reads why, in Chinese
    assert (refused.status_code, refused.json()["detail"]) == (
        422,
        "只有咨询类诉求可以直接答复，其他诉求请派单",
    )

    t = await step(c, t, "dispatch", people.operator)
    assert set(t["actions"]) == {"merge"}  # the operator's view after her step
    head, staff = people.head("SCJGJ"), people.staff("SCJGJ")
    assert await _actions(hotline, t, head) == {"sign", "return", "request_extension"}
    assert await _actions(hotline, t, staff) == set()
    assert await _actions(hotline, t, people.bureau) == {"urge"}
    assert await _actions(hotline, t, people.center_head) == {"merge", "urge"}
    await step(c, t, "sign", staff, expect=403)

    t = await step(c, t, "extension", head, {"days": 2, "reason": "需现场核查"})
    assert await _actions(hotline, t, head) == {"sign", "return"}  # one request at a time
    assert "decide_extension" in await _actions(hotline, t, people.center_head)
    t = await step(
        c, t, "extension-decision", people.center_head, {"approve": False, "note": "无需延期"}
    )
    assert "decide_extension" not in await _actions(hotline, t, people.center_head)

    t = await step(c, t, "sign", head)
    assert await _actions(hotline, t, staff) == {"contact"}
    t = await step(c, t, "contact", staff)
    assert await _actions(hotline, t, staff) == {"reply"}
    t = await step(c, t, "reply", staff, {"body": "已处理"})
    assert await _actions(hotline, t, staff) == set()
    assert await _actions(hotline, t, people.center_head) == {"accept", "send_back", "urge"}
    assert await _actions(hotline, t, people.operator) == set()  # a clerk does not review
    t = await step(c, t, "review", people.center_head, {"approve": True})

    assert await _actions(hotline, t, people.operator) == {"revisit"}
    t = await step(c, t, "revisit", people.operator, {"level": 5})
    assert await _actions(hotline, t, people.center_head) == {"archive"}  # satisfied: no reopen
    assert await _actions(hotline, t, people.operator) == set()


async def test_answer_reopen_and_transfer_only_where_they_apply(
    hotline: ServiceUnderTest, people: People
) -> None:
    c = hotline.client
    consult = await create(c, people.operator, type="consult")
    assert await _actions(hotline, consult, people.operator) == {"answer", "dispatch", "merge"}
    closed = await step(c, consult, "answer", people.operator, {"answer": "请携带身份证办理"})
    revisited = await step(c, closed, "revisit", people.operator, {"level": 1})
    assert await _actions(hotline, revisited, people.center_head) == {"reopen", "archive"}

    enterprise = {"name": "赵五", "phone": "13700001111", "enterprise_name": "某某科技有限公司"}
    complaint = await create(c, people.operator, requester=enterprise)
    assert "transfer" in await _actions(hotline, complaint, people.operator)
    pushed = await hotline.client.post(
        f"{BASE}/tickets",
        json={**ticket_body(), "external_id": "E-ACTIONS"},
        headers={**people.province(), "Idempotency-Key": "push-actions"},
    )
    assert pushed.status_code == 201, pushed.text
    assert pushed.json()["actions"] == []  # an integration client takes no steps
