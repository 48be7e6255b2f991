"""Helpers of the case-kit tests (imported by them; the shared fixtures come from the plugin).

``await start_kit(service_app)`` gives the kit sample service in-process on its own migrated
database (``service_app`` is the test kit's fixture); the builders below say who is calling.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import httpx
from kitservice.app import SERVICE_DIR, Settings, create_app
from sqlalchemy import func, select

from yingshang.auth import BUREAU, HOTLINE_CENTER
from yingshang.clock import FrozenClock, get_clock, set_clock
from yingshang.db import Database
from yingshang.testing import a_clerk, a_head, a_staff
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.plugin import StartService

KIT_DIR = SERVICE_DIR
CASES = "/api/v1/kit/cases"
PHONE = "13812345678"

operator = a_clerk(HOTLINE_CENTER)  # 12345 operator: opens and dispatches cases
roads_head = a_head("ROADS")  # head of the department a case goes to
roads_staff = a_staff("ROADS")
water_head = a_head("WATER")  # a head of another department
bureau = a_staff(BUREAU)


async def start_kit(service_app: StartService, **settings: Any) -> ServiceUnderTest:
    return await service_app(create_app, Settings, KIT_DIR, **settings)


def db_of(sut: ServiceUnderTest) -> Database:
    db: Database = sut.app.state.db
    return db


async def open_case(sut: ServiceUnderTest, title: str = "路灯不亮", **extra: Any) -> httpx.Response:
    body = {"title": title, "requester_phone": PHONE, **extra}
    response = await sut.client.post(CASES, json=body, headers=operator.headers(sut.issuer))
    assert response.status_code == 201, response.text
    return response


async def act(
    sut: ServiceUnderTest,
    case_id: str,
    action: str,
    who: Any,
    etag: str | None,
    **body: Any,
) -> httpx.Response:
    headers = who.headers(sut.issuer)
    if etag is not None:
        headers["If-Match"] = etag
    return await sut.client.post(f"{CASES}/{case_id}/{action}", json=body, headers=headers)


async def count(sut: ServiceUnderTest, table: Any, *where: Any) -> int:
    async with db_of(sut).read() as session:
        value = await session.scalar(select(func.count()).select_from(table).where(*where))
    return int(value or 0)


@contextmanager
def frozen_at(at: datetime) -> Iterator[FrozenClock]:
    """The process clock frozen at ``at`` for the block (restored afterwards)."""
    previous, clock = get_clock(), FrozenClock(at)
    set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(previous)
