"""The deadline ladder's SMS through a real nats-server: the hotline's outbox → relay → the
gateway's durable ``gateway-hotline-escalations`` consumer → the notifications outbox → the
file channel, one line per person and step."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from yingshang import notify
from yingshang.testing.plugin import MigratedDb
from ys_gateway.app import SERVICE_DIR

from .kit import Gateway, producer, publish, running_gateway, until

pytestmark = pytest.mark.nats
ZJJ_HEAD, BUREAU_HEAD = "13700005100", "13700000002"


def _processed(gateway: Gateway, events: int) -> bool:
    [consumer] = [
        c for c in gateway.app.state.components if c.name == "consumer:gateway-hotline-escalations"
    ]
    return int(consumer.processed) >= events


async def _all_sent(gateway: Gateway, count: int) -> bool:
    async with gateway.app.state.db.read() as session:
        return await notify.counts(session) == {"sent": count}


async def test_overdue_and_l2_from_the_stream_text_the_head_and_the_bureau_once_each(
    migrated_db: MigratedDb, nats_server: str, tmp_path: Path
) -> None:
    outbox = tmp_path / "notifications.jsonl"
    step: dict[str, Any] = {
        "case_id": str(uuid.uuid4()),
        "case_number": "RX202612010002",
        "department": "ZJJ",
        "case_kind": "ticket",
        "stage": "sign",
        "stage_id": str(uuid.uuid4()),
        "due_at": "2026-12-03T09:30:00+00:00",
    }
    async with (
        running_gateway(migrated_db(SERVICE_DIR), nats_server, notify_file=outbox) as gateway,
        producer(nats_server, migrated_db(SERVICE_DIR)) as hotline,
    ):
        await publish(hotline, "overdue", "ticket:2", **step, level=1)
        l1 = {"level": 1, "target": "responsible_head", "action": "notify_head"}
        await publish(hotline, "escalated", "ticket:2", **step, **l1)
        l2 = {"level": 2, "target": "bureau", "action": "urge"}
        await publish(hotline, "escalated", "ticket:2", **step, **l2)
        await until(lambda: _processed(gateway, 3), "the three deadline events consumed")
        await until(lambda: _all_sent(gateway, 2), "both SMS sent")
    lines = [json.loads(line) for line in outbox.read_text("utf-8").splitlines()]
    assert sorted((line["recipient"], line["template"]) for line in lines) == [
        (BUREAU_HEAD, "deadline_urge"),
        (ZJJ_HEAD, "deadline_overdue"),
    ]
    assert {line["params"]["number"] for line in lines} == {"RX202612010002"}
