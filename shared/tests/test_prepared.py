"""Prepared statements store and read values exactly as SQLAlchemy does, inside the session's
transaction, on the inline SQLite writer (straight on sqlite3) and elsewhere (Core)."""

from __future__ import annotations

import enum
import itertools
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from conftest_kit import KIT_DIR
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from yingshang import prepared
from yingshang.cases.timeline import TimelineEntry
from yingshang.db import Database
from yingshang.events.outbox import OutboxEvent
from yingshang.prepared import Prepared, _Compiled, _split_at_marks, column_values, insert_row
from yingshang.testing.plugin import MigratedDb

T = TimelineEntry.__table__
INSERT = insert_row(TimelineEntry)
BY_KIND = Prepared(
    select(T.c.id, T.c.case_id, T.c.at, T.c.data, T.c.action)
    .where(T.c.case_kind == bindparam("kind"), T.c.action.in_(["open", "sign"]))
    .order_by(T.c.at)
)
AT = datetime(2026, 11, 26, 8, 30, 15, 123456, tzinfo=UTC)


def entry(action: str = "open", **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": uuid.uuid4(), "case_kind": "ticket", "case_id": uuid.uuid4(), "at": AT,
        "action": action, "from_state": None, "to_state": "received", "actor": "u1",
        "actor_name": None, "staff_no": None, "position_dept": None, "position_role": None,
        "note": "受理", "data": {"due_at": "2026-12-01", "n": [1, 2]}, "event_id": None,
    }  # fmt: skip
    return {**values, **extra}


async def test_values_round_trip_typed_and_equal_to_the_orm(migrated_db: MigratedDb) -> None:
    db = Database(migrated_db(KIT_DIR))
    first, second, other = entry(), entry("sign"), entry("close")
    try:
        async with db.write() as session:
            for values in (first, second, other):
                assert await INSERT.run(session, **values) == 1
            rows = await BY_KIND.all(session, kind="ticket")
        assert {r[0] for r in rows} == {first["id"], second["id"]}  # the IN list holds
        row = next(r for r in rows if r[0] == first["id"])
        assert row == (first["id"], first["case_id"], AT, first["data"], "open")
        async with db.read() as session:  # committed, and the ORM reads what was stored
            stored = await session.get(TimelineEntry, first["id"])
            assert stored is not None
            assert (stored.case_id, stored.at, stored.data, stored.note) == (
                first["case_id"], AT, first["data"], "受理",
            )  # fmt: skip
            assert await BY_KIND.all(session, kind="ticket") == rows  # the Core path agrees
            assert await BY_KIND.first(session, kind="none") is None
    finally:
        await db.dispose()


async def _insert_then_fail(db: Database) -> None:
    async with db.write() as session:
        await INSERT.run(session, **entry())
        raise RuntimeError("the handler failed")


async def _insert_twice(db: Database, values: dict[str, Any]) -> None:
    async with db.write() as session:
        await INSERT.run(session, **entry())
        await INSERT.run(session, **values)
        await INSERT.run(session, **values)  # the same id twice


async def test_they_roll_back_with_the_transaction(migrated_db: MigratedDb) -> None:
    db = Database(migrated_db(KIT_DIR))
    try:
        with pytest.raises(RuntimeError):
            await _insert_then_fail(db)
        async with db.read() as session:
            assert await BY_KIND.all(session, kind="ticket") == []
    finally:
        await db.dispose()


async def test_a_read_sees_pending_orm_rows(migrated_db: MigratedDb) -> None:
    db = Database(migrated_db(KIT_DIR))
    values = entry()
    try:
        async with db.write() as session:
            session.add(TimelineEntry(**values))  # not flushed yet
            assert [r[0] for r in await BY_KIND.all(session, kind="ticket")] == [values["id"]]
    finally:
        await db.dispose()


async def test_errors_are_sqlalchemys_and_nothing_is_half_written(
    migrated_db: MigratedDb,
) -> None:
    db = Database(migrated_db(KIT_DIR))
    values = entry()
    try:
        with pytest.raises(IntegrityError):
            await _insert_twice(db, values)
        async with db.write() as session:
            with pytest.raises(
                SQLAlchemyError, match="value is required for bind parameter 'note'"
            ):
                await INSERT.run(session, **{k: v for k, v in values.items() if k != "note"})
        async with db.read() as session:
            assert await BY_KIND.all(session, kind="ticket") == []
    finally:
        await db.dispose()


