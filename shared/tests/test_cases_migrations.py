"""The kit's migrations build exactly the tables its models describe (no drift)."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest_kit import KIT_DIR
from kitservice.models import Base
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import yingshang.attachments
import yingshang.audit
import yingshang.cases.numbers
import yingshang.idempotency  # noqa: F401 - the models register on PlumbingBase
from yingshang.db import PlumbingBase, normalise_url
from yingshang.testing.plugin import MigratedDb

KIT_TABLES = {"ys_sequences", "ys_idempotency", "ys_audit", "ys_attachments", "kit_cases"}


def _diff(connection: Connection) -> list[Any]:
    metadata = MetaData()
    for source in (PlumbingBase.metadata, Base.metadata):
        for table in source.tables.values():
            if table.name in KIT_TABLES:
                table.to_metadata(metadata)
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "include_name": lambda name, kind, _parent: kind != "table" or name in KIT_TABLES,
        },
    )
    return list(compare_metadata(context, metadata))


async def test_migrations_match_the_models(migrated_db: MigratedDb) -> None:
    engine = create_async_engine(normalise_url(migrated_db(KIT_DIR)))
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_diff) == []
    finally:
        await engine.dispose()
