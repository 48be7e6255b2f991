"""A pairing's visit clock runs during its active period only, which ends at 24:00 (county
time) of ``ends_on`` (issue #10: pairings have an active period; overdue visits — no visit
within the frequency window — are flagged and escalate):

* no visit may be recorded on the pairing after its end date;
* a window that the rest of the period cannot hold is not owed: it never opens, so nothing
  warns, goes overdue or escalates about it;
* a window the rest of the period holds (counted from its first day) is owed by the end;
* nothing fires after the end, and the pairing is not shown as overdue once it is over.
"""

from datetime import UTC, datetime
from typing import Any

from tests.builders import BASE, People, Walk, ok
from tests.pairings.test_frequency import events_of, names
from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest
from yingshang.time.sweeper import DeadlineSweeper


async def sweep(sut: ServiceUnderTest, clock: FrozenClock, *instants: datetime) -> None:
    """The sweeper run at each instant in turn (twice: a second pass fires nothing new)."""
    sweeper = DeadlineSweeper(sut.app.state.db)
    for at in instants:
        clock.set(at)
        await sweeper.sweep()
        await sweeper.sweep()


async def read(sut: ServiceUnderTest, people: People, pairing: dict[str, Any]) -> dict[str, Any]:
    response = await sut.client.get(f"{BASE}/assignments/{pairing['id']}", headers=people.center)
    return dict(await ok(response))


def visit_on(pairing: dict[str, Any], day: str) -> dict[str, Any]:
    return {"pairing_id": pairing["id"], "visited_on": day, "participants": [{"name": "彭勇"}],
            "summary": "走访了解企业生产经营情况"}  # fmt: skip


def cadre(**overrides: Any) -> dict[str, Any]:
    """A department cadre's pairing: monthly (30 natural days) by default."""
    return {"leader_rank": "department_cadre", "leader_name": "彭勇", "leader_staff_no": "FG5200",
            **overrides}  # fmt: skip


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_a_pairing_that_ends_before_a_whole_window_owes_no_visit_and_takes_none_after_its_end(
    visits: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    """Monthly cadre pairing from 2 to 20 March (19 days < 30): no window opens, so nothing goes
    overdue or escalates in April and the pairing is never overdue; a visit dated after 20 March
    is refused (422 naming ``visited_on``), one dated on the last day is recorded."""
    pairing = await walk.pairing(**cadre(ends_on="2026-03-20"))
    assert pairing["visit_due_at"] is None
    await sweep(visits, clock, datetime(2026, 4, 11, 2, tzinfo=UTC),
                datetime(2026, 4, 16, 2, tzinfo=UTC))  # fmt: skip
    fired = names(await events_of(visits, f"pairing/{pairing['id']}"))
    assert not {"warning", "overdue", "escalated"} & set(fired), fired
    assert (await read(visits, people, pairing))["overdue"] is False
    after_end = await visits.client.post(
        f"{BASE}/visits", json=visit_on(pairing, "2026-04-08"), headers=people.center
    )
    assert (after_end.status_code, after_end.json().get("field")) == (422, "visited_on"), (
        after_end.text
    )
    assert after_end.json()["detail"] == "走访日期晚于挂帮关系的结束日期"  # the center reads it
    last_day = await visits.client.post(
        f"{BASE}/visits", json=visit_on(pairing, "2026-03-20"), headers=people.center
    )
    assert last_day.status_code == 201, last_day.text
    view = await read(visits, people, pairing)
    assert (view["visits_count"], view["visit_due_at"], view["overdue"]) == (1, None, False)


async def test_a_pairing_for_a_whole_month_owes_its_visit_by_the_end_of_the_month(
    visits: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    """Monthly cadre pairing for all of April (30 days): the visit is owed by 24:00 of 30 April
    (16:00Z), not a day after the pairing has ended; with no visit it goes overdue at the end
    and L1 is told, but the later levels (after the pairing's end) never fire."""
    pairing = await walk.pairing(**cadre(starts_on="2026-04-01", ends_on="2026-04-30"))
    assert utc(pairing["visit_due_at"]) == datetime(2026, 4, 30, 16, tzinfo=UTC)
    await sweep(visits, clock, datetime(2026, 4, 30, 2, tzinfo=UTC))
    assert (await read(visits, people, pairing))["overdue"] is False
    await sweep(visits, clock, datetime(2026, 5, 1, 2, tzinfo=UTC),
                datetime(2026, 5, 20, 2, tzinfo=UTC))  # fmt: skip
    events = await events_of(visits, f"pairing/{pairing['id']}")
    assert names(events) == ["created", "stage_started", "warning", "overdue", "escalated"]
    assert events[-1]["data"]["level"] == 1
    assert (await read(visits, people, pairing))["overdue"] is False


async def test_escalations_that_would_come_after_the_end_do_not_fire(
    visits: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    """Monthly cadre pairing from 2 March to Friday 3 April: the window is due at 24:00 of
    1 April and goes overdue then (L1), L2 one working day later (2 April) is still in the
    pairing's period, L3 five working days later (9 April) is not and never fires. While the
    period runs the pairing is overdue (view, list filter, statistics); once over it is not."""
    pairing = await walk.pairing(**cadre(ends_on="2026-04-03"))
    assert utc(pairing["visit_due_at"]) == datetime(2026, 4, 1, 16, tzinfo=UTC)
    await sweep(visits, clock, datetime(2026, 4, 3, 2, tzinfo=UTC))
    assert (await read(visits, people, pairing))["overdue"] is True
    assert await overdue_ids(visits, people) == [pairing["id"]]
    assert await overdue_pairings(visits, people) == 1
    await sweep(visits, clock, datetime(2026, 4, 11, 2, tzinfo=UTC),
                datetime(2026, 5, 1, 2, tzinfo=UTC))  # fmt: skip
    events = await events_of(visits, f"pairing/{pairing['id']}")
    escalated = [e["data"]["level"] for e in events if e["type"].endswith(".escalated")]
    assert (names(events).count("overdue"), escalated) == (1, [1, 2])
    assert (await read(visits, people, pairing))["overdue"] is False
    assert await overdue_ids(visits, people) == []
    assert await overdue_pairings(visits, people) == 0


async def overdue_ids(sut: ServiceUnderTest, people: People) -> list[str]:
    page = await ok(await sut.client.get(f"{BASE}/assignments", params={"overdue": "true"},
                                         headers=people.center))  # fmt: skip
    return [p["id"] for p in page["items"]]


async def overdue_pairings(sut: ServiceUnderTest, people: People) -> int:
    report = await ok(await sut.client.get(
        f"{BASE}/stats", params={"date_from": "2026-03-01", "date_to": "2026-04-30"},
        headers=people.bureau,
    ))  # fmt: skip
    return int(sum(x["overdue_pairings"] for x in report["leaders"]))
