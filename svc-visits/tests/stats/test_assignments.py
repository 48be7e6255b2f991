"""Problems per department (issue #10 statistics): a 交办单 handed to a department in the
period is one of that department's assignments of the period, whenever the problem was
raised."""

from datetime import UTC, datetime

from tests.builders import BASE, People, Walk, ok
from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest


async def test_a_problem_raised_last_month_and_assigned_this_month_counts_as_assigned(
    visits: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    """Raised on 27 February, handed to GXJ on 2 March: one assignment of GXJ in March (and
    none in February), though the problem was neither raised nor closed in March."""
    start = clock.now()
    clock.set(datetime(2026, 2, 27, 2, 0, tzinfo=UTC))
    problem = await walk.problem()
    clock.set(start)
    await walk.step(problem, "assign", people.center, {"department": "GXJ"})

    async def departments(date_from: str, date_to: str) -> list[dict[str, object]]:
        report = await ok(await visits.client.get(
            f"{BASE}/stats", params={"date_from": date_from, "date_to": date_to},
            headers=people.bureau,
        ))  # fmt: skip
        return list(report["departments"])

    counts = ("department", "assigned", "closed", "open_overdue")
    march = await departments("2026-03-01", "2026-03-31")
    assert [tuple(d[k] for k in counts) for d in march] == [("GXJ", 1, 0, 0)]
    assert [d["assigned"] for d in await departments("2026-02-01", "2026-02-28")] in ([], [0])
