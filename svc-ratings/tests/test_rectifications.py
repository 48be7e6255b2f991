"""A 差评's rectification: 回访核实 → 分类 → 整改 → 反馈 → 评价整改 → 抽查回访, and who may do
what."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest

from .builders import OTHER_DEPT, Events, People, case_fields, rated

BASE = "/api/v1/ratings/rectifications"
REVISITED = "ys.hotline.ticket.revisited"


async def rectification_of(sut: ServiceUnderTest, people: People, rating_id: str) -> dict[str, Any]:
    rating = await sut.client.get(f"/api/v1/ratings/ratings/{rating_id}", headers=people.center())
    rect_id = rating.json()["rectification_id"]
    assert rect_id, "a 差评 opens a rectification"
    response = await sut.client.get(f"{BASE}/{rect_id}", headers=people.center())
    return {**response.json(), "etag": response.headers["ETag"]}


async def act(
    sut: ServiceUnderTest,
    rect: dict[str, Any],
    path: str,
    body: dict[str, Any],
    headers: dict[str, str],
) -> dict[str, Any]:
    response = await sut.client.post(
        f"{BASE}/{rect['id']}/{path}", json=body, headers={**headers, "If-Match": rect["etag"]}
    )
    assert response.status_code == 200, response.text
    return {**response.json(), "etag": response.headers["ETag"]}


async def test_the_whole_loop_on_time(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    rect = await rectification_of(ratings, people, await rated(ratings, events, 2))
    assert rect["state"] == "awaiting_callback"
    assert rect["due_at"] == "2026-11-05T16:00:00Z"  # 15 working days, 24:00 Shanghai
    center, dept = people.center(), people.department()
    rect = await act(
        ratings,
        rect,
        "call-back",
        {"reached": True, "verified": True, "note": "已联系评价人"},
        center,
    )
    rect = await act(ratings, rect, "classify", {"classification": "deadline"}, center)
    assert rect["state"] == "rectifying"
    rect = await act(ratings, rect, "complete", {"note": "窗口补充告知单"}, dept)
    assert (rect["state"], rect["on_time"]) == ("awaiting_feedback", True)
    rect = await act(ratings, rect, "feed-back", {"note": "电话反馈"}, dept)
    rect = await act(ratings, rect, "verdict", {"verdict": "satisfied"}, center)
    assert (rect["state"], rect["outcome"], rect["verdict"]) == (
        "awaiting_spot_check",
        None,
        "satisfied",
    )
    rect = await act(ratings, rect, "spot-check", {"passed": True}, people.bureau())
    assert (rect["state"], rect["outcome"]) == ("closed", "rectified")
    sent = await events.outbox("ys.ratings.rectification.*")
    names = [e["type"].rsplit(".", 1)[1] for e in sent if e["data"]["case_id"] == rect["id"]]
    assert names == [
        "stage_started",
        "opened",
        "called_back",
        "classified",
        "completed",
        "stage_completed",
        "fed_back",
        "verdict_recorded",
        "closed",
    ]
    timeline = await ratings.client.get(f"{BASE}/{rect['id']}/timeline", headers=center)
    assert {"opened", "call_back", "record_verdict"} <= {t["action"] for t in timeline.json()}


async def test_a_revisit_after_a_reopen_is_the_raters_verdict_on_the_fix(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    """A 12345 ticket rated 非常不满意, reopened and revisited again: the rating stays the first
    回访 (one score); the later 回访 is kept beside it and, once the rectification waits for the
    rater's verdict, is that verdict. A re-sent or older 回访 changes nothing."""
    ticket = case_fields()

    def visit(level: int, round_: int, at: str) -> dict[str, Any]:
        return {**ticket, "level": level, "revisited_at": at, "round": round_}

    await events.send(REVISITED, visit(1, 1, "2026-10-10T08:00:00Z"))
    listed = await ratings.client.get(
        "/api/v1/ratings/ratings", params={"channel": "hotline"}, headers=people.bureau()
    )
    [rating] = listed.json()["items"]
    await events.send(REVISITED, visit(5, 2, "2026-10-14T08:00:00Z"))
    rect = await rectification_of(ratings, people, rating["id"])
    assert rect["state"] == "awaiting_callback"  # the center's steps go on
    center, dept = people.center(), people.department()
    body = {"reached": True, "verified": True, "note": "已联系评价人"}
    rect = await act(ratings, rect, "call-back", body, center)
    rect = await act(ratings, rect, "classify", {"classification": "deadline"}, center)
    rect = await act(ratings, rect, "complete", {"note": "重新办理"}, dept)
    rect = await act(ratings, rect, "feed-back", {"note": "电话反馈"}, dept)
    assert rect["state"] == "awaiting_verdict"

    await events.send(REVISITED, visit(3, 3, "2026-10-20T08:00:00Z"))
    await events.send(REVISITED, visit(3, 3, "2026-10-20T08:00:00Z"))  # re-sent
    await events.send(REVISITED, visit(5, 2, "2026-10-14T08:00:00Z"))  # an older one, late
    rect = await rectification_of(ratings, people, rating["id"])
    assert (rect["state"], rect["outcome"], rect["verdict"]) == (
        "awaiting_spot_check",
        None,
        "basically_satisfied",
    )
    read = await ratings.client.get(f"/api/v1/ratings/ratings/{rating['id']}", headers=center)
    assert (read.json()["level"], read.json()["followup_level"]) == (1, 3)
    assert read.json()["followup_at"] == "2026-10-20T08:00:00Z"
    timeline = await ratings.client.get(f"{BASE}/{rect['id']}/timeline", headers=center)
    verdicts = [t for t in timeline.json() if t["action"] == "verdict_by_revisit"]
    assert [t["note"] for t in verdicts] == ["12345 第3次回访：基本满意"]


