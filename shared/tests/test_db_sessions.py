"""A request's read session: made on first use, always ended, its connection given back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.db import Database, SessionDep, TransactionalRoute


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'sessions.sqlite3'}")
    async with database.write() as session:
        await session.execute(text("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)"))
        await session.execute(text("INSERT INTO item (name) VALUES ('a'), ('b')"))
    yield database
    await database.dispose()


def _checked_out(db: Database) -> int:
    return int(db.engine.sync_engine.pool.checkedout())  # type: ignore[attr-defined]


async def test_a_read_that_ran_a_query_rolls_back_and_gives_its_connection_back(
    db: Database,
) -> None:
    async with db.read() as session:
        assert (await session.execute(text("SELECT count(*) FROM item"))).scalar_one() == 2
        assert session.in_transaction()
        assert _checked_out(db) == 1
    assert not session.in_transaction()
    assert _checked_out(db) == 0
    async with db.peek() as session:
        assert (await session.execute(text("SELECT count(*) FROM item"))).scalar_one() == 2
    assert not session.in_transaction()


async def test_a_read_that_ran_nothing_ends_without_a_connection(db: Database) -> None:
    async with db.read() as session:
        pass
    assert not session.in_transaction()
    assert _checked_out(db) == 0


async def _failing_read(db: Database, seen: list[AsyncSession]) -> None:
    async with db.read() as session:
        seen.append(session)
        await session.execute(text("SELECT 1"))
        raise RuntimeError("handler failed")


async def test_a_read_ended_by_an_error_still_gives_its_connection_back(db: Database) -> None:
    seen: list[AsyncSession] = []
    with pytest.raises(RuntimeError):
        await _failing_read(db, seen)
    assert not seen[0].in_transaction()
    assert _checked_out(db) == 0


def _app(db: Database) -> tuple[FastAPI, list[object]]:
    seen: list[object] = []
    api = APIRouter(route_class=TransactionalRoute)

    @api.get("/plain")
    async def plain(request: Request) -> dict[str, bool]:
        seen.append(getattr(request.state, "db_session", None))
        return {"ok": True}

    @api.get("/count")
    async def count(session: SessionDep) -> dict[str, int]:
        seen.append(session)
        return {"n": (await session.execute(text("SELECT count(*) FROM item"))).scalar_one()}

    app = FastAPI()
    app.state.db = db
    app.include_router(api)
    return app, seen


async def test_a_read_request_gets_its_session_only_when_it_asks(db: Database) -> None:
    app, seen = _app(db)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/plain")).json() == {"ok": True}
        assert seen == [None]  # no session was made for a handler that never asked
        assert (await client.get("/count")).json() == {"n": 2}
        session = seen[1]
        assert session is not None
        assert not session.in_transaction()  # type: ignore[attr-defined]
        assert _checked_out(db) == 0
        assert (await client.get("/count")).json() == {"n": 2}
        assert seen[2] is not session  # one session per request
