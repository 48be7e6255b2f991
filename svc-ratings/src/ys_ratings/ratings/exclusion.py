"""A rating leaves the statistics, never the database: an upheld 申诉复核, or a 无效差评 claim
the ratings center approved after review (DOMAIN.md, Ratings). Once: a rating already excluded
stays as it is and no second ``ys.ratings.rating.excluded`` goes out."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.events.envelope import make_event
from yingshang.events.outbox import enqueue
from ys_ratings.events import SERVICE, ExclusionReason, RatingExcluded
from ys_ratings.ratings.models import Rating


async def exclude(
    session: AsyncSession,
    rating: Rating,
    *,
    reason: ExclusionReason,
    note: str,
    appeal_id: uuid.UUID | None = None,
) -> bool:
    """Mark ``rating`` excluded and publish it; False (nothing done) if it already was."""
    if rating.excluded:
        return False
    rating.excluded, rating.excluded_reason = True, note
    data = RatingExcluded(
        case_id=rating.case_id,
        case_number=rating.case_number,
        department=rating.department,
        origin_client=rating.origin_client,
        rating_id=rating.id,
        appeal_id=appeal_id,
        reason=reason,
        service=rating.service,
    )
    subject = f"{rating.case_kind}/{rating.case_id}"
    await enqueue(session, make_event(SERVICE, "ys.ratings.rating.excluded", data, subject=subject))
    return True
