"""The backup procedures of deploy/README.md, run for real: a service database on PostgreSQL
(``pg_dump -Fc`` → ``pg_restore`` into a new database) and on SQLite (``sqlite3 .backup``), and
the JetStream store (a stopped node's store directory archived, restored under a new node).
Each restore must hold the data written before the backup."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import uuid
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import nats
import pytest
from nats.js.api import StreamConfig

from yingshang.db import Database
from yingshang.events.envelope import make_event
from yingshang.migrate import upgrade
from yingshang.settings import COUNTY_FILE
from yingshang.testing import NatsProcess
from yingshang.testing.databases import pg_admin, postgres_admin_url, run_sync, with_database
from ys_ratings.access import resolve_center
from ys_ratings.app import SERVICE_DIR
from ys_ratings.intake.payloads import TicketRevisited
from ys_ratings.ratings.sources import record_revisit

REVISITED = "ys.hotline.ticket.revisited"


def revisit() -> dict[str, Any]:
    return {
        "case_id": str(uuid.uuid4()),
        "case_number": "RX20261127-00001",
        "department": "SCJGJ",
        "origin_client": None,
        "level": 5,
        "staff_no": "RX1001",
        "comment": "办得很快",
        "revisited_at": "2026-11-27T02:00:00Z",
        "rater_type": "person",
    }


async def rate(url: str, payload: dict[str, Any]) -> None:
    """A rating written by the ratings consumer's own handler."""
    db = Database(url)
    try:
        event = make_event("hotline", REVISITED, payload, subject="ticket/1")
        async with db.write() as session:
            payload_in = TicketRevisited.model_validate(payload)
            await record_revisit(session, event, payload_in, resolve_center(COUNTY_FILE))
    finally:
        await db.dispose()


def need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} is not installed (Debian: postgresql-client / sqlite3)")
    return found


async def ratings_in(url: str) -> list[tuple[str, int, str]]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT case_id::text, level, comment FROM ratings_ratings")
    finally:
        await conn.close()
    return [(r[0], r[1], r[2]) for r in rows]


@pytest.mark.postgres
def test_pg_dump_and_pg_restore_bring_back_a_service_database(tmp_path: Path) -> None:
    admin_url = postgres_admin_url()
    assert admin_url is not None
    tag = secrets.token_hex(3)
    source, target = f"ys_bk_{tag}", f"ys_bk_{tag}_restored"
    run_sync(pg_admin(admin_url, f'CREATE DATABASE "{source}"', f'CREATE DATABASE "{target}"'))
    try:
        source_url = with_database(admin_url, source)
        upgrade(SERVICE_DIR, source_url)
        payload = revisit()
        run_sync(rate(source_url, payload))

        dump = tmp_path / "ratings.dump"
        pg_dump, pg_restore = need("pg_dump"), need("pg_restore")
        subprocess.run(
            [pg_dump, "--format=custom", f"--file={dump}", "--dbname", source_url], check=True
        )
        target_url = with_database(admin_url, target)
        subprocess.run(
            [pg_restore, "--no-owner", "--exit-on-error", "--dbname", target_url, str(dump)],
            check=True,
        )
        run_sync(pg_admin(admin_url, f'DROP DATABASE "{source}" WITH (FORCE)'))  # the loss

        assert run_sync(ratings_in(target_url)) == [(payload["case_id"], 5, "办得很快")]
        upgrade(SERVICE_DIR, target_url)  # the restored schema is at head: nothing to do
    finally:
        run_sync(
            pg_admin(
                admin_url,
                f'DROP DATABASE IF EXISTS "{source}" WITH (FORCE)',
                f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)',
            )
        )


def test_sqlite_online_backup_brings_back_a_service_database(tmp_path: Path) -> None:
    live, copy = tmp_path / "ratings.sqlite3", tmp_path / "backup" / "ratings.sqlite3"
    copy.parent.mkdir()
    upgrade(SERVICE_DIR, f"sqlite:///{live}")
    payload = revisit()
    asyncio.run(rate(f"sqlite:///{live}", payload))

    # The online backup API (safe while the service writes), as the sqlite3 shell runs it.
    subprocess.run([need("sqlite3"), str(live), f".backup '{copy}'"], check=True)
    live.unlink()

    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute("SELECT case_id, level, comment FROM ratings_ratings").fetchall()
    finally:
        conn.close()
    assert [(str(uuid.UUID(r[0])), r[1], r[2]) for r in rows] == [
        (payload["case_id"], 5, "办得很快")
    ]


async def publish(url: str, count: int) -> None:
    nc = await nats.connect(url)
    try:
        js = nc.jetstream(timeout=10)
        await js.add_stream(StreamConfig(name="YS_HOTLINE", subjects=["ys.hotline.>"]))
        for n in range(count):
            await js.publish("ys.hotline.ticket.created", f"ticket {n}".encode())
    finally:
        await nc.close()


async def read_all(url: str) -> list[str]:
    nc = await nats.connect(url)
    try:
        js = nc.jetstream(timeout=10)
        sub = await js.pull_subscribe("ys.hotline.>", durable="restore-check")
        seen: list[str] = []
        while True:
            try:
                batch = await sub.fetch(100, timeout=2)
            except nats.errors.TimeoutError:
                return seen
            for message in batch:
                seen.append(message.data.decode())
                await message.ack()
    finally:
        await nc.close()


@pytest.mark.nats
def test_jetstream_store_archive_restores_under_a_new_node(tmp_path: Path) -> None:
    node = NatsProcess(tmp_path / "node" / "store").start()
    try:
        run_sync(publish(node.url, 25))
    finally:
        node.stop()  # a clean stop flushes the store (or snapshot the volume of a stopped node)
    archive = tmp_path / "jetstream.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(node.store_dir, arcname="store")
    shutil.rmtree(node.store_dir)  # the machine is gone

    restored_root = tmp_path / "restored"
    with tarfile.open(archive) as tar:
        tar.extractall(restored_root, filter="data")
    fresh = NatsProcess(restored_root / "store").start()
    try:
        seen = run_sync(read_all(fresh.url))
    finally:
        fresh.stop()
    assert seen == [f"ticket {n}" for n in range(25)]
