"""Rating API models (input validated like any external input; output masked per viewer)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from yingshang.validators import USCC, Phone, PlausibleDateTime, ResidentId

Level = Annotated[int, Field(ge=1, le=5)]
Scores = dict[Annotated[str, StringConstraints(max_length=40)], Level]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
PublicChannel = Literal["window_pad", "sms", "web", "app"]
PushChannel = Literal["window_pad", "sms", "web", "app", "comprehensive", "supervision"]
RaterType = Literal["person", "legal_person"]


class RaterIn(BaseModel):
    """Real-name rater (optional on a one-time link: the link already names the 办件)."""

    model_config = ConfigDict(extra="forbid")

    account: str | None = Field(None, max_length=80, description="provincial account id")
    name: Short | None = None
    phone: Phone | None = None
    id_no: ResidentId | None = Field(None, description="公民身份号码 (person)")
    uscc: USCC | None = Field(None, description="统一社会信用代码 (legal person)")

    def identity(self) -> str | None:
        return self.account or self.id_no or self.uscc or self.phone


class RateIn(BaseModel):
    """A rating through a one-time invitation link."""

    model_config = ConfigDict(extra="forbid")

    level: Level
    scores: Scores = Field(default_factory=dict, max_length=20)
    comment: str | None = Field(None, max_length=2000)
    channel: PublicChannel = "sms"
    rater_type: RaterType | None = None
    rater: RaterIn | None = None


class CaseRefIn(BaseModel):
    """Which 办件 and node a pushed rating is about (looked up by number when ids are absent)."""

    model_config = ConfigDict(extra="forbid")

    case_number: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    node: Literal["accept", "finish", "revisit"]
    service: Literal["approvals", "hotline", "complaints", "visits"] | None = None
    case_kind: str | None = Field(None, max_length=40)
    case_id: uuid.UUID | None = None
    department: str | None = Field(None, max_length=60)
    item_code: str | None = Field(None, max_length=64)
    item_name: str | None = Field(None, max_length=200)
    window: str | None = Field(None, max_length=60)
    staff_no: str | None = Field(None, max_length=40)
    service_channel: str | None = Field(None, max_length=30)
    node_at: PlausibleDateTime | None = None


class ProvinceRatingIn(BaseModel):
    """A rating pushed by the provincial platform (client credentials, Idempotency-Key)."""

    model_config = ConfigDict(extra="forbid")

    external_id: str = Field(min_length=1, max_length=80)
    case: CaseRefIn
    level: Level
    scores: Scores = Field(default_factory=dict, max_length=20)
    comment: str | None = Field(None, max_length=2000)
    channel: PushChannel
    rater_type: RaterType = "person"
    rater: RaterIn
    rated_at: PlausibleDateTime

    @model_validator(mode="after")
    def _real_name(self) -> ProvinceRatingIn:
        # 国办发〔2019〕51号: ratings are real-name.
        if self.rater.identity() is None:
            raise ValueError("rater: 实名评价须提供账号、身份证号、统一社会信用代码或电话之一")
        return self


class InvitationView(BaseModel):
    """What a one-time link shows: the 办件 and the indicators to score; no personal data."""

    case_number: str
    service: str
    node: str
    item_code: str | None
    item_name: str | None
    department: str
    window: str | None
    staff_no: str | None
    rater_type: RaterType = Field(
        description="the applicant's type as the case names it (person / legal_person): the "
        "form's default, the rater may still change it"
    )
    completed_at: datetime
    expires_at: datetime
    rated: bool
    indicator_set_id: uuid.UUID | None
    indicators: list[dict[str, str]]


class RaterOut(BaseModel):
    masked: bool
    name: str | None
    phone: str | None
    id_no: str | None


class RatingOut(BaseModel):
    id: uuid.UUID
    service: str
    case_kind: str
    case_id: uuid.UUID
    case_number: str
    node: str
    department: str
    hall_department: str | None = Field(
        None, description="the unit running the hall whose window is named (reads, co-handles)"
    )
    assessed_department: str = Field(
        description="the one unit the rating counts for in the department ranking and 部门考核"
    )
    item_code: str | None
    item_name: str | None
    window: str | None
    staff_no: str | None
    staff_name: str | None = Field(None, description="the clerk's name, when the 工号 is known")
    channel: str
    service_channel: str | None
    rater_type: str
    level: int
    scores: dict[str, int]
    indicator_set_id: uuid.UUID | None
    comment: str | None
    rated_at: datetime
    month: str
    source: str
    excluded: bool
    excluded_reason: str | None
    followup_level: int | None = Field(
        None, description="12345: the latest 回访 after a reopen (the rating stays the first)"
    )
    followup_at: datetime | None = None
    rectification_id: uuid.UUID | None = None
    rater: RaterOut


class RatingPage(BaseModel):
    items: list[RatingOut]
    next_cursor: str | None


class UnmaskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=4, max_length=500)


class PolicyOut(BaseModel):
    key: str
    enabled: bool
    natural_days: int
    level: int | None
    note: str | None
    updated_at: datetime | None
    updated_by: str | None


class PolicyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool
    natural_days: int = Field(ge=1, le=365)
    # A default rating is never a 差评 (it would open a rectification nobody asked for).
    level: int | None = Field(None, ge=3, le=5)
