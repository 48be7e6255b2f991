"""A period's score of an indicator: one per indicator and period (a second is a 409). It is
recorded by the bureau, the lead unit's head or the owner (:func:`service.may_record`) and
corrected only by the bureau, with If-Match; every version stays in the revisions."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.cases.etag import check_if_match, flush_versioned
from yingshang.clock import now, today
from yingshang.events.outbox import enqueue
from yingshang.problems import Conflict, Forbidden, Invalid, NotFound
from ys_visits import events
from ys_visits.indicators import periods, service
from ys_visits.indicators.models import KIND, SCORE, SCORE_KIND, Indicator
from ys_visits.indicators.models import IndicatorScore as Score
from ys_visits.indicators.schemas import ScoreEdit, ScoreIn


async def find(session: AsyncSession, indicator: Indicator, period: str) -> Score | None:
    rows = await session.execute(
        select(Score).where(Score.indicator_id == indicator.id, Score.period == period)
    )
    return rows.scalar()


async def get(session: AsyncSession, indicator: Indicator, period: str) -> Score:
    row = await find(session, indicator, period)
    if row is None:
        raise NotFound(f"指标 {indicator.code} 没有 {period} 的得分", code="score-not-found")
    return row


def _set(row: Score, body: ScoreEdit) -> None:
    row.score_hundredths = service.hundredths(body.score)
    row.rank, row.rank_of, row.note = body.rank, body.rank_of, body.note


def _recorder(row: Score, who: Principal) -> None:
    row.recorded_by, row.recorded_by_name, row.recorded_at = who.sub, who.name or None, now()


async def record(
    session: AsyncSession, indicator: Indicator, body: ScoreIn, who: Principal
) -> Score:
    """A period's score, once: the period must have begun."""
    if not service.may_record(who, indicator):
        raise Forbidden(
            "得分由营商局、牵头单位负责人或指标长登记",
            code="not-a-scorer",
        )
    if periods.first_day(body.period) > today():
        raise Invalid(f"评价期 {body.period} 尚未开始", field="period")
    if await find(session, indicator, body.period) is not None:
        raise Conflict(
            f"指标 {indicator.code} 已有 {body.period} 的得分，请修改它（PUT，带 If-Match）",
            code="score-exists",
            field="period",
        )
    row = Score(indicator_id=indicator.id, period=body.period)
    _set(row, body)
    _recorder(row, who)
    session.add(row)
    await session.flush()
    await _scored(session, indicator, row, who)
    return row


async def correct(
    session: AsyncSession,
    indicator: Indicator,
    period: str,
    body: ScoreEdit,
    if_match: str | None,
    who: Principal,
) -> Score:
    """The bureau's correction (the route admits no one else); the old value stays in the
    revisions. A correction that changes nothing keeps the version as it is."""
    service.not_own(indicator, who)
    row = await get(session, indicator, period)
    check_if_match(if_match, row, SCORE_KIND)
    _set(row, body)
    if session.is_modified(row):
        _recorder(row, who)
        await flush_versioned(session)
        await _scored(session, indicator, row, who)
    return row


async def _scored(session: AsyncSession, indicator: Indicator, row: Score, who: Principal) -> None:
    view = service.score_view(row)
    snapshot = view.model_dump(mode="json", exclude={"id", "version"})
    session.add(service.revision(indicator.id, SCORE, row.version, snapshot, who, row.period))
    payload = events.IndicatorScored(
        indicator_id=str(indicator.id), code=indicator.code,
        lead_department=indicator.lead_department, period=row.period, score=view.score,
        rank=row.rank, rank_of=row.rank_of, version=row.version,
    )  # fmt: skip
    await enqueue(session, events.event(KIND, indicator.id, "scored", payload))
    await session.flush()
