"""Statistics by type, department, channel or month over a receipt-date range.

Per group: received, closed, on-time rate of each of the five stages (五限时), average working
days from receipt to 办结, and satisfaction from 回访 (average, and the county's good rate:
only 4–5 count as good, "基本满意就是基本不满意").

Satisfaction is the ticket's 好差评 rating, its first 回访, the same score svc-ratings counts in
the monthly bulletin: a reopen and a better 回访 after it do not replace it. Beside it: how many
tickets were reopened, and the good rate of the latest 回访 (``final_good_rate``, tickets
revisited since their last reopen), which shows what the redo achieved.

A stage counts for the on-time rate once its outcome is known: completed (on time or late),
still open past its due time (late already), or cancelled after it went overdue (a 退单 or
并单 does not erase a late 签收). Working days to close count from the day after receipt to
the closing day, that day included when it is a working day. A duplicate merged into an
earlier ticket is received but not closed: the earlier ticket is the one handled.
"""

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import SHANGHAI, ensure_utc, now
from yingshang.time.models import CANCELLED, COMPLETED, OPEN_STATUSES, DeadlineStage
from yingshang.time.store import current_calendar
from ys_hotline.tickets.models import CASE_KIND, Ticket

GroupBy = Literal["type", "department", "channel", "month"]
MERGED = "merged"  # the outcome of a 并单 (the earlier ticket is the one handled)
GOOD = 4


class StatRow(BaseModel):
    key: str
    received: int = 0
    closed: int = 0
    on_time_rate: dict[str, float] = {}
    average_working_days_to_close: float | None = None
    satisfaction_average: float | None = None
    good_rate: float | None = None
    revisited: int = 0
    reopened: int = 0
    final_good_rate: float | None = None


def _key(ticket: Any, by: GroupBy) -> str:
    if by == "month":
        return f"{ticket.received_at.astimezone(SHANGHAI):%Y-%m}"
    value = {"type": ticket.type, "department": ticket.department, "channel": ticket.source}[by]
    return str(value or "-")


async def statistics(
    session: AsyncSession, by: GroupBy, since: datetime | None, until: datetime | None
) -> list[StatRow]:
    stmt = select(Ticket.id, Ticket.type, Ticket.department, Ticket.source, Ticket.received_at,
                  Ticket.closed_at, Ticket.outcome, Ticket.rating_level, Ticket.satisfaction,
                  Ticket.reopen_count)  # fmt: skip
    if since:
        stmt = stmt.where(Ticket.received_at >= since)
    if until:
        stmt = stmt.where(Ticket.received_at < until)
    tickets = (await session.execute(stmt)).all()
    keys = {t.id: _key(t, by) for t in tickets}
    rows: dict[str, StatRow] = {}
    days: dict[str, list[int]] = defaultdict(list)
    levels: dict[str, list[int]] = defaultdict(list)
    latest: dict[str, list[int]] = defaultdict(list)
    cal = await current_calendar(session)
    for t in tickets:
        row = rows.setdefault(keys[t.id], StatRow(key=keys[t.id]))
        row.received += 1
        if t.closed_at is not None and t.outcome != MERGED:  # a merged duplicate was not handled
            row.closed += 1
            days[row.key].append(cal.working_days_taken(t.received_at, t.closed_at))
        if t.rating_level is not None:
            levels[row.key].append(t.rating_level)
        if t.satisfaction is not None:
            latest[row.key].append(t.satisfaction)
        row.reopened += t.reopen_count > 0
    await _on_time(session, keys, rows)
    for key, row in rows.items():
        _averages(row, days[key], levels[key])
        if latest[key]:
            row.final_good_rate = _good_rate(latest[key])
    return sorted(rows.values(), key=lambda r: r.key)


def _verdict(status: str, on_time: bool | None, due_at: datetime, overdue: bool) -> bool | None:
    """On time (True), late (False), or not known yet (None)."""
    if status == COMPLETED:
        return bool(on_time)
    if status in OPEN_STATUSES:
        return False if ensure_utc(due_at) < now() else None
    return False if status == CANCELLED and overdue else None


def _averages(row: StatRow, days: list[int], levels: list[int]) -> None:
    if days:
        row.average_working_days_to_close = round(sum(days) / len(days), 2)
    if levels:
        row.revisited = len(levels)
        row.satisfaction_average = round(sum(levels) / len(levels), 2)
        row.good_rate = _good_rate(levels)


def _good_rate(levels: list[int]) -> float:
    return round(sum(1 for v in levels if v >= GOOD) / len(levels), 4)


async def _on_time(
    session: AsyncSession, keys: dict[uuid.UUID, str], rows: dict[str, StatRow]
) -> None:
    stmt = select(
        DeadlineStage.case_id,
        DeadlineStage.stage,
        DeadlineStage.status,
        DeadlineStage.on_time,
        DeadlineStage.due_at,
        DeadlineStage.overdue_emitted,
    ).where(DeadlineStage.case_kind == CASE_KIND)
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for case_id, stage, status, on_time, due_at, overdue in (await session.execute(stmt)).all():
        key = keys.get(case_id)
        verdict = _verdict(status, on_time, due_at, overdue) if key is not None else None
        if key is not None and verdict is not None:
            counts[(key, stage)][0] += 1 if verdict else 0
            counts[(key, stage)][1] += 1
    for (key, stage), (good, total) in counts.items():
        rows[key].on_time_rate[stage] = round(good / total, 4)
