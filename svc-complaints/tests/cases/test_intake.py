"""登记: numbers, query codes, the acceptance clock, the ``created`` event without identity;
bad input gets a problem and leaves nothing behind; a pushed complaint opens one case."""

from typing import Any

import orjson
from sqlalchemy import func, select

from tests.builders import BASE, ENTERPRISE, AComplaint, People, register
from yingshang.events.outbox import OutboxEvent
from yingshang.testing.apps import ServiceUnderTest
from ys_complaints.cases.models import ComplaintCase


async def _count(sut: ServiceUnderTest) -> int:
    async with sut.app.state.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(ComplaintCase)) or 0)


async def test_register_opens_a_timed_case(complaints: ServiceUnderTest, people: People) -> None:
    case = await register(complaints.client, people.clerk)
    assert case["number"].startswith("TS20260302-")
    assert len(case["query_code"]) == 8
    assert (case["state"], case["department"], case["respondent"]) == (
        "registered",
        "COMPLAINTS_CENTER",
        "SCJGJ",
    )
    assert case["enterprise"]["name"] == ENTERPRISE["name"]  # the center sees who complains
    assert case["enterprise"]["contact_phone"] == "135****5678"  # a write's response: masked
    [stage] = case["stages"]
    assert (stage["stage"], stage["status"]) == ("acceptance", "running")
    assert stage["due_at"] == "2026-03-05T16:00:00Z"  # Tue, Wed, Thu: 24:00 Thu Shanghai
    async with complaints.app.state.db.read() as session:
        rows = await session.execute(
            select(OutboxEvent.payload).where(OutboxEvent.subject == "ys.complaints.case.created")
        )
        created = rows.scalar_one()
    assert created["subject"] == f"case/{case['id']}"
    assert created["data"]["department"] == "COMPLAINTS_CENTER"
    text = orjson.dumps(created).decode()
    for secret in ENTERPRISE.values():
        assert secret not in text


async def test_detail_for_the_center_is_full_and_audited(
    complaints: ServiceUnderTest, people: People
) -> None:
    case = await register(complaints.client, people.clerk)
    read = await complaints.client.get(f"{BASE}/cases/{case['id']}", headers=people.officer)
    assert read.headers["ETag"] == f'"case-{case["id"]}-{case["version"]}"'
    assert read.json()["enterprise"]["contact_phone"] == "13512345678"
    audit = await complaints.client.get(f"{BASE}/cases/{case['id']}", headers=people.clerk)
    assert audit.status_code == 200
    from yingshang.audit import AuditEntry

    async with complaints.app.state.db.read() as session:
        details = (
            await session.scalars(
                select(AuditEntry.detail).where(AuditEntry.object_id == case["id"])
            )
        ).all()
    assert details == [{"fields": ["contact_name", "contact_phone"]}] * 2


async def test_bad_complaints_get_problems_and_leave_nothing(
    complaints: ServiceUnderTest, people: People
) -> None:
    bad: list[tuple[dict[str, Any], str]] = [
        (AComplaint(enterprise={**ENTERPRISE, "uscc": "91520327MA6DM8Q41X"}).build(), "uscc"),
        (AComplaint().anonymous().with_(enterprise=ENTERPRISE).build(), "enterprise"),
        (AComplaint(category="unpaid_bills").build(), "claimed_amount"),
        (AComplaint(category="other").build(), "category_other"),
        (AComplaint(respondent="NOWHERE").build(), "respondent"),
    ]
    for body, field in bad:
        response = await complaints.client.post(f"{BASE}/cases", json=body, headers=people.clerk)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in response.text
    assert await _count(complaints) == 0


async def test_what_a_category_requires_is_refused_as_missing_not_as_malformed(
    complaints: ServiceUnderTest, people: People
) -> None:
    """An unpaid bill without its amount and due date, an 'other' matter without its words, a
    real-name complaint without the enterprise: each field left out is ``missing`` (the
    console says it must be filled), at its own name, on the public form as at the center."""
    bill_words = "拖欠企业账款的投诉须填写涉及金额和账款约定支付日期"
    cases = [
        (
            AComplaint(category="unpaid_bills"),
            {},
            [("claimed_amount", bill_words), ("bill_due_date", bill_words)],
        ),
        (
            AComplaint(category="unpaid_bills"),
            {"claimed_amount": "1000.00"},
            [("bill_due_date", bill_words)],
        ),
        (
            AComplaint(category="other"),
            {},
            [("category_other", "选择“其他”类别时须说明投诉的事项")],
        ),
        (AComplaint(enterprise=None), {}, [("enterprise", "实名投诉须填写企业信息")]),
    ]
    for complaint, extra, expected in cases:
        body = complaint.with_(extra=extra).build()
        for url, headers in ((f"{BASE}/cases", people.clerk), (f"{BASE}/public/cases", {})):
            response = await complaints.client.post(url, json=body, headers=headers)
            assert response.status_code == 422, response.text
            errors = response.json()["errors"]
            assert [(e["field"], e["message"]) for e in errors] == expected, url
            assert {e["type"] for e in errors} == {"missing"}
    assert await _count(complaints) == 0


