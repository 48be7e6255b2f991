"""Append-only, tamper-evident audit log (网络安全法 art. 21, 等保 2.0: kept ≥ 6 months).

Each row of ``ys_audit`` carries ``hash = SHA-256(canonical row + prev_hash)``, the previous
row's hash included, so editing, inserting or deleting a row in the middle breaks every later
link; :func:`verify` walks the chain and names the first broken ``seq``. What the chain cannot
show on its own is the removal of the newest rows: anchor it by publishing :func:`head`
(seq + hash) somewhere else, e.g. in the monthly bulletin.

Appends serialise: on PostgreSQL a transaction-level advisory lock is taken before reading
the last hash (held to commit); on SQLite the single writer already serialises. Rows are
written in the caller's transaction (:func:`record`). Reads of unmasked personal data happen in
GET routes, which have only a read session: :func:`record_unmasked_read` commits its own short
write transaction — call it from GET routes only (inside a write route, use :func:`record` with
the request's session; a second write transaction there would wait for the first on SQLite);
so does :func:`record_search`, for a list searched by a person's phone.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from yingshang.auth import Position, Principal
from yingshang.clock import now
from yingshang.db import Database, PlumbingBase, UTCDateTime
from yingshang.observability import request_id_var

GENESIS = "0" * 64
# pg_advisory_xact_lock key of the audit chain ("ysaudit" in ASCII).
ADVISORY_LOCK_KEY = 0x79736175646974
READ_UNMASKED = "personal_data.read_unmasked"
# a list searched by a person's data (a phone): which cases it named, not the value searched
SEARCHED = "personal_data.search"
_VERIFY_BATCH = 1000


class AuditEntry(PlumbingBase):
    __tablename__ = "ys_audit"
    __table_args__ = (Index("ix_ys_audit_object", "object_kind", "object_id"),)

    # Assigned by record() (last + 1, under the lock), never by the database.
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(120))  # token sub, or "system:<component>"
    staff_no: Mapped[str | None] = mapped_column(String(40))  # 工号
    position: Mapped[str | None] = mapped_column(String(90))  # "<dept>:<role>" acted as
    action: Mapped[str] = mapped_column(String(80))
    object_kind: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(80))
    request_id: Mapped[str | None] = mapped_column(String(128))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _plain(detail: dict[str, Any] | None) -> dict[str, Any]:
    """``detail`` as it will read back from the JSON column (UUIDs, dates → strings)."""
    plain: dict[str, Any] = json.loads(_canonical(detail or {}))
    return plain


def entry_hash(entry: AuditEntry) -> str:
    """SHA-256 over the canonical JSON of the row's fields and ``prev_hash``."""
    fields = {
        "seq": entry.seq,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "staff_no": entry.staff_no,
        "position": entry.position,
        "action": entry.action,
        "object_kind": entry.object_kind,
        "object_id": entry.object_id,
        "request_id": entry.request_id,
        "detail": entry.detail,
        "prev_hash": entry.prev_hash,
    }
    return hashlib.sha256(_canonical(fields).encode()).hexdigest()


async def _lock_chain(session: AsyncSession) -> None:
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY})


async def head(session: AsyncSession) -> tuple[int, str]:
    """``(seq, hash)`` of the newest row, ``(0, GENESIS)`` for an empty log."""
    row = (
        await session.execute(
            select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        )
    ).first()
    return (row[0], row[1]) if row else (0, GENESIS)


async def record(
    session: AsyncSession,
    *,
    actor: Principal | str,
    action: str,
    object_kind: str | None = None,
    object_id: str | uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
    position: Position | tuple[str, str] | None = None,
    request_id: str | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction (flushed, committed by the caller)."""
    await _lock_chain(session)
    last_seq, last_hash = await head(session)
    entry = AuditEntry(
        seq=last_seq + 1,
        at=now(),
        actor=actor.sub if isinstance(actor, Principal) else actor,
        staff_no=actor.staff_no if isinstance(actor, Principal) else None,
        position=_position_text(position),
        action=action,
        object_kind=object_kind,
        object_id=str(object_id) if object_id is not None else None,
        request_id=request_id or request_id_var.get(),
        detail=_plain(detail),
        prev_hash=last_hash,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    await session.flush()
    return entry


def _position_text(position: Position | tuple[str, str] | None) -> str | None:
    if position is None:
        return None
    dept, role = (position.dept, position.role) if isinstance(position, Position) else position
    return f"{dept}:{role}"


async def record_unmasked_read(
    db: Database,
    principal: Principal,
    obj: tuple[str, str | uuid.UUID],
    fields: Iterable[str],
    reason: str | None = None,
) -> AuditEntry | None:
    """Audit that ``principal`` received ``fields`` of ``obj`` (kind, id) unmasked.

    Commits in its own short write transaction (for GET routes). Nothing is written when
    ``fields`` is empty, so callers can pass ``mask_fields(...).revealed`` unconditionally.
    """
    names = sorted(set(fields))
    if not names:
        return None
    detail: dict[str, Any] = {"fields": names}
    if reason:
        detail["reason"] = reason
    async with db.write() as session:
        return await record(
            session,
            actor=principal,
            action=READ_UNMASKED,
            object_kind=obj[0],
            object_id=obj[1],
            detail=detail,
        )


async def record_search(
    db: Database,
    principal: Principal,
    kind: str,
    fields: Iterable[str],
    found: Iterable[str | uuid.UUID],
) -> AuditEntry:
    """Audit that ``principal`` searched the ``kind`` objects by ``fields`` of a person (e.g.
    the requester's phone) and was shown ``found`` (ids): who looked up whom links a person
    to their cases, as an unmasked read does. The value searched is not kept (an entry names
    fields, never their values). Commits in its own short write transaction (GET routes)."""
    detail = {"fields": sorted(set(fields)), "found": [str(i) for i in found]}
    async with db.write() as session:
        return await record(
            session, actor=principal, action=SEARCHED, object_kind=kind, detail=detail
        )


@dataclass(frozen=True)
class ChainReport:
    """Result of :func:`verify`: ``ok``, rows checked, and the first broken ``seq``."""

    ok: bool
    checked: int
    first_broken: int | None = None
    reason: str | None = None


async def verify(session: AsyncSession) -> ChainReport:
    """Walk the chain in ``seq`` order; the first row that does not link or hash is broken.

    The oldest row present may follow rows purged after the retention period: its
    ``prev_hash`` is then taken as given (it is GENESIS only for ``seq`` 1).
    """
    checked, prev_seq, prev_hash = 0, None, None
    stmt = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=_VERIFY_BATCH)
    async for entry in await session.stream_scalars(stmt):
        problem = _link_problem(entry, prev_seq, prev_hash)
        if problem is not None:
            return ChainReport(False, checked, entry.seq, problem)
        checked, prev_seq, prev_hash = checked + 1, entry.seq, entry.hash
    return ChainReport(True, checked)


def _link_problem(entry: AuditEntry, prev_seq: int | None, prev_hash: str | None) -> str | None:
    if prev_seq is None:
        if entry.seq == 1 and entry.prev_hash != GENESIS:
            return "the first entry does not start from the genesis hash"
    elif entry.seq != prev_seq + 1:
        return f"entries {prev_seq + 1}..{entry.seq - 1} are missing"
    elif entry.prev_hash != prev_hash:
        return "prev_hash does not match the previous entry"
    if entry_hash(entry) != entry.hash:
        return "the entry's content does not match its hash"
    return None
