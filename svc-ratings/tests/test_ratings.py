"""Ratings: rater identity for the ratings center only, unmask with a reason (audited),
provincial pushes with Idempotency-Key, 12345 return visits, default ratings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from yingshang import audit
from yingshang.clock import FrozenClock
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.sealed import assert_sealed, stored
from ys_ratings.components import DefaultRatings

from .builders import DEPT, OTHER_DEPT, Events, People, case_fields, rate_link

BASE = "/api/v1/ratings/ratings"
RATER = {"name": "张三丰", "phone": "13812345678", "id_no": "520302199001011230"}


async def audit_entries(sut: ServiceUnderTest) -> list[tuple[str | None, dict[str, Any]]]:
    """(object id, detail) of every unmasked-read entry of the audit log."""
    entry = audit.AuditEntry
    async with sut.app.state.db.read() as session:
        rows = await session.execute(
            select(entry.object_id, entry.detail).where(entry.action == audit.READ_UNMASKED)
        )
        return [(object_id, detail) for object_id, detail in rows]


async def named_rating(sut: ServiceUnderTest, events: Events, **overrides: Any) -> str:
    token = await events.invitation_token(**overrides)
    return str((await rate_link(sut, token, 2, rater=RATER, comment="等了两个小时"))["rating_id"])


async def test_only_the_ratings_center_sees_the_rater(
    ratings: ServiceUnderTest, events: Events, people: People
) -> None:
    rating_id = await named_rating(ratings, events)
    held = await stored(ratings.database_url, "ratings_ratings", "rater_phone", "rater_id_no")
    assert_sealed(held, RATER["phone"], RATER["id_no"])
    center = (await ratings.client.get(f"{BASE}/{rating_id}", headers=people.center())).json()
    assert center["rater"] == {"masked": False, **RATER}
    assert len(await audit_entries(ratings)) == 1  # every unmasked read is audited
    for headers in (people.bureau(), people.committee()):
        seen = (await ratings.client.get(f"{BASE}/{rating_id}", headers=headers)).json()
        assert seen["rater"] == {
            "masked": True,
            "name": "张**",
            "phone": "138****5678",
            "id_no": "5203**********1230",
        }
    # "Rater identity is never shown to the rated party": not even masked (a surname and seven
    # digits of a phone name a person in a county)
    hidden = {"masked": True, "name": None, "phone": None, "id_no": None}
    for headers in (people.department(role="head"), people.department()):
        seen = (await ratings.client.get(f"{BASE}/{rating_id}", headers=headers)).json()
        assert seen["rater"] == hidden
        listed = (await ratings.client.get(BASE, headers=headers)).json()
        assert [r["rater"] for r in listed["items"]] == [hidden]
    both = people.as_((DEPT, "head"), ("BUREAU", "staff"))  # 交叉挂职: the rated post wins
    assert (await ratings.client.get(f"{BASE}/{rating_id}", headers=both)).json()["rater"] == hidden
    assert len(await audit_entries(ratings)) == 1


async def test_unmask_needs_a_reason_and_is_for_overseers_only(
    ratings: ServiceUnderTest, events: Events, people: People
) -> None:
    rating_id = await named_rating(ratings, events)
    url = f"{BASE}/{rating_id}/unmask"
    no_reason = await ratings.client.post(url, json={}, headers=people.bureau())
    assert no_reason.status_code == 422
    rated_party = await ratings.client.post(
        url, json={"reason": "想知道是谁"}, headers=people.department(role="head")
    )
    assert rated_party.status_code == 403  # the rated party never learns who rated it
    both = people.as_((DEPT, "head"), ("BUREAU", "staff"))  # whatever other post it holds
    cross_posted = await ratings.client.post(url, json={"reason": "督查核实差评"}, headers=both)
    assert cross_posted.status_code == 403, cross_posted.text
    acting = {**both, "X-Acting-Position": "BUREAU/staff"}  # naming the other post changes nothing
    as_bureau = await ratings.client.post(url, json={"reason": "督查核实差评"}, headers=acting)
    assert as_bureau.status_code == 403, as_bureau.text
    shown = await ratings.client.post(url, json={"reason": "督查核实差评"}, headers=people.bureau())
    assert shown.status_code == 200
    assert shown.json()["phone"] == "13812345678"
    [(object_id, detail)] = await audit_entries(ratings)
    assert (object_id, detail["reason"]) == (rating_id, "督查核实差评")


async def test_departments_see_only_their_own_ratings(
    ratings: ServiceUnderTest, events: Events, people: People
) -> None:
    rating_id = await named_rating(ratings, events)
    other = await ratings.client.get(f"{BASE}/{rating_id}", headers=people.department(OTHER_DEPT))
    assert other.status_code == 404
    listed = await ratings.client.get(BASE, headers=people.department(OTHER_DEPT))
    assert listed.json()["items"] == []


async def test_the_list_names_the_rated_clerk(
    ratings: ServiceUnderTest, events: Events, people: People
) -> None:
    """A list shows the clerk by name beside the 工号 (the directory's, county.yaml here)."""
    rating_id = await named_rating(ratings, events)
    listed = (await ratings.client.get(BASE, headers=people.department())).json()["items"]
    (mine,) = [r for r in listed if r["id"] == rating_id]
    assert (mine["staff_no"], mine["staff_name"]) == ("ZW2001", "周静")


def pushed(**overrides: Any) -> dict[str, Any]:
    return {
        "external_id": f"GZ{uuid.uuid4().hex[:12]}",
        "case": {
            "case_number": "BJX0001",
            "node": "finish",
            "service": "approvals",
            "case_kind": "application",
            "case_id": str(uuid.uuid4()),
            "department": "RSJ",
            "item_name": "社会保险登记",
            "service_channel": "online",
        },
        "level": 5,
        "scores": {"overall": 5, "usability": 4},
        "channel": "app",
        "rater": {"account": "gz-123", "name": "李四", "phone": "13900001111"},
        "rated_at": "2026-10-20T03:00:00Z",
    } | overrides


async def test_provincial_push_is_idempotent_and_once_per_node(
    ratings: ServiceUnderTest, people: People
) -> None:
    body = pushed()
    headers = {**people.province(), "Idempotency-Key": str(uuid.uuid4())}
    first = await ratings.client.post(BASE, json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["rater"]["masked"] is True
    replay = await ratings.client.post(BASE, json=body, headers=headers)
    assert replay.status_code == 201
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json()["id"] == first.json()["id"]
    again = await ratings.client.post(
        BASE, json=body, headers={**people.province(), "Idempotency-Key": "k" * 20}
    )
    assert again.status_code == 409  # one rating per 办件 per node per rater
    no_key = await ratings.client.post(BASE, json=pushed(), headers=people.province())
    assert no_key.status_code == 400
    staff = await ratings.client.post(
        BASE, json=pushed(), headers={**people.center(), "Idempotency-Key": "s" * 20}
    )
    assert staff.status_code == 403


async def test_push_of_a_known_case_uses_the_invitation_and_closes_the_link(
    ratings: ServiceUnderTest, events: Events, people: People
) -> None:
    token = await events.invitation_token()
    view = (await ratings.client.get(f"/api/v1/ratings/invitations/{token}")).json()
    body = pushed(case={"case_number": view["case_number"], "node": "finish"}, scores={})
    pushed_ok = await ratings.client.post(
        BASE, json=body, headers={**people.province(), "Idempotency-Key": str(uuid.uuid4())}
    )
    assert pushed_ok.status_code == 201, pushed_ok.text
    assert pushed_ok.json()["item_name"] == "食品经营许可"
    link = await ratings.client.post(
        f"/api/v1/ratings/invitations/{token}/rating", json={"level": 3}
    )
    assert link.status_code == 409


async def test_push_validation(ratings: ServiceUnderTest, people: People) -> None:
    headers = {**people.province(), "Idempotency-Key": str(uuid.uuid4())}
    anonymous_rater = pushed(rater={"name": "无名"})
    assert (
        await ratings.client.post(BASE, json=anonymous_rater, headers=headers)
    ).status_code == 422
    unknown_case = pushed(case={"case_number": "NOPE", "node": "finish"})
    response = await ratings.client.post(BASE, json=unknown_case, headers=headers)
    assert response.status_code == 422
    assert response.json()["field"] == "case"


async def test_a_return_visit_is_the_tickets_rating(
    ratings: ServiceUnderTest, events: Events, people: People
) -> None:
    visit = {
        **case_fields(),
        "level": 1,
        "staff_no": "RX1001",
        "comment": "没人联系我",
        "revisited_at": "2026-10-10T08:00:00Z",
        "rater_type": "person",
    }
    await events.send("ys.hotline.ticket.revisited", visit)
    await events.send("ys.hotline.ticket.revisited", visit)  # re-sent under a new event id
    listed = await ratings.client.get(BASE, params={"channel": "hotline"}, headers=people.bureau())
    [rating] = listed.json()["items"]
    assert (rating["level"], rating["node"], rating["month"]) == (1, "revisit", "2026-10")
    assert rating["rectification_id"]  # a 差评 through 12345 is rectified too


async def test_default_rating_is_a_policy_off_by_default(
    ratings: ServiceUnderTest, events: Events, people: People, clock: FrozenClock
) -> None:
    await events.invitation_token()
    defaults = DefaultRatings(ratings.app)
    clock.advance(timedelta(days=8))
    assert await defaults.run_once() == 0
    admin = people.as_(("BUREAU", "admin"))
    policy = {"enabled": True, "natural_days": 7, "level": 3}
    changed = await ratings.client.put(
        "/api/v1/ratings/rating-policies/default_rating", json=policy, headers=admin
    )
    assert changed.status_code == 200, changed.text
    assert await defaults.run_once() == 1
    listed = await ratings.client.get(BASE, params={"channel": "system"}, headers=people.bureau())
    assert [r["level"] for r in listed.json()["items"]] == [3]
    assert await defaults.run_once() == 0


async def test_the_rated_unit_cannot_decide_its_own_appeal_through_a_bureau_post(
    ratings: ServiceUnderTest, events: Events, people: People
) -> None:
    """申诉复核: the rated unit appeals, the bureau decides — two pairs of eyes. A person
    holding both posts (交叉挂职) files the appeal but may not uphold it, nor may the filer after
    leaving the rated unit; another bureau head may."""
    rating_id = await named_rating(ratings, events)
    filer = "user:cross-posted"
    both = people.issuer.headers((DEPT, "head"), ("BUREAU", "head"), sub=filer, staff_no="X01")
    filed = await ratings.client.post(
        f"{BASE}/{rating_id}/appeals", json={"reason": "评价人误评，实际已当场办结"}, headers=both
    )
    assert filed.status_code == 201, filed.text
    url = f"/api/v1/ratings/appeals/{filed.json()['id']}"
    etag = (await ratings.client.get(url, headers=both)).headers["ETag"]
    moved = people.issuer.headers(("BUREAU", "head"), sub=filer, staff_no="X01")
    for deciders in (both, moved):
        own = await ratings.client.post(
            f"{url}/uphold", json={"note": "申诉成立"}, headers={**deciders, "If-Match": etag}
        )
        assert own.status_code == 403, own.text
        assert own.json()["type"].endswith("/own-appeal")
    other = await ratings.client.post(
        f"{url}/uphold",
        json={"note": "申诉成立"},
        headers={**people.bureau("head"), "If-Match": etag},
    )
    assert other.status_code == 200, other.text
    assert other.json()["state"] == "upheld"
    again = await ratings.client.post(  # upheld: the rating no longer counts
        f"{BASE}/{rating_id}/appeals", json={"reason": "再次申诉"}, headers=both
    )
    assert again.status_code == 409, again.text
    assert again.json()["type"].endswith("/already-excluded")


async def test_filing_and_deciding_an_appeal_publish_their_events(
    ratings: ServiceUnderTest, events: Events, people: People
) -> None:
    """Every state change of an appeal goes out with its timeline entry: 申诉 filed, then
    rejected (the rating keeps counting) or upheld — no reason text, no rater, no client."""
    decided = {}
    for decision in ("reject", "uphold"):
        rating_id = await named_rating(ratings, events)
        filed = await ratings.client.post(
            f"{BASE}/{rating_id}/appeals",
            json={"reason": "评价人误评，实际已当场办结"},
            headers=people.department(role="head"),
        )
        assert filed.status_code == 201, filed.text
        url = f"/api/v1/ratings/appeals/{filed.json()['id']}"
        etag = (await ratings.client.get(url, headers=people.bureau())).headers["ETag"]
        done = await ratings.client.post(
            f"{url}/{decision}",
            json={"note": "经核查"},
            headers={**people.bureau("head"), "If-Match": etag},
        )
        assert done.status_code == 200, done.text
        decided[filed.json()["id"]] = (rating_id, done.json()["state"])
    published = await events.outbox("ys.ratings.appeal.*")
    got = [(e["data"]["appeal_id"], e["type"].rsplit(".", 1)[1]) for e in published]
    assert got == [
        (appeal, name) for appeal, (_, state) in decided.items() for name in ("filed", state)
    ]
    assert {(e["data"]["department"], e["data"]["origin_client"]) for e in published} == {
        (DEPT, None)
    }
    assert "误评" not in str(published)
    assert "经核查" not in str(published)
    assert [e["data"]["rating_id"] for e in published[::2]] == [r for r, _ in decided.values()]


async def test_a_pushed_time_without_an_offset_is_county_time(
    ratings: ServiceUnderTest, people: People
) -> None:
    body = pushed(rated_at="2026-10-20T11:00:00")
    body["case"]["node_at"] = "2026-10-19T16:30:00"
    headers = {**people.province(), "Idempotency-Key": str(uuid.uuid4())}
    made = await ratings.client.post(BASE, json=body, headers=headers)
    assert made.status_code == 201, made.text
    read = await ratings.client.get(f"{BASE}/{made.json()['id']}", headers=people.center())
    assert read.status_code == 200, read.text
    rated_at = datetime.fromisoformat(read.json()["rated_at"])
    assert rated_at == datetime(2026, 10, 20, 3, tzinfo=UTC)
