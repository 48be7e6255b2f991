"""The gateway's own consumers (deadline SMS, webhook intake: one per source stream, built from
the settings) leave what they cannot apply as dead letters a bureau administrator lists and
replays at ``/api/v1/admin/dead-letters``, as every service does at its own admin path. Real
nats-server: the hotline's outbox → relay → the gateway's durable consumers."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import nats
import orjson
import pytest
from sqlalchemy import select

from yingshang import notify
from yingshang.events.consumer import EventConsumer, running_specs
from yingshang.events.deadletters import redacted
from yingshang.events.envelope import make_event
from yingshang.events.inbox import DeadLetter
from yingshang.testing.plugin import MigratedDb
from ys_gateway.app import SERVICE_DIR
from ys_gateway.crypto import SecretBox
from ys_gateway.models import User

from .kit import Gateway, producer, publish, running_gateway, until

pytestmark = pytest.mark.nats
DEAD = "/api/v1/admin/dead-letters"
SMS, INTAKE = "gateway-hotline-escalations", "gateway-hotline-webhooks"
ZJJ_HEAD = "13700005100"


def consumer_of(gateway: Gateway, durable: str) -> EventConsumer:
    [consumer] = [c for c in gateway.app.state.components if c.name == f"consumer:{durable}"]
    assert isinstance(consumer, EventConsumer)
    return consumer


def quick_retries(gateway: Gateway, durable: str) -> EventConsumer:
    """The running consumer, its retries shortened (three deliveries half a second apart)."""
    spec = running_specs(gateway.app)[durable]
    spec.backoff, spec.max_deliver = (0.5, 0.5), 3
    return consumer_of(gateway, durable)


async def seal_with_another_key(gateway: Gateway, username: str, mobile: str) -> None:
    """The person's 工作手机 sealed with a key secret this gateway does not have (a new key
    secret before the mobiles are entered again, deploy/README.md): it cannot be opened."""
    async with gateway.app.state.db.write() as session:
        user = await session.scalar(select(User).where(User.username == username))
        assert user is not None
        user.mobile_sealed = SecretBox("another-environment-key-secret").seal(mobile)


async def _stored(gateway: Gateway, letter_id: int) -> str:
    async with gateway.app.state.db.read() as session:
        letter = await session.get(DeadLetter, letter_id)
        assert letter is not None
        return letter.payload


async def _one_sent(gateway: Gateway) -> bool:
    async with gateway.app.state.db.read() as session:
        return await notify.counts(session) == {"sent": 1}


def _code(response: Any) -> str:
    """The problem's code: the last part of its ``type``."""
    return str(response.json()["type"]).rsplit("/", 1)[-1]


