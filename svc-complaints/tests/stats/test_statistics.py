"""Statistics: by category, respondent and month; acceptance, on-time and satisfaction
rates; amounts recovered for unpaid bills. Oversight reads them, the departments do not."""

from tests.builders import BASE, AComplaint, People, Walk, register, step
from yingshang.testing.apps import ServiceUnderTest


async def test_figures_of_a_month(complaints: ServiceUnderTest, people: People, walk: Walk) -> None:
    c, p = complaints.client, people
    confirmed = await walk.resolved()
    await step(c, confirmed, "confirm", p.clerk, {"note": "企业电话确认满意"})
    rejected = await register(c, p.clerk)
    await step(
        c,
        rejected,
        "reject",
        p.officer,
        {
            "exclusion": "civil_dispute",
            "note": "企业之间的合同纠纷",
            "referral": "可向人民法院起诉",
        },
    )
    bill = AComplaint(category="unpaid_bills", respondent="ZJJ").with_(
        extra={"claimed_amount": "286000.50", "bill_due_date": "2025-12-31"}
    )
    case = await register(c, p.clerk, bill)
    case = await step(c, case, "accept", p.officer)
    case = await step(c, case, "assign", p.officer)
    case = await step(c, case, "investigate", p.staff("ZJJ"), {"note": "核对合同与验收单"})
    case = await step(c, case, "reply", p.head("ZJJ"), {"reply": "已支付十万元，余款三月底付清"})
    case = await step(
        c, case, "resolve", p.officer, {"result": "已支付部分款项", "recovered_amount": "100000.00"}
    )
    await step(c, case, "dispute", p.officer, {"note": "企业要求一次付清"})

    assert (await c.get(f"{BASE}/statistics", headers=p.head())).status_code == 403
    response = await c.get(f"{BASE}/statistics", params={"from": "2026-03-01"}, headers=p.bureau)
    assert response.status_code == 200, response.text
    s = response.json()
    assert s["received"] == 3
    assert {x["key"]: x["count"] for x in s["by_category"]} == {
        "arbitrary_charges": 2,
        "unpaid_bills": 1,
    }
    assert s["by_respondent"][0] == {"key": "SCJGJ", "label": "市场监督管理局", "count": 2}
    assert s["by_month"] == [{"month": "2026-03", "received": 3, "closed": 2}]
    assert (s["acceptance_rate"]["numerator"], s["acceptance_rate"]["denominator"]) == (2, 3)
    assert s["satisfaction_rate"]["rate"] == 0.5
    assert s["on_time_rate"]["rate"] == 1.0
    assert s["unpaid_bills"] == {
        "cases": 1,
        "claimed": "286000.50",
        "recovered": "100000.00",
        "recovery_rate": 0.3496,
    }
    # only an end: the year up to it (a past year's figures, not a 422)
    last_year = await c.get(f"{BASE}/statistics", params={"to": "2025-06-30"}, headers=p.bureau)
    assert last_year.status_code == 200, last_year.text
    assert last_year.json()["received"] == 0
    only_to = await c.get(f"{BASE}/statistics", params={"to": "2026-12-31"}, headers=p.bureau)
    assert only_to.json()["received"] == 3
