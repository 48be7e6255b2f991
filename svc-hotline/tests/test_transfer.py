"""Transfer of an enterprise's infringement complaint: the full enterprise goes to the
complaints center; the ticket closes when ``ys.complaints.case.closed`` names it."""

from sqlalchemy import select

from yingshang.events import make_event
from yingshang.events.outbox import OutboxEvent
from yingshang.testing.apps import ServiceUnderTest
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
    assert payload["enterprise"]["phone"] == "13512345678"  # center to center: in full
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
    assert "complaint_closed" in [e["action"] for e in detail.json()["timeline"]]
