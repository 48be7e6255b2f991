"""督办 after a dispute (DOMAIN.md: dissatisfied → 回访 + 督办 (L2)): the dispute escalates to
the bureau (level 2) at once, and the deadline ladder still fires every level exactly once
(ARCHITECTURE.md, deadlines) — the sweeper does not repeat L2, nor fall back to L1 (the
unit's head) under the bureau's supervision; the stage's own overdue and the levels above
(L3, the committee) still come when it stays late."""

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from tests.builders import BASE, People, Walk, step
from tests.cases.test_deadlines import SECONDS_LADDER
from yingshang.clock import FrozenClock, now
from yingshang.events.outbox import OutboxEvent
from yingshang.testing.apps import ServiceUnderTest
from yingshang.time.sweeper import DeadlineSweeper

LADDER_EVENTS = ("warning", "overdue", "escalated")
COMMITTEE_LEVEL = {
    "level": 3,
    "after": {"amount": 4, "unit": "natural_seconds"},
    "target": "committee",
    "action": "report",
}


async def _supervision_events(sut: ServiceUnderTest, case_id: str) -> list[tuple[str, int]]:
    async with sut.app.state.db.read() as session:
        rows = await session.scalars(
            select(OutboxEvent.payload)
            .where(OutboxEvent.case_key == f"case/{case_id}")
            .order_by(OutboxEvent.seq)
        )
        fired = [(r["type"].rsplit(".", 1)[1], r) for r in rows]
        return [
            (kind, r["data"]["level"])
            for kind, r in fired
            if kind in LADDER_EVENTS and r["data"]["stage"] == "supervision"
        ]


async def _disputed_and_swept(
    sut: ServiceUnderTest, p: People, walk: Walk, clock: FrozenClock, ladder: list[Any]
) -> str:
    c = sut.client
    [policy] = (
        await c.get(f"{BASE}/policies", params={"stage": "supervision"}, headers=p.officer)
    ).json()
    patch = {"amount": 10, "unit": "natural_seconds", "warning_fraction": 0.5, "ladder": ladder}
    changed = await c.patch(f"{BASE}/policies/{policy['id']}", json=patch, headers=p.admin())
    assert changed.status_code == 200, changed.text
    case = await step(c, await walk.resolved(), "dispute", p.officer, {"note": "企业认为未补偿"})
    start = now()
    sweeper = DeadlineSweeper(sut.app.state.db)
    for seconds in (6, 11, 14, 30):
        clock.set(start + timedelta(seconds=seconds))
        await sweeper.sweep()
        await sweeper.sweep()
    return str(case["id"])


async def test_the_bureau_is_escalated_to_once(
    complaints: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    case_id = await _disputed_and_swept(complaints, people, walk, clock, SECONDS_LADDER)
    assert await _supervision_events(complaints, case_id) == [
        ("escalated", 2),  # at the dispute
        ("warning", 0),
        ("overdue", 1),
    ]


async def test_levels_above_the_bureau_still_fire_once(
    complaints: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    ladder = [*SECONDS_LADDER, COMMITTEE_LEVEL]
    case_id = await _disputed_and_swept(complaints, people, walk, clock, ladder)
    assert await _supervision_events(complaints, case_id) == [
        ("escalated", 2),
        ("warning", 0),
        ("overdue", 1),
        ("escalated", 3),
    ]
