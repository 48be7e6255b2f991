"""One-time rating links: what they show, rating once, expiry, staff refused."""

from __future__ import annotations

from datetime import timedelta

from tests.builders import Events, People
from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest

BASE = "/api/v1/ratings/invitations"


async def test_link_shows_the_case_and_the_offline_indicators(
    ratings: ServiceUnderTest, events: Events
) -> None:
    token = await events.invitation_token()
    response = await ratings.client.get(f"{BASE}/{token}")
    assert response.status_code == 200
    body = response.json()
    assert body["item_name"] == "食品经营许可"
    assert body["rated"] is False
    assert [i["name"] for i in body["indicators"]] == [
        "整体满意度",
        "服务效率",
        "服务水平",
        "服务态度",
    ]
    assert "phone" not in response.text


async def test_a_second_rating_on_the_same_token_is_refused(
    ratings: ServiceUnderTest, events: Events
) -> None:
    token = await events.invitation_token()
    first = await ratings.client.post(f"{BASE}/{token}/rating", json={"level": 5})
    assert first.status_code == 201, first.text
    second = await ratings.client.post(f"{BASE}/{token}/rating", json={"level": 1})
    assert second.status_code == 409
    assert second.headers["content-type"] == "application/problem+json"
    assert second.json()["type"].endswith("/already-rated")
    shown = await ratings.client.get(f"{BASE}/{token}")
    assert shown.json()["rated"] is True


async def test_unknown_and_expired_links(
    ratings: ServiceUnderTest, events: Events, clock: FrozenClock
) -> None:
    unknown = await ratings.client.get(f"{BASE}/{'x' * 43}")
    assert unknown.status_code == 404
    token = await events.invitation_token()
    clock.advance(timedelta(days=31))  # the link lives 30 natural days (policy)
    expired = await ratings.client.post(f"{BASE}/{token}/rating", json={"level": 4})
    assert expired.status_code == 410
    assert (await ratings.client.get(f"{BASE}/{token}")).status_code == 410


async def test_staff_may_not_rate_for_the_applicant(
    ratings: ServiceUnderTest, events: Events, people: People
) -> None:
    token = await events.invitation_token()
    own = await ratings.client.post(
        f"{BASE}/{token}/rating",
        json={"level": 5},
        headers=people.as_(("HALL", "clerk"), staff_no="ZW2001"),
    )
    assert own.status_code == 403
    assert own.json()["type"].endswith("/own-work")
    other = await ratings.client.post(
        f"{BASE}/{token}/rating", json={"level": 5}, headers=people.department()
    )
    assert other.status_code == 403
    still_open = await ratings.client.post(f"{BASE}/{token}/rating", json={"level": 5})
    assert still_open.status_code == 201


async def test_bad_input_is_a_problem_and_writes_nothing(
    ratings: ServiceUnderTest, events: Events
) -> None:
    token = await events.invitation_token()
    for body in (
        {"level": 6},
        {"level": 4, "scores": {"nonsense": 5}},
        {"level": 4, "scores": {"overall": 0}},
        {"level": 4, "extra": 1},
    ):
        response = await ratings.client.post(f"{BASE}/{token}/rating", json=body)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
    ok = await ratings.client.post(
        f"{BASE}/{token}/rating", json={"level": 4, "scores": {"overall": 4, "attitude": 5}}
    )
    assert ok.status_code == 201
