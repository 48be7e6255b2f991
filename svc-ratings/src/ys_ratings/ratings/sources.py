"""Where ratings come from: the one-time link, 12345 回访, the provincial platform, the default."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.auth import Principal
from yingshang.clock import ensure_utc, now
from yingshang.events.envelope import CloudEvent
from yingshang.problems import Conflict, Forbidden, Invalid
from ys_ratings.access import RatingsCenter
from ys_ratings.intake.payloads import TicketRevisited
from ys_ratings.invitations import service as invitations
from ys_ratings.invitations.models import Invitation
from ys_ratings.invitations.policies import DEFAULT_RATING, get_policy
from ys_ratings.oversight.service import closed_by
from ys_ratings.ratings import service
from ys_ratings.ratings.drafts import RatingDraft, from_invitation, rater_key
from ys_ratings.ratings.models import LEVEL_NAMES, Rating
from ys_ratings.ratings.schemas import ProvinceRatingIn, RateIn
from ys_ratings.ratings.service import ALREADY_RATED
from ys_ratings.rectifications.actions import verdict_by_revisit

DEFAULT_BATCH = 500


def refuse_staff_rater(principal: Principal | None, rated_staff_no: str | None) -> None:
    """Rating is the applicant's own, voluntary act (国办发〔2019〕51号)."""
    if principal is None or principal.is_client:
        return
    if principal.staff_no and principal.staff_no == rated_staff_no:
        raise Forbidden("工作人员不能评价自己的工作", code="own-work")
    raise Forbidden("工作人员不能代替办事人评价", code="staff-rater")


async def rate_by_token(
    session: AsyncSession, token: str, body: RateIn, principal: Principal | None
) -> Rating:
    invitation = await invitations.by_token(session, token)
    invitations.ensure_open(invitation)
    refuse_staff_rater(principal, invitation.staff_no)
    draft = from_invitation(
        invitation,
        channel=body.channel,
        rater_type=body.rater_type or invitation.rater_type,
        level=body.level,
        scores=dict(body.scores),
        comment=body.comment,
        rated_at=now(),
        source="invitation",
    ).with_rater(body.rater)
    rating = await service.record(session, draft)
    _use(invitation, rating)
    return rating


def _use(invitation: Invitation, rating: Rating) -> None:
    invitation.used_at, invitation.rating_id = rating.rated_at, rating.id


async def record_revisit(
    session: AsyncSession, event: CloudEvent, payload: TicketRevisited, center: RatingsCenter
) -> Rating | None:
    """12345 回访 is the ticket's rating through the hotline channel: one score, not two.

    A 回访 after the ticket was reopened (``round`` > 1) does not rate it again: it is the
    rater's word on the redo, kept on the rating and recorded as the verdict of the rating's
    rectification when that waits for one (:func:`_follow_up`)."""
    draft = RatingDraft(
        service="hotline",
        case_kind="ticket",
        case_id=payload.case_id,
        case_number=payload.case_number,
        node="revisit",
        department=payload.responsible("hotline"),
        staff_no=payload.staff_no,
        channel="hotline",
        service_channel="hotline",
        rater_type=payload.rater_type,
        level=payload.level,
        comment=payload.comment,
        rated_at=payload.revisited_at,
        source="hotline",
        origin_client=payload.origin_client,
        event_id=event.id,
    )
    if payload.round > 1 and (rating := await service.existing(session, draft)) is not None:
        await _follow_up(session, rating, payload, center)
        return None
    # 受理/办结时间 of the upward report: the 办结 the visit rates
    draft.node_at = payload.closed_at or await closed_by(
        session, "hotline", payload.case_id, payload.revisited_at
    )
    try:
        return await service.record(session, draft)
    except Conflict as exc:
        if exc.code == ALREADY_RATED:
            return None  # the same return visit re-sent under a new event id
        raise


async def _follow_up(
    session: AsyncSession, rating: Rating, payload: TicketRevisited, center: RatingsCenter
) -> None:
    """Keep the latest 回访 after a reopen beside the rating; a re-sent or older one changes
    nothing."""
    if rating.followup_at is not None and ensure_utc(payload.revisited_at) <= ensure_utc(
        rating.followup_at
    ):
        return
    rating.followup_level, rating.followup_at = payload.level, payload.revisited_at
    note = f"12345 第{payload.round}次回访：{LEVEL_NAMES[payload.level]}"
    await verdict_by_revisit(session, rating, center, note)
    await session.flush()


async def record_push(
    session: AsyncSession, body: ProvinceRatingIn, client_id: str | None
) -> Rating:
    """A rating the provincial platform collected (its verified identity of the rater)."""
    ref = body.case
    invitation = None
    if ref.node != "revisit":
        invitation = await _invitation_by_number(session, ref.case_number, ref.node)
    values: dict[str, Any] = {
        "channel": body.channel,
        "rater_type": body.rater_type,
        "level": body.level,
        "scores": dict(body.scores),
        "comment": body.comment,
        "rated_at": body.rated_at,
        "source": "province",
        "external_id": body.external_id,
        "rater_key": rater_key(body.channel, body.rater),
    }
    if invitation is not None:
        draft = from_invitation(invitation, **values)
        draft.origin_client = invitation.origin_client or client_id
    else:
        draft = _draft_from_ref(body, client_id, values)
    rating = await service.record(session, draft.with_rater(body.rater))
    if invitation is not None and invitation.used_at is None and draft.rater_key == "applicant":
        _use(invitation, rating)
    return rating


def _draft_from_ref(
    body: ProvinceRatingIn, client_id: str | None, values: dict[str, Any]
) -> RatingDraft:
    ref = body.case
    if ref.service is None or ref.case_kind is None or ref.case_id is None or not ref.department:
        raise Invalid("未知的办件：请提供 service、case_kind、case_id 和 department", field="case")
    return RatingDraft(
        service=ref.service,
        case_kind=ref.case_kind,
        case_id=ref.case_id,
        case_number=ref.case_number,
        node=ref.node,
        node_at=ref.node_at,
        department=ref.department,
        item_code=ref.item_code,
        item_name=ref.item_name,
        window=ref.window,
        staff_no=ref.staff_no,
        service_channel=ref.service_channel,
        origin_client=client_id,
        **values,
    )


async def _invitation_by_number(
    session: AsyncSession, case_number: str, node: str
) -> Invitation | None:
    rows = await session.execute(
        select(Invitation).where(Invitation.case_number == case_number, Invitation.node == node)
    )
    return rows.scalars().first()


async def apply_default_ratings(session: AsyncSession, limit: int = DEFAULT_BATCH) -> int:
    """默认评价: unrated invitations older than the policy's days get its level (off by default)."""
    policy = await get_policy(session, DEFAULT_RATING)
    if not policy.enabled or policy.level is None:
        return 0
    cutoff = now() - timedelta(days=policy.natural_days)
    rows = await session.execute(
        select(Invitation)
        .where(Invitation.used_at.is_(None), Invitation.completed_at <= cutoff)
        .order_by(Invitation.completed_at)
        .limit(limit)
    )
    count = 0
    for invitation in rows.scalars():
        draft = from_invitation(
            invitation,
            channel="system",
            rater_type=invitation.rater_type,
            level=policy.level,
            rated_at=now(),
            source="default",
        )
        prior = await service.existing(session, draft)  # rated elsewhere (e.g. the province)
        _use(invitation, prior or await service.record(session, draft))
        count += prior is None
    return count
