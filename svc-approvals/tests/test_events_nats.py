"""Events on a real nats-server: 受理 and 办结 publish ``completed``; invitations and duty
events published through the real outbox reach the hall."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import nats
import orjson
import pytest
from sqlalchemy import select

from yingshang.clock import SHANGHAI, now
from yingshang.events.envelope import make_event
from yingshang.events.outbox import enqueue
from yingshang.events.streams import ensure_stream
from yingshang.notify import Notification
from yingshang.testing.apps import ServiceUnderTest
from ys_approvals.app import SERVICE_DIR, create_app
from ys_approvals.duty.models import DutySitting
from ys_approvals.settings import Settings

from .builders import AnApplication, People
from .test_applications_clock import BASE, act, food_item

pytestmark = pytest.mark.nats


async def eventually(check: Callable[[], Awaitable[Any]], tries: int = 100) -> Any:
    for _ in range(tries):
        value = await check()
        if value:
            return value
        await asyncio.sleep(0.1)
    raise AssertionError("condition not reached")


@pytest.fixture
async def live(service_app: Callable[..., Any], nats_server: str) -> ServiceUnderTest:
    # These tests read the notifications written, not their sending: the sender stays off.
    # (Its Wakeup.wait uses asyncio.wait_for, which on Python 3.11 can swallow the stop's
    # cancellation when a commit wakes it at that moment, hanging the teardown.)
    sut: ServiceUnderTest = await service_app(
        create_app, Settings, SERVICE_DIR, nats=True, notify_channel="off"
    )
    await eventually(lambda: asyncio.sleep(0, result=sut.app.state.nats.is_connected))
    return sut


async def completed_events(url: str, case_id: str) -> list[dict[str, Any]]:
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        sub = await js.pull_subscribe("ys.approvals.application.completed", durable=None)
        found: list[dict[str, Any]] = []
        for _ in range(20):
            try:
                msgs = await sub.fetch(50, timeout=0.5)
            except nats.errors.TimeoutError:
                msgs = []
            for msg in msgs:
                await msg.ack()
                event = orjson.loads(msg.data)
                if event["data"]["case_id"] == case_id:
                    found.append(event)
            if len(found) >= 2:
                break
        return found
    finally:
        await nc.close()


async def test_accept_and_finish_publish_completed(
    live: ServiceUnderTest, people: People, nats_server: str
) -> None:
    c = live.client
    item = await food_item(c)
    body = AnApplication(item=item["code"], materials=[m["name"] for m in item["materials"]])
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    app = (await c.post(f"{BASE}/applications", json=body.build(), headers=clerk)).json()
    for action, who, payload in [
        ("accept", clerk, None),
        ("approve", people.staff("SCJGJ"), None),
        (
            "deliver",
            clerk,
            {
                "method": "postal",
                "tracking_number": "EMS1234567890",
                "postal_address": "凤冈县龙泉镇1号",
            },
        ),
        ("finish", clerk, None),
    ]:
        r = await act(c, app, action, who, payload)
        assert r.status_code == 200, r.text
    events = await completed_events(nats_server, app["id"])
    assert [e["data"]["node"] for e in events] == ["accept", "finish"]
    for event in events:
        data = event["data"]
        assert event["subject"] == f"application/{app['id']}"
        assert data["department"] == "SCJGJ"
        assert data["item_code"] == item["code"]
        assert data["window"] == "HALL_COUNTY/W01"
        assert data["staff_no"] == "ZW2009"
        assert data["rater_type"] == "legal_person"
        assert "13812345678" not in orjson.dumps(data).decode()


async def test_invitation_sends_sms_and_duty_shows(live: ServiceUnderTest, people: People) -> None:
    c = live.client
    item = await food_item(c)
    body = AnApplication(item=item["code"], materials=[m["name"] for m in item["materials"]])
    clerk = people.issuer.headers(("HALL", "staff"), staff_no="ZW2009")
    app = (await c.post(f"{BASE}/applications", json=body.build(), headers=clerk)).json()
    js = live.app.state.nats.js
    await ensure_stream(js, "ratings")
    await ensure_stream(js, "visits")
    today = now().astimezone(SHANGHAI).date()  # the hall's day, as the service sees it
    invitation = make_event(
        "ratings",
        "ys.ratings.invitation.created",
        {
            "case_id": app["id"],
            "case_number": app["number"],
            "department": "SCJGJ",
            "origin_client": None,
            "invitation_id": "inv-1",
            "token_url": "/console/public/rate/t0k",
            "service": "approvals",
            "case_kind": "application",
            "node": "accept",
            "expires_at": "2026-12-31T00:00:00Z",
        },
        subject=f"application/{app['id']}",
    )

    def sitting(name: str, hall: str, duty_id: str, state: str = "scheduled") -> dict[str, Any]:
        """``ys.visits.duty.*`` as svc-visits publishes it (its DutyEvent payload)."""
        return {
            "case_id": duty_id,
            "case_number": f"ZB-{duty_id}",
            "department": "SCJGJ",
            "duty_id": duty_id,
            "leader_name": name,
            "hall": hall,
            "hall_name": "凤冈县政务服务中心大厅",
            "date": today.isoformat(),
            "start": "09:00",
            "end": "12:00",
            "state": state,
            "matters_handled": 0,
            "problems_raised": 0,
        }

    duties = [
        make_event("visits", "ys.visits.duty.recorded", sitting("冯涛", "HALL_COUNTY", "d-1")),
        make_event("visits", "ys.visits.duty.recorded", sitting("赵丽", "HALL_COUNTY", "d-2")),
        make_event("visits", "ys.visits.duty.recorded", sitting("孙强", "HALL_LONGQUAN", "d-3")),
        make_event(
            "visits", "ys.visits.duty.updated", sitting("冯涛", "HALL_COUNTY", "d-1", "on_duty")
        ),
        make_event(
            "visits", "ys.visits.duty.cancelled", sitting("赵丽", "HALL_COUNTY", "d-2", "cancelled")
        ),
    ]
    async with live.app.state.db.write() as session:
        await enqueue(session, invitation)
        for duty in duties:
            await enqueue(session, duty)

    async def sms() -> list[tuple[str, dict[str, Any]]]:
        async with live.app.state.db.read() as session:
            rows = await session.execute(
                select(Notification.recipient, Notification.params).where(
                    Notification.template == "rating_invitation"
                )
            )
            return [(r, p) for r, p in rows]

    sent = await eventually(sms)
    assert sent[0][0] == "13812345678"
    assert sent[0][1]["url"] == "/console/public/rate/t0k"

    async def cancelled() -> bool:
        """The last duty event (d-2 cancelled) was applied, so were those before it."""
        async with live.app.state.db.read() as session:
            row = await session.execute(
                select(DutySitting.cancelled).where(DutySitting.source_key == "d-2")
            )
            return bool(row.scalar())

    await eventually(cancelled)
    board = await c.get(f"{BASE}/halls/HALL_COUNTY/duty", params={"day": today.isoformat()})
    # 赵丽 cancelled; 孙强 sits in a town hall; 冯涛 has checked in.
    assert [(s["leader_name"], s["state"]) for s in board.json()] == [("冯涛", "on_duty")]
    town = await c.get(f"{BASE}/halls/HALL_LONGQUAN/duty")  # default: today
    assert [s["leader_name"] for s in town.json()] == ["孙强"]
