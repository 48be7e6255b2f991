"""Object-level authorization (OWASP API1, BOLA) and confidential identities, across every route
that takes an object id: another department's objects answer 404; another client's objects
answer 404; a confidential requester or a complainant never reaches a reader the rules exclude —
in reads, lists, exports or event payloads. Unmasked reads are audited and the audit chain
verifies; a tampered row is detected."""

from __future__ import annotations

import json
import re
import sys
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

sys.path.insert(0, str(Path(__file__).parent))

from seckit import is_problem

from yingshang import audit
from yingshang.auth import route_access
from yingshang.events.outbox import OutboxEvent
from yingshang.testing import TestIssuer, a_client, a_person
from yingshang.testing.apps import ServiceUnderTest
from ys_complaints.app import SERVICE_DIR as COMPLAINTS_DIR
from ys_complaints.app import create_app as complaints_app
from ys_complaints.seed import seed as seed_complaints
from ys_complaints.settings import Settings as ComplaintsSettings
from ys_hotline.app import SERVICE_DIR as HOTLINE_DIR
from ys_hotline.app import create_app as hotline_app
from ys_hotline.seed import seed as seed_hotline
from ys_hotline.settings import Settings as HotlineSettings

HANDLER, STRANGER = "SCJGJ", "ZJJ"  # 市场监管局 handles food matters; 住建局 does not
# A confidential requester (hotline) and a real-name complainant (complaints).
SECRET_NAME, SECRET_PHONE = "欧阳保密", "13987654321"
ENTERPRISE = "凤冈县绿源茶业有限公司"
USCC, CONTACT_PHONE = "91520327MA6DM8Q41N", "13512345678"


def object_routes(sut: ServiceUnderTest, param: str) -> list[tuple[str, str]]:
    """Every (method, path) of the service taking ``{param}``, from its route table."""
    return sorted(k for k in route_access(sut.app) if "{" + param + "}" in k[1])


def fill(path: str, **values: str) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return re.sub(r"\{[^}]+\}", str(uuid.UUID(int=1)), path)


async def probe(sut: ServiceUnderTest, method: str, path: str, headers: dict[str, str]) -> Any:
    kwargs: dict[str, Any] = {"headers": {**headers, "If-Match": '"any"'}}
    if method == "POST":
        kwargs["json"] = {}
        kwargs["headers"]["Idempotency-Key"] = str(uuid.uuid4())
    return await sut.client.request(method, path, **kwargs)


async def sweep(
    sut: ServiceUnderTest, param: str, object_id: str, headers: dict[str, str]
) -> dict[str, tuple[int, int]]:
    """Every route on the object, as ``headers``: reads answer 404, and every answer is the
    one a missing object gets (nothing tells the object exists). Returns the routes that
    differ, with (status on the object, status on a missing one)."""
    leaks = {}
    for method, path in object_routes(sut, param):
        real = await probe(sut, method, fill(path, **{param: object_id}), headers)
        missing = await probe(sut, method, fill(path, **{param: str(uuid.uuid4())}), headers)
        hidden = real.status_code == missing.status_code and is_problem(real)
        # A read answers 404, or the declaration's 403 that any id gets.
        if not hidden or (method == "GET" and real.status_code not in {403, 404}):
            leaks[f"{method} {path}"] = (real.status_code, missing.status_code)
    return leaks


async def outbox_payloads(sut: ServiceUnderTest) -> str:
    async with sut.app.state.db.read() as session:
        payloads = (await session.scalars(select(OutboxEvent.payload))).all()
    assert payloads, "the flow published events"
    return json.dumps(payloads, ensure_ascii=False)


async def hotline(service_app: Any) -> ServiceUnderTest:
    sut: ServiceUnderTest = await service_app(hotline_app, HotlineSettings, HOTLINE_DIR)
    async with sut.app.state.db.write() as session:
        await seed_hotline(session)
    return sut


