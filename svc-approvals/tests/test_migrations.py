"""The service's migrations build exactly the tables its models describe (no drift)."""

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from yingshang.db import normalise_url
from yingshang.testing.plugin import MigratedDb
from ys_approvals.app import SERVICE_DIR
from ys_approvals.tables import Base


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "include_name": lambda name, kind, _parent: (
                kind != "table" or name in Base.metadata.tables
            ),
        },
    )
    return list(compare_metadata(context, Base.metadata))


async def test_migrations_match_the_models(migrated_db: MigratedDb) -> None:
    engine = create_async_engine(normalise_url(migrated_db(SERVICE_DIR)))
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_diff) == []
    finally:
        await engine.dispose()
