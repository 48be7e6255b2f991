"""Fixtures of the hotline suite: the service on its own migrated database, seeded."""

from collections.abc import Callable
from typing import Any

import pytest

from yingshang.db import Database
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.tokens import TestIssuer
from ys_hotline.app import SERVICE_DIR, create_app
from ys_hotline.seed import seed
from ys_hotline.settings import Settings

from .builders import People


@pytest.fixture
async def hotline(service_app: Callable[..., Any]) -> ServiceUnderTest:
    """The hotline in-process (no broker): seeded with the county's departments, the dispatch
    catalogue, the 五限时 policies and the demo knowledge base."""
    sut: ServiceUnderTest = await service_app(create_app, Settings, SERVICE_DIR, seed=county)
    return sut


async def county(db: Database) -> None:
    """The hotline's seed (written once into a template the tests copy)."""
    async with db.write() as session:
        await seed(session)


@pytest.fixture
def people(issuer: TestIssuer) -> People:
    return People(issuer)
