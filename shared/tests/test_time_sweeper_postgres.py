"""Two sweeper processes on one PostgreSQL database: every step of every stage exactly once."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest
from timesample.kit import POLICIES, SERVICE, SERVICE_DIR, outbox, start

from yingshang import time as deadlines
from yingshang.db import Database
from yingshang.migrate import upgrade

PG_URL = os.environ.get("YS_TEST_POSTGRES_URL")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="set YS_TEST_POSTGRES_URL to run PostgreSQL tests"),
]
TESTS_DIR = Path(__file__).resolve().parent


@asynccontextmanager
async def throwaway_database() -> AsyncIterator[str]:
    assert PG_URL
    name = f"ys_time_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(PG_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        base = PG_URL.rsplit("/", 1)[0]
        url = f"{base}/{name}"
        await asyncio.to_thread(upgrade, SERVICE_DIR, url)
        yield url
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@asynccontextmanager
async def sweeper_processes(url: str, stages: int, count: int = 2) -> AsyncIterator[list[int]]:
    """``count`` sweeper processes, ready before the body runs; yields what each emitted."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS_DIR), *sys.path])}
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "timesample.sweep_process",
            url,
            str(stages),
            env=env,
            stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(count)
    ]
    emitted: list[int] = []
    try:
        for proc in procs:
            assert proc.stdout is not None
            assert (await proc.stdout.readline()).strip() == b"ready"
        yield emitted
        for proc in procs:
            out, _ = await proc.communicate()
            assert proc.returncode == 0
            emitted.append(int(out.decode().split()[-1]))
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()


async def test_two_sweeper_processes_emit_each_step_once(tmp_path: Path) -> None:
    async with throwaway_database() as url:
        db = Database(url)
        try:
            async with db.write() as session:
                await deadlines.seed_policies(session, SERVICE, POLICIES)
            async with sweeper_processes(url, 30) as emitted, db.write() as session:
                stages = [
                    await start(session, stage="quick", case_kind="ticket") for _ in range(30)
                ]
            rows = (await outbox(db))[len(stages) :]
        finally:
            await db.dispose()
    steps = [
        (r.payload["data"]["stage_id"], r.subject.rsplit(".", 1)[1], r.payload["data"]["level"])
        for r in rows
    ]
    expected = [
        ("warning", 0),
        ("overdue", 1),
        ("escalated", 1),
        ("escalated", 2),
        ("escalated", 3),
    ]
    assert sorted(steps) == sorted((str(s.id), *step) for s in stages for step in expected)
    assert sum(emitted) == len(steps)
