"""Fixtures of the ratings suite: the service on its own migrated database, seeded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from yingshang.clock import FrozenClock
from yingshang.db import Database
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.clock import frozen_clock
from yingshang.testing.tokens import TestIssuer
from ys_ratings.app import SERVICE_DIR, create_app
from ys_ratings.seed import seed_database
from ys_ratings.settings import Settings

from .builders import CENTER, Events, People


@pytest.fixture
async def ratings(service_app: Callable[..., Any]) -> ServiceUnderTest:
    """svc-ratings in-process, no broker (events are applied by calling the handlers)."""
    sut: ServiceUnderTest = await service_app(
        create_app, Settings, SERVICE_DIR, ratings_center_dept=CENTER, seed=county
    )
    return sut


async def county(db: Database) -> None:
    """The county's names (written once into a template the tests copy)."""
    await seed_database(db, Settings().county_file)


@pytest.fixture
def people(issuer: TestIssuer) -> People:
    return People(issuer)


@pytest.fixture
def events(ratings: ServiceUnderTest) -> Events:
    return Events(ratings)


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    """A frozen clock in mid-October 2026 (a Thursday), restored afterwards."""
    with frozen_clock(datetime(2026, 10, 15, 2, 0, tzinfo=UTC)) as frozen:
        yield frozen
