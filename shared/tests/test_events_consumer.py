"""Consumers against a real nats-server: dead letters and their replay through the admin API,
retries with backoff, redeliveries absorbed by the inbox, resubscription after a restart."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import nats
import orjson
import pytest
from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

sys.path.insert(0, str(Path(__file__).parent / "eventprocs"))

import sample
from kit import eventually

from yingshang.app import create_service_app
from yingshang.db import Database
from yingshang.events import ConsumerSpec, dead_letter_router, event_components
from yingshang.events.consumer import EventConsumer
from yingshang.events.deadletters import redacted
from yingshang.events.envelope import CloudEvent, make_event
from yingshang.events.inbox import DeadLetter, inbox_count
from yingshang.events.relay import OutboxRelay
from yingshang.events.streams import NatsConnection
from yingshang.settings import ServiceSettings
from yingshang.testing.nats import NatsProcess
from yingshang.testing.tokens import TestIssuer

pytestmark = pytest.mark.nats
MigratedDb = Callable[..., str]


class LenientCase(BaseModel):
    """The payload model after a fix: case numbers from the old numbering are accepted too."""

    case_number: str
    n: int


async def publish_raw(url: str, raw: bytes, subject: str = sample.OPENED) -> None:
    """A message that did not come through any relay (a bug elsewhere, or a forgery)."""
    nc = await nats.connect(url)
    try:
        await nc.jetstream().publish(subject, raw)
    finally:
        await nc.close()


def opened(case_number: str, *, source: str = "sample") -> bytes:
    data = {"case_number": case_number, "n": 0}
    return make_event(source, sample.OPENED, data, subject=case_number).to_json()


@asynccontextmanager
async def sink_app(
    url: str, nats_url: str, spec: ConsumerSpec, issuer: TestIssuer
) -> AsyncIterator[httpx.AsyncClient]:
    settings = ServiceSettings(service="sink", database_url=url, nats_url=nats_url)
    app = create_service_app(
        settings,
        title="sink",
        routers=[dead_letter_router("sink", [spec])],
        components=event_components(spec, relay=False, notifications=False),
    )
    app.state.verifier = issuer.verifier()
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as client,
    ):
        await eventually(lambda: _subscribed(app), "consumer subscribed")
        yield client


async def _subscribed(app: FastAPI) -> bool:
    return all(getattr(c, "subscribed", True) for c in app.state.components)


async def test_a_malformed_event_is_dead_lettered_then_replayed_once_after_a_fix(
    migrated_db: MigratedDb, nats_process: NatsProcess, issuer: TestIssuer
) -> None:
    url = migrated_db(sample.SERVICE_DIR)
    spec = sample.consumer_spec()
    admin = issuer.headers(("BUREAU", "admin"))
    base = "/api/v1/sink/admin/dead-letters"
    async with sink_app(url, nats_process.url, spec, issuer) as client:
        await publish_raw(nats_process.url, opened("OLD-7"))

        async def listed() -> bool:
            return bool((await client.get(base, headers=admin)).json()["items"])

        await eventually(listed, "the dead letter is listed")
        letter = (await client.get(base, headers=admin)).json()["items"][0]
        still_invalid = await client.post(f"{base}/{letter['id']}/replay", headers=admin)

        spec.catalogue.register(sample.OPENED, LenientCase, description="fixed", replace=True)
        replayed = await client.post(f"{base}/{letter['id']}/replay", headers=admin)
        again = await client.post(f"{base}/{letter['id']}/replay", headers=admin)
        pending = (await client.get(base, params={"pending": "true"}, headers=admin)).json()

    assert letter["reason"].startswith("invalid: invalid payload")
    assert "case_number" in letter["reason"]
    assert (letter["attempts"], letter["subject"]) == (1, sample.OPENED)
    assert orjson.loads(letter["payload"])["data"]["case_number"] == "OLD-7"
    assert still_invalid.status_code == 422
    assert still_invalid.headers["content-type"].startswith("application/problem+json")
    assert replayed.status_code == 200
    assert replayed.json()["applied"] is True
    assert again.status_code == 409
    assert pending["items"] == []
    assert await sample.effect_stats(Database(url)) == (1, 1)


async def test_dead_letter_admin_routes_check_access_and_input(
    migrated_db: MigratedDb, nats_process: NatsProcess, issuer: TestIssuer
) -> None:
    url = migrated_db(sample.SERVICE_DIR)
    base = "/api/v1/sink/admin/dead-letters"
    async with sink_app(url, nats_process.url, sample.consumer_spec(), issuer) as client:
        anonymous = await client.get(base)
        clerk = await client.get(base, headers=issuer.headers(("HOTLINE_CENTER", "clerk")))
        # system administration is the bureau's: an admin post elsewhere reads no dead letters
        unit_admin = await client.get(base, headers=issuer.headers(("SCJGJ", "admin")))
        admin = issuer.headers(("BUREAU", "admin"))
        missing = await client.post(f"{base}/999/replay", headers=admin)
        bad_cursor = await client.get(base, params={"cursor": "abc"}, headers=admin)
        too_many = await client.get(base, params={"limit": 500}, headers=admin)
    assert (anonymous.status_code, clerk.status_code, missing.status_code) == (401, 403, 404)
    assert unit_admin.status_code == 403
    assert (bad_cursor.status_code, too_many.status_code) == (422, 422)
    assert bad_cursor.headers["content-type"].startswith("application/problem+json")


async def test_a_forged_event_is_dead_lettered_and_never_handled(
    migrated_db: MigratedDb, nats_process: NatsProcess, issuer: TestIssuer
) -> None:
    url = migrated_db(sample.SERVICE_DIR)
    admin = issuer.headers(("BUREAU", "admin"))
    base = "/api/v1/sink/admin/dead-letters"
    async with sink_app(url, nats_process.url, sample.consumer_spec(), issuer) as client:
        await publish_raw(nats_process.url, opened("C1", source="ratings"))

        async def listed() -> bool:
            return bool((await client.get(base, headers=admin)).json()["items"])

        await eventually(listed, "the forged event is listed")
        letter = (await client.get(base, headers=admin)).json()["items"][0]
    assert letter["reason"].startswith("forged: source /yingshang/ratings")
    assert await sample.effect_stats(Database(url)) == (0, 0)


@asynccontextmanager
async def consumer_running(
    url: str, nats_url: str, spec: ConsumerSpec, **kwargs: object
) -> AsyncIterator[EventConsumer]:
    db = Database(url)
    connection = NatsConnection(nats_url, service="sink", streams=(), reconnect_wait=0.25)
    await connection.start()
    await connection.wait_connected(60)
    consumer = EventConsumer(spec, db, connection, **kwargs)  # type: ignore[arg-type]
    await consumer.start()
    try:
        yield consumer
    finally:
        await consumer.stop()
        await connection.stop()
        await db.dispose()


async def test_a_failing_handler_is_retried_with_backoff_then_dead_lettered(
    migrated_db: MigratedDb, nats_process: NatsProcess
) -> None:
    url = migrated_db(sample.SERVICE_DIR)
    calls: list[str] = []

    async def broken(session: AsyncSession, event: CloudEvent, payload: object) -> None:
        calls.append(event.id)
        raise RuntimeError("the read model is broken")

    spec = sample.consumer_spec(handler=broken, backoff=(0.2, 0.2), max_deliver=3)
    async with consumer_running(url, nats_process.url, spec) as consumer:
        await eventually(lambda: _is(consumer.subscribed), "subscribed")
        await publish_raw(nats_process.url, opened("C9"))
        await eventually(lambda: _is(consumer.dead_letters == 1), "dead-lettered")
    db = Database(url)
    async with db.read() as session:
        letter = (await session.execute(select(DeadLetter))).scalar_one()
        attempts, event_id, reason = letter.attempts, letter.event_id, letter.reason
        inbox = await inbox_count(session, spec.durable)
    assert len(calls) == 3, "delivered max_deliver times"
    assert (attempts, event_id) == (3, calls[0])
    assert reason == "handler failed: RuntimeError: the read model is broken"
    assert inbox == 0, "a failed attempt leaves no inbox row behind"


async def _is(value: bool) -> bool:
    return value


async def test_a_redelivery_after_a_lost_ack_is_absorbed_by_the_inbox(
    migrated_db: MigratedDb, nats_process: NatsProcess
) -> None:
    url = migrated_db(sample.SERVICE_DIR)
    lost: list[str] = []

    async def lose_first_ack(event: CloudEvent) -> None:
        if not lost:
            lost.append(event.id)
            raise ConnectionError("ack lost on the way")

    spec = sample.consumer_spec(backoff=(0.3, 0.3))
    async with consumer_running(url, nats_process.url, spec, before_ack=lose_first_ack) as c:
        await eventually(lambda: _is(c.subscribed), "subscribed")
        await publish_raw(nats_process.url, opened("C1"))
        await eventually(lambda: _is(c.duplicates >= 1), "the redelivery arrives")
    assert (c.processed, c.duplicates) == (1, 1)
    assert await sample.effect_stats(Database(url)) == (1, 1)


async def test_idle_consumers_receive_new_events_after_a_broker_restart(
    migrated_db: MigratedDb, nats_process: NatsProcess
) -> None:
    producer, consumer_url = (
        Database(migrated_db(sample.SERVICE_DIR)),
        migrated_db(sample.SERVICE_DIR),
    )
    connection = NatsConnection(nats_process.url, service="sample", reconnect_wait=0.25)
    await connection.start()
    await connection.wait_connected(60)
    relay = OutboxRelay(producer, connection, poll_seconds=0.2)
    await relay.start()
    try:
        async with consumer_running(consumer_url, nats_process.url, sample.consumer_spec()) as c:
            await sample.open_cases(producer, 1, 1)
            await eventually(lambda: _is(c.processed == 1), "first event consumed")
            nats_process.restart()  # consumers idle; no manual step follows
            await sample.open_cases(producer, 2, 1)
            await eventually(lambda: _is(c.processed == 2), "event after restart consumed")
            # nats.py#504: a pull subscription may go deaf after a restart, so the runner
            # always subscribes anew once the connection is back.
            await eventually(lambda: _is(c.subscriptions >= 2), "resubscribed by itself")
    finally:
        await relay.stop()
        await connection.stop()
        await producer.dispose()
    assert c.processed == 2


async def test_effects_count_matches_events_across_the_inbox(
    migrated_db: MigratedDb, nats_process: NatsProcess
) -> None:
    """Sanity of the sample's bookkeeping the crash tests rely on."""
    url = migrated_db(sample.SERVICE_DIR)
    async with consumer_running(url, nats_process.url, sample.consumer_spec()) as consumer:
        await eventually(lambda: _is(consumer.subscribed), "subscribed")
        for number in range(5):
            await publish_raw(nats_process.url, opened(f"C{number}"))
        await eventually(lambda: _is(consumer.processed == 5), "five consumed")
    db = Database(url)
    async with db.read() as session:
        inbox = await inbox_count(session, sample.consumer_spec().durable)
        effects = await session.scalar(select(func.count()).select_from(sample.Effect))
    assert (inbox, effects) == (5, 5)


