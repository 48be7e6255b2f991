"""Where webhooks may go and what comes back (SSRF): no loopback, private, link-local
(cloud metadata), multicast or unspecified addresses unless private receivers are allowed
(``YS_WEBHOOK_ALLOW_PRIVATE``), never the platform's own endpoints; checked at registration,
on change and again when sending (the checked address is the one connected to). The
receiver's answer is never stored or shown: only its status code. Deliveries go only to
clients still active and entitled when they are sent. Personal numbers are masked however
they are written."""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from ys_gateway.app import create_app
from ys_gateway.models import WebhookDelivery
from ys_gateway.settings import Settings
from ys_gateway.webhooks import targets
from ys_gateway.webhooks.sender import WebhookSender

from .kit import Echo, Gateway, served, upstreams

HOOKS = "/api/v1/admin/webhooks"
CLIENTS = "/api/v1/admin/clients"


@asynccontextmanager
async def in_process(settings: Settings) -> AsyncIterator[Gateway]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            yield Gateway(app, "http://gw", client)


async def subscribe(gateway: Gateway, url: str) -> httpx.Response:
    admin = await gateway.headers("admin")
    body = {"client_id": "province", "url": url, "event_types": ["ys.hotline.>"]}
    return await gateway.client.post(HOOKS, json=body, headers=admin)


async def queue(gateway: Gateway, hook_id: str) -> None:
    async with gateway.app.state.db.write() as session:
        session.add(
            WebhookDelivery(
                webhook_id=uuid.UUID(hook_id),
                event_id="e1",
                event_type="ys.hotline.ticket.created",
                subject="t1",
                payload={"id": "e1", "data": {"origin_client": "province"}},
            )
        )


async def send_round(gateway: Gateway) -> None:
    state = gateway.app.state
    sender = WebhookSender(state.db, state.secrets, state.settings)
    sender._client = httpx.AsyncClient(timeout=2)
    try:
        await sender.round()
    finally:
        await sender._client.aclose()


async def attempts(gateway: Gateway, hook_id: str) -> tuple[dict[str, Any], list[Any]]:
    admin = await gateway.headers("admin")
    delivery = (await gateway.client.get(f"{HOOKS}/{hook_id}/deliveries", headers=admin)).json()
    item = delivery["items"][0]
    url = f"{HOOKS}/{hook_id}/deliveries/{item['seq']}/attempts"
    return item, (await gateway.client.get(url, headers=admin)).json()


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:9/x",
        "http://localhost:9/x",
        "http://10.1.2.3/x",
        "http://192.168.1.1/x",
        "http://[::1]/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://0.0.0.0/x",
        "http://224.0.0.1/x",
    ],
)
async def test_internal_addresses_are_refused_by_default_in_production(
    settings_for: Callable[..., Settings], url: str
) -> None:
    """Without the private-receiver setting, a subscription to an internal address is
    refused (422 naming ``url``)."""
    async with in_process(settings_for(webhook_allow_private=False)) as gateway:
        answer = await subscribe(gateway, url)
    assert answer.status_code == 422, answer.text
    assert "url" in answer.text


def test_private_receivers_are_off_in_production_unless_configured() -> None:
    """The setting defaults to off in production, on elsewhere, and can be set either way."""
    secrets = {"key_secret": "k" * 40, "demo_password": "d" * 20, "data_secret": "s" * 40}
    base = {**secrets, "notify_channel": "off"}
    assert Settings(env="production", **base).webhook_private_allowed() is False
    assert Settings(env="production", webhook_allow_private=True, **base).webhook_private_allowed()
    assert Settings(env="dev").webhook_private_allowed() is True
    assert Settings(env="dev", webhook_allow_private=False).webhook_private_allowed() is False


async def test_metadata_and_platform_endpoints_are_refused_even_with_private_receivers(
    settings_for: Callable[..., Settings],
) -> None:
    """Allowing private receivers never allows link-local (cloud metadata), the services'
    replicas (by address or by name) or the gateway itself; nor a change of URL to them."""
    settings = settings_for(
        upstreams=upstreams(hotline="http://127.0.0.1:18002"),
        webhook_allow_private=True,
        # a NATS cluster, as deploy/ and make rehearse configure it
        nats_url="nats://127.0.0.1:18222,nats://127.0.0.1:18223",
    )
    async with in_process(settings) as gateway:
        refused = [
            (await subscribe(gateway, url)).status_code
            for url in (
                "http://169.254.169.254/latest/meta-data/",
                "http://127.0.0.1:18002/api/v1/hotline/tickets",
                "http://localhost:18002/x",
                f"http://127.0.0.1:{settings.port}/api/v1/admin/users",
                "http://127.0.0.1:18223/",  # the second NATS server
            )
        ]
        fine = await subscribe(gateway, "http://127.0.0.1:18999/hook")
        admin = await gateway.headers("admin")
        moved = await gateway.client.patch(
            f"{HOOKS}/{fine.json()['id']}",
            json={"url": "http://169.254.169.254/"},
            headers=admin,
        )
        kept = (await gateway.client.get(f"{HOOKS}/{fine.json()['id']}", headers=admin)).json()
    assert refused == [422, 422, 422, 422, 422]
    assert fine.status_code == 201, fine.text
    assert moved.status_code == 422, moved.text
    assert kept["url"] == "http://127.0.0.1:18999/hook"


