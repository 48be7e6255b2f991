"""A production county starts with the default time limits (policy rows an admin may change)
and the county file's halls and windows, and none of the demo catalogue, window items or seated
clerks: the first application must not stop at a missing policy, nor the first clerk at a
missing window."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml
from sqlalchemy import func, select

from yingshang.settings import COUNTY_FILE
from yingshang.testing.apps import production_seeded
from yingshang.time.models import Policy
from ys_approvals.app import SERVICE_DIR, components, create_app
from ys_approvals.catalog.models import ServiceItem
from ys_approvals.halls.models import Hall, Window, WindowItem, WindowSchedule
from ys_approvals.settings import Settings


async def test_production_seeds_the_policies_and_no_demo_data(
    service_app: Callable[..., Any],
) -> None:
    seed = components()[0]  # the start-up seed, as the app runs it
    sut = await production_seeded(service_app, create_app, Settings, SERVICE_DIR, seed)
    async with sut.app.state.db.read() as session:
        rows = await session.execute(select(Policy.stage, Policy.urgency))
        stages = {(stage, urgency) for stage, urgency in rows}
        items = await session.scalar(select(func.count()).select_from(ServiceItem))
    assert {("handling", "normal"), ("delivery", "normal"), ("delivery", "green")} <= stages
    assert items == 0


async def test_production_seeds_the_county_halls_and_windows(
    service_app: Callable[..., Any],
) -> None:
    """The halls and windows of deploy/seed/county.yaml, served by the public API, with their
    opening hours; comprehensive windows take any item (there are no demo items to dedicate),
    nobody is seated (the demo clerks do not exist). A second start adds nothing."""
    county = yaml.safe_load(COUNTY_FILE.read_text(encoding="utf-8"))
    expected = {h["code"]: {w["code"] for w in h["windows"]} for h in county["halls"]}
    seed = components()[0]
    sut = await production_seeded(service_app, create_app, Settings, SERVICE_DIR, seed)
    await seed(sut.app).start(sut.app)  # a restart, or a second replica
    listed = await sut.client.get("/api/v1/approvals/halls")
    assert listed.status_code == 200, listed.text
    halls = {h["code"]: h for h in listed.json()}
    assert {code: {w["code"] for w in h["windows"]} for code, h in halls.items()} == expected
    county_hall = halls["HALL_COUNTY"]
    assert (county_hall["name"], county_hall["department"]) == ("凤冈县政务服务中心大厅", "HALL")
    windows = {w["code"]: w for w in county_hall["windows"]}
    assert windows["W01"]["accepts_all"] is True  # 综合受理窗口
    assert windows["W05"]["accepts_all"] is True  # dedicated only in the demo catalogue
    assert windows["W10"]["accepts_all"] is False  # 出件窗口
    schedule = await sut.client.get("/api/v1/approvals/halls/HALL_COUNTY/windows/W01/schedule")
    assert schedule.status_code == 200
    assert {row["weekday"] for row in schedule.json()} == set(range(7))  # 七天工作制
    async with sut.app.state.db.read() as session:
        halls_n = await session.scalar(select(func.count()).select_from(Hall))
        windows_n = await session.scalar(select(func.count()).select_from(Window))
        seated = [c for c in (await session.scalars(select(Window.clerks))).all() if c]
        dedicated = await session.scalar(select(func.count()).select_from(WindowItem))
        hours = await session.scalar(select(func.count()).select_from(WindowSchedule))
    assert halls_n == len(expected)
    assert windows_n == sum(len(w) for w in expected.values())
    assert seated == []
    assert dedicated == 0
    assert hours
