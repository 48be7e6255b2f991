"""The gateway's migrations build exactly the tables its models describe (no drift), and the
newest one (``password_change_required``) goes down and up again without flagging the people
already in the directory."""

from __future__ import annotations

import asyncio
import uuid

import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from yingshang.clock import now
from yingshang.db import UTCDateTime, normalise_url
from yingshang.migrate import alembic_config
from yingshang.testing.drift import schema_drift
from yingshang.testing.plugin import MigratedDb
from ys_gateway.app import SERVICE_DIR
from ys_gateway.models import Base

USERS = sa.table(
    "gw_users",
    sa.column("id", sa.Uuid()),
    sa.column("username", sa.String()),
    sa.column("name", sa.String()),
    sa.column("active", sa.Boolean()),
    sa.column("password_hash", sa.String()),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)


def _user_columns(connection: Connection) -> set[str]:
    return {c["name"] for c in sa.inspect(connection).get_columns("gw_users")}


async def _migrate(url: str, direction: str, revision: str) -> None:
    run = command.downgrade if direction == "down" else command.upgrade
    await asyncio.to_thread(run, alembic_config(SERVICE_DIR, url), revision)


async def _columns(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return await connection.run_sync(_user_columns)


async def test_migrations_match_the_models(migrated_db: MigratedDb) -> None:
    drift = await schema_drift(
        migrated_db(SERVICE_DIR), Base.metadata, lambda name: name.startswith("gw_")
    )
    assert drift == []


async def test_password_change_required_goes_down_and_up(migrated_db: MigratedDb) -> None:
    url = migrated_db(SERVICE_DIR)
    engine = create_async_engine(normalise_url(url))
    try:
        await _migrate(url, "down", "gateway_0003")
        assert "password_change_required" not in await _columns(engine)
        stamp = now()
        async with engine.begin() as connection:  # someone in the directory before the upgrade
            row = {"id": uuid.uuid4(), "username": "before", "name": "旧人", "active": True}
            row |= {"password_hash": "x", "created_at": stamp, "updated_at": stamp}
            await connection.execute(sa.insert(USERS).values(row))
        await _migrate(url, "up", "heads")
        assert "password_change_required" in await _columns(engine)
        async with engine.connect() as connection:
            flags = await connection.execute(
                sa.text("SELECT username, password_change_required FROM gw_users")
            )
            assert [(name, bool(flag)) for name, flag in flags] == [("before", False)]
    finally:
        await engine.dispose()
    assert await schema_drift(url, Base.metadata, lambda name: name.startswith("gw_")) == []