async def test_a_name_that_resolves_elsewhere_at_sending_is_not_sent_to(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: a name that resolved to a permitted address at registration but to a
    refused one when the delivery goes out is not contacted; the attempt records why."""
    answers = iter([["203.0.113.7"], ["169.254.169.254"]])

    async def rebinding(host: str, port: int) -> list[Any]:
        if host != "hooks.example.org":
            return [ipaddress.ip_address(host)]
        return [ipaddress.ip_address(a) for a in next(answers)]

    monkeypatch.setattr(targets, "resolve", rebinding)
    created = await subscribe(gateway, "http://hooks.example.org/h")
    assert created.status_code == 201, created.text
    await queue(gateway, created.json()["id"])
    await send_round(gateway)
    delivery, tried = await attempts(gateway, created.json()["id"])
    assert tried[0]["status_code"] is None
    assert tried[0]["error"].startswith("refused: ")
    assert delivery["status"] == "pending"


async def test_the_checked_address_is_the_one_connected_to(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sender connects to the address it checked (no second lookup), naming the host in
    ``Host``; it does not follow redirects."""
    receiver = Echo(status=307)
    async with served(receiver.app()) as target:

        async def pinned(host: str, port: int) -> list[Any]:
            if host == "receiver.invalid":
                return [ipaddress.ip_address("127.0.0.1")]
            return [ipaddress.ip_address(host)]

        monkeypatch.setattr(targets, "resolve", pinned)
        created = await subscribe(gateway, f"http://receiver.invalid:{target.port}/h")
        assert created.status_code == 201, created.text
        await queue(gateway, created.json()["id"])
        await send_round(gateway)
    assert len(receiver.seen) == 1
    assert receiver.seen[0]["headers"]["host"] == f"receiver.invalid:{target.port}"


async def test_the_receivers_answer_is_not_stored_or_shown(gateway: Gateway) -> None:
    """An attempt keeps the status code; the body the receiver answered is neither stored
    nor served back by the attempts API."""

    async def internal(request: Request) -> PlainTextResponse:
        return PlainTextResponse("INTERNAL-ONLY db_password=hunter2", status_code=403)

    async with served(Starlette(routes=[Route("/{p:path}", internal, methods=["POST"])])) as svc:
        created = await subscribe(gateway, f"{svc.url}/x")
        assert created.status_code == 201, created.text
        await queue(gateway, created.json()["id"])
        await send_round(gateway)
    delivery, tried = await attempts(gateway, created.json()["id"])
    assert (tried[0]["status_code"], tried[0]["error"]) == (403, None)
    assert delivery["last_error"] == "HTTP 403"
    assert "hunter2" not in str(tried) + str(delivery)


@pytest.mark.parametrize(
    "change", [{"active": False}, {"scopes": ["hotline:write"]}], ids=["inactive", "no-scope"]
)
async def test_queued_deliveries_wait_while_the_client_is_not_entitled(
    gateway: Gateway, change: dict[str, Any]
) -> None:
    """Deliveries queued for a client are not sent while the client is deactivated or lacks
    the ``events:subscribe`` scope (they stay pending)."""
    receiver = Echo()
    admin = await gateway.headers("admin")
    async with served(receiver.app()) as target:
        created = await subscribe(gateway, f"{target.url}/h")
        await queue(gateway, created.json()["id"])
        off = await gateway.client.patch(f"{CLIENTS}/province", json=change, headers=admin)
        assert off.status_code == 200
        await send_round(gateway)
        held = list(receiver.seen)
        restored = {"active": True, "scopes": ["events:subscribe", "hotline:write"]}
        await gateway.client.patch(f"{CLIENTS}/province", json=restored, headers=admin)
        await send_round(gateway)
    assert held == []
    assert len(receiver.seen) == 1  # entitled again: the queue moves on


def test_phone_numbers_are_masked_however_written() -> None:
    """Country prefixes (+86, 0086, 86), spaces and hyphens between the groups, and letters
    around the number do not keep a mobile number from being masked; codes with long digit
    runs stay intact."""
    from ys_gateway.webhooks.rules import masked

    event = {
        "data": {
            "content": "请回电 +8613812345678，或 138 1234 5678，或 138-1234-5678",
            "other": "0086 139 1234 5678 / 86-13712345678",
            "summary": "TEL13912345678",
            "item_code": "11520327MB1D13812345678000100001",
        }
    }
    out = masked(event)["data"]
    text = str([out["content"], out["other"], out["summary"]])
    for number in ("13812345678", "1234 5678", "1234-5678", "13912345678", "13712345678"):
        assert number not in text, text
    assert out["content"] == "请回电 138****5678，或 138****5678，或 138****5678"
    assert out["summary"] == "TEL139****5678"
    assert out["item_code"] == event["data"]["item_code"]
    # a UUID's last group can hold 11 digits shaped like a mobile: ids are never touched
    uuid_like = "01a21e7c-4aa9-7db3-b16a-16933277785f"
    ids = masked({"id": uuid_like, "data": {"case_id": uuid_like, "note": f"见 {uuid_like}"}})
    assert ids == {"id": uuid_like, "data": {"case_id": uuid_like, "note": f"见 {uuid_like}"}}
