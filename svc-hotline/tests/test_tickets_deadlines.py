"""五限时 with policies in seconds: an unsigned ticket yields warning, overdue and L1→L2
escalation, once each, on its timeline (the foundation's sweeper, run by hand)."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.clock import frozen_clock
from yingshang.time.sweeper import DeadlineSweeper

from .builders import BASE, People, create, in_seconds, step

SECONDS_LADDER = [
    {"level": 1, "after": {"amount": 0, "unit": "natural_seconds"}, "target": "responsible_head",
     "action": "notify_head"},
    {"level": 2, "after": {"amount": 2, "unit": "natural_seconds"}, "target": "bureau",
     "action": "urge"},
]  # fmt: skip


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    with frozen_clock(datetime(2026, 11, 25, 2, 0, tzinfo=UTC)) as frozen:
        yield frozen


async def test_unsigned_ticket_escalates_once_per_level(
    hotline: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    db = hotline.app.state.db
    await in_seconds(hotline, "sign", warning_fraction=0.5, ladder=SECONDS_LADDER)
    t = await step(hotline.client, await create(hotline.client, people.operator), "dispatch",
                   people.operator)  # fmt: skip
    sweeper = DeadlineSweeper(db)
    for seconds in (6, 11, 14, 30, 60):
        clock.set(datetime(2026, 11, 25, 2, 0, tzinfo=UTC) + timedelta(seconds=seconds))
        await sweeper.sweep()
        await sweeper.sweep()  # a second sweep at the same instant fires nothing again
    detail = (
        await hotline.client.get(f"{BASE}/tickets/{t['id']}", headers=people.center_head)
    ).json()
    actions = [e["action"] for e in detail["timeline"]]
    assert actions.count("deadline_warning") == 1
    assert actions.count("deadline_overdue") == 1
    assert actions.count("deadline_escalated") == 2  # L1 and L2, once each
    assert detail["overdue"] is True
    assert detail["escalation_level"] == 2
    queue = await hotline.client.get(
        f"{BASE}/tickets", params={"queue": "overdue"}, headers=people.head("SCJGJ")
    )
    assert [i["id"] for i in queue.json()["items"]] == [t["id"]]
