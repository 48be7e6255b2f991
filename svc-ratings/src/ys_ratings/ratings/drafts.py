"""A rating about to be recorded, whatever its source (link, hotline, province, default)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from yingshang.problems import Invalid
from ys_ratings.invitations.models import Invitation
from ys_ratings.ratings.schemas import RaterIn

# The applicant rates their own 办件 once per node, whichever way the rating arrives (link,
# window pad, provincial app); 综合点评 and 监督查评 come from other raters, each once.
APPLICANT = "applicant"
THIRD_PARTY_CHANNELS = frozenset({"comprehensive", "supervision"})


def rater_key(channel: str, rater: RaterIn | None) -> str:
    if channel not in THIRD_PARTY_CHANNELS:
        return APPLICANT
    identity = rater.identity() if rater else None
    if identity is None:
        raise Invalid("综合点评、监督查评须填写评价人身份", field="rater")
    return "rater:" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:40]


@dataclass
class RatingDraft:
    service: str
    case_kind: str
    case_id: uuid.UUID
    case_number: str
    node: str
    department: str
    channel: str
    rater_type: str
    level: int
    rated_at: datetime
    source: str
    rater_key: str = APPLICANT
    item_code: str | None = None
    item_name: str | None = None
    window: str | None = None
    staff_no: str | None = None
    service_channel: str | None = None
    node_at: datetime | None = None
    scores: dict[str, Any] = field(default_factory=dict)
    comment: str | None = None
    rater_name: str | None = None
    rater_phone: str | None = None
    rater_id_no: str | None = None
    origin_client: str | None = None
    external_id: str | None = None
    invitation_id: uuid.UUID | None = None
    event_id: str | None = None

    def with_rater(self, rater: RaterIn | None) -> RatingDraft:
        if rater is not None:
            self.rater_name, self.rater_phone = rater.name, rater.phone
            self.rater_id_no = rater.id_no or rater.uscc
        return self


def from_invitation(invitation: Invitation, **values: Any) -> RatingDraft:
    """The 办件's facts come from the invitation, never from the rater's request."""
    return RatingDraft(
        service=invitation.service,
        case_kind=invitation.case_kind,
        case_id=invitation.case_id,
        case_number=invitation.case_number,
        node=invitation.node,
        node_at=invitation.completed_at,
        department=invitation.department,
        item_code=invitation.item_code,
        item_name=invitation.item_name,
        window=invitation.window,
        staff_no=invitation.staff_no,
        service_channel=invitation.service_channel,
        origin_client=invitation.origin_client,
        invitation_id=invitation.id,
        **values,
    )
