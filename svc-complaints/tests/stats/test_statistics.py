"""Statistics: by category, respondent and month (each with its rates and working days to
办结); acceptance, on-time and satisfaction rates; amounts recovered for unpaid bills.
Oversight reads them, the departments do not."""

from datetime import timedelta

from tests.builders import BASE, AComplaint, People, Walk, register, step
from yingshang.clock import FrozenClock
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
    first = s["by_respondent"][0]
    assert (first["key"], first["label"], first["count"]) == ("SCJGJ", "市场监督管理局", 2)
    assert [(m["month"], m["received"], m["closed"]) for m in s["by_month"]] == [
        ("2026-03", 3, 2)  # the refusal closed its case too
    ]
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


async def test_each_group_has_its_rates_and_days_to_close(
    complaints: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    """A center head compares categories, respondents and months: on time, satisfied, and
    how many working days a case took to 办结 (from the day after receipt)."""
    c, p = complaints.client, people
    late = await register(c, p.clerk, AComplaint(category="inaction"))  # Monday 2 March
    handled = await walk.resolved()
    clock.advance(timedelta(days=2))  # Wednesday: two working days after the receipt day
    await step(c, handled, "confirm", p.clerk, {"note": "企业电话确认满意"})
    clock.advance(timedelta(days=8))  # the 3-working-day acceptance decision is late now
    await step(c, late, "accept", p.officer)

    response = await c.get(f"{BASE}/statistics", params={"from": "2026-03-01"}, headers=p.bureau)
    assert response.status_code == 200, response.text
    s = response.json()
    figures = ("count", "closed", "on_time_rate", "satisfaction_rate",
               "average_working_days_to_close")  # fmt: skip
    by_category = {x["key"]: tuple(x[f] for f in figures) for x in s["by_category"]}
    assert by_category == {
        "arbitrary_charges": (1, 1, 1.0, 1.0, 2.0),
        "inaction": (1, 0, 0.0, None, None),  # its reply clock runs: not judged yet
    }
    respondent = s["by_respondent"][0]
    assert (respondent["key"], respondent["count"], respondent["closed"]) == ("SCJGJ", 2, 1)
    assert 0 < respondent["on_time_rate"] < 1
    month = s["by_month"][0]
    assert (month["satisfaction_rate"], month["average_working_days_to_close"]) == (1.0, 2.0)
    assert s["average_working_days_to_close"] == 2.0
    acceptance = s["on_time_by_stage"]["acceptance"]
    assert (acceptance["numerator"], acceptance["denominator"]) == (1, 2)
    assert s["on_time_by_stage"]["reply"]["rate"] == 1.0
