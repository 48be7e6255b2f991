"""Confidentiality (DOMAIN.md: anti-retaliation), generated from the service's own OpenAPI.

Every GET operation of the app is called as the head of the department complained about —
lists, details, timelines, exports, statistics, reports, and the identity searches (by USCC,
by name, by phone, by keyword) wherever an operation offers them — and no response may carry
the enterprise's name (in any usual form), its USCC, or its contact's name or phone. Path and
required query parameters are filled from a seeded case; an operation with a parameter the
filler does not know fails the test, so a new endpoint is covered (or noticed) automatically.
"""

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from tests.builders import BASE, ENTERPRISE, People, Walk, inspect, step, transferred_ticket
from yingshang.audit import AuditEntry
from yingshang.events.inbox import record_dead_letter
from yingshang.testing.apps import ServiceUnderTest
from yingshang.time.models import Policy
from ys_complaints.consumers import EVENTS, on_transferred
from ys_complaints.enforcement.models import EnforcementAction

SECRETS = (
    ENTERPRISE["name"],  # 凤冈县绿源茶业有限公司
    "绿源茶业",  # the name as people write it in passing
    ENTERPRISE["uscc"],
    ENTERPRISE["uscc"].lower(),
    ENTERPRISE["contact_name"],
    ENTERPRISE["contact_phone"],
)
# Optional query parameters that search by identity: each is tried with the secret itself.
IDENTITY_SEARCH = {
    "uscc": ENTERPRISE["uscc"],
    "enterprise": ENTERPRISE["name"],
    "phone": ENTERPRISE["contact_phone"],
    "q": "绿源茶业",
}
REQUIRED_QUERY = {"reason": "核查投诉办理情况"}


@dataclass
class Seeded:
    ids: dict[str, str]


async def _transferred(sut: ServiceUnderTest) -> None:
    """A case opened by a 12345 transfer (identity in full, center to center)."""
    content = "绿源茶业反映镇里要求企业赞助活动，联系人王五 13512345678。"
    event = transferred_ticket("RX20260302-00007", content, "2026-03-02T01:00:00Z")
    parsed = EVENTS.validate(event)
    async with sut.app.state.db.write() as session:
        await on_transferred(session, event, parsed.payload)
        await record_dead_letter(
            session,
            consumer="complaints-hotline-transfers",
            subject=event.type,
            raw=event.to_json(),
            reason="test",
            attempts=5,
            event_id="dead-1",
        )


async def _enforcement(sut: ServiceUnderTest) -> str:
    async with sut.app.state.db.write() as session:
        row = EnforcementAction(
            department="SCJGJ",
            acted_on=date(2026, 3, 2),
            kind="education",
            first_offence_waived=True,
            enterprise_name="凤冈县另一家商行",
            description="首次违规，责令改正",
            recorded_by="user:test",
        )
        session.add(row)
        await session.flush()
        return str(row.id)


async def _policy_id(sut: ServiceUnderTest) -> str:
    async with sut.app.state.db.read() as session:
        return str(await session.scalar(select(Policy.id).limit(1)))


@pytest.fixture
async def seeded(complaints: ServiceUnderTest, people: People, walk: Walk) -> Seeded:
    """A case with everything a reader could see: notes and a result naming the enterprise, a
    dispute, evidence; a transferred case; an inspection finding; an enforcement action."""
    c, p = complaints.client, people
    case = await walk.resolved()
    case = await step(
        c, case, "dispute", p.officer, {"note": "绿源茶业认为损失未补偿，王五要求面谈。"}
    )
    case = await step(c, case, "revisit", p.clerk, {"note": "回访凤冈县绿源茶业有限公司王五。"})
    await _transferred(complaints)
    listing = await c.get(f"{BASE}/cases", params={"source": "hotline"}, headers=p.officer)
    [transferred] = listing.json()["items"]
    transferred = (await c.get(f"{BASE}/cases/{transferred['id']}", headers=p.officer)).json()
    transferred = await step(c, transferred, "accept", p.officer, {"category": "arbitrary_charges"})
    await step(c, transferred, "assign", p.officer)
    window = {"finding_class": "irregular", "description": "窗口人员未一次性告知所需材料"}
    inspection = await inspect(c, p.officer, [{"department": "SCJGJ", **window}])
    ids = {
        "case_id": case["id"],
        "inspection_id": inspection["id"],
        "finding_id": inspection["findings"][0]["id"],
        "action_id": await _enforcement(complaints),
        "policy_id": await _policy_id(complaints),
        "letter_id": "1",
        "year": "2026",
    }
    return Seeded(ids)


