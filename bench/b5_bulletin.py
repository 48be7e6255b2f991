"""B5: the live monthly bulletin (月通报) of an open month holding 1,000,000 ratings.

Standalone: ``python bench/b5_bulletin.py [--rows 1000000] [--postgres URL]``.
Migrates a fresh svc-ratings database (the service's own migrations), fills one month with
``--rows`` rating rows in SQL (column names from the service's ``Rating`` model; 30
departments, 20 windows, 397 staff numbers, levels mostly 5 with 2 % 差评) and a
rectification for every 差评, then asks the running app for the bulletin over HTTP
(in-process ASGI) several times. Nothing is pre-aggregated: every request groups the rating
rows (one scan of the covering index). Targets: ≤ 2 s on SQLite, ≤ 1 s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shutil
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import func, select, text

from yingshang.migrate import upgrade
from yingshang.testing.databases import pg_admin, with_database
from yingshang.testing.tokens import TestIssuer
from ys_ratings.app import SERVICE_DIR, create_app
from ys_ratings.ratings.models import Rating
from ys_ratings.rectifications.models import Rectification
from ys_ratings.settings import Settings

MONTH = "2026-10"
START_UTC = "2026-09-30 16:00:00"  # 2026-10-01 00:00 Asia/Shanghai
MONTH_SECONDS = 31 * 86400
RUNS = 5
LEVEL_STEPS = ((85, 5), (95, 4), (98, 3), (99, 2))


def _level(i: str) -> str:
    """Levels by a pseudo-random residue: 85 % 5, 10 % 4, 3 % 3, 1 % 2, 1 % 1."""
    r = f"((({i} * 2654435761) % 1000003) % 100)"
    steps = " ".join(f"WHEN {r} < {bound} THEN {level}" for bound, level in LEVEL_STEPS)
    return f"CASE {steps} ELSE 1 END"


def rating_values(sqlite: bool) -> dict[str, str]:
    """SQL expression per column of ``ratings_ratings`` for row number ``n.i``."""
    new_id = "lower(hex(randomblob(16)))" if sqlite else "gen_random_uuid()"
    offset = f"(n.i % {MONTH_SECONDS})"
    at = (
        f"strftime('%Y-%m-%d %H:%M:%f', '{START_UTC}', '+' || {offset} || ' seconds')"
        if sqlite
        else f"timestamptz '{START_UTC}+00' + {offset} * interval '1 second'"
    )
    false = "0" if sqlite else "false"
    staff = "((n.i * 13) % 397)"
    values = {
        "id": new_id, "case_id": new_id, "service": "'approvals'", "case_kind": "'application'",
        "case_number": "'B5-' || n.i", "node": "'finish'", "node_at": at,
        # Each 工号 sits at one window of one department, as in the hall.
        "department": f"'D' || ({staff} % 30)", "window": f"'HALL_COUNTY/W' || ({staff} % 20)",
        "staff_no": f"'S' || {staff}", "item_name": "'bench item'",
        "service_channel": "'window'",
        "channel": "'sms'", "rater_type": "'person'", "level": _level("n.i"), "scores": "'{}'",
        "rater_key": "'applicant'", "rated_at": at, "month": f"'{MONTH}'", "excluded": false,
        "source": "'invitation'", "created_at": at,
    }  # fmt: skip
    columns = [c.name for c in Rating.__table__.columns]
    return {c: values.get(c, "NULL") for c in columns}


def rectification_values(sqlite: bool) -> dict[str, str]:
    new_id = "lower(hex(randomblob(16)))" if sqlite else "gen_random_uuid()"
    true, false = ("1", "0") if sqlite else ("true", "false")
    values = {
        "id": new_id, "number": "'ZG-' || r.case_number", "rating_id": "r.id",
        "state": "'closed'", "service": "r.service", "case_number": "r.case_number",
        "department": "r.department", "window": 'r."window"', "staff_no": "r.staff_no",
        "month": "r.month", "level": "r.level",
        "called_back_at": "CASE WHEN length(r.case_number) % 10 = 0 THEN NULL ELSE r.rated_at END",
        "overdue": false, "excluded": false,
        "on_time": f"CASE WHEN length(r.case_number) % 5 = 0 THEN {false} ELSE {true} END",
        "created_at": "r.rated_at", "updated_at": "r.rated_at", "version": "1",
    }  # fmt: skip
    columns = [c.name for c in Rectification.__table__.columns]
    return {c: values.get(c, "NULL") for c in columns}


def quoted(columns: dict[str, str]) -> str:
    """Column names quoted (``window`` is a reserved word in PostgreSQL)."""
    return ", ".join(f'"{name}"' for name in columns)


def fill_sql(rows: int, sqlite: bool) -> list[str]:
    ratings, rects = rating_values(sqlite), rectification_values(sqlite)
    series = (
        f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) "  # noqa: S608
        if sqlite
        else ""
    )
    source = "n" if sqlite else f"generate_series(1, {rows}) AS n(i)"
    # Bench-only SQL built from the model's own column names and constants.
    return [
        f"{series}INSERT INTO ratings_ratings ({quoted(ratings)}) "  # noqa: S608
        f"SELECT {', '.join(ratings.values())} FROM {source}",
        f"INSERT INTO ratings_rectifications ({quoted(rects)}) "  # noqa: S608
        f"SELECT {', '.join(rects.values())} FROM ratings_ratings r WHERE r.level <= 2",
    ]


async def populate(app_db: object, rows: int) -> float:
    db = app_db  # yingshang.db.Database
    began = time.perf_counter()
    async with db.write() as session:  # type: ignore[attr-defined]
        for statement in fill_sql(rows, db.is_sqlite):  # type: ignore[attr-defined]
            await session.execute(text(statement))
    async with db.engine.connect() as conn:  # type: ignore[attr-defined]
        if db.is_sqlite:  # type: ignore[attr-defined]
            await conn.execute(text("ANALYZE"))
            await conn.commit()
        else:
            # Autovacuum would have run on a live database: without it the visibility map is
            # empty and the index-only scan fetches every heap row.
            live = await conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in ("ratings_ratings", "ratings_rectifications"):
                await live.execute(text(f"VACUUM (ANALYZE) {table}"))
    if db.is_sqlite:  # type: ignore[attr-defined]
        # A live database is checkpointed all along; one bulk insert leaves it all in WAL.
        await asyncio.to_thread(checkpoint, db.url.split("///", 1)[1])  # type: ignore[attr-defined]
    return time.perf_counter() - began


def checkpoint(path: str) -> None:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


async def counts(db: object) -> tuple[int, int]:
    async with db.read() as session:  # type: ignore[attr-defined]
        ratings = await session.scalar(select(func.count()).select_from(Rating))
        rects = await session.scalar(select(func.count()).select_from(Rectification))
        return int(ratings or 0), int(rects or 0)


async def run(url: str, rows: int, scratch: Path, target: float) -> None:
    issuer = TestIssuer()
    settings = Settings(env="test", database_url=url, var_dir=scratch, workers_enabled=False)
    app = create_app(settings)
    app.state.verifier = issuer.verifier()
    headers = issuer.headers(("BUREAU", "staff"), staff_no="B5")
    async with app.router.lifespan_context(app):
        seconds = await populate(app.state.db, rows)
        ratings, rects = await counts(app.state.db)
        print(f"populated {ratings:,} ratings and {rects:,} rectifications in {seconds:.1f} s")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://b5", timeout=120
        ) as client:
            timings = []
            for _ in range(RUNS):
                began = time.perf_counter()
                response = await client.get(
                    "/api/v1/ratings/reports/monthly", params={"month": MONTH}, headers=headers
                )
                timings.append(time.perf_counter() - began)
                response.raise_for_status()
        body = response.json()
        total = body["total"]
        print(
            f"bulletin lines: {len(body['departments'])} departments, {len(body['windows'])} "
            f"windows, {len(body['staff'])} staff; county {total['count']:,} ratings, good "
            f"{total['county_good_rate']} % (county rule) / {total['national_good_rate']} % "
            f"(national), 差评 {total['bad']:,}"
        )
        median = statistics.median(timings)
        verdict = "met" if median <= target else "missed"
        print(
            f"B5 live bulletin, open month of {ratings:,} ratings: first {timings[0]:.3f} s, "
            f"median {median:.3f} s, best {min(timings):.3f} s over {RUNS} requests "
            f"(target ≤ {target:g} s) {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", metavar="URL", help="admin URL; a throwaway database is made")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="ys-b5-"))
    if args.postgres:
        name = f"ys_b5_{uuid.uuid4().hex[:8]}"  # a throwaway database
        asyncio.run(pg_admin(args.postgres, f'CREATE DATABASE "{name}"'))
        url = with_database(args.postgres, name)
    else:
        url = f"sqlite:///{scratch / 'b5.sqlite3'}"
    print(f"B5 live bulletin on {'PostgreSQL' if args.postgres else 'SQLite'}")
    try:
        upgrade(SERVICE_DIR, url)
        asyncio.run(run(url, args.rows, scratch, 1.0 if args.postgres else 2.0))
    finally:
        if args.postgres:
            asyncio.run(pg_admin(args.postgres, f'DROP DATABASE "{name}" WITH (FORCE)'))
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
