"""The overdue list agrees with the case: ``?overdue=true`` finds every case whose running
clock is past due (``overdue`` in its view), whatever its state — the anti-retaliation
check-back (回访核查, DOMAIN.md: a check-back on the enterprise after closure, default 30
natural days) runs on a closed case, and a late one must show among the overdue."""

from datetime import timedelta

from tests.builders import BASE, People, Walk, step
from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest


async def test_a_late_checkback_on_a_closed_case_is_listed_as_overdue(
    complaints: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    """Closed on Monday 2 March; the check-back opens 30 days later and is due 5 working days
    after that. On 20 April nobody has checked back."""
    c, p = complaints.client, people
    case = await walk.resolved()
    case = await step(c, case, "confirm", p.clerk, {"note": "企业电话确认满意"})
    assert case["state"] == "closed"

    async def listed(overdue: str) -> list[str]:
        page = await c.get(f"{BASE}/cases", params={"overdue": overdue}, headers=p.officer)
        return [x["id"] for x in page.json()["items"]]

    assert (await listed("true"), await listed("false")) == ([], [case["id"]])
    clock.advance(timedelta(days=49))
    detail = (await c.get(f"{BASE}/cases/{case['id']}", headers=p.officer)).json()
    running = [s["stage"] for s in detail["stages"] if s["status"] == "running"]
    assert (running, detail["state"], detail["overdue"]) == (["checkback"], "closed", True)
    assert (await listed("true"), await listed("false")) == ([case["id"]], [])
    done = await step(
        c, detail, "check_back", p.clerk, {"note": "回访核查", "retaliation_found": False}
    )
    assert done["overdue"] is False  # no clock runs any more
    assert (await listed("true"), await listed("false")) == ([], [case["id"]])
