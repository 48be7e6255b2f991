"""暗访: an inspection's findings are rectification tasks of the departments, with deadlines,
the department's report and the inspectors' verification; the team stays unnamed to them."""

from typing import Any

from sqlalchemy import select

from tests.builders import BASE, People
from yingshang.cases.numbers import shanghai_day
from yingshang.events.outbox import OutboxEvent
from yingshang.testing.apps import ServiceUnderTest
from ys_ratings.rectifications.service import NUMBER_PREFIX as RECTIFICATION_PREFIX


async def act(
    sut: ServiceUnderTest,
    finding: dict[str, Any],
    name: str,
    headers: dict[str, str],
    body: dict[str, Any],
    expect: int = 200,
) -> dict[str, Any]:
    tag = f'"finding-{finding["id"]}-{finding["version"]}"'
    response = await sut.client.post(
        f"{BASE}/findings/{finding['id']}/{name}", json=body, headers={**headers, "If-Match": tag}
    )
    assert response.status_code == expect, response.text
    return dict(response.json()) if expect == 200 else finding


async def test_a_finding_is_rectified_and_verified(
    complaints: ServiceUnderTest, people: People
) -> None:
    c, p = complaints.client, people
    created = await c.post(
        f"{BASE}/inspections",
        headers=p.officer,
        json={
            "conducted_on": "2026-03-01",
            "team": ["暗访组甲", "暗访组乙"],
            "scope": "窗口办事体验",
            "findings": [
                {
                    "department": "SCJGJ",
                    "finding_class": "irregular",
                    "description": "窗口人员未一次性告知所需材料",
                    "deadline_days": 5,
                },
                {
                    "department": "ZJJ",
                    "finding_class": "unaccountable",
                    "description": "咨询电话长期无人接听",
                },
            ],
        },
    )
    assert created.status_code == 201, created.text
    scjg, zjj = created.json()["findings"]
    assert scjg["due_at"] == "2026-03-09T16:00:00Z"  # 5 working days from Tue 3 March
    assert zjj["due_at"] == "2026-03-23T16:00:00Z"  # the policy: 15 working days
    assert (await c.get(f"{BASE}/inspections", headers=p.head())).status_code == 403
    mine = (await c.get(f"{BASE}/findings", headers=p.head())).json()["items"]
    assert [f["id"] for f in mine] == [scjg["id"]]
    assert "暗访组甲" not in str(mine)

    await act(complaints, scjg, "rectify", p.head("ZJJ"), {"note": "已整改完毕"}, expect=404)
    scjg = await act(complaints, scjg, "rectify", p.staff(), {"note": "已制定一次性告知清单"})
    await act(complaints, scjg, "verify", p.head(), {}, expect=403)  # not by itself
    scjg = await act(
        complaints, scjg, "reject", p.officer, {"note": "复查仍未张贴告知清单", "deadline_days": 3}
    )
    assert (scjg["state"], scjg["due_at"]) == ("open", "2026-03-05T16:00:00Z")
    scjg = await act(complaints, scjg, "rectify", p.staff(), {"note": "已在窗口张贴告知清单"})
    scjg = await act(complaints, scjg, "verify", p.officer, {"note": "复查合格"})
    assert scjg["state"] == "closed"
    async with complaints.app.state.db.read() as session:
        rows = await session.scalars(
            select(OutboxEvent.payload)
            .where(OutboxEvent.case_key == f"finding/{scjg['id']}")
            .order_by(OutboxEvent.seq)
        )
        events = [(e["type"], e["data"]) for e in rows]
    kinds = [t.rsplit(".", 1)[1] for t, _ in events]
    assert (kinds.count("opened"), kinds[-1]) == (1, "closed")
    steps = [k for k in kinds if not k.startswith("stage_")]
    assert steps == ["opened", "rectified", "rejected", "rectified", "closed"]
    first = events[kinds.index("rectified")][1]
    assert (first["due_at"], first["to_state"]) == ("2026-03-09T16:00:00Z", "rectified")
    rejected = events[kinds.index("rejected")][1]
    assert (rejected["department"], rejected["to_state"]) == ("SCJGJ", "open")
    assert events[kinds.index("opened")][1]["due_at"] == "2026-03-09T16:00:00Z"
    assert events[-1][1]["on_time"] is True
    assert events[-1][1]["department"] == "SCJGJ"


async def test_an_inspection_is_recorded_once_conducted(
    complaints: ServiceUnderTest, people: People
) -> None:
    visit = {"conducted_on": "2026-03-02", "team": ["暗访组甲"], "scope": "窗口办事体验"}
    # Today is 2026-03-02 in the county; a team member is a name, not a document.
    for change, field in (
        ({"conducted_on": "2026-03-03"}, "conducted_on"),
        ({"conducted_on": "0001-01-01"}, "conducted_on"),
        ({"team": ["甲" * 81]}, "team.0"),
    ):
        r = await complaints.client.post(
            f"{BASE}/inspections", json={**visit, **change}, headers=people.officer
        )
        assert r.status_code == 422, r.text
        assert [e["field"] for e in r.json()["errors"]] == [field], change
    ok = await complaints.client.post(f"{BASE}/inspections", json=visit, headers=people.officer)
    assert ok.status_code == 201, ok.text


async def test_a_findings_number_is_never_a_rectifications(
    complaints: ServiceUnderTest, people: People
) -> None:
    """A 暗访 finding (AZ…) and a 差评整改单 of svc-ratings (ZG…) both count from 1 each day:
    their prefixes, not their counters, keep the two kinds apart; the inspection is AF…."""
    created = await complaints.client.post(
        f"{BASE}/inspections",
        headers=people.officer,
        json={
            "conducted_on": "2026-03-01",
            "team": ["暗访组甲"],
            "scope": "窗口办事体验",
            "findings": [
                {"department": "SCJGJ", "finding_class": "irregular", "description": "未一次告知"}
            ],
        },
    )
    assert created.status_code == 201, created.text
    day = shanghai_day()
    inspection = created.json()
    (finding,) = inspection["findings"]
    assert (inspection["number"], finding["number"]) == (f"AF{day}-00001", f"AZ{day}-00001")
    first_rectification = f"{RECTIFICATION_PREFIX}{day}-00001"  # svc-ratings' first of the day
    assert len({"AF", "AZ", RECTIFICATION_PREFIX}) == 3
    assert finding["number"] != first_rectification
    assert not finding["number"].startswith(RECTIFICATION_PREFIX)
