"""Webhooks out, end to end: a producer's real outbox → relay → nats-server → the gateway's
intake → signed deliveries to receivers on free ports, verified with the independent
``standardwebhooks`` library."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook as Verifier
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from yingshang.events.sealed import Passage
from yingshang.processes import free_port
from ys_gateway.app import SERVICE_DIR, create_app
from ys_gateway.models import WebhookAttempt, WebhookDelivery

from .kit import (
    Gateway,
    gateway_settings,
    producer,
    publish,
    running_gateway,
    serve,
    served,
    until,
)

pytestmark = pytest.mark.nats
HOOKS = "/api/v1/admin/webhooks"


@dataclass
class Receiver:
    """An integrator's endpoint: checks every signature with the standardwebhooks library."""

    secret: str = ""
    got: list[dict[str, Any]] = field(default_factory=list)
    bad_signatures: int = 0

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/hook", self.handle, methods=["POST"])])

    async def handle(self, request: Request) -> Response:
        body = await request.body()
        try:
            event = Verifier(self.secret).verify(body, dict(request.headers))
        except Exception:  # the library's verification error: refuse like a real receiver
            self.bad_signatures += 1
            return Response(status_code=401)
        self.got.append({"webhook_id": request.headers["webhook-id"], **event})
        return Response(status_code=204)

    def subjects(self) -> dict[str, list[str]]:
        """Event ids per CloudEvents subject, in order of first receipt (retries deduped)."""
        order: dict[str, list[str]] = {}
        for event in self.got:
            ids = order.setdefault(event["subject"], [])
            if event["id"] not in ids:
                ids.append(event["id"])
        return order


async def subscribe(gateway: Gateway, client_id: str, url: str) -> str:
    admin = await gateway.headers("admin")
    if client_id != "province":
        body = {"client_id": client_id, "name": "另一平台", "scopes": ["events:subscribe"]}
        created = await gateway.client.post("/api/v1/admin/clients", json=body, headers=admin)
        assert created.status_code == 201, created.text
    hook = {"client_id": client_id, "url": url, "event_types": ["ys.hotline.ticket.*"]}
    response = await gateway.client.post(HOOKS, json=hook, headers=admin)
    assert response.status_code == 201, response.text
    secret: str = response.json()["secret"]
    assert secret.startswith("whsec_")
    return secret


async def count(gateway: Gateway, model: Any) -> int:
    async with gateway.app.state.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_clients_get_only_their_own_events_signed(
    migrated_db: Callable[..., str], nats_server: str
) -> None:
    mine, theirs = Receiver(), Receiver()
    async with (
        served(mine.app()) as mine_at,
        served(theirs.app()) as theirs_at,
        running_gateway(migrated_db(SERVICE_DIR), nats_server) as gateway,
        producer(nats_server, migrated_db(SERVICE_DIR)) as hotline,
    ):
        mine.secret = await subscribe(gateway, "province", f"{mine_at.url}/hook")
        theirs.secret = await subscribe(gateway, "other", f"{theirs_at.url}/hook")
        first = await publish(
            hotline,
            "created",
            "ticket:1",
            origin_client="province",
            phone="13812345678",
            case_number="12345-1",
        )
        second = await publish(hotline, "dispatched", "ticket:1", origin_client="province")
        await publish(hotline, "created", "ticket:2", origin_client="other")
        await publish(hotline, "created", "ticket:3")  # no owner: no client gets it
        await until(lambda: len(mine.got) >= 2 and len(theirs.got) >= 1, "deliveries")
        await until(lambda: _intake_done(gateway, 4), "intake of the four events")
        deliveries = await count(gateway, WebhookDelivery)
    assert [e["id"] for e in mine.got] == [first, second]
    assert [e["data"]["origin_client"] for e in theirs.got] == ["other"]
    assert mine.got[0]["data"]["phone"] == "138****5678"
    assert mine.got[0]["webhook_id"] == first
    assert mine.bad_signatures == theirs.bad_signatures == 0
    assert deliveries == 3


def _intake_done(gateway: Gateway, events: int) -> bool:
    consumers = [c for c in gateway.app.state.components if c.name.startswith("consumer:")]
    processed: int = sum(c.processed for c in consumers)
    return processed >= events


async def test_receiver_down_gets_everything_in_order_after_a_gateway_restart(
    migrated_db: Callable[..., str], nats_server: str
) -> None:
    receiver = Receiver()
    port = free_port()  # nothing listens here yet: the receiver is down
    gateway_db = migrated_db(SERVICE_DIR)
    published: dict[str, list[str]] = {}
    async with producer(nats_server, migrated_db(SERVICE_DIR)) as hotline:
        async with running_gateway(gateway_db, nats_server) as gateway:
            receiver.secret = await subscribe(gateway, "province", f"http://127.0.0.1:{port}/hook")
            for step in ("created", "dispatched", "signed", "closed"):
                for case in ("ticket:a", "ticket:b", "ticket:c"):
                    event_id = await publish(hotline, step, case, origin_client="province")
                    published.setdefault(case, []).append(event_id)
            await until(lambda: _intake_done(gateway, 12), "intake while the receiver is down")
            await until(lambda: _attempted(gateway, 3), "failed attempts at the queue heads")
        # the gateway went down with every delivery pending; it comes back, then the receiver
        async with running_gateway(gateway_db, nats_server) as gateway:
            server = await serve(receiver.app(), port)
            try:
                await until(lambda: len(receiver.subjects().get("ticket:c", [])) == 4, "catch-up")
                await until(lambda: _all_delivered(gateway, 12), "all deliveries marked")
                attempts = await count(gateway, WebhookAttempt)
            finally:
                await server.stop()
    assert receiver.subjects() == published
    assert receiver.bad_signatures == 0
    assert attempts > 12  # the failed ones are on record too


