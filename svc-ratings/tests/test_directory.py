"""Ratings keeps the county directory in the shared tables (``yingshang.directory``): the
names it held before move over with the migration, and the gateway's user events keep the
names printed beside 工号 current, a changed 工号 included."""

from __future__ import annotations

import asyncio
from typing import Any

import sqlalchemy as sa
from alembic import command

from yingshang.clock import now
from yingshang.db import Database, UTCDateTime
from yingshang.migrate import alembic_config
from yingshang.testing.apps import ServiceUnderTest
from yingshang.testing.directory import deliver, directory_event
from yingshang.testing.plugin import MigratedDb
from ys_ratings.app import SERVICE_DIR
from ys_ratings.directory.service import labels
from ys_ratings.intake.consumers import DIRECTORY

OLD = sa.table(
    "ratings_directory",
    sa.column("kind", sa.String()),
    sa.column("code", sa.String()),
    sa.column("name", sa.String()),
    sa.column("active", sa.Boolean()),
    sa.column("updated_at", UTCDateTime()),
)


async def _migrate(url: str, run: Any, revision: str) -> None:
    await asyncio.to_thread(run, alembic_config(SERVICE_DIR, url), revision)


async def test_the_names_kept_before_move_to_the_directory_tables(
    migrated_db: MigratedDb,
) -> None:
    url = migrated_db(SERVICE_DIR)
    await _migrate(url, command.downgrade, "ratings_0006")
    db = Database(url)
    try:
        async with db.write() as session:
            rows = [("department", "ZJJ", "县住建局", False), ("staff", "ZW2001", "周静", True),
                    ("window", "HALL_COUNTY/W05", "大厅 企业开办窗口", True)]  # fmt: skip
            await session.execute(sa.insert(OLD), [
                {"kind": k, "code": c, "name": n, "active": a, "updated_at": now()}
                for k, c, n, a in rows])  # fmt: skip
        await _migrate(url, command.upgrade, "heads")
        async with db.read() as session:
            assert await labels(session) == {
                "department": {"ZJJ": "县住建局"},
                "window": {"HALL_COUNTY/W05": "大厅 企业开办窗口"},
                "staff": {"ZW2001": "周静"},
            }
            left = await session.execute(sa.text("SELECT kind FROM ratings_directory"))
            assert [k for (k,) in left] == ["window"]
        # the person's first event takes the 工号 over from the row kept without a username
        renamed = {"username": "clerk", "name": "周静怡", "staff_no": "ZW2001"}
        assert await deliver(db, DIRECTORY, directory_event("user.updated", renamed))
        async with db.read() as session:
            assert (await labels(session))["staff"] == {"ZW2001": "周静怡"}
    finally:
        await db.dispose()


async def test_user_events_keep_the_names_beside_staff_numbers(ratings: ServiceUnderTest) -> None:
    db = ratings.app.state.db
    async with db.read() as session:
        assert (await labels(session))["staff"]["ZW2001"] == "周静"  # county.yaml, demo
    moved = {"username": "clerk", "name": "周静", "staff_no": "ZW2009"}
    assert await deliver(db, DIRECTORY, directory_event("user.updated", moved))
    gone = {**moved, "active": False}
    assert await deliver(db, DIRECTORY, directory_event("user.deactivated", gone))
    async with db.read() as session:
        staff = (await labels(session))["staff"]
    assert "ZW2001" not in staff
    assert staff["ZW2009"] == "周静"  # a bulletin of past months still names them
