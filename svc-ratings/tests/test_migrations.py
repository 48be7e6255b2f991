"""The service's migrations build exactly the tables its models describe (no drift)."""

import asyncio
import uuid

import sqlalchemy as sa
from alembic import command
from sqlalchemy.ext.asyncio import create_async_engine

from yingshang.db import normalise_url
from yingshang.migrate import alembic_config
from yingshang.testing.drift import schema_drift
from yingshang.testing.plugin import MigratedDb
from ys_ratings.app import SERVICE_DIR
from ys_ratings.models import Base, load_models


async def test_migrations_match_the_models(migrated_db: MigratedDb) -> None:
    load_models()
    drift = await schema_drift(
        migrated_db(SERVICE_DIR), Base.metadata, lambda name: name.startswith("ratings_")
    )
    assert drift == []


async def test_a_closed_month_keeps_its_rates_through_the_due_columns(
    migrated_db: MigratedDb,
) -> None:
    """A snapshot stored before the bulletin judged only what is due counted every
    rectification: its rows' denominators are that count (its rates read as they did)."""
    url = migrated_db(SERVICE_DIR)
    config = alembic_config(SERVICE_DIR, url)
    await asyncio.to_thread(command.downgrade, config, "ratings_0007")
    engine = create_async_engine(normalise_url(url))
    try:
        async with engine.begin() as connection:
            line = {"month": "2026-09", "scope": "department", "key": "ZJJ", "count": 5,
                    "good_county": 3, "good_national": 4, "bad": 1, "rectifications": 2,
                    "rectified_on_time": 1, "called_back": 1, "rank": 1}  # fmt: skip
            rows = sa.table(
                "ratings_bulletin_rows", sa.column("id", sa.Uuid()),
                sa.column("flagged", sa.Boolean()), *(sa.column(c) for c in line),
            )  # fmt: skip
            await connection.execute(rows.insert().values(id=uuid.uuid4(), flagged=False, **line))
        await asyncio.to_thread(command.upgrade, config, "heads")
        async with engine.connect() as connection:
            found = await connection.execute(sa.text(
                "SELECT rectifications_due, callbacks_due FROM ratings_bulletin_rows"))  # fmt: skip
            migrated = [tuple(row) for row in found]
    finally:
        await engine.dispose()
    assert migrated == [(2, 2)]
    load_models()
    assert await schema_drift(url, Base.metadata, lambda n: n.startswith("ratings_")) == []
