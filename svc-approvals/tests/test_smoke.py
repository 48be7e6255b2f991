"""The service starts seeded, answers its catalog and refuses bad limits."""

from __future__ import annotations

from yingshang.testing.apps import ServiceUnderTest

from .builders import People


async def test_seeded_catalog_has_committed_limits(hall: ServiceUnderTest) -> None:
    r = await hall.client.get("/api/v1/approvals/items", params={"limit": 200})
    assert r.status_code == 200, r.text
    items = {i["name"]: i for i in r.json()["items"]}
    food = items["食品经营许可"]
    assert (food["statutory_limit"], food["committed_limit"]) == (20, 8)
    assert len(food["code"]) == 31
    assert items["公章刻制备案"]["committed_limit"] == 1


async def test_committed_above_statutory_is_refused(hall: ServiceUnderTest, people: People) -> None:
    item = (await hall.client.get("/api/v1/approvals/items")).json()["items"][0]
    body = {
        "code": item["code"][:18] + "0109999000000",
        "name": "测试事项",
        "department": "SCJGJ",
        "item_type": "licensing",
        "statutory_limit": 10,
        "committed_limit": 11,
    }
    r = await hall.client.post("/api/v1/approvals/items", json=body, headers=people.admin())
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["field"] == "committed_limit"
    ok = await hall.client.post(
        "/api/v1/approvals/items", json={**body, "committed_limit": None}, headers=people.admin()
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["committed_limit"] == 4
