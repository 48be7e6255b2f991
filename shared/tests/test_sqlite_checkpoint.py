"""WAL checkpoints on their own thread: they happen and lose nothing, the writer's safety net
is set, the thread ends when idle and comes back, a burst of commits makes few checkpoints,
and a database it cannot open is counted, not raised."""

from __future__ import annotations

import asyncio
import contextlib
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


def _rows_in_database_file(path: Path, table: str, scratch: Path) -> int:
    """Rows of ``table`` in the database file alone, as if its write-ahead log were lost: a
    copy of the file without its ``-wal`` holds only what checkpoints have copied into it."""
    copy = scratch / f"copy-of-{path.name}"
    copy.write_bytes(path.read_bytes())
    with contextlib.closing(sqlite3.connect(copy)) as connection:
        query = {"item": "SELECT count(*) FROM item", "t": "SELECT count(*) FROM t"}[table]
        count: int = connection.execute(query).fetchone()[0]
    return count


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


async def test_commits_are_checkpointed_by_the_thread_not_the_writer(
    db: Database, tmp_path: Path
) -> None:
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
    # every committed row is in the database file itself, nothing only in the log
    assert _rows_in_database_file(Path(checkpointer.path), "item", tmp_path) == 200


async def test_the_thread_ends_when_idle_and_the_next_commit_starts_it(tmp_path: Path) -> None:
    path = tmp_path / "idle.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA wal_autocheckpoint=0")  # (this connection's own: none)
        connection.execute("CREATE TABLE t (x)")
        connection.commit()
        checkpointer = Checkpointer(str(path), pause=0.01, idle=0.05)
        checkpointer.wake()
        await _until(lambda: checkpointer.checkpoints == 1)
        await _until(lambda: not checkpointer.running)  # idle: gone, connection closed
        connection.execute("INSERT INTO t VALUES (1)")
        connection.commit()
        assert _rows_in_database_file(path, "t", tmp_path) == 0  # only in the log so far
        checkpointer.wake()
        await _until(lambda: checkpointer.checkpoints == 2)
        assert _rows_in_database_file(path, "t", tmp_path) == 1
    checkpointer.stop()
    assert not checkpointer.running
    checkpointer.stop()  # stopping a stopped checkpointer does nothing


async def test_many_wakes_make_few_checkpoints(tmp_path: Path) -> None:
    path = tmp_path / "burst.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
    checkpointer = Checkpointer(str(path), pause=5.0, idle=10.0)
    checkpointer.wake()
    await _until(lambda: checkpointer.checkpoints == 1)
    for _ in range(1000):  # a burst of commits within one pause
        checkpointer.wake()
    await asyncio.sleep(0.2)
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
