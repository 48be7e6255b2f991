"""案件查询: staff find a complaint, an inspection (暗访) or a finding by its exact number in
the list of its kind, as they may see it; a malformed number is a 422 problem."""

from typing import Any

import pytest

from tests.builders import BASE, People, Walk, inspect, register
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.lookup import as_typed, found_by_number


async def test_a_complaint_is_found_by_its_number(
    complaints: ServiceUnderTest, people: People, walk: Walk
) -> None:
    case = await walk.assigned()
    await register(complaints.client, people.clerk)  # another case, not found with it
    typed = as_typed(case["number"])
    for headers in (people.clerk, people.staff()):
        assert await found_by_number(complaints, f"{BASE}/cases", typed, headers) == [case["id"]]
    assert (
        await found_by_number(complaints, f"{BASE}/cases", case["number"], people.staff("ZJJ"))
        == []
    )
    assert (
        await found_by_number(complaints, f"{BASE}/cases", "TS20260302-99999", people.clerk) == []
    )


async def test_inspections_and_findings_are_found_by_number(
    complaints: ServiceUnderTest, people: People
) -> None:
    c, p = complaints.client, people
    finding: dict[str, Any] = {"finding_class": "irregular", "description": "未一次性告知"}
    by_unit = [{**finding, "department": "SCJGJ"}, {**finding, "department": "ZJJ"}]
    inspection = await inspect(c, p.officer, by_unit)
    scjg, zjj = inspection["findings"]
    assert await found_by_number(
        complaints, f"{BASE}/inspections", inspection["number"].lower(), p.officer
    ) == [inspection["id"]]
    assert (
        await found_by_number(complaints, f"{BASE}/inspections", "AF20260302-99999", p.officer)
        == []
    )
    assert await found_by_number(
        complaints, f"{BASE}/findings", as_typed(scjg["number"]), p.head()
    ) == [scjg["id"]]
    assert await found_by_number(complaints, f"{BASE}/findings", zjj["number"], p.officer) == [
        zjj["id"]
    ]
    assert (
        await found_by_number(complaints, f"{BASE}/findings", zjj["number"], p.head()) == []
    )  # ZJJ's, not SCJGJ's
    # findings opened before AZ kept their ZG numbers: still a finding's number
    assert (
        await found_by_number(complaints, f"{BASE}/findings", "ZG20260302-00001", p.officer) == []
    )


@pytest.mark.parametrize(
    ("path", "wrong"),
    [
        ("cases", "TS2026"),
        ("cases", "RX20260302-00001"),
        ("inspections", "AZ20260302-00001"),
        ("findings", "AF20260302-00001"),
        ("findings", "AZ20260302-1 OR 1=1"),
    ],
)
async def test_a_malformed_number_is_a_422_problem(
    complaints: ServiceUnderTest, people: People, path: str, wrong: str
) -> None:
    r = await complaints.client.get(
        f"{BASE}/{path}", params={"number": wrong}, headers=people.officer
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "编号格式不正确" in r.text