def _path(template: str, ids: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in ids, f"{template}: no value for path parameter {name!r}; add one"
        return ids[name]

    return re.sub(r"\{([^}]+)\}", fill, template)


def calls(spec: dict[str, Any], ids: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    """Every GET operation once, plus once per identity-search parameter it offers."""
    out: list[tuple[str, dict[str, str]]] = []
    for template, operations in spec["paths"].items():
        if "get" not in operations:
            continue
        params = operations["get"].get("parameters", [])
        base: dict[str, str] = {}
        for p in params:
            if p["in"] == "query" and p.get("required"):
                assert p["name"] in REQUIRED_QUERY, f"{template}: fill {p['name']!r}"
                base[p["name"]] = REQUIRED_QUERY[p["name"]]
        path = _path(template, ids)
        out.append((path, base))
        for p in params:
            if p["in"] == "query" and p["name"] in IDENTITY_SEARCH:
                out.append((path, {**base, p["name"]: IDENTITY_SEARCH[p["name"]]}))
    return out


def leaks(response: httpx.Response) -> list[str]:
    texts = [response.text]
    if response.headers.get("content-type", "").startswith(
        ("application/json", "application/problem")
    ):
        texts.append(json.dumps(response.json(), ensure_ascii=False))
    return [s for s in SECRETS for t in texts if s in t]


async def test_no_get_reveals_the_complainant_to_the_respondent(
    complaints: ServiceUnderTest, people: People, seeded: Seeded
) -> None:
    head = people.head("SCJGJ")
    statuses: dict[str, int] = {}
    made = calls(complaints.app.openapi(), seeded.ids)
    for path, params in made:
        response = await complaints.client.get(path, params=params, headers=head)
        assert response.status_code < 500, f"{path} {params}: {response.text}"
        assert not leaks(response), f"GET {path} {params} reveals {leaks(response)}"
        statuses[f"{path}?{'&'.join(params)}"] = response.status_code
    case = f"{BASE}/cases/{seeded.ids['case_id']}"
    # The head does see its cases, redacted — the test is not passing on 404s.
    for seen in (
        case,
        f"{case}/timeline",
        f"{BASE}/cases?",
        f"{BASE}/cases/export?",
        f"{BASE}/findings/{seeded.ids['finding_id']}",
    ):
        key = seen if "?" in seen else f"{seen}?"
        assert statuses[key] == 200, key
    detail = (await complaints.client.get(case, headers=head)).json()
    assert (detail["identity"], detail["enterprise"]) == ("redacted", None)
    assert "[已隐去]" in detail["facts"]
    assert [e["title"] for e in detail["evidence"]] == ["执法检查现场照片"]
    listing = (await complaints.client.get(f"{BASE}/cases", headers=head)).json()
    assert len(listing["items"]) == 2  # the direct and the transferred case, both redacted
    for search in ("uscc", "enterprise", "phone", "q"):
        assert statuses[f"{BASE}/cases?{search}"] == 403
    assert len(made) >= 30


async def test_the_secrets_are_really_there(
    complaints: ServiceUnderTest, people: People, seeded: Seeded
) -> None:
    """The control: the center reads what the respondent may not (so the test above is not
    vacuous), and the bureau gets it masked."""
    case = f"{BASE}/cases/{seeded.ids['case_id']}"
    center = await complaints.client.get(case, headers=people.officer)
    assert set(SECRETS) - {ENTERPRISE["uscc"].lower()} <= set(leaks(center))
    bureau = await complaints.client.get(case, headers=people.bureau)
    assert bureau.json()["enterprise"]["name"] == "凤冈*******公司"
    assert not leaks(bureau)


async def test_unmasking_needs_a_reason_and_is_audited(
    complaints: ServiceUnderTest, people: People, seeded: Seeded
) -> None:
    url = f"{BASE}/cases/{seeded.ids['case_id']}/identity"
    assert (await complaints.client.get(url, headers=people.bureau)).status_code == 422
    shown = await complaints.client.get(url, params=REQUIRED_QUERY, headers=people.committee)
    assert shown.json()["enterprise_uscc"] == ENTERPRISE["uscc"]
    refused = await complaints.client.get(url, params=REQUIRED_QUERY, headers=people.head())
    assert refused.status_code == 403
    async with complaints.app.state.db.read() as session:
        details = (
            await session.scalars(
                select(AuditEntry.detail).where(AuditEntry.object_id == seeded.ids["case_id"])
            )
        ).all()
    assert {
        "fields": ["contact_name", "contact_phone", "enterprise_name", "enterprise_uscc"],
        "reason": REQUIRED_QUERY["reason"],
    } in details
