"""Transfer of an enterprise's infringement complaint: the full enterprise goes to the
complaints center, sealed for it (the outbox row holds none of it in clear); the ticket closes
when ``ys.complaints.case.closed`` names it."""

import asyncio

import orjson
from alembic import command
from sqlalchemy import select

from yingshang.events import make_event
from yingshang.events.outbox import OutboxEvent
from yingshang.events.sealed import Passage
from yingshang.migrate import alembic_config
from yingshang.testing.apps import ServiceUnderTest
from ys_hotline.app import SERVICE_DIR
from ys_hotline.consumers import EVENTS, on_complaint_closed
from ys_hotline.tickets.models import Ticket

from .builders import BASE, People, create, step

ENTERPRISE = {
    "name": "王五",
    "phone": "13512345678",
    "enterprise_name": "凤冈县绿源茶业有限公司",
    "enterprise_uscc": "91520327MA6DM8Q41N",
}


async def test_transfer_and_close_on_complaint(hotline: ServiceUnderTest, people: People) -> None:
    t = await create(
        hotline.client,
        people.operator,
        category_code="YS_INFRINGE",
        requester=ENTERPRISE,
        content="某局多次到企业检查并要求购买指定产品。",
    )
    t = await step(
        hotline.client, t, "transfer", people.operator, {"respondent_department": "SCJGJ"}
    )
    assert t["status"] == "transferred"
    db = hotline.app.state.db
    async with db.read() as session:
        rows = await session.execute(
            select(OutboxEvent).where(OutboxEvent.subject == "ys.hotline.ticket.transferred")
        )
        payload = rows.scalar_one().payload["data"]
    raw = orjson.dumps(payload).decode()
    for clear in ("13512345678", "5678", "王五", "绿源", "91520327MA6DM8Q41N", "指定产品"):
        assert clear not in raw  # nothing of the complainant in the outbox, the stream
    sealed, enterprise = Passage("hotline", "complaints"), payload["enterprise"]
    opened = {name: sealed.open(f"enterprise.{name}", value) for name, value in enterprise.items()}
    assert opened == {  # center to center: in full, for the complaints center
        "name": "凤冈县绿源茶业有限公司",
        "uscc": "91520327MA6DM8Q41N",
        "contact_name": "王五",
        "phone": "13512345678",
    }
    assert sealed.open("content", payload["content"]) == "某局多次到企业检查并要求购买指定产品。"
    closed = make_event(
        "complaints",
        "ys.complaints.case.closed",
        {
            "case_id": "7d8a3c36-8f65-4a8b-8f0b-0c1e2f3a4b5c",
            "case_number": "TS20261126-00001",
            "department": "COMPLAINTS_CENTER",
            "origin_client": None,
            "closed_at": "2026-11-26T08:00:00Z",
            "received_at": "2026-11-20T08:00:00Z",
            "origin": {"ticket_id": t["id"]},
            "outcome": "resolved",
        },
        subject="case/7d8a3c36-8f65-4a8b-8f0b-0c1e2f3a4b5c",
    )
    parsed = EVENTS.validate(closed)
    async with db.write() as session:
        await on_complaint_closed(session, closed, parsed.payload)  # type: ignore[arg-type]
    async with db.read() as session:
        ticket = await session.get(Ticket, __import__("uuid").UUID(t["id"]))
        assert ticket is not None
        assert (ticket.state, ticket.outcome) == ("closed", "resolved")
    detail = await hotline.client.get(f"{BASE}/tickets/{t['id']}", headers=people.center_head)
    [closing] = [e for e in detail.json()["timeline"] if e["action"] == "complaint_closed"]
    # the consumer's step reads in words: who (the hotline itself) and how the case ended
    assert (closing["label"], closing["actor_name"], closing["note"]) == (
        "投诉案件办结",
        "系统（12345热线）",
        "投诉案件已办结：企业确认办理结果",
    )


async def test_a_transferred_ticket_has_no_live_due_time(
    hotline: ServiceUnderTest, people: People
) -> None:
    """The complaints center times the linked case: the ticket's 办理 clock is cancelled, so
    nothing is due on the ticket (no countdown in its header or in the lists)."""
    t = await create(
        hotline.client, people.operator, category_code="YS_INFRINGE", requester=ENTERPRISE
    )
    assert t["due_at"] is not None  # 办理 runs from receipt
    t = await step(hotline.client, t, "transfer", people.operator, {})
    assert t["status"] == "transferred"
    assert [(s["stage"], s["state"]) for s in t["stages"]] == [("handle", "cancelled")]
    assert t["due_at"] is None
    listed = await hotline.client.get(
        f"{BASE}/tickets", params={"status": "transferred"}, headers=people.center_head
    )
    assert [(i["id"], i["due_at"]) for i in listed.json()["items"]] == [(t["id"], None)]


async def test_the_migration_clears_the_due_time_of_tickets_transferred_before(
    hotline: ServiceUnderTest, people: People
) -> None:
    """A ticket transferred before the transfer cleared ``due_at`` (as the downgrade leaves
    it: the limit of its cancelled clock) loses it at the migration."""
    t = await create(
        hotline.client, people.operator, category_code="YS_INFRINGE", requester=ENTERPRISE
    )
    due = t["due_at"]
    t = await step(hotline.client, t, "transfer", people.operator, {})
    assert t["due_at"] is None
    config = alembic_config(SERVICE_DIR, hotline.database_url)
    await asyncio.to_thread(command.downgrade, config, "hotline_0008")

    async def due_at() -> str | None:
        read = await hotline.client.get(f"{BASE}/tickets/{t['id']}", headers=people.center_head)
        value: str | None = read.json()["due_at"]
        return value

    assert await due_at() == due  # the downgrade: the limit of the cancelled clock
    await asyncio.to_thread(command.upgrade, config, "heads")
    assert await due_at() is None
