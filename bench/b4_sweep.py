"""B4: the deadline sweeper at scale — 10,000 due stages among 1,000,000 open ones.

Standalone: ``python bench/b4_sweep.py [--open 1000000] [--due 10000] [--postgres URL]``.
Migrates a fresh database (the deadline engine's sample service), starts two template stages
through the engine (10 working days, default ladder), copies them in SQL into ``--open``
running stages of which ``--due`` are past their due time, then with a frozen clock times:

* the idle sweep (nothing due): one indexed query — target ≤ 20 ms;
* the sweep that commits every event of the due stages (warning, overdue and L1 escalation:
  three events and three timeline rows per stage, in batches) — target ≤ 1 s;
* the same for the next ladder level (L2: one event per stage).

Prints wall-clock figures with the CPU seconds spent (the event loop, and the whole process with
its SQLite driver thread) and the load average: on a shared machine the wall clock follows the
load, the CPU figures do not. Checks the outbox holds exactly the expected events.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.schema import CreateIndex, DropIndex

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "shared" / "tests"))

from load import figure  # bench/ is on sys.path when run as a script
from timesample.kit import POLICIES, SERVICE, SERVICE_DIR

from yingshang import time as deadlines
from yingshang.clock import SHANGHAI, FrozenClock, set_clock
from yingshang.db import Database
from yingshang.events.outbox import OutboxEvent
from yingshang.migrate import upgrade
from yingshang.testing.databases import pg_admin, with_database
from yingshang.time.models import DeadlineStage

START = datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)  # Monday; 10 wd → due Mon 16, 24:00
DUE_AT = datetime(2026, 11, 17, 0, 0, tzinfo=SHANGHAI)
CPU: list[float] = []  # the event-loop thread's CPU seconds per timed sweep
PROC: list[float] = []  # the whole process's (with the SQLite driver thread)
COLUMNS = [c.name for c in DeadlineStage.__table__.columns]


def copy_sql(template: str, count: int, spread_minutes: bool, sqlite: bool) -> str:
    """INSERT … SELECT ``count`` copies of the template row with fresh ids (in SQL: fast)."""
    new_id = "lower(hex(randomblob(16)))" if sqlite else "gen_random_uuid()"
    series = (
        f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) "  # noqa: S608
        if sqlite
        else ""
    )
    source = "n" if sqlite else f"generate_series(1, {count}) AS n(i)"
    shift = (
        (
            "datetime(next_fire_at, '+' || (n.i % 5000) || ' minutes')"
            if sqlite
            else "next_fire_at + (n.i % 5000) * interval '1 minute'"
        )
        if spread_minutes
        else "next_fire_at"
    )
    values = [
        new_id if c in ("id", "case_id") else shift if c == "next_fire_at" else c for c in COLUMNS
    ]
    # Bench-only SQL from the schema's own names and numbers (no outside input).
    return (
        f"{series}INSERT INTO ys_deadline_stages ({', '.join(COLUMNS)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM ys_deadline_stages, {source} "
        f"WHERE ys_deadline_stages.id = '{template}'"
    )


async def populate(db: Database, open_count: int, due_count: int) -> None:
    set_clock(FrozenClock(START))
    async with db.write() as session:
        await deadlines.seed_policies(session, SERVICE, POLICIES)
        due = await start(session)
    set_clock(FrozenClock(START + timedelta(days=7)))  # later start: due a week later
    async with db.write() as session:
        future = await start(session)
    indexes = list(DeadlineStage.__table__.indexes)
    async with db.write() as session:
        await session.execute(text("DELETE FROM ys_outbox"))
        await session.execute(text("DELETE FROM ys_timeline"))
        # Bulk load without the secondary indexes, then build them once (same definitions).
        for index in indexes:
            await session.execute(DropIndex(index))
        for template, count, spread in (
            (due, due_count - 1, False),
            (future, open_count - due_count - 1, True),
        ):
            key = template.id.hex if db.is_sqlite else str(template.id)
            await session.execute(text(copy_sql(key, count, spread, db.is_sqlite)))
        for index in indexes:
            await session.execute(CreateIndex(index))
    if not db.is_sqlite:
        async with db.engine.connect() as conn:
            await conn.execute(text("COMMIT"))
            await conn.execute(text("ANALYZE ys_deadline_stages"))


async def start(session: object) -> deadlines.DeadlineStage:
    case_id = uuid.uuid4()
    return await deadlines.start_stage(
        session,  # type: ignore[arg-type]
        service=SERVICE,
        case_kind="application",
        case_id=case_id,
        case_number=f"B4-{case_id.hex[:8]}",
        department="HALL",
        stage="review",
        actor="bench",
    )


async def count(db: Database, *where: object) -> int:
    async with db.read() as session:
        query = select(func.count()).select_from(DeadlineStage)
        return int((await session.execute(query.where(*where))).scalar_one())  # type: ignore[arg-type]


async def outbox_count(db: Database) -> int:
    async with db.read() as session:
        return int((await session.execute(select(func.count(OutboxEvent.seq)))).scalar_one())


async def timed_sweep(sweeper: deadlines.DeadlineSweeper, at: datetime) -> tuple[float, int]:
    set_clock(FrozenClock(at))
    began, cpu, proc = time.perf_counter(), time.thread_time(), time.process_time()
    events = await sweeper.sweep()
    CPU.append(time.thread_time() - cpu)
    PROC.append(time.process_time() - proc)
    return time.perf_counter() - began, events


async def run(url: str, open_count: int, due_count: int, batch: int) -> None:
    where = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    db = Database(url)
    try:
        began = time.perf_counter()
        await populate(db, open_count, due_count)
        total = await count(db)
        print(f"populated {total:,} open stages in {time.perf_counter() - began:.1f} s")
        sweeper = deadlines.DeadlineSweeper(db, batch_size=batch)
        idle = [(await timed_sweep(sweeper, START + timedelta(days=1)))[0] for _ in range(30)]
        idle_ms = statistics.median(idle) * 1000
        print(figure("B4", f"idle sweep ({where}), median", idle_ms, "ms", 20, higher=False))
        print(
            f"idle sweep (nothing due): median {idle_ms:.2f} ms, max {max(idle) * 1000:.2f} ms; "
            f"CPU median {statistics.median(PROC[-30:]) * 1000:.2f} ms"
        )
        due_time = DUE_AT + timedelta(minutes=1)
        seconds, events = await timed_sweep(sweeper, due_time)
        label = f"due sweep ({where}), {due_count:,} stages, every event committed"
        print(figure("B4", label, seconds, "s", 1, higher=False))
        print(
            f"due sweep: {due_count:,} stages, {events:,} events (warning + overdue + L1) "
            f"committed in {seconds:.3f} s = {events / seconds:,.0f} events/s; "
            f"CPU: event loop {CPU[-1]:.3f} s, process {PROC[-1]:.3f} s"
        )
        seconds2, events2 = await timed_sweep(sweeper, DUE_AT + timedelta(days=1, minutes=1))
        print(
            f"next level: {events2:,} events (L2) committed in {seconds2:.3f} s; "
            f"CPU: event loop {CPU[-1]:.3f} s, process {PROC[-1]:.3f} s"
        )
        idle_after = (await timed_sweep(sweeper, DUE_AT + timedelta(days=1, minutes=2)))[0]
        print(f"idle sweep after: {idle_after * 1000:.2f} ms; CPU {PROC[-1] * 1000:.2f} ms")
        print(f"load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        written = await outbox_count(db)
        expected = due_count * 4
        verdict = "OK" if written == expected == events + events2 else "MISMATCH"
        print(f"outbox rows: {written:,} (expected {expected:,}) -> {verdict}")
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--open", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--postgres", metavar="URL", help="admin URL; a throwaway database is made")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="ys-b4-"))
    if args.postgres:
        name = f"ys_b4_{uuid.uuid4().hex[:8]}"  # a throwaway database
        asyncio.run(pg_admin(args.postgres, f'CREATE DATABASE "{name}"'))
        url = with_database(args.postgres, name)
    else:
        url = f"sqlite:///{scratch / 'b4.sqlite3'}"
    print(f"B4 deadline sweep on {'PostgreSQL' if args.postgres else 'SQLite'}")
    try:
        upgrade(SERVICE_DIR, url)
        asyncio.run(run(url, args.open, args.due, args.batch))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if args.postgres:
            asyncio.run(pg_admin(args.postgres, f'DROP DATABASE "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
