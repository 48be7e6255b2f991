"""Statistics of a period: visits per leader against the plan their pairings make, problems
raised and closed, resolution rate, days to 销号, 好差评 of closed problems, duty sittings."""

import uuid
from datetime import timedelta

from tests.builders import BASE, People, Walk, ok
from yingshang.clock import FrozenClock
from yingshang.events import make_event
from yingshang.testing.apps import ServiceUnderTest
from ys_visits.consumers import RatingSubmitted, on_rating

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-03-31"}


async def rate(sut: ServiceUnderTest, problem_id: str, level: int) -> None:
    """The ratings consumer's handler, as the consumer runs it (one write transaction)."""
    data = {"case_id": problem_id, "case_number": "JB", "department": "GXJ",
            "rating_id": str(uuid.uuid4()), "level": level, "service": "visits",
            "case_kind": "problem", "node": "finish", "channel": "sms",
            "rectification_opened": False}  # fmt: skip
    event = make_event("ratings", "ys.ratings.rating.submitted", data)
    async with sut.app.state.db.write() as session:
        await on_rating(session, event, RatingSubmitted.model_validate(data))


async def test_the_period_report(
    visits: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    pairing = await walk.pairing(starts_on="2026-01-01")
    await walk.pairing(leader_name="彭勇", leader_staff_no="FG5200", leader_rank="department_cadre",
                       department="FGJ")  # fmt: skip
    visit = {"pairing_id": pairing["id"], "visited_on": "2026-03-02",
             "participants": [{"name": "王志明"}], "summary": "走访调研"}  # fmt: skip
    await ok(await visits.client.post(f"{BASE}/visits", json=visit, headers=people.center), 201)
    open_problem = await walk.assigned()
    solved = await walk.solved()
    clock.advance(timedelta(days=2))
    closed = await walk.step(solved, "confirm", people.center,
                             {"confirmed_by": "王五", "channel": "on_site"})  # fmt: skip
    await rate(visits, closed["id"], 5)
    await rate(visits, open_problem["id"], 2)  # not closed: not in the satisfaction figures
    report = await ok(await visits.client.get(f"{BASE}/stats", params=PERIOD,
                                              headers=people.committee))  # fmt: skip
    leaders = {x["leader_name"]: x for x in report["leaders"]}
    # 王志明: one quarterly window in Jan–Mar, one visit; 彭勇: monthly from 2 March → 1 window.
    assert {k: leaders["王志明"][k] for k in ("planned_visits", "visits", "completion_rate")} == {
        "planned_visits": 1, "visits": 1, "completion_rate": 1.0}  # fmt: skip
    assert (leaders["彭勇"]["planned_visits"], leaders["彭勇"]["visits"]) == (1, 0)
    figures = report["problems"]
    assert {k: figures[k] for k in ("raised", "closed", "solved_of_raised", "resolution_rate",
                                    "average_days_to_close", "overrides")} == {
        "raised": 2, "closed": 1, "solved_of_raised": 1, "resolution_rate": 0.5,
        "average_days_to_close": 2.0, "overrides": 0}  # fmt: skip
    assert figures["by_category"] == {"infrastructure": 2}
    # the open one was never signed for: two days on, its 签收 (1 working day) is overdue
    # per unit: the stages it was responsible for (the center's: the enterprise's confirmation)
    assert report["departments"] == [
        {"department": "ENTERPRISE_CENTER", "assigned": 0, "closed": 0, "open_overdue": 0,
         "on_time_rate": 1.0, "average_days_to_close": None, "good_rate": None},
        {"department": "GXJ", "assigned": 2, "closed": 1, "open_overdue": 1,
         "on_time_rate": 1.0, "average_days_to_close": 2.0, "good_rate": 1.0},
    ]  # fmt: skip
    assert figures["by_month"] == [{"month": "2026-03", "raised": 2, "closed": 1}]
    assert report["satisfaction"] == {"rated": 1, "average_level": 5.0, "good_rate": 1.0}


async def test_on_time_rates_by_stage_and_unit(
    visits: ServiceUnderTest, people: People, walk: Walk, clock: FrozenClock
) -> None:
    """A stage counts once completed, on time or late, in the period it was completed."""
    on_time = await walk.signed("GXJ")
    late = await walk.assigned("FGJ")
    clock.advance(timedelta(days=3))  # 签收 has 1 working day
    await walk.step(late, "sign", people.head("FGJ"))
    await walk.step(on_time, "contact", people.staff("GXJ"), {"channel": "phone"})  # late too
    report = await ok(await visits.client.get(f"{BASE}/stats", params=PERIOD,
                                              headers=people.center))  # fmt: skip
    figures = report["problems"]
    assert (figures["on_time_rate"], figures["on_time_by_stage"]) == (
        0.3333, {"contact": 0.0, "sign": 0.5})  # fmt: skip
    units = {d["department"]: d["on_time_rate"] for d in report["departments"]}
    assert units == {"FGJ": 0.0, "GXJ": 0.5}
    day_one = {**PERIOD, "date_to": "2026-03-02"}
    earlier = await ok(await visits.client.get(f"{BASE}/stats", params=day_one,
                                               headers=people.center))  # fmt: skip
    assert earlier["problems"]["on_time_by_stage"] == {"sign": 1.0}  # the late ones came later


async def test_who_may_read_and_bad_periods(visits: ServiceUnderTest, people: People) -> None:
    url = f"{BASE}/stats"
    assert (await visits.client.get(url, headers=people.staff())).status_code == 403
    backwards = await visits.client.get(url, params={"date_from": "2026-03-01",
                                                     "date_to": "2026-01-01"},
                                        headers=people.center)  # fmt: skip
    assert (backwards.status_code, backwards.json()["field"]) == (422, "date_to")
    assert backwards.json()["detail"] == "所选期间的结束日期早于开始日期，请重新选择日期范围"
    too_long = await visits.client.get(url, params={"date_from": "2020-01-01",
                                                    "date_to": "2026-01-01"},
                                       headers=people.center)  # fmt: skip
    assert (too_long.status_code, too_long.json()["detail"]) == (
        422,
        "一次最多查询三年，请缩短期间",
    )
    empty = await ok(await visits.client.get(url, headers=people.center))
    assert (empty["date_from"], empty["problems"]["raised"]) == ("2026-01-01", 0)
