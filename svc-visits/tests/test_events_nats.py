"""Events over a real nats-server: the sweeper's ``overdue`` and escalation of a pairing reach
YS_VISITS exactly once each; 销号 publishes the ``completed`` node; the invitation ratings sends
back becomes an SMS (file channel) to the enterprise's contact, and the rating is counted."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import func, select

from tests.builders import BASE, TEST_PEOPLE, People, Walk, ok
from tests.pairings.test_frequency import set_policy
from yingshang.clock import FrozenClock
from yingshang.events import ensure_stream, make_event
from yingshang.events.outbox import OutboxEvent
from yingshang.testing.apps import ServiceUnderTest
from ys_visits.app import SERVICE_DIR, create_app
from ys_visits.directory.service import PEOPLE
from ys_visits.seed import seed
from ys_visits.settings import Settings

pytestmark = pytest.mark.nats


async def eventually(probe: Callable[[], Awaitable[Any]], what: str) -> Any:
    for _ in range(1200):  # bounded: gives up after ~2 min on a loaded machine; no timing asserted
        found = await probe()
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


@pytest.fixture
async def live(service_app: Callable[..., Any], clock: FrozenClock) -> ServiceUnderTest:
    sut: ServiceUnderTest = await service_app(
        create_app, Settings, SERVICE_DIR, nats=True, relay_poll_seconds=0.2,
        sweep_interval_seconds=0.2, notify_poll_seconds=0.2, seed_demo=False,
    )  # fmt: skip
    async with sut.app.state.db.write() as session:  # the Seeder ran too: this is a no-op
        await seed(session, Settings().county_file, people=True)
        await PEOPLE.add_missing(session, TEST_PEOPLE)
    await sut.app.state.nats.wait_connected(30)
    return sut


async def all_sent(sut: ServiceUnderTest, key: str, at_least: int) -> bool:
    async with sut.app.state.db.read() as session:
        total, unsent = (
            await session.execute(
                select(func.count(), func.count().filter(OutboxEvent.sent_at.is_(None))).where(
                    OutboxEvent.case_key == key
                )
            )
        ).one()
    return bool(total >= at_least and unsent == 0)


async def published(sut: ServiceUnderTest, subjects: str, key: str) -> list[str]:
    """Every event in YS_VISITS on ``subjects`` for the case ``key`` (an ephemeral consumer)."""
    js = sut.app.state.nats.js
    sub = await js.pull_subscribe(subjects, stream="YS_VISITS")
    names: list[str] = []
    try:
        while True:
            try:
                batch = await sub.fetch(100, timeout=2)
            except TimeoutError:  # nats-py raises its own subclass, or the builtin
                return names
            for msg in batch:
                event = orjson.loads(msg.data)
                if event["subject"] == key:
                    names.append(event["type"].rsplit(".", 1)[1])
                await msg.ack()
    finally:
        await sub.unsubscribe()


async def test_pairing_overdue_and_escalation_reach_the_broker_once(
    live: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    walk = Walk(live.client, people)
    await set_policy(live, people, "leader", amount=1, unit="natural_minutes")
    pairing = await walk.pairing()
    key = f"pairing/{pairing['id']}"
    clock.advance(timedelta(minutes=2))  # the running sweeper sees the window over
    await eventually(lambda: all_sent(live, key, 5), "pairing events relayed")
    await asyncio.sleep(1)  # several more sweeps at the same instant: nothing fires again
    assert await all_sent(live, key, 5)
    names = await published(live, "ys.visits.pairing.>", key)
    assert sorted(names) == ["created", "escalated", "overdue", "stage_started", "warning"]


async def test_closure_invites_the_enterprise_by_sms(
    live: ServiceUnderTest, people: People, tmp_var: Path
) -> None:
    walk = Walk(live.client, people)
    closed = await walk.step(await walk.solved(), "confirm", people.center,
                             {"confirmed_by": "王五", "channel": "phone"})  # fmt: skip
    key = f"problem/{closed['id']}"
    await eventually(lambda: all_sent(live, key, 10), "problem events relayed")
    assert {"closed", "completed"} <= set(await published(live, "ys.visits.problem.>", key))
    js = live.app.state.nats.js
    await ensure_stream(js, "ratings")
    common = {"case_id": closed["id"], "case_number": closed["number"], "department": "GXJ",
              "origin_client": None, "service": "visits", "case_kind": "problem",
              "node": "finish"}  # fmt: skip
    invitation = make_event("ratings", "ys.ratings.invitation.created", {
        **common, "invitation_id": str(uuid.uuid4()), "token_url": "/console/public/rate/tok123",
        "expires_at": "2026-03-09T02:00:00Z",
    }, subject=key)  # fmt: skip
    rating = make_event("ratings", "ys.ratings.rating.submitted", {
        **common, "rating_id": str(uuid.uuid4()), "level": 4, "channel": "sms",
        "rectification_opened": False,
    }, subject=key)  # fmt: skip
    for event in (invitation, rating, invitation):  # the redelivered one is absorbed
        await js.publish(event.type, event.to_json(), headers={"Nats-Msg-Id": event.id})
    sms_file = tmp_var / "notifications.jsonl"

    async def sms_lines() -> list[dict[str, Any]]:
        if not sms_file.exists():
            return []
        return [orjson.loads(line) for line in sms_file.read_bytes().splitlines() if line]

    lines = await eventually(sms_lines, "the rating link sent by SMS")
    assert [(m["recipient"], m["template"], m["params"]["url"]) for m in lines] == [
        ("13512345678", "rating_invitation", "/console/public/rate/tok123")
    ]

    async def rated() -> bool:
        view = await ok(await live.client.get(f"{BASE}/problems/{closed['id']}",
                                              headers=people.center))  # fmt: skip
        return bool(view["satisfaction"] == 4)

    await eventually(rated, "the rating counted")
