"""Acceptance on a real nats-server: events of a producer's outbox, relayed to JetStream,
consumed by svc-ratings (invitations, ratings, the 督办 ledger and scorecards)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from yingshang.db import Database
from yingshang.events.envelope import make_event
from yingshang.events.outbox import OutboxEvent, enqueue
from yingshang.events.relay import OutboxRelay
from yingshang.events.streams import NatsConnection
from yingshang.testing.apps import ServiceUnderTest, in_process, service_settings
from yingshang.testing.nats import NatsProcess
from yingshang.testing.tokens import TestIssuer
from ys_ratings.app import SERVICE_DIR, create_app
from ys_ratings.invitations.models import Invitation
from ys_ratings.months import month_of
from ys_ratings.settings import Settings

from .builders import CENTER, DEPT, People, completed

pytestmark = pytest.mark.nats
PRODUCER_DIR = Path(__file__).parent / "producer"
RATINGS = "/api/v1/ratings"


class Producer:
    """Another service as far as svc-ratings can tell: its outbox, its relay, its streams."""

    def __init__(self, url: str, nats_url: str) -> None:
        self.db = Database(url)
        self.nats = NatsConnection(nats_url, service="approvals", streams=("approvals", "hotline"))
        self.relay = OutboxRelay(self.db, self.nats, poll_seconds=0.1)
        self.db.on_commit(self.relay.wake)

    async def send(self, type_: str, data: dict[str, Any], event_id: str | None = None) -> str:
        event = make_event(type_.split(".")[1], type_, data, subject=f"x/{data['case_id']}")
        if event_id:
            event = event.model_copy(update={"id": event_id})
        async with self.db.write() as session:
            await enqueue(session, event)
        return event.id

    async def publish_raw(self, type_: str, body: bytes) -> None:
        """A duplicate after the broker's duplicate window: same event, no Nats-Msg-Id."""
        await self.nats.js.publish(type_, body)


@asynccontextmanager
async def producer(url: str, nats_url: str) -> AsyncIterator[Producer]:
    p = Producer(url, nats_url)
    await p.nats.start()
    await p.nats.wait_connected(20)
    await p.relay.start()
    try:
        yield p
    finally:
        await p.relay.stop()
        await p.nats.stop()
        await p.db.dispose()


