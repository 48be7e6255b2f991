"""Bulk writes on the driver connection of the caller's transaction.

The sweeper writes tens of thousands of rows per second; SQLAlchemy's per-row parameter
handling would cost more than the database work. Callers build rows already in the driver's
form — :class:`DriverForm` takes each form from the column types' own bind processors, so what
is stored is exactly what SQLAlchemy would store; JSON is serialised with orjson — and one
``executemany`` runs on the driver connection (aiosqlite or asyncpg, the platform's two
drivers, see ``yingshang.db``) inside the session's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Boolean, Table, Uuid
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeEngine

from yingshang.db import UTCDateTime
from yingshang.ids import dashed

_ZERO = uuid.UUID(int=0)


def canonical_uuid(raw: Any) -> str:
    """``8-4-4-4-12`` text of a UUID given as an object or as 32 hex digits (SQLite storage)."""
    text = str(raw)
    return dashed(text) if len(text) == 32 else text


def _same(value: Any) -> Any:
    return value


def _processor(type_: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any]:
    return type_.dialect_impl(dialect).bind_processor(dialect) or _same


@dataclass(frozen=True)
class DriverForm:
    """How values of each kind are handed to the driver of ``dialect``."""

    dialect: Dialect
    uuid: Callable[[uuid.UUID], Any]
    instant: Callable[[datetime], Any]
    flag: Callable[[bool], Any]
    uuid_as_hex: bool  # SQLite keeps UUIDs as 32 hex digits

    @classmethod
    def of(cls, dialect: Dialect) -> DriverForm:
        to_uuid = _processor(Uuid(), dialect)
        return cls(
            dialect,
            to_uuid,
            _processor(UTCDateTime(), dialect),
            _processor(Boolean(), dialect),
            to_uuid(_ZERO) == "0" * 32,
        )

    @staticmethod
    def json(value: Any) -> str:
        return orjson.dumps(value).decode()

    def uuid_hex(self, hex32: str) -> Any:
        """A new id given as 32 hex digits, in the driver's form (no UUID object needed)."""
        return hex32 if self.uuid_as_hex else canonical_uuid(hex32)

    @property
    def postgres(self) -> bool:
        return self.dialect.name == "postgresql"


async def _driver(session: AsyncSession) -> Any:
    """The driver connection under the session's transaction (aiosqlite, the inline SQLite
    writer of :mod:`yingshang.sqlite_inline`, or asyncpg)."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    module = type(driver).__module__.split(".")[0]
    if module not in ("aiosqlite", "yingshang", "asyncpg"):
        raise NotImplementedError(f"bulk writes support aiosqlite and asyncpg, not {module}")
    return driver


def _array_casts(form: DriverForm, table: Table, columns: Sequence[str]) -> list[str]:
    """``$n::<type>[]`` for each column (PostgreSQL: one array parameter per column)."""
    return [
        f"${i}::{table.c[name].type.compile(dialect=form.dialect)}[]"
        for i, name in enumerate(columns, start=1)
    ]


async def insert_rows(
    session: AsyncSession,
    form: DriverForm,
    table: Table,
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
) -> None:
    """Insert ``rows`` (driver form, in ``columns`` order): SQLite ``executemany``;
    PostgreSQL one binary ``COPY`` (asyncpg's ``copy_records_to_table``)."""
    if not rows:
        return
    driver, names = await _driver(session), ", ".join(columns)
    # Identifiers are the schema's own names; every value is a bound parameter.
    if form.postgres:
        # binary COPY: cheaper than INSERT … unnest for the client and for the server
        await driver.copy_records_to_table(table.name, records=rows, columns=list(columns))
        return
    marks = ", ".join("?" * len(columns))
    sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"  # noqa: S608
    await (await driver.executemany(sql, rows)).close()


async def update_rows(
    session: AsyncSession,
    form: DriverForm,
    table: Table,
    assign: Sequence[str],
    match: Sequence[str],
    rows: list[tuple[Any, ...]],
    condition: str = "TRUE",
) -> int:
    """``UPDATE table SET assign… WHERE match… AND condition`` for each row (``assign``
    values, then ``match`` values); returns how many rows changed."""
    if not rows:
        return 0
    driver, columns = await _driver(session), [*assign, *match]
    if form.postgres:
        aliases = [f"v{i}" for i in range(len(columns))]
        arrays = ", ".join(_array_casts(form, table, columns))
        sets = ", ".join(f"{c} = v.{a}" for c, a in zip(assign, aliases, strict=False))
        keys = " AND ".join(
            f"t.{c} = v.{a}" for c, a in zip(match, aliases[len(assign) :], strict=True)
        )
        sql = (  # the schema's own names; values are bound
            f"UPDATE {table.name} AS t SET {sets} FROM unnest({arrays}) "  # noqa: S608
            f"AS v({', '.join(aliases)}) WHERE {keys} AND t.{condition}"
        )
        status: str = await driver.execute(sql, *zip(*rows, strict=True))
        return int(status.rsplit(" ", 1)[1])
    sets = ", ".join(f"{c} = ?" for c in assign)
    keys = " AND ".join(f"{c} = ?" for c in match)
    sql = f"UPDATE {table.name} SET {sets} WHERE {keys} AND {condition}"  # noqa: S608
    cursor = await driver.executemany(sql, rows)
    count: int = cursor.rowcount
    await cursor.close()
    return count
