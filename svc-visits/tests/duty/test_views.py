"""What the duty schedule and a sitting show:

* the schedule lists sittings in the order they start — by date and start time, sittings
  starting together by id — across pages, not in the order they were scheduled;
* a matter that raised a problem (交办单) names it by number and title to a reader who may
  read the problem, and by id alone to anyone else; the matters load in one query however many
  problems they raised.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from tests.builders import BASE, People, Walk, a_problem, ok
from tests.duty.test_duty import SITTING, act
from yingshang.testing.apps import ServiceUnderTest


async def scheduled(sut: ServiceUnderTest, people: People, **changes: str) -> dict[str, Any]:
    body = {**SITTING, **changes}
    return dict(await ok(await sut.client.post(f"{BASE}/duty-shifts", json=body,
                                               headers=people.center), 201))  # fmt: skip


async def test_the_schedule_lists_sittings_in_the_order_they_start_across_pages(
    visits: ServiceUnderTest, people: People
) -> None:
    """Five sittings scheduled out of order come back by date and start time, two at 09:00 on
    3 March in the order of their ids, in pages of two that join without a gap or a repeat."""
    later = await scheduled(visits, people, date="2026-03-04", leader_name="王志明")
    afternoon = await scheduled(visits, people, date="2026-03-03", start="14:00", end="17:00",
                                leader_name="李娜")  # fmt: skip
    town = await scheduled(visits, people, date="2026-03-03", hall="HALL_LONGQUAN",
                           leader_name="张华")  # fmt: skip
    county = await scheduled(visits, people, date="2026-03-03", leader_name="刘强")
    today = await scheduled(visits, people, start="15:00", end="17:00", leader_name="陈敏")
    together = sorted([town["id"], county["id"]])
    expected = [today["id"], *together, afternoon["id"], later["id"]]
    listed: list[str] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = await ok(await visits.client.get(f"{BASE}/duty-shifts", params=params,
                                                headers=people.staff()))  # fmt: skip
        listed += [s["id"] for s in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert listed == expected
    march_3 = await ok(await visits.client.get(
        f"{BASE}/duty-shifts", params={"date_from": "2026-03-03", "date_to": "2026-03-03"},
        headers=people.staff(),
    ))  # fmt: skip
    assert [s["id"] for s in march_3["items"]] == [*together, afternoon["id"]]


@contextmanager
def statements(sut: ServiceUnderTest) -> Iterator[list[str]]:
    """The SQL statements the service runs inside the block."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    db = sut.app.state.db
    engines = {db.engine.sync_engine, db.write_engine.sync_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


async def test_a_matters_problem_is_named_to_those_who_may_read_it(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    """The hall's staff raise a problem on duty; the center hands it to 工信局 (GXJ). The
    center, the hall's staff (who raised it) and GXJ read its number and title on the matter,
    as they may read the problem; 市场监管局 (SCJGJ) and the leader on duty (FGJ) may not, and
    see its id alone. Reading a sitting takes as many statements with three problems as with
    one."""
    enterprise = await walk.enterprise()
    shift = await scheduled(visits, people)
    shift = await act(visits, shift, "check-in", people.leader())
    raised = {"summary": "企业反映用电增容问题。", "outcome": "problem",
              "enterprise_id": enterprise["id"], "problem": a_problem()}  # fmt: skip
    hall = people.staff("HALL")  # one token: the same user raises and reads
    shift = await act(visits, shift, "matters", hall, raised)
    problem_id = shift["matters"][0]["problem_id"]
    problem = await ok(await visits.client.get(f"{BASE}/problems/{problem_id}",
                                               headers=people.center))  # fmt: skip
    await walk.step(problem, "assign", people.center, {"department": "GXJ"})
    url = f"{BASE}/duty-shifts/{shift['id']}"
    readers = {"center": people.center, "hall": hall, "GXJ": people.staff("GXJ"),
               "SCJGJ": people.staff("SCJGJ"), "leader": people.leader()}  # fmt: skip
    named = {}
    for who, headers in readers.items():
        [matter] = (await ok(await visits.client.get(url, headers=headers)))["matters"]
        readable = await visits.client.get(f"{BASE}/problems/{problem_id}", headers=headers)
        named[who] = (matter["problem_id"], matter["problem_number"], matter["problem_title"])
        assert (matter["problem_number"] is not None) == (readable.status_code == 200), who
    shown = (problem_id, problem["number"], "用电增容审批进度慢")
    hidden = (problem_id, None, None)
    assert named == {"center": shown, "hall": shown, "GXJ": shown, "SCJGJ": hidden,
                     "leader": hidden}  # fmt: skip
    with statements(visits) as one:
        await ok(await visits.client.get(url, headers=people.center))
    for _ in range(2):
        shift = await act(visits, shift, "matters", people.center, raised)
    with statements(visits) as three:
        found = await ok(await visits.client.get(url, headers=people.center))
    assert [m["problem_number"] is not None for m in found["matters"]] == [True] * 3
    assert len(three) == len(one), three
