"""The database is locked for a moment (another process holds SQLite's write lock past the
busy timeout): requests fail cleanly with 503 problem details, and every creation the service
acknowledged (201) is stored; when the lock goes, writes succeed again."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from typing import Any

import pytest
from sqlalchemy import text

from yingshang.testing import TestIssuer, a_clerk
from ys_hotline.app import SERVICE_DIR, create_app
from ys_hotline.seed import seed
from ys_hotline.settings import Settings

TICKET = {
    "type": "complaint",
    "category_code": "SCJG_FOOD",
    "title": "餐馆卫生问题",
    "content": "某餐馆后厨卫生条件差，存在食品安全隐患，请相关部门核查处理。",
}
HOLD_SECONDS = 11.0  # beyond the 10 s busy timeout of every SQLite connection


def hold_write_lock(path: str, taken: threading.Event, release: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        taken.set()
        release.wait(HOLD_SECONDS)
        conn.execute("ROLLBACK")
    finally:
        conn.close()


async def test_a_locked_database_answers_503_and_loses_nothing_acknowledged(
    service_app: Any, issuer: TestIssuer
) -> None:
    sut = await service_app(create_app, Settings, SERVICE_DIR)
    if not sut.database_url.startswith("sqlite"):
        pytest.skip("a held SQLite write lock is the fault simulated here")
    async with sut.app.state.db.write() as session:
        await seed(session)
    operator = a_clerk("HOTLINE_CENTER").headers(issuer)

    async def create() -> Any:
        return await sut.client.post("/api/v1/hotline/tickets", json=TICKET, headers=operator)

    before = [await create() for _ in range(3)]
    taken, release = threading.Event(), threading.Event()
    path = sut.database_url.split(":///", 1)[1]
    holder = threading.Thread(target=hold_write_lock, args=(path, taken, release))
    holder.start()
    try:
        assert await asyncio.to_thread(taken.wait, 10)
        during = await asyncio.gather(*[create() for _ in range(4)])
    finally:
        release.set()
        await asyncio.to_thread(holder.join)
    after = [await create() for _ in range(3)]

    answers = [*before, *during, *after]
    refused = [a for a in during if a.status_code != 201]
    acknowledged = {a.json()["id"] for a in answers if a.status_code == 201}
    assert refused, "the lock outlived the busy timeout: requests must have been refused"
    for answer in refused:
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert "Traceback" not in answer.text
    assert all(a.status_code == 201 for a in [*before, *after])
    async with sut.app.state.db.read() as session:
        stored = set((await session.scalars(text("SELECT id FROM hotline_tickets"))).all())
    stored = {str(s).replace("-", "") for s in stored}
    lost = {a for a in acknowledged if a.replace("-", "") not in stored}
    print(
        f"database locked: sent={len(answers)} acknowledged={len(acknowledged)} "
        f"refused_503={len(refused)} stored={len(stored)} lost={len(lost)}"
    )
    assert lost == set()
    assert len(stored) == len(acknowledged)
