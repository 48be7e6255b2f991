"""A 12345 transfer over a real nats-server, both services running: the ticket opens exactly
one linked case even when the event arrives twice (a redelivery of the same event, and a
republication under a new event id), and the case's resolution closes the ticket."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import nats
import orjson
import pytest
from sqlalchemy import func, select

from yingshang.events.consumer import EventConsumer
from yingshang.events.envelope import CloudEvent
from yingshang.events.outbox import OutboxEvent
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.nats import NatsProcess
from ys_complaints.app import SERVICE_DIR, create_app
from ys_complaints.cases.models import ComplaintCase
from ys_complaints.settings import Settings
from ys_hotline.app import SERVICE_DIR as HOTLINE_DIR
from ys_hotline.app import create_app as create_hotline
from ys_hotline.seed import seed as seed_hotline
from ys_hotline.settings import Settings as HotlineSettings

from .builders import BASE, ENTERPRISE, People, step
from .conftest import county

pytestmark = pytest.mark.nats
HOTLINE = "/api/v1/hotline/tickets"


async def eventually(check: Callable[[], Awaitable[Any]], tries: int = 300) -> Any:
    for _ in range(tries):
        value = await check()
        if value:
            return value
        await asyncio.sleep(0.1)
    raise AssertionError("condition not reached")


@pytest.fixture
async def both(
    service_app: Callable[..., Any], nats_process: NatsProcess
) -> tuple[ServiceUnderTest, ServiceUnderTest]:
    hotline = await service_app(create_hotline, HotlineSettings, HOTLINE_DIR, nats=nats_process.url)
    async with hotline.app.state.db.write() as session:
        await seed_hotline(session)
    complaints = await service_app(
        create_app, Settings, SERVICE_DIR, nats=nats_process.url, seed=county
    )
    for sut in (hotline, complaints):
        await eventually(lambda s=sut: asyncio.sleep(0, result=s.app.state.nats.is_connected))
    return hotline, complaints


async def _transfer(hotline: ServiceUnderTest, people: People) -> dict[str, Any]:
    operator = people.at("HOTLINE_CENTER", "clerk", "RX1001")
    requester = {
        "name": ENTERPRISE["contact_name"],
        "phone": ENTERPRISE["contact_phone"],
        "enterprise_name": ENTERPRISE["name"],
        "enterprise_uscc": ENTERPRISE["uscc"],
    }
    body = {
        "type": "complaint",
        "category_code": "YS_INFRINGE",
        "title": "执法人员指定供应商",
        "content": "某局检查时要求企业向指定供应商购买设备。",
        "requester": requester,
    }
    created = await hotline.client.post(HOTLINE, json=body, headers=operator)
    assert created.status_code == 201, created.text
    ticket = created.json()
    transferred = await hotline.client.post(
        f"{HOTLINE}/{ticket['id']}/transfer",
        json={"respondent_department": "SCJGJ"},
        headers={**operator, "If-Match": f'"ticket-{ticket["id"]}-{ticket["version"]}"'},
    )
    assert transferred.status_code == 200, transferred.text
    return dict(transferred.json())


async def _cases(complaints: ServiceUnderTest) -> int:
    async with complaints.app.state.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(ComplaintCase)) or 0)


async def _deliver_twice(hotline: ServiceUnderTest, url: str) -> None:
    """The same event again (stored anew: another Nats-Msg-Id), and a republication of the
    transfer under a new event id (as after a producer's restore)."""
    async with hotline.app.state.db.read() as session:
        raw = await session.scalar(
            select(OutboxEvent.payload).where(
                OutboxEvent.subject == "ys.hotline.ticket.transferred"
            )
        )
    assert raw is not None
    again = CloudEvent.model_validate(raw)
    renamed = again.model_copy(update={"id": str(uuid.uuid4())})
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        for event, msg_id in ((again, f"{again.id}-again"), (renamed, renamed.id)):
            await js.publish(event.type, event.to_json(), headers={"Nats-Msg-Id": msg_id})
    finally:
        await nc.close()


def _consumer(sut: ServiceUnderTest) -> EventConsumer:
    [consumer] = [
        c for c in sut.app.state.components if c.name == "consumer:complaints-hotline-transfers"
    ]
    assert isinstance(consumer, EventConsumer)
    return consumer


async def test_transfer_opens_one_case_and_its_resolution_closes_the_ticket(
    both: tuple[ServiceUnderTest, ServiceUnderTest], people: People, nats_process: NatsProcess
) -> None:
    hotline, complaints = both
    ticket = await _transfer(hotline, people)
    assert ticket["status"] == "transferred"
    assert await eventually(lambda: _cases(complaints)) == 1

    await _deliver_twice(hotline, nats_process.url)
    consumer = _consumer(complaints)
    await eventually(
        lambda: asyncio.sleep(0, result=consumer.duplicates >= 1 and consumer.processed >= 2)
    )
    assert await _cases(complaints) == 1  # exactly one case for the ticket

    c, p = complaints.client, people
    [listed] = (await c.get(f"{BASE}/cases", headers=p.officer)).json()["items"]
    case = (await c.get(f"{BASE}/cases/{listed['id']}", headers=p.officer)).json()
    assert (case["source"], case["origin_ticket_number"]) == ("hotline", ticket["number"])
    assert case["enterprise"]["uscc"] == ENTERPRISE["uscc"]  # in full, center to center
    case = await step(c, case, "accept", p.officer, {"category": "forced_purchase"})
    case = await step(c, case, "assign", p.officer)
    case = await step(c, case, "investigate", p.staff(), {"note": "执法记录已调取核实。"})
    case = await step(c, case, "reply", p.head(), {"reply": "已责令纠正，不再指定供应商。"})
    case = await step(c, case, "resolve", p.officer, {"result": "已责令纠正，请确认。"})
    case = await step(c, case, "confirm", p.clerk, {"note": "企业电话确认"})
    assert case["state"] == "closed"

    center_head = people.at("HOTLINE_CENTER", "head", "RX1000")

    async def ticket_closed() -> bool:
        view = await hotline.client.get(f"{HOTLINE}/{ticket['id']}", headers=center_head)
        return bool(view.json()["status"] == "closed")

    assert await eventually(ticket_closed)
    async with complaints.app.state.db.read() as session:
        closed = await session.scalar(
            select(OutboxEvent.payload).where(OutboxEvent.subject == "ys.complaints.case.closed")
        )
    assert closed is not None
    assert closed["data"]["origin"] == {"ticket_id": ticket["id"]}
    assert ENTERPRISE["contact_phone"] not in orjson.dumps(closed).decode()
