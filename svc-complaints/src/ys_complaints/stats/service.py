"""Statistics over the cases received in a period: by category, respondent and month (each
with its on-time and satisfaction rates and working days to 办结); acceptance, on-time (also
per stage) and satisfaction rates; amounts recovered for unpaid bills.

On time: the timed stages completed, on time or late (a stage still running is not judged
yet). Satisfaction: the enterprise's answers to the result, confirmed over answered.
Working days to close count from the day after receipt to the closing day (that day included
when it is a working day), over the cases handled to 办结: a case not accepted (不予受理) is
answered, not handled, and would flatter the figure.
"""

import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import SHANGHAI
from yingshang.time.calendar import WorkCalendar
from yingshang.time.models import COMPLETED, DeadlineStage
from yingshang.time.store import current_calendar
from yingshang.validators import ordered_period
from ys_complaints.cases.models import CASE_KIND, ComplaintCase
from ys_complaints.cases.vocabulary import CATEGORY_LABELS, Category, State, Verdict
from ys_complaints.directory import service as directory
from ys_complaints.stats.schemas import Amounts, Count, Month, Rate, Rates, Statistics

Outcomes = dict[uuid.UUID, list[tuple[str, bool]]]  # case → (stage, on time) of its stages

COLUMNS = (
    ComplaintCase.id,
    ComplaintCase.received_at,
    ComplaintCase.closed_at,
    ComplaintCase.category,
    ComplaintCase.respondent,
    ComplaintCase.state,
    ComplaintCase.decided_at,
    ComplaintCase.verdict,
    ComplaintCase.dispute_count,
    ComplaintCase.claimed_fen,
    ComplaintCase.recovered_fen,
    ComplaintCase.retaliation_found,
)


def bounds(since: date, until: date) -> tuple[datetime, datetime]:
    """Asia/Shanghai calendar days ``since``..``until`` (inclusive) as UTC instants."""
    ordered_period(since, until, field="to")
    start = datetime.combine(since, time(), SHANGHAI)
    return start, datetime.combine(until + timedelta(days=1), time(), SHANGHAI)


def rate(numerator: int, denominator: int) -> Rate:
    value = round(numerator / denominator, 4) if denominator else None
    return Rate(numerator=numerator, denominator=denominator, rate=value)


