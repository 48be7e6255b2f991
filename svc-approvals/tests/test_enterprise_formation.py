"""开办企业: an item that creates the legal person (``registers_enterprise``, kept by the
county's administrators against the version read, in the item's history) takes a 法人
applicant without a 统一社会信用代码 — at the window, online and in a package holding it —
while every other item still asks for the code; a code given is checked all the same."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import sqlalchemy as sa
from alembic import command
from sqlalchemy.ext.asyncio import create_async_engine

from yingshang.db import normalise_url
from yingshang.migrate import alembic_config
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.plugin import MigratedDb
from ys_approvals.app import SERVICE_DIR

from .builders import BASE, AnApplication, People, all_materials, item_named
from .test_catalog_and_disclosure import new_item, patch

REGISTRATION, FOOD = "企业设立登记（营业执照）", "食品经营许可"
FORMING = {  # a company being formed: named, not yet coded
    "type": "legal_person",
    "name": "张三",
    "phone": "13812345678",
    "enterprise_name": "凤冈县新茶业有限公司（筹）",
}


async def _apply(
    c: httpx.AsyncClient, headers: dict[str, str], applicant: dict[str, Any], **target: Any
) -> httpx.Response:
    body = AnApplication(applicant=applicant, **target).build()
    return await c.post(f"{BASE}/applications", json=body, headers=headers)


async def _count(c: httpx.AsyncClient, people: People) -> int:
    listed = (await c.get(f"{BASE}/applications", headers=people.hall_head())).json()
    return len(listed["items"])


async def test_the_flag_is_kept_against_the_version_read_and_in_history(
    hall: ServiceUnderTest, people: People
) -> None:
    c = hall.client
    assert (await item_named(c, REGISTRATION))["registers_enterprise"] is True  # the seed's
    assert (await item_named(c, FOOD))["registers_enterprise"] is False
    food = await item_named(c, FOOD)
    code = food["code"][:18] + "0109997000000"
    made = await c.post(
        f"{BASE}/items", json=new_item(code, registers_enterprise=True), headers=people.admin()
    )
    assert (made.status_code, made.json()["registers_enterprise"]) == (201, True), made.text
    unset = await patch(c, code, {"registers_enterprise": False}, people.admin())
    assert (unset.status_code, unset.json()["registers_enterprise"]) == (200, False), unset.text
    nulled = await patch(c, code, {"registers_enterprise": None}, people.admin())
    assert nulled.status_code == 422, nulled.text
    assert [e["field"] for e in nulled.json()["errors"]] == ["registers_enterprise"]
    unread = await c.patch(
        f"{BASE}/items/{code}", json={"registers_enterprise": True}, headers=people.admin()
    )
    assert unread.status_code == 428
    not_admin = await patch(c, code, {"registers_enterprise": True}, people.head("SCJGJ"))
    assert not_admin.status_code == 403
    again = await patch(c, code, {"registers_enterprise": True}, people.admin())
    assert (again.json()["registers_enterprise"], again.json()["version"]) == (True, 3)
    history = (await c.get(f"{BASE}/items/{code}/history")).json()
    assert [h["snapshot"]["registers_enterprise"] for h in history] == [True, False, True]


async def test_only_an_item_forming_the_enterprise_takes_a_legal_person_without_a_code(
    hall: ServiceUnderTest, people: People
) -> None:
    c, clerk = hall.client, people.clerk()
    registration, food = await item_named(c, REGISTRATION), await item_named(c, FOOD)
    at_registration = {"item": registration["code"], "materials": all_materials(registration)}
    at_food = {"item": food["code"], "materials": all_materials(food)}

    refused = await _apply(c, clerk, FORMING, **at_food)
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert (problem["field"], problem["type"].rsplit("/", 1)[1]) == (
        "applicant.uscc",
        "uscc-required",
    )
    assert "统一社会信用代码" in problem["detail"]
    assert await _count(c, people) == 0  # nothing half-written
    coded = {**FORMING, "uscc": "91350100M000100Y43"}
    assert (await _apply(c, clerk, coded, **at_food)).status_code == 201

    taken = await _apply(c, clerk, FORMING, **at_registration)
    assert taken.status_code == 201, taken.text
    assert (taken.json()["uscc"], taken.json()["enterprise_name"]) == (
        None,
        FORMING["enterprise_name"],
    )
    wrong = {**FORMING, "uscc": "91350100M000100Y44"}  # a wrong check character
    bad = await _apply(c, clerk, wrong, **at_registration)
    assert bad.status_code == 422, bad.text
    assert [e["field"] for e in bad.json()["errors"]] == ["applicant.uscc"]
    unnamed = {k: v for k, v in FORMING.items() if k != "enterprise_name"}
    assert (await _apply(c, clerk, unnamed, **at_registration)).status_code == 422
    assert (await _apply(c, clerk, coded, **at_registration)).status_code == 201

    # unmarked, the registration asks for the code like any other item
    assert (
        await patch(c, registration["code"], {"registers_enterprise": False}, people.admin())
    ).status_code == 200
    again = await _apply(c, clerk, FORMING, **at_registration)
    assert (again.status_code, again.json()["field"]) == (422, "applicant.uscc")
    assert await _count(c, people) == 3


async def test_online_and_package_intake_follow_the_items(
    hall: ServiceUnderTest, people: People
) -> None:
    c, clerk = hall.client, people.clerk()
    registration, food = await item_named(c, REGISTRATION), await item_named(c, FOOD)
    online = {"channel": "online", "materials": []}
    for n, (item, status) in enumerate(((registration, 201), (food, 422))):
        province = {**people.province(), "Idempotency-Key": f"forming-{n:04d}"}
        r = await _apply(c, province, FORMING, item=item["code"], **online)
        assert r.status_code == status, r.text

    # 开办企业一件事 holds the registration: the company applies before it has its code
    kbqy = await _apply(c, clerk, FORMING, package="KBQY", materials=["开办企业一件事申请表"])
    assert (kbqy.status_code, kbqy.json()["uscc"]) == (201, None), kbqy.text
    codes = [(await item_named(c, n))["code"] for n in ("公章刻制备案", "税务登记及发票申领")]
    body = {"code": "SEAL_TAX", "name": "刻章办税一件事", "lead_department": "GAJ"}
    made = await c.post(
        f"{BASE}/packages", json={**body, "item_codes": codes}, headers=people.admin()
    )
    assert made.status_code == 201, made.text
    seal_tax = await _apply(c, clerk, FORMING, package="SEAL_TAX", materials=[])
    assert (seal_tax.status_code, seal_tax.json()["field"]) == (422, "applicant.uscc")


async def test_items_before_the_migration_do_not_form_enterprises(
    migrated_db: MigratedDb,
) -> None:
    """An item of approvals_0008 comes out of approvals_0009 still asking for the code."""
    url = migrated_db(SERVICE_DIR)
    config = alembic_config(SERVICE_DIR, url)
    await asyncio.to_thread(command.downgrade, config, "approvals_0008")
    engine = create_async_engine(normalise_url(url))
    items = sa.table(
        "items",
        sa.column("id", sa.Uuid()),
        *(sa.column(c) for c in ("code", "name", "department", "item_type", "handling_kind")),
        *(sa.column(c) for c in ("statutory_limit", "committed_limit", "trips_needed")),
        *(sa.column(c) for c in ("fee_free", "fee_cents", "online_depth", "active", "version")),
        *(sa.column(c, sa.JSON()) for c in ("materials", "steps", "channels")),
        *(sa.column(c, sa.DateTime(timezone=True)) for c in ("created_at", "updated_at")),
    )
    try:
        async with engine.begin() as conn:
            await conn.execute(
                items.insert().values(
                    id=uuid.uuid4(), code="X" * 31, name="旧事项", department="SCJGJ",
                    item_type="licensing", handling_kind="promised", statutory_limit=20,
                    committed_limit=8, trips_needed=1, fee_free=True, fee_cents=0,
                    online_depth=1, active=True, version=1, materials=[], steps=[],
                    channels=["window"], created_at=sa.func.now(), updated_at=sa.func.now(),
                )
            )  # fmt: skip
        await asyncio.to_thread(command.upgrade, config, "heads")
        async with engine.connect() as conn:
            flags = (await conn.execute(sa.text("SELECT registers_enterprise FROM items"))).all()
        assert [bool(f) for (f,) in flags] == [False]
    finally:
        await engine.dispose()
