"""A production county starts with the national indicator sets, the rating policies and the
rectification time limit (rows an admin may change): the first 差评 must not stop at a
missing policy. The county file's demo people are not named in its directory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from yingshang.testing.apps import production_seeded
from yingshang.time.models import Policy
from ys_ratings.app import SERVICE_DIR, components, create_app
from ys_ratings.directory.models import Department, User
from ys_ratings.indicators.models import IndicatorSet
from ys_ratings.settings import Settings


async def test_production_seeds_the_defaults(service_app: Callable[..., Any]) -> None:
    seed = components([])[0]  # the start-up seed, as the app runs it
    sut = await production_seeded(service_app, create_app, Settings, SERVICE_DIR, seed)
    async with sut.app.state.db.read() as session:
        rows = await session.execute(select(Policy.case_kind, Policy.stage))
        policies = {(kind, stage) for kind, stage in rows}
        sets = await session.scalar(select(func.count()).select_from(IndicatorSet))
        departments = await session.scalar(select(func.count()).select_from(Department))
        people = await session.scalar(select(func.count()).select_from(User))
    assert ("rectification", "rectify") in policies
    assert sets
    assert departments
    assert people == 0