def test_a_dead_letter_is_listed_without_the_people_it_names() -> None:
    """Some events carry personal data on purpose (a 12345 transfer carries the complainant
    to the complaints center); the listing keeps what identifies the event and the case."""
    transfer = (
        make_event(
            "hotline",
            "ys.hotline.ticket.transferred",
            {
                "case_id": "01a21e0d-6276-710c-945f-c7bd48b02529",
                "case_number": "RX20261127-00042",
                "department": "SCJGJ",
                "received_at": "2026-11-27T02:00:00Z",
                "enterprise": {
                    "name": "凤冈县绿源茶业有限公司",
                    "uscc": "91520327MA6H2X0K3E",
                    "contact_name": "王五",
                    "contact_phone": "13512345678",
                },
                "content": "执法人员要求购买指定设备，电话 135 1234 5678",
                "level": 2,
            },
            subject="ticket/01a21e0d-6276-710c-945f-c7bd48b02529",
        )
        .to_json()
        .decode()
    )
    shown = orjson.loads(redacted(transfer))
    data = shown["data"]
    assert (data["case_number"], data["department"], data["level"]) == (
        "RX20261127-00042",
        "SCJGJ",
        2,
    )
    assert data["received_at"] == "2026-11-27T02:00:00Z"
    assert shown["type"] == "ys.hotline.ticket.transferred"
    text = redacted(transfer)
    for secret in ("绿源", "91520327", "王五", "1234", "执法人员"):
        assert secret not in text, secret
    assert redacted("not json {") == "[not JSON: 10 bytes]"
