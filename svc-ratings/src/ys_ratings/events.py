"""Events svc-ratings produces (contract.md), registered in the service's catalogue."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from yingshang.events.catalogue import EventCatalogue
from yingshang.time.events import register_deadline_events

SERVICE = "ratings"
catalogue = EventCatalogue(title="svc-ratings events")


class CaseRef(BaseModel):
    """The contract's common fields of every case event."""

    case_id: uuid.UUID
    case_number: str
    department: str
    origin_client: str | None = None


class InvitationCreated(CaseRef):
    """The originating service sends the SMS link (it holds the phone number)."""

    invitation_id: uuid.UUID
    token_url: str
    service: str
    case_kind: str
    node: str
    expires_at: datetime


class ProvincialRecord(BaseModel):
    """The provincial 好差评 field set (upward reporting)."""

    case_number: str = Field(description="办件编号")
    item_code: str | None = Field(None, description="事项编码")
    item_name: str | None = Field(None, description="事项名称")
    department: str = Field(description="部门编码")
    node: str = Field(description="评价节点: accept 受理 / finish 办结 / revisit 回访")
    node_at: datetime | None = Field(
        None, description="受理/办结时间: the rated node's (a 12345 回访: the ticket's 办结)"
    )
    staff_no: str | None = Field(None, description="窗口工号")
    window: str | None = None
    rater_type: int = Field(description="0 自然人 / 1 法人")
    level: int
    indicators: dict[str, int] = Field(default_factory=dict)
    channel: str
    rated_at: datetime


class RatingSubmitted(CaseRef):
    """No rater identity (contract.md); ``province`` carries the upward-report record."""

    rating_id: uuid.UUID
    level: int
    service: str
    case_kind: str
    node: str
    channel: str
    window: str | None = None
    staff_no: str | None = None
    rectification_opened: bool
    province: ProvincialRecord


class RectificationEvent(CaseRef):
    """``case_*`` name the rectification itself (its own case key ``rectification/<id>``);
    ``received_at``/``closed_at`` make ``opened``/``closed`` read like any case's
    ``created``/``closed`` (the scorecards count rectifications like other cases)."""

    rectification_id: uuid.UUID
    rating_id: uuid.UUID
    classification: str | None = None
    state: str
    rated_case_number: str
    received_at: datetime
    closed_at: datetime | None = None
    outcome: str | None = None


ExclusionReason = Literal["appeal_upheld", "invalid_rating"]


class RatingExcluded(CaseRef):
    """The rating stays (never deleted) but no statistic counts it: the rated unit's appeal was
    upheld (``appeal_id`` names it), or its 无效差评 claim was approved (no appeal)."""

    rating_id: uuid.UUID
    appeal_id: uuid.UUID | None = None
    reason: ExclusionReason = "appeal_upheld"
    service: str


class AppealEvent(CaseRef):
    """申诉复核 of a rating: filed by the rated unit, upheld or rejected by the bureau.
    ``case_*`` name the rated case, as ``rating.excluded`` does; no rater identity, no reason
    text, and no origin client (an appeal is between the rated unit and the bureau)."""

    appeal_id: uuid.UUID
    rating_id: uuid.UUID
    state: str
    service: str


catalogue.register(
    "ys.ratings.invitation.created",
    InvitationCreated,
    description="A one-time rating link for one evaluation node of a 办件",
    consumers=("approvals", "complaints", "visits"),
)
catalogue.register(
    "ys.ratings.rating.submitted",
    RatingSubmitted,
    description="A rating was recorded (upward-reported via webhooks)",
    consumers=("approvals", "gateway", "visits"),
)
catalogue.register(
    "ys.ratings.rating.excluded",
    RatingExcluded,
    description="申诉复核 upheld or 无效差评 approved: the rating no longer counts in statistics",
    consumers=("gateway",),
)
for _action, _text in {
    "opened": "差评 opened a rectification",
    "called_back": "回访核实 done",
    "classified": "classified (立行立改/限期整改/解释说明)",
    "completed": "the department finished the rectification",
    "claimed": "the department claimed the 差评 invalid or unfixable",
    "reviewed": "a claim was reviewed",
    "fed_back": "the result was fed back to the rater",
    "verdict_recorded": "the rater's verdict on the fix recorded: awaiting the spot check",
    "spot_check_failed": "抽查回访 failed: back to 整改中 with the reason",
    "closed": "closed (spot check passed, approved claim or upheld appeal)",
}.items():
    catalogue.register(
        f"ys.ratings.rectification.{_action}",
        RectificationEvent,
        description=f"Rectification: {_text}",
        consumers=("gateway",),
    )
for _action, _text in {
    "filed": "申诉: the rated unit appealed a rating",
    "upheld": "申诉成立: the rating leaves the statistics (see rating.excluded)",
    "rejected": "申诉不成立: the rating keeps counting",
}.items():
    catalogue.register(f"ys.ratings.appeal.{_action}", AppealEvent, description=_text)
register_deadline_events(catalogue, SERVICE, ("rectification",))
