"""A SQLite connection for SQLAlchemy's asyncio engine that runs each call on the caller's thread.

aiosqlite hands every call (cursor, execute, fetch, commit) to a worker thread and wakes the
event loop for its answer: a ticket intake makes about a hundred such round trips, and their
thread switches and GIL hand-overs cost far more CPU than SQLite itself (tens of microseconds per
statement on a write path of small indexed statements). The writer engine uses this connection
instead: writers already queue on the in-process write lock, so running their statements inline
loses no concurrency, while readers keep aiosqlite's threads so a long report never stalls the
event loop.

The objects implement the subset of aiosqlite's interface that SQLAlchemy's ``aiosqlite``
dialect calls (``create_async_engine(..., async_creator=...)``).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy.exc import DBAPIError


def execute_raw(
    raw: sqlite3.Connection, sql: str, parameters: Sequence[Any] = ()
) -> sqlite3.Cursor:
    """``raw.execute`` raising what SQLAlchemy raises for the same failure (``IntegrityError``,
    ``OperationalError`` for "database is locked" ...), parameters hidden from the message."""
    try:
        return raw.execute(sql, parameters)
    except sqlite3.Error as error:
        raise DBAPIError.instance(
            sql, list(parameters), error, sqlite3.Error, hide_parameters=True, ismulti=False
        ) from error


class _InlineQueue:
    """Stands in for aiosqlite's job queue (SQLAlchemy uses it to set ``isolation_level``)."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as error:  # handed to the awaiting caller
            if future is not None:
                future.set_exception(error)
            return
        if future is not None:
            future.set_result(result)


class InlineCursor:
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Any = None) -> InlineCursor:
        if parameters is None:
            self._cursor.execute(sql)
        else:
            self._cursor.execute(sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> InlineCursor:
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        if size is None:
            return self._cursor.fetchmany()
        return self._cursor.fetchmany(size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    async def setinputsizes(self, *_sizes: Any) -> None:
        return None

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class InlineConnection:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection: sqlite3.Connection | None = connection
        self._tx = _InlineQueue()

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._connection is None:
            raise ValueError("no active connection")
        return self._connection

    @property
    def raw(self) -> sqlite3.Connection:
        """The sqlite3 connection itself (``yingshang.prepared`` runs statements on it)."""
        return self._conn

    def cursor(self) -> InlineCursor:
        return InlineCursor(self._conn.cursor())

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> InlineCursor:
        return await self.cursor().execute(sql, parameters)

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> InlineCursor:
        return await self.cursor().executemany(sql, parameters)

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._conn.isolation_level = value  # type: ignore[assignment]

    @property
    def total_changes(self) -> int:
        return self._conn.total_changes


def inline_connector(database: str) -> Callable[[], Any]:
    """An ``async_creator`` for ``create_async_engine`` opening ``database`` inline."""

    async def connect() -> InlineConnection:
        # The pool may close a connection from the garbage collector's thread.
        return InlineConnection(sqlite3.connect(database, check_same_thread=False))

    return connect
