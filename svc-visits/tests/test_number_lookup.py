"""案件查询: staff find a 交办单, 挂帮, 走访, 联席会议 or 坐班 by its exact number in the list of
its kind, as they may see it; a malformed number is a 422 problem."""

import pytest

from tests.builders import BASE, TODAY, People, Walk, ok
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.lookup import as_typed, found_by_number

SITTING = {
    "hall": "HALL_COUNTY", "leader_name": "王志明", "leader_staff_no": "LD0001",
    "leader_title": "副县长", "department": "FGJ", "date": TODAY, "start": "09:00", "end": "12:00",
}  # fmt: skip
MEETING = {
    "held_on": TODAY, "title": "一季度营商环境指标研判会", "kind": "review",
    "chaired_by": "王志明", "chair_title": "副县长", "participants": ["BUREAU", "SCJGJ"],
    "minutes": "研判开办企业指标。", "decisions": [],
}  # fmt: skip


async def test_department_cases_are_found_by_number_where_they_are_seen(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    problem = await walk.assigned("GXJ")
    await walk.assigned("SCJGJ")  # another 交办单, not found with this number
    pairing = await walk.pairing()  # FGJ's
    visit = await ok(await visits.client.post(f"{BASE}/visits", headers=people.center, json={
        "pairing_id": pairing["id"], "visited_on": TODAY, "participants": [{"name": "彭勇"}],
        "summary": "走访了解企业生产经营情况"}), 201)  # fmt: skip
    for path, case, unit in (
        ("problems", problem, "GXJ"),
        ("assignments", pairing, "FGJ"),
        ("visits", visit, "FGJ"),
    ):
        typed = as_typed(case["number"])
        for headers in (people.center, people.staff(unit)):
            assert await found_by_number(visits, f"{BASE}/{path}", typed, headers) == [
                case["id"]
            ], path
        assert (
            await found_by_number(visits, f"{BASE}/{path}", case["number"], people.staff("TAX"))
            == []
        ), path
    assert (
        await found_by_number(visits, f"{BASE}/problems", "JB20260302-99999", people.center) == []
    )


async def test_meetings_and_sittings_are_found_by_number(
    visits: ServiceUnderTest, people: People
) -> None:
    meeting = await ok(await visits.client.post(f"{BASE}/meetings", json=MEETING,
                                                headers=people.bureau), 201)  # fmt: skip
    shift = await ok(await visits.client.post(f"{BASE}/duty-shifts", json=SITTING,
                                              headers=people.head("HALL")), 201)  # fmt: skip
    for path, case in (("meetings", meeting), ("duty-shifts", shift)):
        assert await found_by_number(
            visits, f"{BASE}/{path}", case["number"].lower(), people.staff()
        ) == [case["id"]]
    assert (
        await found_by_number(visits, f"{BASE}/meetings", "LX20260302-99999", people.bureau) == []
    )
    assert (
        await found_by_number(visits, f"{BASE}/duty-shifts", "ZB20260302-99999", people.bureau)
        == []
    )


@pytest.mark.parametrize(
    ("path", "wrong"),
    [
        ("problems", "JB2026"),
        ("assignments", "JB20260302-00001"),
        ("visits", "GB20260302-00001"),
        ("meetings", "ZF20260302-00001"),
        ("duty-shifts", "LX20260302-00001"),
        ("problems", "JB20260302-0001'"),
    ],
)
async def test_a_malformed_number_is_a_422_problem(
    visits: ServiceUnderTest, people: People, path: str, wrong: str
) -> None:
    r = await visits.client.get(f"{BASE}/{path}", params={"number": wrong}, headers=people.center)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "编号格式不正确" in r.text
