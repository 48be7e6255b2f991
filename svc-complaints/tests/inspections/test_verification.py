"""暗访 findings (DOMAIN.md: findings against a department → rectification task with deadline →
verification): the department rectifies, the inspectors (the center and the bureau) verify —
never a person of the department itself, whatever inspector post they also hold (交叉挂职).
And findings are listed by overdue (ARCHITECTURE.md: lists filterable by status, department,
overdue): still being rectified past the deadline."""

from datetime import timedelta
from typing import Any

from tests.builders import BASE, RESPONDENT, People, inspect
from tests.inspections.test_findings import act
from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest

WINDOW = {"department": RESPONDENT, "finding_class": "irregular", "description": "窗口未一次性告知"}
PHONE = {"department": "ZJJ", "finding_class": "unaccountable", "description": "咨询电话无人接听"}


async def inspection(c: Any, p: People, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return list((await inspect(c, p.officer, findings))["findings"])


async def test_the_department_does_not_verify_its_own_rectification(
    complaints: ServiceUnderTest, people: People
) -> None:
    p = people
    (finding,) = await inspection(complaints.client, p, [WINDOW])
    both = p.issuer.headers((RESPONDENT, "head"), ("BUREAU", "staff"), staff_no="X0006")
    finding = await act(complaints, finding, "rectify", both, {"note": "已组织窗口人员培训。"})
    assert finding["actions"] == []
    acting = {**both, "X-Acting-Position": "BUREAU/staff"}
    for who in (both, acting):
        await act(complaints, finding, "verify", who, {"note": "验证通过"}, expect=403)
        await act(complaints, finding, "reject", who, {"note": "仍未整改"}, expect=403)
    center_too = p.issuer.headers((RESPONDENT, "staff"), ("COMPLAINTS_CENTER", "head"))
    await act(complaints, finding, "verify", center_too, {"note": "验证通过"}, expect=403)
    verified = await act(complaints, finding, "verify", p.bureau, {"note": "复查合格"})
    assert verified["state"] == "closed"  # the control: the bureau alone verifies


async def test_findings_are_listed_by_overdue(
    complaints: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    c, p = complaints.client, people
    late, later = await inspection(c, p, [{**WINDOW, "deadline_days": 1}, PHONE])

    async def listed(overdue: str) -> list[tuple[str, bool]]:
        page = await c.get(f"{BASE}/findings", params={"overdue": overdue}, headers=p.officer)
        assert page.status_code == 200, page.text
        return sorted((f["id"], f["overdue"]) for f in page.json()["items"])

    assert await listed("true") == []
    clock.advance(timedelta(days=5))
    assert await listed("true") == [(late["id"], True)]
    assert await listed("false") == [(later["id"], False)]
    mine = await c.get(f"{BASE}/findings", params={"overdue": "true"}, headers=p.head())
    assert [f["id"] for f in mine.json()["items"]] == [late["id"]]  # the department's own
    late = (await c.get(f"{BASE}/findings/{late['id']}", headers=p.head())).json()
    await act(complaints, late, "rectify", p.staff(), {"note": "已张贴一次性告知清单"})
    assert await listed("true") == []  # reported: waiting for verification, not late