async def test_wrong_callers_are_refused(complaints: ServiceUnderTest, people: People) -> None:
    body = AComplaint().build()
    for headers, status in ((people.head(), 403), (people.bureau, 403), ({}, 401)):
        response = await complaints.client.post(f"{BASE}/cases", json=body, headers=headers)
        assert response.status_code == status
    assert await _count(complaints) == 0


async def test_a_pushed_complaint_opens_one_case(
    complaints: ServiceUnderTest, people: People
) -> None:
    body = (
        AComplaint(category="unpaid_bills")
        .with_(
            extra={"claimed_amount": "286000.50", "bill_due_date": "2025-12-31", "source": "web"}
        )
        .build()
    )
    client = complaints.client
    no_key = await client.post(f"{BASE}/cases", json=body, headers=people.province())
    assert no_key.status_code == 400
    headers = {**people.province(), "Idempotency-Key": "prov-4f1c2a9e-0001"}
    first = await client.post(f"{BASE}/cases", json=body, headers=headers)
    again = await client.post(f"{BASE}/cases", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["source"] == "province"
    assert first.json()["claimed_amount"] == "286000.50"
    assert first.json()["payment_overdue_days"] == 61  # due 2025-12-31, today 2026-03-02
    assert first.json()["enterprise"]["uscc"] == "91520327********1N"  # a client sees it masked
    assert await _count(complaints) == 1
    mine = await client.get(f"{BASE}/cases", headers=people.province())
    assert [c["id"] for c in mine.json()["items"]] == [first.json()["id"]]


REFUSAL = {
    "exclusion": "litigation",
    "note": "企业称已就该事项向县人民法院起诉",
    "referral": "请通过已进行的诉讼程序主张权利",
}


async def test_a_matter_not_taken_is_answered_as_it_is_registered(
    complaints: ServiceUnderTest, people: People
) -> None:
    """来访: the officer registers and answers 不予受理 at once (one transaction); a clerk
    may register but not decide, and a refused attempt leaves nothing."""
    body = AComplaint().with_(extra={"source": "walk_in", "not_accepted": REFUSAL}).build()
    clerk = await complaints.client.post(f"{BASE}/cases", json=body, headers=people.clerk)
    assert clerk.status_code == 403, clerk.text
    assert await _count(complaints) == 0
    made = await complaints.client.post(f"{BASE}/cases", json=body, headers=people.officer)
    assert made.status_code == 201, made.text
    case = made.json()
    assert (case["state"], case["source"], case["exclusion"]) == (
        "not_accepted",
        "walk_in",
        "litigation",
    )
    assert case["referral"] == REFUSAL["referral"]
    assert case["enterprise"]["contact_phone"] == "135****5678"  # masked after save
    [stage] = case["stages"]
    assert (stage["stage"], stage["status"], stage["on_time"]) == ("acceptance", "completed", True)
    assert case["actions"] == []
    timeline = await complaints.client.get(
        f"{BASE}/cases/{case['id']}/timeline", headers=people.officer
    )
    steps = [e["action"] for e in timeline.json() if not e["action"].startswith("stage_")]
    assert steps == ["created", "reject"]


async def test_the_center_is_shown_the_enterprises_open_complaints(
    complaints: ServiceUnderTest, people: People
) -> None:
    """疑似重复: a phoned complaint of an enterprise that already has open cases lists them
    (same USCC) — never the closed ones, another enterprise's, or one against the center
    (hidden from the center); a provincial push gets no hints (no identity search)."""
    client = complaints.client
    first = await register(client, people.clerk)
    await register(client, people.officer, AComplaint().with_(extra={"not_accepted": REFUSAL}))
    await register(client, people.clerk, AComplaint(respondent="COMPLAINTS_CENTER"))
    other = {**ENTERPRISE, "name": "凤冈县另一家公司", "uscc": "91520327MA6DM8QA0R"}
    await register(client, people.clerk, AComplaint(enterprise=other))
    phoned = AComplaint(category="inaction").with_(extra={"source": "phone"})
    case = await register(client, people.clerk, phoned)
    assert case["source"] == "phone"
    assert [(d["id"], d["number"]) for d in case["duplicates"]] == [(first["id"], first["number"])]
    assert case["duplicates"][0]["enterprise_name"] == ENTERPRISE["name"]
    assert first["duplicates"] == []
    headers = {**people.province(), "Idempotency-Key": "prov-4f1c2a9e-0002"}
    pushed = await client.post(f"{BASE}/cases", json=AComplaint().build(), headers=headers)
    assert (pushed.status_code, pushed.json()["duplicates"]) == (201, [])
