"""The hall (政务服务中心) answers for its windows and the clerks it seats: it reads their
ratings, co-handles their 差评, and is ranked on the 受理 at its windows — each rating counted
for one unit only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, update

from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest
from ys_ratings.directory.models import DirectoryEntry
from ys_ratings.ratings.models import Rating
from ys_ratings.rectifications.models import Rectification
from ys_ratings.seed import seed_database
from ys_ratings.settings import Settings

from .builders import DEPT, Events, People, rated
from .test_bulletin import bulletin, line
from .test_rectifications import act, rectification_of

RATINGS = "/api/v1/ratings/ratings"
RECTIFICATIONS = "/api/v1/ratings/rectifications"
W01 = "HALL_COUNTY/W01"  # 凤冈县政务服务中心大厅 综合受理窗口1, run by HALL (county.yaml)


def hall(people: People, role: str = "head") -> dict[str, str]:
    return people.as_(("HALL", role))


async def listed(
    sut: ServiceUnderTest, path: str, headers: dict[str, str], **params: Any
) -> set[str]:
    response = await sut.client.get(path, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


async def test_the_hall_reads_its_windows_ratings_and_nothing_else_of_the_department(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    at_window = await rated(ratings, events, 2, node="accept", window=W01, staff_no="ZW2001")
    online = await rated(ratings, events, 5, window=None, staff_no="SC5001", channel="online")
    head, staff, clerk = hall(people), hall(people, "staff"), hall(people, "clerk")
    assert await listed(ratings, RATINGS, head) == {at_window}
    assert await listed(ratings, RATINGS, staff, department="HALL") == {at_window}
    assert await listed(ratings, RATINGS, clerk) == set()  # a window clerk is the one rated
    assert await listed(ratings, RATINGS, people.department()) == {at_window, online}
    read = await ratings.client.get(f"{RATINGS}/{at_window}", headers=head)
    assert read.status_code == 200, read.text
    body = read.json()
    assert (body["department"], body["hall_department"]) == (DEPT, "HALL")
    assert body["rater"]["masked"] is True  # the hall is a rated party
    hidden = await ratings.client.get(f"{RATINGS}/{online}", headers=head)
    assert hidden.status_code == 404
    assert hidden.headers["content-type"].startswith("application/problem+json")


async def test_a_window_bad_rating_is_co_handled_by_the_hall_but_never_spot_checked_by_it(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    rating_id = await rated(ratings, events, 1, node="accept", window=W01, staff_no="ZW2001")
    rect = await rectification_of(ratings, people, rating_id)
    head = hall(people)
    assert await listed(ratings, RECTIFICATIONS, head) == {rect["id"]}
    assert (rect["department"], rect["hall_department"]) == (DEPT, "HALL")
    center = people.center()
    called = {"reached": True, "verified": True, "note": "已联系评价人"}
    rect = await act(ratings, rect, "call-back", called, center)
    rect = await act(ratings, rect, "classify", {"classification": "immediate"}, center)
    mine = await ratings.client.get(f"{RECTIFICATIONS}/{rect['id']}", headers=head)
    assert "complete" in mine.json()["actions"]
    rect = await act(ratings, rect, "complete", {"note": "窗口人员已约谈并整改服务态度"}, head)
    rect = await act(ratings, rect, "feed-back", {"note": "已电话反馈评价人"}, head)
    rect = await act(ratings, rect, "verdict", {"verdict": "satisfied"}, center)
    checked = await ratings.client.post(
        f"{RECTIFICATIONS}/{rect['id']}/spot-check",
        json={"passed": True},
        headers={**people.as_(("HALL", "staff"), ("BUREAU", "staff")), "If-Match": rect["etag"]},
    )
    assert checked.status_code == 403, checked.text


async def test_the_ranking_counts_each_rating_once_the_window_intake_for_the_hall(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    await rated(ratings, events, 5, node="accept", window=W01, staff_no="ZW2001")
    await rated(ratings, events, 2, node="accept", window=W01, staff_no="ZW2001")
    await rated(ratings, events, 4, node="finish", window=W01, staff_no="SC5001")
    body = await bulletin(ratings, people)
    counted = {d["key"]: (d["count"], d["bad"], d["rectifications"]) for d in body["departments"]}
    assert counted == {"HALL": (2, 1, 1), DEPT: (1, 0, 0)}
    assert sum(d["count"] for d in body["departments"]) == body["total"]["count"] == 3
    assert line(body, "departments", "HALL")["label"] == "政务服务中心"
    assert line(body, "windows", W01)["count"] == 3
    response = await ratings.client.get(
        "/api/v1/ratings/scorecards", params={"month": "2026-10"}, headers=hall(people)
    )
    [card] = response.json()["items"]
    assert (card["department"], card["ratings"]["count"], card["ratings"]["bad"]) == ("HALL", 2, 1)


async def test_ratings_stored_before_the_hall_was_known_get_it_at_the_next_start(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    rating_id = await rated(ratings, events, 2, node="accept", window=W01, staff_no="ZW2001")
    async with ratings.app.state.db.write() as session:  # as stored before halls were known
        for model in (Rating, Rectification):
            await session.execute(
                update(model).values(hall_department=None, assessed_department=model.department)
            )
        await session.execute(delete(DirectoryEntry).where(DirectoryEntry.kind == "hall"))
    assert await listed(ratings, RATINGS, hall(people)) == set()
    await seed_database(ratings.app.state.db, Settings().county_file)
    assert await listed(ratings, RATINGS, hall(people)) == {rating_id}
    assert await listed(ratings, RECTIFICATIONS, hall(people), department="HALL") != set()
    body = await bulletin(ratings, people)
    assert [(d["key"], d["count"]) for d in body["departments"]] == [("HALL", 1)]
