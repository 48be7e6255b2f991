"""Cursor pagination: limits, opaque cursors, keyset order with ties, visibility filters."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from conftest_kit import CASES, bureau, frozen_at, open_case, start_kit

from yingshang.cases.pagination import Cursor
from yingshang.problems import Invalid
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.plugin import StartService


async def walk(sut: ServiceUnderTest, limit: int) -> list[list[str]]:
    """Every page of the case list, as lists of ids."""
    pages, cursor = [], None
    while True:
        params: dict[str, str | int] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = await sut.client.get(CASES, params=params, headers=bureau.headers(sut.issuer))
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append([item["id"] for item in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


async def test_pages_cover_the_list_once_newest_first(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    ids = []
    for day in (1, 2, 3, 4, 5):
        with frozen_at(datetime(2026, 11, day, 9, tzinfo=UTC)):
            ids.append((await open_case(sut)).json()["id"])
    pages = await walk(sut, 2)
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [i for p in pages for i in p] == list(reversed(ids))


async def test_rows_with_the_same_sort_value_are_split_by_id(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    with frozen_at(datetime(2026, 11, 26, 9, tzinfo=UTC)):
        ids = [(await open_case(sut)).json()["id"] for _ in range(5)]
    pages = await walk(sut, 2)
    served = [i for p in pages for i in p]
    assert sorted(served) == sorted(ids)
    assert served == sorted(ids, key=uuid.UUID, reverse=True)


async def test_one_page_lists_have_no_cursor(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    case_id = (await open_case(sut)).json()["id"]
    assert await walk(sut, 50) == [[case_id]]
    assert await walk(sut, 1) == [[case_id]]


async def test_a_limit_out_of_range_is_a_422_problem(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    for limit in ["0", "201", "-1", "many"]:
        response = await sut.client.get(
            CASES, params={"limit": limit}, headers=bureau.headers(sut.issuer)
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == ["query.limit"]
    ok = await sut.client.get(CASES, params={"limit": 200}, headers=bureau.headers(sut.issuer))
    assert ok.status_code == 200


FOREIGN_CURSORS = [
    "garbage!!",
    "bm90IGpzb24",  # base64url of "not json"
    Cursor("created_at", "desc", "yesterday", "x").encode(),  # not a date
    Cursor("created_at", "desc", "2026-11-26T00:00:00+00:00", "x").encode(),  # not a UUID
    Cursor("created_at", "desc", 20261126, str(uuid.uuid4())).encode(),  # not a string
    Cursor("number", "desc", "KS1", str(uuid.uuid4())).encode(),  # another ordering
    Cursor("created_at", "asc", "2026-11-26T00:00:00+00:00", str(uuid.uuid4())).encode(),
    "x" * 600,  # longer than any cursor we make
    # an instant that leaves Python's range when turned to UTC (OverflowError, not ValueError)
    Cursor("created_at", "desc", "0001-01-01T00:00:00+08:00", str(uuid.uuid4())).encode(),
]


async def test_a_cursor_we_did_not_hand_out_is_a_422_problem(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    for cursor in FOREIGN_CURSORS:
        response = await sut.client.get(
            CASES, params={"cursor": cursor}, headers=bureau.headers(sut.issuer)
        )
        assert response.status_code == 422, (cursor, response.text)
        body = response.json()
        assert body.get("field") == "cursor" or body["errors"][0]["field"] == "query.cursor"


def test_cursors_round_trip() -> None:
    cursor = Cursor("created_at", "desc", "2026-11-26T08:00:00+00:00", str(uuid.uuid4()))
    assert Cursor.decode(cursor.encode()) == cursor
    assert "=" not in cursor.encode()


@pytest.mark.parametrize("text", ["", "e30", "W10", "eyJzIjoxLCJkIjoiZGVzYyIsInYiOjEsImkiOiJ4In0"])
def test_malformed_cursors_are_rejected(text: str) -> None:
    with pytest.raises(Invalid):
        Cursor.decode(text)


async def test_filters_apply_before_paging(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    for _ in range(3):
        await open_case(sut)
    response = await sut.client.get(
        CASES, params={"state": "closed"}, headers=bureau.headers(sut.issuer)
    )
    assert response.json() == {"items": [], "next_cursor": None}
