"""Statistics by type, department, channel or month over a receipt-date range.

Per group: received, closed, on-time rate of each of the five stages (五限时), average working
days from receipt to 办结, and satisfaction from 回访 (average, and the county's good rate:
only 4–5 count as good, "基本满意就是基本不满意").

Satisfaction is the ticket's 好差评 rating, its first 回访, the same score svc-ratings counts in
the monthly bulletin: a reopen and a better 回访 after it do not replace it. Beside it: how many
tickets were reopened, and the good rate of the latest 回访 (``final_good_rate``, tickets
revisited since their last reopen), which shows what the redo achieved.

On-time rates count each stage once per ticket, in its first round (第1轮): what the ticket's
department is judged on. A reopened ticket runs its stages again (round 2, 3 …: its clocks
record the round); the latest round of each reopened ticket is reported beside them
(``reopened_on_time_rate``), as ``final_good_rate`` is beside ``good_rate``, never mixed into
the first round's. A stage counts once its outcome is known: completed (on time or late),
still open past its due time (late already), or cancelled after it went overdue (a 退单 or
并单 does not erase a late 签收: a stage a ticket ran twice in a round, before and after a
退单, is late when either clock was). Working days to close count from the day after receipt to
the closing day, that day included when it is a working day. A duplicate merged into an
earlier ticket is received but not closed: the earlier ticket is the one handled.
"""

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import SHANGHAI, ensure_utc, now
from yingshang.time.models import CANCELLED, COMPLETED, OPEN_STATUSES, DeadlineStage
from yingshang.time.store import current_calendar
from ys_hotline.access import CENTER
from ys_hotline.tickets.models import CASE_KIND, ClockRound, Ticket
from ys_hotline.tickets.vocabulary import is_good

GroupBy = Literal["type", "department", "channel", "month"]
MERGED = "merged"  # the outcome of a 并单 (the earlier ticket is the one handled)


class StatRow(BaseModel):
    key: str
    received: int = 0
    closed: int = 0
    on_time_rate: dict[str, float] = Field(
        default_factory=dict,
        description="per stage (五限时): share of tickets whose first round met the limit",
    )
    average_working_days_to_close: float | None = None
    satisfaction_average: float | None = None
    good_rate: float | None = None
    revisited: int = 0
    reopened: int = 0
    final_good_rate: float | None = None
    reopened_on_time_rate: dict[str, float] = Field(
        default_factory=dict,
        description="per stage: share of reopened tickets whose latest round met the limit",
    )


def _key(ticket: Any, by: GroupBy) -> str:
    if by == "month":
        return f"{ticket.received_at.astimezone(SHANGHAI):%Y-%m}"
    # 承办单位: a ticket no department holds yet (or answered at intake) is the center's, as
    # in the bureau's scorecards
    department = ticket.department or CENTER
    value = {"type": ticket.type, "department": department, "channel": ticket.source}[by]
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
    return round(sum(1 for v in levels if is_good(v)) / len(levels), 4)


Verdicts = dict[tuple[uuid.UUID, str], bool]  # (ticket, stage) → on time


async def _on_time(
    session: AsyncSession, keys: dict[uuid.UUID, str], rows: dict[str, StatRow]
) -> None:
    first, latest = await _verdicts_by_round(session, keys)
    for (key, stage), rate in _rates(first, keys).items():
        rows[key].on_time_rate[stage] = rate
    for (key, stage), rate in _rates(latest, keys).items():
        rows[key].reopened_on_time_rate[stage] = rate


def _rates(verdicts: Verdicts, keys: dict[uuid.UUID, str]) -> dict[tuple[str, str], float]:
    """(group, stage) → share of its tickets on time."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for (ticket_id, stage), on_time in verdicts.items():
        tally = counts[(keys[ticket_id], stage)]
        tally[0] += on_time
        tally[1] += 1
    return {group: round(good / total, 4) for group, (good, total) in counts.items()}


async def _verdicts_by_round(
    session: AsyncSession, keys: dict[uuid.UUID, str]
) -> tuple[Verdicts, Verdicts]:
    """Each stage's verdict per ticket: in its first round, and in the latest round of a
    reopened ticket (a clock without a round row is of the first round)."""
    stmt = (
        select(
            DeadlineStage.case_id,
            DeadlineStage.stage,
            DeadlineStage.status,
            DeadlineStage.on_time,
            DeadlineStage.due_at,
            DeadlineStage.overdue_emitted,
            ClockRound.round,
        )
        .outerjoin(ClockRound, ClockRound.stage_id == DeadlineStage.id)
        .where(DeadlineStage.case_kind == CASE_KIND)
    )
    by_round: dict[tuple[uuid.UUID, str, int], bool] = {}
    for case_id, stage, status, on_time, due_at, overdue, n in (await session.execute(stmt)).all():
        verdict = _verdict(status, on_time, due_at, overdue) if case_id in keys else None
        if verdict is not None:
            key = (case_id, stage, n or 1)
            by_round[key] = by_round.get(key, True) and verdict  # late once, late
    first = {(t, s): v for (t, s, n), v in by_round.items() if n == 1}
    last_round: dict[tuple[uuid.UUID, str], int] = {}
    for t, s, n in by_round:
        if n > 1:
            last_round[(t, s)] = max(n, last_round.get((t, s), n))
    latest = {ts: by_round[(*ts, n)] for ts, n in last_round.items()}
    return first, latest
