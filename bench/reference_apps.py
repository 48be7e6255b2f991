"""The two reference points of the benchmark issue, rebuilt so they can be measured here.

The targets of B1 and B2 were set on a machine where a bare FastAPI JSON endpoint answered
~9,800 req/s at 32 connections and a naive FastAPI + aiosqlite two-row insert ~480/s at 16.
Machines of the same kind differ by 2-3x between days, so ``b0_reference.py`` measures these
two apps on the machine of the run, and the B2 figure can be read against them.

- ``bare``: ``GET /ping`` → ``{"ok": true}``; nothing else.
- ``naive``: ``POST /items`` with a validated JSON body; opens an aiosqlite connection (SQLite's
  defaults: rollback journal, synchronous=FULL, 5 s busy timeout), inserts the item and an
  event row, commits, closes and answers 201 with the item — the way such an endpoint is
  usually first written, and the likeliest reading of the issue's "naive" app (its code is not
  recorded; its long tail is what writers waiting on each other's locks give).
- ``lean``: the same endpoint on one shared connection opened at start-up, in WAL mode with
  synchronous=NORMAL (the pragmas our services use). The least a two-row insert costs through
  FastAPI here: no idempotency, deadlines, timeline, hints or outbox relay.

Run by uvicorn as factories: ``uvicorn --factory reference_apps:bare`` (``--app-dir bench``);
the database file of the writing apps is ``YS_REFERENCE_DB``.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import aiosqlite
from fastapi import FastAPI
from pydantic import BaseModel, Field

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id TEXT PRIMARY KEY, category TEXT NOT NULL, title TEXT NOT NULL, content TEXT NOT NULL,
    phone TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, item_id TEXT NOT NULL, payload TEXT NOT NULL,
    created_at TEXT NOT NULL);
"""


class Requester(BaseModel):
    name: str = Field(max_length=50)
    phone: str = Field(pattern=r"^1\d{10}$")


class ItemIn(BaseModel):
    type: str = Field(max_length=20)
    category_code: str = Field(max_length=40)
    title: str = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1, max_length=4000)
    requester: Requester


class ItemOut(BaseModel):
    id: str
    category_code: str
    title: str
    created_at: datetime


def bare() -> FastAPI:
    app = FastAPI()

    @app.get("/ping")
    async def ping() -> dict[str, bool]:
        return {"ok": True}

    return app


async def _insert(conn: aiosqlite.Connection, item: ItemIn) -> ItemOut:
    made = ItemOut(id=str(uuid.uuid4()), category_code=item.category_code, title=item.title,
                   created_at=datetime.now(UTC))  # fmt: skip
    stamp = made.created_at.isoformat()
    await conn.execute(
        "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)",
        (made.id, item.category_code, item.title, item.content, item.requester.phone, stamp),
    )
    await conn.execute(
        "INSERT INTO events (item_id, payload, created_at) VALUES (?, ?, ?)",
        (made.id, json.dumps({"type": "created", "id": made.id}), stamp),
    )
    await conn.commit()
    return made


def naive() -> FastAPI:
    path = os.environ["YS_REFERENCE_DB"]

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with aiosqlite.connect(path) as conn:
            await conn.executescript(SCHEMA)
        yield

    app = FastAPI(lifespan=lifespan)

    @app.post("/items", status_code=201)
    async def create(item: ItemIn) -> ItemOut:
        async with aiosqlite.connect(path, timeout=5) as conn:
            return await _insert(conn, item)

    return app


def lean() -> FastAPI:
    path = os.environ["YS_REFERENCE_DB"]
    state: dict[str, aiosqlite.Connection] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        conn = await aiosqlite.connect(path)
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.executescript(SCHEMA)
        state["db"] = conn
        yield
        await conn.close()

    app = FastAPI(lifespan=lifespan)

    @app.post("/items", status_code=201)
    async def create(item: ItemIn) -> ItemOut:
        return await _insert(state["db"], item)

    return app
