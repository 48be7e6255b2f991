"""The requester in the ticket's free text (DOMAIN.md, Hotline: confidentiality; the phone
masked except for hotline operators): what the requester block hides or masks does not come
back through the title, the content, a reply, a reason or a timeline note — in the detail, the
lists, a keyword search and the events."""

from typing import Any

from yingshang.testing.apps import ServiceUnderTest

from .builders import BASE, People, create, outbox_events, step

SECRET = {
    "name": "周九",
    "phone": "13655556666",
    "confidential": True,
    "enterprise_name": "凤冈县绿源茶业有限公司",
    "enterprise_uscc": "91520327MA6DM8Q41N",
}
IDENTITY = ("周九", "13655556666", "5555", "绿源茶业", "91520327MA6DM8Q41N")


async def _read(hotline: ServiceUnderTest, ticket: dict[str, Any], who: dict[str, str]) -> Any:
    seen = await hotline.client.get(f"{BASE}/tickets/{ticket['id']}", headers=who)
    assert seen.status_code == 200, seen.text
    return seen.json()


async def test_a_confidential_requester_is_hidden_in_the_text_a_department_reads(
    hotline: ServiceUnderTest, people: People
) -> None:
    c = hotline.client
    t = await create(
        c,
        people.operator,
        type="report",
        title="周九举报绿源茶业违规生产",
        content="我是周九，电话136 5555 6666，绿源茶业（91520327MA6DM8Q41N）夜间违规生产。",
        requester=SECRET,
    )
    t = await step(c, t, "dispatch", people.operator, {"note": "周九要求保密，回电13655556666"})
    department = people.staff("SCJGJ")

    seen = await _read(hotline, t, department)
    assert seen["requester"]["hidden"] is True
    assert (seen["requester"]["enterprise_name"], seen["requester"]["enterprise_uscc"]) == (
        None,
        None,
    )
    assert seen["content"] == "我是[已隐去]，电话[已隐去]，[已隐去]（[已隐去]）夜间违规生产。"
    assert seen["title"] == "[已隐去]举报[已隐去]违规生产"
    dispatched = next(e for e in seen["timeline"] if e["action"] == "dispatch")
    assert dispatched["note"] == "[已隐去]要求保密，回电[已隐去]"
    listed = await c.get(f"{BASE}/tickets", params={"q": "违规生产"}, headers=department)
    assert [i["title"] for i in listed.json()["items"]] == ["[已隐去]举报[已隐去]违规生产"]
    for text in (str(seen), listed.text):
        assert not [word for word in IDENTITY if word in text], text
    # nor is the ticket found by the requester's name or enterprise (the operator finds it)
    for word in ("周九", "绿源茶业"):
        found = await c.get(f"{BASE}/tickets", params={"q": word}, headers=department)
        assert found.json()["items"] == [], word
        found = await c.get(f"{BASE}/tickets", params={"q": word}, headers=people.operator)
        assert [i["id"] for i in found.json()["items"]] == [t["id"]], word

    # a reply naming the requester reads as redacted to the department too
    t = await step(c, t, "sign", people.head("SCJGJ"))
    t = await step(c, t, "contact", people.head("SCJGJ"))
    await step(c, t, "reply", department, {"body": "已核实绿源茶业夜间生产，责令停产。"})
    seen = await _read(hotline, t, department)
    assert seen["replies"][0]["body"] == "已核实[已隐去]夜间生产，责令停产。"

    # the operator reads it all (the read is audited)
    full = await _read(hotline, t, people.operator)
    assert full["content"].startswith("我是周九，电话136 5555 6666，绿源茶业")
    assert full["replies"][0]["body"] == "已核实绿源茶业夜间生产，责令停产。"


async def test_the_requesters_phone_reads_masked_in_the_text_as_in_its_field(
    hotline: ServiceUnderTest, people: People
) -> None:
    c = hotline.client
    t = await create(
        c,
        people.operator,
        title="反映餐馆卫生，电话13900001111",
        content="张三反映餐馆卫生差，电话13900001111，可随时联系（139-0000-1111）。",
        requester={"name": "张三", "phone": "13900001111"},
    )
    t = await step(c, t, "dispatch", people.operator)
    for who in (people.staff("SCJGJ"), people.center_head, people.bureau):
        seen = await _read(hotline, t, who)
        assert seen["requester"]["phone"] == "139****1111"
        assert seen["content"] == "张三反映餐馆卫生差，电话139****1111，可随时联系（139****1111）。"
        assert seen["title"] == "反映餐馆卫生，电话139****1111"
        listed = await c.get(f"{BASE}/tickets", headers=who)
        assert "13900001111" not in listed.text
    full = await _read(hotline, t, people.operator)
    assert "13900001111" in full["content"]

    # a department's reason naming the number goes out masked in the event
    t = await step(
        c, t, "return", people.head("SCJGJ"), {"reason": "诉求人13900001111所述不属本单位职责"}
    )
    returned = [e for e in await outbox_events(hotline, t["id"]) if e["type"].endswith("returned")]
    assert returned[0]["data"]["reason"] == "诉求人139****1111所述不属本单位职责"
