"""Migrations against models: every service's drift test is this one check.

A database built by a service's own migrations must hold exactly the tables, columns, types
and indexes its models declare; :func:`schema_drift` lists what differs (Alembic's
autogenerate comparison), restricted to the tables the caller names, so the plumbing tables of
other branches or other services do not count.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from yingshang.db import normalise_url


async def schema_drift(
    url: str,
    metadata: MetaData,
    owns: Callable[[str], bool] | None = None,
    unmodelled: Collection[str] = (),
) -> list[Any]:
    """What the migrated database at ``url`` lacks or has beyond ``metadata``; ``owns`` picks
    the tables compared (default: those ``metadata`` declares); ``unmodelled`` names the
    tables and indexes a migration builds by hand with no model (a full-text index, say),
    each name also the prefix of its companions. Empty when they agree."""
    chosen = owns or (lambda name: name in metadata.tables)

    def included(name: str | None, kind: str) -> bool:
        if name is None:
            return True
        if any(name.startswith(prefix) for prefix in unmodelled):
            return False
        return kind != "table" or chosen(name)

    def compare(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_name": lambda name, kind, _parent: included(name, kind),
            },
        )
        return list(compare_metadata(context, metadata))

    engine = create_async_engine(normalise_url(url))
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(compare)
    finally:
        await engine.dispose()