async def eventually(check: Callable[[], Awaitable[Any]], what: str, within: float = 20.0) -> Any:
    """Wait for asynchronous delivery (a deadline for liveness, not a speed assertion)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"never happened: {what}")
        await asyncio.sleep(0.1)


@pytest.fixture
async def stack(
    migrated_db: Callable[..., str], issuer: TestIssuer, tmp_var: Path, nats_process: NatsProcess
) -> AsyncIterator[tuple[ServiceUnderTest, Producer]]:
    settings = service_settings(
        Settings,
        database_url=migrated_db(SERVICE_DIR),
        jwks_file=issuer.write_jwks(tmp_var / "jwks.json"),
        var_dir=tmp_var,
        nats_url=nats_process.url,
        ratings_center_dept=CENTER,
        sweep_interval_seconds=0.2,
        relay_poll_seconds=0.2,
    )
    async with (
        in_process(create_app, settings, issuer) as sut,
        producer(migrated_db(PRODUCER_DIR), nats_process.url) as p,
    ):
        yield sut, p


async def invitations_of(sut: ServiceUnderTest, case_id: str) -> int:
    async with sut.app.state.db.read() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(Invitation)
            .where(Invitation.case_id == uuid.UUID(case_id))
        )
        return int(count or 0)


async def token_for(sut: ServiceUnderTest, case_id: str) -> str:
    async with sut.app.state.db.read() as session:
        rows = await session.scalars(
            select(OutboxEvent).where(OutboxEvent.subject == "ys.ratings.invitation.created")
        )
        [url] = [
            r.payload["data"]["token_url"] for r in rows if r.payload["data"]["case_id"] == case_id
        ]
    return str(url).rsplit("/", 1)[1]


async def rectification_policy_in_seconds(sut: ServiceUnderTest, people: People) -> None:
    admin = people.as_(("BUREAU", "admin"))
    listed = await sut.client.get(
        f"{RATINGS}/policies", params={"case_kind": "rectification"}, headers=admin
    )
    [policy] = listed.json()
    url = f"{RATINGS}/policies/{policy['id']}"
    etag = (await sut.client.get(url, headers=admin)).headers["ETag"]
    patch = {"amount": 1, "unit": "natural_seconds"}
    changed = await sut.client.patch(url, json=patch, headers={**admin, "If-Match": etag})
    assert changed.status_code == 200, changed.text


async def test_completed_twice_one_invitation_then_a_bad_rating_escalates_and_closes(
    stack: tuple[ServiceUnderTest, Producer], issuer: TestIssuer
) -> None:
    sut, p = stack
    people = People(issuer)
    await rectification_policy_in_seconds(sut, people)
    data = completed("finish")
    first = await p.send("ys.approvals.application.completed", data)
    await p.send("ys.approvals.application.completed", data)  # re-sent: a new event id
    await eventually(lambda: invitations_of(sut, data["case_id"]), "the invitation")
    body = (
        make_event("approvals", "ys.approvals.application.completed", data, subject="x")
        .model_copy(update={"id": first})
        .to_json()
    )
    await p.publish_raw("ys.approvals.application.completed", body)  # delivered twice
    marker = completed("accept")  # a later event: once it is in, the duplicates were handled
    await p.send("ys.approvals.application.completed", marker)
    await eventually(lambda: invitations_of(sut, marker["case_id"]), "the marker's invitation")
    assert await invitations_of(sut, data["case_id"]) == 1

    token = await token_for(sut, data["case_id"])
    rated = await sut.client.post(f"{RATINGS}/invitations/{token}/rating", json={"level": 2})
    assert rated.status_code == 201, rated.text
    assert rated.json()["rectification_opened"] is True

    async def open_entries() -> list[dict[str, Any]]:
        response = await sut.client.get(f"{RATINGS}/escalations", headers=people.bureau())
        return list(response.json()["items"])

    [entry] = await eventually(open_entries, "the overdue rectification in the 督办 ledger")
    assert (entry["service"], entry["case_kind"], entry["department"]) == (
        "ratings",
        "rectification",
        DEPT,
    )
    # the county's month (Asia/Shanghai) of the entry: from 16:00 UTC on a month's last day
    # that is already the next one
    month = month_of(datetime.fromisoformat(entry["since"]))
    cards = await sut.client.get(
        f"{RATINGS}/scorecards",
        params={"month": month, "department": DEPT},
        headers=people.bureau(),
    )
    [card] = cards.json()["items"]
    assert card["overdue_now"] == 1
    assert card["escalations"].get("L1") == 1
    assert card["ratings"]["bad"] == 1

    rect_url = f"{RATINGS}/rectifications/{entry['case_id']}"
    steps = [
        ("call-back", {"reached": True, "verified": True, "note": "已回访"}, people.center()),
        ("classify", {"classification": "immediate"}, people.center()),
        ("complete", {"note": "已整改"}, people.department()),
    ]
    for path, payload, headers in steps:
        etag = (await sut.client.get(rect_url, headers=people.center())).headers["ETag"]
        done = await sut.client.post(
            f"{rect_url}/{path}", json=payload, headers={**headers, "If-Match": etag}
        )
        assert done.status_code == 200, done.text
    assert done.json()["overdue"] is True
    assert done.json()["on_time"] is False

    async def closed_entries() -> list[dict[str, Any]]:
        response = await sut.client.get(
            f"{RATINGS}/escalations", params={"status": "closed"}, headers=people.bureau()
        )
        return list(response.json()["items"])

    [closed] = await eventually(closed_entries, "the ledger entry closed by stage_completed")
    assert closed["closed_by"] == "stage_completed"
    assert await open_entries() == []