async def test_an_sms_the_consumer_gave_up_on_is_replayed_once_after_the_cause_is_fixed(
    migrated_db: MigratedDb, nats_server: str, tmp_path: Path
) -> None:
    outbox = tmp_path / "notifications.jsonl"
    step: dict[str, Any] = {
        "case_id": str(uuid.uuid4()),
        "case_number": "RX202612010007",
        "department": "ZJJ",
        "case_kind": "ticket",
        "stage": "sign",
        "stage_id": str(uuid.uuid4()),
        "due_at": "2026-12-03T09:30:00+00:00",
        "level": 1,
        "target": "responsible_head",
        "action": "notify_head",
    }
    async with (
        running_gateway(migrated_db(SERVICE_DIR), nats_server, notify_file=outbox) as gateway,
        producer(nats_server, migrated_db(SERVICE_DIR)) as hotline,
    ):
        consumer = quick_retries(gateway, SMS)
        await seal_with_another_key(gateway, "zjj_head", ZJJ_HEAD)
        event_id = await publish(hotline, "escalated", "ticket:7", **step)
        await until(lambda: consumer.dead_letters == 1, "the SMS event dead-lettered")
        admin, head = await gateway.headers("admin"), await gateway.headers("zjj_head")

        listed = await gateway.client.get(DEAD, params={"pending": "true"}, headers=admin)
        [letter] = listed.json()["items"]
        stored = await _stored(gateway, letter["id"])
        not_for_a_head = await gateway.client.get(DEAD, headers=head)
        no_replay_by_a_head = await gateway.client.post(
            f"{DEAD}/{letter['id']}/replay", headers=head
        )
        still_broken = await gateway.client.post(f"{DEAD}/{letter['id']}/replay", headers=admin)
        # The cause fixed: the administrator enters the head's number again.
        fixed = await gateway.client.patch(
            "/api/v1/admin/users/zjj_head", json={"mobile": ZJJ_HEAD}, headers=admin
        )
        replayed = await gateway.client.post(f"{DEAD}/{letter['id']}/replay", headers=admin)
        again = await gateway.client.post(f"{DEAD}/{letter['id']}/replay", headers=admin)
        pending = await gateway.client.get(DEAD, params={"pending": "true"}, headers=admin)
        await until(lambda: _one_sent(gateway), "the SMS sent")

    assert listed.status_code == 200, listed.text
    assert (letter["consumer"], letter["event_id"], letter["attempts"]) == (SMS, event_id, 3)
    assert letter["subject"] == "ys.hotline.ticket.escalated"
    assert letter["reason"] == (
        "handler failed: ValueError: secret cannot be decrypted with the configured key secret"
    )
    # Listed as every service lists its letters: ids and codes shown, other texts masked.
    assert letter["payload"] == redacted(stored)
    data = orjson.loads(letter["payload"])["data"]
    assert (data["case_number"], data["department"]) == ("RX202612010007", "ZJJ")
    assert data["target"] != "responsible_head"
    assert orjson.loads(stored)["data"]["target"] == "responsible_head"

    assert (not_for_a_head.status_code, no_replay_by_a_head.status_code) == (403, 403)
    assert still_broken.status_code == 409, still_broken.text
    assert _code(still_broken) == "handler-failed"
    assert fixed.status_code == 200, fixed.text
    assert replayed.status_code == 200, replayed.text
    assert replayed.json()["applied"] is True
    assert again.status_code == 409
    assert _code(again) == "already-replayed"
    assert pending.json()["items"] == []
    lines = [json.loads(line) for line in outbox.read_text("utf-8").splitlines()]
    assert [(line["recipient"], line["template"]) for line in lines] == [
        (ZJJ_HEAD, "deadline_overdue")
    ]


async def test_a_forged_event_the_intake_refused_is_listed_masked_and_stays_refused(
    migrated_db: MigratedDb, nats_server: str
) -> None:
    """Another service publishing on the hotline's stream: the webhook intake dead-letters it
    at once; the listing does not show the person it names; a replay refuses it again."""
    forged = make_event(
        "complaints",
        "ys.hotline.ticket.created",
        {"case_number": "RX202612010008", "contact_name": "王五", "contact_phone": "13512345678"},
        subject="ticket:8",
    )
    async with running_gateway(migrated_db(SERVICE_DIR), nats_server) as gateway:
        consumer = consumer_of(gateway, INTAKE)
        connection = await nats.connect(nats_server)
        try:
            await connection.jetstream().publish(forged.type, forged.to_json())
        finally:
            await connection.close()
        await until(lambda: consumer.dead_letters == 1, "the forged event dead-lettered")
        admin = await gateway.headers("admin")
        [letter] = (await gateway.client.get(DEAD, headers=admin)).json()["items"]
        replayed = await gateway.client.post(f"{DEAD}/{letter['id']}/replay", headers=admin)

    assert (letter["consumer"], letter["event_id"], letter["attempts"]) == (INTAKE, forged.id, 1)
    assert letter["reason"].startswith("forged: source /yingshang/complaints is not the producer")
    assert "王五" not in letter["payload"]
    assert "13512345678" not in letter["payload"]
    assert orjson.loads(letter["payload"])["data"]["case_number"] == "RX202612010008"
    assert replayed.status_code == 422, replayed.text
    assert _code(replayed) == "still-invalid"
