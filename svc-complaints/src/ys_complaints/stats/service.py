"""Statistics over the cases received in a period: by category, respondent and month;
acceptance, on-time and satisfaction rates; amounts recovered for unpaid bills."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import SHANGHAI
from yingshang.problems import Invalid
from yingshang.time.models import COMPLETED, DeadlineStage
from ys_complaints.cases.models import CASE_KIND, ComplaintCase
from ys_complaints.cases.vocabulary import CATEGORY_LABELS, Category, State, Verdict
from ys_complaints.directory import service as directory
from ys_complaints.stats.schemas import Amounts, Count, Month, Rate, Statistics

COLUMNS = (
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
    if until < since:
        raise Invalid("the period ends before it starts", field="to")
    start = datetime.combine(since, time(), SHANGHAI)
    return start, datetime.combine(until + timedelta(days=1), time(), SHANGHAI)


def rate(numerator: int, denominator: int) -> Rate:
    value = round(numerator / denominator, 4) if denominator else None
    return Rate(numerator=numerator, denominator=denominator, rate=value)


def _month(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m")


def _months(rows: list[Any]) -> list[Month]:
    received = Counter(_month(r.received_at) for r in rows)
    closed = Counter(_month(r.closed_at) for r in rows if r.closed_at is not None)
    keys = sorted(set(received) | set(closed))
    return [Month(month=k, received=received[k], closed=closed[k]) for k in keys]


def _yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def _bills(rows: list[Any]) -> Amounts:
    """Unpaid bills: the amounts claimed, and what was recovered *of those claims* — a case
    without a claimed amount recovers nothing countable, and no case recovers more than it
    claimed (rows written before resolve refused that), so the rate never exceeds 100 %."""
    bills = [r for r in rows if r.category == Category.UNPAID_BILLS]
    claims = [r for r in bills if r.claimed_fen is not None]
    claimed = sum(r.claimed_fen for r in claims)
    recovered = sum(min(r.recovered_fen or 0, r.claimed_fen) for r in claims)
    share = round(recovered / claimed, 4) if claimed else None
    return Amounts(
        cases=len(bills), claimed=_yuan(claimed), recovered=_yuan(recovered), recovery_rate=share
    )


async def _on_time(session: AsyncSession, start: datetime, end: datetime) -> Rate:
    period = select(ComplaintCase.id).where(
        ComplaintCase.received_at >= start, ComplaintCase.received_at < end
    )
    result = await session.execute(
        select(DeadlineStage.on_time, func.count())
        .where(DeadlineStage.case_kind == CASE_KIND, DeadlineStage.status == COMPLETED)
        .where(DeadlineStage.case_id.in_(period))
        .group_by(DeadlineStage.on_time)
    )
    counts = {bool(on_time): int(n) for on_time, n in result}
    return rate(counts.get(True, 0), sum(counts.values()))


async def statistics(session: AsyncSession, since: date, until: date) -> Statistics:
    start, end = bounds(since, until)
    query = select(*COLUMNS).where(
        ComplaintCase.received_at >= start, ComplaintCase.received_at < end
    )
    rows = list((await session.execute(query)).all())
    names = await directory.names(session)
    categories = Counter(r.category for r in rows)
    respondents = Counter(r.respondent for r in rows if r.respondent)
    decided = [r for r in rows if r.decided_at is not None]
    answered = [r for r in rows if r.verdict is not None or r.dispute_count]
    return Statistics(
        period_from=since,
        period_to=until,
        received=len(rows),
        by_category=[
            Count(key=k, label=CATEGORY_LABELS[Category(k)], count=n)
            for k, n in categories.most_common()
        ],
        by_respondent=[
            Count(key=k, label=names.get(k), count=n) for k, n in respondents.most_common()
        ],
        by_month=_months(rows),
        acceptance_rate=rate(sum(r.state != State.NOT_ACCEPTED for r in decided), len(decided)),
        on_time_rate=await _on_time(session, start, end),
        satisfaction_rate=rate(
            sum(r.verdict == Verdict.CONFIRMED for r in answered), len(answered)
        ),
        retaliation_found=sum(bool(r.retaliation_found) for r in rows),
        unpaid_bills=_bills(rows),
    )
