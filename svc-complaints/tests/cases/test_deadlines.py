"""Time limits through the foundation's engine, with a policy in seconds: an undecided case
yields warning, overdue and the L1/L2 escalations once each (sweeper run by hand), and shows
in the overdue list of the center."""

from datetime import timedelta

from tests.builders import BASE, START, People, register, step
from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest
from yingshang.time.sweeper import DeadlineSweeper

SECONDS_LADDER = [
    {
        "level": 1,
        "after": {"amount": 0, "unit": "natural_seconds"},
        "target": "responsible_head",
        "action": "notify_head",
    },
    {
        "level": 2,
        "after": {"amount": 2, "unit": "natural_seconds"},
        "target": "bureau",
        "action": "urge",
    },
]


async def test_an_undecided_case_escalates_once_per_level(
    complaints: ServiceUnderTest, people: People, clock: FrozenClock
) -> None:
    c = complaints.client
    [policy] = (
        await c.get(f"{BASE}/policies", params={"stage": "acceptance"}, headers=people.officer)
    ).json()
    patch = {
        "amount": 10,
        "unit": "natural_seconds",
        "warning_fraction": 0.5,
        "ladder": SECONDS_LADDER,
    }
    changed = await c.patch(f"{BASE}/policies/{policy['id']}", json=patch, headers=people.admin())
    assert changed.status_code == 200, changed.text
    case = await register(c, people.clerk)
    sweeper = DeadlineSweeper(complaints.app.state.db)
    for seconds in (6, 11, 14, 30):
        clock.set(START + timedelta(seconds=seconds))
        await sweeper.sweep()
        await sweeper.sweep()  # a second sweep at the same instant fires nothing again
    timeline = (await c.get(f"{BASE}/cases/{case['id']}/timeline", headers=people.officer)).json()
    actions = [e["action"] for e in timeline]
    assert actions.count("deadline_warning") == 1
    assert actions.count("deadline_overdue") == 1
    assert actions.count("deadline_escalated") == 2  # L1 and L2, once each
    late = await c.get(f"{BASE}/cases", params={"overdue": "true"}, headers=people.officer)
    assert [i["id"] for i in late.json()["items"]] == [case["id"]]
    decided = await step(c, case, "accept", people.officer)
    assert decided["stages"][0]["on_time"] is False
    on_time = await c.get(f"{BASE}/cases", params={"overdue": "false"}, headers=people.officer)
    assert [i["id"] for i in on_time.json()["items"]] == [case["id"]]  # no clock runs now
