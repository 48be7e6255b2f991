"""A party to a case — a person holding any post at the unit complained about (``respondent``)
or handling it (``department``) — is that unit for the case, whatever other posts they hold
(交叉挂职, DOMAIN.md: people hold several positions at once).

DOMAIN.md, Enterprise complaints: the complainant's identity is visible only to the complaints
center's own staff; the department complained about sees a redacted case; the bureau and the
committee see it masked and may unmask only with a recorded reason. So a party gets the unit's
view, never unmasks (not even through a bureau post, nor the bureau on a complaint against the
bureau itself), and never takes the center's decisions on the case (受理 / 不予受理, 交办, 审核,
反馈, 办结, recording the enterprise's answer): no one judges a complaint about their own unit.
A person of the center alone still sees everything and decides.
"""

from typing import Any

from tests.builders import (
    BASE,
    CENTER,
    ENTERPRISE,
    RESPONDENT,
    AComplaint,
    People,
    Walk,
    register,
    step,
)
from yingshang.testing.apps import ServiceUnderTest

REASON = {"reason": "督办需要核实"}


def respondent_and(people: People, dept: str, staff_no: str) -> dict[str, str]:
    """The respondent's head, also posted to ``dept``."""
    return people.issuer.headers((RESPONDENT, "head"), (dept, "staff"), staff_no=staff_no)


async def unmask(c: Any, case: dict[str, Any], headers: dict[str, str]) -> Any:
    return await c.get(f"{BASE}/cases/{case['id']}/identity", params=REASON, headers=headers)


async def test_the_respondent_does_not_unmask_through_a_bureau_post(
    complaints: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """Unmasking follows the view: the respondent's head also posted to the bureau sees the
    redacted case and gets 403 from ``/identity`` — also when acting as the bureau member
    (``X-Acting-Position`` narrows what a person acts as, not whom they belong to)."""
    c = complaints.client
    case = await walk.assigned()
    both = respondent_and(people, "BUREAU", "X0001")
    view = (await c.get(f"{BASE}/cases/{case['id']}", headers=both)).json()
    assert view["identity"] == "redacted"
    for headers in (both, {**both, "X-Acting-Position": "BUREAU/staff"}):
        refused = await unmask(c, case, headers)
        assert refused.status_code == 403, refused.text
        assert ENTERPRISE["contact_phone"] not in refused.text
        assert ENTERPRISE["uscc"] not in refused.text
    shown = await unmask(c, case, people.bureau)  # the control: the bureau alone unmasks
    assert shown.status_code == 200, shown.text
    assert shown.json()["enterprise_uscc"] == ENTERPRISE["uscc"]


async def test_the_bureau_does_not_unmask_a_complaint_against_itself(
    complaints: ServiceUnderTest, people: People
) -> None:
    c, p = complaints.client, people
    case = await register(c, p.clerk, AComplaint(respondent="BUREAU"))
    case = await step(c, case, "accept", p.officer)
    case = await step(c, case, "assign", p.officer)
    view = (await c.get(f"{BASE}/cases/{case['id']}", headers=p.bureau)).json()
    assert view["identity"] == "redacted"
    refused = await unmask(c, case, p.bureau)
    assert refused.status_code == 403, refused.text
    assert ENTERPRISE["uscc"] not in refused.text
    shown = await unmask(c, case, p.committee)  # the committee oversees the bureau
    assert shown.json()["enterprise_uscc"] == ENTERPRISE["uscc"]


async def test_the_respondent_posted_to_the_center_gets_the_units_view(
    complaints: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """A center post does not open the identity of a complaint about one's own unit: the
    redacted view, no unmasking, and an identity search does not find the unit's cases."""
    c, p = complaints.client, people
    case = await walk.assigned()
    both = respondent_and(people, CENTER, "X0002")
    response = await c.get(f"{BASE}/cases/{case['id']}", headers=both)
    assert (response.json()["identity"], response.json()["enterprise"]) == ("redacted", None)
    assert ENTERPRISE["contact_phone"] not in response.text
    assert (await unmask(c, case, both)).status_code == 403
    search = {"uscc": ENTERPRISE["uscc"]}
    found = (await c.get(f"{BASE}/cases", params=search, headers=both)).json()["items"]
    assert found == []
    center = (await c.get(f"{BASE}/cases", params=search, headers=p.officer)).json()["items"]
    assert [x["id"] for x in center] == [case["id"]]  # the control: the center finds it
    assert center[0]["identity"] == "center"


async def test_the_respondent_posted_to_the_center_does_not_refuse_the_complaint(
    complaints: ServiceUnderTest, people: People
) -> None:
    c, p = complaints.client, people
    both = respondent_and(people, CENTER, "X0003")
    case = await register(c, p.clerk)
    body = {"exclusion": "not_infringement", "note": "不属于侵权", "referral": "自行协商"}
    await step(c, case, "reject", both, body, expect=403)
    await step(c, case, "accept", both, expect=403)
    case = await step(c, case, "accept", p.officer)  # the control: the center decides
    await step(c, case, "assign", both, expect=403)
    assert (await step(c, case, "assign", p.officer))["state"] == "assigned"


async def test_the_respondent_posted_to_the_center_does_not_review_its_own_reply(
    complaints: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """The unit answers (its head signs the reply, whatever else they hold); the center
    reviews. The same person does not approve (反馈) or send back what their unit replied."""
    c, p = complaints.client, people
    both = respondent_and(people, CENTER, "X0004")
    case = await walk.assigned()
    case = await step(c, case, "investigate", p.staff(), {"note": "已调取检查记录。"})
    case = await step(c, case, "reply", both, {"reply": "经查不存在指定供应商情况。"})
    seen = (await c.get(f"{BASE}/cases/{case['id']}", headers=both)).json()
    assert seen["actions"] == []
    await step(c, case, "resolve", both, {"result": "经核查，反映情况不属实。"}, expect=403)
    await step(c, case, "send_back", both, {"note": "无需补充"}, expect=403)
    case = await step(c, case, "resolve", p.officer, {"result": "经核查，反映情况不属实。"})
    await step(c, case, "confirm", both, {"note": "企业满意"}, expect=403)
    await step(c, case, "dispute", both, {"note": "企业不满意"}, expect=403)
    case = await step(c, case, "dispute", p.clerk, {"note": "企业认为未查清"})
    await step(c, case, "revisit", both, {"note": "回访企业"}, expect=403)
    case = await step(c, case, "revisit", p.clerk, {"note": "电话回访企业"})
    await step(c, case, "close", both, {"note": "办结"}, expect=403)
    await step(c, case, "reopen", both, {"note": "重新交办"}, expect=403)
    closed = await step(c, case, "close", p.officer, {"note": "经回访，维持原处理"})
    assert closed["state"] == "closed"


async def test_a_party_is_the_responsible_unit_too(
    complaints: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """Handed to another unit (交办 to 综合执法局), a person of that unit posted to the center
    is a party as well: unit's view, no review of the reply."""
    c, p = complaints.client, people
    case = await walk.accepted()
    case = await step(c, case, "assign", p.officer, {"department": "ZHZFJ"})
    both = p.issuer.headers(("ZHZFJ", "head"), (CENTER, "staff"), staff_no="X0005")
    case = await step(c, case, "investigate", both, {"note": "已调取执法记录。"})
    case = await step(c, case, "reply", both, {"reply": "已责令执法人员纠正。"})
    assert case["identity"] == "redacted"
    await step(c, case, "resolve", both, {"result": "经核查属实，已纠正。"}, expect=403)
