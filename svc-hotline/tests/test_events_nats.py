"""Events over a real nats-server: the relay publishes the ticket's events to YS_HOTLINE,
``ys.complaints.case.closed`` from YS_COMPLAINTS closes the transferred ticket, and a
department the gateway deactivates (YS_GATEWAY) takes no more tickets."""

import asyncio
from collections.abc import Callable
from typing import Any

import orjson
import pytest

from yingshang.events import ensure_stream, make_event
from yingshang.events.sealed import Passage
from yingshang.testing.apps import ServiceUnderTest
from ys_hotline.app import SERVICE_DIR, create_app
from ys_hotline.settings import Settings

from .builders import BASE, People, create, step

pytestmark = pytest.mark.nats
ENTERPRISE = {"name": "王五", "phone": "13512345678", "enterprise_name": "凤冈县绿源茶业有限公司",
              "enterprise_uscc": "91520327MA6DM8Q41N"}  # fmt: skip


async def _eventually(probe: Callable[[], Any], what: str) -> Any:
    for _ in range(1200):  # bounded: gives up after ~2 min on a loaded machine; no timing asserted
        found = await probe()
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


async def test_transfer_round_trip_over_nats(
    service_app: Callable[..., Any], people: People
) -> None:
    sut: ServiceUnderTest = await service_app(create_app, Settings, SERVICE_DIR, nats=True,
                                              relay_poll_seconds=0.2)  # fmt: skip
    nats = sut.app.state.nats
    await nats.wait_connected(30)
    c = sut.client
    t = await create(c, people.operator, category_code="YS_INFRINGE", requester=ENTERPRISE,
                     content="某局要求企业购买指定产品。")  # fmt: skip
    t = await step(c, t, "transfer", people.operator, {"respondent_department": "SCJGJ"})

    async def published() -> Any:
        try:
            msg = await nats.js.get_last_msg("YS_HOTLINE", "ys.hotline.ticket.transferred")
        except Exception:
            return None
        return orjson.loads(msg.data)

    event = await _eventually(published, "transferred event in YS_HOTLINE")
    assert event["subject"] == f"ticket/{t['id']}"
    for clear in ("91520327MA6DM8Q41N", "13512345678", "王五", "绿源", "指定产品"):
        assert clear not in orjson.dumps(event).decode()  # the stream holds it sealed
    uscc = event["data"]["enterprise"]["uscc"]
    assert Passage("hotline", "complaints").open("enterprise.uscc", uscc) == "91520327MA6DM8Q41N"

    await ensure_stream(nats.js, "complaints")
    closed = make_event("complaints", "ys.complaints.case.closed", {
        "case_id": "5b1f0e7e-2c1d-4b8e-9d5f-3a2b1c0d9e8f", "case_number": "TS20261126-00002",
        "department": "COMPLAINTS_CENTER", "origin_client": None,
        "origin": {"ticket_id": t["id"]}, "outcome": "resolved",
    }, subject="case/5b1f0e7e-2c1d-4b8e-9d5f-3a2b1c0d9e8f")  # fmt: skip
    await nats.js.publish(closed.type, closed.to_json(), headers={"Nats-Msg-Id": closed.id})

    async def ticket_closed() -> bool:
        got = await c.get(f"{BASE}/tickets/{t['id']}", headers=people.center_head)
        return bool(got.json()["status"] == "closed")

    await _eventually(ticket_closed, "ticket closed by the complaints case")


async def test_a_department_deactivated_at_the_gateway_is_refused_over_nats(
    service_app: Callable[..., Any], people: People
) -> None:
    """The gateway's event, published on YS_GATEWAY, reaches the hotline's durable directory
    consumer: the department stops taking tickets."""
    sut: ServiceUnderTest = await service_app(create_app, Settings, SERVICE_DIR, nats=True)
    nats = sut.app.state.nats
    await nats.wait_connected(30)
    c = sut.client
    t = await create(c, people.operator, category_code="ZJ_PROPERTY")  # lead: ZJJ
    await ensure_stream(nats.js, "gateway")
    data = {"code": "ZJJ", "name": "住房和城乡建设局", "kind": "department", "active": False}
    gone = make_event(
        "gateway", "ys.gateway.department.deactivated", data, subject="department:ZJJ"
    )
    await nats.js.publish(gone.type, gone.to_json(), headers={"Nats-Msg-Id": gone.id})

    async def deactivated() -> bool:
        listed = await c.get(f"{BASE}/departments", headers=people.operator)
        return not {d["code"]: d["active"] for d in listed.json()}["ZJJ"]

    await _eventually(deactivated, "ZJJ deactivated by the gateway's event")
    etag = f'"ticket-{t["id"]}-{t["version"]}"'
    refused = await c.post(f"{BASE}/tickets/{t['id']}/dispatch", json={},
                           headers={**people.operator, "If-Match": etag})  # fmt: skip
    assert refused.status_code == 422
    assert refused.json()["type"].endswith("/inactive-department")