def ticket_body(**requester: Any) -> dict[str, Any]:
    return {
        "type": "complaint",
        "category_code": "SCJG_FOOD",
        "title": "餐馆卫生问题",
        "content": "某餐馆后厨卫生条件差，存在食品安全隐患，请相关部门核查处理。",
        "requester": requester,
    }


async def test_hotline_tickets_of_other_departments_and_confidential_requesters(
    service_app: Any, issuer: TestIssuer
) -> None:
    sut = await hotline(service_app)
    operator = a_person("HOTLINE_CENTER", "clerk").headers(issuer)
    made = await sut.client.post(
        "/api/v1/hotline/tickets",
        json=ticket_body(name=SECRET_NAME, phone=SECRET_PHONE, confidential=True),
        headers=operator,
    )
    assert made.status_code == 201, made.text
    ticket = made.json()
    dispatched = await sut.client.post(
        f"/api/v1/hotline/tickets/{ticket['id']}/dispatch",
        json={},
        headers={**operator, "If-Match": f'"ticket-{ticket["id"]}-{ticket["version"]}"'},
    )
    assert dispatched.status_code == 200, dispatched.text
    assert dispatched.json()["department"] == HANDLER

    # Another department: every route on the ticket answers 404, its list omits it.
    stranger = a_person(STRANGER, "head").headers(issuer)
    assert await sweep(sut, "ticket_id", ticket["id"], stranger) == {}
    listed = await sut.client.get("/api/v1/hotline/tickets", headers=stranger)
    assert listed.status_code == 200
    assert ticket["id"] not in listed.text

    # The handling department sees the ticket, never the confidential requester; the bureau and
    # the center see masks; nobody but an operator reads the phone in full.
    for who in (a_person(HANDLER, "head"), a_person("BUREAU", "staff")):
        for path in ("", "/attachments"):
            seen = await sut.client.get(
                f"/api/v1/hotline/tickets/{ticket['id']}{path}", headers=who.headers(issuer)
            )
            assert seen.status_code == 200, seen.text
            assert SECRET_PHONE not in seen.text
        listed = await sut.client.get("/api/v1/hotline/tickets", headers=who.headers(issuer))
        assert ticket["id"] in listed.text
        assert SECRET_PHONE not in listed.text
    handler_view = await sut.client.get(
        f"/api/v1/hotline/tickets/{ticket['id']}",
        headers=a_person(HANDLER, "staff").headers(issuer),
    )
    assert SECRET_NAME not in handler_view.text
    assert handler_view.json()["requester"]["hidden"] is True

    # Events carry ids and masked data only.
    events = await outbox_payloads(sut)
    assert SECRET_PHONE not in events
    assert SECRET_NAME not in events

    # The operator's unmasked read is audited; the chain verifies; a tampered row is detected.
    async with sut.app.state.db.read() as session:
        before = await audit.head(session)
    full = await sut.client.get(f"/api/v1/hotline/tickets/{ticket['id']}", headers=operator)
    assert SECRET_PHONE in full.text
    async with sut.app.state.db.read() as session:
        after = await audit.head(session)
        audited = await session.scalar(
            select(audit.AuditEntry.object_id).where(audit.AuditEntry.seq == after[0])
        )
        report = await audit.verify(session)
    assert after[0] == before[0] + 1
    assert audited == ticket["id"]
    assert report.ok
    assert report.checked == after[0]
    async with sut.app.state.db.write() as session:
        await session.execute(
            update(audit.AuditEntry)
            .where(audit.AuditEntry.seq == after[0])
            .values(actor="someone-else")
        )
    async with sut.app.state.db.read() as session:
        broken = await audit.verify(session)
    assert not broken.ok
    assert broken.first_broken == after[0]


