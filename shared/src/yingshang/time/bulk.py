"""Bulk writes on the driver connection of the caller's transaction.

The sweeper writes tens of thousands of rows per second; SQLAlchemy's per-row parameter
handling would cost more than the database work. Callers build rows already in the driver's
form — :class:`DriverForm` takes each form from the column types' own bind processors, so what
is stored is exactly what SQLAlchemy would store; JSON is serialised with orjson — and one
``executemany`` runs on the driver connection (aiosqlite or asyncpg, the platform's two
drivers, see ``yingshang.db``) inside the session's transaction.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Boolean, Uuid
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeEngine

from yingshang.db import UTCDateTime

_ZERO = uuid.UUID(int=0)
_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def canonical_uuid(raw: Any) -> str:
    """``8-4-4-4-12`` text of a UUID given as an object or as 32 hex digits (SQLite storage)."""
    text = str(raw)
    if len(text) != 32:
        return text
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def random_uuid_hex(count: int) -> list[str]:
    """``count`` random version-4 UUIDs as 32 hex digits (cheaper than ``uuid4()`` objects)."""
    digits = os.urandom(16 * count).hex()
    return [
        f"{digits[i : i + 12]}4{digits[i + 13 : i + 16]}{_VARIANT[digits[i + 16]]}"
        f"{digits[i + 17 : i + 32]}"
        for i in range(0, 32 * count, 32)
    ]


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

    @classmethod
    def of(cls, dialect: Dialect) -> DriverForm:
        return cls(
            dialect,
            _processor(Uuid(), dialect),
            _processor(UTCDateTime(), dialect),
            _processor(Boolean(), dialect),
        )

    @staticmethod
    def json(value: Any) -> str:
        return orjson.dumps(value).decode()

    def uuid_hex(self, hex32: str) -> Any:
        """A new id given as 32 hex digits, in the driver's form (no UUID object needed)."""
        if self._uuid_as_hex:
            return hex32
        return canonical_uuid(hex32)

    @property
    def _uuid_as_hex(self) -> bool:
        return bool(self.uuid(_ZERO) == "0" * 32)

    def marks(self, count: int) -> list[str]:
        """Positional parameter markers of the driver."""
        if self.dialect.name == "postgresql":
            return [f"${i}" for i in range(1, count + 1)]
        return ["?"] * count

    def insert_sql(self, table: str, columns: Sequence[str]) -> str:
        marks = ", ".join(self.marks(len(columns)))
        # Identifiers are the schema's own names; every value is a bound parameter.
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608


async def executemany(session: AsyncSession, sql: str, rows: list[tuple[Any, ...]]) -> int | None:
    """Run ``sql`` once per row on the session's driver connection, in its transaction;
    the affected row count when the driver reports it (SQLite), else ``None``."""
    if not rows:
        return 0
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    module = type(driver).__module__
    if module.startswith("aiosqlite"):
        cursor = await driver.executemany(sql, rows)
        count: int = cursor.rowcount
        await cursor.close()
        return count
    if module.startswith("asyncpg"):
        await driver.executemany(sql, rows)
        return None
    raise NotImplementedError(f"bulk writes support aiosqlite and asyncpg, not {module}")
