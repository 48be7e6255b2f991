"""Two sweeper processes on one PostgreSQL database: every step of every stage exactly once."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import select
from timesample.kit import FIXTURE_2027, POLICIES, SERVICE, SERVICE_DIR, frozen_clock, outbox, start

from yingshang import time as deadlines
from yingshang.clock import SHANGHAI
from yingshang.db import Database
from yingshang.migrate import upgrade
from yingshang.time.models import Policy
from yingshang.time.years import load_year, read_year_file

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


async def test_engine_and_calendar_load_on_postgres() -> None:
    """The row-locking paths (refresh FOR UPDATE, upsert of a year) run only on PostgreSQL."""
    monday = datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)
    async with throwaway_database() as url:
        db = Database(url)
        try:
            async with db.write() as session:
                await deadlines.seed_policies(session, SERVICE, POLICIES)
                with frozen_clock(monday):
                    stage = await start(session)
                paused = monday + timedelta(days=4)  # Friday: three working days used
                await deadlines.pause(session, stage, actor="u", at=paused)
                await deadlines.resume(session, stage, actor="u", at=paused + timedelta(days=5))
                assert stage.remaining == 7
                with frozen_clock(datetime(2026, 12, 28, 10, 0, tzinfo=SHANGHAI)):
                    late = await start(session, stage="handle", case_kind="ticket")
            async with db.write() as session:
                document = read_year_file(FIXTURE_2027)
                loaded = await load_year(session, document, loaded_by="u")
                again = await load_year(session, document, loaded_by="u")
                await deadlines.complete_stage(
                    session, stage.id, actor="u", at=paused + timedelta(days=6)
                )
            async with db.read() as session:
                moved = await deadlines.get_stage(session, late.id)
                assert (moved.due_at, moved.provisional) == (late.due_at + timedelta(days=1), False)
                done = await deadlines.get_stage(session, stage.id)
                assert (done.status, done.on_time) == ("completed", True)
        finally:
            await db.dispose()
    assert (loaded.recomputed, again.changed) == (1, False)


async def test_replicas_seeding_together_insert_each_policy_once() -> None:
    """Start-up seeds are check-then-insert: two replicas on one database take turns."""
    async with throwaway_database() as url:
        replicas = [Database(url), Database(url)]
        entered = asyncio.Barrier(len(replicas))

        async def seed(db: Database) -> int:
            async with db.write() as session:
                await entered.wait()  # both transactions are open before either seeds
                return await deadlines.seed_policies(session, SERVICE, POLICIES)

        try:
            added = await asyncio.gather(*(seed(db) for db in replicas))
            async with replicas[0].read() as session:
                query = select(Policy).where(Policy.service == SERVICE)
                stored = list((await session.execute(query)).scalars())
        finally:
            for db in replicas:
                await db.dispose()
    assert sorted(added) == [0, len(POLICIES)]
    assert len(stored) == len(POLICIES)