async def test_scalar_and_column_values_of_a_mapped_object(migrated_db: MigratedDb) -> None:
    db = Database(migrated_db(KIT_DIR))
    event = OutboxEvent(
        event_id="e1", subject="ys.kit.case.created", case_key="case/1", payload={"a": 1},
        created_at=AT, sent_at=None, attempts=0, last_error=None, claimed_by=None,
        claimed_until=None,
    )  # fmt: skip
    o = OutboxEvent.__table__
    pending = Prepared(
        select(o.c.subject).where(o.c.sent_at.is_(None), o.c.event_id == bindparam("e"))
    )
    try:
        async with db.write() as session:
            await insert_row(OutboxEvent, without=("seq",)).run(
                session, **column_values(event, without=("seq",))
            )
            assert await pending.scalar(session, e="e1") == "ys.kit.case.created"
            assert await pending.scalar(session, e="e2") is None
    finally:
        await db.dispose()


class Action(enum.StrEnum):
    OPEN = "open"
    SIGN = "sign"


BY_NOTE = Prepared(
    select(T.c.id, T.c.note, T.c.event_id)
    .where(T.c.note == bindparam("note"), T.c.action.in_([Action.OPEN, Action.SIGN]))
    .order_by(T.c.id)
)


async def test_none_values_are_nulls_and_enum_constants_plain_text(
    migrated_db: MigratedDb,
) -> None:
    """``None`` goes into the SQL text as NULL on the SQLite writer: stored as NULL, compared
    as a bound NULL would be (never equal), and each pattern of NULLs is one SQL text."""
    db = Database(migrated_db(KIT_DIR))
    with_none, with_note = entry(note=None), entry("sign", note="签收", event_id="e1")
    try:
        async with db.write() as session:
            for values in (with_none, with_note, entry(note=None)):
                await INSERT.run(session, **values)
            assert [r[0] for r in await BY_NOTE.all(session, note="签收")] == [with_note["id"]]
            assert await BY_NOTE.all(session, note=None) == []  # = NULL matches nothing
            compiled = BY_NOTE._sqlite  # None when the backend is PostgreSQL (Core path)
            if compiled is not None:
                null_note = compiled.sql.replace("note = ?", "note = NULL")
                assert list(compiled.variants.values()) == [null_note]
                in_list = next(v for v in compiled.defaults.values() if isinstance(v, list))
                assert in_list == ["open", "sign"]
                assert [type(v) for v in in_list] == [str, str]  # not Action members
        async with db.read() as session:
            stored = await session.get(TimelineEntry, with_none["id"])
            assert stored is not None
            assert (stored.note, stored.event_id, stored.actor_name) == (None, None, None)
            noted = await session.get(TimelineEntry, with_note["id"])
            assert noted is not None
            assert noted.event_id == "e1"
    finally:
        await db.dispose()


@pytest.mark.parametrize(
    ("sql", "pieces"),
    [
        (
            "SELECT a FROM t WHERE b = ? AND c IN (?, ?)",
            ("SELECT a FROM t WHERE b = ", " AND c IN (", ", ", ")"),
        ),
        (
            "SELECT '?', \"x?\", [y?], `z?` FROM t WHERE b = ?",
            ("SELECT '?', \"x?\", [y?], `z?` FROM t WHERE b = ", ""),
        ),
        (
            "SELECT 'it''s ?' /* ? */ FROM t -- ?\nWHERE b = ?",
            ("SELECT 'it''s ?' /* ? */ FROM t -- ?\nWHERE b = ", ""),
        ),
        ("SELECT 'open ?", ()),
        ("SELECT 1 /* open", ()),
    ],
)
def test_parameter_marks_are_found_outside_quotes_and_comments(
    sql: str, pieces: tuple[str, ...]
) -> None:
    assert _split_at_marks(sql) == pieces


def test_a_statement_keeps_a_bounded_number_of_null_patterns() -> None:
    compiled = _Compiled(
        sql="INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", slots=(), defaults={}, results=(),
        processes_results=False, pieces=("INSERT INTO t VALUES (", *[", "] * 5, ")"),
    )  # fmt: skip
    assert compiled.with_nulls((0, 5)) == "INSERT INTO t VALUES (NULL, ?, ?, ?, ?, NULL)"
    for size in (1, 2, 3, 4):  # 6 + 15 + 20 + 15 patterns: 56 in all
        for pattern in itertools.combinations(range(6), size):
            compiled.with_nulls(pattern)
    assert len(compiled.variants) == prepared.NULL_VARIANTS
    assert compiled.with_nulls((0, 1, 2, 3, 4)) is None  # a new pattern: bound as usual
    assert compiled.with_nulls((0, 5)) == "INSERT INTO t VALUES (NULL, ?, ?, ?, ?, NULL)"