def _month(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m")


def _handled(row: Any) -> bool:
    """办结: closed after being handled (a case not accepted is closed too, unhandled)."""
    return row.closed_at is not None and row.state != State.NOT_ACCEPTED


def _satisfaction(rows: Iterable[Any]) -> Rate:
    answered = [r for r in rows if r.verdict is not None or r.dispute_count]
    return rate(sum(r.verdict == Verdict.CONFIRMED for r in answered), len(answered))


def _rates(rows: list[Any], outcomes: Outcomes, cal: WorkCalendar) -> Rates:
    judged = [ok for r in rows for _, ok in outcomes.get(r.id, ())]
    days = [cal.working_days_taken(r.received_at, r.closed_at) for r in rows if _handled(r)]
    return Rates(
        on_time_rate=rate(sum(judged), len(judged)).rate,
        satisfaction_rate=_satisfaction(rows).rate,
        average_working_days_to_close=round(sum(days) / len(days), 2) if days else None,
    )


def _groups(rows: list[Any], key: Callable[[Any], str | None]) -> list[tuple[str, list[Any]]]:
    """The rows by ``key`` (rows without one left out), the largest group first."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        if (k := key(row)) is not None:
            groups[k].append(row)
    return sorted(groups.items(), key=lambda g: -len(g[1]))


def _counts(
    rows: list[Any], key: Callable[[Any], str | None], label: Callable[[str], str | None],
    outcomes: Outcomes, cal: WorkCalendar,
) -> list[Count]:  # fmt: skip
    return [
        Count(key=k, label=label(k), count=len(group), closed=sum(map(_handled, group)),
              **_rates(group, outcomes, cal).model_dump())
        for k, group in _groups(rows, key)
    ]  # fmt: skip


def _months(rows: list[Any], outcomes: Outcomes, cal: WorkCalendar) -> list[Month]:
    """Cases received and closed in each month; the rates of those received in it."""
    received = dict(_groups(rows, lambda r: _month(r.received_at)))
    closed = Counter(_month(r.closed_at) for r in rows if r.closed_at is not None)
    return [
        Month(month=k, received=len(received.get(k, [])), closed=closed[k],
              **_rates(received.get(k, []), outcomes, cal).model_dump())
        for k in sorted(set(received) | set(closed))
    ]  # fmt: skip


def _yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def _bills(rows: list[Any]) -> Amounts:
    """Unpaid bills: the amounts claimed, and what was recovered *of those claims* — a case
    without a claimed amount recovers nothing countable, and no case recovers more than it
    claimed (rows written before resolve refused that), so the rate never exceeds 100 %."""
    taken = (r for r in rows if r.state != State.NOT_ACCEPTED)
    bills = [r for r in taken if r.category == Category.UNPAID_BILLS]
    claims = [r for r in bills if r.claimed_fen is not None]
    claimed = sum(r.claimed_fen for r in claims)
    recovered = sum(min(r.recovered_fen or 0, r.claimed_fen) for r in claims)
    share = round(recovered / claimed, 4) if claimed else None
    return Amounts(
        cases=len(bills), claimed=_yuan(claimed), recovered=_yuan(recovered), recovery_rate=share
    )


async def _outcomes(session: AsyncSession, start: datetime, end: datetime) -> Outcomes:
    """The completed timed stages of the cases received in the period, by case."""
    period = select(ComplaintCase.id).where(
        ComplaintCase.received_at >= start, ComplaintCase.received_at < end
    )
    result = await session.execute(
        select(DeadlineStage.case_id, DeadlineStage.stage, DeadlineStage.on_time)
        .where(DeadlineStage.case_kind == CASE_KIND, DeadlineStage.status == COMPLETED)
        .where(DeadlineStage.case_id.in_(period))
    )
    found: Outcomes = defaultdict(list)
    for case_id, stage, on_time in result:
        found[case_id].append((stage, bool(on_time)))
    return found


def _by_stage(outcomes: Outcomes) -> dict[str, Rate]:
    judged: dict[str, list[bool]] = defaultdict(list)
    for stages in outcomes.values():
        for stage, ok in stages:
            judged[stage].append(ok)
    return {stage: rate(sum(oks), len(oks)) for stage, oks in sorted(judged.items())}


async def statistics(session: AsyncSession, since: date, until: date) -> Statistics:
    start, end = bounds(since, until)
    query = select(*COLUMNS).where(
        ComplaintCase.received_at >= start, ComplaintCase.received_at < end
    )
    rows = list((await session.execute(query)).all())
    names = await directory.names(session)
    outcomes = await _outcomes(session, start, end)
    cal = await current_calendar(session)
    overall = _rates(rows, outcomes, cal)
    judged = [ok for stages in outcomes.values() for _, ok in stages]
    decided = [r for r in rows if r.decided_at is not None]
    return Statistics(
        period_from=since,
        period_to=until,
        received=len(rows),
        by_category=_counts(
            rows, lambda r: r.category, lambda k: CATEGORY_LABELS[Category(k)], outcomes, cal
        ),
        by_respondent=_counts(rows, lambda r: r.respondent, names.get, outcomes, cal),
        by_month=_months(rows, outcomes, cal),
        acceptance_rate=rate(sum(r.state != State.NOT_ACCEPTED for r in decided), len(decided)),
        on_time_rate=rate(sum(judged), len(judged)),
        on_time_by_stage=_by_stage(outcomes),
        average_working_days_to_close=overall.average_working_days_to_close,
        satisfaction_rate=_satisfaction(rows),
        retaliation_found=sum(bool(r.retaliation_found) for r in rows),
        unpaid_bills=_bills(rows),
    )
