"""A production county starts with the default time limits (policy rows an admin may change)
and none of the demo hall: the first application must not stop at a missing policy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from yingshang.testing.apps import production_seeded
from yingshang.time.models import Policy
from ys_approvals.app import SERVICE_DIR, components, create_app
from ys_approvals.catalog.models import ServiceItem
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
