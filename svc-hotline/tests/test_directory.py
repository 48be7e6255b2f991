"""The hotline's departments follow the gateway's directory (``ys.gateway.department.*``,
applied once each by the ``hotline-gateway-directory`` consumer): a deactivated department
takes no more tickets and heads no category, a department the gateway adds takes them at
once, and a restart's seed does not undo what the gateway said."""

from typing import Any

import httpx

from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.directory import deliver, directory_event
from ys_hotline.app import CONSUMERS
from ys_hotline.seed import seed

from .builders import BASE, People, create, step

ZJJ = {"code": "ZJJ", "name": "住房和城乡建设局", "kind": "department", "parent": None}
PROBLEMS = "https://yingshang.gov.cn/problems/"
directory = next(spec for spec in CONSUMERS if spec.source == "gateway")


async def dispatch(
    c: httpx.AsyncClient, ticket: dict[str, Any], headers: dict[str, str], **body: Any
) -> httpx.Response:
    etag = f'"ticket-{ticket["id"]}-{ticket["version"]}"'
    return await c.post(
        f"{BASE}/tickets/{ticket['id']}/dispatch", json=body, headers={**headers, "If-Match": etag}
    )


async def gateway_says(hotline: ServiceUnderTest, change: str, data: dict[str, Any]) -> bool:
    return await deliver(hotline.app.state.db, directory, directory_event(change, data))


async def departments(hotline: ServiceUnderTest, people: People) -> dict[str, bool]:
    listed = await hotline.client.get(f"{BASE}/departments", headers=people.operator)
    return {d["code"]: d["active"] for d in listed.json()}


async def test_a_deactivated_department_takes_no_more_tickets(
    hotline: ServiceUnderTest, people: People
) -> None:
    c = hotline.client
    ticket = await create(c, people.operator, category_code="ZJ_PROPERTY")  # lead: ZJJ
    event = directory_event("department.deactivated", {**ZJJ, "active": False})
    assert await deliver(hotline.app.state.db, directory, event)
    assert not await deliver(hotline.app.state.db, directory, event)  # redelivered: no-op
    assert (await departments(hotline, people))["ZJJ"] is False

    refused = await dispatch(c, ticket, people.operator)
    problem = refused.json()
    assert refused.status_code == 422
    assert problem["type"] == PROBLEMS + "inactive-department"
    assert (problem["title"], problem["field"]) == ("该单位已停用", "department")
    assert "住房和城乡建设局（ZJJ）已停用" in problem["detail"]
    as_co_unit = await dispatch(c, ticket, people.operator, department="SCJGJ",
                                co_departments=["ZJJ"])  # fmt: skip
    assert as_co_unit.json()["field"] == "co_departments"
    category = {"name": "住房/物业管理", "lead_department": "ZJJ"}
    edit = await c.put(f"{BASE}/categories/X_NEW", json=category, headers=people.center_head)
    assert edit.json()["type"] == PROBLEMS + "inactive-department"

    assert await gateway_says(hotline, "department.updated", {**ZJJ, "active": True})
    dispatched = await step(c, ticket, "dispatch", people.operator)
    assert (dispatched["status"], dispatched["department"]) == ("dispatched", "ZJJ")


async def test_a_department_the_gateway_adds_takes_tickets_at_once(
    hotline: ServiceUnderTest, people: People
) -> None:
    c = hotline.client
    ticket = await create(c, people.operator, category_code="ZJ_PROPERTY")
    new = {"code": "SJJ_DATA", "name": "大数据发展管理局", "kind": "department"}
    unknown = await dispatch(c, ticket, people.operator, department="SJJ_DATA")
    assert unknown.status_code == 422
    assert unknown.json()["type"] == PROBLEMS + "unknown-department"
    assert await gateway_says(hotline, "department.created", new)
    dispatched = await step(c, ticket, "dispatch", people.operator, {"department": "SJJ_DATA"})
    assert dispatched["department"] == "SJJ_DATA"


async def test_a_restart_keeps_what_the_gateway_said(
    hotline: ServiceUnderTest, people: People
) -> None:
    renamed = {**ZJJ, "code": "JTJ", "name": "县交通运输局"}
    assert await gateway_says(hotline, "department.updated", renamed)
    assert await gateway_says(hotline, "department.deactivated", {**ZJJ, "active": False})
    async with hotline.app.state.db.write() as session:
        await seed(session)  # the county file still lists both as they were
    listed = await hotline.client.get(f"{BASE}/departments", headers=people.operator)
    by_code = {d["code"]: d for d in listed.json()}
    assert (by_code["JTJ"]["name"], by_code["ZJJ"]["active"]) == ("县交通运输局", False)