async def test_preconditions_roles_and_states(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    rect = await rectification_of(ratings, people, await rated(ratings, events, 1))
    url = f"{BASE}/{rect['id']}/call-back"
    body = {"reached": True, "verified": True, "note": "核实"}
    missing = await ratings.client.post(url, json=body, headers=people.center())
    assert missing.status_code == 428
    stale = await ratings.client.post(
        url, json=body, headers={**people.center(), "If-Match": '"x"'}
    )
    assert stale.status_code == 412
    department = await ratings.client.post(
        url, json=body, headers={**people.department(), "If-Match": rect["etag"]}
    )
    assert department.status_code == 403  # 回访核实 is the ratings center's
    wrong_state = await ratings.client.post(
        f"{BASE}/{rect['id']}/complete",
        json={"note": "x"},
        headers={**people.department(), "If-Match": rect["etag"]},
    )
    assert wrong_state.status_code == 409
    unseen = await ratings.client.get(f"{BASE}/{rect['id']}", headers=people.department(OTHER_DEPT))
    assert unseen.status_code == 404


async def test_a_claim_of_invalid_rating_is_reviewed(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    rect = await rectification_of(ratings, people, await rated(ratings, events, 2))
    center = people.center()
    rect = await act(
        ratings, rect, "call-back", {"reached": False, "verified": False, "note": "未接通"}, center
    )
    rect = await act(ratings, rect, "classify", {"classification": "explanation"}, center)
    rect = await act(
        ratings,
        rect,
        "claim-invalid",
        {"reason": "评价对象错误，非本部门办件"},
        people.department(),
    )
    assert rect["state"] == "invalid_review"
    rejected = await ratings.client.post(
        f"{BASE}/{rect['id']}/approve-claim",
        json={},
        headers={**people.center("staff"), "If-Match": rect["etag"]},
    )
    assert rejected.status_code == 403  # reviews are for heads
    rect = await act(ratings, rect, "approve-claim", {"note": "核实属实"}, people.bureau("head"))
    assert (rect["state"], rect["outcome"]) == ("closed", "invalid")


async def test_lists_filter_and_stay_within_the_department(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    await rated(ratings, events, 2)
    await rated(ratings, events, 1, department=OTHER_DEPT)
    mine = await ratings.client.get(BASE, headers=people.department())
    assert [r["department"] for r in mine.json()["items"]] == ["SCJGJ"]
    everyone = await ratings.client.get(
        BASE, params={"state": "awaiting_callback", "limit": 1}, headers=people.bureau()
    )
    page = everyone.json()
    assert len(page["items"]) == 1
    assert page["next_cursor"]
    rest = await ratings.client.get(
        BASE, params={"cursor": page["next_cursor"]}, headers=people.bureau()
    )
    assert len(rest.json()["items"]) == 1


async def test_the_county_loads_next_years_holidays_into_ratings(
    ratings: ServiceUnderTest, people: People
) -> None:
    """Rectification limits count working days: ratings takes year files like every service
    with deadlines (admin to load, staff to read)."""
    years = "/api/v1/ratings/admin/calendar/years"
    new_year = {"name": "元旦", "date": "2031-01-01", "isOffDay": True}
    document = {"year": 2031, "papers": ["test"], "days": [new_year]}
    refused = await ratings.client.post(years, json=document, headers=people.department())
    assert refused.status_code == 403
    loaded = await ratings.client.post(
        years, json=document, headers=people.as_(("BUREAU", "admin"))
    )
    assert loaded.status_code == 201, loaded.text
    listed = await ratings.client.get(years, headers=people.center())
    assert 2031 in [y["year"] for y in listed.json()]


async def test_an_approved_unfixable_claim_is_not_rectified_on_time(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    """无法整改审核 is a side branch: approving the claim closes the rectification with its
    own outcome, and the bulletin does not count it as rectified on time."""
    rect = await rectification_of(ratings, people, await rated(ratings, events, 2))
    center = people.center()
    called = {"reached": True, "verified": True, "note": "已核实"}
    rect = await act(ratings, rect, "call-back", called, center)
    rect = await act(ratings, rect, "classify", {"classification": "deadline"}, center)
    claim = {"reason": "涉及上级系统，县级无法整改"}
    rect = await act(ratings, rect, "claim-unfixable", claim, people.department())
    rect = await act(ratings, rect, "approve-claim", {"note": "情况属实"}, people.bureau("head"))
    assert (rect["state"], rect["outcome"], rect["on_time"]) == ("closed", "unfixable", None)
    response = await ratings.client.get(
        "/api/v1/ratings/reports/monthly", params={"month": "2026-10"}, headers=people.bureau()
    )
    total = response.json()["total"]
    assert (total["rectifications"], total["rectified_on_time"]) == (1, 0)


async def test_the_bulletin_judges_only_rectifications_due(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    """按期整改 and 回访率 count a rectification once it is completed or past its deadline
    (回访率: or called back): minutes after a 差评 it is neither a failure nor a success."""

    async def figures() -> tuple[Any, ...]:
        response = await ratings.client.get(
            "/api/v1/ratings/reports/monthly", params={"month": "2026-10"}, headers=people.bureau()
        )
        t = response.json()["total"]
        fields = ("rectifications", "rectifications_due", "rectified_on_time", "on_time_rate",
                  "callbacks_due", "called_back", "callback_rate")  # fmt: skip
        return tuple(t[f] for f in fields)

    done = await rectification_of(ratings, people, await rated(ratings, events, 2))
    await rated(ratings, events, 1)  # its 整改 runs 15 working days: not due yet
    assert await figures() == (2, 0, 0, None, 0, 0, None)
    called = {"reached": True, "verified": True, "note": "已核实"}
    done = await act(ratings, done, "call-back", called, people.center())
    assert await figures() == (2, 0, 0, None, 1, 1, 100.0)
    done = await act(ratings, done, "classify", {"classification": "deadline"}, people.center())
    await act(ratings, done, "complete", {"note": "窗口补充告知单"}, people.department())
    assert await figures() == (2, 1, 1, 100.0, 1, 1, 100.0)
    clock.advance(timedelta(days=30))  # the other one's deadline has passed
    assert await figures() == (2, 2, 1, 50.0, 2, 1, 50.0)
