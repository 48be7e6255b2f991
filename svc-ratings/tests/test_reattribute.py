"""Facts written before 部门考核 counted a matter from its 派单/交办 are recomputed from the
producers' streams (``python -m ys_ratings.oversight.reattribute``), on a real nats-server:
each ticket for the unit holding it (the 12345 center before 派单 and after an approved 退单),
a merged or transferred ticket for no one, a 交办单 given back (退回) for the center; a case
older than the stream is left as it was, and a second run changes nothing."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from nats.js import JetStreamContext

from yingshang.clock import FrozenClock, now
from yingshang.db import Database
from yingshang.events.envelope import make_event
from yingshang.events.streams import NatsConnection
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.nats import NatsProcess
from ys_ratings.app import SERVICE_DIR
from ys_ratings.intake.payloads import CaseAssigned, CaseClosed, CaseCreated
from ys_ratings.oversight import service as oversight
from ys_ratings.oversight.reattribute import reattribute

from .builders import DEPT, OTHER_DEPT, People, case_fields

pytestmark = pytest.mark.nats
MONTH = "2026-10"
KINDS = {"hotline": ["ticket"], "visits": ["problem", "pairing"], "approvals": ["application"]}


@pytest.fixture
async def js(nats_process: NatsProcess) -> AsyncIterator[JetStreamContext]:
    """The producers' streams on a nats-server of the test's own."""
    nats = NatsConnection(nats_process.url, service="hotline", streams=("hotline", "visits"))
    await nats.start()
    await nats.wait_connected(20)
    try:
        yield nats.js
    finally:
        await nats.stop()


class History:
    """Events as a producer published them, and as the oversight consumer applied them
    before the rule: ``created`` and ``closed`` wrote the department the event names, the
    assignment moved the case, nothing else was read (退单, 退回, 并单, 转办)."""

    def __init__(self, db: Database, js: JetStreamContext) -> None:
        self.db, self.js = db, js

    async def publish(self, type_: str, data: dict[str, Any], *, applied: bool = True) -> None:
        service, kind, name = type_.split(".")[1:]
        event = make_event(service, type_, data, subject=f"{kind}/{data['case_id']}")
        await self.js.publish(type_, event.to_json(), headers={"Nats-Msg-Id": event.id})
        if applied:
            await self.apply_as_before(service, kind, name, data, event.time)

    async def apply_as_before(
        self, service: str, kind: str, name: str, data: dict[str, Any], at: datetime
    ) -> None:
        async with self.db.write() as session:
            if name == "created":
                await oversight.case_created(session, service, kind, CaseCreated(**data), at)
            elif name == "closed":
                await oversight.case_closed(session, service, kind, CaseClosed(**data))
            elif name in ("dispatched", "assigned"):
                await oversight.case_assigned(session, service, kind, CaseAssigned(**data))


async def received(ratings: ServiceUnderTest, people: People) -> dict[str, dict[str, int]]:
    response = await ratings.client.get(
        "/api/v1/ratings/scorecards", params={"month": MONTH}, headers=people.bureau()
    )
    assert response.status_code == 200, response.text
    return {c["department"]: c["received"] for c in response.json()["items"] if c["received"]}


async def _county(history: History) -> None:
    at = {"received_at": now().isoformat()}
    closing = {**at, "closed_at": now().isoformat()}
    tickets = [case_fields(department=DEPT) for _ in range(6)]
    _waiting, answered, returned, redispatched, merged, transferred = tickets
    for ticket in tickets:  # every ticket's events name its category's department from intake
        await history.publish("ys.hotline.ticket.created", {**ticket, **at})
    t = "ys.hotline.ticket"
    await history.publish(f"{t}.closed", {**answered, **closing, "outcome": "answered"})
    for ticket in (returned, redispatched):
        await history.publish(f"{t}.dispatched", ticket)
        back = {**ticket, "reason": "不属本部门"}
        await history.publish(f"{t}.return_approved", back, applied=False)
    await history.publish(f"{t}.dispatched", {**redispatched, "department": OTHER_DEPT})
    await history.publish(f"{t}.dispatched", merged)
    into = {**merged, "into_ticket_id": str(uuid.uuid4())}
    await history.publish(f"{t}.merged", into, applied=False)
    await history.publish(f"{t}.transferred", {**transferred, "department": None}, applied=False)
    problem = case_fields(department="ENTERPRISE_CENTER")
    await history.publish("ys.visits.problem.created", {**problem, **at, "source": "visit"})
    await history.publish("ys.visits.problem.assigned", {**problem, "department": OTHER_DEPT})
    given_back = {**problem, "department": OTHER_DEPT, "reason": "非本单位职责"}
    await history.publish("ys.visits.problem.returned", given_back, applied=False)
    # received before the stream's oldest event: its events are gone
    await history.apply_as_before("hotline", "ticket", "created", {**case_fields(), **at}, now())
    await history.js.publish("ys.hotline.ticket.dispatched", b"not an event")


async def test_facts_written_before_the_rule_are_recomputed_from_the_streams(
    ratings: ServiceUnderTest, js: JetStreamContext, people: People, clock: FrozenClock
) -> None:
    history = History(ratings.app.state.db, js)
    await _county(history)
    assert await received(ratings, people) == {
        DEPT: {"hotline": 6},  # waiting, answered, returned, merged, transferred, the old one
        OTHER_DEPT: {"hotline": 1, "visits": 1},
    }

    first = await reattribute(ratings.app.state.db, js, KINDS)
    assert [r.line() for r in first] == [
        "hotline (ticket): 6 cases recomputed, 5 changed; 1 older than the stream left as "
        "they were; 1 events refused",
        "visits (problem): 1 cases recomputed, 1 changed; 0 older than the stream left as "
        "they were; 0 events refused",
    ]
    assert await received(ratings, people) == {
        "HOTLINE_CENTER": {"hotline": 3},  # waiting, answered at intake, returned
        OTHER_DEPT: {"hotline": 1},  # dispatched to it after the 退单
        "ENTERPRISE_CENTER": {"visits": 1},  # given back by the unit
        DEPT: {"hotline": 1},  # older than the stream: as it was
    }
    again = await reattribute(ratings.app.state.db, js, KINDS)
    assert [(r.recomputed, r.changed, r.left) for r in again] == [(6, 0, 1), (1, 0, 0)]


async def _a_transferred_ticket(db_url: str, nats_url: str) -> None:
    db = Database(db_url)
    nats = NatsConnection(nats_url, service="hotline")
    await nats.start()
    try:
        await nats.wait_connected(20)
        history, ticket = History(db, nats.js), case_fields()
        await history.publish("ys.hotline.ticket.created", {**ticket, "received_at": None})
        await history.publish("ys.hotline.ticket.transferred", ticket, applied=False)
    finally:
        await nats.stop()
        await db.dispose()


def test_the_command_runs_on_the_services_settings(
    migrated_db: Any, nats_process: NatsProcess, tmp_var: Path
) -> None:
    """The operator's command as deploy/README.md gives it, on the service's own database
    and NATS settings: the ticket transferred before the rule is no one's 受理 after it."""
    url = migrated_db(SERVICE_DIR)
    asyncio.run(_a_transferred_ticket(url, nats_process.url))
    env = {
        **os.environ,
        "YS_RATINGS_DATABASE_URL": url,
        "YS_NATS_URL": nats_process.url,
        "YS_VAR_DIR": str(tmp_var),
        "YS_CONSUMED_KINDS": '{"hotline": ["ticket"], "visits": ["problem"]}',
    }
    done = subprocess.run(
        [sys.executable, "-m", "ys_ratings.oversight.reattribute", "--wait", "20"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "hotline (ticket): 1 cases recomputed, 1 changed; 0 older than the stream left as "
        "they were; 0 events refused",
        "visits (problem): 0 cases recomputed, 0 changed; 0 older than the stream left as "
        "they were; 0 events refused",  # no such stream yet: nothing was ever published
    ]
