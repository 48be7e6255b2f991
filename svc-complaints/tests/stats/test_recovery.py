"""Amounts recovered for unpaid government bills (DOMAIN.md: 保障中小企业款项支付条例; issue 9:
"amounts recovered for unpaid bills") are a share of what was claimed, never above 100 %.

A case accepted as an unpaid bill (also when reclassified at acceptance, e.g. a 12345
transfer taken as "other") states its claimed amount and due date, as intake requires; the
result recovers at most the claim; the statistics count only recoveries of cases with a claim.
"""

from types import SimpleNamespace
from typing import Any

from tests.builders import BASE, AComplaint, People, register, step
from yingshang.testing.apps import ServiceUnderTest
from ys_complaints.stats.service import _bills

BILL = {"claimed_amount": "1000.00", "bill_due_date": "2025-12-31"}


async def _replied(c: Any, p: People, case: dict[str, Any]) -> dict[str, Any]:
    case = await step(c, case, "assign", p.officer)
    case = await step(c, case, "investigate", p.staff("ZJJ"), {"note": "核对合同与验收单"})
    return await step(c, case, "reply", p.head("ZJJ"), {"reply": "已安排支付款项。"})


def _fields(response: Any) -> list[str]:
    assert response.status_code == 422, response.text
    return [e["field"] for e in response.json()["errors"]]


def _missing(response: Any) -> list[str]:
    """The fields refused as left out (type ``missing``: the console says "必须填写")."""
    assert response.status_code == 422, response.text
    return [e["field"] for e in response.json()["errors"] if e["type"] == "missing"]


def _fields_of_problem(response: Any) -> str:
    assert response.status_code == 422, response.text
    return str(response.json()["field"])


async def test_accepted_as_an_unpaid_bill_with_its_amount_and_due_date(
    complaints: ServiceUnderTest, people: People
) -> None:
    c, p = complaints.client, people
    other = AComplaint(category="other", respondent="ZJJ").with_(
        extra={"category_other": "12345 转办 (欠款)"}
    )
    case = await register(c, p.clerk, other)
    url = f"{BASE}/cases/{case['id']}/accept"
    tag = {**p.officer, "If-Match": f'"case-{case["id"]}-{case["version"]}"'}
    as_bill = {"category": "unpaid_bills"}
    nothing = await c.post(url, json=as_bill, headers=tag)
    assert _missing(nothing) == ["claimed_amount", "bill_due_date"]
    assert nothing.json()["detail"] == "拖欠企业账款的投诉须填写涉及金额和账款约定支付日期"
    half = await c.post(url, json={**as_bill, "claimed_amount": "50000.00"}, headers=tag)
    assert _missing(half) == ["bill_due_date"]
    late = await c.post(url, json={**as_bill, **BILL, "bill_due_date": "2026-03-03"}, headers=tag)
    assert _fields(late) == ["bill_due_date"]  # not yet due is no arrears (as at intake)
    after = (await c.get(f"{BASE}/cases/{case['id']}", headers=p.officer)).json()
    assert (after["state"], after["category"], after["claimed_amount"]) == (
        "registered",
        "other",
        None,
    )  # a refused acceptance leaves nothing
    accepted = await step(c, case, "accept", p.officer, {**as_bill, **BILL})
    assert (accepted["category"], accepted["claimed_amount"], accepted["bill_due_date"]) == (
        "unpaid_bills",
        "1000.00",
        "2025-12-31",
    )


async def test_a_result_recovers_at_most_the_claim(
    complaints: ServiceUnderTest, people: People
) -> None:
    c, p = complaints.client, people
    bill = AComplaint(category="unpaid_bills", respondent="ZJJ").with_(extra=BILL)
    case = await register(c, p.clerk, bill)
    case = await _replied(c, p, await step(c, case, "accept", p.officer))
    url = f"{BASE}/cases/{case['id']}/resolve"
    tag = {**p.officer, "If-Match": f'"case-{case["id"]}-{case["version"]}"'}
    too_much = {"result": "已全额支付款项", "recovered_amount": "100000.00"}
    refused = await c.post(url, json=too_much, headers=tag)
    assert _fields_of_problem(refused) == "recovered_amount"
    assert refused.json()["detail"] == "挽回金额不能超过涉及金额（1000.00 元）"  # as staff read it
    whole = {"result": "已全额支付款项", "recovered_amount": "1000.00"}
    resolved = await step(c, case, "resolve", p.officer, whole)
    assert resolved["recovered_amount"] == "1000.00"
    s = (await c.get(f"{BASE}/statistics", headers=p.bureau)).json()["unpaid_bills"]
    assert s == {"cases": 1, "claimed": "1000.00", "recovered": "1000.00", "recovery_rate": 1.0}


def test_only_recoveries_of_claims_count() -> None:
    """Rows stored before these rules (an unpaid bill without a claim, a recovery above the
    claim) do not push the rate over 100 %: a recovery counts only against its own claim."""
    bill, taken = "unpaid_bills", "closed"
    rows = [
        SimpleNamespace(
            category=bill, state=taken, claimed_fen=100_000_00, recovered_fen=100_000_00
        ),
        SimpleNamespace(category=bill, state=taken, claimed_fen=None, recovered_fen=50_000_00),
        SimpleNamespace(category=bill, state=taken, claimed_fen=1_000_00, recovered_fen=100_000_00),
        SimpleNamespace(category=bill, state=taken, claimed_fen=2_000_00, recovered_fen=None),
        SimpleNamespace(
            category="arbitrary_charges", state=taken, claimed_fen=None, recovered_fen=500_00
        ),
    ]
    amounts = _bills(rows)
    assert amounts.cases == 4
    assert (str(amounts.claimed), str(amounts.recovered)) == ("103000.00", "101000.00")
    assert amounts.recovery_rate == round(101_000 / 103_000, 4)


async def test_a_bill_not_accepted_needs_no_amounts_and_is_not_counted(
    complaints: ServiceUnderTest, people: People
) -> None:
    """不予受理 as it is registered (e.g. a civil dispute between enterprises): the center takes
    no claim, so it asks for no amount or due date, and the statistics count neither the case
    nor an amount it was given."""
    c, p = complaints.client, people
    refusal = {
        "exclusion": "civil_dispute",
        "note": "企业之间的买卖合同纠纷",
        "referral": "请通过协商、仲裁或诉讼解决",
    }
    bare = AComplaint(category="unpaid_bills").with_(extra={"not_accepted": refusal})
    made = await register(c, p.officer, bare)
    assert (made["state"], made["claimed_amount"]) == ("not_accepted", None)
    with_amount = AComplaint(category="unpaid_bills").with_(extra={**BILL, "not_accepted": refusal})
    assert (await register(c, p.officer, with_amount))["state"] == "not_accepted"
    s = (await c.get(f"{BASE}/statistics", headers=p.bureau)).json()["unpaid_bills"]
    assert s == {"cases": 0, "claimed": "0.00", "recovered": "0.00", "recovery_rate": None}
