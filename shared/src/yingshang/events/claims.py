"""Claiming outbox rows so that relays on several replicas never send one row concurrently.

A claim is a lease: ``claimed_by`` + ``claimed_until``, taken in one short write transaction.
PostgreSQL adds ``FOR UPDATE SKIP LOCKED`` so two relays claiming at once take disjoint rows;
SQLite serialises claims through its single writer (``BEGIN IMMEDIATE`` + the write lock).
A relay that dies keeps its rows only until the lease ends; another relay then takes them and
JetStream's duplicate window (``Nats-Msg-Id``) plus the consumers' inbox absorb the repeat.

Order per case: a row is claimable only if no earlier unsent row of the same ``case_key`` is
outside the claim (held by another relay, backing off after an error, or not yet claimed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Text, delete, func, or_, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import ensure_utc, now
from yingshang.events.outbox import OutboxEvent


@dataclass(slots=True)
class Claimed:
    """One claimed row, ready to publish (``body`` is the stored CloudEvent JSON)."""

    seq: int
    event_id: str
    subject: str
    case_key: str | None
    body: bytes


async def claim(
    session: AsyncSession, owner: str, *, limit: int, lease: timedelta, postgres: bool
) -> list[Claimed]:
    at = now()
    candidates = await _candidates(session, at, limit, postgres)
    rows = await _keep_case_heads(session, candidates)
    if rows:
        await session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.seq.in_([r.seq for r in rows]))
            .values(claimed_by=owner, claimed_until=at + lease, attempts=OutboxEvent.attempts + 1)
        )
    return rows


async def _candidates(
    session: AsyncSession, at: datetime, limit: int, postgres: bool
) -> list[Claimed]:
    o = OutboxEvent
    query = (
        select(o.seq, o.event_id, o.subject, o.case_key, type_coerce(o.payload, Text))
        .where(o.sent_at.is_(None), or_(o.claimed_until.is_(None), o.claimed_until < at))
        .order_by(o.seq)
        .limit(limit)
    )
    if postgres:
        query = query.with_for_update(skip_locked=True, of=o)
    result = await session.execute(query)
    return [Claimed(s, e, subj, k, body.encode()) for s, e, subj, k, body in result.tuples()]


async def _keep_case_heads(session: AsyncSession, rows: list[Claimed]) -> list[Claimed]:
    """Drop rows whose case has an earlier unsent row that is not in ``rows``."""
    keys = {r.case_key for r in rows if r.case_key is not None}
    if not keys:
        return rows
    o = OutboxEvent
    result = await session.execute(
        select(o.case_key, func.min(o.seq))
        .where(o.sent_at.is_(None), o.case_key.in_(keys))
        .group_by(o.case_key)
    )
    heads = dict(result.tuples().all())
    first: dict[str, int] = {}
    for row in rows:
        if row.case_key is not None:
            first.setdefault(row.case_key, row.seq)
    return [r for r in rows if r.case_key is None or heads.get(r.case_key) == first[r.case_key]]


async def mark_sent(session: AsyncSession, seqs: list[int]) -> None:
    if seqs:
        await session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.seq.in_(seqs), OutboxEvent.sent_at.is_(None))
            .values(sent_at=now(), claimed_by=None, claimed_until=None, last_error=None)
        )


async def release(
    session: AsyncSession, seqs: list[int], *, error: str | None, retry_after: float = 0.0
) -> None:
    """Give rows back: at once (``retry_after`` 0) or after a pause for a row-level error."""
    if not seqs:
        return
    values: dict[str, object] = {"claimed_by": None, "claimed_until": None}
    if retry_after > 0:
        values.update(claimed_by="retry", claimed_until=now() + timedelta(seconds=retry_after))
    if error is not None:
        values["last_error"] = error[:2000]
    await session.execute(update(OutboxEvent).where(OutboxEvent.seq.in_(seqs)).values(values))


async def backlog(session: AsyncSession) -> tuple[int, datetime | None]:
    """Unsent rows and the creation time of the oldest one."""
    o = OutboxEvent
    result = await session.execute(
        select(func.count(), func.min(o.created_at)).where(o.sent_at.is_(None))
    )
    count, oldest = result.one()
    return int(count), _aware(oldest)


def _aware(value: datetime | str | None) -> datetime | None:
    # func.min() loses the column type: SQLite hands back text, PostgreSQL a datetime.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return ensure_utc(value)


async def purge_sent(session: AsyncSession, older_than: datetime, limit: int = 5000) -> int:
    """Delete up to ``limit`` rows sent before ``older_than``; returns how many."""
    o = OutboxEvent
    doomed = select(o.seq).where(o.sent_at < older_than).limit(limit).scalar_subquery()
    result = await session.execute(delete(o).where(o.seq.in_(doomed)))
    return int(getattr(result, "rowcount", 0) or 0)
