"""Pairing leaders and indicator owners (指标长) are named by the 工号 of an active person of
the county directory: svc-visits keeps the people (seeded from the county file outside
production, then kept current by ``ys.gateway.user.*`` through the
``visits-gateway-directory`` consumer) and refuses an unknown or deactivated 工号 with the
problem ``unknown-staff``."""

from typing import Any

import httpx
from sqlalchemy import func, select

from tests.builders import BASE, People, Walk, an_indicator, etag, ok
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.directory import deliver, directory_event
from ys_visits.app import CONSUMERS
from ys_visits.pairings.models import Pairing

PROBLEMS = "https://yingshang.gov.cn/problems/"
directory = next(spec for spec in CONSUMERS if spec.source == "gateway")
PENG = {"username": "fgj_head", "name": "彭勇", "staff_no": "FG5200"}  # 发改局局长 (county.yaml)
CADRE = {"leader_name": "彭勇", "leader_staff_no": "FG5200", "leader_rank": "department_cadre"}


async def gateway_says(visits: ServiceUnderTest, change: str, data: dict[str, Any]) -> bool:
    return await deliver(visits.app.state.db, directory, directory_event(change, data))


async def pair(walk: Walk, **overrides: Any) -> httpx.Response:
    enterprise = await walk.enterprise()
    body = {"enterprise_id": enterprise["id"], "leader_title": "发展和改革局局长",
            "department": "FGJ", **CADRE, **overrides}  # fmt: skip
    return await walk.client.post(f"{BASE}/assignments", json=body, headers=walk.people.center)


def unknown_staff(response: httpx.Response, field: str) -> str:
    problem = response.json()
    assert response.status_code == 422, response.text
    assert (problem["type"], problem["field"]) == (PROBLEMS + "unknown-staff", field)
    assert problem["title"] == "人员目录中没有该工号，或其账号已停用"
    return str(problem["detail"])


async def pairings(visits: ServiceUnderTest) -> int:
    async with visits.app.state.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(Pairing)) or 0)


async def test_a_pairing_leader_is_an_active_person_of_the_directory(
    visits: ServiceUnderTest, walk: Walk
) -> None:
    detail = unknown_staff(await pair(walk, leader_staff_no="FG9999"), "leader_staff_no")
    assert detail == "人员目录中没有工号 FG9999"
    assert await pairings(visits) == 0  # nothing written
    event = directory_event("user.deactivated", {**PENG, "active": False, "positions": []})
    assert await deliver(visits.app.state.db, directory, event)
    assert not await deliver(visits.app.state.db, directory, event)  # redelivered: no-op
    detail = unknown_staff(await pair(walk), "leader_staff_no")
    assert detail == "工号 FG5200（彭勇）的账号已停用"
    assert await gateway_says(visits, "user.updated", {**PENG, "active": True})
    await ok(await pair(walk), 201)
    # a leader who does not log in is named without a 工号
    await ok(await pair(walk, leader_staff_no=None, department="GXJ"), 201)


async def test_a_new_staff_number_replaces_the_old_one(
    visits: ServiceUnderTest, walk: Walk
) -> None:
    """The gateway names only the new 工号 of a person: the old one names nobody now."""
    assert await gateway_says(visits, "user.updated", {**PENG, "staff_no": "FG5299"})
    unknown_staff(await pair(walk), "leader_staff_no")
    made = await ok(await pair(walk, leader_staff_no="FG5299"), 201)
    assert made["leader_staff_no"] == "FG5299"
    newcomer = {"username": "gxj_head", "name": "杨帆", "staff_no": "GX5500"}
    assert await gateway_says(visits, "user.created", newcomer)
    await ok(await pair(walk, leader_name="杨帆", leader_staff_no="GX5500", department="GXJ"), 201)


async def test_an_indicator_owner_is_an_active_person_of_the_directory(
    visits: ServiceUnderTest, people: People, walk: Walk
) -> None:
    c = visits.client
    made = await c.post(f"{BASE}/indicators", json=an_indicator(owner_staff_no="SC9999"),
                        headers=people.bureau)  # fmt: skip
    unknown_staff(made, "owner_staff_no")
    created = await walk.indicator()  # 冯涛, SC5000
    edit = {**an_indicator(owner_name="彭勇", owner_staff_no="FG5200")}
    del edit["code"]
    assert await gateway_says(visits, "user.deactivated", {**PENG, "active": False})
    url = f"{BASE}/indicators/{created['code']}"
    tagged = {**people.bureau, "If-Match": etag("indicator", created)}
    refused = await c.put(url, json=edit, headers=tagged)
    unknown_staff(refused, "owner_staff_no")
    kept = await ok(await c.get(url, headers=people.bureau))
    assert (kept["owner_staff_no"], kept["version"]) == ("SC5000", 1)
    assert await gateway_says(visits, "user.updated", {**PENG, "active": True})
    edited = await ok(await c.put(url, json=edit, headers=tagged))
    assert edited["owner_staff_no"] == "FG5200"
