"""Rating responses: the rater's identity masked unless the viewer is the ratings center.

国办发〔2019〕51号 ratings are real-name, yet the rated party never learns who rated it; the
bureau and committee see the identity masked and may unmask it only with a reason (audited).
"""

from __future__ import annotations

import uuid

from yingshang.masking import mask_fields, mask_name, mask_phone, mask_resident_id
from ys_ratings.ratings.models import Rating
from ys_ratings.ratings.schemas import RaterOut, RatingOut

RATER_MASKERS = {"name": mask_name, "phone": mask_phone, "id_no": mask_resident_id}


def rater_fields(rating: Rating) -> dict[str, str | None]:
    return {"name": rating.rater_name, "phone": rating.rater_phone, "id_no": rating.rater_id_no}


def rater_out(rating: Rating, *, reveal: bool, hidden: bool = False) -> tuple[RaterOut, list[str]]:
    """The rater as this viewer may see them, and the fields that went out unmasked.
    ``hidden``: the rated party, who gets no part of the identity, masked or not."""
    if hidden:
        return RaterOut(masked=True, name=None, phone=None, id_no=None), []
    view = mask_fields(rater_fields(rating), RATER_MASKERS, reveal=reveal)
    return RaterOut(masked=not reveal, **view.data), view.revealed


def rating_out(
    rating: Rating, rater: RaterOut, rectification_id: uuid.UUID | None = None
) -> RatingOut:
    return RatingOut(
        id=rating.id,
        service=rating.service,
        case_kind=rating.case_kind,
        case_id=rating.case_id,
        case_number=rating.case_number,
        node=rating.node,
        department=rating.department,
        hall_department=rating.hall_department,
        assessed_department=rating.assessed_department,
        item_code=rating.item_code,
        item_name=rating.item_name,
        window=rating.window,
        staff_no=rating.staff_no,
        channel=rating.channel,
        service_channel=rating.service_channel,
        rater_type=rating.rater_type,
        level=rating.level,
        scores={str(k): int(v) for k, v in (rating.scores or {}).items()},
        indicator_set_id=rating.indicator_set_id,
        comment=rating.comment,
        rated_at=rating.rated_at,
        month=rating.month,
        source=rating.source,
        excluded=rating.excluded,
        excluded_reason=rating.excluded_reason,
        followup_level=rating.followup_level,
        followup_at=rating.followup_at,
        rectification_id=rectification_id,
        rater=rater,
    )
