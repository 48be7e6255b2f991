"""The audit log: a hash chain that verifies, and fails at the first row someone edited."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from conftest_kit import CASES, KIT_DIR, bureau, db_of, open_case, operator, start_kit
from sqlalchemy import select, text

from yingshang import audit
from yingshang.audit import GENESIS, AuditEntry, ChainReport
from yingshang.db import Database
from yingshang.observability import request_id_var
from yingshang.testing.plugin import MigratedDb, StartService


async def append(db: Database, n: int, action: str = "case.exported") -> None:
    for i in range(n):
        async with db.write() as session:
            await audit.record(
                session,
                actor=operator.build(),
                action=action,
                object_kind="case",
                object_id=uuid.uuid4(),
                detail={"i": i, "why": "月报", "nested": {"b": 1, "a": [1, 2]}},
                position=("HOTLINE_CENTER", "clerk"),
            )


async def verify(db: Database) -> ChainReport:
    async with db.read() as session:
        return await audit.verify(session)


async def test_the_chain_links_every_entry_to_the_previous(migrated_db: MigratedDb) -> None:
    db = Database(migrated_db(KIT_DIR))
    try:
        assert await verify(db) == ChainReport(ok=True, checked=0)
        token = request_id_var.set("req-42")
        try:
            await append(db, 3)
        finally:
            request_id_var.reset(token)
        async with db.read() as session:
            rows = list((await session.scalars(select(AuditEntry).order_by(AuditEntry.seq))).all())
            assert [r.seq for r in rows] == [1, 2, 3]
            assert rows[0].prev_hash == GENESIS
            assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
            assert {(r.position, r.request_id) for r in rows} == {
                ("HOTLINE_CENTER:clerk", "req-42")
            }
            assert await audit.head(session) == (3, rows[-1].hash)
        assert await verify(db) == ChainReport(ok=True, checked=3)
    finally:
        await db.dispose()


@pytest.mark.parametrize(
    ("statement", "broken", "reason"),
    [
        ("UPDATE ys_audit SET detail = '{\"i\": 9}' WHERE seq = 2", 2, "content"),
        ("UPDATE ys_audit SET actor = 'user:someone-else' WHERE seq = 4", 4, "content"),
        ("DELETE FROM ys_audit WHERE seq = 3", 4, "missing"),
        ("UPDATE ys_audit SET prev_hash = hash WHERE seq = 1", 1, "genesis"),
    ],
)
async def test_editing_the_database_breaks_verification(
    migrated_db: MigratedDb, statement: str, broken: int, reason: str
) -> None:
    db = Database(migrated_db(KIT_DIR))
    try:
        await append(db, 4)
        async with db.write() as session:
            await session.execute(text(statement))
        report = await verify(db)
        assert not report.ok
        assert report.first_broken == broken
        assert reason in (report.reason or "")
    finally:
        await db.dispose()


async def _concurrent_appends(url: str) -> None:
    db = Database(url)
    try:
        await asyncio.gather(*(append(db, 3, f"burst.{n}") for n in range(8)))
        assert await verify(db) == ChainReport(ok=True, checked=24)
    finally:
        await db.dispose()


async def test_concurrent_appends_keep_one_chain(migrated_db: MigratedDb) -> None:
    await _concurrent_appends(migrated_db(KIT_DIR))


@pytest.mark.postgres
async def test_concurrent_appends_keep_one_chain_on_postgres(migrated_db: MigratedDb) -> None:
    # Without pg_advisory_xact_lock two appends would read the same head: a fork, or a
    # primary-key clash on seq.
    await _concurrent_appends(migrated_db(KIT_DIR, backend="postgres"))


async def test_unmasked_reads_are_audited(service_app: StartService) -> None:
    sut = await start_kit(service_app)
    case_id = (await open_case(sut)).json()["id"]
    # A hotline operator sees the full number: audited without being asked.
    full = await sut.client.get(f"{CASES}/{case_id}", headers=operator.headers(sut.issuer))
    assert full.json()["requester_phone"] == "13812345678"
    # The bureau sees it masked (nothing to audit) unless it states a reason.
    masked = await sut.client.get(f"{CASES}/{case_id}", headers=bureau.headers(sut.issuer))
    assert masked.json()["requester_phone"] == "138****5678"
    no_reason = await sut.client.get(
        f"{CASES}/{case_id}/contact", headers=bureau.headers(sut.issuer)
    )
    assert no_reason.status_code == 422
    unmasked = await sut.client.get(
        f"{CASES}/{case_id}/contact",
        params={"reason": "核实投诉人身份"},
        headers=bureau.with_(sub="user:bureau-1").headers(sut.issuer),
    )
    assert unmasked.json() == {"requester_phone": "13812345678"}
    async with db_of(sut).read() as session:
        rows = list((await session.scalars(select(AuditEntry).order_by(AuditEntry.seq))).all())
        assert [(r.action, r.object_id, r.detail) for r in rows] == [
            (audit.READ_UNMASKED, case_id, {"fields": ["requester_phone"]}),
            (
                audit.READ_UNMASKED,
                case_id,
                {"fields": ["requester_phone"], "reason": "核实投诉人身份"},
            ),
        ]
        assert rows[1].actor == "user:bureau-1"
        assert rows[0].request_id == full.headers["x-request-id"]
        assert (await audit.verify(session)).ok


async def test_nothing_revealed_writes_nothing(migrated_db: MigratedDb) -> None:
    db = Database(migrated_db(KIT_DIR))
    try:
        assert await audit.record_unmasked_read(db, operator.build(), ("case", "x"), []) is None
        assert await verify(db) == ChainReport(ok=True, checked=0)
    finally:
        await db.dispose()
