"""Items and packages name departments of the county directory that are still active: the
hall keeps the departments (seeded from the county file, production included, then kept
current by the gateway's ``ys.gateway.department.*`` through ``approvals-gateway-directory``),
so a mistyped or abolished code no longer routes applications to no one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from yingshang.testing.apps import ServiceUnderTest, production_seeded
from yingshang.testing.directory import deliver, directory_event
from ys_approvals.app import CONSUMERS, SERVICE_DIR, components, create_app
from ys_approvals.directory.models import Department
from ys_approvals.settings import Settings

from .builders import BASE, People, item_named
from .test_catalog_and_disclosure import new_item

DIRECTORY = next(spec for spec in CONSUMERS if spec.source == "gateway")
PROBLEMS = "https://yingshang.gov.cn/problems/"
SCJGJ = {"code": "SCJGJ", "name": "市场监督管理局", "kind": "department"}
TAX = {"code": "TAX", "name": "国家税务总局凤冈县税务局", "kind": "department"}


async def gateway_says(hall: ServiceUnderTest, change: str, data: dict[str, Any]) -> bool:
    return await deliver(hall.app.state.db, DIRECTORY, directory_event(change, data))


async def a_new_code(hall: ServiceUnderTest, n: int) -> str:
    """A valid 实施编码 of 市场监督管理局 no seeded item uses."""
    return str((await item_named(hall.client, "食品经营许可"))["code"][:18]) + f"010999{n}000000"


async def test_an_item_names_a_department_of_the_directory(
    hall: ServiceUnderTest, people: People
) -> None:
    c = hall.client
    code = await a_new_code(hall, 1)
    typo = await c.post(f"{BASE}/items", json=new_item(code, department="SCJGX"),
                        headers=people.admin())  # fmt: skip
    assert typo.status_code == 422
    problem = typo.json()
    assert (problem["type"], problem["field"]) == (PROBLEMS + "unknown-department", "department")
    assert problem["title"] == "组织机构目录中没有该单位"
    assert (await c.get(f"{BASE}/items/{code}")).status_code == 404  # nothing written
    assert await gateway_says(hall, "department.deactivated", {**SCJGJ, "active": False})
    abolished = await c.post(f"{BASE}/items", json=new_item(code), headers=people.admin())
    assert abolished.status_code == 422
    assert abolished.json()["type"] == PROBLEMS + "inactive-department"
    assert "市场监督管理局（SCJGJ）已停用" in abolished.json()["detail"]
    assert await gateway_says(hall, "department.updated", {**SCJGJ, "active": True})
    made = await c.post(f"{BASE}/items", json=new_item(code), headers=people.admin())
    assert made.status_code == 201, made.text


async def test_a_package_names_active_departments(hall: ServiceUnderTest, people: People) -> None:
    c = hall.client
    codes = [(await item_named(c, n))["code"] for n in ("公章刻制备案", "税务登记及发票申领")]
    body = {"code": "TEST_PKG", "name": "测试套餐", "lead_department": "GAJ", "item_codes": codes}
    typo = await c.post(f"{BASE}/packages", json={**body, "lead_department": "GAJJ"},
                        headers=people.admin())  # fmt: skip
    assert (typo.status_code, typo.json()["field"]) == (422, "lead_department")
    assert typo.json()["type"] == PROBLEMS + "unknown-department"
    event = directory_event("department.deactivated", {**TAX, "active": False})
    assert await deliver(hall.app.state.db, DIRECTORY, event)
    assert not await deliver(hall.app.state.db, DIRECTORY, event)  # redelivered: no-op
    part = await c.post(f"{BASE}/packages", json=body, headers=people.admin())
    assert (part.status_code, part.json()["field"]) == (422, "item_codes")  # 税务 is abolished
    assert part.json()["type"] == PROBLEMS + "inactive-department"
    assert (await c.get(f"{BASE}/packages/TEST_PKG")).status_code == 404
    assert await gateway_says(hall, "department.updated", {**TAX, "active": True})
    made = await c.post(f"{BASE}/packages", json=body, headers=people.admin())
    assert made.status_code == 201, made.text


async def test_production_seeds_the_departments(service_app: Callable[..., Any]) -> None:
    seed = components()[0]  # the start-up seed, as the app runs it
    sut = await production_seeded(service_app, create_app, Settings, SERVICE_DIR, seed)
    async with sut.app.state.db.read() as session:
        count = await session.scalar(select(func.count()).select_from(Department))
        tax = await session.execute(
            select(Department.name, Department.active).where(Department.code == "TAX")
        )
    assert (count or 0) > 40  # deploy/seed/county.yaml
    assert tuple(tax.one()) == (TAX["name"], True)
