"""A production county starts with the default visit frequencies and 交办单 time limits
(policy rows an admin may change: 签收 and 联系 among them) and none of the demo enterprises or
pairings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from yingshang.testing.apps import production_seeded
from yingshang.time.models import Policy
from ys_visits.app import SERVICE_DIR, components, create_app
from ys_visits.enterprises.models import Enterprise
from ys_visits.settings import Settings


async def test_production_seeds_the_policies_and_no_demo_data(
    service_app: Callable[..., Any],
) -> None:
    seed = components()[0]  # the start-up seed, as the app runs it
    sut = await production_seeded(service_app, create_app, Settings, SERVICE_DIR, seed)
    async with sut.app.state.db.read() as session:
        rows = await session.execute(select(Policy.case_kind, Policy.stage))
        policies = {(kind, stage) for kind, stage in rows}
        enterprises = await session.scalar(select(func.count()).select_from(Enterprise))
    assert ("pairing", "visit") in policies
    # the five time limits (五限时) of a 交办单 include the head's 签收 and the 联系
    assert {("problem", "sign"), ("problem", "contact")} <= policies
    assert enterprises == 0
