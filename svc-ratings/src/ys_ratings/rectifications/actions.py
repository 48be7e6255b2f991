"""The rectification actions with their effects on the case (one function per action)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yingshang.clock import now
from yingshang.problems import Forbidden
from ys_ratings.access import RatingsCenter, Viewer, rated_units
from ys_ratings.ratings.exclusion import exclude
from ys_ratings.ratings.models import Rating
from ys_ratings.rectifications.machine import (
    OPEN_STATES,
    SPOT_CHECK_STEPS,
    State,
    rectification_machine,
)
from ys_ratings.rectifications.models import (
    APPEAL_UPHELD,
    SPOT_CHECK_FAILED,
    SPOT_CHECK_PASSED,
    Rectification,
)
from ys_ratings.rectifications.schemas import (
    CallBackIn,
    ClassifyIn,
    NoteIn,
    OptionalNoteIn,
    ReasonIn,
    SpotCheckIn,
    VerdictIn,
)
from ys_ratings.rectifications.service import SYSTEM, act, transition, visible

Id = uuid.UUID
# A 回访's level as the rater's verdict on a fix: only 4–5 are 满意 (基本满意就是基本不满意 is
# the county's rule for good rates; the verdict keeps the rater's own three words).
REVISIT_VERDICTS = {5: "satisfied", 4: "satisfied", 3: "basically_satisfied"}


async def call_back(
    s: AsyncSession, rid: Id, v: Viewer, if_match: str | None, body: CallBackIn
) -> Rectification:
    changes = {
        "called_back_at": now(),
        "rater_reached": body.reached,
        "verified": body.verified,
        "callback_note": body.note,
    }
    return await act(s, rid, "call_back", v, if_match, changes, note=body.note)


async def classify(
    s: AsyncSession, rid: Id, v: Viewer, if_match: str | None, body: ClassifyIn
) -> Rectification:
    changes = {"classification": body.classification}
    return await act(s, rid, "classify", v, if_match, changes, note=body.note)


async def claim(
    s: AsyncSession, rid: Id, v: Viewer, if_match: str | None, body: ReasonIn, *, kind: str
) -> Rectification:
    """无效差评 (``invalid``) or 无法整改 (``unfixable``): reviewed before it takes effect."""
    return await act(
        s, rid, f"claim_{kind}", v, if_match, {"claim_reason": body.reason}, note=body.reason
    )


async def review(
    s: AsyncSession,
    rid: Id,
    v: Viewer,
    if_match: str | None,
    body: OptionalNoteIn,
    *,
    approve: bool,
) -> Rectification:
    if not approve:
        return await act(s, rid, "reject_claim", v, if_match, {}, note=body.note)
    rect = await s.get(Rectification, rid)
    invalid = rect is not None and rect.state == "invalid_review"
    changes = {"outcome": "invalid", "excluded": True} if invalid else {"outcome": "unfixable"}
    rect = await act(s, rid, "approve_claim", v, if_match, changes, note=body.note)
    if invalid:
        # Reviewed and found invalid: the 差评 and its rectification leave the statistics.
        rating = await s.get(Rating, rect.rating_id)
        assert rating is not None
        reason = f"无效差评审核通过：{rect.claim_reason or body.note or ''}".rstrip("：")
        await exclude(s, rating, reason="invalid_rating", note=reason)
    return rect


async def complete(
    s: AsyncSession, rid: Id, v: Viewer, if_match: str | None, body: NoteIn
) -> Rectification:
    return await act(
        s, rid, "complete", v, if_match, {"rectification_note": body.note}, note=body.note
    )


async def feed_back(
    s: AsyncSession, rid: Id, v: Viewer, if_match: str | None, body: NoteIn
) -> Rectification:
    changes = {"fed_back_at": now(), "feedback_note": body.note}
    return await act(s, rid, "feed_back", v, if_match, changes, note=body.note)


async def record_verdict(
    s: AsyncSession, rid: Id, v: Viewer, if_match: str | None, body: VerdictIn
) -> Rectification:
    changes = {"verdict": body.verdict, "verdict_at": now()}
    return await act(s, rid, "record_verdict", v, if_match, changes, note=body.note)


async def spot_check(
    s: AsyncSession, rid: Id, v: Viewer, if_match: str | None, body: SpotCheckIn
) -> Rectification:
    """抽查回访 after the rater's verdict: passed, the rectification closes as rectified;
    failed, it goes back to 整改中 with the reason (a new 整改 time limit starts). Never by the
    rated department, whatever bureau post its people also hold (交叉挂职)."""
    rect = await visible(s, rid, v)
    if v.acts_for(*rated_units(rect)):
        raise Forbidden(
            "被评价单位不能抽查自己的整改",
            code="own-rectification",
        )
    result = SPOT_CHECK_PASSED if body.passed else SPOT_CHECK_FAILED
    changes: dict[str, Any] = {
        "spot_checked_at": now(),
        "spot_check_result": result,
        "spot_check_note": body.note,
    }
    if body.passed:
        changes["outcome"] = "rectified"
    else:  # the redo is completed, fed back and judged by the rater again
        redo = ("rectified_at", "fed_back_at", "verdict", "verdict_at")
        changes |= {**dict.fromkeys(redo), "on_time": False}
    name = SPOT_CHECK_STEPS[body.passed]
    return await act(s, rid, name, v, if_match, changes, note=body.note)


async def verdict_by_revisit(
    s: AsyncSession, rating: Rating, center: RatingsCenter, note: str
) -> Rectification | None:
    """The 12345 回访 after a reopen is the rater's verdict on the redo: recorded for the
    rating's rectification when it waits for the verdict (待评价整改). In any other state the
    center's steps go on; the later 回访 stays on the rating (``followup_level``) for it."""
    rows = await s.execute(select(Rectification).where(Rectification.rating_id == rating.id))
    rect = rows.scalar_one_or_none()
    if rect is None or rect.state != State.AWAITING_VERDICT or rating.followup_level is None:
        return None
    changes = {
        "verdict": REVISIT_VERDICTS.get(rating.followup_level, "dissatisfied"),
        "verdict_at": rating.followup_at,
    }
    tag = rectification_machine(center).etag(rect)  # the system acts on the row it just read
    await transition(s, rect, "verdict_by_revisit", SYSTEM, center, tag, changes, note=note)
    return rect


async def close_for_appeal(
    s: AsyncSession, rating_id: Id, center: RatingsCenter, note: str
) -> Rectification | None:
    """An upheld appeal takes the rating's rectification out of the statistics and ends it,
    whatever state it was in."""
    rows = await s.execute(select(Rectification).where(Rectification.rating_id == rating_id))
    rect = rows.scalar_one_or_none()
    if rect is None:
        return None
    changes = {"outcome": APPEAL_UPHELD, "excluded": True}
    if rect.state not in OPEN_STATES:
        rect.excluded = True
        await s.flush()
        return rect
    tag = rectification_machine(center).etag(rect)  # the system acts on the row it just read
    await transition(s, rect, "appeal_upheld", SYSTEM, center, tag, changes, note=note)
    return rect
