"""申诉复核: the rated unit files, the bureau decides; upheld ratings leave the statistics."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import BUREAU, Principal
from yingshang.cases import timeline
from yingshang.cases.etag import check_if_match
from yingshang.clock import now
from yingshang.events.envelope import make_event
from yingshang.events.outbox import enqueue
from yingshang.problems import Conflict, Forbidden, NotFound
from ys_ratings.access import Viewer, rated_units
from ys_ratings.appeals.models import PENDING, REJECTED, UPHELD, Appeal
from ys_ratings.appeals.schemas import AppealIn, DecisionIn
from ys_ratings.events import SERVICE, AppealEvent
from ys_ratings.ratings.exclusion import exclude
from ys_ratings.ratings.models import Rating
from ys_ratings.rectifications.actions import close_for_appeal

CASE_KIND = "appeal"
DECIDING_ROLES = ("head", "staff")  # the bureau decides (DOMAIN.md, Ratings)


async def file(session: AsyncSession, rating: Rating, viewer: Viewer, body: AppealIn) -> Appeal:
    """Only the rated unit appeals, once at a time, and only a rating that still counts."""
    unit = next((u for u in rated_units(rating) if viewer.acts_for(u)), None)
    if unit is None:
        raise Forbidden("只有被评价的单位可以对评价提出申诉", code="not-rated-unit")
    if rating.excluded:
        raise Conflict("该评价已不计入统计，无需申诉", code="already-excluded")
    pending = await session.scalar(
        select(Appeal.id).where(Appeal.rating_id == rating.id, Appeal.state == PENDING)
    )
    if pending is not None:
        raise Conflict("该评价已有申诉在审核中", code="appeal-pending")
    p = viewer.principal
    appeal = Appeal(
        rating_id=rating.id,
        department=unit,  # the rated unit filing: the matter's department or the window's hall
        state=PENDING,
        reason=body.reason,
        filed_by=p.sub,
        filed_by_name=p.name,
    )
    session.add(appeal)
    await session.flush()
    await timeline.append(
        session,
        case_kind=CASE_KIND,
        case_id=appeal.id,
        action="filed",
        actor=p,
        to_state=PENDING,
        note=body.reason,
        event_id=await _publish(session, appeal, rating, "filed"),
    )
    return appeal


async def _publish(session: AsyncSession, appeal: Appeal, rating: Rating, name: str) -> str:
    """``ys.ratings.appeal.<name>`` in the outbox (same transaction); returns the event id."""
    data = AppealEvent(
        case_id=rating.case_id,
        case_number=rating.case_number,
        department=appeal.department,
        appeal_id=appeal.id,
        rating_id=rating.id,
        state=appeal.state,
        service=rating.service,
    )
    event = make_event(
        SERVICE, f"ys.{SERVICE}.{CASE_KIND}.{name}", data, subject=f"{CASE_KIND}/{appeal.id}"
    )
    await enqueue(session, event)
    return event.id


async def visible(session: AsyncSession, appeal_id: uuid.UUID, viewer: Viewer) -> Appeal:
    appeal = await session.get(Appeal, appeal_id)
    if appeal is None or not viewer.sees(appeal.department):
        raise NotFound("没有这个申诉")
    return appeal


async def decide(
    session: AsyncSession,
    appeal_id: uuid.UUID,
    viewer: Viewer,
    if_match: str | None,
    body: DecisionIn,
    *,
    uphold: bool,
) -> Appeal:
    appeal = await visible(session, appeal_id, viewer)
    p = viewer.principal
    if p.is_client or not p.has(DECIDING_ROLES, BUREAU):
        raise Forbidden("申诉由营商局复核", code="not-bureau")
    if appeal.filed_by == p.sub or viewer.acts_for(appeal.department):
        # 交叉挂职: a bureau post does not let the rated unit judge its own appeal
        raise Forbidden("申诉单位不能复核自己的申诉", code="own-appeal")
    check_if_match(if_match, appeal, CASE_KIND)
    if appeal.state != PENDING:
        raise Conflict(f"该申诉已处理（{appeal.state}）", code="appeal-decided")
    appeal.state = UPHELD if uphold else REJECTED
    appeal.decided_by, appeal.decided_at, appeal.decision_note = p.sub, now(), body.note
    rating = await session.get(Rating, appeal.rating_id)
    assert rating is not None
    if uphold:
        await _exclude(session, appeal, rating, viewer, body.note)
    await session.flush()
    await timeline.append(
        session,
        case_kind=CASE_KIND,
        case_id=appeal.id,
        action=appeal.state,
        actor=p,
        from_state=PENDING,
        to_state=appeal.state,
        note=body.note,
        position=_bureau_position(p),
        event_id=await _publish(session, appeal, rating, appeal.state),
    )
    return appeal


def _bureau_position(p: Principal) -> tuple[str, str] | None:
    return next(
        ((q.dept, q.role) for q in p.positions if q.dept == BUREAU and q.role in DECIDING_ROLES),
        None,
    )


async def _exclude(
    session: AsyncSession, appeal: Appeal, rating: Rating, viewer: Viewer, note: str
) -> None:
    """Upheld: the rating stays (never deleted) but no statistic counts it any more."""
    await exclude(session, rating, reason="appeal_upheld", note=note, appeal_id=appeal.id)
    await close_for_appeal(session, rating.id, viewer.center, note)
