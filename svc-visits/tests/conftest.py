"""Fixtures of the visits suite: the service on its own migrated database, seeded with the
county's departments, people and halls and the default policies, on a frozen clock (Monday
2026-03-02 10:00 Asia/Shanghai, no holiday near)."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.builders import START, TEST_PEOPLE, People, Walk
from yingshang.clock import FrozenClock
from yingshang.db import Database
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.clock import frozen_clock
from yingshang.testing.tokens import TestIssuer
from ys_visits.app import SERVICE_DIR, create_app
from ys_visits.directory.service import PEOPLE
from ys_visits.seed import seed
from ys_visits.settings import Settings


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    with frozen_clock(START) as frozen:
        yield frozen


async def county(db: Database) -> None:
    """The county's departments, people and halls, the default policies and the test people
    (written once into a template the tests copy)."""
    async with db.write() as session:
        await seed(session, Settings().county_file, people=True)
        await PEOPLE.add_missing(session, TEST_PEOPLE)


@pytest.fixture
async def visits(service_app: Callable[..., Any], clock: FrozenClock) -> ServiceUnderTest:
    """svc-visits in-process (no broker), seeded (no demo data)."""
    sut: ServiceUnderTest = await service_app(create_app, Settings, SERVICE_DIR, seed=county)
    return sut


@pytest.fixture
def people(issuer: TestIssuer) -> People:
    return People(issuer)


@pytest.fixture
def walk(visits: ServiceUnderTest, people: People) -> Walk:
    return Walk(visits.client, people)