async def test_a_client_never_reads_another_clients_tickets(
    service_app: Any, issuer: TestIssuer
) -> None:
    sut = await hotline(service_app)
    province = a_client("province", ["hotline:write"]).headers(issuer)
    agency = a_client("agency", ["hotline:write"]).headers(issuer)
    made = await sut.client.post(
        "/api/v1/hotline/tickets",
        json={**ticket_body(name="张三", phone="13812345678"), "external_id": "SD-0001"},
        headers={**province, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert made.status_code == 201, made.text
    ticket_id = made.json()["id"]
    own = await sut.client.get(f"/api/v1/hotline/tickets/{ticket_id}", headers=province)
    assert own.status_code == 200
    assert await sweep(sut, "ticket_id", ticket_id, agency) == {}
    listed = await sut.client.get("/api/v1/hotline/tickets", headers=agency)
    assert listed.status_code == 200
    assert ticket_id not in listed.text


async def test_complaints_complainant_never_reaches_the_respondent_or_other_departments(
    service_app: Any, issuer: TestIssuer
) -> None:
    sut: ServiceUnderTest = await service_app(complaints_app, ComplaintsSettings, COMPLAINTS_DIR)
    async with sut.app.state.db.write() as session:
        await seed_complaints(session)
    clerk = a_person("COMPLAINTS_CENTER", "clerk").headers(issuer)
    officer = a_person("COMPLAINTS_CENTER", "staff").headers(issuer)
    body = {
        "real_name": True,
        "enterprise": {
            "name": ENTERPRISE,
            "uscc": USCC,
            "contact_name": "王五",
            "contact_phone": CONTACT_PHONE,
        },
        "respondent": HANDLER,
        "category": "arbitrary_charges",
        "title": "检查中要求购买指定检测设备",
        "facts": "执法人员多次到厂检查，要求向指定供应商购买检测设备，否则不予通过检查。",
    }
    made = await sut.client.post("/api/v1/complaints/cases", json=body, headers=clerk)
    assert made.status_code == 201, made.text
    case = made.json()
    for name in ("accept", "assign"):
        stepped = await sut.client.post(
            f"/api/v1/complaints/cases/{case['id']}/{name}",
            json={"note": "属受理范围"} if name == "accept" else {},
            headers={**officer, "If-Match": f'"case-{case["id"]}-{case["version"]}"'},
        )
        assert stepped.status_code == 200, stepped.text
        case = stepped.json()

    stranger = a_person(STRANGER, "head").headers(issuer)
    assert await sweep(sut, "case_id", case["id"], stranger) == {}
    identity = (ENTERPRISE, USCC, CONTACT_PHONE)
    readers = {
        "respondent": a_person(HANDLER, "head"),
        "bureau": a_person("BUREAU", "staff"),
        "committee": a_person("COMMITTEE", "head"),
    }
    for who, reader in readers.items():
        headers = reader.headers(issuer)
        for path in (
            f"/cases/{case['id']}",
            f"/cases/{case['id']}/timeline",
            "/cases",
            "/cases/export",
        ):
            seen = await sut.client.get(f"/api/v1/complaints{path}", headers=headers)
            assert seen.status_code == 200, (who, path, seen.text)
            leaked = [secret for secret in identity if secret in seen.text]
            assert leaked == [], (who, path)
    events = await outbox_payloads(sut)
    assert [s for s in identity if s in events] == []

    # The bureau may unmask for a reason: the read is audited, the chain verifies.
    async with sut.app.state.db.read() as session:
        before = (await audit.head(session))[0]
    unmasked = await sut.client.get(
        f"/api/v1/complaints/cases/{case['id']}/identity",
        params={"reason": "督办核实投诉人身份"},
        headers=readers["bureau"].headers(issuer),
    )
    assert unmasked.status_code == 200
    assert USCC in unmasked.text
    async with sut.app.state.db.read() as session:
        assert (await audit.head(session))[0] == before + 1
        assert (await audit.verify(session)).ok
        detail = await session.scalar(
            select(audit.AuditEntry.detail).where(audit.AuditEntry.seq == before + 1)
        )
    assert detail is not None
    assert detail["reason"] == "督办核实投诉人身份"
