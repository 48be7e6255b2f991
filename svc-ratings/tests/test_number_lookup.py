"""案件查询: staff find a 整改单 by its exact number in the list, as they may see it; a
malformed number is a 422 problem."""

from __future__ import annotations

import pytest

from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.lookup import as_typed, found_by_number

from .builders import OTHER_DEPT, Events, People, rated
from .test_rectifications import BASE, rectification_of


async def test_a_rectification_is_found_by_its_number(
    ratings: ServiceUnderTest, events: Events, people: People
) -> None:
    rect = await rectification_of(ratings, people, await rated(ratings, events, 2))
    typed = as_typed(rect["number"])
    for headers in (people.center(), people.department()):
        assert await found_by_number(ratings, BASE, typed, headers) == [rect["id"]]
    assert await found_by_number(ratings, BASE, rect["number"], people.department(OTHER_DEPT)) == []
    assert await found_by_number(ratings, BASE, "ZG20261015-99999", people.center()) == []


@pytest.mark.parametrize("wrong", ["ZG2026", "AZ20261015-00001", "ZG20261015-00001 x"])
async def test_a_malformed_number_is_a_422_problem(
    ratings: ServiceUnderTest, people: People, wrong: str
) -> None:
    r = await ratings.client.get(BASE, params={"number": wrong}, headers=people.center())
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "编号格式不正确" in r.text
