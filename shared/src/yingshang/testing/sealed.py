"""What a service's database holds of personal data, read raw (no column types): sealed values
(``yingshang.sealing``), never the plain ones."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from yingshang.db import normalise_url
from yingshang.sealing import PREFIX


async def stored(
    database_url: str, table: str, *columns: str, where: str = "", **params: Any
) -> list[tuple[Any, ...]]:
    """``columns`` of the rows of ``table`` (``where``: a condition with ``:name`` binds from
    ``params``) as the database holds them."""
    sql = f"SELECT {', '.join(columns)} FROM {table}"  # noqa: S608 - the tests' own names
    sql += f" WHERE {where}" if where else ""
    engine = create_async_engine(normalise_url(database_url))
    try:
        async with engine.connect() as connection:
            return [tuple(row) for row in await connection.execute(text(sql), params)]
    finally:
        await engine.dispose()


def assert_sealed(rows: list[tuple[Any, ...]], *plain: str) -> None:
    """Each value of ``rows`` is sealed (or absent) and holds none of ``plain`` nor their last
    four characters."""
    assert rows, "no rows to look at"
    for row in rows:
        for value in row:
            if value is None:
                continue
            assert isinstance(value, str), value
            assert value.startswith(PREFIX), value
            for secret in plain:
                assert secret not in value, value
                assert secret[-4:] not in value, value
