"""Department scorecards (考核): cases, on-time stages, the ledger and rating figures."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import now
from ys_ratings.bulletin.figures import Tally, percent
from ys_ratings.bulletin.service import bulletin
from ys_ratings.oversight.models import CaseFact, LedgerEntry, StageFact
from ys_ratings.oversight.schemas import RatingFigures, Scorecard, ScorecardsOut, StageFigures

Cards = dict[str, dict[str, Any]]
# Case kinds that are no matter received (受理) by a unit: 挂帮 pairings (a leader's visit
# frequency), 差评 rectifications and 暗访 findings (整改 tasks, in the bulletin's 整改 figures).
NOT_MATTERS = frozenset(
    {("visits", "pairing"), ("ratings", "rectification"), ("complaints", "finding")}
)


def _card(cards: Cards, department: str) -> dict[str, Any]:
    return cards.setdefault(
        department,
        {"received": {}, "closed": {}, "stages": [], "overdue_now": 0, "escalations": {}},
    )


async def _cases(session: AsyncSession, month: str, cards: Cards) -> None:
    """Matters received and closed (办件, tickets, complaints, 交办单), each for the unit it
    counts for (the one it was handed to; the center until then). The cases that are no
    matter a unit received to handle (:data:`NOT_MATTERS`; an excluded case: a merged or
    transferred 12345 ticket) feed only stages and the ledger."""
    f = CaseFact
    kinds = ~or_(*(and_(f.service == s, f.case_kind == k) for s, k in sorted(NOT_MATTERS)))
    matter = and_(kinds, f.excluded.is_(None))
    for column, month_col in (("received", f.received_month), ("closed", f.closed_month)):
        rows = await session.execute(
            select(f.department, f.service, func.count())
            .where(month_col == month, matter)
            .group_by(f.department, f.service)
        )
        for department, service, n in rows:
            _card(cards, department)[column][service] = n


async def _stages(session: AsyncSession, month: str, cards: Cards) -> None:
    s = StageFact
    rows = await session.execute(
        select(
            s.department,
            s.service,
            s.stage,
            func.count(),
            func.sum(case((s.on_time.is_(True), 1), else_=0)),
        )
        .where(s.completed_month == month)
        .group_by(s.department, s.service, s.stage)
        .order_by(s.department, s.service, s.stage)
    )
    for department, service, stage, done, on_time in rows:
        figures = StageFigures(
            service=service,
            stage=stage,
            completed=done,
            on_time=on_time or 0,
            on_time_rate=percent(on_time or 0, done),
        )
        _card(cards, department)["stages"].append(figures)


async def _ledger(session: AsyncSession, month: str, cards: Cards) -> None:
    rows = await session.execute(
        select(LedgerEntry.department, func.count())
        .where(LedgerEntry.closed_at.is_(None))
        .group_by(LedgerEntry.department)
    )
    for department, n in rows:
        _card(cards, department)["overdue_now"] = n
    levels = await session.execute(
        select(LedgerEntry.department, LedgerEntry.level, func.count())
        .where(LedgerEntry.since_month == month)
        .group_by(LedgerEntry.department, LedgerEntry.level)
    )
    for department, level, n in levels:
        _card(cards, department)["escalations"][f"L{level}"] = n


def _rating_figures(t: Tally) -> RatingFigures:
    return RatingFigures(
        count=t.count,
        good_county=t.good_county,
        good_national=t.good_national,
        bad=t.bad,
        county_good_rate=percent(t.good_county, t.count),
        national_good_rate=percent(t.good_national, t.count),
        rank=t.rank or None,
        flagged=t.flagged,
    )


async def scorecards(
    session: AsyncSession, month: str, departments: set[str] | None
) -> ScorecardsOut:
    """Every department with activity in ``month`` (``departments``: the viewer's, or all)."""
    cards: Cards = {}
    await _cases(session, month, cards)
    await _stages(session, month, cards)
    await _ledger(session, month, cards)
    rated = (await bulletin(session, month)).tables.scopes["department"]
    for department in rated:
        _card(cards, department)
    items = [
        _scorecard(department, month, card, rated.get(department, Tally()))
        for department, card in sorted(cards.items())
        if departments is None or department in departments
    ]
    return ScorecardsOut(month=month, computed_at=now(), items=items)


def _scorecard(department: str, month: str, card: dict[str, Any], rated: Tally) -> Scorecard:
    stages: list[StageFigures] = card["stages"]
    done, on_time = sum(s.completed for s in stages), sum(s.on_time for s in stages)
    return Scorecard(
        department=department,
        month=month,
        received=card["received"],
        closed=card["closed"],
        stages=stages,
        on_time_rate=percent(on_time, done),
        overdue_now=card["overdue_now"],
        escalations=card["escalations"],
        ratings=_rating_figures(rated),
    )
