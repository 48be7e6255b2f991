"""WAL checkpoints on their own thread: they happen and lose nothing, the writer's safety net
is set, the thread ends when idle and comes back, a burst of commits makes few checkpoints,
and a database it cannot open is counted, not raised."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from yingshang.db import Database
from yingshang.sqlite_checkpoint import SAFETY_PAGES, Checkpointer


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    async with database.write() as session:
        await session.execute(text("CREATE TABLE item (id INTEGER PRIMARY KEY, body TEXT)"))
    yield database
    await database.dispose()


def _wal_left(path: Path) -> tuple[int, int]:
    """(frames in the log, frames of it already copied into the database file)."""
    with sqlite3.connect(path) as connection:
        _busy, log, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return log, copied


async def _until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.01)


async def _write(db: Database, rows: int) -> None:
    async with db.write() as session:
        for _ in range(rows):
            await session.execute(text("INSERT INTO item (body) VALUES (:b)"), {"b": "x" * 2000})


async def test_commits_are_checkpointed_by_the_thread_not_the_writer(db: Database) -> None:
    checkpointer = db.checkpointer
    assert checkpointer is not None
    async with db.write() as session:
        setting = (await session.execute(text("PRAGMA wal_autocheckpoint"))).scalar_one()
    assert setting == SAFETY_PAGES  # the writer's own checkpoint is only the safety net
    before = checkpointer.checkpoints
    await _write(db, 200)  # some 100 pages into the log
    await _until(lambda: checkpointer.checkpoints > before)
    assert checkpointer.running
    await asyncio.to_thread(checkpointer.stop)  # ends with one last checkpoint
    assert not checkpointer.running
    log, copied = _wal_left(Path(checkpointer.path))
    assert log == copied  # every frame is in the database file
    async with db.read() as session:  # and nothing was lost on the way
        count = (await session.execute(text("SELECT count(*) FROM item"))).scalar_one()
    assert count == 200


async def test_the_thread_ends_when_idle_and_the_next_commit_starts_it(tmp_path: Path) -> None:
    path = tmp_path / "idle.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE t (x)")
    checkpointer = Checkpointer(str(path), pause=0.01, idle=0.05)
    checkpointer.wake()
    await _until(lambda: checkpointer.checkpoints == 1)
    await _until(lambda: not checkpointer.running)  # idle: gone, connection closed
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO t VALUES (1)")
    checkpointer.wake()
    await _until(lambda: checkpointer.checkpoints == 2)
    log, copied = _wal_left(path)
    assert log == copied
    checkpointer.stop()
    assert not checkpointer.running
    checkpointer.stop()  # stopping a stopped checkpointer does nothing


async def test_many_wakes_make_few_checkpoints(tmp_path: Path) -> None:
    path = tmp_path / "burst.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
    checkpointer = Checkpointer(str(path), pause=0.5, idle=2.0)
    checkpointer.wake()
    await _until(lambda: checkpointer.checkpoints == 1)
    for _ in range(1000):  # a burst of commits within one pause
        checkpointer.wake()
    await asyncio.sleep(0.1)
    assert checkpointer.checkpoints == 1
    checkpointer.stop()
    assert checkpointer.checkpoints == 2  # the last one, on stop


async def test_a_database_it_cannot_open_is_counted_not_raised(tmp_path: Path) -> None:
    checkpointer = Checkpointer(str(tmp_path / "missing" / "dir" / "x.sqlite3"), idle=0.05)
    checkpointer.wake()
    await _until(lambda: checkpointer.failures == 1)
    await _until(lambda: not checkpointer.running)
    assert checkpointer.checkpoints == 0


def test_memory_databases_have_no_checkpointer() -> None:
    assert Database("sqlite:///:memory:").checkpointer is None
    assert Database("postgresql://u@127.0.0.1:1/x").checkpointer is None
