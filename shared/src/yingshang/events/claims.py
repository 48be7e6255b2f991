"""Taking outbox rows to publish, so that relays never send one row concurrently.

* PostgreSQL (several replicas): a claim is a lease (``claimed_by`` + ``claimed_until``) taken
  in a short transaction with ``FOR UPDATE SKIP LOCKED``, so relays claiming at once take
  disjoint rows. A relay that dies keeps its rows only until the lease ends; another relay then
  sends them again and JetStream's duplicate window plus the consumers' inbox absorb the repeat.
* SQLite (one process per database file, so one relay): no lease is written; the relay reads
  batches with a cursor that moves past the rows it has in flight (:class:`CursorTaker`),
  publishes with no transaction open and marks a batch sent in a short write transaction.
  ``claimed_until`` only marks rows pausing after a row-level error. (A second process on the
  same file would publish rows again: JetStream's duplicate window and the inbox absorb it.)

Order per case: a row is taken only if no earlier unsent row of the same ``case_key`` stays
behind (leased by another relay, pausing after an error, or locked by a concurrent claim).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Text, bindparam, cast, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import ensure_utc, now
from yingshang.events.outbox import OutboxEvent
from yingshang.prepared import Prepared


@dataclass(slots=True)
class Claimed:
    """One row taken for publishing (``body`` is the stored CloudEvent JSON)."""

    seq: int
    event_id: str
    subject: str
    case_key: str | None
    body: bytes


# The stored CloudEvent JSON as is: no decode and re-encode on the way to NATS.
BODY = cast(OutboxEvent.payload, Text)  # asyncpg decodes json values itself: CAST in SQL


_O: Any = OutboxEvent.__table__
_WAITING = Prepared(
    select(_O.c.seq)
    .where(
        _O.c.sent_at.is_(None),
        or_(_O.c.claimed_until.is_(None), _O.c.claimed_until < bindparam("at")),
    )
    .limit(1)
)
_NEXT_BATCH = Prepared(
    select(_O.c.seq, _O.c.event_id, _O.c.subject, _O.c.case_key, BODY, _O.c.claimed_until)
    .where(_O.c.sent_at.is_(None), _O.c.seq > bindparam("after"))
    .order_by(_O.c.seq)
    .limit(bindparam("limit"))
)
_MARK_SENT = Prepared(
    update(_O)
    .where(_O.c.seq.between(bindparam("first"), bindparam("last")), _O.c.sent_at.is_(None))
    .values(
        sent_at=bindparam("at"),
        claimed_by=None,
        claimed_until=None,
        attempts=_O.c.attempts + 1,
    )
)


async def work_waiting(session: AsyncSession) -> bool:
    """Is any unsent row free to take? A cheap read, so that an idle relay never opens a write
    transaction (whose commit would wake every other worker for nothing)."""
    return await _WAITING.first(session, at=now()) is not None


class CursorTaker:
    """SQLite: takes successive batches of unsent rows, a cursor moving past each (one relay
    per database file: the rows of a batch in flight are not taken again by the next).

    Rows pausing after a row-level error are skipped and block the later rows of their case;
    ``full`` tells whether the last batch filled ``limit`` (more may be waiting).
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.after, self.full = 0, True
        self.blocked: set[str] = set()

    async def next(self, session: AsyncSession) -> list[Claimed]:
        """The next batch, read in ``session``."""
        at = now()
        while True:
            result = await _NEXT_BATCH.all(session, after=self.after, limit=self.limit)
            rows: list[Claimed] = []
            seen = 0
            for seq, event_id, subject, key, body, until in result:
                seen, self.after = seen + 1, seq
                if until is not None and ensure_utc(until) > at:
                    self.blocked.add(key or "")
                elif key is None or key not in self.blocked:
                    rows.append(Claimed(seq, event_id, subject, key, body.encode()))
            self.full = seen == self.limit
            if rows or not self.full:
                return rows
            # a whole batch of paused rows (and rows they hold back): look past it, letting
            # the event loop run between batches (the reads run on its own thread)
            await asyncio.sleep(0)


