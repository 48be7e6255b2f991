"""Fixtures of the approvals suite: the service on its own migrated database, seeded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest

from yingshang.clock import SHANGHAI, FrozenClock
from yingshang.db import Database
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.clock import frozen_clock
from yingshang.testing.tokens import TestIssuer
from ys_approvals.app import SERVICE_DIR, create_app
from ys_approvals.seed import read_county, seed
from ys_approvals.settings import Settings

from .builders import People

COUNTY = SERVICE_DIR.parent / "deploy" / "seed" / "county.yaml"


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    """A frozen clock at Monday 2026-03-02 10:00 Asia/Shanghai (no holidays that month)."""
    with frozen_clock(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)) as frozen:
        yield frozen


async def county_hall(db: Database) -> None:
    """The county hall's seed (written once into a template the tests copy)."""
    async with db.write() as session:
        await seed(session, read_county(COUNTY))


@pytest.fixture
async def hall(service_app: Callable[..., Any], clock: FrozenClock) -> ServiceUnderTest:
    """The approvals service in-process (no broker), seeded with the county hall."""
    sut: ServiceUnderTest = await service_app(create_app, Settings, SERVICE_DIR, seed=county_hall)
    return sut


@pytest.fixture
def people(issuer: TestIssuer) -> People:
    return People(issuer)
