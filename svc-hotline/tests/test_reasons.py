"""A step's reason follows one rule (yingshang.validators.Reason: at least 2 characters once
trimmed): 退单, 重新办理 and 申请延期 in their bodies, and the refusals the department reads —
审核退回, 不同意退单, 不批准延期 — as their required note. 422 in Chinese at the field, nothing
written."""

from typing import Any

from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, People, create, step


def _refused(problem: dict[str, Any], field: str) -> str:
    [error] = problem["errors"]
    assert error["field"].endswith(field), problem
    return str(error["message"])


async def test_a_one_character_reason_is_refused_on_every_step_that_asks_why(
    hotline: ServiceUnderTest, people: People
) -> None:
    c, op, head = hotline.client, people.operator, people.head("SCJGJ")
    t = await create(c, op)
    t = await step(c, t, "dispatch", op)
    for said in ("错", "  错  "):
        response = await c.post(
            f"{BASE}/tickets/{t['id']}/return",
            json={"reason": said},
            headers={**head, "If-Match": f'"ticket-{t["id"]}-{t["version"]}"'},
        )
        assert response.status_code == 422
        assert _refused(response.json(), "reason") == "至少 2 个字符"
    extension = await c.post(
        f"{BASE}/tickets/{t['id']}/extension",
        json={"days": 2, "reason": "需"},
        headers={**head, "If-Match": f'"ticket-{t["id"]}-{t["version"]}"'},
    )
    assert extension.status_code == 422
    read = await c.get(f"{BASE}/tickets/{t['id']}", headers=people.center_head)
    assert (read.json()["status"], read.json()["extension_status"]) == ("dispatched", None)

    t = await step(c, t, "return", head, {"reason": "错派"})  # two characters: enough
    assert t["return_reason"] == "错派"
    for note in (None, "否", " 否 "):  # 不同意退单: the department reads why
        response = await c.post(
            f"{BASE}/tickets/{t['id']}/return-review",
            json={"approve": False, "note": note},
            headers={**people.center_head, "If-Match": f'"ticket-{t["id"]}-{t["version"]}"'},
        )
        assert response.status_code == 422, response.text
        assert response.json()["field"] == "note"
        assert response.json()["detail"] == "“退单审核不通过”须填写理由（至少 2 个字）"
    t = await step(c, t, "return-review", people.center_head,
                   {"approve": False, "note": "属本单位职责"})  # fmt: skip
    assert t["status"] == "dispatched"


async def test_a_refused_reply_or_extension_says_why(
    hotline: ServiceUnderTest, people: People
) -> None:
    c, op, head, center = hotline.client, people.operator, people.head("SCJGJ"), people.center_head
    t = await create(c, op)
    t = await step(c, t, "dispatch", op)
    t = await step(c, t, "sign", head)
    t = await step(c, t, "extension", head, {"days": 2, "reason": "需检测"})
    refused = await c.post(
        f"{BASE}/tickets/{t['id']}/extension-decision",
        json={"approve": False, "note": "否"},
        headers={**center, "If-Match": f'"ticket-{t["id"]}-{t["version"]}"'},
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == "“不批准延期”须填写理由（至少 2 个字）"
    read = (await c.get(f"{BASE}/tickets/{t['id']}", headers=center)).json()
    assert read["extension_status"] == "requested"  # nothing written
    t = await step(c, t, "extension-decision", center, {"approve": False, "note": "时限充足"})
    assert t["extension_status"] == "refused"
    t = await step(c, t, "contact", head)
    t = await step(c, t, "reply", head, {"body": "已责令餐馆整改。"})
    sent_back = await c.post(
        f"{BASE}/tickets/{t['id']}/review",
        json={"approve": False},
        headers={**center, "If-Match": f'"ticket-{t["id"]}-{t["version"]}"'},
    )
    assert sent_back.status_code == 422
    assert sent_back.json()["detail"] == "“审核退回”须填写理由（至少 2 个字）"
    t = await step(c, t, "review", center, {"approve": False, "note": "未写明整改结果"})
    assert t["status"] == "handling"
    assert [e["note"] for e in t["timeline"] if e["action"] == "send_back"] == ["未写明整改结果"]
