"""The SQLite writer runs inline on the event loop; readers keep aiosqlite's threads."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import DateTime, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError

from yingshang import db as db_module
from yingshang.db import Database, UTCDateTime
from yingshang.sqlite_inline import InlineConnection


async def _database(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'inline.sqlite3'}")
    async with db.write() as session:
        await session.execute(text("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
    return db


async def _driver(db: Database, *, write: bool) -> object:
    engine = db.write_engine if write else db.engine
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        return raw.driver_connection


async def test_the_writer_is_inline_and_the_reader_threaded(tmp_path: Path) -> None:
    db = await _database(tmp_path)
    try:
        assert isinstance(await _driver(db, write=True), InlineConnection)
        assert not isinstance(await _driver(db, write=False), InlineConnection)
    finally:
        await db.dispose()


async def _fail_after_insert(db: Database) -> None:
    async with db.write() as session:
        await session.execute(text("INSERT INTO item (name) VALUES ('c')"))
        raise RuntimeError("handler failed")


async def test_commit_rollback_and_errors_behave_like_any_driver(tmp_path: Path) -> None:
    db = await _database(tmp_path)
    try:
        async with db.write() as session:
            await session.execute(text("INSERT INTO item (name) VALUES ('a'), ('b')"))
        with pytest.raises(RuntimeError):
            await _fail_after_insert(db)
        with pytest.raises(IntegrityError):
            async with db.write() as session:
                await session.execute(text("INSERT INTO item (name) VALUES ('a')"))
        async with db.read() as session:
            names = (await session.execute(text("SELECT name FROM item ORDER BY id"))).scalars()
            assert list(names) == ["a", "b"]
    finally:
        await db.dispose()


async def test_concurrent_writers_queue_and_all_commit(tmp_path: Path) -> None:
    db = await _database(tmp_path)

    async def write(n: int) -> None:
        async with db.write() as session:
            await session.execute(text("INSERT INTO item (name) VALUES (:n)"), {"n": f"w{n}"})
            await asyncio.sleep(0)  # a real suspension inside the transaction
            await session.execute(text("UPDATE item SET name = name || '!' WHERE name = :n"),
                                  {"n": f"w{n}"})  # fmt: skip

    try:
        await asyncio.gather(*(write(n) for n in range(16)))
        async with db.read() as session:
            count = (await session.execute(text("SELECT count(*) FROM item"))).scalar_one()
            done = await session.execute(text("SELECT count(*) FROM item WHERE name LIKE '%!'"))
        assert count == 16
        assert done.scalar_one() == 16
    finally:
        await db.dispose()


def test_utc_datetimes_are_stored_as_sqlites_own_datetime_text() -> None:
    # UTCDateTime binds in one step on SQLite; the text must be what the two steps (to naive
    # UTC, then SQLite's DATETIME processor) write, or stored values stop comparing equal.
    dialect = sqlite.dialect()
    fast = UTCDateTime().bind_processor(dialect)
    shanghai = timezone(timedelta(hours=8))
    sqlite_text = DateTime().dialect_impl(dialect).bind_processor(dialect)
    assert fast is not None
    assert sqlite_text is not None
    for value in (
        datetime(2026, 11, 27, 6, 27, 3, tzinfo=UTC),
        datetime(2026, 11, 27, 0, 0, 0, 5, tzinfo=shanghai),  # the day before in UTC
        datetime(2026, 11, 27, 6, 27, 3, 123456),  # naive: taken as UTC
        datetime(987, 1, 2, 3, 4, 5, tzinfo=UTC),
    ):
        naive_utc = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        assert fast(value) == sqlite_text(naive_utc), value
    assert fast(None) is None
    assert fast(datetime(2026, 11, 27, 0, 0, tzinfo=shanghai)) == "2026-11-26 16:00:00.000000"


def test_the_text_of_an_instant_is_remembered_and_the_memory_bounded() -> None:
    fast = UTCDateTime().bind_processor(sqlite.dialect())
    assert fast is not None
    shanghai = timezone(timedelta(hours=8))
    instant = datetime(2026, 11, 27, 8, 0, 0, 1, tzinfo=shanghai)
    assert fast(instant) == "2026-11-27 00:00:00.000001"
    # the same instant on another clock face: the same text
    assert fast(instant.astimezone(UTC)) == "2026-11-27 00:00:00.000001"
    # a naive wall time equal in fields is not the same key: taken as UTC, as before
    assert fast(instant.replace(tzinfo=None)) == "2026-11-27 08:00:00.000001"
    for second in range(2000):
        fast(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=second))
    assert len(db_module._SQLITE_TEXT) <= 1024
    # the repeated hour of a zone with daylight saving: equal as keys, an hour apart
    new_york = ZoneInfo("America/New_York")
    first = datetime(2026, 11, 1, 1, 30, tzinfo=new_york)
    second = first.replace(fold=1)
    assert first == second
    assert fast(first) == "2026-11-01 05:30:00.000000"
    assert fast(second) == "2026-11-01 06:30:00.000000"
