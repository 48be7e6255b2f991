"""抽查回访 (spot check) of a rectification after the rater's verdict: passed, it closes as
rectified; failed, it goes back to 整改中 with the reason under a new 整改 time limit and no
longer counts as rectified on time. The ratings center's staff or the bureau checks — never
the rated department, whatever bureau post its people also hold."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest

from .builders import DEPT, OTHER_DEPT, Events, People, rated
from .test_rectifications import BASE, act, rectification_of

MONTHLY = "/api/v1/ratings/reports/monthly"


async def judged(ratings: ServiceUnderTest, events: Events, people: People) -> dict[str, Any]:
    """A 差评's rectification through 回访核实, 分类, 整改完成, 反馈 and the rater's verdict."""
    rect = await rectification_of(ratings, people, await rated(ratings, events, 2))
    center, dept = people.center(), people.department()
    called = {"reached": True, "verified": True, "note": "已联系评价人"}
    rect = await act(ratings, rect, "call-back", called, center)
    rect = await act(ratings, rect, "classify", {"classification": "deadline"}, center)
    rect = await act(ratings, rect, "complete", {"note": "窗口补充一次性告知单"}, dept)
    rect = await act(ratings, rect, "feed-back", {"note": "电话反馈评价人"}, dept)
    return await act(ratings, rect, "verdict", {"verdict": "satisfied"}, center)


async def spot_check(
    ratings: ServiceUnderTest, rect: dict[str, Any], body: dict[str, Any], who: dict[str, str]
) -> Any:
    return await ratings.client.post(
        f"{BASE}/{rect['id']}/spot-check", json=body, headers={**who, "If-Match": rect["etag"]}
    )


async def words(ratings: ServiceUnderTest, rect: dict[str, Any], people: People) -> list[Any]:
    response = await ratings.client.get(f"{BASE}/{rect['id']}/timeline", headers=people.center())
    return [(e["action"], e["label"], e["from_label"], e["to_label"]) for e in response.json()]


async def on_time(ratings: ServiceUnderTest, people: People) -> tuple[int, int]:
    report = await ratings.client.get(MONTHLY, params={"month": "2026-10"}, headers=people.bureau())
    total = report.json()["total"]
    return total["rectifications"], total["rectified_on_time"]


async def event_names(events: Events, rect: dict[str, Any]) -> list[str]:
    sent = await events.outbox("ys.ratings.rectification.*")
    return [e["type"].rsplit(".", 1)[1] for e in sent if e["data"]["case_id"] == rect["id"]]


async def test_a_passed_spot_check_closes_the_rectification(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    rect = await judged(ratings, events, people)
    assert (rect["state"], rect["outcome"], rect["closed_at"]) == (
        "awaiting_spot_check",
        None,
        None,
    )
    assert rect["actions"] == ["pass_spot_check", "fail_spot_check"]  # the center's staff
    assert await on_time(ratings, people) == (1, 1)
    rect = await act(ratings, rect, "spot-check", {"passed": True, "note": "抽查属实"},
                     people.bureau("head"))  # fmt: skip
    assert (rect["state"], rect["outcome"], rect["spot_check_result"]) == (
        "closed",
        "rectified",
        "passed",
    )
    assert (rect["spot_checked_at"], rect["closed_at"]) == (
        "2026-10-15T02:00:00Z",
        "2026-10-15T02:00:00Z",
    )
    assert (rect["spot_check_note"], rect["on_time"], rect["actions"]) == ("抽查属实", True, [])
    assert (await event_names(events, rect))[-2:] == ["verdict_recorded", "closed"]
    assert (await words(ratings, rect, people))[-2:] == [
        ("record_verdict", "评价整改", "待评价整改", "待抽查回访"),
        ("pass_spot_check", "抽查回访合格", "待抽查回访", "已办结"),
    ]
    assert await on_time(ratings, people) == (1, 1)  # the bulletin counts it as before


async def test_a_failed_spot_check_sends_it_back_with_the_reason(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    rect = await judged(ratings, events, people)
    first_due = rect["due_at"]
    missing = await spot_check(ratings, rect, {"passed": False}, people.bureau())
    assert missing.status_code == 422  # a failed check says why
    clock.advance(timedelta(days=6))  # Wednesday 2026-10-21
    reason = "回访评价人，告知单仍未在窗口公示"
    rect = await act(ratings, rect, "spot-check", {"passed": False, "note": reason},
                     people.center())  # fmt: skip
    assert (rect["state"], rect["spot_check_result"], rect["spot_check_note"]) == (
        "rectifying",
        "failed",
        reason,
    )
    assert (rect["on_time"], rect["rectified_at"], rect["verdict"], rect["closed_at"]) == (
        False,
        None,
        None,
        None,
    )
    assert rect["due_at"] == "2026-11-11T16:00:00Z" != first_due  # 15 working days afresh
    assert (await event_names(events, rect))[-2:] == ["spot_check_failed", "stage_started"]
    assert ("fail_spot_check", "抽查回访不合格", "待抽查回访", "整改中") in await words(
        ratings, rect, people
    )
    assert await on_time(ratings, people) == (1, 0)  # no longer rectified on time

    # the redo: completed well within its new limit, it still is not "on time"
    dept = people.department()
    rect = await act(ratings, rect, "complete", {"note": "告知单已上墙公示"}, dept)
    assert (rect["state"], rect["on_time"]) == ("awaiting_feedback", False)
    assert rect["rectified_at"] == "2026-10-21T02:00:00Z"
    rect = await act(ratings, rect, "feed-back", {"note": "再次电话反馈"}, dept)
    rect = await act(ratings, rect, "verdict", {"verdict": "satisfied"}, people.center())
    rect = await act(ratings, rect, "spot-check", {"passed": True}, people.bureau())
    assert (rect["state"], rect["outcome"], rect["spot_check_result"]) == (
        "closed",
        "rectified",
        "passed",
    )
    assert await on_time(ratings, people) == (1, 0)


async def test_who_may_spot_check_and_when(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    rect = await rectification_of(ratings, people, await rated(ratings, events, 1))
    early = await spot_check(ratings, rect, {"passed": True}, people.bureau())
    assert early.status_code == 409  # not before the rater's verdict
    rect = await judged(ratings, events, people)
    cross_posted = people.as_((DEPT, "staff"), ("BUREAU", "head"))  # 交叉挂职
    for refused in (
        people.department(),
        people.department(role="head"),
        people.committee(),
        cross_posted,
        {**cross_posted, "X-Acting-Position": "BUREAU/head"},
    ):
        response = await spot_check(ratings, rect, {"passed": True}, refused)
        assert response.status_code == 403, response.text
    own = await spot_check(ratings, rect, {"passed": True}, cross_posted)
    assert own.json()["type"].endswith("/own-rectification")
    unseen = await spot_check(ratings, rect, {"passed": True}, people.department(OTHER_DEPT))
    assert unseen.status_code == 404
    no_tag = await ratings.client.post(
        f"{BASE}/{rect['id']}/spot-check", json={"passed": True}, headers=people.bureau()
    )
    assert no_tag.status_code == 428
    read = await ratings.client.get(f"{BASE}/{rect['id']}", headers=people.department())
    assert (read.json()["state"], read.json()["actions"]) == ("awaiting_spot_check", [])
    assert read.json()["version"] == rect["version"]  # nothing half-written