async def claim(
    session: AsyncSession, owner: str, *, limit: int, lease: timedelta
) -> list[Claimed]:
    """PostgreSQL: lease up to ``limit`` rows to ``owner`` (commit, then publish)."""
    at, o = now(), OutboxEvent
    result = await session.execute(
        select(o.seq, o.event_id, o.subject, o.case_key, BODY)
        .where(o.sent_at.is_(None), or_(o.claimed_until.is_(None), o.claimed_until < at))
        .order_by(o.seq)
        .limit(limit)
        .with_for_update(skip_locked=True, of=o)
    )
    candidates = [Claimed(s, e, subj, k, body.encode()) for s, e, subj, k, body in result]
    rows = await _keep_case_heads(session, candidates)
    if rows:
        await session.execute(
            update(o)
            .where(_seq_in([r.seq for r in rows]))
            .values(claimed_by=owner, claimed_until=at + lease)
            .execution_options(synchronize_session=False)
        )
    return rows


async def _keep_case_heads(session: AsyncSession, rows: list[Claimed]) -> list[Claimed]:
    """Drop rows whose case has an earlier unsent row that is not in ``rows``.

    Such a row has a lower seq than the row it blocks, so only unsent rows up to the batch's
    last seq need a look, which keeps this a short index range scan.
    """
    if not rows:
        return rows
    o = OutboxEvent
    mine = {r.seq for r in rows}
    result = await session.execute(
        select(o.seq, o.case_key).where(
            o.sent_at.is_(None), o.seq <= rows[-1].seq, o.case_key.isnot(None)
        )
    )
    blocking: dict[str, int] = {}
    for seq, key in result:
        if key is not None and seq not in mine and seq < blocking.get(key, seq + 1):
            blocking[key] = seq
    if not blocking:
        return rows
    return [r for r in rows if r.case_key is None or r.seq < blocking.get(r.case_key, r.seq + 1)]


def _runs(seqs: list[int]) -> list[tuple[int, int]]:
    """Sorted ``seqs`` as (first, last) runs of consecutive numbers."""
    ranges: list[tuple[int, int]] = []
    for seq in sorted(seqs):
        if ranges and seq == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], seq)
        else:
            ranges.append((seq, seq))
    return ranges


def _seq_in(seqs: list[int]) -> ColumnElement[bool]:
    """``seq IN (...)`` as a few BETWEEN ranges: batches are mostly one contiguous run."""
    ranges = _runs(seqs)
    if len(ranges) > 20:
        return OutboxEvent.seq.in_(seqs)
    return or_(*(OutboxEvent.seq.between(first, last) for first, last in ranges))


async def mark_sent(session: AsyncSession, seqs: list[int]) -> None:
    """One prepared UPDATE per contiguous run of ``seqs`` (a batch is mostly one run)."""
    at = now()
    for first, last in _runs(seqs):
        await _MARK_SENT.run(session, first=first, last=last, at=at)


async def release(
    session: AsyncSession, seqs: list[int], *, error: str | None, retry_after: float = 0.0
) -> None:
    """Give rows back: at once (``retry_after`` 0) or after a pause for a row-level error.

    With ``error`` the publish was tried and failed: counted in ``attempts``."""
    if not seqs:
        return
    values: dict[str, object] = {"claimed_by": None, "claimed_until": None}
    if retry_after > 0:
        values.update(claimed_by="retry", claimed_until=now() + timedelta(seconds=retry_after))
    if error is not None:
        values.update(last_error=error[:2000], attempts=OutboxEvent.attempts + 1)
    await session.execute(
        update(OutboxEvent)
        .where(_seq_in(seqs))
        .values(values)
        .execution_options(synchronize_session=False)
    )


async def release_leased(session: AsyncSession, owner: str) -> None:
    """PostgreSQL: give back the unsent rows leased to ``owner`` (a relay stopping mid-round),
    so the next relay takes them at once instead of when the lease ends.

    A row settled meanwhile no longer matches (sent, or released by the relay itself): a
    settling transaction still open holds its rows locked, and this UPDATE waits for it and
    looks again, so a row is settled or released, never both."""
    o = OutboxEvent
    await session.execute(
        update(o)
        .where(o.claimed_by == owner, o.sent_at.is_(None))
        .values(claimed_by=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )


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
    result = await session.execute(
        delete(o).where(o.seq.in_(doomed)).execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
