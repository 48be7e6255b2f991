"""Enforcement oversight (三为主, ≥70% service / 20% education / ≤10% penalty): departments
record their own actions; the report flags a department above the penalty maximum."""

from typing import Any

import pytest

from tests.builders import BASE, CENTER, People
from yingshang.testing.apps import ServiceUnderTest

URL = f"{BASE}/enforcement-actions"
BASIS = "《中华人民共和国食品安全法》第一百二十二条"


def action(dept: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "department": dept,
        "acted_on": "2026-03-02",
        "kind": kind,
        "description": "日常检查",
        **extra,
    }


async def record(sut: ServiceUnderTest, people: People, dept: str, kinds: list[str]) -> None:
    for kind in kinds:
        extra = {"fine_amount": "2000.00", "legal_basis": BASIS} if kind == "penalty" else {}
        response = await sut.client.post(
            URL, json=action(dept, kind, **extra), headers=people.staff(dept)
        )
        assert response.status_code == 201, response.text


async def test_three_penalties_in_ten_are_flagged_one_is_not(
    complaints: ServiceUnderTest, people: People
) -> None:
    await record(complaints, people, "SCJGJ", ["penalty"] * 3 + ["education"] * 2 + ["service"] * 5)
    await record(complaints, people, "ZHZFJ", ["penalty"] + ["education"] * 2 + ["service"] * 7)
    response = await complaints.client.get(
        f"{URL}/report", params={"from": "2026-03-01", "to": "2026-03-31"}, headers=people.bureau
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["flagged"] == ["SCJGJ"]
    mix = {d["department"]: d for d in report["departments"]}
    assert (mix["SCJGJ"]["total"], mix["SCJGJ"]["penalty_share"], mix["SCJGJ"]["flagged"]) == (
        10,
        0.3,
        True,
    )
    assert mix["SCJGJ"]["warnings"] == ["service_below_min"]  # 50% service, 70% wanted
    assert (mix["ZHZFJ"]["penalty_share"], mix["ZHZFJ"]["flagged"]) == (0.1, False)
    assert mix["ZHZFJ"]["warnings"] == []
    own = await complaints.client.get(f"{URL}/report", headers=people.head("ZHZFJ"))
    assert [d["department"] for d in own.json()["departments"]] == ["ZHZFJ"]  # its own only


@pytest.mark.parametrize("basis", [None, "", "   "])
async def test_a_penalty_needs_its_legal_basis(
    complaints: ServiceUnderTest, people: People, basis: str | None
) -> None:
    """处罚 without 法律依据 is refused at that field (422, nothing recorded); the other kinds
    may leave it out."""
    c = complaints.client
    bare = action("SCJGJ", "penalty", fine_amount="500.00", legal_basis=basis)
    refused = await c.post(URL, json=bare, headers=people.staff())
    assert refused.status_code == 422, refused.text
    errors = refused.json()["errors"]
    assert [(e["field"], e["type"], e["message"]) for e in errors] == [
        ("legal_basis", "missing", "处罚须填写法律依据")
    ]
    listed = await c.get(URL, headers=people.staff())
    assert listed.json()["items"] == []
    for kind in ("service", "education"):
        made = await c.post(
            URL, json=action("SCJGJ", kind, legal_basis=basis), headers=people.staff()
        )
        assert (made.status_code, made.json()["legal_basis"]) == (201, None), made.text
    bare["legal_basis"] = f"  {BASIS} "
    made = await c.post(URL, json=bare, headers=people.staff())
    assert (made.status_code, made.json()["legal_basis"]) == (201, BASIS), made.text


async def test_targets_are_data_and_actions_are_checked(
    complaints: ServiceUnderTest, people: People
) -> None:
    c = complaints.client
    other = await c.post(URL, json=action("ZHZFJ", "service"), headers=people.staff("SCJGJ"))
    assert other.status_code == 403  # only one's own department
    waived = action("SCJGJ", "penalty", first_offence_waived=True, legal_basis=BASIS)
    assert (await c.post(URL, json=waived, headers=people.staff())).status_code == 422
    waived["kind"] = "education"
    assert (await c.post(URL, json=waived, headers=people.staff())).status_code == 201
    change = {"service_min": 0.6, "education_share": 0.25, "penalty_max": 0.15}
    assert (await c.put(f"{URL}/targets", json=change, headers=people.bureau)).status_code == 403
    changed = await c.put(f"{URL}/targets", json=change, headers=people.admin())
    assert (changed.status_code, changed.json()["version"]) == (200, 2)
    await record(complaints, people, "SCJGJ", ["penalty"] + ["service"] * 7)  # 1 in 9
    report = (await c.get(f"{URL}/report", headers=people.officer)).json()
    assert report["targets"]["penalty_max"] == 0.15
    assert report["departments"][0]["first_offence_waived"] == 1
    assert report["flagged"] == []  # 1/9 ≈ 11% is within 15%


async def test_actions_are_dated_by_today_and_periods_run_forward(
    complaints: ServiceUnderTest, people: People
) -> None:
    c = complaints.client
    # Today is 2026-03-02 in the county: an action is recorded once it has been taken.
    for day in ("2026-03-03", "0001-01-01", "9999-12-31"):
        r = await c.post(URL, json=action("SCJGJ", "service", acted_on=day), headers=people.staff())
        assert r.status_code == 422, r.text
        assert [e["field"] for e in r.json()["errors"]] == ["acted_on"], day
    inverted = {"from": "2026-03-31", "to": "2026-03-01"}
    for path in (URL, f"{URL}/report"):
        r = await c.get(path, params=inverted, headers=people.bureau)
        assert r.status_code == 422, r.text
        assert (r.json()["field"], r.json()["detail"]) == (
            "to",
            "所选期间的结束日期早于开始日期，请重新选择日期范围",
        )
    one_day = {"from": "2026-03-01", "to": "2026-03-01"}  # days count inclusively
    for path in (URL, f"{URL}/report"):
        assert (await c.get(path, params=one_day, headers=people.bureau)).status_code == 200


@pytest.mark.parametrize(
    ("position", "allowed"),
    [
        (("LONGQUAN", "admin"), False),  # a town's admin
        (("SCJGJ", "admin"), False),  # a department that enforces: never its own targets
        ((CENTER, "admin"), False),
        (("BUREAU", "admin"), True),
    ],
)
async def test_the_mix_targets_are_the_county_administrators(
    complaints: ServiceUnderTest, people: People, position: tuple[str, str], allowed: bool
) -> None:
    """The 三为主 targets measure every department: only BUREAU/admin changes them; anyone
    else gets a 403 problem and the targets stay as they were."""
    change = {"service_min": 0.6, "education_share": 0.25, "penalty_max": 0.15}
    answer = await complaints.client.put(
        f"{URL}/targets", json=change, headers=people.at(*position)
    )
    now = (await complaints.client.get(f"{URL}/targets", headers=people.officer)).json()
    assert answer.status_code == (200 if allowed else 403), answer.text
    assert (now["penalty_max"] == 0.15) is allowed
