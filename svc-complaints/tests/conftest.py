"""Fixtures of the complaints suite: the service on its own migrated database, seeded, on a
frozen clock (Monday 2026-03-02 10:00 Asia/Shanghai)."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from yingshang.clock import FrozenClock
from yingshang.db import Database
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.clock import frozen_clock
from yingshang.testing.tokens import TestIssuer
from ys_complaints.app import SERVICE_DIR, create_app
from ys_complaints.seed import seed
from ys_complaints.settings import Settings

from .builders import START, People, Walk


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    with frozen_clock(START) as frozen:
        yield frozen


async def county(db: Database) -> None:
    """The county's departments and the default policies (written once into a template the
    tests copy)."""
    async with db.write() as session:
        await seed(session)


@pytest.fixture
async def complaints(service_app: Callable[..., Any], clock: FrozenClock) -> ServiceUnderTest:
    """svc-complaints in-process (no broker), seeded with the county's departments and the
    default policies."""
    sut: ServiceUnderTest = await service_app(create_app, Settings, SERVICE_DIR, seed=county)
    return sut


@pytest.fixture
def people(issuer: TestIssuer) -> People:
    return People(issuer)


@pytest.fixture
def walk(complaints: ServiceUnderTest, people: People) -> Walk:
    return Walk(complaints.client, people)