async def _attempted(gateway: Gateway, heads: int) -> bool:
    return await count(gateway, WebhookAttempt) >= heads


async def _all_delivered(gateway: Gateway, deliveries: int) -> bool:
    async with gateway.app.state.db.read() as session:
        statuses = list(await session.scalars(select(WebhookDelivery.status)))
    return len(statuses) == deliveries and set(statuses) == {"delivered"}


@dataclass
class StallingReceiver(Receiver):
    """Holds the first request it gets unanswered until ``release`` is set; takes the rest."""

    release: asyncio.Event = field(default_factory=asyncio.Event)
    holding: bool = False  # the first request came and is held

    async def handle(self, request: Request) -> Response:
        if self.holding:
            return await super().handle(request)
        self.holding = True
        await self.release.wait()
        return Response(status_code=503)


async def test_a_gateway_stopped_mid_delivery_hands_the_delivery_back(
    migrated_db: Callable[..., str], nats_server: str
) -> None:
    """A gateway stopping while a POST is in flight lets go of the delivery it claimed: the
    gateway that comes back sends it at once, not when the claim's lease (an hour here) ends."""
    receiver = StallingReceiver()
    gateway_db, lease = migrated_db(SERVICE_DIR), {"webhook_lease_seconds": 3600.0}
    async with (
        served(receiver.app()) as receiver_at,
        producer(nats_server, migrated_db(SERVICE_DIR)) as hotline,
    ):
        try:
            async with running_gateway(gateway_db, nats_server, **lease) as gateway:
                receiver.secret = await subscribe(gateway, "province", f"{receiver_at.url}/hook")
                sent = await publish(hotline, "created", "ticket:x", origin_client="province")
                await until(lambda: receiver.holding, "the first POST, held unanswered")
            async with running_gateway(gateway_db, nats_server, **lease) as gateway:
                await until(lambda: _all_delivered(gateway, 1), "the delivery sent again")
        finally:
            receiver.release.set()  # the held request ends, so its server can stop
    assert [event["id"] for event in receiver.got] == [sent]
    assert receiver.bad_signatures == 0


async def test_webhook_admin_refuses_bad_subscriptions(
    migrated_db: Callable[..., str],
) -> None:
    settings = gateway_settings(migrated_db(SERVICE_DIR))
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            gateway = Gateway(app, "http://gw", client)
            admin = await gateway.headers("admin")
            bad_pattern = {"client_id": "province", "url": "http://x/h", "event_types": ["foo"]}
            no_client = {"client_id": "ghost", "url": "http://x/h", "event_types": ["ys.>"]}
            answers = [
                await client.post(HOOKS, json=body, headers=admin)
                for body in (bad_pattern, no_client)
            ]
            listed = await client.get(HOOKS, headers=admin)
    assert [a.status_code for a in answers] == [422, 422]
    assert listed.json()["items"] == []


def test_masking_keeps_codes_and_hides_personal_numbers() -> None:
    from ys_gateway.webhooks.rules import masked

    data = {
        "contact_phone": "13812345678",
        "note": "请致电 13912345678 或身份证 520302199001011234",
        "item_code": "11520327MB1D13812345678000100001",
        "nested": [{"id_number": "52030219900101123X"}],
    }
    out = masked(data)
    assert out["contact_phone"] == "138****5678"
    assert out["note"] == "请致电 139****5678 或身份证 5203**********1234"
    assert out["item_code"] == data["item_code"]
    assert out["nested"][0]["id_number"] == "5203**********123X"


def test_values_sealed_for_a_service_never_go_to_an_integrator() -> None:
    """A 12345 transfer carries the complainant sealed for the complaints center: the province
    that pushed the ticket hears of the transfer, without those fields (nor their ciphertext)."""
    from ys_gateway.webhooks.rules import masked

    sealed = Passage("hotline", "complaints")
    data = {
        "case_number": "RX20260302-00001",
        "origin_client": "province",
        "enterprise": {
            "name": sealed.seal("enterprise.name", "凤冈县绿源茶业有限公司"),
            "uscc": None,
            "phone": sealed.seal("enterprise.phone", "13512345678"),
        },
        "content": sealed.seal("content", "某局要求企业购买指定产品。"),
        "notes": [sealed.seal("note", "王五"), "已转侵权投诉中心"],
    }
    assert masked(data) == {
        "case_number": "RX20260302-00001",
        "origin_client": "province",
        "enterprise": {"uscc": None},
        "notes": ["已转侵权投诉中心"],
    }
