"""Recording ratings: one path for every source, then 差评 → rectification, then the event."""

from __future__ import annotations

import uuid
from typing import Any, cast

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import now
from yingshang.events.envelope import CloudEvent, make_event
from yingshang.events.outbox import enqueue
from yingshang.ids import uuid7
from yingshang.prepared import Prepared, as_loaded, column_values, insert_row
from yingshang.problems import Conflict
from ys_ratings.events import SERVICE, ProvincialRecord, RatingSubmitted
from ys_ratings.indicators.service import check_scores, set_for_channel
from ys_ratings.months import month_of
from ys_ratings.ratings.attribution import assessed, hall_of
from ys_ratings.ratings.drafts import RatingDraft
from ys_ratings.ratings.models import Rating
from ys_ratings.rectifications.service import open_for

PROVINCE_RATER_TYPE = {"person": 0, "legal_person": 1}
ALREADY_RATED = "already-rated"


_R = cast(Any, Rating.__table__).c
# the unique key uq_ratings_ratings_once: (service, case_id, node, rater_key)
_RATED = Prepared(
    select(_R.id)
    .where(
        _R.service == bindparam("service"),
        _R.case_id == bindparam("case_id"),
        _R.node == bindparam("node"),
        _R.rater_key == bindparam("rater_key"),
    )
    .limit(1)
)
_INSERT = insert_row(Rating)


async def _rated_id(session: AsyncSession, draft: RatingDraft) -> uuid.UUID | None:
    row = await _RATED.first(session, service=draft.service, case_id=draft.case_id,
                             node=draft.node, rater_key=draft.rater_key)  # fmt: skip
    return None if row is None else cast(uuid.UUID, row[0])


async def existing(session: AsyncSession, draft: RatingDraft) -> Rating | None:
    """The rating already given for the draft's 办件, node and rater, if any."""
    found = await _rated_id(session, draft)
    return None if found is None else await session.get(Rating, found)


async def record(session: AsyncSession, draft: RatingDraft) -> Rating:
    """Store the rating; a 差评 (1–2) opens a rectification in the same transaction.

    The row goes in with one prepared INSERT (every rating of every 12345 return visit
    comes through here); the returned object holds its values as if loaded."""
    if await _rated_id(session, draft) is not None:
        # 国办发〔2019〕51号: one rating per 办件 per evaluation node per rater.
        raise Conflict("该办件的这一环节已经评价过", code=ALREADY_RATED)
    indicator_set = await set_for_channel(session, draft.service_channel) if draft.scores else None
    check_scores(indicator_set, draft.scores)
    hall = await hall_of(session, draft.window)
    rating = as_loaded(
        Rating,
        {
            **vars(draft),
            "hall_department": hall,
            "assessed_department": assessed(draft.department, hall, draft.node),
            "id": uuid7(),
            "indicator_set_id": indicator_set.id if indicator_set and draft.scores else None,
            "month": month_of(draft.rated_at),
            "excluded": False,
            "excluded_reason": None,
            "followup_level": None,
            "followup_at": None,
            "created_at": now(),
        },
    )
    await _INSERT.run(session, **column_values(rating))
    opened = await open_for(session, rating) if rating.is_bad else None
    await enqueue(session, submitted_event(rating, rectification_opened=opened is not None))
    return rating


def provincial_record(rating: Rating) -> ProvincialRecord:
    return ProvincialRecord(
        case_number=rating.case_number,
        item_code=rating.item_code,
        item_name=rating.item_name,
        department=rating.department,
        node=rating.node,
        node_at=rating.node_at,
        staff_no=rating.staff_no,
        window=rating.window,
        rater_type=PROVINCE_RATER_TYPE.get(rating.rater_type, 0),
        level=rating.level,
        indicators={str(k): int(v) for k, v in (rating.scores or {}).items()},
        channel=rating.channel,
        rated_at=rating.rated_at,
    )


def submitted_event(rating: Rating, *, rectification_opened: bool) -> CloudEvent:
    data = RatingSubmitted(
        case_id=rating.case_id,
        case_number=rating.case_number,
        department=rating.department,
        origin_client=rating.origin_client,
        rating_id=rating.id,
        level=rating.level,
        service=rating.service,
        case_kind=rating.case_kind,
        node=rating.node,
        channel=rating.channel,
        window=rating.window,
        staff_no=rating.staff_no,
        rectification_opened=rectification_opened,
        province=provincial_record(rating),
    )
    subject = f"{rating.case_kind}/{rating.case_id}"
    return make_event(SERVICE, "ys.ratings.rating.submitted", data, subject=subject)
