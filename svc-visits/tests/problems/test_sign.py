"""一把手亲自接单 on a 交办单: only the head of the department it was handed to signs for it
(签收), a cross-posted person included; the department then contacts the enterprise (联系)
before it proposes a solution; both are timed stages (五限时) with their timeline entries and
events. A joint meeting's task has no enterprise to contact."""

from typing import Any

from tests.builders import BASE, People, Walk, etag, ok
from tests.meetings.test_meetings import a_decision, a_meeting, problem, record
from tests.problems.test_flow import event_names, payload
from yingshang.testing.apps import ServiceUnderTest

SIGN_DUE = "2026-03-03T16:00:00Z"  # 交办 Monday 2026-03-02: 1 working day, 24:00 Shanghai


def clocks(p: dict[str, Any]) -> dict[str, str]:
    return {s["stage"]: s["status"] for s in p["stages"]}


async def timeline(sut: ServiceUnderTest, p: dict[str, Any], people: People) -> list[Any]:
    entries = await ok(
        await sut.client.get(f"{BASE}/problems/{p['id']}/timeline", headers=people.center)
    )
    return [(e["action"], e["label"], e["from_label"], e["to_label"]) for e in entries]


async def test_only_the_departments_head_signs_for_it(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    p = await walk.assigned("GXJ")
    assert p["state"] == "assigned"
    assert (clocks(p)["sign"], p["due_at"]) == ("running", SIGN_DUE)
    assert (await payload(visits, p["id"], "assigned"))["sign_due_at"] == SIGN_DUE
    # nothing is done at the department before its head signs for it
    await walk.step(p, "propose", people.staff(), {"proposal": "x"}, expect=409)
    await walk.step(p, "contact", people.staff(), {"channel": "phone"}, expect=409)
    staff = await ok(await visits.client.get(f"{BASE}/problems/{p['id']}", headers=people.staff()))
    assert "sign" not in staff["actions"]
    for someone in (people.staff(), people.center, people.bureau, people.committee):
        refused = await visits.client.post(
            f"{BASE}/problems/{p['id']}/sign",
            json={},
            headers={**someone, "If-Match": etag("problem", p)},
        )
        assert refused.status_code == 403, refused.text
        problem_json = refused.json()
        assert problem_json["type"].endswith("/head-signs")
        assert "一把手" in problem_json["detail"]
    await walk.step(p, "sign", people.head("SCJGJ"), expect=404)  # another unit's head
    unchanged = await ok(await visits.client.get(f"{BASE}/problems/{p['id']}",
                                                 headers=people.center))  # fmt: skip
    assert (unchanged["state"], unchanged["version"], unchanged["signed_at"]) == (
        "assigned", p["version"], None)  # fmt: skip

    head = await ok(await visits.client.get(f"{BASE}/problems/{p['id']}", headers=people.head()))
    assert head["actions"] == ["sign", "return"]
    signed = await walk.step(p, "sign", people.at("GXJ", "head", "GX0001"), {"note": "亲自接单"})
    assert (signed["state"], signed["signed_by_staff_no"], signed["signed_at"]) == (
        "signed", "GX0001", "2026-03-02T02:00:00Z")  # fmt: skip
    assert clocks(signed) == {
        "sign": "completed", "contact": "running", "proposal": "running", "resolution": "running"
    }  # fmt: skip
    [sign] = [s for s in signed["stages"] if s["stage"] == "sign"]
    assert sign["on_time"] is True
    assert ("sign", "签收", "已交办", "已签收") in await timeline(visits, signed, people)
    assert (await payload(visits, p["id"], "signed"))["signed_at"] == "2026-03-02T02:00:00Z"
    await walk.step(signed, "sign", people.head(), expect=409)  # signed once


async def test_a_cross_posted_head_of_the_department_signs(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """交叉挂职: a bureau member who is also the department's head signs as its head."""
    p = await walk.assigned("GXJ")
    cross_posted = people.issuer.headers(("BUREAU", "staff"), ("GXJ", "head"), staff_no="GX0009")
    signed = await walk.step(p, "sign", cross_posted)
    assert (signed["state"], signed["signed_by_staff_no"]) == ("signed", "GX0009")
    entries = await ok(await visits.client.get(f"{BASE}/problems/{p['id']}/timeline",
                                               headers=people.center))  # fmt: skip
    [entry] = [e for e in entries if e["action"] == "sign"]
    assert (entry["position_dept"], entry["position_role"]) == ("GXJ", "head")
    # a head of a unit acting in another post only (X-Acting-Position) does not sign as head
    other = await walk.assigned("GXJ")
    acting = {**cross_posted, "X-Acting-Position": "BUREAU/staff"}
    await walk.step(other, "sign", acting, expect=403)


async def test_the_enterprise_is_contacted_before_the_proposal(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    signed = await walk.signed("GXJ")
    assert signed["actions"] == ["return", "contact"]  # the head may still return it
    staff = await ok(await visits.client.get(f"{BASE}/problems/{signed['id']}",
                                             headers=people.staff()))  # fmt: skip
    assert staff["actions"] == ["contact"]  # no proposal before 联系
    refused = await visits.client.post(
        f"{BASE}/problems/{signed['id']}/propose",
        json={"proposal": "协调供电局。"},
        headers={**people.staff(), "If-Match": etag("problem", signed)},
    )
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/contact-first")
    await walk.step(signed, "contact", people.staff(), {"channel": "fax"}, expect=422)
    contacted = await walk.step(signed, "contact", people.staff(),
                                {"channel": "on_site", "note": "上门了解用电需求"})  # fmt: skip
    assert (contacted["state"], contacted["contact_channel"]) == ("contacted", "on_site")
    assert contacted["contacted_at"] == "2026-03-02T02:00:00Z"
    assert clocks(contacted)["contact"] == "completed"
    assert "propose" in contacted["actions"]
    assert ("contact", "联系企业", "已签收", "已联系企业") in await timeline(
        visits, contacted, people
    )
    event = await payload(visits, signed["id"], "contacted")
    assert (event["channel"], event["department"]) == ("on_site", "GXJ")
    proposed = await walk.step(contacted, "propose", people.staff(), {"proposal": "协调供电局。"})
    assert proposed["state"] == "in_progress"
    names = await event_names(visits, signed["id"])
    assert names.index("signed") < names.index("contacted") < names.index("proposed")


async def test_returned_after_signing_the_next_department_signs_again(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    contacted = await walk.contacted("GXJ")
    await walk.step(contacted, "return", people.staff(), {"note": "不属本局职责"}, expect=403)
    returned = await walk.step(contacted, "return", people.head(), {"note": "不属本局职责"})
    assert (returned["state"], returned["signed_at"], returned["contacted_at"]) == (
        "raised", None, None)  # fmt: skip
    assert all(s["status"] in ("completed", "cancelled") for s in returned["stages"])
    again = await walk.step(returned, "assign", people.center, {"department": "FGJ"})
    assert (again["state"], clocks(again)["sign"]) == ("assigned", "running")
    await walk.step(again, "sign", people.head("GXJ"), expect=404)  # no longer GXJ's
    assert (await walk.step(again, "sign", people.head("FGJ")))["state"] == "signed"


async def test_a_joint_meeting_task_is_signed_for_and_has_no_one_to_contact(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    await walk.indicator()
    meeting = await record(visits, people, a_meeting(a_decision()))
    task = await problem(visits, people, meeting["decisions"][0]["id"])
    await walk.step(task, "sign", people.staff("SCJGJ"), expect=403)
    task = await walk.step(task, "sign", people.head("SCJGJ"))
    assert task["state"] == "signed"
    assert "contact" not in clocks(task)  # no enterprise: no contact clock
    staff = await ok(await visits.client.get(f"{BASE}/problems/{task['id']}",
                                             headers=people.staff("SCJGJ")))  # fmt: skip
    assert staff["actions"] == ["propose"]
    await walk.step(task, "contact", people.staff("SCJGJ"), {"channel": "phone"}, expect=403)
    proposed = await walk.step(task, "propose", people.staff("SCJGJ"), {"proposal": "一网通办。"})
    assert proposed["state"] == "in_progress"
