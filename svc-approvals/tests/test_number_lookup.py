"""案件查询: staff find an application by its exact 办件编号 in the list, as they may see it;
a malformed number is a 422 problem."""

from __future__ import annotations

import pytest

from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.lookup import as_typed, found_by_number

from .builders import BASE, People, food_licence_at_the_window
from .test_packages_and_instant import submit_package


async def test_an_application_is_found_by_its_number(
    hall: ServiceUnderTest, people: People
) -> None:
    clerk, app = await food_licence_at_the_window(hall.client, people.issuer)
    _, other = await food_licence_at_the_window(hall.client, people.issuer)
    number = app["number"]
    typed = as_typed(number)
    for headers in (clerk, people.staff("SCJGJ"), people.bureau()):
        assert await found_by_number(hall, f"{BASE}/applications", typed, headers) == [app["id"]]
    assert await found_by_number(
        hall, f"{BASE}/applications", other["number"], people.staff("SCJGJ")
    ) == [other["id"]]
    assert (
        await found_by_number(hall, f"{BASE}/applications", number, people.staff("TAX")) == []
    )  # not the tax bureau's item
    unknown = number[:-4] + ("9999" if not number.endswith("9999") else "9998")
    assert await found_by_number(hall, f"{BASE}/applications", unknown, people.bureau()) == []


async def test_a_package_application_is_found_and_tracked_by_its_number(
    hall: ServiceUnderTest, people: People
) -> None:
    """一件事: the package's code (KBQY) leads its 办件编号; staff find it by number and the
    applicant tracks it with the query code, as typed (lower case, full-width)."""
    app = await submit_package(hall, people.clerk())
    number = app["number"]
    assert (number[:4], len(number)) == ("KBQY", 16), number
    typed = as_typed(number)
    for headers in (people.clerk(), people.bureau()):
        assert await found_by_number(hall, f"{BASE}/applications", typed, headers) == [app["id"]]
    body = {"number": f" {typed} ", "query_code": app["query_code"]}
    tracked = await hall.client.post(f"{BASE}/public/applications/track", json=body)
    assert tracked.status_code == 200, tracked.text
    assert tracked.json()["number"] == number
    read = await hall.client.get(
        f"{BASE}/public/applications/{number}", params={"query_code": app["query_code"]}
    )
    assert read.status_code == 200, read.text


@pytest.mark.parametrize(
    "wrong",
    ["2026112800042", "RX20261128-00042", "RX2026112800042", "1" * 44, "ABC", "KBQY2026112800"],
)
async def test_a_malformed_number_is_a_422_problem(
    hall: ServiceUnderTest, people: People, wrong: str
) -> None:
    r = await hall.client.get(
        f"{BASE}/applications", params={"number": wrong}, headers=people.bureau()
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "办件编号格式不正确" in r.text


async def test_the_first_versions_lookup_takes_the_number_as_typed(
    hall: ServiceUnderTest, people: People
) -> None:
    """``GET /public/applications/{number}`` (kept for the first version's callers) reads the
    number as the track form does: spaces, full-width characters and lower case as typed by
    an input method find the application; a number of no possible shape is a 422 problem."""
    _, app = await food_licence_at_the_window(hall.client, people.issuer)
    code = app["query_code"]
    tracked = await hall.client.post(
        f"{BASE}/public/applications/track", json={"number": app["number"], "query_code": code}
    )
    for typed in (as_typed(app["number"]), app["number"].lower(), f" {app['number']}"):
        read = await hall.client.get(
            f"{BASE}/public/applications/{typed}", params={"query_code": code}
        )
        assert read.status_code == 200, (typed, read.text)
        assert read.json() == tracked.json()
    bad = await hall.client.get(f"{BASE}/public/applications/RX20261128-00042",
                                params={"query_code": code})  # fmt: skip
    assert bad.status_code == 422, bad.text
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert "办件编号格式不正确" in bad.text
