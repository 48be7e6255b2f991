"""Dates in a complaint are facts that have happened: a bill's due date (拖欠账款: a bill not yet
due is no arrears) and the day evidence was produced lie within the county's years and not
after its today (Asia/Shanghai), on the public form and at the center's intake alike; and a
list's received period must not end before it starts. Each is a 422 problem naming the field."""

from datetime import UTC, datetime

import httpx

from tests.builders import BASE, AComplaint, People
from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest


def unpaid_bill(due: str) -> AComplaint:
    extra = {"claimed_amount": "286000.50", "bill_due_date": due}
    return AComplaint(category="unpaid_bills", respondent="ZJJ").with_(extra=extra)


def named_fields(response: httpx.Response) -> list[str]:
    """The fields a 422 validation problem names."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return [e["field"] for e in response.json()["errors"]]


async def test_a_bill_due_date_has_come_and_is_plausible(
    complaints: ServiceUnderTest, people: People
) -> None:
    c = complaints.client
    # Today is Monday 2026-03-02 in the county: tomorrow is not yet due.
    for due in ("0001-01-01", "9999-12-31", "1899-12-31", "2026-03-03"):
        public = await c.post(f"{BASE}/public/cases", json=unpaid_bill(due).anonymous().build())
        intake = await c.post(f"{BASE}/cases", json=unpaid_bill(due).build(), headers=people.clerk)
        assert named_fields(public) == named_fields(intake) == ["bill_due_date"], due
    due_today = await c.post(
        f"{BASE}/cases", json=unpaid_bill("2026-03-02").build(), headers=people.clerk
    )
    assert due_today.status_code == 201, due_today.text
    assert due_today.json()["payment_overdue_days"] == 0


async def test_today_is_the_countys_not_utcs(
    complaints: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    clock.set(datetime(2026, 3, 2, 17, 0, tzinfo=UTC))  # already Tuesday 01:00 in Shanghai
    c = complaints.client
    tuesday = await c.post(f"{BASE}/public/cases", json=unpaid_bill("2026-03-03").build())
    assert tuesday.status_code == 201, tuesday.text
    wednesday = await c.post(f"{BASE}/public/cases", json=unpaid_bill("2026-03-04").build())
    assert named_fields(wednesday) == ["bill_due_date"]


async def test_evidence_was_produced_by_today(complaints: ServiceUnderTest, people: People) -> None:
    c = complaints.client
    for day in ("2026-03-03", "0001-01-01"):
        evidence = [{"title": "催款函", "kind": "document", "provided_on": day}]
        body = AComplaint().with_(extra={"evidence": evidence}).build()
        r = await c.post(f"{BASE}/cases", json=body, headers=people.clerk)
        assert named_fields(r) == ["evidence.0.provided_on"], day
    evidence = [{"title": "催款函", "kind": "document", "provided_on": "2026-03-02"}]
    body = AComplaint().with_(extra={"evidence": evidence}).build()
    assert (await c.post(f"{BASE}/cases", json=body, headers=people.clerk)).status_code == 201


async def test_a_received_period_must_not_end_before_it_starts(
    complaints: ServiceUnderTest, people: People
) -> None:
    """[received_from, received_to) must hold an instant: an inverted or empty one is refused,
    in Chinese (the shared check of every service's periods)."""
    c = complaints.client
    inverted = {"received_from": "2026-03-02T00:00:00Z", "received_to": "2026-03-01T00:00:00Z"}
    # With and without an offset: a time without one is the county's, so 00:00Z and 08:00
    # are one instant in Fenggang: an empty period.
    same = {"received_from": "2026-03-02T00:00:00Z", "received_to": "2026-03-02T08:00:00"}
    for path in ("cases", "cases/export"):
        for params in (inverted, same):
            r = await c.get(f"{BASE}/{path}", params=params, headers=people.officer)
            assert r.status_code == 422, r.text
            assert (r.json()["field"], r.json()["detail"]) == (
                "received_to",
                "所选期间的结束时间不晚于开始时间，请重新选择日期范围",
            )
    later = {"received_from": "2026-03-02T08:00:00", "received_to": "2026-03-02T00:00:01Z"}
    assert (await c.get(f"{BASE}/cases", params=later, headers=people.officer)).status_code == 200
